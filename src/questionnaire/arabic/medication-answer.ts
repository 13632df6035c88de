/**
 * Answers to "are you taking your medicine (as prescribed)?": what the caller says about taking,
 * stopping or forgetting it answers that question and no other. Asked about a symptom, "وقفت
 * الدوا" says nothing; asked about the medicine, it is a no. Only a question that asks whether
 * the medicine is taken counts (see isMedicationQuestion): asked "did you stop any medicine?",
 * the same words are a yes.
 */

import { findNumbers } from './number-grammar';
import { normalizeArabic } from './normalize';
import type { YesNo } from './yes-no';
import * as lexicon from './yes-no-lexicon';
import { bare, words } from './word-list';


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
/** "ملتزم بالجرعه"، "صرت منتظم": keeping to the prescription, which is what the question asks. */
const KEEPS_TO = words('ملتزم ملتزمه ملتزمين التزم بلتزم منتظم منتظمه');
/** "I stopped it", "I left it" (Gulf "خليته"), MSA "توقفت عن تناوله". */
const STOPPED = words('موقفه موقفها وقفت وقفته وقفتها بطلت بطلته بطلتها تركت تركته تركتها قطعت قطعته قطعتها توقفت اوقفته اوقفتها خليته خليتها');
/** "خليته" is "I left it": stopped, unless left somewhere. */
const LEFT = words('خليته خليتها');
const PLACED = /^(ب|عال|عل|في$|فوق$|تحت$|عند$|جنب$|مع$|هناك$|هنا$|هون$)/;
/** Present "I stop it": "ما بوقفه ابدا" (I never stop it) is a yes. */
const STOPPING = words('بوقفه بوقفها اوقفه اوقفها بطله بطلها ببطله ببطلها بتركه بتركها اتركه اتركها بقطعه بقطعها اقطعه اقطعها');
/** Half or a quarter of what: a pill or a dose ("نص ساعه قبل الاكل" is a time, not a dose). */
const FRACTIONS = words('نص نصف ربع');
const DOSE_NOUNS = words('حبه الحبه حبايه الحبايه حبات قرص القرص الجرعه جرعه الكميه الدوا الدواء ابره الابره');
/** Changing the dose: "بزيد الجرعه"، "قللت الحبوب". */
const DOSE_CHANGES = words('بزيد بنقص بقلل بزود زدت نقصت قللت زودت');
/** "مرتين بدل ثلاث": fewer or more times than prescribed. */
const INSTEAD = words('بدل بدال');
/** Ran out: "الدوا خلص عندي"، "خلص وما جبت غيره" (without more, "خلص الدوا" may be a course finished). */
const RAN_OUT = words('خلص خلصت خلصو خلصوا');
const GOT_MORE = words('جبت اشتريت جبته اشتريته صرفت');
/** "ماكو دوا"، "ما في حبوب"، "ما عندي دوا": none (with "خلص", none left). */
const NONE = words('ماكو مافي مفيش مافيش ماعندي');
const NONE_AFTER_NEGATOR = words('في فيه عندي');
/** What may answer the question plainly ("اي نعم كل يوم"); any other words leave the answer to be asked. */
const PLAIN = words('نعم اي ايوه ايوا اه ايه لا ابدا والله الصراحه بصراحه اكيد طبعا الحمد لله الدوا دوا الدواء العلاج علاج حبوب الحبوب يا بنتي ابني حبيبتي عيني الله يسلمك مافي ما في شي');
/** Forgot or missed it: "نسيته"، "ما فوته ولا يوم". */
const FORGOT = words('بفوتوش بفوتهوش بنساهوش بنساش نسيته نسيتها نسيت بنساه بنساها انساه انساها انسي بنسي فوته فوتها فوتته بفوته بفوتو بفوتها فاتني');
/** "انسى" with no object: the medicine only when nothing (or "sometimes", "a lot") follows. */
const FORGET_BARE = words('انسي بنسي');
/** "اغلب الايام"، "معظم الوقت": most of the time, which is not every time. */
const MOSTLY = words('اغلب معظم');
/** "غيرت الجرعه من نفسي": the caller changed the amount themself. ("غيرلي" is the doctor.) */
const CHANGED_BY_ME = words('غيرت بغير عدلت بعدل');
const AMOUNT_NOUNS = words('الجرعه جرعه الجرعات الكميه');
/** "بطلت واحد منهم": one of several medicines stopped, which may be the doctor's change: asked again. */
const ONE_OF = words('واحد وحده بعض حبه نوع');
const OF_THEM = words('منهم منها منهن فيهم');
/** "رجعت اخذه": went back to taking it, after a stop. */
const RESUMED = words('رجعت رديت عدت');
/** "بكره ابدا فيه"، "راح ابلش": starting later is not taking it now. */
const LATER = words('بكره بكرا باكر باجر بعدين راح رح');
const START = words('ابدا ببدا نبدا ابلش ببلش نبلش');
/** "الدكتور قال حبتين": what the doctor said, to set against what the caller takes. */
const SAID = words('قال قالي قاللي كتب كتبلي وصف وصفلي');
/** The caller as the subject: "وانا باخد"، Iraqi "وآني آخذ". */
const I_WORDS = words('انا اني');
/** Often: "انساه كثير" is not taking it as prescribed. */
const OFTEN = words('كثير كتير وايد هوايه دايما دايم علطول');
/** "I took it", past: only its negation is read ("ما اخذته"، "ماخدتوش من اسبوع"); "اخذته مره" is no statement of taking as prescribed. */
const TOOK = words('اخذته اخذتها اخدته اخدتها اخدتو اخذتو خدته خدتها خدتو');
/** "بمواعيده"، "في وقته"، "ماشي عليه": on schedule, keeping to it. */
const ON_SCHEDULE = words('مواعيده مواعيدها بمواعيده بمواعيدها وقته وقتها بوقته بوقتها');
const KEEPING_ON = words('ماشي ماشيه');
const ON_IT = words('عليه عليها');
/** "يوم اي ويوم لا": every other day. */
const ALTERNATE_DAY = /(^| )يوم (اه|اي|ايه|نعم) ويوم (لا|لاء)( |$)/;
/** "ذي الايام"، "هالفتره": lately, so a forgotten medicine is not being taken. */
const LATELY = words('الايام هالايام الفتره هالفتره اليومين الاسبوع');
const COMPLETE = words('اكمل اكملت كملت اكمله اكملها');
const ABLE = words('قدرت اقدر قادر قادره بقدر');
/** "ما اقدر اشتريه": cannot get it, so it is not being taken. */
const GET = words('اشتريه اشتريها اشتري اجيبه اجيبها احصله احصلها الاقيه القاه');
/** The yes/no negators, and "لا" before a verb ("لا اتناوله"). */
const NEGATORS: ReadonlySet<string> = new Set([...lexicon.NEGATORS, lexicon.LA]);
/** "ما دا اخذه"، "ما عم باخده"، "ما عاد اخذه": an aspect word between the negator and the verb. */
const ASPECT = words('دا دي عم عاد عدت بقيت صرت');
const NO = lexicon.LA;
/** "لما افتكر"، "اذا تذكرت": taken sometimes. */
const CONDITIONAL = words('لما لمن اذا لو');
/** "احيانا"، "مو كل يوم": not as prescribed. */
const PARTLY = words('احيانا ساعات مرات بعض احيان');
const HEDGES = lexicon.HEDGE_WORDS;
const WANT = lexicon.WANT_WORDS;
/** The doctor as the subject ("الدكتور وقف الدوا"); family members may be helping the caller take it ("بنتي تجيب لي الدوا وانا اخذه"). */
const THIRD_PARTY = words('الدكتور الدكتوره الطبيب الطبيبه');
const RELATIVE_BEFORE_MA = lexicon.RELATIVE_BEFORE_MA;

