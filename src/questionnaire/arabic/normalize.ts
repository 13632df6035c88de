/**
 * Arabic text normalisation for speech-recognition transcripts.
 *
 * Every matcher in this folder compares normalised text with normalised lexicons, so the rules
 * here decide what counts as "the same word": spelling variants of hamza, alef maqsura and taa
 * marbuta collapse, diacritics disappear and digits in any script become ASCII.
 */

const FORMAT_CHARS = /\p{Cf}/gu; // zero-width joiners, bidi marks, Arabic letter mark
const COMBINING_MARKS = /\p{M}/gu; // tashkeel U+064B–U+065F, U+0670, Quranic marks, maddah
const TATWEEL = /\u0640/g;

const LETTER_MAP: ReadonlyMap<string, string> = new Map([
  ['\u0623', '\u0627'], // أ → ا
  ['\u0625', '\u0627'], // إ → ا
  ['\u0622', '\u0627'], // آ → ا
  ['\u0671', '\u0627'], // ٱ → ا
  ['\u0672', '\u0627'], // ٲ → ا
  ['\u0673', '\u0627'], // ٳ → ا
  ['\u0649', '\u064A'], // ى → ي
  ['\u06CC', '\u064A'], // Persian ی → ي
  ['\u0626', '\u064A'], // ئ → ي
  ['\u0624', '\u0648'], // ؤ → و
  ['\u0629', '\u0647'], // ة → ه
  ['\u06C0', '\u0647'], // ۀ → ه
  ['\u06D5', '\u0647'], // ە → ه
  ['\u06A9', '\u0643'], // Persian ک → ك
  ['\u06AF', '\u0642'], // گ → ق: Iraqi and Gulf write the spoken g of ق with it ("شتگول")
  ['\u06A4', '\u0641'], // ڤ → ف
]);
const MAPPED_LETTERS = /[\u0623\u0625\u0622\u0671\u0672\u0673\u0649\u06CC\u0626\u0624\u0629\u06C0\u06D5\u06A9\u06AF\u06A4]/g;

const ARABIC_INDIC_ZERO = 0x0660;
const PERSIAN_ZERO = 0x06f0;
const EASTERN_DIGITS = /[\u0660-\u0669\u06F0-\u06F9]/g;

const ARABIC_DECIMAL_SEPARATOR = /\u066B/g; // ٫
const ARABIC_THOUSANDS_SEPARATOR = /\u066C/g; // ٬
const COMMA_BETWEEN_DIGITS = /(\d)[,\u060C](?=\d)/g; // "38,5" and "38،5"
const STRAY_PERIOD = /(?<!\d)\.|\.(?!\d)/g; // a period that is not a decimal point
const NON_WORD = /[^\p{L}\p{N}\s.]/gu; // punctuation and symbols, Arabic ، ؛ ؟ included
const STRETCHED_LETTER = /(\p{L})\1{2,}/gu;
const WHITESPACE = /\s+/g;

function toAsciiDigit(digit: string): string {
  const code = digit.charCodeAt(0);
  const zero = code >= PERSIAN_ZERO ? PERSIAN_ZERO : ARABIC_INDIC_ZERO;
  return String(code - zero);
}

/**
 * NFKC; removes diacritics and tatweel; unifies alef, yaa, taa marbuta and hamza seats; maps
 * Eastern Arabic and Persian digits to ASCII with "." as decimal point; turns punctuation into
 * spaces; collapses letters stretched three or more times; lowercases Latin; trims whitespace.
 */
export function normalizeArabic(text: string): string {
  return text
    .normalize('NFKC')
    .replace(FORMAT_CHARS, '')
    .replace(COMBINING_MARKS, '')
    .replace(TATWEEL, '')
    .replace(MAPPED_LETTERS, (letter) => LETTER_MAP.get(letter) ?? letter)
    .replace(EASTERN_DIGITS, toAsciiDigit)
    .replace(ARABIC_DECIMAL_SEPARATOR, '.')
    .replace(ARABIC_THOUSANDS_SEPARATOR, '')
    .replace(COMMA_BETWEEN_DIGITS, '$1.')
    .replace(NON_WORD, ' ')
    .replace(STRAY_PERIOD, ' ')
    .replace(STRETCHED_LETTER, '$1')
    .toLowerCase()
    .replace(WHITESPACE, ' ')
    .trim();
}

/** Normalised words of the text, in order. */
export function tokenizeArabic(text: string): string[] {
  const normalized = normalizeArabic(text);
  return normalized === '' ? [] : normalized.split(' ');
}

/** Punctuation that ends a clause (a decimal point or decimal comma between digits does not). */
const CLAUSE_BREAK = /[\u060C\u061B\u061F;!?:\n]|(?<!\d)[.,]|[.,](?!\d)/;

/**
 * Normalised words grouped by the clauses the recogniser punctuated ("لا، عندي ألم" is two
 * clauses), so that a negation never reaches across a comma. Empty clauses are dropped.
 */
export function tokenizeClauses(text: string): string[][] {
  return text
    .split(CLAUSE_BREAK)
    .map(tokenizeArabic)
    .filter((clause) => clause.length > 0);
}
