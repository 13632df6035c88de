/**
 * Answers to a question about the past week ("هل كان عندك ذلك خلال الأسبوع الماضي؟") that say
 * what happened in it rather than a bare yes or no: which time each part of the answer is about
 * ("هلق لا بس الاسبوع الماضي اه"), how many times it came ("مرتين تقريبا"), that the caller was
 * well ("كنت كويس الحمد لله"), that it came only once ("ما جاني الا مره"), or that it lasted a
 * few days and went ("جاني يومين وبعدين راح"). Each reading returns null when the answer is not
 * of its kind, and the other rules go on. Normalised spelling (see normalize.ts).
 */

import { tokenizeClauses } from './normalize';
import { CONTRAST_WORDS, NOW_MARKERS } from './time-words';
import type { YesNo } from './yes-no';
import * as lexicon from './yes-no-lexicon';
import { bare, words } from './word-list';

const isIn = (set: ReadonlySet<string>, token: string): boolean => set.has(token) || set.has(bare(token));

/** The week asked about: "الاسبوع الماضي"، "هالاسبوع"، "بالاسبوع اللي فات". */
const WEEK = words('الاسبوع هالاسبوع بالاسبوع');
/** Words that go with the week or a time and say nothing else: "اللي فات"، "ده"، "كله". */
const TIME_COMPANIONS = words(`
  الماضي الماضيه الفات الفايت الفايته اللي الي فات طاف ده دا هذا هاد هادا هاذا هذي كله كلو خلال في
  الصبح بالصبح الصباح صباحا بالليل الليل المسا بالمسا العصر الظهر من
`);
/** Before the week: "قبله" (before it), "الاسبوع اللي قبله"، "من زمان". */
const BEFORE_IT = words('قبله قبلها قبلو');
const LONG_AGO = 'زمان';
/** "الشهر"، "السنه": the period, gone by when "اللي فات"، "الماضي" follows it ("هالشهر" is not among them). */
const LAST_PERIOD = words('الشهر السنه العام');
const GONE_BY = words('الماضي الماضيه اللي الي الفات الفايت الفايته فات');
const AGO = 'قبل';
/** "قبل شهر"، "قبل كم شهر": before the week. */
const LONG_UNITS = words('شهر شهرين اشهر شهور سنه سنتين سنين سنوات اسبوعين اسابيع');
/** "قبل ماكو"، "قبل كان"، "قبل ما كان": "before", then what there was (not "قبل ما انام"). */
const AFTER_BEFORE = words('ماكو مافي مافيش مفيش كان چان جان كانت اكو في فيه جاني اجاني عندي');
/**
 * Inside the week: now, today, yesterday. ("هلا" is also a Gulf greeting: not among them.)
 */
const INSIDE = new Set([...NOW_MARKERS, ...words('امس امبارح مبارح البارحه البارح')].filter((word) => word !== 'هلا'));

/**
 * What may be said of a time for it to be a plain yes: "الحين موجود"، "هسه اكو"، "اليوم الصبح
 * حسيت بشوي"، "الاسبوع الماضي اه". Any other word ("هسه اكو مشكله بالتلفون"، "جاني ابني") may be
 * about something else.
 */
const PLAINLY_THERE = words(`
  موجود موجوده اكو في فيه فيها عندي معي جاني اجاني جاتني اجتني حسيت حسيته حسيتها حاسس حاسه بحس احس
  بشوي شوي شويه شوية بسيط خفيف كتير كثير وايد هوايه اي اه ايوه ايوا نعم ايه بدا بلش والله يعني كان
  كانت چان جان اول
`);

type Time = 'week' | 'inside' | 'before' | 'none' | 'unclear';

