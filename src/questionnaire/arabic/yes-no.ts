/**
 * Answers to yes/no questions. Ambiguity becomes 'uncertain' so that the questionnaire asks for
 * confirmation instead of guessing.
 *
 * Check detectIntent first: "ما ابي اكمل" (stop) would otherwise read as a plain "no".
 */

import { tokenizeArabic, tokenizeClauses } from './normalize';
import { isMedicationQuestion, readMedicationAnswer } from './medication-answer';
import { fuzzyWordDistance } from './word-forms';
import { bare } from './word-list';
import { correctedAnswer, namesNothing } from './yes-no-correction';
import { answerOnCondition } from './yes-no-condition';
import { emptyCues, readClause, type YesNoCues } from './yes-no-cues';
import * as lexicon from './yes-no-lexicon';
import { besideTheDoctor } from './yes-no-doctor';
import { answerAboutThis, answerBeforeAnEarlierTime, stillThere } from './yes-no-final';
import { withoutFormulas, withoutGodWilling } from './yes-no-formulas';
import { namesSomeoneElse, ownAnswer } from './yes-no-others';
import { statesSymptom, SYMPTOMS } from './yes-no-symptom';
import { unableBecauseOfIt } from './yes-no-unable';
import { readThePastWeek } from './yes-no-week';
import { beyondTheWeek, earlierToday, namesPartOfDay, partOfDayOnly, placedInTheWeek } from './yes-no-when';

export type YesNo = 'yes' | 'no' | 'uncertain';

/** The time the question asks about: now ("do you have it?"), the past ("did you have it this week?"), or not known. */
export type QuestionTense = 'present' | 'past' | 'unknown';

export interface YesNoContext {
  /** Default 'present': most questions ask how the caller is. */
  tense?: QuestionTense;
  /** The question as asked: an answer naming a long-standing condition it does not ask about is not its answer. */
  question?: string;
  /** The question names "now" ("الآن"، "حاليا"): "it comes and goes" does not answer it. */
  now?: boolean;
  /**
   * Verbs of the question that the caller may echo ("تدخن" for "هل تدخن؟"): "بدخن" then
   * reads as yes and "ما بدخن" as no.
   */
  questionWords?: readonly string[];
}

const QUESTION_MARK = /[?\u061F]\s*$/;
const STRETCHED_AYH = /^[اأإ]ي{3,}ه*[.!،,]*$/u;
/** "هييه": a drawn-out Levantine/Iraqi "هيه" said alone is yes ("هيه" alone may be "she"). */
const STRETCHED_HIYEH = /^هي{2,}ه*[.!،,]*$/u;

/**
 * "بيجي وبيروح"، "ساعات اه وساعات لا"، "مرات اكو مرات ماكو": some of the time, which is a yes to
 * "do you have it?" and not an answer to "do you have it now?".
 */
function intermittent(tokens: readonly string[]): boolean {
  const stripped = tokens.map(bare);
  const comes = stripped.some((token) => lexicon.COMES.has(token));
  const goes = stripped.some((token) => lexicon.GOES.has(token));
  if (comes && goes) return true;
  const times = stripped.filter((token) => lexicon.AT_TIMES.has(token));
  if (times.length < 2) return false;
  // Each "time" says something: "ساعات اه وساعات لا"، "مره احس فيه ومره لا".
  const said = stripped.filter((token) => !lexicon.AT_TIMES.has(token));
  return said.length >= 2;
}

function questionWordMatcher(context: YesNoContext | undefined): (word: string) => boolean {
  const references = (context?.questionWords ?? []).flatMap((word) => tokenizeArabic(word));
  if (references.length === 0) return () => false;
  return (word) => references.some((reference) => fuzzyWordDistance(word, reference) !== null);
}

