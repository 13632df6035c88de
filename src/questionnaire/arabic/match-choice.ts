/**
 * Matches a caller's words against a question's options: display text and synonyms, tolerant of
 * recognition spelling variance, or the option's position ("التاني"، "رقم ثلاثة").
 */

import { tokenizeArabic } from './normalize';
import { parseNumber } from './parse-number';
import { fuzzyWordDistance } from './word-forms';

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
      const distance = fuzzyWordDistance(heard[start + offset] ?? '', word);
      if (distance === null) return false;
      edits += distance;
      return true;
    });
    const score = { value: FULL_PHRASE_WEIGHT * phrase.length - EDIT_PENALTY * edits, exact: edits === 0 };
    if (matches && better(score, best)) best = score;
  }
  if (best !== null || phrase.length === 1) return best;
  let found = 0;
  let edits = 0;
  for (const word of phrase.filter(isContentWord)) {
    const distances = heard.map((token) => fuzzyWordDistance(token, word)).filter((d): d is number => d !== null);
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

/**
 * The option the caller chose: the best display/synonym match (a whole phrase beats single
 * words, exact beats misspelt), or the position they named ("التاني"، "رقم ثلاثة"), which wins
 * over a misspelt match ("واحد" is one edit from "وايد"). 'ambiguous' when options tie; null
 * when nothing matches.
 */
export function matchChoice(text: string, options: readonly ChoiceOption[]): ChoiceMatch | null {
  const heard = tokenizeArabic(text);
  if (heard.length === 0 || options.length === 0) return null;
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