/** The word without an attached و/ف ("وباخد"، "فخليته"). */
const within = (set: ReadonlySet<string>, token: string | undefined): boolean => token !== undefined && (set.has(token) || set.has(bare(token)));

/** "ماباخده" (ما اخذه run together), Egyptian "مباخدوش": a negated "I take it" in one word. */
function fusedNegatedTake(token: string): boolean {
  if (token.startsWith('ما') && TAKE.has(token.slice(2))) return true;
  const circumfix = /^ما?(.{3,})ش$/.exec(token);
  const core = circumfix?.[1] ?? '';
  return TAKE.has(core) || TAKE.has(core.replace(/(و|ه|ها)$/, ''));
}

/** Egyptian "ما بطلتوش": the ش closes a negation of "I stopped it". */
function negatedStoppedInOneWord(token: string): boolean {
  if (!token.endsWith('ش') || token.length < 5) return false;
  const stem = token.slice(0, -1).replace(/^ما?/, '');
  return STOPPED.has(stem) || STOPPED.has(stem.replace(/(و|ه|ها)$/, ''));
}

/**
 * Yes, no or uncertain for an answer about taking the medicine; null when the answer says
 * nothing of it, for the general reading to decide.
 */
export function readMedicationAnswer(tokens: readonly string[]): YesNo | null {
  // "كنت انساه بس هلا صرت منتظم": what was, then what is; the present answers "do you take it?".
  const turn = tokens.findIndex((token, index) => index > 0 && lexicon.CONTRAST_WORDS.has(token) && lexicon.NOW_MARKERS.has(tokens[index + 1] ?? ''));
  if (turn > 0 && tokens.slice(0, turn).some((token) => lexicon.PAST_VERBS.has(token))) {
    const now = tokens.slice(turn + 2);
    // "كنت باخده بس الحين لا": a bare "no" for now.
    if (now.length === 1 && (now[0] === NO || lexicon.NO_WORDS.has(now[0] as string))) return 'no';
    return readMedicationAnswer(now) ?? 'uncertain';
  }
  const negatorAt = (index: number): boolean => {
    let before = index - 1;
    if (ASPECT.has(tokens[before] ?? '') && before > 0) before -= 1;
    // "وما جبت غيره": a negator may carry "و".
    const negator = tokens[before] ?? '';
    return (NEGATORS.has(negator) || (negator.startsWith('و') && NEGATORS.has(negator.slice(1)))) && !RELATIVE_BEFORE_MA.has(tokens[before - 1] ?? '');
  };
  const takeAt = (index: number): boolean => within(TAKE, tokens[index]);
  // "ما اريد اخذه": not wanting to take it is not taking it.
  const want = tokens.findIndex((token) => WANT.has(token));
  // Anything else said beside a want ("ما ابي اتعبك بس عندي دوخه") is about something other than the medicine: asked again.
  if (want >= 0) return negatorAt(want) && takeAt(want + 1) && !tokens.some((token) => lexicon.CONTRAST_WORDS.has(token)) ? 'no' : 'uncertain';
  // "الدكتور غيرلي الدوا وباخد الجديد كل يوم": the doctor did something, and the caller says "and I take".
  const ownTake = tokens.findIndex((token, index) => index > 0 && TAKE.has(bare(token)) && (token !== bare(token) || I_WORDS.has(bare(tokens[index - 1] ?? ''))) && !negatorAt(index));
  if (THIRD_PARTY.has(tokens[0] ?? '') && ownTake < 0) return null;
  // "اخذه يوم اي ويوم لا": every other day is not as prescribed.
  if (ALTERNATE_DAY.test(tokens.join(' '))) return 'no';
  // "ان شاء الله بكره ابدا فيه"، "رح ابلش فيه": it has not been started.
  if (tokens.some((token, index) => START.has(bare(token)) && LATER.has(tokens[index - 1] ?? ''))) return 'no';
  // "اي بالضبط مثل ما قال الدكتور"، "ايوه زي ما كتبه": a yes, "as prescribed", nothing negated.
  if (yesAsPrescribed(tokens)) return 'yes';
  const dose = doseAgainstTheDoctor(tokens);
  if (dose !== null) return dose;
  // "ماخدتوش من اسبوع"، "صارلي اسبوع ما اخذته": not taken.
  const notTook = tokens.findIndex((token, index) => (within(TOOK, token) && negatorAt(index)) || (/^ما?(.{3,})ش$/.test(token) && TOOK.has(token.replace(/^ما?/, '').slice(0, -1))));
  const negatedOnSchedule = (index: number): boolean => tokens.slice(Math.max(0, index - 2), index).some((token) => NEGATORS.has(token));
  const onSchedule = tokens.findIndex((token, index) => ON_SCHEDULE.has(token) || (KEEPING_ON.has(bare(token)) && ON_IT.has(tokens[index + 1] ?? '')));
  const partly = tokens.some((token, index) => within(PARTLY, token) || (lexicon.EVERY_WORDS.has(token) && negatorAt(index)));
  const conditional = tokens.some((token) => CONDITIONAL.has(token));
  const take = tokens.findIndex((token) => within(TAKE, token));
  const affirmsTaking = take >= 0 && !negatorAt(take);
  if (notTook >= 0 && !affirmsTaking) return partly ? 'uncertain' : 'no';
  // "ايوه في مواعيده"، "الحمدلله ماشي عليه": on schedule; "مش في مواعيده" is not.
  if (onSchedule >= 0 && take < 0) return negatedOnSchedule(onSchedule) ? 'no' : partly || tokens.includes(NO) ? 'uncertain' : 'yes';
  // "باخده بس مش في مواعيده": taken, but not on time, is not as prescribed.
  if (onSchedule >= 0 && affirmsTaking && onSchedule > take && negatedOnSchedule(onSchedule)) return 'no';

  // Not the dose prescribed: half a pill, more when tired, twice instead of three times.
  const changed = tokens.findIndex(
    (token, index) =>
      (FRACTIONS.has(token) && DOSE_NOUNS.has(tokens[index + 1] ?? '')) ||
      (DOSE_CHANGES.has(token) && DOSE_NOUNS.has(tokens[index + 1] ?? '')) ||
      (CHANGED_BY_ME.has(bare(token)) && AMOUNT_NOUNS.has(tokens[index + 1] ?? '')) ||
      (INSTEAD.has(token) && index > 0 && findNumbers(tokens.slice(index + 1, index + 2)).length > 0),
  );
  if (changed >= 0) return negatorAt(changed) ? 'uncertain' : 'no';
  // "الدوا خلص عندي"، "خلص وما جبت غيره": ran out. "خلص الدوا" alone may be a course finished.
  const ranOut = tokens.findIndex((token) => RAN_OUT.has(token));
  if (ranOut >= 0) {
    const onMe = lexicon.POSSESSION_WORDS.has(tokens[ranOut + 1] ?? '');
    const noMore = tokens.some((token, index) => within(GOT_MORE, token) && negatorAt(index));
    // "ماكو دوا خلص"، "ما عندي حبوب، خلصت": none left.
    const noneLeft = tokens.some((token, index) => (NONE.has(token) || (NEGATORS.has(token) && NONE_AFTER_NEGATOR.has(tokens[index + 1] ?? ''))) && tokens.slice(index + 1, index + 3).some((word) => lexicon.MEDICINE_WORDS.has(word)));
    return (onMe || noMore || noneLeft) && !affirmsTaking ? 'no' : 'uncertain';
  }
  // "ما اخذه الا اذا تعبت"، "ما باخده غير لما يوجعني": only when something brings it on, which is not as prescribed.
  if (conditional && take >= 0 && negatorAt(take) && lexicon.EXCEPT_WORDS.has(tokens[take + 1] ?? '') && CONDITIONAL.has(tokens[take + 2] ?? '')) return 'no';
  if (conditional) return 'uncertain';
  const keeps = tokens.findIndex((token) => STOPPING.has(token));
  if (keeps >= 0) return negatorAt(keeps) ? 'yes' : 'uncertain';

  // ("احيانا انسى اسمه": "I forget" with a thing after it is not the medicine forgotten.)
  const forgetsOther = (index: number): boolean => FORGET_BARE.has(bare(tokens[index] as string)) && tokens[index + 1] !== undefined && !lexicon.CONTRAST_WORDS.has(tokens[index + 1] as string) && !lexicon.FILLER_WORDS.has(tokens[index + 1] as string) && !within(PARTLY, tokens[index + 1]) && !OFTEN.has(tokens[index + 1] as string);
  const forgot = tokens.findIndex((token, index) => within(FORGOT, token) && !forgetsOther(index));
  // "احيانا انسى اسمه": what is forgotten is something else, and "sometimes" goes with it.
  if (forgot < 0 && take < 0 && tokens.some((_token, index) => forgetsOther(index))) return 'uncertain';
  if (forgot >= 0) {
    // "عمري ما نسيته"، "ما فوته ولا يوم": never forgot or missed it.
    if (negatorAt(forgot)) return partly || tokens.some((token) => OFTEN.has(token)) ? 'uncertain' : 'yes';
    // "ساعات بنساه"، "اغلب الايام اخذه بس احيانا انسى": forgotten some of the time. "اي بس مرات انساه"
    // and "اخذه بس احيانا انسى" lead with taking it: asked again.
    if (partly) {
      const mostly = tokens.some((token) => MOSTLY.has(bare(token)));
      const saysYes = affirmsTaking || tokens.some((token) => lexicon.YES_WORDS.has(token) || lexicon.CLAUSE_INITIAL_YES.has(token) || token === lexicon.AMBIGUOUS_YES);
      return mostly || !saysYes ? 'no' : 'uncertain';
    }
    // "انساه كثير"، "لا والله نسيته ذي الايام": often, or lately, forgotten.
    return tokens.includes(NO) || tokens.some((token) => LATELY.has(token) || OFTEN.has(token)) ? 'no' : 'uncertain';
  }

  // "ما قدرت اكمل الدوا"، "لا ما اكملت العلاج": could not, or did not, go on with it; "ما اقدر اشتريه": cannot get it.
  const complete = tokens.findIndex((token) => COMPLETE.has(token) || GET.has(token));
  if (complete >= 0) {
    const unable = complete >= 2 && ABLE.has(tokens[complete - 1] as string) && NEGATORS.has(tokens[complete - 2] as string);
    const but = tokens.slice(complete).some((token) => lexicon.CONTRAST_WORDS.has(token));
    if ((unable && !but) || (COMPLETE.has(tokens[complete] as string) && negatorAt(complete))) return 'no';
    return null;
  }

  // "خليته بالثلاجه"، "خليته عند بنتي": left somewhere is not stopped.
  const stopped = tokens.findIndex((token, index) => within(STOPPED, token) && !(within(LEFT, token) && PLACED.test(tokens[index + 1] ?? '')));
  // "اخذه هسه بس جنت موقفه": the stop was before ("كنت"), the taking is now.
  if (stopped >= 0 && affirmsTaking && lexicon.PAST_VERBS.has(tokens[stopped - 1] ?? '') && !negatorAt(take)) return partly ? 'uncertain' : 'yes';
  // "وقفته بس رجعت اخذه": stopped, then went back to taking it.
  if (stopped >= 0 && affirmsTaking && take > stopped && RESUMED.has(bare(tokens[take - 1] ?? '')) && !negatorAt(take - 1)) return partly ? 'uncertain' : 'yes';
  // "بطلت واحد منهم": one of them stopped, the rest perhaps taken.
  if (stopped >= 0 && tokens.slice(stopped + 1).some((token, index) => ONE_OF.has(token) && OF_THEM.has(tokens[stopped + 2 + index] ?? ''))) return 'uncertain';
  // "ما قطعته ولا يوم"، "عمري ما وقفته": never stopped, so it is taken. Beside a "لا", a "but", a
  // hedge or "sometimes", what the caller means is not clear.
  // ("لا وقفته": "no, I stopped it"; "لا" negates no past verb.)
  if (stopped >= 0 && negatorAt(stopped) && tokens[stopped - 1] !== NO) {
    const unclear = partly || tokens.some((token, index) => HEDGES.has(token) || lexicon.CONTRAST_WORDS.has(token) || (token === NO && index !== stopped - 1));
    return unclear ? 'uncertain' : 'yes';
  }
  if (stopped >= 0) return affirmsTaking && !lexicon.PAST_VERBS.has(tokens[0] ?? '') ? 'uncertain' : 'no';
  // "ما بطلتوش": did not stop it, so takes it.
  if (tokens.some(negatedStoppedInOneWord)) return partly ? 'uncertain' : 'yes';
  if (tokens.some(fusedNegatedTake)) return partly ? 'uncertain' : 'no';

  const keepsTo = tokens.findIndex((token) => KEEPS_TO.has(bare(token)));
  if (keepsTo >= 0 && take < 0) return negatorAt(keepsTo) ? 'no' : partly ? 'uncertain' : 'yes';

  const taken = tokens.findIndex((token) => TAKEN.has(token));
  const hedged = tokens.some((token) => HEDGES.has(token));
  const otherNegation = tokens.some((token, index) => NEGATORS.has(token) && !RELATIVE_BEFORE_MA.has(tokens[index - 1] ?? ''));
  if (take < 0 && taken < 0) {
    // "مو دايما" alone: not always what (taken, on time, with food)? Asked again.
    if (notAlwaysAlone(tokens)) return 'uncertain';
    // "احيانا"، "مو كل يوم": taken some of the time is not taken as prescribed.
    if (partly) return otherNegation && !tokens.some((token, index) => lexicon.EVERY_WORDS.has(token) && negatorAt(index)) ? 'uncertain' : 'no';
    // "كل يوم الصبح والمسا"، "مرتي بتعطيني ياه كل يوم": every day, with nothing negated or hedged.
    if (everyDay(tokens) && !otherNegation && !hedged) return 'yes';
    // "الصيدليه ما فيها منه": about the medicine, but not whether it is taken as prescribed.
    return tokens.every((token) => PLAIN.has(token) || REGULARLY.has(token)) ? null : 'uncertain';
  }
  if (take >= 0 && negatorAt(take)) return partly ? 'uncertain' : 'no';
  // "اخذ الكبيره بس الحبوب الصغيره ما اخذها": one taken, another not, named after the "but" and
  // said last. ("اخذه بس ما اخذه مع الاكل" is how, not whether; "اخذه بس ما اخذه" names nothing.)
  if (oneTakenAnotherNot(tokens, take, negatorAt)) return 'no';
  // "الدكتور كتبلي 3 ادويه وانا ما بعرف اقرا فبنتي بتحطلي ياهم… وانا باخدهم": who helps, then "and I take them", said last.
  if (!partly && !hedged && saysOwnTakeLast(tokens)) return 'yes';
  // "ساعات باخده وساعات لا": taken at some times and not at others. "اخذه بس مو كل يوم" leads with "I take it": asked again.
  if (partly) return tokens.filter((token) => within(PARTLY, token)).length >= 2 && tokens.includes(NO) ? 'no' : 'uncertain';
  // Any other "no" or negator beside a statement of taking leaves it unclear ("لا اخذه").
  if (otherNegation || hedged) return 'uncertain';
  if (take >= 0) return 'yes';
  return tokens.some((token) => REGULARLY.has(token)) ? 'yes' : 'uncertain';
}

