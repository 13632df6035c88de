/**
 * Matches a caller's words against a question's options: display text, synonyms and built-in
 * scale forms (scale-lexicon.ts), tolerant of recognition spelling variance, or the option's
 * position ("التاني"، "رقم ثلاثة"). Negation, doubt and two options at once are read per named
 * option (choice-mentions.ts, choice-negation.ts) and asked again unless certain.
 */

import { defersAnswer, expressesDoubt, isApproximator, isDiminisher, isFiller, isIntensifier, isNegator, isUnclearNegator, negatesAdverb } from './choice-negation';
import { neverLeaves } from './choice-constant';
import { danglingNegators, freeNegators, hasFreeQualifier, type Mention, mentionsIn, phrasesOf, scalePoints, spellingDistance } from './choice-mentions';
import { tokenizeArabic, tokenizeClauses } from './normalize';
import type { ScalePoint } from './scale-lexicon';
import { parseNumber } from './parse-number';
import { CONTRAST_WORDS, NOW_MARKERS, PAST_VERBS } from './time-words';

export interface ChoiceOption {
  code: string;
  display: string;
  synonyms?: string[];
}

export type ChoiceMatch = { kind: 'match'; code: string } | { kind: 'ambiguous'; codes: string[] };

/** A whole phrase heard outranks any partial match; each spelling edit costs a little. */
const FULL_PHRASE_WEIGHT = 1000;
const PARTIAL_WORD_WEIGHT = 100;
const EDIT_PENALTY = 10;

/** Words too common to identify an option when only part of a phrase was heard. */
const STOPWORDS = new Set(['في', 'من', 'على', 'علي', 'الى', 'الي', 'عن', 'مع', 'او', 'و', 'ما', 'لا', 'كل', 'مش', 'مو']);

/** Words that say how much of something: a partial match without them changes the meaning. */
const QUANTIFIERS = new Set(['كل', 'بعض', 'اغلب', 'معظم', 'نص', 'كم']);

const ORDINAL_WORDS: ReadonlyMap<string, number> = new Map([
  ...['الاول', 'الاولي', 'الاوله'].map((word): [string, number] => [word, 1]),
  ...['الثاني', 'التاني', 'الثانيه', 'التانيه'].map((word): [string, number] => [word, 2]),
  ...['الثالث', 'التالت', 'الثالثه', 'التالته'].map((word): [string, number] => [word, 3]),
  ...['الرابع', 'الرابعه'].map((word): [string, number] => [word, 4]),
  ...['الخامس', 'الخامسه'].map((word): [string, number] => [word, 5]),
  ...['السادس', 'السادسه'].map((word): [string, number] => [word, 6]),
  ...['السابع', 'السابعه'].map((word): [string, number] => [word, 7]),
  ...['الثامن', 'التامن', 'الثامنه', 'التامنه'].map((word): [string, number] => [word, 8]),
  ...['التاسع', 'التاسعه'].map((word): [string, number] => [word, 9]),
  ...['العاشر', 'العاشره'].map((word): [string, number] => [word, 10]),
]);
/** "اول واحد"، "تاني وحده": bare ordinals count only before one of these. */
const ORDINAL_HEADS: ReadonlyMap<string, number> = new Map([
  ['اول', 1],
  ['اولي', 1],
  ['ثاني', 2],
  ['تاني', 2],
  ['ثالث', 3],
  ['تالت', 3],
]);
const ONE_OF = new Set(['واحد', 'وحده', 'خيار', 'اختيار', 'شي', 'جواب']);
const LAST_WORDS = new Set(['الاخير', 'الاخيره']);
const LAST_HEAD = 'اخر';
const LAST = -1;
const NUMBER_HEADS = new Set(['رقم', 'الرقم', 'خيار', 'الخيار', 'اختيار', 'الاختيار', 'option', 'number']);

function withoutAnd(word: string): string {
  return word.length > 3 && word.startsWith('و') ? word.slice(1) : word;
}

