/**
 * Answers to "are you taking your medicine (as prescribed)?": what the caller says about taking,
 * stopping or forgetting it answers that question and no other. Asked about a symptom, "وقفت
 * الدوا" says nothing; asked about the medicine, it is a no. Only a question that asks whether
 * the medicine is taken counts (see isMedicationQuestion): asked "did you stop any medicine?",
 * the same words are a yes.
 */

import { normalizeArabic } from './normalize';
import type { YesNo } from './yes-no';
import * as lexicon from './yes-no-lexicon';

const words = (list: string): ReadonlySet<string> => new Set(list.trim().split(/\s+/));

const MEDICINE_NOUN = /(دواء|دوا|علاج|حبوب|ادويه|ابر|انسولين)/;
const TAKING_VERB = /(تاخذ|تاخد|تتناول|تستعمل|تستخدم|ملتزم|منتظم|ماشي علي)/;
const STOPPING_VERB = /(توقف|وقفت|نسيت|تركت|اوقفت|قطعت|بطلت)/;

/** "هل تأخذ دواءك كما وصفه الطبيب؟" asks whether it is taken; "هل توقفت عن دواء؟" does not. */
export function isMedicationQuestion(question: string): boolean {
  const text = normalizeArabic(question);
  return MEDICINE_NOUN.test(text) && TAKING_VERB.test(text) && !STOPPING_VERB.test(text);
}

/** First-person "I take (it)", Gulf, Levantine, Egyptian, Iraqi and MSA. */
const TAKE = words(`
  اخذ اخذه اخذها اخذهم باخذ باخذه باخذها باخذهم اخد اخده اخدها اخدهم باخد باخده باخدها باخدهم
  ناخذ ناخذه اتناول اتناوله اتناولها بتناول بتناوله بتناولها استعمله استعملها بستعمله بستعملها
  اخذو باخدو باخذو
`);
/** Participles "having taken it": also how "ما اخذه" may be run together, so they need support. */
const TAKEN = words('ماخذ ماخذه ماخذها ماخذهم ماخد ماخده ماخدها ماخدهم');
/** What makes a participle a statement of taking: "كل يوم"، "بانتظام"، "انا ماخده". */
const REGULARLY = words('كل يوميا يوميه بانتظام دايما دايم انا الصبح الليل المسا بالظبط بالضبط');
const STOPPED = words('وقفت وقفته وقفتها بطلت بطلته بطلتها تركت تركته تركتها قطعت قطعته قطعتها');
/** Present "I stop it": "ما بوقفه ابدا" (I never stop it) is a yes. */
const STOPPING = words('بوقفه بوقفها اوقفه اوقفها بطله بطلها ببطله ببطلها بتركه بتركها اتركه اتركها');
/** Not the dose prescribed: half a pill, more when tired, twice instead of three times, ran out. */
const OTHER_DOSE = words('نص نصف ربع بدل بدال بزيد بنقص بقلل زدت نقصت قللت الجرعه جرعه خلص خلصت خلصو خلصوا');
/** What may answer the question plainly ("اي نعم كل يوم"); any other words leave the answer to be asked. */
const PLAIN = words('نعم اي ايوه ايوا اه ايه لا ابدا والله اكيد طبعا الحمد لله الدوا دوا الدواء العلاج علاج حبوب الحبوب يا بنتي ابني حبيبتي عيني الله يسلمك مافي ما في شي');
const FORGOT = words('نسيته نسيتها نسيت بنساه بنساها انساه انساها');
/** "ذي الايام"، "هالفتره": lately, so a forgotten medicine is not being taken. */
const LATELY = words('الايام هالايام الفتره هالفتره اليومين الاسبوع');
const COMPLETE = words('اكمل اكملت كملت اكمله اكملها');
const ABLE = words('قدرت اقدر قادر قادره بقدر');
/** The yes/no negators, and "لا" before a verb ("لا اتناوله"). */
const NEGATORS: ReadonlySet<string> = new Set([...lexicon.NEGATORS, lexicon.LA]);
const NO = lexicon.LA;
/** "لما افتكر"، "اذا تذكرت": taken sometimes. */
const CONDITIONAL = words('لما لمن اذا لو');
/** "احيانا"، "مو كل يوم": not as prescribed, not clearly a no. */
const PARTLY = words('احيانا ساعات مرات بعض احيان');
const WANT = lexicon.WANT_WORDS;
/** The doctor as the subject ("الدكتور وقف الدوا"); family members may be helping the caller take it ("بنتي تجيب لي الدوا وانا اخذه"). */
const THIRD_PARTY = words('الدكتور الدكتوره الطبيب الطبيبه');
const RELATIVE_BEFORE_MA = lexicon.RELATIVE_BEFORE_MA;