function decide(cues: YesNoCues, endsWithQuestionMark: boolean): YesNo | null {
  const statement = cues.existYes > 0 || cues.existNo > 0;
  if (cues.nonAnswer > 0 && !statement) return null;
  if (cues.hedge > 0) return 'uncertain';
  // "مش كتير بس في"، "اي بس مو دايم"، "شوي بس مو كثير": there, if not much or not always. Alone,
  // "مش كتير" is unclear.
  if (cues.weakHedge > 0) return (cues.existYes > 0 || cues.yes > 0 || cues.ambiguousYes > 0 || cues.weakYes > 0) && cues.existNo === 0 && cues.no === 0 ? 'yes' : 'uncertain';
  // "ما ابي اتعبك" and nothing else: not an answer to the question.
  if (cues.aside > 0 && cues.yes + cues.no + cues.existYes + cues.existNo + cues.weakYes === 0) return 'uncertain';

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
  if (cues.emphaticYes > 0) return 'yes';
  // "شوي"، "مرة وحدة بس" say there is some; "الجو اليوم حار مره" is about something else.
  if (cues.weakYes > 0) return cues.unexplained < 2 ? 'yes' : 'uncertain';
  return null;
}

/** "ايعندي"، "لاماكو": a whole answer the recogniser wrote as one word, a yes or no and what backs it. */
const FUSED_ANSWERS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['اي', new Set(['عندي', 'فيه', 'اكو'])],
  ['لا', new Set(['ماكو', 'مافي', 'مافيش', 'مفيش', 'ماعندي', 'معنديش'])],
]);

function unfused(text: string): string | null {
  const words = tokenizeArabic(text);
  const [only] = words;
  if (words.length !== 1 || only === undefined) return null;
  for (const [answer, backing] of FUSED_ANSWERS) {
    if (only.startsWith(answer) && backing.has(only.slice(answer.length))) return `${answer} ${only.slice(answer.length)}${QUESTION_MARK.test(text) ? '؟' : ''}`;
  }
  return null;
}

/**
 * 'yes', 'no' or 'uncertain' (hedges, contradictions, a bare "ايه" that may be Egyptian "what?");
 * null when the text holds no yes/no cue at all.
 */
