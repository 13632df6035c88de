/**
 * Words that change what a named option means: negators ("مش دايما" is not "always"), fillers
 * that may sit between a negator and the option ("مش يعني دايما"), and markers of doubt
 * ("مدري"، "يمكن") after which no option is recorded without asking again.
 */

/** Normalised negation particles and negated existentials of MSA and the dialects. */
const NEGATORS = new Set([
  'مش', 'مو', 'مب', 'موب', 'مهب', 'مهو', 'ماهو', 'ماهي', 'مهي', 'مي', 'ما', 'لا', 'ليس', 'لست', 'ليست', 'لم', 'لن', 'غير', 'ولا', 'بدون',
  'مافي', 'مفيش', 'مافيش', 'ماكو', 'ماعندي', 'معنديش',
]);

/** Words that carry no meaning of their own in an answer. */
const FILLERS = new Set(['يعني', 'والله', 'هو', 'هي', 'اه', 'ام', 'امم', 'شوف', 'بصراحه', 'صراحه', 'طبعا', 'اكيد', 'حقيقه']);

/** Phrases of doubt: the caller does not know, or only guesses. */
const DOUBT_PHRASES: readonly (readonly string[])[] = [
  ['مدري'], ['مادري'], ['ما', 'ادري'], ['ما', 'بدري'], ['مش', 'عارف'], ['مش', 'عارفه'], ['مو', 'عارف'], ['مب', 'عارف'], ['ما', 'اعرف'], ['ما', 'بعرف'],
  ['معرفش'], ['مش', 'متاكد'], ['مش', 'متاكده'], ['مو', 'متاكد'], ['مب', 'متاكد'], ['لست', 'متاكد'], ['غير', 'متاكد'], ['مش', 'فاكر'], ['ما', 'اتذكر'],
  ['مو', 'متذكر'], ['ما', 'بتذكر'], ['يمكن'], ['ممكن'], ['بلكي'], ['يجوز'], ['احتمال'], ['ربما'], ['مش', 'عارف', 'اقول'], ['صعب', 'اقول'],
];

/** Particles that negate an adverb or adjective: "مش دايما" is "not always", never "no, always". */
const ADVERB_NEGATORS = new Set(['مش', 'مو', 'مب', 'موب', 'مهب', 'مهو', 'ماهو', 'ماهي', 'مهي', 'مي', 'ليس', 'ليست']);

/**
 * "لا" before an option may be "not" or "no, …" correcting what came before ("لا مش موافق"), and
 * "ولا" between two options is "or" ("متوسط ولا شديد"): either way the answer is asked again.
 */
const UNCLEAR_NEGATORS = new Set(['لا', 'ولا']);

function withoutAnd(word: string): string {
  return word.length > 2 && word.startsWith('و') && word !== 'ولا' ? word.slice(1) : word;
}

/** "موو"، "لاا"، "مشش": a negator drawn out in speech is still one. */
function notDrawnOut(word: string): string {
  return word.replace(/(.)\1+/gu, '$1');
}

/** "مش"، "ومو"، and fused negated verbs: Egyptian "مابيجيش"، Levantine "مابيجي". */
export function isNegator(word: string): boolean {
  const bare = notDrawnOut(withoutAnd(word));
  if (NEGATORS.has(bare)) return true;
  const letters = Array.from(bare).length;
  if (letters >= 5 && bare.startsWith('م') && bare.endsWith('ش')) return true;
  return letters >= 5 && bare.startsWith('ماب');
}

export function isFiller(word: string): boolean {
  return FILLERS.has(withoutAnd(word));
}

/** The caller says they do not know or are only guessing. */
export function expressesDoubt(words: readonly string[]): boolean {
  const bare = words.map(withoutAnd);
  return bare.some((_, start) => DOUBT_PHRASES.some((phrase) => phrase.every((word, offset) => bare[start + offset] === word)));
}

/**
 * Deferring the answer to someone else or to later: "موافق بس لازم اسال ولدي اول"، "خليني اشاور
 * بنتي"، "بفكر فيها". What the caller named is not yet their answer, so it is asked again.
 */
const DEFER_WORDS = new Set([
  'اسال', 'نسال', 'بسال', 'باسال', 'اساله', 'اسالها', 'اسالهم', 'نساله', 'نسالها',
  'اشاور', 'نشاور', 'بشاور', 'اشاوره', 'اشاورها', 'اتشاور', 'نتشاور', 'استشير', 'نستشير', 'استشيره', 'استشيرها',
  'افكر', 'بفكر', 'نفكر', 'ارجعلك', 'ارجعلكم', 'بشرط',
]);

/** The caller leaves the answer to someone else's word or to later (see DEFER_WORDS). */
export function defersAnswer(words: readonly string[]): boolean {
  return words.some((word) => DEFER_WORDS.has(withoutAnd(word)));
}

export function negatesAdverb(word: string): boolean {
  return ADVERB_NEGATORS.has(notDrawnOut(withoutAnd(word)));
}

export function isUnclearNegator(word: string): boolean {
  return UNCLEAR_NEGATORS.has(notDrawnOut(word));
}

/**
 * Comparisons, exceptions and variation: "اقل من متوسط"، "كل يوم ما عدا الجمعه"، "ساعات خفيف"
 * (sometimes mild) name an option but do not settle on it. They count only outside an option.
 */
const QUALIFIERS = new Set([...['احيانا', 'احيان', 'ساعات', 'مرات', 'اوقات', 'بعض'], 'نص', 'اقل', 'اكثر', 'اكتر', 'فوق', 'تحت', 'اعلى', 'ادنى', 'اقرب', 'قريب', 'عدا', 'ماعدا', 'الا', 'باستثناء']);

/** Words that make a negative answer weaker: "مش موافق اوي" is "not quite agreeing". */
const INTENSIFIERS = new Set(['اوي', 'قوي', 'كتير', 'كثير', 'وايد', 'جدا', 'مره', 'هواي', 'حيل', 'بالزاف']);

export function isQualifier(word: string): boolean {
  return QUALIFIERS.has(withoutAnd(word));
}

/** Words that soften an option: "موافق شوي" is not plainly "agree". */
const DIMINISHERS = new Set(['شوي', 'شويه', 'شوية', 'نوعا', 'نوع', 'حبه', 'حبتين']);

export function isIntensifier(word: string): boolean {
  return INTENSIFIERS.has(word);
}

export function isDiminisher(word: string): boolean {
  return DIMINISHERS.has(word);
}

/** "تقريبا ابدا" is "almost never": next to an end of a scale it may mean the point beside it. */
const APPROXIMATORS = new Set(['تقريبا', 'شبه', 'حوالي', 'يكاد']);

export function isApproximator(word: string): boolean {
  return APPROXIMATORS.has(withoutAnd(word));
}