/** What the doctor did in prescribing it, after "زي ما"/"مثل ما": "قال"، "قالوا"، "كتبه"، "وصفه". */
const PRESCRIBED = words('قال قالو قالوا قالولي قالت قالتلي قالي قاللي كتب كتبه كتبها كتبلي كتبو وصف وصفه وصفها وصفلي');

/**
 * A yes particle and "as the doctor said/wrote" ("اي مثل ما قالوا"، "ايوه زي ما كتبه الدكتور"),
 * with no other negator, "but", hedge or "sometimes".
 */
function yesAsPrescribed(tokens: readonly string[]): boolean {
  const as = tokens.findIndex((token, index) => RELATIVE_BEFORE_MA.has(bare(token)) && tokens[index + 1] === 'ما' && tokens.slice(index + 2, index + 4).some((word) => PRESCRIBED.has(word)));
  if (as < 0) return false;
  const yes = tokens.slice(0, as).some((token) => lexicon.YES_WORDS.has(token) || lexicon.CLAUSE_INITIAL_YES.has(token) || lexicon.YES_PATTERNS.some((pattern) => pattern.test(token)));
  const doubt = tokens.some((token, index) => (NEGATORS.has(token) && index !== as + 1) || lexicon.CONTRAST_WORDS.has(token) || HEDGES.has(token) || within(PARTLY, token) || lexicon.NO_WORDS.has(token));
  return yes && !doubt;
}