export function parseYesNo(text: string, context?: YesNoContext): YesNo | null {
  const fused = unfused(text);
  if (fused !== null) return parseYesNo(fused, context);
  // "لا اله الا الله، اي عندي"، "لا لا ما تسكر، اي عندي": a "لا" that answers nothing is set aside.
  const plain = withoutFormulas(text);
  if (plain !== null) return plain === '' ? null : parseYesNo(plain, context);
  const isQuestionWord = questionWordMatcher(context);
  const tense = context?.tense ?? 'present';
  // "ايييه": a stretched "ايه" is a drawn-out yes, not "what?".
  if (STRETCHED_AYH.test(text.trim()) || STRETCHED_HIYEH.test(text.trim())) return 'yes';
  const all = tokenizeArabic(text);
  // "اه لا لا ما في"، "نعم عفوا لا": the answer the caller corrected themselves to.
  const corrected = correctedAnswer(all, QUESTION_MARK.test(text), (tail) => parseYesNo(tail, context));
  if (corrected !== null) return corrected;
  // "اي عندي بس الدكتور قال عادي": what the doctor said or did is not the caller's answer; their own words are.
  // (A medicine question reads the doctor its own way.)
  const doctor = context?.question !== undefined && isMedicationQuestion(context.question) ? null : besideTheDoctor(all);
  if (doctor !== null) return answerBesideTheDoctor(doctor, context);
  // "لا ان شاء الله ما في": beside "لا" and "ما في" both, "God willing" blesses the no; alone, or
  // beside one of them ("ان شاء الله ما في": hopefully not), it hedges.
  const blessed = withoutGodWilling(all);
  if (blessed !== null && !(context?.question !== undefined && isMedicationQuestion(context.question)) && plainNoTwice(blessed)) return 'no';
  // "تمام" alone is asked again; beside a clear no ("عادي مافي شي") it is that no.
  const fine = all.some((token) => lexicon.FINE_WORDS.has(token));
  if (fine) {
    const rest = tokenizeClauses(text).map((clause) => clause.filter((token) => !lexicon.FINE_WORDS.has(token))).filter((clause) => clause.length > 0);
    if (rest.length === 0) return 'uncertain';
    return parseYesNo(rest.map((clause) => clause.join(' ')).join('، '), context) === 'no' ? 'no' : 'uncertain';
  }
  const tokens = all;
  // "ما عندي دوخه صح؟"، "كان يوم السبت صح؟": the caller asks the bridge to confirm what they name;
  // they are not sure. After a bare answer that names nothing ("عندي شوي صح؟"، "ما في شي صح؟")
  // the tag is a habit of speech, and the answer stands; a lone "اه صح؟" may be "oh, really?".
  if (QUESTION_MARK.test(text) && tokens.length > 1 && lexicon.TAG_WORDS.has(tokens.at(-1) ?? '')) {
    const answer = tokens.slice(0, -1);
    return answer.length > 1 && namesNothing(answer) ? (parseYesNo(answer.join(' '), context) ?? 'uncertain') : 'uncertain';
  }
  // Asked about the past week: the week against now or before, a count, "كنت كويس" (yes-no-week.ts).
  const week = tense === 'past' && !QUESTION_MARK.test(text) ? readThePastWeek(text, tokens, (part) => parseYesNo(part.join(' '), context)) : null;
  if (week !== null) return week;
  // "وقف" to a question about the past week, no days said: it was there, but when it went is not said.
  // ("طبت"، "تعافيت": well again, so it was there.)
  if (tense === 'past' && tokens.some((token) => lexicon.RESOLVED_WORDS.has(token) || lexicon.RESOLVED_WORDS.has(token.replace(/^[وف]/, '')) || lexicon.RECOVERED.has(token.replace(/^[وف]/, ''))) && !tokens.some((token) => lexicon.PAST_MARKERS.has(token))) return 'uncertain';
  // "خالص" alone (Egyptian): not at all.
  if (tokens.length === 1 && tokens[0] === lexicon.NOT_AT_ALL) return 'no';
  // "ايه الله يسلمك": "ايه" with thanks after it is nobody's "what?".
  if (tokens[0] === lexicon.AMBIGUOUS_YES && tokens.length > 1 && tokens.slice(1).every((token) => lexicon.COURTESY_WORDS.has(token))) return 'yes';
  // "وقفت الدوا" answers "are you taking your medicine?" (no) and nothing else.
  if (context?.question !== undefined && isMedicationQuestion(context.question)) {
    const taking = readMedicationAnswer(tokens);
    if (taking !== null) return taking;
  }
  // "مش حاجه كبيره"، "مو شي بسيط": a judgement of how much it matters, not a denial that it is there
  // ("not a big thing" is often a little of it; "not a small thing" is a lot). Asked again.
  if (judgesItsSize(tokens)) return 'uncertain';
  // "هيه اللي عندها"، "امي عندها بس انا لا": what someone else has is not the caller's yes.
  if (namesSomeoneElse(tokens)) return ownAnswer(tokens, (own) => parseYesNo(own.join(' '), context));
  // "عندي صداع بس مو هذا اللي تسال عنه": what the caller has is not what the question asks about.
  if (deniesTheQuestion(tokens)) return 'uncertain';
  // "كل شي بيوجعني بس هاد الشي لا ماعندي": the last part names the thing asked about and answers.
  const aboutThis = answerAboutThis(tokens, (answer) => parseYesNo(answer.join(' '), context));
  if (aboutThis !== null) return aboutThis;
  // "خف شويه بس لسه فيه": still there, said last, is there now.
  if (tense === 'present' && !QUESTION_MARK.test(text) && stillThere(tokens, tokenizeClauses(text)) === 'yes') return 'yes';
  // "احيانا"، "مش دايما"، "يتكرر" to "do you have it now?": how often is not whether it is there now.
  if (context?.now && tokens.some((token, i) => lexicon.HOW_OFTEN.has(token) || lexicon.RECURS.has(token) || (lexicon.EVERY_WORDS.has(token) && lexicon.NEGATORS.has(tokens[i - 1] ?? '')) || (token === lexicon.LENGTH && tokens[i - 1] === lexicon.ON && lexicon.NEGATORS.has(tokens[i - 2] ?? '')))) return 'uncertain';
  // "لا بس لما امشي يجيني" to "do you have it now?": now, no; what brings it on is another time.
  const onCondition = context?.now ? answerOnCondition(tokens, (head) => parseYesNo(head.join(' '), context)) : null;
  if (onCondition !== null) return onCondition;
  // "بالليل بس يجيني" to "do you have it now?": when it comes, not whether it is there.
  if (context?.now && partOfDayOnly(tokens)) return 'uncertain';
  // "لا الحمد لله بس امس كان عندي شوي": now, no; yesterday is another time.
  if (tense === 'present' && !QUESTION_MARK.test(text)) {
    const beforeNow = answerBeforeAnEarlierTime(tokens, (head) => parseYesNo(head.join(' '), context));
    if (beforeNow !== null) return beforeNow;
  }
  // "بس بالليل"، "الصبح بس": only at one part of the day, so it is there (asked about now, see above).
  if (tense === 'present' && !QUESTION_MARK.test(text) && onlyAtPartOfDay(tokens)) return 'yes';
  const when = tense === 'past' ? beyondTheWeek(tokens) : tense === 'present' ? earlierToday(tokens) : null;
  if (when !== null) return when;
  // "امبارح بس"، "من يومين بس": a day inside the week asked about, and nothing else said.
  if (tense === 'past' && !QUESTION_MARK.test(text) && placedInTheWeek(tokens) === 'yes') return 'yes';
  const comesAndGoes = intermittent(tokens);
  if (comesAndGoes) return context?.now ? 'uncertain' : 'yes';
  // "كان فيه ورجع": it was, went and came back.
  const pastAt = tokens.findIndex((token) => lexicon.PAST_VERBS.has(token));
  // ("كان… بس ما رجع" is the opposite: it did not come back.)
  if (pastAt >= 0 && tense !== 'unknown' && tokens.slice(pastAt + 1).some((token, i) => lexicon.RETURNED_WORDS.has(token.replace(/^[وف]/, '')) && !lexicon.NEGATORS.has((tokens[pastAt + i] ?? '').replace(/^و(?=ما$)/, '')))) return 'yes';
  const shift = thenAndNow(tokens);
  if (shift) return answerAcrossTime(shift, tense, isQuestionWord);
  const timed = oneTimeOnly(tokens, tense, context?.now === true);
  if (timed) return timed;
  if (offTopic(tokens, context?.question ?? '')) return null;
  // "ما اقدر اتكلم زين من الكحه": what the caller cannot do for the symptom says it is there.
  if (tense !== 'unknown' && !QUESTION_MARK.test(text) && unableBecauseOfIt(tokens, context?.question ?? '', (rest) => parseYesNo(rest.join(' '), context)) === 'yes') return 'yes';
  // "نفسي ضايق"، "ضيقه نفس شوي": a symptom said to be there, and nothing else said.
  if (tense === 'present' && statesSymptom(tokens, QUESTION_MARK.test(text), context?.question ?? '') === 'yes') return 'yes';
  const clauses = tokenizeClauses(text);
  const reading = readClauses(clauses, isQuestionWord, QUESTION_MARK.test(text));
  // "كان عندي قبل العمليه" to a question about now: it was, and may be gone. ("ما كان عندي" stays no.)
  if (reading === 'yes' && tense === 'present' && tokens.some((token) => lexicon.PAST_VERBS.has(token))) return 'uncertain';
  // "لا ما عندي صح" (said, not asked): "right" agrees with the no.
  const last = clauses.at(-1);
  if (reading === 'uncertain' && last !== undefined && lexicon.TAG_WORDS.has(last.at(-1) ?? '') && clauses.flat().length > 1) {
    const untagged = [...clauses.slice(0, -1), last.slice(0, -1)].filter((clause) => clause.length > 0);
    if (readClauses(untagged, isQuestionWord, false) === 'no') return 'no';
  }
  return reading;
}