/** The 1-based position the caller named, LAST for "the last one", or null. */
function namedPosition(heard: readonly string[]): number | null {
  for (let index = 0; index < heard.length; index += 1) {
    const word = withoutAnd(heard[index] ?? '');
    const next = heard[index + 1];
    const ordinal = ORDINAL_WORDS.get(word);
    if (ordinal !== undefined) return ordinal;
    if (LAST_WORDS.has(word)) return LAST;
    const head = ORDINAL_HEADS.get(word);
    if (head !== undefined && next !== undefined && ONE_OF.has(next)) return head;
    if (word === LAST_HEAD && next !== undefined && ONE_OF.has(next)) return LAST;
    if (NUMBER_HEADS.has(word)) {
      const number = parseNumber(heard.slice(index + 1, index + 4).join(' '));
      if (number !== null && Number.isInteger(number.value) && number.value > 0) return number.value;
    }
  }
  return null;
}

function isContentWord(word: string): boolean {
  return !STOPWORDS.has(word) && Array.from(word).length >= 3;
}

interface Score {
  value: number;
  /** No spelling edits were needed. */
  exact: boolean;
}

function better(candidate: Score | null, current: Score | null): boolean {
  return candidate !== null && (current === null || candidate.value > current.value);
}

/** Score of one option phrase against the heard words, or null when it does not match. */
function phraseScore(heard: readonly string[], phrase: readonly string[]): Score | null {
  let best: Score | null = null;
  for (let start = 0; start + phrase.length <= heard.length; start += 1) {
    let edits = 0;
    const matches = phrase.every((word, offset) => {
      const distance = spellingDistance(heard[start + offset] ?? '', word);
      if (distance === null) return false;
      edits += distance;
      return true;
    });
    const score = { value: FULL_PHRASE_WEIGHT * phrase.length - EDIT_PENALTY * edits, exact: edits === 0 };
    if (matches && better(score, best)) best = score;
  }
  if (best !== null || phrase.length === 1) return best;
  // "بعض الايام" is not "ايام" and "كل يوم" is not "يوم بعد يوم": a quantifier must be heard on both sides.
  const heardQuantifiers = heard.filter((word) => QUANTIFIERS.has(word));
  const phraseQuantifiers = phrase.filter((word) => QUANTIFIERS.has(word));
  if (!phraseQuantifiers.every((word) => heardQuantifiers.includes(word))) return null;
  if (heardQuantifiers.length > 0 && phraseQuantifiers.length === 0) return null;
  let found = 0;
  let edits = 0;
  for (const word of phrase.filter(isContentWord)) {
    const distances = heard.map((token) => spellingDistance(token, word)).filter((d): d is number => d !== null);
    if (distances.length === 0) continue;
    found += 1;
    edits += Math.min(...distances);
  }
  return found === 0 ? null : { value: PARTIAL_WORD_WEIGHT * found - EDIT_PENALTY * edits, exact: edits === 0 };
}

function optionScore(heard: readonly string[], option: ChoiceOption): Score | null {
  let best: Score | null = null;
  for (const text of [option.display, ...(option.synonyms ?? [])]) {
    const phrase = tokenizeArabic(text);
    if (phrase.length === 0) continue;
    const score = phraseScore(heard, phrase);
    if (better(score, best)) best = score;
  }
  return best;
}

function byPosition(heard: readonly string[], options: readonly ChoiceOption[]): ChoiceMatch | null {
  const position = namedPosition(heard);
  if (position === null) return null;
  const option = position === LAST ? options[options.length - 1] : options[position - 1];
  return option === undefined ? null : { kind: 'match', code: option.code };
}

/** Partial and positional reading, for answers that name no whole option. */
function byPartsOrPosition(heard: readonly string[], options: readonly ChoiceOption[]): ChoiceMatch | null {
  let best: Score | null = null;
  let bestCodes: string[] = [];
  for (const option of options) {
    const score = optionScore(heard, option);
    if (score === null) continue;
    if (better(score, best)) {
      best = score;
      bestCodes = [option.code];
    } else if (score.value === best?.value && !bestCodes.includes(option.code)) {
      bestCodes.push(option.code);
    }
  }
  const [only] = bestCodes;
  const unique = bestCodes.length === 1 && only !== undefined ? { kind: 'match' as const, code: only } : null;
  if (unique !== null && best?.exact) return unique;
  const positional = byPosition(heard, options);
  if (positional !== null) return positional;
  if (unique !== null) return unique;
  return bestCodes.length > 1 ? { kind: 'ambiguous', codes: bestCodes } : null;
}

function inOptionOrder(codes: Iterable<string>, options: readonly ChoiceOption[]): string[] {
  const wanted = new Set(codes);
  return options.map((option) => option.code).filter((code) => wanted.has(code));
}

