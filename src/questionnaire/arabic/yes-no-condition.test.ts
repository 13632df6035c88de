/** Asked about now, when it comes ("لما امشي"، "اذا تعبت") is not whether it is there now. */
import { parseYesNo, type YesNoContext } from './yes-no';

const now: YesNoContext = { tense: 'present', question: 'هل عندك ذلك الآن؟', now: true };
const present: YesNoContext = { tense: 'present', question: 'هل عندك ذلك؟' };

describe('asked about now', () => {
  test.each([
    'لا بس اذا طلعت الدرج يجيني',
    'لا، لكن لما اتعب بيجي',
    'لا ما في بس قبل ما انام تجيني',
    'لا والله بس كل ما اكل احس بحموضه',
    'لا بس لمن امشي كثير يعورني',
  ])('"no", then when it comes, is no: %s', (said) => {
    expect(parseYesNo(said, now)).toBe('no');
  });

  test.each([
    // only when it comes, no answer for now
    'لما امشي يجيني',
    'اذا مشيت كثير احس بضيق',
    'كل ما اطلع الدرج يوجعني',
    // "yes" beside when it comes: now, or only then?
    'اي لما امشي يجيني',
    'ايوه عندي وبيزيد لما امشي',
    // it was, and when it comes: nothing said of now
    'لا كان عندي بس لما امشي يجيني',
    // the opening is not a plain no
    'ما ادري اذا هو نفس الوجع',
  ])('anything else is asked again: %s', (said) => {
    expect(parseYesNo(said, now)).toBe('uncertain');
  });

  test('an answer that names now is read by the rest', () => {
    expect(parseYesNo('لا هلق لا بس لما امشي بيجي', now)).toBe('no');
  });
});

test('to "do you have it?", when it comes says it is there', () => {
  expect(parseYesNo('اذا مشيت كثير يجيني', present)).toBe('yes');
  expect(parseYesNo('كل ما اطلع الدرج يوجعني', present)).toBe('yes');
});
