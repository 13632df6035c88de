import { agreement, code, frequency, medication, severity } from './testing/choice-scales';

describe('an answer left to someone else or to later is asked again', () => {
  test.each([
    'موافقه بس خليني اشاور بنتي',
    'انا موافق بس بدي استشير الدكتور تبعي',
    'غير موافق هلق بس بفكر فيها',
    'موافق بشرط يكون قريب من البيت',
    'محايد، لازم نسال ابوي',
  ])('%s', (text) => expect(code(text, agreement)).toBeNull());

  test.each([
    ['موافق', 'agree'],
    ['موافق، ابني سألني نفس الشي وقلتله موافق', 'agree'],
    ['مش موافق', 'disagree'],
    ['احيانا', 'sometimes'],
  ])('near miss: %s → %s', (text, expected) => expect(code(text, expected === 'sometimes' ? frequency : agreement)).toBe(expected));
});

describe('scale points said in the fourth blind set’s words', () => {
  test.each([
    // pain that "slaughters" or cannot be borne, with its object pronoun
    ['يذبح ذبح', 'severe', severity],
    ['قوي كتير ما اتحمله', 'severe', severity],
    // "in most times"
    ['في اغلب الاحيان', 'often', frequency],
    // no objection, does not suit, makes no difference
    ['والله ما في مانع', 'agree', agreement],
    ['هاد الشي ما بيناسبني', 'disagree', agreement],
    ['ما تفرق معي', 'neutral', agreement],
    ['لا موافق ولا مب موافق', 'neutral', agreement],
    // never missing a day, and one day taken, one forgotten
    ['ما افوته ولا يوم', 'daily', medication],
    ['مرات اخده ومرات انساه', 'some_days', medication],
  ])('%s → %s', (text, expected, options) => expect(code(text, options)).toBe(expected));

  test.each([
    // near misses: a point named but softened, or the phrase negated
    ['مش قوي', severity],
    ['مو في معظم الاحيان', frequency],
    ['ما افوته بس ساعات انساه', medication],
    // neither end of a four-point scale may be mild or moderate; most days may be nearly every day
    ['لا خفيف ولا قوي', severity],
    ['معظم الايام', medication],
  ])('near miss: %s is asked again', (text, options) => expect(code(text, options)).toBeNull());
});

describe('a medicine taken then, and now a plain no, is stopped', () => {
  test.each(['كنت اخده بس دلوقتي لا', 'كان يوميا بس هسه لا', 'زمان كنت اخذه كل يوم لكن الحين لا'])('%s → stopped', (text) => expect(code(text, medication)).toBe('stopped'));

  test.each([
    // today only, unsure, or nothing said of now
    'كنت اخذه كل يوم بس اليوم لا',
    'كنت اخده بس هلق لا ادري',
    'كنت اخذه كل يوم بس',
  ])('near miss: %s is asked again', (text) => expect(code(text, medication)).toBeNull());

  test('a plain no of now on another scale is no option', () => expect(code('كان دايما بس الحين لا', frequency)).toBeNull());
});

describe('"لا" opening a negated answer with never or none in it agrees with it', () => {
  test.each([
    ['لا ما بيصير معي ابدا', 'never', frequency],
    ['لا مش بحس فيه ابدا', 'never', frequency],
  ])('%s → %s', (text, expected, options) => expect(code(text, options)).toBe(expected));

  test.each([
    ['لا ما بدوخ دايما', frequency],
    ['لا مش ابدا', frequency],
    ['لا ما بيجي احيانا', frequency],
  ])('near miss: %s is asked again', (text, options) => expect(code(text, options)).toBeNull());
});