/** The time one part of an answer is about, and the words that say it. */
function timeOf(part: readonly string[]): { time: Time; said: Set<number> } {
  const found = new Set<Time>();
  const said = new Set<number>();
  for (let index = 0; index < part.length; index++) {
    const token = part[index] as string;
    if (isIn(WEEK, token)) {
      said.add(index);
      // "الاسبوع اللي قبله": the week before the one asked about.
      let next = index + 1;
      while (next < part.length && isIn(TIME_COMPANIONS, part[next] as string) && !isIn(BEFORE_IT, part[next] as string)) said.add(next++);
      if (isIn(BEFORE_IT, part[next] ?? '') || part[next] === AGO) {
        said.add(next);
        found.add('before');
      } else found.add('week');
    } else if (isIn(INSIDE, token)) {
      said.add(index);
      found.add('inside');
    } else if (isIn(BEFORE_IT, token)) {
      said.add(index);
      found.add('before');
    } else if (LAST_PERIOD.has(token) && isIn(GONE_BY, part[index + 1] ?? '')) {
      // "الشهر اللي فات"، "السنه الماضيه": a month or a year gone by, before the week.
      said.add(index).add(index + 1);
      found.add('before');
    } else if (token === LONG_AGO && part[index - 1] === 'من') {
      said.add(index - 1).add(index);
      found.add('before');
    } else if (bare(token) === AGO) {
      // "قبل ماكو" (before, there was not), "قبل شهر"; "قبل يومين" may be inside the week, "قبل
      // ما انام" is "before I sleep", "قبل العمليه" before an event: not read here.
      const next = part[index + 1];
      const deniedThen = next === 'ما' && AFTER_BEFORE.has(part[index + 2] ?? '');
      const ago = next === undefined || deniedThen || AFTER_BEFORE.has(next) || LONG_UNITS.has(next) || LONG_UNITS.has(part[index + 2] ?? '');
      said.add(index);
      found.add(ago ? 'before' : 'unclear');
    }
  }
  // The words that go with a time are set aside with it: "اليوم الصبح"، "من زمان".
  for (const index of [...said]) {
    for (const near of [index - 1, index + 1]) if (near >= 0 && near < part.length && TIME_COMPANIONS.has(part[near] as string)) said.add(near);
  }
  if (found.has('unclear') || found.size > 1) return { time: 'unclear', said };
  const [time = 'none'] = found;
  return { time, said };
}

/** The parts of an answer: its clauses, split at "بس"، "لكن" and at "و" opening the week ("والاسبوع الماضي…"). */
function partsOf(clauses: readonly (readonly string[])[]): string[][] {
  const parts: string[][] = [];
  for (const clause of clauses) {
    let part: string[] = [];
    for (const token of clause) {
      const opensTheWeek = token.startsWith('و') && WEEK.has(token.slice(1));
      if (CONTRAST_WORDS.has(token) || opensTheWeek) {
        if (part.length > 0) parts.push(part);
        part = opensTheWeek ? [token.slice(1)] : [];
      } else part.push(token);
    }
    if (part.length > 0) parts.push(part);
  }
  return parts;
}

/**
 * Asked about the past week, an answer in parts that name their time. The part about the week
 * decides: "هلق لا بس الاسبوع الماضي اه" (yes), "بالاسبوع الماضي لا بس قبله اي" and "من زمان جاني
 * بس هالاسبوع ماكو" (no). With no part about the week, it being there now, today or yesterday is
 * a yes (all inside the week): "الحين موجود"، "هسه اكو، قبل ماكو"، "لا بس اليوم الصبح حسيت بشوي".
 * Asked again when the week is denied but today affirmed ("هالاسبوع لا بس اليوم الصبح بدا") or
 * another part says otherwise without a time. `read` reads a part with its time words set aside.
 */
export function partsInTime(clauses: readonly (readonly string[])[], read: (part: string[]) => YesNo | null): YesNo | null {
  const parts = partsOf(clauses).map((part) => {
    const { time, said } = timeOf(part);
    return { time, rest: part.filter((_, index) => !said.has(index)) };
  });
  if (parts.some((part) => part.time === 'unclear')) return null;
  const answer = (part: { rest: string[] }): YesNo | null => (part.rest.length === 0 ? null : read(part.rest));
  if (!parts.some((part) => part.time === 'week' || part.time === 'inside')) {
    // "الاسبوع اللي قبله كان عندي"، "من زمان جاني": it was there before the week, which says
    // nothing of the week itself.
    const before = parts.filter((part) => part.time === 'before').map(answer);
    return before.includes('yes') && !parts.some((part) => answer(part) === 'no') ? 'uncertain' : null;
  }
  const weekAt = parts.findIndex((part) => part.time === 'week');
  // "خلاص راح": a part that only says it went ends what the rest says was there.
  const insideAt = parts.findIndex((part) => part.time === 'inside' && answer(part) === 'yes');
  const others = parts
    .filter((part) => part.time === 'none')
    .map((part) => ({ at: parts.indexOf(part), went: onlyWent(part.rest), answer: answer(part) }))
    .map((other) => ({ ...other, after: weekAt >= 0 && other.at > weekAt, beforeToday: weekAt < 0 && other.at < insideAt }));
  // Only a plain "it was there" counts: "الاسبوع الماضي جاني ابني"، "الحين معي بنتي" are someone
  // with them. (A "no" is read as the rest reads it.)
  const plainly = (part: { rest: string[] }): YesNo | null => {
    const reading = answer(part);
    return reading === 'yes' && !part.rest.every((token) => isIn(PLAINLY_THERE, token)) ? null : reading;
  };
  const week = parts.filter((part) => part.time === 'week').map(plainly);
  const inside = parts.filter((part) => part.time === 'inside').map(plainly);
  const said = week.length > 0 ? week[0] : inside.includes('yes') ? 'yes' : null;
  if (said !== 'yes' && said !== 'no') return inside.includes('uncertain') ? 'uncertain' : null;
  if (week.some((answerOfWeek) => answerOfWeek !== said)) return 'uncertain';
  // Today is inside the week: "هالاسبوع لا بس اليوم الصبح بدا" contradicts itself.
  if (said === 'no' && inside.some((answerOfToday) => answerOfToday !== 'no')) return 'uncertain';
  for (const other of others) {
    if (other.went) {
      if (said === 'no') return 'uncertain';
      continue;
    }
    // "مو هذا اللي تسال عنه": a part that is unsure, or answers something else, is not set aside.
    if (other.answer === 'uncertain') return 'uncertain';
    // "لا بس اليوم الصبح حسيت بشوي": a first "no", then when it did come.
    if (other.answer === 'no' && other.beforeToday) continue;
    // "لا، الاسبوع الماضي اه": a part without a time that says the opposite may be about now;
    // "الاسبوع الماضي لا بس بدا": what is said after the week, even unclear, qualifies it.
    if (other.answer !== null ? other.answer !== said : other.after) return 'uncertain';
  }
  return said;
}

