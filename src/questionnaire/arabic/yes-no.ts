/**
 * Answers to yes/no questions. Ambiguity becomes 'uncertain' so that the questionnaire asks for
 * confirmation instead of guessing.
 *
 * Check detectIntent first: "ما ابي اكمل" (stop) would otherwise read as a plain "no".
 */

import { tokenizeArabic, tokenizeClauses } from './normalize';
import { fuzzyWordDistance } from './word-forms';
import { emptyCues, readClause, type YesNoCues } from './yes-no-cues';

export type YesNo = 'yes' | 'no' | 'uncertain';

export interface YesNoContext {
  /**
   * Verbs of the question that the caller may echo ("تدخن" for "هل تدخن؟"): "بدخن" then
   * reads as yes and "ما بدخن" as no.
   */
  questionWords?: readonly string[];
}

const QUESTION_MARK = /[?\u061F]\s*$/;

function questionWordMatcher(context: YesNoContext | undefined): (word: string) => boolean {
  const references = (context?.questionWords ?? []).flatMap((word) => tokenizeArabic(word));
  if (references.length === 0) return () => false;
  return (word) => references.some((reference) => fuzzyWordDistance(word, reference) !== null);
}

function decide(cues: YesNoCues, endsWithQuestionMark: boolean): YesNo | null {
  const statement = cues.existYes > 0 || cues.existNo > 0;
  if (cues.nonAnswer > 0 && !statement) return null;
  if (cues.hedge > 0 || cues.weakHedge > 0) return 'uncertain';

  const otherCues =
    cues.yes + cues.no + cues.existYes + cues.existNo + cues.weakYes + cues.emphaticYes + cues.emphasis;
  // A lone "ايه" may be Egyptian "what?"; "ايه ايه" is nobody's "what?".
  if (cues.ambiguousYes === 1 && otherCues === 0) return 'uncertain';
  // Here "ايه" has company ("ايه والله"، "ايه عندي"), so it is the Gulf/Levantine yes.
  const yesParticles = cues.yes + cues.ambiguousYes;
  const noParticles = cues.no;

  // What the caller says they have or feel outweighs bare particles.
  const saysYes = cues.existYes > 0 || (statement && cues.weakYes > 0);
  const saysNo = cues.existNo > 0;
  if (saysYes && saysNo) return 'uncertain';
  // "لا، عندي ألم شوي": a "no" then an affirmed statement is the caller correcting themselves.
  if (saysYes) return yesParticles > 0 && noParticles > 0 ? 'uncertain' : 'yes';
  if (saysNo) return yesParticles > 0 ? 'uncertain' : 'no';

  if (yesParticles > 0 && noParticles > 0) return 'uncertain';
  if (noParticles > 0) return cues.weakYes > 0 ? 'uncertain' : 'no';
  if (yesParticles > 0) {
    const onlyOneWord = yesParticles === 1 && cues.weakYes + cues.emphaticYes + cues.emphasis === 0;
    return onlyOneWord && endsWithQuestionMark ? 'uncertain' : 'yes';
  }
  if (cues.emphaticYes > 0 || cues.weakYes > 0) return 'yes';
  return null;
}

/**
 * 'yes', 'no' or 'uncertain' (hedges, contradictions, a bare "ايه" that may be Egyptian "what?");
 * null when the text holds no yes/no cue at all.
 */
export function parseYesNo(text: string, context?: YesNoContext): YesNo | null {
  const isQuestionWord = questionWordMatcher(context);
  const cues = emptyCues();
  for (const clause of tokenizeClauses(text)) readClause(clause, cues, isQuestionWord);
  return decide(cues, QUESTION_MARK.test(text));
}
