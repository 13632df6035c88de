/**
 * When the caller places what they felt, against the time the question asks about: a month ago
 * is outside "the past week", an hour ago is not "now", "at night" does not say whether it is
 * there now. Each reading returns null when the answer places nothing, and the other rules go on.
 * Normalised spelling (see normalize.ts).
 */

import type { YesNo } from './yes-no';
import * as lexicon from './yes-no-lexicon';
import { bare, words } from './word-list';


/** "قبل ساعه": ago; "من ساعه" is ago after a past verb and "for an hour" after a present one. */
const AGO = 'قبل';
const SINCE = 'من';
/** A time within today: "قبل ساعه"، "قبل شوي"، "من ساعتين"، "قبل نص ساعه". */
const WITHIN_HOURS = words('ساعه ساعتين ساعات دقيقه دقايق دقيقتين شوي شويه شويتين');
/** Counts that may sit between "قبل" and its unit: "قبل كم ساعه"، "قبل نص ساعه"، "قبل تلات شهور". */
const COUNT_BEFORE_UNIT = words('كم نص ربع تلات ثلاث تلت ثلاثه تلاته اربع اربعه خمس خمسه ست سته 2 3 4 5 6');
/** Beyond a week: "من شهر"، "قبل شهرين"، "من سنه". ("من زمان" may go on to now: not here.) */
const BEYOND_WEEK = words('شهر شهرين اشهر شهور سنه سنتين سنين سنوات اسبوعين اسابيع');
/** More days than a week holds: "قبل 10 ايام"، "من عشر ايام". */
const MANY = words('تمن تمان ثمان تمانيه ثمانيه ثمانية تسع تسعه عشر عشره عشرين خمستعش 8 9 10 11 12 13 14 15 20');
const DAY_UNITS = words('ايام يوم');
/** "الشهر الماضي"، "الشهر اللي فات"، "السنه الفايته". */
const LAST_MONTH_NOUNS = words('الشهر السنه');
const LAST_WORDS = words('الماضي الماضيه الفايت الفايته فات');
/** Verbs that place a feeling at a moment: "كان عندي"، "جاني"، "حسيت فيه". */
const AT_A_MOMENT = words('كان كانت كنت چان چانت جان جاني جاتني اجاني اجتني حسيت حسيته حسيتها شعرت');
/** Still, or what goes on to now: "ولسا"، "للحين"، "وانا"، "لحد الان". */
const ONGOING = words('لسا لسه لساته لسي لساتو للحين لليوم لحد لغايه لهلق لهسه وانا وهو وهي');
/** Inside the past week: what the caller says of it answers the question instead. */
const IN_THE_WEEK = words(`
  الاسبوع هالاسبوع بالاسبوع اسبوع امس امبارح مبارح البارحه البارح يوم يومين ايام تيام اليوم
`);
/** "اخر مره" (the last time): what follows is when it ended. */
const LAST = words('اخر اخرمره');
/** "ما رجع"، "ما عاد"، "ما جاني بعدين": it did not come back. */
const NEGATED_RETURN = words('رجع رجعت عاد عادت جاني اجاني');
const NEGATORS = words('ما مو مش مب لم');
/** Parts of the day: "بالليل بس" says when it comes, not whether it is there now. */
const PART_OF_DAY = words(`
  بالليل الليل بليل ليل ليلا الصبح بالصبح الصباح صباحا الفجر المسا بالمسا المسي المساء مساء مسا
  العصر بالعصر الظهر بالظهر
`);


/** The index of "قبل"/"من" opening a time in `units` ("قبل ساعه"، "من كم شهر"), or -1. */
function timeAt(tokens: readonly string[], units: ReadonlySet<string>, opener: string): number {
  return tokens.findIndex((token, index) => {
    if (bare(token) !== opener && token !== opener) return false;
    const next = tokens[index + 1] ?? '';
    if (units.has(next)) return true;
    return COUNT_BEFORE_UNIT.has(next) && units.has(tokens[index + 2] ?? '');
  });
}

const saysAMoment = (tokens: readonly string[]): boolean => tokens.some((token) => AT_A_MOMENT.has(bare(token)) || AT_A_MOMENT.has(token));

/**
 * Asked about the past week, a time beyond it: "لا بس من شهر كان عندي"، "اخر مره كان من شهر"،
 * "من شهر كان عندي بس ما رجع" are no (a nurse records the week, not the month before); said
 * alone ("الشهر اللي فات كان") it does not say the week was free, so it is asked again. "من شهر
 * وانا عندي" (for a month, and still) and anything said of the week itself are left to the rest.
 */