/** Came or visited: "جاني"، "اجوني"، "زارتني". */
const VISIT_VERBS = words('جاني اجاني جاتني اجتني جا اجا اجت جت اجوني جوني اجونا جونا جاونا زارني زارتني زارني زارونا زارنا زاروني');
/** Who may come: the family and others ("ابني"، "الجيران"), besides those of the lexicon. */
const VISITORS = new Set([...lexicon.THIRD_PARTIES, ...words('ضيوف الضيوف حفيدي حفيدتي احفادي اهلي ناس جماعه صاحبي صاحبتي جيراني الجيران خالي عمي خالتي عمتي ولادي بناتي')]);

/**
 * Asked about the past week, "الاسبوع الماضي جاني ابني"، "زارونا ضيوف": someone came to see the
 * caller, which says nothing of what is asked about ("جاني" alone was read as yes). Asked again.
 */
export function aVisit(tokens: readonly string[]): YesNo | null {
  return tokens.some((token, index) => isIn(VISIT_VERBS, token) && isIn(VISITORS, tokens[index + 1] ?? '')) ? 'uncertain' : null;
}

/** "خلاص راح"، "وبعدين وقف": only that it went. */
function onlyWent(part: readonly string[]): boolean {
  return part.some((token) => isIn(lexicon.RESOLVED_WORDS, token)) && part.every((token) => isIn(lexicon.RESOLVED_WORDS, token) || WENT_WITH.has(token) || lexicon.FILLER_WORDS.has(token));
}
const WENT_WITH = words('خلاص بعدين وبعدين ثم');

/** "About": an approximate count is still a count ("يمكن" (maybe) is not among them). */
const ABOUT = words('تقريبا حوالي بالتقريب عالاقل');
/** Times it came: "مره"، "مرتين"، "تلات مرات"، "كل يوم"، "يومين"، "كم مره". */
const TIMES = words('مره مرتين مرات مره وحده يوم يومين ايام كل كم تلات ثلاث تلاته ثلاثه اربع اربعه خمس خمسه 2 3 4 5');
const COUNT_HEADS = words('مره مرتين مرات يوم يومين ايام');

/**
 * Asked about the past week, a count of times, however approximate: "مرتين تقريبا"، "كل يوم
 * تقريبا"، "حوالي تلات مرات" say it came. Only the count and "about" (and fillers) may be said:
 * "يمكن مره" (maybe once), "ولا مره" (not once) or "مره؟" are left to the other rules.
 */
export function approximateCount(tokens: readonly string[]): YesNo | null {
  if (!tokens.some((token) => ABOUT.has(token))) return null;
  if (!tokens.some((token) => COUNT_HEADS.has(token))) return null;
  return tokens.every((token) => ABOUT.has(token) || TIMES.has(token) || lexicon.FILLER_WORDS.has(token)) ? 'yes' : null;
}

/** "كنت"، "كان": the week as it was. */
const WAS = words('كنت كان كانت چنت چان جنت جان');
/** Well, said of oneself or of the week. ("عادي" or "احسن" say less: not among them.) */
const WELL = words('زين كويس كويسه منيح منيحه بخير مرتاح مرتاحه سليم');

/**
 * Asked about the past week, "كنت كويس الحمد لله"، "كان زين": the caller was well, which is no.
 * Only "was", well and thanks may be said ("كنت كويس بس امبارح تعبت" is read by the rest). "ما
 * كنت كويس" (I was not well) is asked again: unwell, but not said to be with what is asked about
 * (its negation was read as a no).
 */