/**
 * The caller's own answer beside the doctor's part, or null when they said nothing of their own.
 * When the doctor's words say the opposite ("ما عندي بس الدكتور قال عندك"), asked again.
 */
function answerBesideTheDoctor(parts: { own: string[][]; doctor: string[] }, context: YesNoContext | undefined): YesNo | null {
  if (parts.own.length === 0) return null;
  // The caller's words must answer: a particle, or a statement of having, feeling or its going.
  // ("وانا ما اخذه" after "الدكتور قال لازم اخذ الدوا" is about the medicine.)
  const mine = emptyCues();
  for (const part of parts.own) readClause(part, mine, () => false);
  const particle = parts.own.flat().some((token) => token === lexicon.LA || lexicon.NO_WORDS.has(token) || lexicon.YES_WORDS.has(token) || lexicon.CLAUSE_INITIAL_YES.has(token));
  if (!particle && mine.existYes + mine.existNo === 0) return null;
  const own = parseYesNo(parts.own.map((part) => part.join(' ')).join('، '), context);
  // Only a statement of having it counts against the caller: "قال مش خطير" judges, it does not deny.
  const cues = emptyCues();
  readClause(parts.doctor, cues, () => false);
  const theirs = cues.existYes + cues.existNo > 0 ? parseYesNo(parts.doctor.join(' '), context) : null;
  if ((own === 'yes' && theirs === 'no') || (own === 'no' && theirs === 'yes')) return 'uncertain';
  return own;
}

