/**
 * Arabic number words, MSA and dialect, in normalised spelling (ة→ه, أ/إ/آ→ا, ى/ئ→ي, ؤ→و).
 * `classifyNumberWord` tells what role one word can play; the grammar lives in parse-number.ts.
 */

export type NumberWordKind =
  | 'zero' // صفر
  | 'unit' // 1–9
  | 'teenHead' // احد، اثنا… : only a number when followed by عشر
  | 'ten' // عشره / عشر
  | 'teen' // 11–19 said as one word (حداشر، طناش، تلطعش…)
  | 'tens' // 20–90
  | 'hundred' // 100–900 said as one word (ميه، ميتين، تلتميه…)
  | 'half' // نص / نصف
  | 'quarter' // ربع
  | 'ordinal' // السابعه، السابع: 1–10 as an ordinal, only with ال
  | 'digits'; // 38, 38.5

export interface NumberWord {
  kind: NumberWordKind;
  value: number;
  /** The word carried an attached و ("and"), as in "وعشرين". */
  withAnd: boolean;
  /** For digits: the digits as written, leading zeros kept ("05"). */
  literal?: string;
  /** For an ordinal: the feminine form ("السابعه"), which an age in years takes. */
  feminine?: boolean;
}

function entries(value: number, words: readonly string[]): [string, number][] {
  return words.map((word) => [word, value]);
}

const UNITS: ReadonlyMap<string, number> = new Map([
  ...entries(1, ['واحد', 'واحده', 'وحده']),
  ...entries(2, ['اثنين', 'اثنان', 'اتنين', 'اتنان', 'تنين', 'ثنين', 'اثنتين', 'اثنتان', 'ثنتين', 'تنتين']),
  ...entries(3, ['ثلاثه', 'ثلاث', 'تلاته', 'تلات', 'ثلاثا']),
  ...entries(4, ['اربعه', 'اربع']),
  ...entries(5, ['خمسه', 'خمس', 'خمسا']),
  ...entries(6, ['سته', 'ست', 'ستا']),
  ...entries(7, ['سبعه', 'سبع', 'سبعا']),
  ...entries(8, ['ثمانيه', 'ثماني', 'ثمان', 'تمانيه', 'تماني', 'تمان', 'تمانه', 'ثمنيه', 'تمنيه', 'تمنه', 'ثمنه', 'تمن', 'ثمن']),
  ...entries(9, ['تسعه', 'تسع', 'تسعا']),
]);

/** Duals of counted nouns: "يومين" is two days ("how many days?" → 2). */
const DUAL_NOUNS: ReadonlySet<string> = new Set([
  'يومين',
  'ليلتين',
  'اسبوعين',
  'جمعتين',
  'شهرين',
  'سنتين',
  'ساعتين',
  'دقيقتين',
  'مرتين',
  'حبتين',
  'درجتين',
  'كيلوين',
]);

const ZERO_WORDS: ReadonlySet<string> = new Set(['صفر', 'زيرو']);
const TEN_WORDS: ReadonlySet<string> = new Set(['عشره', 'عشر']);
const TEEN_HEADS: ReadonlyMap<string, number> = new Map([
  ...entries(1, ['احد', 'احدي', 'حادي']),
  ...entries(2, ['اثنا', 'اثني', 'اثنتا', 'اثنتي', 'اتنا']),
]);

const TENS: ReadonlyMap<string, number> = new Map([
  ...entries(20, ['عشرين', 'عشرون']),
  ...entries(30, ['ثلاثين', 'ثلاثون', 'تلاتين', 'تلاتون']),
  ...entries(40, ['اربعين', 'اربعون']),
  ...entries(50, ['خمسين', 'خمسون']),
  ...entries(60, ['ستين', 'ستون']),
  ...entries(70, ['سبعين', 'سبعون']),
  ...entries(80, ['ثمانين', 'ثمانون', 'تمانين', 'تمانون', 'ثمنين', 'تمنين']),
  ...entries(90, ['تسعين', 'تسعون']),
]);

