/**
 * A yes/no answer taken back in the same breath: "اه لا لا ما في"، "لا اه في شوي"، "نعم عفوا لا".
 * The caller's last clear answer is the one they mean, when it is clearly said: after a word that
 * marks a correction ("عفوا"، "اقصد"، "استني"), as the opposite particle said twice ("لا لا"), or
 * as the opposite particle with a statement that agrees with it ("اه في شوي"). What came before
 * must be only particles and bare statements ("لا ماكو"): "اه عندي صداع، لا ما عندي حراره" names
 * two things, and which one the question asked about is not known, so it is asked again.
 */

import { emptyCues, meansAny, readClause } from './yes-no-cues';
import * as lexicon from './yes-no-lexicon';
import type { YesNo } from './yes-no';

type Polarity = 'yes' | 'no';

/** Words that take back what was just said: "sorry", "I mean", "wait". */
export const CORRECTION_MARKERS = new Set(['عفوا', 'اقصد', 'قصدي', 'بقصد', 'استني', 'استنا', 'لحظه', 'اسف', 'اسفه', 'sorry']);

/** The answer a word gives at `index`; "اي" that means "any" ("ما عندي اي الم") gives none. */
function polarityAt(tokens: readonly string[], index: number): Polarity | null {
  return meansAny(tokens, index) ? null : polarity(tokens[index]);
}

function polarity(token: string | undefined): Polarity | null {
  if (token === undefined) return null;
  if (token === lexicon.LA || lexicon.NO_WORDS.has(token)) return 'no';
  if (lexicon.YES_WORDS.has(token) || lexicon.YES_PATTERNS.some((pattern) => pattern.test(token))) return 'yes';
  if (lexicon.CLAUSE_INITIAL_YES.has(token) || token === lexicon.AMBIGUOUS_YES) return 'yes';
  return null;
}

/** Only particles, fillers and bare statements ("لا ماكو"، "ايوه عندي"): nothing named, no time, nothing hedged. */
export function namesNothing(tokens: readonly string[]): boolean {
  const cues = emptyCues();
  readClause(tokens, cues, () => false);
  return cues.unexplained === 0 && cues.hedge === 0 && cues.nonAnswer === 0 && cues.aside === 0 && !tokens.some((token) => lexicon.PAST_VERBS.has(token));
}

/**
 * The answer the caller corrected themselves to, or null when the text holds no such correction.
 * `read` reads the corrected part (with the question's context); it must come out as the
 * correcting particle says, or there is no clear correction.
 */
export function correctedAnswer(tokens: readonly string[], endsWithQuestionMark: boolean, read: (text: string) => YesNo | null): YesNo | null {
  const opening = tokens.findIndex((_token, index) => polarityAt(tokens, index) !== null);
  if (opening < 0 || !tokens.slice(0, opening).every((token) => lexicon.FILLER_WORDS.has(token) || lexicon.EMPHASIS.has(token))) return null;
  const first = polarity(tokens[opening]);
  const turn = tokens.findIndex((_token, index) => index > opening && polarityAt(tokens, index) !== null && polarityAt(tokens, index) !== first);
  if (turn < 0) return null;
  const said = polarity(tokens[turn]) as Polarity;
  const head = tokens.slice(0, turn);
  const marked = head.some((token) => CORRECTION_MARKERS.has(token));
  if (!namesNothing(head.filter((token) => !CORRECTION_MARKERS.has(token)))) return null;
  const tail = tokens.slice(turn);
  const repeated = polarity(tail[1]) === said;
  if (!marked && !repeated && tail.length < 2) return null;
  const reading = read(`${tail.join(' ')}${endsWithQuestionMark ? '؟' : ''}`);
  return reading === said ? said : null;
}