/** Points that are themselves negative: "لا ابدا"، "ما صار ابدا"، "لا ما في" keep their meaning. */
const NEGATIVE_POINTS = new Set(['never', 'none']);
/** Points one step from an end of the scale: "كتير اوي" may be "always", "قليل جدا" "never". */
const INNER_POINTS = new Set(['often', 'rarely']);

/** The ends of a scale, where "almost" reaches the point beside them. */
/** Words that may stand between a withdrawn option and its replacement: "لا لا"، "لا قصدي"، "لا خليها". */
const TAKING_BACK = new Set(['لا', 'قصدي', 'اقصد', 'خليها', 'خليه', 'استني', 'يعني']);
/** "بطلته لا لا باخده كل يوم": after the "no", saying again that they take it, then how often. */
const TAKING_IT = new Set(['اخذه', 'اخده', 'اخدو', 'اخذها', 'اخدها', 'باخذه', 'باخده', 'باخدو', 'باخذها', 'باخدها', 'اتناوله', 'اتناولها', 'بتناوله', 'بتناولها']);

/** Where the option that replaces a withdrawn one starts, or null when nothing was taken back. */
function correctedFrom(heard: readonly string[], phrases: ReturnType<typeof phrasesOf>): number | null {
  const mentions = mentionsIn(heard, phrases);
  let from: number | null = null;
  for (let index = 1; index < mentions.length; index += 1) {
    const before = mentions[index - 1] as Mention;
    const after = mentions[index] as Mention;
    const gap = heard.slice(before.end, after.start);
    const no = gap.indexOf('لا');
    const restated = (word: string, at: number) => at > no && TAKING_IT.has(word);
    if (no >= 0 && gap.every((word, at) => TAKING_BACK.has(word) || isFiller(word) || restated(word, at))) from = after.start;
  }
  return from;
}

/** "كنت"، "كان" opening the answer: the past, before what is now. */
const PAST_OPENERS = new Set([...PAST_VERBS, 'كنت', 'زمان', 'قبل']);

/**
 * Where the present part of "كان دايما بس الحين احيانا" begins: an answer that opens in the past
 * and turns with "بس"/"لكن" to something more. Null when it does not.
 */
function thenButNow(heard: readonly string[]): number | null {
  if (!PAST_OPENERS.has(heard[0] ?? '')) return null;
  const contrast = heard.findIndex((word, index) => index > 1 && CONTRAST_WORDS.has(word));
  // "كنت اخده كل يوم بس": what was, and a "but" left hanging: nothing is said of now.
  if (contrast === heard.length - 1) return heard.length;
  return contrast > 0 ? contrast + 1 : null;
}

/** A plain "no" said of now, after what was ("اليوم لا" is today only, not stopped). */
const NO = 'لا';
const NOW_NOT_TODAY = new Set([...NOW_MARKERS].filter((word) => word !== 'اليوم' && word !== 'النهارده' && word !== 'النهاردا'));

/** "او": alternatives offered. */
const ALTERNATIVE_WORDS = new Set(['او']);
/** "رجعت اخده": took it up again, after stopping. */
const RESUMED_WORDS = new Set(['رجعت', 'ورجعت', 'عاودت', 'رجعتله', 'رجعتلها']);

type Points = ReadonlyMap<string, ScalePoint>;

/** "شويهبس": "بس" run into an option's word, as speech-to-text sometimes writes it. */
const ONLY = 'بس';

function splitOnly(clause: readonly string[], phrases: ReturnType<typeof phrasesOf>): string[] {
  const known = new Set(phrases.flatMap((phrase) => phrase.words));
  return clause.flatMap((word) => {
    const stem = word.slice(0, -ONLY.length);
    return word.endsWith(ONLY) && Array.from(stem).length >= 3 && known.has(stem) ? [stem, ONLY] : [word];
  });
}

/** Counted doses: "حبتين" (two pills), "ثلاث مرات" after a number. */
const DOSES = new Set(['حبه', 'حبتين', 'قرص', 'قرصين', 'مرتين']);
const COUNTED_DOSES = new Set(['حبه', 'حبات', 'حبوب', 'قرص', 'اقراص', 'مره', 'مرات']);

