/**
 * The one number a caller gave in a sentence, or null when there is not exactly one number that
 * is certainly what was said. Asking again is safe; a number the caller did not give is not.
 * The words are read by number-grammar.ts; this decides what the readings amount to.
 *
 * Refused (null): an approximate, bounding, uncertain or denied number ("حوالي", "فوق", "يمكن",
 * "مش", "الا ربع"), two different numbers ("سبعة تمانية", "سبعة وتمانية"), a number word left
 * over or cut short ("عشرين لخمسة", "الف ومية", "تسعة و…"), a count in a unit the question is
 * not asked in. Kept: the same number said twice, a score "سبعة من عشرة", and the number after
 * "قصدي" in a correction.
 */

import { tokenizeArabic } from './normalize';
import { isAgeWord, isBecame, isBirthWord, isChange, isCorrection, deniesAt, isDenial, isFiller, isHedge, SCALE_MAXIMUM, withoutWhenCompleted, SCALE_WORDS, unitFamily } from './number-cues';
import { type Found, findNumbers } from './number-grammar';
import { AND_WORD, DECIMAL_MARKERS, splitRunTogether } from './number-lexicon';
import { inQuestionUnit } from './number-units';

/** "كل": every. */
const EVERY_WORDS: ReadonlySet<string> = new Set(['كل']);
import { CONTRAST_WORDS, NOW_MARKERS, PAST_VERBS } from './time-words';

export interface ParsedNumber {
  value: number;
  /** the normalised span that was read */
  source: string;
}

export interface NumberContext {
  /**
   * The question's unit ("يوم", "سنة"): a count in that unit is kept, in another one refused.
   * Without one, a count in days is kept ("تلات ايام": days are what count questions ask for),
   * unless the caller speaks of an age ("عمره تلات ايام" is not three years).
   */
  unit?: string;
  /**
   * The question as asked. One that asks for no time or age ("كم درجة الألم عندك؟") is not
   * answered by "من يومين" (for two days): that says since when, and is set aside.
   */
  question?: string;
}

/** "سبعة من عشرة": a 10 right after "من" following a score up to 10 is the scale, not an answer. */
function withoutScale(tokens: readonly string[], found: readonly Found[]): Found[] {
  return found.filter((number, position) => {
    const before = found[position - 1];
    if (before === undefined || number.value !== SCALE_MAXIMUM || number.joined) return true;
    const marker = tokens[number.start - 1];
    const isScale = marker !== undefined && SCALE_WORDS.has(marker) && before.end === number.start - 1;
    return !(isScale && before.value !== null && before.value <= SCALE_MAXIMUM);
  });
}

/** A number after a birth word, before any "بس" that turns away from it. */
function bornIn(after: readonly string[]): boolean {
  const turn = after.findIndex((token) => CONTRAST_WORDS.has(token));
  return findNumbers(turn < 0 ? after : after.slice(0, turn)).length > 0;
}

const DEFAULT_UNIT_FAMILY = 'day';

/** A question about a time or an age: "منذ كم يوم بدأت الأعراض؟"، "كم عمرك؟"، "متى؟". */
const ASKS_ABOUT_TIME = /(يوم|ايام|اسبوع|اسابيع|شهر|اشهر|شهور|سنه|سنين|سنوات|عمر|منذ|متي|مده|ساعه|ساعات|دقيقه|دقايق)/;
const TIME_FAMILIES = new Set(['hour', 'day', 'week', 'month', 'year']);
const SINCE = new Set(['من', 'منذ']);

/**
 * "وقف الوجع من يومين، صفر": to a question that asks for no time, "من يومين"، "من تلات ايام"،
 * "من ساعه" say since when, and are set aside. ("قبل يومين كان تسعة" is what it was then, and is
 * left for the rest to refuse; so is any answer with "كان".)
 */
function withoutSince(tokens: readonly string[]): string[] {
  if (tokens.some((token) => PAST_VERBS.has(token.replace(/^و(?=.{3})/, '')))) return [...tokens];
  const numbers = findNumbers(tokens);
  const kept: string[] = [];
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index] as string;
    if (SINCE.has(token)) {
      // "من يومين"، "من اسبوع": the unit said as the count; "من تلات ايام": a count, then its unit.
      const next = tokens[index + 1] ?? '';
      const number = numbers.find((found) => found.start === index + 1);
      const unitAt = number === undefined || TIME_FAMILIES.has(unitFamily(next) ?? '') ? index + 1 : number.end;
      if (TIME_FAMILIES.has(unitFamily(tokens[unitAt] ?? '') ?? '')) {
        index = unitAt;
        continue;
      }
    }
    kept.push(token);
  }
  return kept;
}
const NO = 'لا';


function unitsAllowed(tokens: readonly string[], context: NumberContext): boolean {
  const asked =
    context.unit !== undefined
      ? tokenizeArabic(context.unit).map(unitFamily).find(Boolean)
      : tokens.some(isAgeWord)
        ? undefined
        : DEFAULT_UNIT_FAMILY;
  return tokens.every((token) => {
    const said = unitFamily(token);
    return said === undefined || said === asked;
  });
}

/**
 * A pause the recogniser punctuated: a number never spans one ("تلاتة، مية" is not 300). A point
 * or comma between digits of any script is a decimal point ("٣٨،٥").
 */
const PAUSE = /[\u061B\u061F;!?:\n]|(?<!\p{Nd})[.,\u060C]|[.,\u060C](?!\p{Nd})/u;

