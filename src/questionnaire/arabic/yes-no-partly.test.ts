import { parseYesNo, type YesNoContext } from './yes-no';

const present: YesNoContext = { tense: 'present', question: 'هل عندك ذلك؟' };
const now: YesNoContext = { tense: 'present', now: true, question: 'هل عندك ذلك الآن؟' };

describe('not much, or not always, but there', () => {
  test.each([
    // "لا" is the "not" of "not much"
    'لا مش كتير بس في شويه',
    'لا مو وايد بس عندي',
    'لا مش دايما بس بحس فيه',
    // "مش على طول" (Egyptian "not always") is "مش دايما"
    'اه بس مش على طول',
    'ايوه بس مش علطول',
    'مش على طول بس موجود',
    // after a "but", "it comes" says it is there
    'مو دايم بس يجي',
    'مش كل يوم بس بيجي بالليل',
  ])('%s is yes', (text) => {
    expect(parseYesNo(text, present)).toBe('yes');
  });

  test.each([
    // alone, "not much"/"not always" does not say whether it is there
    'لا مش كتير',
    'لا مو دايما',
    'مش على طول',
    // "but it does not come", or a denial beside it
    'مش دايما بس ما بيجي',
    'لا مو كثير ما في',
  ])('%s is asked again', (text) => {
    expect(parseYesNo(text, present)).toBe('uncertain');
  });

  test('"it comes" with more after it is not read as there', () => {
    expect(parseYesNo('بس بيجي الدكتور بكره', present)).toBeNull();
  });

  test.each(['مش دايما بس بيجي', 'اه بس مش على طول'])('%s does not answer "now"', (text) => {
    expect(parseYesNo(text, now)).toBe('uncertain');
  });
});

describe('it has not eased', () => {
  test.each(['ما خف', 'والله ما خف ابدا', 'لا ما هدي', 'ما خفيت لحد الان'])('%s is yes', (text) => {
    expect(parseYesNo(text, present)).toBe('yes');
  });

  test.each([
    // eased is less, not gone; "ما خفت" may be "I was not afraid", "ما هديت" "I did not calm down"
    'خف',
    'ما خفت',
    'ما هديت',
  ])('%s is asked again', (text) => {
    expect(parseYesNo(text, present)).toBe('uncertain');
  });
});

describe('"يمه" (an elderly caller\'s "dear") says nothing of its own', () => {
  test.each(['يمه هسه شويه', 'والله يبه الحين شوي'])('%s is yes', (text) => {
    expect(parseYesNo(text, now)).toBe('yes');
  });

  test.each(['هسه الجو حار شويه', 'اليوم شغل كثير يمه'])('%s, about something else, is asked again', (text) => {
    expect(parseYesNo(text, now)).toBe('uncertain');
  });
});

describe('only at one part of the day', () => {
  test.each(['بس الصبح', 'العصر بس', 'بس الصبح والمسا', 'فقط بالمسا'])('%s is yes', (text) => {
    expect(parseYesNo(text, present)).toBe('yes');
  });

  test.each(['بس الصبح', 'الليل بس'])('%s does not answer "now"', (text) => {
    expect(parseYesNo(text, now)).toBe('uncertain');
  });

  test.each(['الصبح', 'بس الصبح؟', 'بس الصبح كان', 'بس الصبح ما في', 'بس الصبح او الليل'])('%s is not read as yes', (text) => {
    expect(parseYesNo(text, present)).not.toBe('yes');
  });
});

describe('how strongly, or how often it comes back', () => {
  test.each([
    ['بقوه', present],
    ['بشده والله', now],
    ['الصداع بيتكرر كل اسبوع', present],
    ['الدوخه تتكرر', present],
  ] as const)('%s is yes', (text, context) => {
    expect(parseYesNo(text, context)).toBe('yes');
  });

  test.each([
    ['مش بشده', present],
    ['ما يتكرر', present],
    // comes back is not "there now"
    ['الالم بيتكرر كل كم يوم', now],
  ] as const)('%s is not yes', (text, context) => {
    expect(parseYesNo(text, context)).not.toBe('yes');
  });
});

describe('the caller got well', () => {
  test.each(['طبت الحمد لله', 'خلاص تعافيت والحمد لله', 'الحمدلله شفيت'])('%s is no', (text) => {
    expect(parseYesNo(text, present)).toBe('no');
  });

  test.each([
    ['ما طبت', present],
    // alone, it may be asked back ("طبت؟"), as "راح" alone is asked again
    ['طبت؟', present],
    // well again, so it was there in the week
    ['طبت', { tense: 'past', question: 'هل كان عندك ذلك خلال الأسبوع الماضي؟' }],
  ] as const)('%s is not no', (text, context) => {
    expect(parseYesNo(text, context)).not.toBe('no');
  });
});
