import { parseYesNo, type YesNoContext } from './yes-no';

const present: YesNoContext = { tense: 'present', question: 'هل عندك ذلك؟' };

describe('what the doctor said or did, beside the caller\'s own answer', () => {
  test.each([
    // the doctor's "normal" or "not serious" is not the caller's "fine"
    ['ايوه فيه بس الدكتوره قالت عادي', 'yes'],
    ['اه عندي بس الطبيب قال مش خطير', 'yes'],
    // what the doctor did, then how it is
    ['الدكتور كتبلي علاج وهلق ما في شي', 'no'],
    ['الطبيب عطاني ابره واختفى الالم', 'no'],
    ['الدكتور عطاني حبوب ورجع الوجع', 'yes'],
    // "and indeed" agrees with the doctor; what follows answers
    ['الدكتوره قالت لي انك سليمه وفعلا ما عندي شي', 'no'],
  ])('%s → %s', (text, expected) => {
    expect(parseYesNo(text, present)).toBe(expected);
  });

  test.each([
    // the doctor's words alone, or "indeed" alone, answer nothing
    'الدكتور قال عادي',
    'الطبيب قال لي اني بخير وفعلا',
    'الدكتور عطاني مسكن',
    // what the caller says after it is about the medicine, not the symptom
    'الدكتور قال لازم اخذ الدوا وانا ما اخذه',
  ])('%s answers nothing', (text) => {
    expect(parseYesNo(text, present)).toBeNull();
  });

  test.each([
    // the doctor says the opposite of the caller
    'ما عندي بس الدكتور قال عندك التهاب',
    'الدكتوره قالت ما فيك شي بس انا احس بالم',
  ])('%s is asked again', (text) => {
    expect(parseYesNo(text, present)).toBe('uncertain');
  });
});
