import { isMedicationQuestion } from './medication-answer';
import { parseYesNo } from './yes-no';

const taking = 'هل تأخذ دواءك كما وصفه الطبيب؟';
const stopping = 'هل توقفت عن أي دواء هذا الأسبوع؟';
const symptom = 'هل عندك ألم في الصدر؟';

test('only a question about taking the medicine is one', () => {
  expect(isMedicationQuestion(taking)).toBe(true);
  expect(isMedicationQuestion('هل تتناول العلاج بانتظام؟')).toBe(true);
  expect(isMedicationQuestion(stopping)).toBe(false);
  expect(isMedicationQuestion(symptom)).toBe(false);
});

describe('asked whether the medicine is taken', () => {
  test.each([
    ['ايه اخذه الصبح والليل', 'yes'],
    ['ابشر ماخذه كل يوم', 'yes'],
    ['بنتي تجيب لي الدوا وانا اخذه', 'yes'],
    ['اخذ 3 حبات يوميا', 'yes'],
    ['وقفت الدوا', 'no'],
    ['بطلته من اسبوع', 'no'],
    ['لا مش باخده', 'no'],
    ['ما قدرت اكمل الدوا عشان المعده', 'no'],
    ['لا والله نسيته ذي الايام', 'no'],
    // Partly, conditionally, or a participle that may be "ما اخذه" run together: asked again.
    ['اخذه بس مو كل يوم', 'uncertain'],
    ['باخده لما افتكر', 'uncertain'],
    ['نسيته كم مره', 'uncertain'],
    ['ماخذه', 'uncertain'],
  ])('"%s" is %s', (said, expected) => {
    expect(parseYesNo(said, { question: taking })).toBe(expected);
  });

  test('what the caller wants, or what the doctor did, is left to the general reading (asked again)', () => {
    expect(parseYesNo('ما بدي كمل الدوا', { question: taking })).toBe('uncertain');
    expect(parseYesNo('الدكتور وقف الدوا', { question: taking })).toBeNull();
  });
});

test('the same words answer nothing when the question is about a symptom or about stopping', () => {
  for (const question of [symptom, stopping]) {
    expect(parseYesNo('وقفت الدوا', { question })).not.toBe('no');
    expect(parseYesNo('اخذه يوميه', { question })).not.toBe('yes');
  }
});
