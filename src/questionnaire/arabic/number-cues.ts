/**
 * Words around a spoken number that change what it means, in normalised spelling. A number is
 * only taken when it is certainly what the caller gave: an approximate one ("حوالي"), a bound
 * ("فوق المية"), a range ("بين خمسة وستة"), a denied one ("مش سبعة") or one counted in a unit
 * the question may not be asked in ("اسبوعين" for days) is asked again instead.
 */

import { prefixVariants } from './word-forms';

/** Hesitations that may sit inside a number without changing it ("تسعة وتلاتين، يعني، ونص"). */
const FILLERS: ReadonlySet<string> = new Set([
  'يعني',
  'والله',
  'شوف',
  'شوفي',
  'بصراحه',
  'طيب',
  'هاه',
  'ها',
  'ايوه',
  'اي',
  'ايه',
  'نعم',
  'اه',
  'يا',
  'دكتور',
  'دكتوره',
  'حبيبي',
  'اختي',
  'اخوي',
]);
/** "امم"، "اه"، "هممم" and stretched forms after normalisation. */
const HESITATION = /^(?:ا+م+|ا?ه+م+|م+|ا+ه+|ا{2,}|ه+)$/;

export function isFiller(word: string): boolean {
  return FILLERS.has(word) || HESITATION.test(word);
}

/**
 * Words that make the number approximate, a bound, a range, uncertain or denied. Any of them
 * in the answer means it is asked again, whatever else was said.
 */
const HEDGES: ReadonlySet<string> = new Set([
  // about
  'تقريبا',
  'تقريبن',
  'تقريب',
  'بالتقريب',
  'حوالي',
  'بحوالي',
  'حول',
  'نحو',
  'زهاء',
  'بحدود',
  'حدود',
  'قرابه',
  'قريب',
  'قرب',
  // nearing it: "قربت على الستين"، "قاربت السبعين"، "شارف على الخمسين"
  'قربت',
  'قربنا',
  'بقرب',
  'يقرب',
  'تقرب',
  'قاربت',
  'قاربنا',
  'يقارب',
  'تقارب',
  'اقترب',
  'اقتربت',
  'يقترب',
  'شارف',
  'شارفت',
  'ناهز',
  'ناهزت',
  'يناهز',
  'وشك',
  'يجي',
  'يجيب',
  'شي',
  'كذا',
  'وكذا',
  'نيف',
  'ونيف',
  'كسور',
  'وكسور',
  'شوي',
  'وشوي',
  'شويه',
  'وشويه',
  'شويات',
  // "ستين وكام"، "ستين وكم سنه": and some
  'كام',
  'وكم',
  // bounds
  'تحت',
  'فوق',
  'اكثر',
  'اكتر',
  'ازيد',
  'ازود',
  'زياده',
  'اقل',
  'اكبر',
  'اصغر',
  'اعلي',
  'ادني',
  'ناقص',
  'زايد',
  'سالب',
  'الا',
  'والا',
  'عدي',
  'تعدي',
  'تجاوز',
  'قارب',
  'بالكثير',
  'بالكتير',
  'الاقل',
  'الاكثر',
  'لحد',
  'لغايه',
  'لين',
  'حتي',
  'الى',
  'الي',
  'ل',
  // ranges and alternatives
  'بين',
  'او',
  'ولا',
  'اما',
  // uncertainty
  'يمكن',
  'ممكن',
  'احتمال',
  'اظن',
  'اعتقد',
  'اتوقع',
  'متاكد',
  'متاكده',
  'مدري',
  'ادري',
  'عارف',
  'عارفه',
  'اعرف',
  'بعرف',
  // a number to come or gone by: "السنة الجاية بصير ستين"
  'بصير',
  'بيصير',
  'حيصير',
  'رح',
  'راح',
  'هيبقي',
  'هيكون',
  'حيكون',
  'داخل',
  'داخله',
  'الجاي',
  'الجايه',
  'الماضي',
  'الماضيه',
  'فات',
]);

/**
 * Denials reach only within their clause: "ما وصلت الاربعين" is below forty, but in "صفر، ما في
 * وجع" the denial is about the pain, not the zero.
 */
