import { interpretSpeech, questionTense } from './interpret';
import type { Item } from './schema';

const yesNo = (text: string): Item => ({ id: 'q', type: 'boolean', text, required: true, enable_when: [], confirm: 'when_uncertain', red_flag: [] });

test('a question\'s time comes from its wording', () => {
  expect(questionTense('هل عندك صداع؟')).toBe('present');
  expect(questionTense('هل تشعر بضيق في التنفس الآن؟')).toBe('present');
  expect(questionTense('هل كان عندك صداع خلال الأسبوع الماضي؟')).toBe('past');
  expect(questionTense('هل أصبت بالحمى منذ خروجك من المستشفى؟')).toBe('past');
  expect(questionTense('هل عندك حرارة منذ خروجك؟')).toBe('unknown'); // both: asked again on "then, but now"
  expect(questionTense('صداع؟')).toBe('unknown');
});

test('"it was, but now fine" answers the question that was asked', () => {
  const said = 'كان عندي صداع بس الحين زين';
  expect(interpretSpeech(yesNo('هل عندك صداع الآن؟'), said)).toEqual({ kind: 'value', value: false });
  expect(interpretSpeech(yesNo('هل كان عندك صداع خلال الأسبوع الماضي؟'), said)).toEqual({ kind: 'value', value: true });
  expect(interpretSpeech(yesNo('صداع؟'), said)).toEqual({ kind: 'uncertain' });
});
