/**
 * "ما يخليني"، "ما بيسيبنيش"، "ما يفارقني ابدا": it never leaves me, which on a frequency scale is
 * "always". Read as "دايما" before matching, so that the negation is not taken for a denial of
 * the caller's answer ("ما يتركني ابدا" was read as "never"). A leave verb followed by another
 * verb ("ما يخليني انام": it does not let me sleep) says something else and is left as it is.
 * Normalised spelling (see normalize.ts).
 */

import { isFiller, isNegator } from './choice-negation';
import { words } from './word-list';


/** "Leaves me": Gulf and Levantine "يخليني"، "يفارقني"، "يتركني"، Egyptian "بيسيبني"، Levantine "بيفكني". */
const LEAVES_ME = words(`
  يخليني بيخليني يخلينيش بيخلينيش يفارقني بيفارقني يفارقنيش بيفارقنيش يتركني بيتركني يتركنيش بيتركنيش
  يسيبني بيسيبني يسيبنيش بيسيبنيش بيسبنيش يفكني بيفكني يفكنيش بيفكنيش
`);
/** What may follow without changing it: "ابدا"، "خالص"، "ولا لحظه". */
const AT_ALL = words('ابدا ابد خالص ولا لحظه دقيقه يوم ساعه ليل نهار');
const ALWAYS = 'دايما';

/** The negator that opens "never leaves me" (also run together: "مايخليني"), or -1. */
function leavesAt(clause: readonly string[]): number {
  return clause.findIndex((word, index) => {
    const fused = word.startsWith('ما') && LEAVES_ME.has(word.slice(2));
    if (!fused && !(isNegator(word) && LEAVES_ME.has(clause[index + 1] ?? ''))) return false;
    const after = clause.slice(index + (fused ? 1 : 2));
    return after.every((next) => AT_ALL.has(next) || isFiller(next));
  });
}

/** The clause with "never leaves me" (and what follows it) read as "دايما". */
export function neverLeaves(clause: readonly string[]): string[] {
  const at = leavesAt(clause);
  return at < 0 ? [...clause] : [...clause.slice(0, at), ALWAYS];
}