/**
 * "الدكتور گال حبتين وآني آخذ وحده": the doctor said one number, the caller takes another: no.
 * Null when either part names no number, or they agree (the rest of the reading decides).
 */
function doseAgainstTheDoctor(tokens: readonly string[]): YesNo | null {
  const said = tokens.findIndex((token, index) => SAID.has(token) && THIRD_PARTY.has(tokens[index - 1] ?? ''));
  const own = tokens.findIndex((token, index) => index > said && I_WORDS.has(bare(token)) && within(TAKE, tokens[index + 1]));
  if (said < 0 || own < 0) return null;
  const prescribed = findNumbers(tokens.slice(said + 1, own));
  const taken = findNumbers(tokens.slice(own + 2));
  if (prescribed.length !== 1 || taken.length !== 1) return null;
  return prescribed[0]?.value !== taken[0]?.value ? 'no' : null;
}

function oneTakenAnotherNot(tokens: readonly string[], take: number, negatorAt: (index: number) => boolean): boolean {
  let last = tokens.length - 1;
  while (last > take && lexicon.FILLER_WORDS.has(tokens[last] as string)) last -= 1;
  if (last <= take || !within(TAKE, tokens[last]) || !negatorAt(last)) return false;
  const but = tokens.findIndex((token, index) => index > take && lexicon.CONTRAST_WORDS.has(token));
  if (but < 0) return false;
  let negator = last - 1;
  if (ASPECT.has(tokens[negator] ?? '')) negator -= 1;
  // What the "but" names: "الحبوب الصغيره"، "الليل".
  return negator - but > 1;
}

