/**
 * Built-in words for the common answer scales (frequency, severity, agreement): each scale point
 * with its MSA and dialect forms. A clinic writes "أحياناً" as an option's display; the point it
 * names brings along "ساعات"، "مرات"، "بعض الاحيان" without the clinic listing them.
 *
 * Forms are written as speech-to-text tends to write them (no hamza seats, ة as ه, no tanween)
 * and normalised again before any comparison. A display the lexicon does not know gets no
 * built-in forms.
 */

import { normalizeArabic } from './normalize';

export type ScaleName = 'frequency' | 'severity' | 'agreement' | 'adherence';

export interface ScalePoint {
  scale: ScaleName;
  point: string;
}

type Scale = Readonly<Record<string, readonly string[]>>;

const FREQUENCY: Scale = {
  always: ['دايما', 'دايم', 'دوم', 'على طول', 'علطول', 'عالطول', 'ع طول', 'طول الوقت', 'طوال الوقت', 'الوقت كله', 'كل الوقت', 'كل مره', 'في كل مره', 'باستمرار', 'بشكل دايم', 'بشكل مستمر'],
  often: ['غالبا', 'في الغالب', 'بالغالب', 'في الاغلب', 'بالاغلب', 'اغلب الوقت', 'اغلب الاوقات', 'اغلب الاحيان', 'معظم الوقت', 'معظم الاوقات', 'معظم الاحيان', 'اكثر الوقت', 'اكتر الوقت', 'اكثر الاحيان', 'اكتر الاحيان', 'اكثر الاوقات', 'اغلب الايام', 'معظم الايام', 'كثيرا', 'كثير', 'كتير', 'وايد', 'هواي', 'هوايه'],
  sometimes: ['من وقت للتاني', 'من وقت للثاني', 'من فتره لفتره', 'بين فتره وفتره', 'بين وقت ووقت', 'بين فتره وثانيه', 'احيانا', 'احيان', 'مره ومره لا', 'بعض الاحيان', 'في بعض الاحيان', 'بعض الاحيانا', 'ساعات', 'مرات', 'بعض المرات', 'اوقات', 'بعض الاوقات', 'من وقت لوقت', 'من وقت لاخر', 'مره اه ومره لا', 'مره ايه ومره لا', 'مرات ومرات'],
  rarely: ['نادرا', 'نادر', 'قليل', 'قليلا', 'قليل جدا', 'مرات قليله', 'نادرا ما يصير', 'نادرا جدا', 'قليل كتير', 'مره كل فين وفين', 'كل فين وفين', 'على الندره', 'من النادر'],
  never: ['ماكو', 'مكو', 'ما يجيني', 'مابيجيش', 'ما بيجيش', 'ما بيجيلي', 'ابدا', 'ابد', 'لا خالص', 'ابد ما يصير', 'ولا مره', 'ولا مرا', 'ولا مره وحده', 'مطلقا', 'اطلاقا', 'عمري ما', 'عمره ما', 'عمرها ما'],
};

const SEVERITY: Scale = {
  none: ['لا يوجد', 'ما في', 'مافي', 'ما فيه', 'مافيه', 'مافيش', 'مفيش', 'ما فيش', 'ما كو', 'ماكو', 'ولا شي', 'ولا شيء', 'لا شي', 'ولا حاجه', 'مفيش حاجه', 'ما عندي', 'ماعندي', 'معنديش', 'ما عندي شي'],
  mild: ['خفيف', 'خفيفه', 'بسيط', 'بسيطه', 'شوي', 'شويه', 'شوية', 'شوي شوي', 'قليل', 'خفيف شوي'],
  moderate: ['بالنص', 'في النص', 'بالوسط', 'في الوسط', 'متوسط', 'متوسطه', 'وسط', 'نص نص', 'نص ونص', 'مش بطال', 'بين بين', 'معتدل'],
  severe: ['شديد', 'شديده', 'قوي', 'قويه', 'مره قوي', 'مره جوي', 'ما بتحمل', 'ما بتحملش', 'كلش قوي', 'قوي مره', 'ما يتحمل', 'ما ينحمل', 'ما بنحمل', 'ما بينحمل', 'ما يحتمل', 'لا يحتمل', 'ما اقدر اتحمل', 'ما اقدر اتحمله', 'ما اقدر استحمل', 'مش قادر استحمل', 'لا يطاق', 'ما ينطاق', 'جامد', 'جامد قوي', 'فظيع', 'بشده'],
};