/** "لا ما في"، "لا ماكو شي": a "لا" first, then a denial of having, and nothing else. */
function plainNoTwice(tokens: readonly string[]): boolean {
  if (tokens[0] !== lexicon.LA || tokens.length < 2) return false;
  const cues = emptyCues();
  // ("ما عندي دوخه": the symptom named is what the question asks about.)
  readClause(tokens.slice(1).filter((token) => !SYMPTOMS.has(token) && !lexicon.SYMPTOM_NOUNS.has(token)), cues, () => false);
  return cues.existNo > 0 && cues.existYes + cues.yes + cues.weakYes + cues.hedge + cues.weakHedge + cues.unexplained + cues.aside + cues.nonAnswer === 0 && !tokens.some((token) => lexicon.PAST_VERBS.has(token) || lexicon.PAST_MARKERS.has(token));
}

/** "اللي تسال عنه"، "اللي سالتي عليه"، "اللي بتقصده": the thing the question asks about. */
const ASKING_VERB = /^(ب|عم)?[تي]?(سال|قصد)/;
const RELATIVES = new Set(['اللي', 'الي', 'الذي', 'يلي', 'التي']);

/**
 * "مو هذا اللي تسال عنه"، "بس مش ده اللي بتسال عليه": the caller says that what they have is not
 * the thing asked about. ("هاد اللي سألتي عنه لا ما في" names it, and is read by the rest.)
 */
function deniesTheQuestion(tokens: readonly string[]): boolean {
  return tokens.some((token, index) => {
    if (!RELATIVES.has(token) || !ASKING_VERB.test(tokens[index + 1] ?? '')) return false;
    const before = tokens.slice(Math.max(0, index - 2), index);
    return before.some((word) => lexicon.NEGATORS.has(word));
  });
}

function readClauses(clauses: readonly (readonly string[])[], isQuestionWord: (word: string) => boolean, endsWithQuestionMark: boolean): YesNo | null {
  const cues = emptyCues();
  for (const clause of clauses) readClause(clause, cues, isQuestionWord);
  return decide(cues, endsWithQuestionMark);
}

/**
 * "الدكتور ما رد علي" (someone else as the subject), "عندي سؤال" or "عندي سكر وضغط" (had, but
 * not what the question asks about): not an answer to it.
 */
function offTopic(tokens: readonly string[], question: string): boolean {
  if (lexicon.THIRD_PARTIES.has(tokens[0] ?? '')) return true;
  if (troubleWithTheCall(tokens)) return true;
  const asked = tokenizeArabic(question);
  return tokens.some((token, i) => {
    const bare = token.replace(/^[وف]/, '');
    if (lexicon.NOT_A_SYMPTOM.has(bare)) return true;
    return i > 0 && lexicon.LONG_STANDING.has(bare) && !asked.some((word) => word.includes(bare.replace(/^ال/, '')));
  });
}

