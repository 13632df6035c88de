import { parseYesNo, type YesNoContext } from './yes-no';

const present: YesNoContext = { tense: 'present', question: 'هل عندك ذلك؟' };
const now: YesNoContext = { tense: 'present', now: true, question: 'هل عندك ذلك الآن؟' };
const pastWeek: YesNoContext = { tense: 'past', question: 'هل كان عندك ذلك خلال الأسبوع الماضي؟' };

describe('a symptom stated as present, with no yes or no', () => {
  test.each(['صدري ضايق شوي', 'بطني منفوخ', 'ظهري يوجع', 'حلقي يحرق', 'شي بسيط', 'دوخه خفيفه', 'والله راسي مصدع'])('%s is yes', (text) => {
    expect(parseYesNo(text, present)).toBe('yes');
  });

  test('said with "now" to a question about now', () => {
    expect(parseYesNo('هلق صدري ضايق', now)).toBe('yes');
    expect(parseYesNo('يا ابني ايوه الحين بطني يوجع', now)).toBe('yes');
  });

  test.each([
    // negation anywhere
    ['راسي ما يدور', 'no'],
    ['صدري مو ضايق', 'no'],
    ['ولا حاجه بسيطه', 'no'],
    // a past, an "if", a question, a hedge, a time: asked again or left unread
    ['كان صدري ضايق', null],
    ['امبارح بطني كان منفوخ', null],
    ['لو راسي يدور', null],
    ['صدري ضايق؟', null],
    ['بطني يوجع يمكن', 'uncertain'],
    ['ظهري يوجع بس خف', 'uncertain'],
    // someone else's body
    ['ابوي نفسه ضايق', null],
    ['زوجي صدره ضايق', null],
    // a body part with no state, or a state of mind
    ['قلبي', null],
    ['قلبي معك', null],
    ['جسمي زين', null],
    ['نفس الشي', null],
    ['نفسي ابطل التدخين', null],
  ])('%s → %s', (text, expected) => {
    expect(parseYesNo(text, present)).toBe(expected);
  });

  test('not read for a question about the past week', () => {
    expect(parseYesNo('صدري ضايق', pastWeek)).not.toBe('yes');
  });

  test('a question naming its own symptom is answered only by that symptom', () => {
    const breath: YesNoContext = { tense: 'present', question: 'هل تشعر بضيق في التنفس؟' };
    const headache: YesNoContext = { tense: 'present', question: 'هل عندك صداع؟' };
    expect(parseYesNo('نفسي ضايق', breath)).toBe('yes');
    expect(parseYesNo('بطني منفوخ', breath)).not.toBe('yes');
    expect(parseYesNo('راسي يدور', headache)).not.toBe('yes');
  });
});

describe('Iraqi/Gulf "ضايج" (ق said as ج) and "بعدني" (still)', () => {
  const nowAsked = { tense: 'present' as const, question: 'هل عندك ذلك الآن؟', now: true };
  test.each(['صدري ضايج', 'بعدني دايخ', 'بعده راسي يوجع', 'هسه ضايجه شوي'])('%s is yes', (said) => {
    expect(parseYesNo(said, nowAsked)).toBe('yes');
  });

  test('anything else said beside it, or another symptom asked about, is not read so', () => {
    expect(parseYesNo('ضايج من الشغل', nowAsked)).not.toBe('yes');
    expect(parseYesNo('ضايج', { tense: 'present', question: 'هل عندك صداع؟' })).not.toBe('yes');
    expect(parseYesNo('بعدني ما ضايج', nowAsked)).not.toBe('yes');
  });
});
