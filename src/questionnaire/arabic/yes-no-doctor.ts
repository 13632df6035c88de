/**
 * What the doctor said or did, told beside the caller's own answer: "اي عندي بس الدكتور قال عادي"
 * (yes: the doctor's "normal" is not the caller's "fine"), "الدكتور عطاني مسكن وراح الوجع" (no:
 * it went). The doctor's part is set aside and the caller's own words answer; the doctor's words
 * alone answer nothing. Normalised spelling (see normalize.ts).
 */

import * as lexicon from './yes-no-lexicon';
import { words } from './word-list';


const DOCTORS = words('الدكتور الدكتوره الطبيب الطبيبه الحكيم');
/** "وفعلا": "and indeed", agreeing with the doctor; not a yes of its own. */
const INDEED = words('فعلا فعلاً بالفعل');
const I_WORDS = words('انا اني');

/** The doctor speaks to the caller: "قال عندك" is "I have", "ما فيك شي" is "nothing in me". */
const SAID_TO_ME: ReadonlyMap<string, string> = new Map([
  ['عندك', 'عندي'],
  ['عندكي', 'عندي'],
  ['ماعندك', 'ماعندي'],
  ['فيك', 'فيني'],
  ['فيكي', 'فيني'],
  ['معك', 'معي'],
  ['معاك', 'معي'],
  ['انك', 'اني'],
]);

const bare = (token: string): string => (token.length > 2 && /^[وف]/.test(token) ? token.slice(1) : token);

/** A word that, with "و" ("والحين"، "وراح"، "وما"), opens the caller's own clause after the doctor's. */
function opensOwnClause(token: string): boolean {
  if (!/^و/.test(token) || token.length < 3) return false;
  const word = token.slice(1);
  return (
    lexicon.NOW_MARKERS.has(word) ||
    lexicon.RESOLVED_WORDS.has(word) ||
    lexicon.RETURNED_WORDS.has(word) ||
    lexicon.NEGATORS.has(word) ||
    lexicon.POSSESSION_WORDS.has(word) ||
    lexicon.FEELING_VERBS.has(word) ||
    lexicon.STILL_WORDS.has(word) ||
    INDEED.has(word) ||
    I_WORDS.has(word)
  );
}

/**
 * The caller's own words around what the doctor said or did, or null when no doctor opens a part
 * of the answer. The doctor's part runs from "الدكتور" to the first "و…" that opens the caller's
 * own clause (or a "but"), else to the end.
 */
export function besideTheDoctor(tokens: readonly string[]): { own: string[][]; doctor: string[] } | null {
  const start = tokens.findIndex((token, index) => DOCTORS.has(bare(token)) && (index === 0 || lexicon.CONTRAST_WORDS.has(tokens[index - 1] as string) || token.startsWith('و')));
  if (start < 0) return null;
  let end = start + 1;
  while (end < tokens.length && !opensOwnClause(tokens[end] as string) && !lexicon.CONTRAST_WORDS.has(tokens[end] as string)) end += 1;
  const before = tokens.slice(0, start);
  if (lexicon.CONTRAST_WORDS.has(before.at(-1) ?? '')) before.pop();
  const after = tokens.slice(end);
  if (lexicon.CONTRAST_WORDS.has(after[0] ?? '')) after.shift();
  else if (after.length > 0) after[0] = (after[0] as string).slice(1);
  // "وفعلا لا اشعر بشيء": "indeed" agrees with the doctor and adds nothing.
  while (after.length > 0 && INDEED.has(after[0] as string)) after.shift();
  const own = [before, after].filter((part) => part.length > 0);
  return { own, doctor: tokens.slice(start + 1, end).map((token) => SAID_TO_ME.get(token) ?? token) };
}