const DENIALS: ReadonlySet<string> = new Set(['ما', 'مافيش', 'ماكو', 'موش', 'مش', 'مو', 'مب', 'موب', 'مهو', 'مهي', 'ماهو', 'ماهي', 'ليس', 'مافي']);

export function isDenial(word: string): boolean {
  return prefixVariants(word).some((variant) => DENIALS.has(variant));
}

/**
 * "الوجع ما ينتحمل عشره من عشره": "not bearable" says how bad it is; the denial is of bearing it,
 * not of the number. ("ما بقدر انام" and other denials still make the answer asked again.)
 */
const BEARING: ReadonlySet<string> = new Set(['ينتحمل', 'يتحمل', 'بتحمل', 'اتحمل', 'يحتمل', 'ينحمل', 'يطاق', 'ينطاق', 'بنطاق', 'اطيقه', 'يطيق']);

/**
 * "من يوم ما رجعت من العمره، من خمس ايام": "من يوم ما" and "من وقت ما" are "ever since", not a
 * denial. ("قبل ما" is not among them: "قبل ما اروح بيومين" is when, not how long.)
 */
const SINCE_WHEN: ReadonlySet<string> = new Set(['يوم', 'وقت']);
const MA = 'ما';

/** A denial at `index` of the number: not of bearing it (see BEARING), nor the "ما" of "من يوم ما". */
export function deniesAt(tokens: readonly string[], index: number): boolean {
  if (tokens[index] === MA && SINCE_WHEN.has(tokens[index - 1] ?? '') && ['من', 'منذ'].includes(tokens[index - 2] ?? '')) return false;
  return isDenial(tokens[index] ?? '') && !BEARING.has(tokens[index + 1] ?? '');
}

/** Also with an attached و، ف، ب… ("واكثر", "وبحوالي"). */
export function isHedge(word: string): boolean {
  return prefixVariants(word).some((variant) => HEDGES.has(variant));
}

/**
 * Asked an age, "كملت السبعين الشهر الماضي": a birthday completed, and when. A week or a month gone by says when
 * it was reached, and is set aside; a year gone by may have added one ("كملت السبعين السنه
 * الماضيه" is asked again), and so is one to come ("بكمل السبعين الشهر الجاي").
 */
const COMPLETED: ReadonlySet<string> = new Set(['كملت', 'اكملت', 'تميت', 'اتممت', 'طبقت']);
const RECENT: ReadonlySet<string> = new Set(['الشهر', 'الاسبوع']);
const GONE_BY: ReadonlySet<string> = new Set(['الماضي', 'الماضيه', 'الفات', 'الفايت']);
const THAT = new Set(['اللي', 'الي']);

export function withoutWhenCompleted(tokens: readonly string[]): string[] {
  if (!tokens.some((token) => COMPLETED.has(token))) return [...tokens];
  const kept: string[] = [];
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index] as string;
    const next = tokens[index + 1] ?? '';
    if (RECENT.has(token) && GONE_BY.has(next)) index += 1;
    else if (RECENT.has(token) && THAT.has(next) && tokens[index + 2] === 'فات') index += 2;
    else kept.push(token);
  }
  return kept;
}

/**
 * A change ("نقصت"، "زاد"، "نزلت"): a number said beside one may be the change or an old reading
 * ("نقصت وايد، اخر مره وزنت كان خمسه وستين"), unless the caller says what it became ("نزل وزني
 * صار ستين") or what it is now.
 */
const CHANGE_WORDS: ReadonlySet<string> = new Set(['نقص', 'نقصت', 'نقصنا', 'نزل', 'نزلت', 'زاد', 'زادت', 'زدت', 'خسيت', 'خسرت', 'ضعفت', 'سمنت', 'ارتفع', 'ارتفعت', 'انخفض', 'انخفضت', 'طاح', 'طاحت']);
const BECAME_WORDS: ReadonlySet<string> = new Set(['صار', 'صارت', 'صرت', 'اصبح', 'اصبحت', 'بقي', 'بقت', 'بقيت', 'وصل', 'وصلت']);

export function isChange(word: string): boolean {
  return prefixVariants(word).some((variant) => CHANGE_WORDS.has(variant));
}

