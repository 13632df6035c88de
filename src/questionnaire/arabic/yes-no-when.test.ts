import { parseYesNo, type YesNoContext } from './yes-no';

const pastWeek: YesNoContext = { tense: 'past', question: 'هل كان عندك ذلك خلال الأسبوع الماضي؟' };
const now: YesNoContext = { tense: 'present', now: true, question: 'هل عندك ذلك الآن؟' };
const present: YesNoContext = { tense: 'present', question: 'هل عندك ذلك؟' };

describe('a time beyond the past week', () => {
  test.each([
    // a month or more ago, and said to be over
    ['لا، كان عندي قبل شهرين', 'no'],
    ['اخر مره جاني من كم شهر', 'no'],
    ['قبل سنه كان عندي بس ما عاد', 'no'],
    ['من تلات شهور جاني وما رجع', 'no'],
    // a month ago, said alone: the week is not said to be free
    ['كان عندي قبل شهر', 'uncertain'],
    ['جاني الشهر الماضي', 'uncertain'],
  ])('%s → %s', (text, expected) => {
    expect(parseYesNo(text, pastWeek)).toBe(expected);
  });

  test.each([
    // near misses: for a month and still, or back this week
    ['من شهر وانا عندي', 'yes'],
    ['من شهرين وهو يوجعني', 'yes'],
  ])('%s is not placed beyond the week (%s)', (text, expected) => {
    expect(parseYesNo(text, pastWeek)).toBe(expected);
  });

  test('what is said of the week itself decides', () => {
    expect(parseYesNo('قبل شهرين كان بس هالاسبوع لا', pastWeek)).not.toBe('yes');
    expect(parseYesNo('من شهر كان عندي ورجع امس', pastWeek)).not.toBe('no');
  });

  test('a question about now is not read this way', () => {
    expect(parseYesNo('لا، كان عندي قبل شهرين', present)).not.toBe('yes');
  });
});

describe('earlier today, asked about now', () => {
  test.each([
    ['جاني قبل ساعتين', 'uncertain'],
    ['اي حسيت فيه قبل شوي', 'uncertain'],
    ['كان عندي قبل نص ساعه', 'uncertain'],
    ['جاني من ساعه', 'uncertain'],
  ])('%s → %s', (text, expected) => {
    expect(parseYesNo(text, now)).toBe(expected);
  });

  test.each([
    // for an hour and still: there now
    ['من ساعتين يوجعني', 'yes'],
    ['قبل ساعه بدا ولسا موجود', 'yes'],
  ])('%s → %s', (text, expected) => {
    expect(parseYesNo(text, now)).toBe(expected);
  });
});

describe('a part of the day, asked about now', () => {
  test.each(['الصبح بس يجيني', 'يجيني بالمسا', 'في الليل بيوجعني'])('%s is asked again', (text) => {
    expect(parseYesNo(text, now)).toBe('uncertain');
  });

  test('asked whether they have it at all, it is there', () => {
    expect(parseYesNo('يجيني بالمسا', present)).toBe('yes');
  });

  test('with "now" said, the now decides', () => {
    expect(parseYesNo('الحين لا، بس بالليل يجيني', now)).toBe('no');
    expect(parseYesNo('هلق بالليل ما في شي', now)).not.toBe('yes');
  });
});

describe('a condition the question did not ask about', () => {
  test.each(['عندي دوخه بس مش هاد اللي بتسالي عنه', 'في وجع بالظهر بس مو هذا اللي تقصده', 'اي عندي بس مش ده اللي بتسال عليه'])('%s is asked again', (text) => {
    expect(parseYesNo(text, present)).toBe('uncertain');
  });

  test('naming the thing asked about is not a denial of it', () => {
    expect(parseYesNo('هاد اللي بتسالي عنه عندي', present)).toBe('yes');
  });
});

describe('a return said not to have happened', () => {
  test('"كان… وما رجع" is not "it came back"', () => {
    expect(parseYesNo('كان عندي وبعدين ما رجع', present)).not.toBe('yes');
    expect(parseYesNo('كان عندي وبعدين رجع', present)).toBe('yes');
  });
});

describe('a day inside the past week', () => {
  test.each(['البارحه بس', 'اول امس كان فيه', 'قبل اربع ايام', 'الخميس كان بس الحين لا', 'من يومين كان شوي', 'اه قبل امس بالليل'])('%s is yes to the past week', (text) => {
    expect(parseYesNo(text, pastWeek)).toBe('yes');
  });

  test.each([
    // a question, a negation, a time beyond the week, someone else, another matter
    'امبارح؟',
    'امس ما كان',
    'مو امس',
    'قبل عشر ايام',
    'قبل تلات اسابيع',
    'امس كان الحمد لله زين',
    'لو امبارح',
    'امس كان عندها',
    'كان امبارح عيد',
    'امبارح كان بس مش متاكد',
  ])('%s is not read as yes', (text) => {
    expect(parseYesNo(text, pastWeek)).not.toBe('yes');
  });

  test('not read for a question about now', () => {
    expect(parseYesNo('امبارح بس', now)).not.toBe('yes');
  });
});

describe('more days ago than the week holds', () => {
  test.each([
    ['اخر مره قبل 10 ايام', 'no'],
    ['اخر مره قبل عشر ايام', 'no'],
    ['لا بس قبل اسبوعين كان', 'no'],
    ['قبل عشر ايام كان عندي', 'uncertain'],
    ['قبل اسبوعين', 'uncertain'],
    // near misses: inside the week, or for two weeks and still
    ['قبل 3 ايام', 'yes'],
    ['من اسبوعين وانا عندي', 'yes'],
  ])('%s → %s', (text, expected) => {
    expect(parseYesNo(text, pastWeek)).toBe(expected);
  });
});