/** Signs that make a written number a bound, an approximation or a percentage ("38+", "~39"). */
const BOUND_SIGNS = /[+<>~≈±%٪≤≥]/;

/**
 * Hesitations are dropped where the number goes on with a marked part ("تسعة وتلاتين، يعني، ونص",
 * "سبعة وتلاتين امم فاصلة خمسة"). Elsewhere one stays as a boundary: "ست يعني مية واتنين" may be
 * a six corrected to 102, so it is not read as 602.
 */
function withoutFillers(tokens: readonly string[]): string[] {
  const kept: string[] = [];
  for (const [index, token] of tokens.entries()) {
    if (!isFiller(token)) {
      kept.push(token);
      continue;
    }
    const following = tokens.slice(index + 1).find((next) => !isFiller(next));
    const continues = following !== undefined && (following.startsWith(AND_WORD) || DECIMAL_MARKERS.has(following));
    if (!continues) kept.push(token);
  }
  return kept;
}

/** The number the caller gave, or null when there is none or it is not certain (see above). */
export function parseNumber(text: string, context: NumberContext = {}): ParsedNumber | null {
  if (BOUND_SIGNS.test(text)) return null;
  const asked = context.unit === undefined ? undefined : tokenizeArabic(context.unit).map(unitFamily).find(Boolean);
  const clauses = text
    .split(PAUSE)
    .map((clause) => tokenizeArabic(clause).flatMap((token) => splitRunTogether(token) ?? [token]))
    .map(withoutFillers)
    .map((clause) => (asked === 'year' ? withoutWhenCompleted(clause) : clause))
    .map((clause) => inQuestionUnit(clause, asked))
    .map((clause) => (context.question !== undefined && !ASKS_ABOUT_TIME.test(tokenizeArabic(context.question).join(' ')) ? withoutSince(clause) : clause));
  const tokens = clauses.flat();
  if (tokens.some(isHedge) || !unitsAllowed(tokens, context)) return null;
  // "كل يومين"، "كل تلات اسابيع": every so often is a period, not the number asked for.
  if (tokens.some((token, index) => EVERY_WORDS.has(token) && findNumbers(tokens.slice(index + 1)).some((number) => number.start === 0))) return null;
  // "كان عشرة بس هلا خف": what it was, then a change; "السكر كان مية وتمانين الصبح" stays a reading.
  const bare = (token: string) => token.replace(/^و(?=.{3})/, '');
  if (tokens.some((token) => PAST_VERBS.has(bare(token))) && tokens.some((token) => NOW_MARKERS.has(token) || CONTRAST_WORDS.has(token))) return null;
  // "كان عمري عشرين"، "لما كنت بعمر الاربعين": an age in the past is not the age now.
  // ("كم كان عمرك لما بدأ السكري؟" asks an age in the past, and is answered so.)
  const question = context.question === undefined ? [] : tokenizeArabic(context.question);
  const asksPast = question.some((word) => PAST_VERBS.has(word));
  const asksAge = question.some((word) => word.includes('عمر'));
  if (!asksPast && (asksAge || tokens.some(isAgeWord)) && tokens.some((token) => PAST_VERBS.has(bare(token)))) return null;
  // "من مواليد الستين": a year of birth; "تولدت ايام الطيبين بس بالبطاقه ثمانين" turns to the age after "بس".
  if (tokens.some((token, index) => isBirthWord(token) && bornIn(tokens.slice(index + 1)))) return null;
  // "نقصت وايد، اخر مره وزنت كان خمسه وستين": beside a change, the number is not what it is now.
  const changed = tokens.findIndex(isChange);
  if (changed >= 0 && !tokens.slice(changed + 1).some((token) => isBecame(token) || NOW_MARKERS.has(bare(token)))) return null;
  let offset = 0;
  let denied = false;
  const inClauses = clauses.flatMap((clause) => {
    const read = findNumbers(clause);
    // "تسعة وتلاتين مو اربعين": a number, then another denied right before it; the first stands.
    const [said, other] = read;
    const deniedOther = read.length === 2 && said !== undefined && other !== undefined && !other.joined && other.value !== said.value && clause.every((token, index) => !isDenial(token) || index === other.start - 1) && isDenial(clause[other.start - 1] ?? '');
    const here = (deniedOther ? read.slice(0, 1) : read).map((number) => ({ ...number, start: number.start + offset, end: number.end + offset }));
    offset += clause.length;
    if (here.length > 0 && clause.some((_, index) => deniesAt(clause, index)) && !deniedOther) denied = true;
    return here;
  });
  if (denied) return null;
  let found = withoutScale(tokens, inClauses);
  // "ثمانية لا لا سبعة"، "تسعة لا خليها ستة": a "no" between two numbers takes the first one back.
  const takenBack = (index: number): boolean =>
    tokens[index] === NO && found.some((number) => number.end <= index) && found.some((number) => number.start > index);
  const correction = tokens.reduce((last, token, index) => (isCorrection(token) || takenBack(index) ? index : last), -1);
  // "تسعة وتلاتين لا قصدي…" with the correction lost: the number before it was withdrawn.
  if (correction >= 0) found = found.filter((number) => number.start > correction);
  // "سبعة، لا": the only number taken back, with nothing in its place.
  if (correction < 0 && tokens.at(-1) === NO && found.length > 0) return null;
  const [first, ...rest] = found;
  if (first === undefined || first.value === null) return null;
  const sameAgain = rest.every((number) => number.value === first.value && !number.joined);
  return sameAgain ? { value: first.value, source: tokens.slice(first.start, first.end).join(' ') } : null;
}