export function beyondTheWeek(tokens: readonly string[]): YesNo | null {
  const manyDaysAgo = tokens.some((token, index) => bare(token) === AGO && MANY.has(tokens[index + 1] ?? '') && DAY_UNITS.has(tokens[index + 2] ?? ''));
  const ago = timeAt(tokens, BEYOND_WEEK, AGO) >= 0 || manyDaysAgo;
  const since = timeAt(tokens, BEYOND_WEEK, SINCE) >= 0 && saysAMoment(tokens);
  const lastMonth = tokens.some((token, index) => LAST_MONTH_NOUNS.has(bare(token)) && (LAST_WORDS.has(tokens[index + 1] ?? '') || LAST_WORDS.has(tokens[index + 2] ?? '')));
  if (!ago && !since && !lastMonth) return null;
  const goesOn = tokens.some((token) => ONGOING.has(token) || ONGOING.has(bare(token)) || lexicon.NOW_MARKERS.has(token) || lexicon.STILL_WORDS.has(bare(token)));
  // ("عشر ايام" counts days beyond the week: its "ايام" is not the week's.)
  const inTheWeek = tokens.some((token, index) => (IN_THE_WEEK.has(token) || IN_THE_WEEK.has(bare(token))) && !(DAY_UNITS.has(token) && MANY.has(tokens[index - 1] ?? '')));
  if (goesOn || inTheWeek) return null;
  const saidNo = tokens[0] === lexicon.LA || tokens.some((token) => lexicon.NO_WORDS.has(token));
  const lastTime = tokens.some((token, index) => LAST.has(token) && (tokens[index + 1] === lexicon.ONCE || token === 'اخرمره'));
  const notBack = tokens.some((token, index) => NEGATED_RETURN.has(bare(token)) && NEGATORS.has(bare(tokens[index - 1] ?? '').replace(/^و(?=ما$)/, '')));
  return saidNo || lastTime || notBack ? 'no' : 'uncertain';
}

/**
 * Asked how the caller is, a moment earlier today: "حسيت فيه قبل ساعه"، "جاني من ساعتين" say it
 * was there, not that it is. "من ساعه وهو يوجعني" (for an hour, and still) is left to the rest.
 */
export function earlierToday(tokens: readonly string[]): YesNo | null {
  const ago = timeAt(tokens, WITHIN_HOURS, AGO) >= 0;
  const since = timeAt(tokens, WITHIN_HOURS, SINCE) >= 0 && saysAMoment(tokens);
  if (!ago && !since) return null;
  const goesOn = tokens.some((token) => ONGOING.has(token) || ONGOING.has(bare(token)) || lexicon.NOW_MARKERS.has(token) || lexicon.STILL_WORDS.has(bare(token)));
  return goesOn ? null : 'uncertain';
}

/**
 * Asked about now, a part of the day with no "now": "بالليل بس يجيني" says when it comes. ("مو
 * الحين، بالليل يجيني" says now, and is read by the rest.)
 */
export function partOfDayOnly(tokens: readonly string[]): boolean {
  return namesPartOfDay(tokens) && !tokens.some((token) => lexicon.NOW_MARKERS.has(token) || lexicon.NOW_MARKERS.has(bare(token)));
}

/** "بالليل"، "الصبح"، "وبالمسا". */
export function namesPartOfDay(tokens: readonly string[]): boolean {
  return tokens.some((token) => PART_OF_DAY.has(token) || PART_OF_DAY.has(bare(token)));
}

/** Days inside the past week: "امس"، "امبارح"، "يومين"، "يوم الخميس". */
const DAYS_IN_THE_WEEK = words(`
  امس امبارح مبارح البارحه البارح يومين السبت الاحد الاثنين الاتنين الثلاثاء الثلاثا التلات الاربعاء
  الاربع الخميس الجمعه
`);
/** "تلات ايام"، "قبل 3 ايام": a count of days under a week. */
const FEW = words('تلات ثلاث ثلاثه تلاته تلت اربع اربعه خمس خمسه ست سته 3 4 5 6');
const DAYS = words('ايام تيام يوم');
/**
 * What may be said beside such a day without changing it: "كان"، "بس"، "اخر مره"، "قبل"، "فيه
 * شوي"، "اه". A negation, "now", a week or a month, or any other word is not among them.
 */
const BESIDE_A_DAY = words(`
  كان كانت چان جان بس اخر مره قبل من اول يوم فيه في عندي معي جاني اجاني حسيت حسيته شوي شويه
  اي اه ايوه ايوا نعم بالليل الصبح العصر المسا والله
`);

/**
 * Asked about the past week, an answer that only places it on a day inside the week: "امبارح بس"،
 * "من يومين بس"، "اخر مره قبل يومين"، "امس كان فيه شوي" say it was there: yes. Null when anything
 * else is said (it is left to the other rules), so "امبارح لا" or "قبل عشر ايام" are not read here.
 */
export function placedInTheWeek(tokens: readonly string[]): YesNo | null {
  let day = false;
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index] as string;
    const word = bare(token);
    if (DAYS_IN_THE_WEEK.has(word) || DAYS_IN_THE_WEEK.has(token)) day = true;
    else if (FEW.has(word) && DAYS.has(tokens[index + 1] ?? '')) {
      day = true;
      index += 1;
    } else if (!(BESIDE_A_DAY.has(token) || BESIDE_A_DAY.has(word) || lexicon.FILLER_WORDS.has(token))) return null;
  }
  return day ? 'yes' : null;
}
