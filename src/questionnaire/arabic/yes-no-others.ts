/**
 * An answer about someone else: "هي اللي عندها"، "اختي عندها"، "امي عندها بس انا لا". What another
 * person has is never a yes for the caller. Only what the caller says of themself after it ("انا
 * لا بس اختي عندها") may stand, and only as a no; anything else is asked again.
 * Normalised spelling (see normalize.ts).
 */

import type { YesNo } from './yes-no';
import * as lexicon from './yes-no-lexicon';
import { bare, words } from './word-list';


/** He/she/they has it, or it hurts him/her: "عنده"، "عندها"، "ماعندهاش"، "يوجعه". */
const THIRD_PERSON_HAVING = words(`
  عنده عندو عنداه عندها عندهم عندهن ماعنده ماعندو ماعندها ماعندهم معندوش معندهاش
  يوجعه يوجعها بيوجعه بيوجعها توجعه توجعها يعوره يعورها يجيه يجيها بيجيه بيجيها جاه جاها اجاه اجاها
`);
/** The caller speaking of themself: "انا لا"، Iraqi "آني". */
const I_WORDS = words('انا اني انى انا');


/** Someone else is said to have it (or not). */
export function namesSomeoneElse(tokens: readonly string[]): boolean {
  return tokens.some((token) => THIRD_PERSON_HAVING.has(token) || THIRD_PERSON_HAVING.has(bare(token)));
}

/**
 * The caller's own answer beside what someone else has: the part between "but"s that speaks of the
 * caller ("انا لا"، "انا ما عندي") and not of the other, read by `read`; a no stands, anything
 * else ('uncertain'). Call only when namesSomeoneElse.
 */
export function ownAnswer(tokens: readonly string[], read: (tokens: readonly string[]) => YesNo | null): YesNo {
  const parts: string[][] = [[]];
  for (const token of tokens) {
    if (lexicon.CONTRAST_WORDS.has(token)) parts.push([]);
    else parts.at(-1)?.push(token);
  }
  const own = parts.filter((part) => part.length > 0 && !namesSomeoneElse(part) && part.some((token) => I_WORDS.has(bare(token))));
  if (own.length !== 1) return 'uncertain';
  return read(own[0] as string[]) === 'no' ? 'no' : 'uncertain';
}