/** "مشكله بالتلفون"، "الخط فيه مشكله": a trouble word within two words of the phone or the line. */
function troubleWithTheCall(tokens: readonly string[]): boolean {
  const phone = (token: string) => [token, token.replace(/^[وف]/, ''), token.replace(/^[وف]?[بلع]/, '')].some((form) => lexicon.PHONE_WORDS.has(form));
  return tokens.some((token, i) => lexicon.TROUBLE_WORDS.has(token.replace(/^[وف]/, '')) && tokens.slice(Math.max(0, i - 2), i + 3).some(phone));
}

/**
 * An answer about one time that is not the question's: "كان عندي قبل العمليه" to a question about
 * now, "الحين لا" to one about the past week: asked again. "مو الحين" (not now) to a question
 * about now is no. Null when the answer names no other time.
 */
function oneTimeOnly(tokens: readonly string[], tense: QuestionTense, now = false): YesNo | null {
  const nowAt = tokens.findIndex((token) => lexicon.NOW_MARKERS.has(token));
  if (tense === 'present') {
    if (nowAt >= 1 && ['مو', 'مش', 'مب', 'ما', 'لا'].includes(tokens[nowAt - 1] as string) && nowAt <= 2) return 'no';
    // "دلوقتي لا بس الصبح كان"، "الحين بالضبط لا…": now, no; what came before does not answer.
    const after = tokens.slice(nowAt + 1).filter((token) => !lexicon.EXACTLY_WORDS.has(token));
    // "الحين لا بس بالليل يجيني": now, no; when it comes is not now.
    const otherTime = namesPartOfDay(tokens) || tokens.some((token) => lexicon.PAST_MARKERS.has(token) || lexicon.PAST_VERBS.has(token));
    if (nowAt === 0 && after[0] === lexicon.LA && otherTime) return 'no';
    // Asked about now, "الحين زين بس ما ادري بالليل": fine now; the night is another time.
    if (now && nowAt === 0 && lexicon.WELL_WORDS.has(after[0] ?? '') && lexicon.CONTRAST_WORDS.has(after[1] ?? '') && otherTime && !after.slice(2).some((token) => lexicon.NOW_MARKERS.has(token))) return 'no';
    return null;
  }
  if (tense === 'past' && nowAt >= 0) return 'uncertain';
  // "قبل العمليه": before an event, which may be before the week asked about.
  if (tense === 'past' && tokens.some((token, i) => token === 'قبل' && (tokens[i + 1] ?? '').startsWith('ال'))) return 'uncertain';
  return null;
}

/**
 * "كان عندي صداع بس الحين زين": what was, then what is. Found when a past marker comes before a
 * now marker, or before a word saying it went away ("كان فيه بس راح"). Null when the caller
 * speaks of one time only.
 */
function thenAndNow(tokens: readonly string[]): { earlier: string[]; now: string[] } | null {
  const past = tokens.findIndex((token) => lexicon.PAST_MARKERS.has(token));
  if (past < 0) {
    // "اه بس هلق راح": an answer, then "but now…".
    const turn = tokens.findIndex((token, index) => index > 0 && lexicon.CONTRAST_WORDS.has(token) && lexicon.NOW_MARKERS.has(tokens[index + 1] ?? ''));
    return turn < 0 ? null : { earlier: tokens.slice(0, turn), now: tokens.slice(turn + 2) };
  }
  const has = (set: ReadonlySet<string>, token: string) => set.has(token) || (token.length > 3 && set.has(token.replace(/^[وف]/, '')));
  for (let index = past + 1; index < tokens.length; index++) {
    const token = tokens[index] as string;
    if (has(lexicon.NOW_MARKERS, token)) {
      // "كان موجودا صباحا ولكن ليس الان"، "كان بس مو هلق": "not now", said last, is now's no.
      const rest = tokens.slice(index + 1);
      if (lexicon.NEGATORS.has(tokens[index - 1] ?? '') && rest.every((word) => lexicon.FILLER_WORDS.has(word))) return { earlier: tokens.slice(0, index - 1), now: [lexicon.LA] };
      return { earlier: tokens.slice(0, index), now: rest };
    }
    // ("كان وما راح": it did not go; no turn to now.)
    if (has(lexicon.RESOLVED_WORDS, token) && !lexicon.NEGATORS.has((tokens[index - 1] ?? '').replace(/^و(?=ما$)/, ''))) return { earlier: tokens.slice(0, index), now: tokens.slice(index) };
    // "كان بس خلاص": it was, and that is over.
    if (token === 'خلاص' && lexicon.CONTRAST_WORDS.has(tokens[index - 1] ?? '') && index === tokens.length - 1) return { earlier: tokens.slice(0, index), now: ['راح'] };
  }
  return null;
}