const AGREEMENT: Scale = {
  agree: ['معك حق', 'معاك حق', 'معكي حق', 'معاكي حق', 'انا مع هالكلام', 'مع هالكلام', 'مع هالحكي', 'مع هذا الكلام', 'مع الكلام ده', 'موافق', 'موافقه', 'اوافق', 'متفق', 'متفقه', 'اتفق', 'موافق جدا'],
  neutral: ['لا مع ولا ضد', 'لا مع ولا عكس', 'وسط', 'بالنص', 'بالوسط', 'ما افهم بهالامور', 'محايد', 'محايده', 'بين بين', 'نص نص', 'لا موافق ولا مش موافق', 'مش موافق ومش معارض', 'لا موافق ولا معارض', 'لا اوافق ولا اعارض', 'ما عندي راي', 'ماعندي راي', 'مالي راي', 'ما لي راي', 'مش موافق ولا معارض'],
  disagree: ['ما بوافق', 'مش بوافق', 'مو موافق عليه', 'مش مع هالحكي', 'مش مع هالكلام', 'مو مع هالكلام', 'مش مع الكلام ده', 'غير موافق', 'غير موافقه', 'مش موافق', 'مش موافقه', 'مو موافق', 'مو موافقه', 'مب موافق', 'ما موافق', 'ما اوافق', 'لا اوافق', 'مش متفق', 'مو متفق', 'غير متفق', 'ما اتفق', 'لا اتفق', 'مش متفقه', 'معارض', 'معارضه', 'اعارض', 'ضد'],
};

/** "A lot": how often, or how much; as a display it names no scale point. */
const A_LOT = new Set(['كتير', 'كثير', 'وايد', 'هواي', 'هوايه', 'كثيرا']);

/** Taking a medicine: every day, some days, stopped (a clinic's "كل يوم / بعض الأيام / توقفت عنه"). */
const ADHERENCE: Scale = {
  daily: ['ما انقطع عنه', 'ما انقطعت عنه', 'ما بفوتوش', 'ما بفوتو', 'ما افوته', 'ما فوته', 'ما بفوته', 'ولا يوم بفوته', 'كل يوم', 'يوميا', 'يوميه', 'كليوم', 'كل ايام الاسبوع', 'مره في اليوم', 'مره باليوم', 'مرتين في اليوم', 'مرتين باليوم', 'الصبح والمسا', 'الصبح والليل', 'بانتظام', 'بشكل يومي'],
  some_days: ['ساعات', 'لما اتذكر', 'لما افتكر', 'اذا تذكرت', 'مرات اخذه ومرات لا', 'مرات اخده ومرات لا', 'ساعات اخده وساعات لا', 'بعض الايام', 'يوم اه ويوم لا', 'يوم ايه ويوم لا', 'يوم اي ويوم لا', 'ايام اه وايام لا', 'ايام ايه وايام لا', 'كل يومين', 'مره بالاسبوع', 'مره في الاسبوع', 'مرات اخذها ومرات لا', 'ساعات باخدها وساعات لا', 'مرات باخدها ومرات لا'],
  stopped: ['توقفت عنه', 'توقفت عنها', 'توقفت', 'وقفته', 'وقفتها', 'بطلته', 'بطلتها', 'بطلت', 'تركته', 'تركتها', 'قطعته', 'قطعتها', 'ما عدت اخذه', 'ما عاد اخذه', 'ما عاد اخدو', 'ما عدت اخدو', 'ما عدت اخدها', 'مبطله', 'مبطلها', 'وقفلي اياه', 'وقفهولي'],
};

const SCALES: Readonly<Record<ScaleName, Scale>> = { frequency: FREQUENCY, severity: SEVERITY, agreement: AGREEMENT, adherence: ADHERENCE };

/** The scale point a display names, read from its normalised text; null when unknown or shared. */
export function scalePointOf(display: string): ScalePoint | null {
  const text = normalizeArabic(display);
  if (text === '') return null;
  const found: ScalePoint[] = [];
  for (const [scale, points] of Object.entries(SCALES) as [ScaleName, Scale][]) {
    for (const [point, forms] of Object.entries(points)) {
      if (forms.some((form) => normalizeArabic(form) === text)) found.push({ scale, point });
    }
  }
  // "كتير" is "often" on one scale and "a lot of it" on another: a display like that names no point.
  if (A_LOT.has(text)) return null;
  return found.length === 1 ? (found[0] ?? null) : null;
}

/** Every built-in form of a scale point (normalised). */
export function formsOf(point: ScalePoint): readonly string[] {
  return SCALES[point.scale][point.point] ?? [];
}

/**
 * Real words one spelling edit from a scale form or a common display: "بدا" (started) is not
 * "ابدا" (never), "مرتي" (my wife) is not "مرات". They are never read as misspellings.
 */
const NEAR_MISSES = new Set(['بدا', 'بدء', 'بدينا', 'مرتي', 'مراتي', 'غالي', 'غاليه', 'دايخ', 'دايخه', 'قايما', 'قايم', 'نادي', 'ساعه', 'ساعتها', 'خفت', 'شدني', 'شدت', 'قليلين', 'موافي']);

export function isNearMiss(word: string): boolean {
  return NEAR_MISSES.has(word);
}