/** "ميه" is مئة/مية, "مايه" is مائة after normalisation. */
const HUNDRED_WORDS: ReadonlySet<string> = new Set(['ميه', 'مايه', 'مئه', 'ميا', 'مايا']);
const TWO_HUNDRED_WORDS: ReadonlySet<string> = new Set(['ميتين', 'مايتين', 'ميتان', 'مايتان', 'متين', 'مئتين', 'مئتان']);

/** Stems that combine with a hundred word into one word (ثلاثمئة، تلتمية، ربعمية…). */
const HUNDRED_STEMS: readonly [string, number][] = [
  ['ثلاث|تلات|ثلث|تلت', 3],
  ['اربع|ربع', 4],
  ['خمس', 5],
  ['ست|سط', 6],
  ['سبع', 7],
  ['ثماني|تماني|ثمان|تمان|ثمن|تمن', 8],
  ['تسع', 9],
];
const HUNDRED_SUFFIX = '(?:ميه|مايه|مئه|ميا)';
const FUSED_HUNDREDS = HUNDRED_STEMS.map(
  ([stems, value]) => [new RegExp(`^(?:${stems})${HUNDRED_SUFFIX}$`), value * 100] as const,
);

/**
 * 11–19 said as one word: a stem, an optional ت/ط joiner and اشر/اش/عشر/عش
 * (حداشر، اتناشر، طناش، تلطاشر، تلطعش، اربعتاشر، ارباطعش، خمسطعش، خمسطاعش، ستاشر، سطعش،
 * تمنتاشر، تسعطعش…).
 */
const TEEN_STEMS: readonly [string, number][] = [
  ['ا?حد', 11],
  ['ا?[تثط]ن', 12],
  ['[تث]لا?[تث]?', 13],
  ['اربع|اربا|ارب', 14],
  ['خمس', 15],
  ['س[تط]?', 16],
  ['سبع', 17],
  ['[تثط]ما?ن', 18],
  ['تسع', 19],
];
const TEEN_SUFFIX = '[تط]?(?:اشر|اش|عشر|عش|اعش|اعشر)';
const FUSED_TEENS = TEEN_STEMS.map(([stems, value]) => [new RegExp(`^(?:${stems})${TEEN_SUFFIX}$`), value] as const);

/**
 * Ordinals 1–10 after ال: "بلغت السابعة والستين" is 67, the age said as "the sixty-seventh (year)".
 * The feminine form agrees with سنة, so with "و" and tens, or with عشرة, it is an age; a bare
 * ordinal ("في السابعة") may be an hour, and a masculine one a date ("من الخامس والعشرين"), so
 * those are a number word left unread, and the answer is asked again. "الاول" is not here: it is
 * also "at first".
 */
const ORDINALS: ReadonlyMap<string, { value: number; feminine: boolean }> = new Map([
  ...ordinals(1, ['حادي'], ['حاديه']),
  ...ordinals(2, ['ثاني', 'تاني'], ['ثانيه', 'تانيه']),
  ...ordinals(3, ['ثالث', 'تالت'], ['ثالثه', 'تالته']),
  ...ordinals(4, ['رابع'], ['رابعه']),
  ...ordinals(5, ['خامس'], ['خامسه']),
  ...ordinals(6, ['سادس'], ['سادسه']),
  ...ordinals(7, ['سابع'], ['سابعه']),
  ...ordinals(8, ['ثامن', 'تامن'], ['ثامنه', 'تامنه']),
  ...ordinals(9, ['تاسع'], ['تاسعه']),
  ...ordinals(10, ['عاشر'], ['عاشره']),
]);