/**
 * The answer for the time the question asks about. Asked about now: the present part decides
 * (fine, gone, "no" → no; still there → yes). Asked about the past: it was there → yes. Not
 * known, or a part that says nothing clear: ask again.
 */
function answerAcrossTime(shift: { earlier: string[]; now: string[] }, tense: QuestionTense, isQuestionWord: (word: string) => boolean): YesNo {
  const read = (tokens: readonly string[]): YesNo | null => {
    const cues = emptyCues();
    readClause(tokens, cues, isQuestionWord);
    return decide(cues, false);
  };
  // "كان فيه": with "كان" set aside, "فيه" opens the clause and says there was something.
  // "امس كان بس اليوم لا": a day inside the week said before "but now" is a yes to the week.
  if (tense === 'past') return read(shift.earlier.filter((token) => !lexicon.PAST_MARKERS.has(token))) === 'yes' || placedInTheWeek(shift.earlier) === 'yes' ? 'yes' : 'uncertain';
  if (tense === 'unknown') return 'uncertain';
  const bare = (token: string) => token.replace(/^[وف]/, '');
  const now = shift.now.filter((token) => !lexicon.CONTRAST_WORDS.has(token));
  // "بس دلوقتي الحمد لله": thanks for the present is "fine now".
  const thanks = now.length > 0 && now.every((token) => token === 'الحمد' || token === 'لله' || token === 'الحمدلله' || lexicon.FILLER_WORDS.has(token));
  const gone = thanks || now.some((token) => lexicon.RESOLVED_WORDS.has(bare(token)) || lexicon.WELL_WORDS.has(bare(token)));
  // "الحين خف شوي"، "هلق راح شوي": eased, not gone. ("وهلق كمان شوي" says it is there: read below.)
  if (now.some((token) => lexicon.INTENSIFIERS.has(bare(token))) && now.some((token) => lexicon.RESOLVED_WORDS.has(bare(token)) || lexicon.EASED_WORDS.has(bare(token)) || lexicon.WELL_WORDS.has(bare(token)))) return 'uncertain';
  const reading = read(now);
  if (gone) return reading === 'yes' ? 'uncertain' : 'no';
  return reading ?? 'uncertain';
}

/**
 * "بس بالليل"، "الصبح والمسا بس": "only" and parts of the day, nothing else. ("الصبح او الليل" may
 * be the caller asking which, its "؟" lost: not read.)
 */
function onlyAtPartOfDay(tokens: readonly string[]): boolean {
  const only = tokens.filter((token) => token === 'بس' || token === 'فقط');
  const rest = tokens.filter((token) => token !== 'بس' && token !== 'فقط');
  return only.length === 1 && rest.length > 0 && rest.length <= 2 && rest.every((token) => namesPartOfDay([token]));
}

/** How big or serious a thing is: said after "not a thing", it judges the thing rather than denying it. */
const SIZE_WORDS = new Set(['كبير', 'كبيره', 'كبيرة', 'بسيط', 'بسيطه', 'بسيطة', 'خطير', 'خطيره', 'خطيرة', 'مهم', 'مهمه', 'مهمة', 'هين', 'هينه', 'صغير', 'صغيره', 'صغيرة', 'عادي', 'عاديه', 'عادية', 'قليل', 'قليله', 'كثير', 'كتير']);

/** "مش حاجه كبيره"، "مو شي بسيط"، "ما هو شي خطير": a negator, a "thing" word, then its size. */
function judgesItsSize(tokens: readonly string[]): boolean {
  return tokens.some((token, i) => i > 0 && lexicon.NOTHING_WORDS.has(token) && SIZE_WORDS.has(tokens[i + 1] ?? '') && tokens.slice(Math.max(0, i - 2), i).some((before) => lexicon.NEGATORS.has(before)));
}
