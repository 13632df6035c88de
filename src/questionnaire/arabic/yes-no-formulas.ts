/**
 * Words said in passing that open with "لا" but answer nothing: a religious formula ("لا اله الا
 * الله"، "لا حول ولا قوه الا بالله") and a plea not to hang up ("لا لا ما تسكر"). Read as part of the
 * answer, their "لا" is a no: "لا اله الا الله، اي عندي" is a yes. They are set aside before the
 * answer is read. Normalised spelling (see normalize.ts).
 */

import { tokenizeClauses } from './normalize';
import * as lexicon from './yes-no-lexicon';
import { words } from './word-list';

const phrases = (list: readonly string[]): readonly (readonly string[])[] => list.map((phrase) => phrase.split(' '));

/** Longest first: "لا حول ولا قوه الا بالله" before "لا حول". */
const FORMULAS = phrases([
  'لا اله الا الله محمد رسول الله',
  'لا اله الا الله',
  'لا حول ولا قوه الا بالله',
  'لا حول ولا قوه الا بالله العلي العظيم',
  'لا حول ولا قوه',
  'لا حول الله',
  'لا حول',
].sort((a, b) => b.length - a.length));

/** "تسكر"، "تقفلي"، "تقطعي الخط": hanging up, said to the caller's listener. */
const HANG_UP = words('تسكر تسكري تسكرين تسكروا تسكرو تقفل تقفلي تقفلين تقفلوا تقفلو تقطع تقطعي تقطعين');
/** What may follow the verb: "الخط"، "عليا". */
const HANG_UP_OBJECT = words('الخط الخطه التلفون الهاتف التليفون عليا علي عليه');

function formulaAt(tokens: readonly string[], index: number): number {
  for (const formula of FORMULAS) {
    if (formula.every((word, offset) => tokens[index + offset] === word || (offset === 0 && tokens[index] === `و${word}`))) return formula.length;
  }
  return 0;
}

/**
 * "لا لا ما تسكر"، "لا تقفلي الخط": only no-particles, a negator and a verb of hanging up. The
 * caller asks the listener to stay on the line; the "لا" is not about the question.
 */
function pleaNotToHangUp(clause: readonly string[]): boolean {
  const verb = clause.findIndex((token) => HANG_UP.has(token));
  if (verb < 1) return false;
  const before = clause.slice(0, verb);
  const negated = before.at(-1) === lexicon.LA || lexicon.NEGATORS.has(before.at(-1) ?? '');
  const onlyNo = before.every((token) => token === lexicon.LA || lexicon.NO_WORDS.has(token) || lexicon.NEGATORS.has(token) || lexicon.FILLER_WORDS.has(token));
  const after = clause.slice(verb + 1).every((token) => HANG_UP_OBJECT.has(token) || lexicon.FILLER_WORDS.has(token) || lexicon.COURTESY_WORDS.has(token));
  return negated && onlyNo && after;
}

/**
 * The text with formulas and pleas not to hang up taken out, its clauses joined by "،" (a
 * question mark kept); '' when nothing else was said; null when there was none to take out.
 */
export function withoutFormulas(text: string): string | null {
  let found = false;
  const kept: string[][] = [];
  for (const clause of tokenizeClauses(text)) {
    if (pleaNotToHangUp(clause)) {
      found = true;
      continue;
    }
    const rest: string[] = [];
    for (let index = 0; index < clause.length; ) {
      const length = formulaAt(clause, index);
      if (length > 0) {
        found = true;
        index += length;
      } else {
        rest.push(clause[index] as string);
        index += 1;
      }
    }
    if (rest.length > 0) kept.push(rest);
  }
  if (!found) return null;
  const question = /[?\u061F]\s*$/.test(text) ? '؟' : '';
  return kept.length === 0 ? '' : `${kept.map((clause) => clause.join(' ')).join('، ')}${question}`;
}

/** "God willing": a hedge alone ("ان شاء الله"), a blessing beside a plain no. */
const GOD_WILLING = phrases(['ان شاء الله', 'ان شالله', 'انشاء الله', 'انشالله', 'انشاءالله']);

/** The words without "ان شاء الله", or null when it is not said. */
export function withoutGodWilling(tokens: readonly string[]): string[] | null {
  for (let index = 0; index < tokens.length; index++) {
    const phrase = GOD_WILLING.find((words) => words.every((word, offset) => tokens[index + offset] === word));
    if (phrase !== undefined) return [...tokens.slice(0, index), ...tokens.slice(index + phrase.length)];
  }
  return null;
}