export function wasWell(tokens: readonly string[]): YesNo | null {
  if (!tokens.some((token) => WAS.has(token)) || !tokens.some((token) => WELL.has(token))) return null;
  const negated = tokens.some((token) => lexicon.NEGATORS.has(token));
  const only = tokens.every((token) => WAS.has(token) || WELL.has(token) || isIn(lexicon.FILLER_WORDS, token) || lexicon.NEGATORS.has(token));
  if (!only) return null;
  return negated ? 'uncertain' : 'no';
}

/** "الا": except. */
const EXCEPT = 'الا';
/** It came, or it did not: "جاني"، "ماجاني"، "صار"، "حسيت". */
const CAME = words('جاني اجاني جاتني اجتني جاني صار حصل حسيت حسيته جا اجا');
const NOT_CAME = words('ماجاني ماجاتني ماصار محصلش');
const ONCE = words('مره مرتين يوم يومين وحده');

/**
 * Asked about the past week, "ما جاني الا مره"، "لا ماجاني... الا جاني مره": it did not come,
 * except once (or except on a day inside the week: "لا الا اليوم الصبح"), is a yes. Only a denial that it came, "except" and a count of once or twice (a
 * day or two) may be said: "ما في الا العافيه"، "ما جاني الا من شهر" are read by the rest.
 */
export function exceptOnce(tokens: readonly string[]): YesNo | null {
  const at = tokens.indexOf(EXCEPT);
  if (at < 1) return null;
  const before = tokens.slice(0, at);
  const after = tokens.slice(at + 1);
  const denied = before.some((token) => lexicon.NEGATORS.has(token) || NOT_CAME.has(token) || token === lexicon.LA);
  const deniedOnly = before.every((token) => lexicon.NEGATORS.has(token) || NOT_CAME.has(token) || CAME.has(token) || token === lexicon.LA || lexicon.FILLER_WORDS.has(token));
  const once = after.some((token) => ONCE.has(token) && token !== 'وحده');
  const onceOnly = after.every((token) => ONCE.has(token) || CAME.has(token) || lexicon.FILLER_WORDS.has(token));
  // "لا الا اليوم الصبح"، "ما جاني الا امبارح بالليل": except on a day inside the week.
  const onADay = after.some((token) => isIn(INSIDE, token)) && after.every((token) => isIn(INSIDE, token) || TIME_COMPANIONS.has(token) || CAME.has(token) || lexicon.FILLER_WORDS.has(token));
  return denied && deniedOnly && ((once && onceOnly) || onADay) ? 'yes' : null;
}

/** Days it lasted, under a week: "يومين"، "تلات ايام"، "بعد يوم". */
const DAY_OR_TWO = words('يوم يومين');
const FEW = words('تلات ثلاث تلاته ثلاثه اربع اربعه 3 4');
const DAYS = words('ايام تيام');
/** What may go with "it lasted, then went": "اي جاني يومين وبعدين راح"، "وقف بعد يومين". */
const LASTED = words('بعد بعدين وبعدين ثم وبعد اي اه ايوه ايوا نعم جاني اجاني جاتني حسيت فيه عندي');

/**
 * Asked about the past week, "it stopped after two days"، "جاني يومين وبعدين راح": it was there
 * for days inside the week, then went: yes. Only coming, a few days, then and going may be
 * said: "وقف بعد شهر"، "ما وقف"، "وقفت الدوا بعد يومين" (a medicine) are read by the rest, and so
 * is "راح" followed by anything ("راح يوقف بعد يومين" is "it will stop").
 */
export function lastedDays(tokens: readonly string[]): YesNo | null {
  const wentAt = tokens.findIndex((token) => isIn(lexicon.RESOLVED_WORDS, token));
  if (wentAt < 0) return null;
  if (bare(tokens[wentAt] as string) === lexicon.WENT && wentAt !== tokens.length - 1) return null;
  const days = tokens.some((token, index) => DAY_OR_TWO.has(token) || (FEW.has(token) && DAYS.has(tokens[index + 1] ?? '')));
  if (!days) return null;
  return tokens.every((token, index) => index === wentAt || DAY_OR_TWO.has(token) || FEW.has(token) || DAYS.has(token) || LASTED.has(token) || lexicon.FILLER_WORDS.has(token)) ? 'yes' : null;
}

/**
 * What an answer about the past week says of it, read in this order; null when none of these
 * readings applies. `read` reads a part of the answer under the same question.
 */
export function readThePastWeek(text: string, tokens: readonly string[], read: (part: string[]) => YesNo | null): YesNo | null {
  return wasWell(tokens) ?? approximateCount(tokens) ?? exceptOnce(tokens) ?? lastedDays(tokens) ?? aVisit(tokens) ?? partsInTime(tokenizeClauses(text), read);
}