export function isBecame(word: string): boolean {
  return prefixVariants(word).some((variant) => BECAME_WORDS.has(variant));
}

/** "لا قصدي سبعة": the number after a marked correction replaces the ones before it. */
const CORRECTION_MARKERS: ReadonlySet<string> = new Set(['قصدي', 'اقصد', 'بقصد', 'قصدك', 'اعني', 'عفوا', 'غلطت', 'صححت']);

export function isCorrection(word: string): boolean {
  return CORRECTION_MARKERS.has(word);
}

/** "سبعة من عشرة": the words that introduce a scale after a score. */
export const SCALE_WORDS: ReadonlySet<string> = new Set(['من', 'علي', 'ع']);
export const SCALE_MAXIMUM = 10;

/**
 * Units whose count is not the same number in every question's unit: hours, days, weeks,
 * months, years, grams, pounds, mmol/l, Fahrenheit. Each maps to its family.
 */
const UNIT_FAMILIES: ReadonlyMap<string, string> = new Map([
  ...family('hour', ['ساعه', 'ساعات', 'ساعتين', 'ساعتان', 'الساعه', 'دقيقه', 'دقايق', 'دقيقتين']),
  ...family('day', ['يوم', 'ايام', 'تيام', 'يومين', 'يومان', 'ليله', 'ليالي', 'ليلتين', 'نهار']),
  ...family('week', ['اسبوع', 'اسابيع', 'اسبوعين', 'جمعه', 'جمع', 'جمعتين', 'الاسبوع']),
  ...family('month', ['شهر', 'شهور', 'اشهر', 'شهرين', 'الشهر']),
  ...family('year', ['سنه', 'سنين', 'سنوات', 'سنتين', 'عام', 'اعوام', 'عامين', 'السنه']),
  ...family('gram', ['جرام', 'غرام', 'جم', 'غم', 'جرامات', 'غرامات']),
  ...family('pound', ['باوند', 'رطل', 'ليبره', 'لبره']),
  ...family('mmol', ['مليمول', 'ملمول', 'ميليمول', 'mmol']),
  ...family('fahrenheit', ['فهرنهايت', 'فهرنهيت', 'فرنهايت']),
  ...family('percent', ['بالميه', 'بالمايه', 'بالمئه', 'بالميا', 'بالمايا']),
  // weekdays: "من الاتنين" is a day, not two
  ...family('weekday', ['الاتنين', 'الاثنين', 'الثنين', 'الثلاثا', 'التلات', 'التلاتا', 'الثلوث', 'الاربعا', 'الاربع', 'الخميس', 'الجمعه', 'السبت', 'الاحد']),
]);

function family(name: string, words: readonly string[]): [string, string][] {
  return words.map((word) => [word, name]);
}

/** The unit family a word names, or undefined; a leading و or ب is ignored ("وشهرين"). */
export function unitFamily(word: string): string | undefined {
  const direct = UNIT_FAMILIES.get(word);
  if (direct !== undefined) return direct;
  if (word.startsWith('و') || word.startsWith('ب')) return UNIT_FAMILIES.get(word.slice(1));
  return undefined;
}

/**
 * "من مواليد الستين"، "ولدت سنة خمسين"، "تاريخ ميلادي…": a number after one of these is the year
 * of birth, not the age ("الستين" is 1960).
 */
const BIRTH_WORDS: ReadonlySet<string> = new Set(['مواليد', 'مواليدي', 'ولدت', 'تولدت', 'اتولدت', 'انولدت', 'ولدنا', 'مولود', 'مولوده', 'ميلاد', 'ميلادي', 'مواليده']);

export function isBirthWord(word: string): boolean {
  return prefixVariants(word).some((variant) => BIRTH_WORDS.has(variant));
}

/** "عمري", "عمره", "بعمر": the caller is giving an age. */
const AGE_WORDS: ReadonlySet<string> = new Set(['عمر', 'عمري', 'عمره', 'عمرها', 'عمرك', 'عمرو', 'بعمر', 'العمر']);

export function isAgeWord(word: string): boolean {
  return AGE_WORDS.has(word);
}