/** What a negation in a helper's story may not touch: taking, stopping, forgetting, the schedule. */
const ABOUT_TAKING = new Set([...TAKE, ...TAKEN, ...TOOK, ...STOPPED, ...FORGOT, ...KEEPS_TO, ...ON_SCHEDULE, ...lexicon.EVERY_WORDS]);

/**
 * "… فبنتي بتحطلي ياهم بالعلبه كل يوم وانا باخدهم": the answer ends with "and I take it" (every
 * day or at a time may follow), and no negation in what comes before is about taking it ("ما
 * بعرف اقرا" is why someone helps).
 */
function saysOwnTakeLast(tokens: readonly string[]): boolean {
  let end = tokens.length;
  while (end > 0 && (REGULARLY.has(tokens[end - 1] as string) || EVERY_DAY.has(tokens[end - 1] as string) || lexicon.FILLER_WORDS.has(tokens[end - 1] as string))) end -= 1;
  const take = end - 1;
  if (take < 1 || !TAKE.has(bare(tokens[take] as string)) || !I_WORDS.has(bare(tokens[take - 1] as string)) || !tokens[take - 1]?.startsWith('و')) return false;
  return tokens.every((token, index) => !NEGATORS.has(token) || index >= take - 1 || !within(ABOUT_TAKING, tokens[index + 1]));
}