/**
 * Yes, no or uncertain for an answer about taking the medicine; null when the answer says
 * nothing of it, for the general reading to decide.
 */
export function readMedicationAnswer(tokens: readonly string[]): YesNo | null {
  if (tokens.some((token) => WANT.has(token))) return null;
  if (THIRD_PARTY.has(tokens[0] ?? '')) return null;
  const negatorAt = (index: number) => index > 0 && NEGATORS.has(tokens[index - 1] as string) && !RELATIVE_BEFORE_MA.has(tokens[index - 2] ?? '');
  const partly = tokens.some((token, index) => PARTLY.has(token) || (token === 'كل' && negatorAt(index)));
  const conditional = tokens.some((token) => CONDITIONAL.has(token));
  // "باخد نص الحبايه بس"، "بزيد الجرعه لما احس بتعب"، "الدوا خلص عندي": not as prescribed, not clearly no.
  if (conditional || tokens.some((token) => OTHER_DOSE.has(token))) return 'uncertain';
  const keeps = tokens.findIndex((token) => STOPPING.has(token));
  if (keeps >= 0) return negatorAt(keeps) ? 'yes' : 'uncertain';

  const forgot = tokens.findIndex((token) => FORGOT.has(token));
  if (forgot >= 0) return tokens.includes(NO) || tokens.some((token) => LATELY.has(token)) ? (partly ? 'uncertain' : 'no') : 'uncertain';

  // "ما قدرت اكمل الدوا"، "لا ما اكملت العلاج": could not, or did not, go on with it.
  const complete = tokens.findIndex((token) => COMPLETE.has(token));
  if (complete >= 0) {
    const unable = complete >= 2 && ABLE.has(tokens[complete - 1] as string) && NEGATORS.has(tokens[complete - 2] as string);
    if (unable || negatorAt(complete)) return 'no';
    return null;
  }

  const stopped = tokens.findIndex((token) => STOPPED.has(token));
  if (stopped >= 0) return negatorAt(stopped) ? null : 'no';

  const take = tokens.findIndex((token) => TAKE.has(token) || (token.length > 3 && /^[وف]/.test(token) && TAKE.has(token.slice(1))));
  const taken = tokens.findIndex((token) => TAKEN.has(token));
  if (take < 0 && taken < 0) {
    // "احيانا"، "الصيدليه ما فيها منه": about the medicine, but not whether it is taken as prescribed.
    if (partly) return 'uncertain';
    return tokens.every((token) => PLAIN.has(token) || REGULARLY.has(token)) ? null : 'uncertain';
  }
  if (take >= 0 && negatorAt(take)) return partly ? 'uncertain' : 'no';
  if (partly || conditional) return 'uncertain';
  // Any other "no" or negator beside a statement of taking leaves it unclear ("لا اخذه").
  const otherNegation = tokens.some((token, index) => NEGATORS.has(token) && !RELATIVE_BEFORE_MA.has(tokens[index - 1] ?? ''));
  if (otherNegation) return 'uncertain';
  if (take >= 0) return 'yes';
  return tokens.some((token) => REGULARLY.has(token)) ? 'yes' : 'uncertain';
}