function isCount(word: string): boolean {
  const number = parseNumber(word);
  return number !== null && Number.isInteger(number.value) && number.value >= 1 && number.value <= 10;
}

/**
 * "كل يوم حبتين"، "يوميا ثلاث مرات": asked how often a medicine is taken, a dose said beside the
 * option is how much at a time, not "a little" or "sometimes". Words of a named option stay.
 */
function withoutDoses(clause: readonly string[], phrases: ReturnType<typeof phrasesOf>): string[] {
  const mentions = mentionsIn(clause, phrases);
  const named = (at: number) => mentions.some((m) => at >= m.start && at < m.end);
  const dropped = new Set<number>();
  clause.forEach((word, at) => {
    if (named(at)) return;
    if (DOSES.has(word)) dropped.add(at);
    const count = at - 1;
    if (COUNTED_DOSES.has(word) && count >= 0 && !named(count) && isCount(clause[count] ?? '')) {
      dropped.add(at);
      dropped.add(count);
    }
  });
  return clause.filter((_, at) => !dropped.has(at));
}

/** The answer's clauses as the matcher reads them. */
function clausesOf(text: string, options: readonly ChoiceOption[], phrases: ReturnType<typeof phrasesOf>, points: Points): string[][] {
  const isAdherence = options.every((option) => points.get(option.code)?.scale === 'adherence');
  const isFrequency = options.every((option) => points.get(option.code)?.scale === 'frequency');
  return tokenizeClauses(text)
    .map((clause) => splitOnly(clause, phrases))
    .map((clause) => (isFrequency ? neverLeaves(clause) : clause))
    .map((clause) => (isAdherence ? withoutDoses(clause, phrases) : clause))
    .filter((clause) => clause.length > 0);
}

/** "ما قدرت انام" (I could not sleep): what a severe pain or symptom stops the caller doing. */
const ABLE = new Set(['قدرت', 'اقدر', 'بقدر', 'قادر', 'قادره', 'كدرت', 'اكدر', 'اقدرش', 'قدرتش']);
const DAILY_ACTIVITIES = new Set(['انام', 'نام', 'نمت', 'امشي', 'اتحرك', 'اقوم', 'اشتغل', 'اتنفس', 'اوقف']);

/** Scale points between the ends, which "not very" bears out: "متوسط يعني مو مره"، "احيانا بس مش كتير". */
const MIDDLE_POINTS = new Set(['moderate', 'sometimes']);

/**
 * A negation that bears out the option named rather than denying anything: "شديد جدا ما قدرت انام"
 * when severe is all that was named, and "not very" closing a clause right after a middle point.
 */
function bearsOut(clause: readonly string[], index: number, mentions: readonly Mention[], allSevere: boolean, points: Points): boolean {
  const next = clause[index + 1] ?? '';
  if (allSevere && ABLE.has(next) && DAILY_ACTIVITIES.has(clause[index + 2] ?? '')) return true;
  if (!negatesAdverb(clause[index] ?? '') || !isIntensifier(next) || index + 2 !== clause.length) return false;
  const before = mentions.filter((m) => m.end <= index).at(-1);
  if (before === undefined || before.negated || !MIDDLE_POINTS.has(pointOf(before, points) ?? '')) return false;
  return clause.slice(before.end, index).every((word) => isFiller(word) || word === ONLY);
}

/**
 * "لا ما بدوخ ابدا"، "لا ما عندي ولا شي": a "no" opening the answer, then a negated sentence with a
 * negative point in it, says that point again (negative concord, as "لا ابدا").
 */
function opensConcord(clause: readonly string[], index: number, mentions: readonly Mention[], points: Points): boolean {
  if (index !== 0 || clause[0] !== 'لا' || !isNegator(clause[1] ?? '')) return false;
  return mentions.length > 0 && mentions.every((m) => NEGATIVE_POINTS.has(pointOf(m, points) ?? ''));
}

function pointOf(mention: Mention, points: Points): string | undefined {
  const [code] = mention.codes;
  return mention.codes.length === 1 && code !== undefined ? points.get(code)?.point : undefined;
}

/**
 * Arabic negative concord: a negator before "ابدا" or "ما في" that is not "مش ابدا", or "لا"
 * before a negative phrase ("لا مش موافق"), leaves the option as it is.
 */
