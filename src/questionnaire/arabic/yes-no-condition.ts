/**
 * When it comes, under a condition: "لما امشي يجيني"، "اذا تعبت بيجي"، "كل ما اطلع الدرج احس
 * بضيق". To "do you have it?" that says it is there (read by the rest); to "do you have it now?"
 * it says when it comes, not whether it is there now. Normalised spelling (see normalize.ts).
 */

import type { YesNo } from './yes-no';
import { conjunctionMa } from './yes-no-cues';
import * as lexicon from './yes-no-lexicon';
import { bare, words } from './word-list';


/** "لما"، "لمن" (when), "اذا" (if), "كلما" (whenever), each before what brings it on. */
const CONDITION_WORDS = words('لما لمن اذا كلما');
/** Before "ما", a condition: "كل ما"، "وقت ما"، "قبل ما"، "بعد ما". ("زي ما"، "من يوم ما" are not.) */
const BEFORE_CONDITIONAL_MA = words('كل وقت قبل بعد');


/** Where a condition opens ("لما امشي"، "وكل ما اكل": at "كل"), or -1. Something must follow it. */
function conditionAt(tokens: readonly string[]): number {
  return tokens.findIndex((token, index) => {
    if (tokens[index + 1] === undefined) return false;
    if (CONDITION_WORDS.has(token) || CONDITION_WORDS.has(bare(token))) return true;
    return tokens[index + 1] === 'ما' && BEFORE_CONDITIONAL_MA.has(bare(token)) && (tokens[index - 1] ?? '') !== 'من' && conjunctionMa(tokens, index + 1);
  });
}

/**
 * Asked about now, an answer that says only when it comes: "لا بس لما امشي يجيني"، "لا ما في بس
 * اذا تعبت يجي" are no (now, no; what brings it on is another time); "لما امشي يجيني" or "اي
 * لما اتعب" alone are asked again. Null when no condition is said, or the answer names now
 * ("هلق لا بس لما امشي": read by the rest).
 */
export function answerOnCondition(tokens: readonly string[], read: (part: readonly string[]) => YesNo | null): YesNo | null {
  const at = conditionAt(tokens);
  if (at < 0 || tokens.some((token) => lexicon.NOW_MARKERS.has(token) || lexicon.NOW_MARKERS.has(bare(token)))) return null;
  // The opening "no", up to the "but" before the condition.
  let head = at;
  if (lexicon.CONTRAST_WORDS.has(tokens[head - 1] ?? '')) head -= 1;
  const before = tokens.slice(0, head);
  const past = before.some((token) => lexicon.PAST_VERBS.has(token) || lexicon.PAST_MARKERS.has(token));
  return head < at && before.length > 0 && !past && read(before) === 'no' ? 'no' : 'uncertain';
}