/** "Always": "مو دايما" leaves open what is not always, where "مو كل يوم" says days are missed. */
const ALWAYS = words('دايما دايم دوم علطول دائما');

/** "مو دايما"، "مش على طول"، "والله مب دايم": a negated "always" and nothing else said. */
function notAlwaysAlone(tokens: readonly string[]): boolean {
  const said = tokens.filter((token) => !lexicon.FILLER_WORDS.has(token) && !lexicon.EMPHASIS.has(token));
  const [negator, ...always] = said;
  if (negator === undefined || !lexicon.NEGATORS.has(negator)) return false;
  return (always.length === 1 && ALWAYS.has(always[0] as string)) || always.join(' ') === `${lexicon.ON} ${lexicon.LENGTH}`;
}

/** "كل يوم"، "كل ليله"، "يوميا": every day, not "كل يومين" (every other day). */
function everyDay(tokens: readonly string[]): boolean {
  // "الصبح والمسا": twice a day, every day.
  const twiceADay = tokens.some((token, index) => MORNING.has(token) && EVENING.has(tokens[index + 1] ?? ''));
  return twiceADay || tokens.some((token, index) => token === 'يوميا' || token === 'يوميه' || (token === 'كل' && EVERY_DAY.has(tokens[index + 1] ?? '')));
}
const MORNING = words('الصبح الصباح');
const EVENING = words('والمسا والمساء والليل');
const EVERY_DAY = words('يوم ليله صبح صباح');