function withConcord(mention: Mention, points: Points): Mention {
  if (!mention.negated) return mention;
  const keep = { ...mention, negated: false, negator: null, negatorAt: -1 };
  // "لا مش موافق"، "لا ما اوافق": "no" before a negative phrase agrees with it.
  if (mention.negator === 'لا' && mention.negative) return keep;
  const point = pointOf(mention, points);
  if (point === undefined || !NEGATIVE_POINTS.has(point)) return mention;
  return mention.negator === 'لا' || !mention.negatedDirectly ? keep : mention;
}

/** The answer cannot be read as said: "لا" or "ولا" before an option, or a word after it that shifts it. */
function isUnclear(mention: Mention, points: Points): boolean {
  if (mention.negator !== null && isUnclearNegator(mention.negator)) return true;
  // "تقريبا كل يوم"، "تقريبا ابدا": almost that option may be the one beside it.
  if ([mention.previous, mention.next].some((word) => word !== null && isApproximator(word))) return true;
  const next = mention.next;
  if (next === null) return false;
  if (isDiminisher(next)) return true;
  if (!isIntensifier(next)) return false;
  const point = pointOf(mention, points);
  return mention.negative || (point !== undefined && INNER_POINTS.has(point));
}

/**
 * "مش دايما" on a frequency scale is "sometimes"; any other negated option, or a negation that
 * does not stand right before the option ("ما آخذها كل يوم"), leaves the answer open.
 */
function readNegation(mention: Mention, options: readonly ChoiceOption[], points: Points): ChoiceMatch {
  const others = options.map((option) => option.code).filter((code) => !mention.codes.includes(code));
  const isFrequencyScale = options.length >= 3 && options.every((option) => points.get(option.code)?.scale === 'frequency');
  const sometimes = options.filter((option) => points.get(option.code)?.point === 'sometimes');
  const [onlySometimes] = sometimes;
  const notAlways = pointOf(mention, points) === 'always' && mention.negatedDirectly && negatesAdverb(mention.negator ?? '');
  if (notAlways && isFrequencyScale && sometimes.length === 1 && onlySometimes !== undefined) return { kind: 'match', code: onlySometimes.code };
  return { kind: 'ambiguous', codes: others };
}

/**
 * The option the caller chose. Whole phrases are found first: the clinic's display and synonyms,
 * and built-in scale forms for displays the scale lexicon knows (the clinic's own words win).
 * One option named and not negated: that option, whatever other options were named negated
 * ("مش شديد، خفيف"). Two named, a negated one alone (except "not always" on a frequency scale),
 * a negation of nothing named, a comparison ("اقل من متوسط") or doubt ("مدري"، "يمكن"):
 * 'ambiguous' or null, so the caller is asked again. With no whole phrase, single words of an
 * option or its position ("التاني"، "رقم ثلاثة") decide; a position wins over a misspelt match
 * ("واحد" is one edit from "وايد").
 */
