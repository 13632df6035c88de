/** How elderly callers answer in speech: some of the time, "not much but…", courtesy, fine, then and now. */
import { parseYesNo } from './yes-no';

const present = { tense: 'present' as const, question: 'هل عندك دوخة؟' };
const now = { tense: 'present' as const, question: 'هل عندك دوخة الآن؟', now: true };

describe('some of the time is a yes, except to a question about now', () => {
  test.each(['بيجي وبيروح', 'ساعه يروح وساعه يرجع', 'ساعات اه وساعات لا', 'مرات اكو مرات ماكو', 'أحيانا نعم وأحيانا لا'])('%s', (said) => {
    expect(parseYesNo(said, present)).toBe('yes');
    expect(parseYesNo(said, now)).toBe('uncertain');
  });
});

describe('there, if not much or not always', () => {
  test.each(['اي بس مو دايم', 'مو قوي بس موجود', 'مش كتير بس في', 'فيه بس مو قوي'])('%s is yes', (said) => {
    expect(parseYesNo(said, present)).toBe('yes');
  });
  test.each(['مش كتير', 'مو دايم', 'مش كتير بس ما عندي'])('%s alone, or beside a no, is asked again', (said) => {
    expect(parseYesNo(said, present)).toBe('uncertain');
  });
});

describe('courtesy and "fine"', () => {
  test.each([
    ['ايه الله يسلمك', 'yes'],
    ['لا ما ابغى شي الله يسلمك', 'no'],
    ['ما بدي شي يا بنتي', 'no'],
    ['ما ابي اتعبك بس عندي دوخه', 'yes'],
    ['ما ابي اشيل هم، ما فيني شي', 'no'],
    ['ما ابي اتعبك', 'uncertain'],
    ['عادي مافي شي', 'no'],
    ['لا تمام الحمد لله', 'no'],
    ['تمام', 'uncertain'],
    ['اه عادي', 'uncertain'],
    ['ما لاحظت شي', 'no'],
    ['ما لاحظت', 'uncertain'],
    ['خالص', 'no'],
    ['ايييه', 'yes'],
    ['نععم', 'yes'],
    ['مبلى', 'yes'],
    ['ايه', 'uncertain'],
  ])('%s is %s', (said, expected) => {
    expect(parseYesNo(said, present)).toBe(expected);
  });
});

describe('an aside with no "but", then a symptom said to be there', () => {
  test.each(['ما ابي اخوفك عندي صداع', 'ما بدي ازعجك فيه شويه', 'ما ابغى اكذب عليك في دوخه'])('%s is yes', (said) => {
    expect(parseYesNo(said, present)).toBe('yes');
  });
  test.each([
    // "في شي" after an aside is "in anything"; "عندي شغل" is not a symptom
    'ما ابي اتعبك في شي',
    'ما بدي روح عالمستشفى عندي شغل',
  ])('%s is not yes', (said) => {
    expect(parseYesNo(said, present)).not.toBe('yes');
  });
});

describe('then and now, asked about the present', () => {
  test.each([
    ['كان بس خلاص', 'no'],
    ['كنت تعبان بس دلوقتي الحمد لله', 'no'],
    ['اه بس هلق راح', 'no'],
    ['كان فيه ورجع', 'yes'],
    ['دلوقتي لا بس الصبح كان', 'no'],
    ['الحين بالضبط لا بس من شوي كان', 'no'],
    ['لسا فيه', 'yes'],
  ])('%s is %s', (said, expected) => {
    expect(parseYesNo(said, now)).toBe(expected);
  });
});

describe('a symptom named as back is there', () => {
  test.each(['عادت الدوخه', 'رجع الصداع من اول امس', 'الكحه رجعت', 'ورجعت الحراره'])('%s is yes', (said) => {
    expect(parseYesNo(said, present)).toBe('yes');
  });
  test.each([
    ['not back', 'الوجع ما رجع', 'no'],
    ['no longer', 'ما عاد فيه الم', 'no'],
    ['the caller came back, not a symptom', 'رجعت البيت', null],
    ['back from work', 'رجع من الشغل', null],
  ])('%s: %s is %s', (_why, said, expected) => {
    expect(parseYesNo(said, present)).toBe(expected);
  });
});

describe('"not much" spends its negation on "much"', () => {
  test('what follows a filler then says there is some', () => {
    expect(parseYesNo('مو كثير والله فيه شوي', present)).toBe('yes');
  });
  test.each(['مش كتير ما في', 'مو كثير بس ما عندي', 'مش كتير'])('%s is still asked again', (said) => {
    expect(parseYesNo(said, present)).toBe('uncertain');
  });
  test('"في" with the article after a filler is "in", not "there is"', () => {
    expect(parseYesNo('يعني في الليل', present)).toBeNull();
  });
});

describe('a whole answer written as one word', () => {
  test.each([
    ['ايفيه', 'yes'],
    ['ايعندي', 'yes'],
    ['لامافي', 'no'],
    ['لامفيش', 'no'],
    ['لاماعندي', 'no'],
  ])('%s → %s', (said, expected) => expect(parseYesNo(said, present)).toBe(expected));

  test.each(['لاعندي', 'ايكو', 'لازم'])('%s is not split into a yes or a no', (said) => expect(parseYesNo(said, present)).toBeNull());
});
