/**
 * Modern Standard Arabic words for read-backs through text-to-speech ("ثمانية وثلاثون ونصف").
 * Counting forms (masculine), hamza written, hundreds joined as in current spelling (ثلاثمئة).
 */

const UNITS = ['صفر', 'واحد', 'اثنان', 'ثلاثة', 'أربعة', 'خمسة', 'ستة', 'سبعة', 'ثمانية', 'تسعة'] as const;
const TENS = ['', 'عشرة', 'عشرون', 'ثلاثون', 'أربعون', 'خمسون', 'ستون', 'سبعون', 'ثمانون', 'تسعون'] as const;
const HUNDREDS = ['', 'مئة', 'مئتان', 'ثلاثمئة', 'أربعمئة', 'خمسمئة', 'ستمئة', 'سبعمئة', 'ثمانمئة', 'تسعمئة'] as const;
const ELEVEN = 'أحد عشر';
const TWELVE = 'اثنا عشر';
const TEEN_SUFFIX = 'عشر';
const AND = 'و';
const HALF = 'نصف';
const DECIMAL_POINT = 'فاصلة';
const MAX_SPOKEN = 999;

function unitWord(digit: number): string {
  return UNITS[digit] ?? String(digit);
}

function belowHundred(value: number): string {
  if (value < 10) return unitWord(value);
  if (value === 11) return ELEVEN;
  if (value === 12) return TWELVE;
  const tens = Math.floor(value / 10);
  const unit = value % 10;
  if (tens === 1) return unit === 0 ? (TENS[1] ?? '') : `${unitWord(unit)} ${TEEN_SUFFIX}`;
  const tensWord = TENS[tens] ?? String(tens * 10);
  return unit === 0 ? tensWord : `${unitWord(unit)} ${AND}${tensWord}`;
}

function integerWords(value: number): string {
  const hundreds = Math.floor(value / 100);
  const rest = value % 100;
  if (hundreds === 0) return belowHundred(rest);
  const hundredsWord = HUNDREDS[hundreds] ?? String(hundreds * 100);
  return rest === 0 ? hundredsWord : `${hundredsWord} ${AND}${belowHundred(rest)}`;
}

/**
 * 0–999 with at most one decimal place: 38.5 → "ثمانية وثلاثون ونصف", 37.2 → "سبعة وثلاثون
 * فاصلة اثنان", 250 → "مئتان وخمسون". A half after a round hundred is read with "فاصلة" because
 * "مئة ونصف" means 150 in speech. Anything else (negative, ≥ 1000, finer decimals) stays digits.
 */
export function numberToArabicWords(value: number): string {
  if (!Number.isFinite(value) || value < 0) return String(value);
  const tenths = Math.round(value * 10);
  if (Math.abs(tenths - value * 10) > 1e-9) return String(value);
  const integer = Math.floor(tenths / 10);
  const decimal = tenths % 10;
  if (integer > MAX_SPOKEN) return String(value);
  if (decimal === 0) return integerWords(integer);
  const roundHundred = integer >= 100 && integer % 100 === 0;
  if (decimal === 5 && integer === 0) return HALF;
  if (decimal === 5 && !roundHundred) return `${integerWords(integer)} ${AND}${HALF}`;
  return `${integerWords(integer)} ${DECIMAL_POINT} ${unitWord(decimal)}`;
}
