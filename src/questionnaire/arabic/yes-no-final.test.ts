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
