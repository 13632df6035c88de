/**
 * What the caller cannot do, said beside a symptom: "ما اقدر اتكلم زين من الكحه" (I cannot talk
 * for the cough), "الصدر يوجعني وما اقدر اطلع الدرج". Asked "do you have it?", the inability
 * says it is there, or backs a yes already said. Asked "can you…?", the same words are a no, so
 * a question about ability is never read here (readClause asks again). Only ever a yes: an
 * inability beside a "no" is left to the rest, which asks again. Normalised spelling (see normalize.ts).
 */

import { normalizeArabic } from './normalize';
import type { YesNo } from './yes-no';
import * as lexicon from './yes-no-lexicon';

/** "هل تستطيع…؟"، "بتقدر…؟": the question asks what the caller can do. */
const ASKS_ABILITY = /(تستطيع|تقدر|قادر|تتمكن|يمكنك|بامكانك|باستطاعتك|تقوي)/;
/**
 * "هل عندك…؟"، "هل تشعر…؟": the question asks whether the caller has or feels something. Asked
 * "هل تمشي بدون مساعده؟", "ما اقدر امشي من الوجع" is a no: only a question of having is read here.
 */
const ASKS_HAVING = /(عندك|لديك|تشعر|تحس|حاسس|تعاني|يوجد|هل في|هل فيه|شعرت|عانيت|اصبت|صعوبه)/;
/** "من الكحه"، "من كثر الوجع": because of. */
const BECAUSE = 'من';
const MUCH = new Set(['كثر', 'كتر', 'شده', 'قوه']);

const namesSymptom = (word: string | undefined): boolean => word !== undefined && (lexicon.SYMPTOM_NOUNS.has(word) || (/^[وف]/.test(word) && lexicon.SYMPTOM_NOUNS.has(word.slice(1))));

/** The index of a negator before "اقدر" ("ما اقدر"، "وما اقدر"), or -1. */
function cannotAt(tokens: readonly string[]): number {
  return tokens.findIndex((token, index) => lexicon.NEGATORS.has(token.replace(/^و(?=ما$)/, '')) && lexicon.ABLE_WORDS.has(tokens[index + 1] ?? '') && tokens[index + 2] !== undefined);
}

/**
 * 'yes' when an inability is blamed on a symptom ("من الكحه") or stands beside an answer that
 * reads yes without it; null otherwise, and always when the question asks about ability.
 */
export function unableBecauseOfIt(tokens: readonly string[], question: string, read: (tokens: readonly string[]) => YesNo | null): YesNo | null {
  const asked = normalizeArabic(question);
  if (ASKS_ABILITY.test(asked) || !ASKS_HAVING.test(asked)) return null;
  const cannot = cannotAt(tokens);
  if (cannot < 0) return null;
  const contrast = tokens.findIndex((token, index) => index > cannot && lexicon.CONTRAST_WORDS.has(token));
  const end = contrast < 0 ? tokens.length : contrast;
  const span = tokens.slice(cannot + 2, end);
  const rest = [...tokens.slice(0, cannot), ...tokens.slice(end)];
  // Any other negation or "no" may deny the symptom: not read here.
  const denies = rest.some((token) => token === lexicon.LA || lexicon.NO_WORDS.has(token) || lexicon.NEGATORS.has(token.replace(/^و(?=ما$)/, '')) || lexicon.NEGATED_EXISTENCE.has(token));
  if (denies || cannotAt(rest) >= 0) return null;
  const blamed = span.some((token, index) => token === BECAUSE && (namesSymptom(span[index + 1]) || (MUCH.has(span[index + 1] ?? '') && namesSymptom(span[index + 2]))));
  if (blamed) return 'yes';
  return rest.length > 0 && read(rest) === 'yes' ? 'yes' : null;
}