export function matchChoice(text: string, options: readonly ChoiceOption[]): ChoiceMatch | null {
  if (options.length === 0) return null;
  const phrases = phrasesOf(options);
  const points = scalePoints(options);
  const clauses = clausesOf(text, options, phrases, points);
  const heard = clauses.flat();
  if (heard.length === 0) return null;
  // "كان دايما بس الحين احيانا"، "كنت اخده كل يوم بس بطلت": what was, then what is; what is answers.
  const turn = thenButNow(heard);
  if (turn !== null) {
    const now = turn < heard.length ? matchChoice(heard.slice(turn).join(' '), options) : null;
    if (now?.kind === 'match') return now;
    // "كنت اخذه كل يوم بس الحين لا": taken then, and now a plain no: stopped.
    const stopped = options.find((option) => points.get(option.code)?.point === 'stopped');
    const nowSaid = heard.slice(turn);
    const plainNo = nowSaid.includes(NO) && nowSaid.every((word) => word === NO || NOW_NOT_TODAY.has(word));
    return stopped !== undefined && plainNo ? { kind: 'match', code: stopped.code } : { kind: 'ambiguous', codes: [] };
  }
  // "شديد لا متوسط"، "موافق لا لا مش موافق": the caller took the first option back; the last one stands.
  // Within one clause only: "موافق، لا مش موافق" (a pause between) is asked again.
  const [onlyClause] = clauses;
  const corrected = clauses.length === 1 && onlyClause !== undefined ? correctedFrom(onlyClause, phrases) : null;
  if (corrected !== null) return matchChoice(heard.slice(corrected).join(' '), options);
  const perClause = clauses.map((clause) => mentionsIn(clause, phrases));
  // A clinic may list "لا أعرف" as an option: words of doubt inside an option are that option.
  const unnamed = clauses.flatMap((clause, index) => clause.filter((_, at) => !(perClause[index] ?? []).some((m) => at >= m.start && at < m.end)));
  if (expressesDoubt(unnamed) || defersAnswer(unnamed)) return null;
  const negators = clauses.reduce((count, clause, index) => count + freeNegators(clause, perClause[index] ?? []), 0);
  // "لا، شديد": a "no" of its own before the answer negates nothing in it.
  const firstNamed = perClause.findIndex((found) => found.length > 0);
  const standsAlone = (clause: readonly string[], index: number) => index < firstNamed && clause.every((word) => isNegator(word) || isFiller(word));
  const everyNamed = perClause.flat();
  const allSevere = everyNamed.length > 0 && everyNamed.every((m) => !m.negated && pointOf(m, points) === 'severe');
  const dangling = clauses.reduce((count, clause, index) => {
    if (standsAlone(clause, index)) return count;
    const found = perClause[index] ?? [];
    return count + danglingNegators(clause, found, (m) => pointOf(m, points) === 'sometimes', (at) => bearsOut(clause, at, found, allSevere, points) || opensConcord(clause, at, found, points));
  }, 0);
  if (clauses.some((clause, index) => hasFreeQualifier(clause, perClause[index] ?? []))) return null;
  const mentions = perClause.flat().map((m) => withConcord(m, points));
  if (mentions.length === 0) return negators === 0 ? byPartsOrPosition(heard, options) : null;
  const named = inOptionOrder(mentions.flatMap((m) => m.codes), options);
  if (dangling > 0 || mentions.some((m) => isUnclear(m, points))) return { kind: 'ambiguous', codes: named };
  // "كتير كتير": "a lot" said twice may be more than "often".
  if (mentions.some((m, index) => index > 0 && m.start === (mentions[index - 1] as Mention).end && m.end - m.start === 1 && isIntensifier(heard[m.start] ?? '') && pointOf(m, points) === 'often')) return { kind: 'ambiguous', codes: named };
  const positional = negators === 0 ? byPosition(heard, options) : null;
  // "خفيف او شديد، الاول": a position settles several named options only from a clause of its own.
  const apart = clauses.filter((_, index) => (perClause[index] ?? []).length === 0).flat();
  const positionalApart = negators === 0 && apart.length > 0 ? byPosition(apart, options) : null;

  const affirmed = mentions.filter((m) => !m.negated);
  const negated = mentions.filter((m) => m.negated);
  const affirmedCodes = new Set(affirmed.flatMap((m) => m.codes));
  const negatedCodes = new Set(negated.flatMap((m) => m.codes));
  const contradicted = [...affirmedCodes].some((code) => negatedCodes.has(code));
  // "ابدا مش دايما" is "not always at all", not "never": a negative point beside a negation is unclear.
  const negativeBesideNegation = negated.length > 0 && affirmed.some((m) => m.negative || NEGATIVE_POINTS.has(pointOf(m, points) ?? ''));
  // "كل يوم او كل يومين": the caller offers alternatives. "وقفته بس رجعت اخده": stopped, then resumed.
  if (positionalApart === null && heard.some((word) => ALTERNATIVE_WORDS.has(word) || RESUMED_WORDS.has(word))) return { kind: 'ambiguous', codes: named };
  const [only] = affirmedCodes;
  if (affirmedCodes.size === 1 && only !== undefined && !contradicted && !negativeBesideNegation) {
    const exact = affirmed.every((m) => m.edits === 0);
    return exact || positional === null ? { kind: 'match', code: only } : positional;
  }
  if (affirmedCodes.size > 1 && positionalApart !== null) return positionalApart;
  if (affirmedCodes.size > 0) return { kind: 'ambiguous', codes: named };
  const [alone] = negated;
  if (negated.length === 1 && alone !== undefined) return readNegation(alone, options, points);
  return { kind: 'ambiguous', codes: inOptionOrder(options.map((o) => o.code).filter((code) => !negatedCodes.has(code)), options) };
}
