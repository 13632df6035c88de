import { parseYesNo, type YesNoContext } from './yes-no';

const present: YesNoContext = { tense: 'present', question: 'هل عندك ذلك؟' };
const now: YesNoContext = { tense: 'present', now: true, question: 'هل عندك ذلك الآن؟' };

describe('a story whose last part names the thing asked about', () => {
  test.each([
    ['يا ابني انا رجلي تعبانه وظهري كمان بس هذا الشي لا ما فيه', 'no'],
    ['انا عندي الضغط بس هيدا بالذات ما عندي', 'no'],
    ['كل الاعضاء تعبانه بس هاد اللي بتسالي عنه لا والحمد لله', 'no'],
    ['ما عندي شي ثاني بس هذا الشي عندي', 'yes'],
  ])('%s → %s', (text, expected) => {
    expect(parseYesNo(text, present)).toBe(expected);
  });

  test.each([
    // the last part hedges, is cut short, names a medicine or another time
    'كل شي بيوجعني بس هاد الشي ما ادري',
    'عندي ضغط بس هذا مو',
    'بس هذا الدوا ما عندي',
    'انا تعبان بس هاد الشي يمكن لا',
    'بس ده كان عندي',
  ])('%s is not read from its last part', (text) => {
    expect(['uncertain', null]).toContain(parseYesNo(text, present));
  });
});

describe('"still there" said last', () => {
  test.each(['راح شوي بس لسه موجود', 'كان عندي بس لسا فيه شوي', 'هدي بس لسا يوجعني'])('%s is yes', (text) => {
    expect(parseYesNo(text, now)).toBe('yes');
  });

  test.each([
    // something denied before, a question, nothing said after "still"
    'ما عندي الم بس لسا فيه ضيق',
    'خف بس لسا فيه؟',
    'خف بس لسا',
    'خف بس لسا فيه ضيق بصدري',
  ])('%s is asked again', (text) => {
    expect(parseYesNo(text, now)).toBe('uncertain');
  });
});

describe('now, against another time', () => {
  test.each(['هلق بلش', 'الحين بدا', 'هسه بلشت شوي'])('%s: it has started now, yes', (text) => {
    expect(parseYesNo(text, now)).toBe('yes');
  });

  test.each([
    ['بلشت', null],
    ['هسه ما بلشت', 'no'],
    ['هسه بلشت الدوا', null],
    ['هسه بلشت؟', null],
  ])('%s → %s', (text, expected) => {
    expect(parseYesNo(text, now)).toBe(expected);
  });

  test.each(['هلق منيح بس ما بعرف بالليل', 'الحين زين بس بالليل يجيني', 'دلوقتي كويس بس امبارح كان'])('asked about now, %s is no', (text) => {
    expect(parseYesNo(text, now)).toBe('no');
  });

  test('fine now but another time, to a plain question, is not no', () => {
    expect(parseYesNo('الحين زين بس بالليل يجيني', present)).not.toBe('no');
  });
});

describe('an answer for now, then "but" and an earlier time', () => {
  test.each([
    ['لا والحمد لله بس امبارح كان في شوي', 'no', present],
    ['ما في شي هلق بس البارحه كان يوجعني', 'no', now],
    ['انا منيحه هلا وما في شي، بس امس كان تعبني', 'no', now],
    ['فيه شويه بس مش زي امبارح', 'yes', now],
    ['هلا شوي بس مش زي امبارح', 'yes', now],
    ['هلا عندي شوي بس مو مثل البارحه، البارحه كان وايد', 'yes', now],
  ] as const)('%s → %s', (text, expected, context) => {
    expect(parseYesNo(text, context)).toBe(expected);
  });

  test.each([
    // since yesterday, started yesterday, still, came back, or not gone: it may reach now
    'لا بس من امس عندي',
    'لا بس امس بدا',
    'لا بس امبارح كان ولسه',
    'ما في بس امس رجع',
    'لا بس امس كان وما راح',
  ])('%s is not read as no', (text) => {
    expect(parseYesNo(text, present)).not.toBe('no');
  });

  test('a question is not read this way', () => {
    expect(parseYesNo('لا بس امس كان عندي؟', present)).not.toBe('no');
  });

  test.each(['ايوه بس امبارح كان اكثر', 'اي بس البارحه كان وايد'])('%s: a bare yes before an earlier time is not read as yes to now', (text) => {
    expect(parseYesNo(text, now)).not.toBe('yes');
  });
});

describe('"not now", said last after what was', () => {
  test.each(['كان عندي الصبح لكن مش الحين', 'كان موجود بس مو هسه', 'كانت موجوده امس ولكن ليست الان'])('%s is no to now', (text) => {
    expect(parseYesNo(text, now)).toBe('no');
  });

  test.each(['كان موجود بس مو هسه بس بالليل يرجع', 'كان عندي وما راح لحد هسه'])('%s is not read as no', (text) => {
    expect(parseYesNo(text, now)).not.toBe('no');
  });
});

describe('"still there" in a last clause of its own', () => {
  test.each(['العلاج ما نفع، لسا موجود', 'المسكن مش مكفي، لسه بيوجعني', 'الحبوب ما فادت، لسه فيه شوي'])('%s is yes', (text) => {
    expect(parseYesNo(text, present)).toBe('yes');
  });

  test.each([
    // a denial of having something before it names two things
    'ما عندي الم، لسه فيه ضيق',
    'ما في شي، لسه فيه',
    // a question, or more than "still there" after it
    'الدوا مو كافي، لسه يوجعني؟',
    'الدوا مو كافي، لسه فيه ضيق بصدري',
  ])('%s is not read as yes', (text) => {
    expect(parseYesNo(text, present)).not.toBe('yes');
  });
});
