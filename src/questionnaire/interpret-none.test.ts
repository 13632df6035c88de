import { interpretSpeech } from './interpret';
import type { Item } from './schema';

const base: Pick<Item, 'id' | 'required' | 'enable_when' | 'confirm' | 'red_flag'> = { id: 'q', required: true, enable_when: [], confirm: 'when_uncertain', red_flag: [] };
const pain: Item = { ...base, type: 'integer', text: 'كم درجة الألم عندك من صفر إلى عشرة؟', min: 0, max: 10 };
const days: Item = { ...base, type: 'integer', text: 'منذ كم يوم بدأت الحرارة؟', unit: 'يوم', min: 0, max: 30 };
const sugar: Item = { ...base, type: 'integer', text: 'كم كانت قراءة السكر؟', min: 20, max: 600 };
const temperature: Item = { ...base, type: 'decimal', text: 'كم حرارتك؟', min: 34, max: 43 };

describe('a zero said without a number', () => {
  test.each(['ما في وجع', 'ما في ألم ابدا', 'مفيش وجع خالص', 'ماكو الم', 'ولا شي', 'صفر ما في وجع'])('"%s" on a pain score is 0', (said) => {
    expect(interpretSpeech(pain, said)).toEqual({ kind: 'value', value: 0 });
  });

  test.each(['ولا يوم', 'ولا يوم الحمد لله'])('"%s" to a count of days is 0', (said) => {
    expect(interpretSpeech(days, said)).toEqual({ kind: 'value', value: 0 });
  });

  test.each([
    ['a denied number then another', 'لا مش سبعة، تمانية'],
    ['what it was, then a change', 'كان عشرة بس هلا خف'],
    ['not much pain', 'ما في وجع كتير'],
    ['a hedge', 'ما ادري'],
  ])('%s is not a zero: %s', (_why, said) => {
    expect(interpretSpeech(pain, said)).not.toEqual({ kind: 'value', value: 0 });
  });

  test('"no pain" answers only a question about pain, and only one that takes 0', () => {
    expect(interpretSpeech(temperature, 'ما في وجع').kind).toBe('no_match');
    expect(interpretSpeech(sugar, 'ولا شي').kind).toBe('no_match');
    // "الماضي" holds the letters of "الم" but names no pain.
    const vomiting: Item = { ...base, type: 'integer', text: 'كم مرة تقيأت في الأسبوع الماضي؟', min: 0, max: 30 };
    expect(interpretSpeech(vomiting, 'ما في').kind).toBe('no_match');
  });

  test('"not one day" followed by anything but thanks is not a zero', () => {
    expect(interpretSpeech(days, 'ولا يوم بس امس شوي').kind).not.toBe('value');
  });
});