function ordinals(value: number, masculine: readonly string[], feminine: readonly string[]): [string, { value: number; feminine: boolean }][] {
  return [...masculine.map((word): [string, { value: number; feminine: boolean }] => [word, { value, feminine: false }]), ...feminine.map((word): [string, { value: number; feminine: boolean }] => [word, { value, feminine: true }])];
}
/** The article an ordinal is said with, alone or after و or ب. */
const ORDINAL_PREFIXES: readonly { prefix: string; withAnd: boolean }[] = [
  { prefix: 'ال', withAnd: false },
  { prefix: 'وال', withAnd: true },
  { prefix: 'بال', withAnd: false },
];

const HALF_WORDS: ReadonlySet<string> = new Set(['نص', 'نصف']);
const QUARTER_WORDS: ReadonlySet<string> = new Set(['ربع']);

/** Words that introduce decimals: "سبعة وثلاثين فاصلة خمسة". */
export const DECIMAL_MARKERS: ReadonlySet<string> = new Set(['فاصله', 'فاصل', 'نقطه', 'point', 'بوينت']);
/** A spoken "and" written apart from the next word. */
export const AND_WORD = 'و';

const DIGITS = /\d+(?:\.\d+)?/;

function classifyBare(word: string): Omit<NumberWord, 'withAnd'> | null {
  if (ZERO_WORDS.has(word)) return { kind: 'zero', value: 0 };
  const unit = UNITS.get(word) ?? (DUAL_NOUNS.has(word) ? 2 : undefined);
  if (unit !== undefined) return { kind: 'unit', value: unit };
  if (TEN_WORDS.has(word)) return { kind: 'ten', value: 10 };
  const head = TEEN_HEADS.get(word);
  if (head !== undefined) return { kind: 'teenHead', value: head };
  const tens = TENS.get(word);
  if (tens !== undefined) return { kind: 'tens', value: tens };
  if (HUNDRED_WORDS.has(word)) return { kind: 'hundred', value: 100 };
  if (TWO_HUNDRED_WORDS.has(word)) return { kind: 'hundred', value: 200 };
  for (const [pattern, value] of FUSED_HUNDREDS) if (pattern.test(word)) return { kind: 'hundred', value };
  for (const [pattern, value] of FUSED_TEENS) if (pattern.test(word)) return { kind: 'teen', value };
  if (HALF_WORDS.has(word)) return { kind: 'half', value: 0.5 };
  if (QUARTER_WORDS.has(word)) return { kind: 'quarter', value: 0.25 };
  return null;
}

/** Prefixes that may be attached to a number word: و "and", ب "at/with", ال "the". */
const PREFIXES: readonly { prefix: string; withAnd: boolean }[] = [
  { prefix: 'و', withAnd: true },
  { prefix: 'وال', withAnd: true },
  { prefix: 'وب', withAnd: true },
  { prefix: 'ب', withAnd: false },
  { prefix: 'ال', withAnd: false },
  { prefix: 'بال', withAnd: false },
];

/** What number role a normalised word can play, or null when it is not a number word. */
export function classifyNumberWord(word: string): NumberWord | null {
  const digits = DIGITS.exec(word);
  if (digits !== null) {
    const literal = digits[0];
    return { kind: 'digits', value: Number.parseFloat(literal), withAnd: word.startsWith(AND_WORD), literal };
  }
  const bare = classifyBare(word);
  if (bare !== null) return { ...bare, withAnd: false };
  // Before the other prefixes: "الحادي" is an ordinal, not the "احد" of "احد عشر".
  for (const { prefix, withAnd } of ORDINAL_PREFIXES) {
    const ordinal = word.startsWith(prefix) ? ORDINALS.get(word.slice(prefix.length)) : undefined;
    if (ordinal !== undefined) return { kind: 'ordinal', value: ordinal.value, feminine: ordinal.feminine, withAnd };
  }
  for (const { prefix, withAnd } of PREFIXES) {
    if (!word.startsWith(prefix) || word.length - prefix.length < 2) continue;
    const stripped = classifyBare(word.slice(prefix.length));
    if (stripped !== null) return { ...stripped, withAnd };
  }
  return null;
}

/**
 * Number words the reader does not read: scales ("الف ومية" must not come out as 100) and
 * fractions other than a half and a quarter ("تمانية وتلاتين وتلت" must not come out as 38).
 */
