/** "Not real pain", "I don't know whether to say yes or no": not an answer either way. */
import { parseYesNo, type YesNoContext } from './yes-no';

const present: YesNoContext = { tense: 'present', question: 'هل عندك ذلك؟' };

describe('a negated word said twice ("مو وجع وجع") is "not really": asked again', () => {
  test.each(['مش صداع صداع بس راسي ثقيل', 'هو مو الم الم يعني', 'لا مش تعب تعب', 'ما هو دوخه دوخه بس احس بشي'])('%s', (said) => {
    expect(parseYesNo(said, present)).toBe('uncertain');
  });

  test.each([
    ['لا مو وجع', 'no'],
    ['لا لا ما عندي', 'no'],
    ['ما في ولا شي', 'no'],
    ['مو شي شي', 'no'],
  ])('a plain negation is still read: %s is %s', (said, expected) => {
    expect(parseYesNo(said, present)).toBe(expected);
  });
});

describe('"I don\'t know", in the forms with "ماني"/"ما", and "yes or no" are asked again', () => {
  test.each(['ماني عارف والله', 'ما عارف شو اقولك', 'مانيش عارف', 'ما بعرف اذا اقول نعم او لا', 'محتار اقول اه ولا لا'])('%s', (said) => {
    expect(parseYesNo(said, present)).toBe('uncertain');
  });

  test('a plain answer beside "ما" is still read', () => {
    expect(parseYesNo('ما عندي شي', present)).toBe('no');
    expect(parseYesNo('اه عندي', present)).toBe('yes');
  });
});

describe('"I don\'t think so" with the Levantine/Egyptian present "ب" is a hedge, like "ما اظن"', () => {
  const pastWeek: YesNoContext = { tense: 'past', question: 'هل كان عندك ذلك خلال الأسبوع الماضي؟' };
  test.each(['لا ما بظن', 'مش بعتقد', 'ما بتوقع والله', 'لا مش متوقع'])('%s', (said) => {
    expect(parseYesNo(said, present)).toBe('uncertain');
    expect(parseYesNo(said, pastWeek)).toBe('uncertain');
  });

  test('a plain no after the same opening stays no', () => {
    expect(parseYesNo('لا ما بحس بشي', present)).toBe('no');
  });
});
