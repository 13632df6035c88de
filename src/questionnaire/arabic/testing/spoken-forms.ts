/**
 * Ways a caller says a number, as speech-to-text writes them: MSA and Gulf, Levantine, Egyptian
 * and Iraqi spellings, with and without hamza, ة written ه, units before or after tens, "و"
 * attached or apart, digits in either script mixed with words. For property tests: every form
 * of a value must read back as exactly that value.
 */

const UNIT_FORMS: readonly (readonly string[])[] = [
  ['صفر', 'زيرو'],
  ['واحد', 'واحدة'],
  ['اتنين', 'اثنين', 'إثنين', 'تنين', 'ثنين'],
  ['تلاتة', 'تلاته', 'ثلاثة', 'ثلاث', 'تلات'],
  ['أربعة', 'اربعه', 'اربع'],
  ['خمسة', 'خمسه', 'خمس'],
  ['ستة', 'سته', 'ست'],
  ['سبعة', 'سبعه', 'سبع'],
  ['ثمانية', 'تمانيه', 'تمنية', 'ثمنيه', 'ثمان', 'تمن'],
  ['تسعة', 'تسعه', 'تسع'],
];

const TEN_FORMS: readonly string[] = ['عشرة', 'عشره'];

const TEEN_FORMS: readonly (readonly string[])[] = [
  ['أحد عشر', 'احدعش', 'حداشر', 'احداشر', 'حداش', 'احدعشر'],
  ['اثنا عشر', 'اتناشر', 'اطنعش', 'اثنعش', 'ثنعش', 'طناش', 'اتنعش'],
  ['ثلاثة عشر', 'تلطعش', 'تلتاشر', 'تلطاشر', 'ثلطعش', 'تلتعش'],
  ['أربعة عشر', 'اربعتاشر', 'ارباطعش', 'اربعطعش', 'اربعتعش'],
  ['خمسة عشر', 'خمستاشر', 'خمسطعش', 'خمستعش', 'خمسطاعش'],
  ['ستة عشر', 'ستاشر', 'سطعش', 'ستطعش', 'ستعش'],
  ['سبعة عشر', 'سبعتاشر', 'سبعطعش', 'سبعتعش'],
  ['ثمانية عشر', 'تمنتاشر', 'تمنطعش', 'ثمنطعش', 'ثمانطعش', 'تمنتعش'],
  ['تسعة عشر', 'تسعتاشر', 'تسعطعش', 'تسعتعش'],
];

const TENS_FORMS: readonly (readonly string[])[] = [
  [],
  [],
  ['عشرين', 'عشرون'],
  ['تلاتين', 'ثلاثين', 'ثلاثون'],
  ['أربعين', 'اربعين'],
  ['خمسين'],
  ['ستين'],
  ['سبعين'],
  ['تمانين', 'ثمانين', 'تمنين'],
  ['تسعين'],
];

const HUNDRED_FORMS: readonly (readonly string[])[] = [
  [],
  ['مية', 'ميه', 'مئة', 'مائة', '100'],
  ['ميتين', 'مئتين', 'مائتين', '200'],
  ['تلتمية', 'ثلاثمائة', 'ثلاثمية', 'ثلاث مية'],
  ['اربعمية', 'ربعمية', 'أربعمائة'],
  ['خمسمية', 'خمسمائة'],
  ['ستمية', 'ستمائة'],
  ['سبعمية', 'سبعمائة'],
  ['تمنمية', 'ثمانمائة'],
  ['تسعمية', 'تسعمائة'],
];

const ARABIC_INDIC = '٠١٢٣٤٥٦٧٨٩';

export function arabicIndicDigits(text: string): string {
  return text.replace(/\d/g, (digit) => ARABIC_INDIC[Number(digit)] ?? digit);
}

/** "وخمسة" and "و خمسة": the spoken "and" attached or written apart. */
function joined(left: string, right: string): string[] {
  return [`${left} و${right}`, `${left} و ${right}`];
}

function belowHundredForms(value: number): string[] {
  if (value < 10) return [...(UNIT_FORMS[value] ?? [])];
  if (value === 10) return [...TEN_FORMS];
  if (value < 20) return [...(TEEN_FORMS[value - 11] ?? [])];
  const tens = Math.floor(value / 10);
  const unit = value % 10;
  const tensWords = [...(TENS_FORMS[tens] ?? []), String(tens * 10)];
  if (unit === 0) return tensWords;
  const unitWords = [...(UNIT_FORMS[unit] ?? []), String(unit)];
  const forms: string[] = [];
  for (const u of unitWords) {
    for (const t of tensWords) {
      if (/\d/.test(u) && /\d/.test(t)) continue;
      forms.push(...joined(u, t), ...joined(t, u));
    }
  }
  return forms;
}

/** Every form of an integer 0–999 (the hundreds combined with a sample of the rest's forms). */
export function integerForms(value: number): string[] {
  const hundreds = Math.floor(value / 100);
  const rest = value % 100;
  if (hundreds === 0) return [...belowHundredForms(value), String(value), arabicIndicDigits(String(value))];
  const heads = HUNDRED_FORMS[hundreds] ?? [];
  const forms = [String(value), arabicIndicDigits(String(value))];
  if (rest === 0) return [...forms, ...heads.filter((head) => !/\d/.test(head) || head === String(value))];
  const tails = belowHundredForms(rest).filter((_, index) => index % 3 === 0);
  for (const head of heads) for (const tail of tails) if (!(/\d/.test(head) && /\d/.test(tail))) forms.push(...joined(head, tail));
  return forms;
}

const HALF_TAILS = ['ونص', 'و نص', 'ونصف', 'و نُص'];
const QUARTER_TAILS = ['وربع', 'و ربع'];

/**
 * Every form of a value with a whole part 0–999 and a fraction of 0, .25, .5 or .75: halves
 * and quarters said as "ونص"/"وربع", any of them with "فاصلة", and digits in either script.
 * Whole hundreds take no "ونص" (that is +50 in speech).
 */
export function spokenForms(value: number): string[] {
  const whole = Math.floor(value);
  const fraction = value - whole;
  const wholeForms = integerForms(whole).filter((_, index) => fraction === 0 || index % 2 === 0);
  if (fraction === 0) return wholeForms;
  const digits = String(value);
  const forms = [digits, arabicIndicDigits(digits).replace('.', '٫'), digits.replace('.', ',')];
  const roundHundred = whole >= 100 && whole % 100 === 0;
  const fractionDigits = digits.split('.')[1] ?? '';
  const decimalWords = fractionDigits.length === 1 ? belowHundredForms(Number(fractionDigits)) : belowHundredForms(Number(fractionDigits)).slice(0, 4);
  for (const head of wholeForms) {
    if (!roundHundred && fraction === 0.5) forms.push(...HALF_TAILS.map((tail) => `${head} ${tail}`));
    if (!roundHundred && fraction === 0.25) forms.push(...QUARTER_TAILS.map((tail) => `${head} ${tail}`));
    forms.push(...decimalWords.slice(0, 2).map((tail) => `${head} فاصلة ${tail}`));
  }
  return forms;
}
