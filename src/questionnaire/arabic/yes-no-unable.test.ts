import { parseYesNo, type YesNoContext } from './yes-no';

const present: YesNoContext = { tense: 'present', question: 'هل عندك ذلك؟' };
const pastWeek: YesNoContext = { tense: 'past', question: 'هل كان عندك ذلك خلال الأسبوع الماضي؟' };
const canYou: YesNoContext = { tense: 'present', question: 'هل تستطيع صعود الدرج؟' };
const doYou: YesNoContext = { tense: 'present', question: 'هل تمشي بدون مساعدة؟' };
const hardFor: YesNoContext = { tense: 'present', question: 'هل تجد صعوبة في النوم؟' };

describe('what the caller cannot do for the symptom', () => {
  test.each([
    ['ما اقدر انام من الوجع', present],
    ['مش قادر اكل من كتر الغثيان', present],
    ['ما بقدر امشي منيح من الدوخه', present],
    ['ما قدرت انام من الكحه', pastWeek],
    ['ما اقدر انام من الكحه', hardFor],
    // beside a yes already said
    ['ظهري يوجعني وما اقدر انحني', present],
    ['عندي ضيق وما اقدر امشي كثير', present],
  ] as const)('%s is yes', (text, context) => {
    expect(parseYesNo(text, context)).toBe('yes');
  });

  test.each([
    // asked whether they can: the same words are not a yes
    ['ما اقدر اطلع الدرج من الضيق', canYou],
    // asked whether they do it, the inability is a no, not a yes
    ['ما اقدر امشي من الوجع', doYou],
    // an inability alone, beside a no, or asked back
    ['ما اقدر انحني', present],
    ['لا ما اقدر امشي كثير', present],
    ['ما عندي الم وما اقدر امشي', present],
    ['ما اقدر انام من الوجع؟', present],
  ] as const)('%s is not yes', (text, context) => {
    expect(parseYesNo(text, context)).not.toBe('yes');
  });

  test('"I could not" is not a no', () => {
    expect(parseYesNo('ما قدرت انام', pastWeek)).not.toBe('no');
  });
});

describe('then, and now "a little"', () => {
  test.each(['امبارح كان قوي، وهلق كمان شوي', 'كان عندي امس والحين شويه'])('%s is yes to now', (text) => {
    expect(parseYesNo(text, { tense: 'present', now: true, question: 'هل عندك ذلك الآن؟' })).toBe('yes');
  });

  test.each(['كان عندي امس بس الحين راح شوي', 'كان قوي بس الحين احسن شوي'])('%s is asked again', (text) => {
    expect(parseYesNo(text, { tense: 'present', now: true, question: 'هل عندك ذلك الآن؟' })).toBe('uncertain');
  });
});