const UNREAD_WORDS: ReadonlySet<string> = new Set([
  ...['الف', 'الفين', 'الفان', 'الاف', 'الوف', 'مليون', 'ملايين', 'مليار'],
  ...['ثلث', 'تلت', 'ثلثين', 'تلتين', 'ثلثان', 'ارباع', 'اخماس', 'اعشار'],
]);
/** Prefixes that attach to a number without being read with it: "من خمسة لستة", "عالخمسة". */
const OTHER_PREFIXES: readonly string[] = ['ل', 'لل', 'ف', 'فال', 'ك', 'كال', 'ع', 'عال', 'عل'];

/**
 * Whether a word the reader left over still names a number ("لستة", "وألف"), so that an answer
 * with it is not taken as the one number read. "احد" alone is a weekday or "anyone", not a number.
 */
export function mentionsNumber(word: string): boolean {
  const bare = word.startsWith(AND_WORD) ? word.slice(AND_WORD.length) : word;
  if (UNREAD_WORDS.has(word) || UNREAD_WORDS.has(bare)) return true;
  const named = (candidate: string) => {
    const found = classifyNumberWord(candidate);
    return found !== null && found.kind !== 'teenHead';
  };
  if (named(word)) return true;
  return OTHER_PREFIXES.some((prefix) => bare.startsWith(prefix) && bare.length - prefix.length >= 2 && named(bare.slice(prefix.length)));
}

/** "خمستيام": a count run together with the days it counts (Levantine "خمس تيام"). */
const RUN_TOGETHER_DAYS = 'تيام';
/** Units the recogniser runs into the number before them: "سبعينسنه". */
const RUN_TOGETHER_UNITS: readonly string[] = ['سنه', 'كيلو'];
const COUNTS: ReadonlySet<NumberWordKind> = new Set(['unit', 'ten', 'teen', 'tens', 'hundred']);

/**
 * A number the recogniser wrote as one word: "ثمانيهوثلاثين" (ثمانيه وثلاثين), "عشرينوخمسه",
 * "خمستيام" (خمس ايام), "ميهوعشرين" (ميه وعشرين), "سبعينسنه" (سبعين سنه). Null when the word is
 * not two such parts: each part must be a number word on its own, a unit with tens either way
 * round or a hundred before either, or a number and then its unit.
 */
export function splitRunTogether(word: string): string[] | null {
  if (classifyNumberWord(word) !== null) return null;
  if (word.endsWith(RUN_TOGETHER_DAYS) && word.length > RUN_TOGETHER_DAYS.length + 1) {
    const count = classifyBare(word.slice(0, -RUN_TOGETHER_DAYS.length));
    if (count?.kind === 'unit') return [word.slice(0, -RUN_TOGETHER_DAYS.length), 'ايام'];
  }
  for (let at = word.indexOf(AND_WORD, 2); at > 0 && at < word.length - 2; at = word.indexOf(AND_WORD, at + 1)) {
    const left = classifyBare(word.slice(0, at));
    const right = classifyBare(word.slice(at + 1));
    if (left === null || right === null) continue;
    if ((left.kind === 'unit' && right.kind === 'tens') || (left.kind === 'tens' && right.kind === 'unit')) return [word.slice(0, at), word.slice(at)];
    // "ميهوعشرين": a hundred, then what it is added to.
    if (left.kind === 'hundred' && ['unit', 'ten', 'teen', 'tens'].includes(right.kind)) return [word.slice(0, at), word.slice(at)];
  }
  // "سبعينسنه"، "ستينكيلو": a number run together with the unit it counts.
  for (const unit of RUN_TOGETHER_UNITS) {
    if (!word.endsWith(unit) || word.length - unit.length < 3) continue;
    const count = classifyBare(word.slice(0, -unit.length));
    if (count !== null && COUNTS.has(count.kind)) return [word.slice(0, -unit.length), unit];
  }
  return null;
}
