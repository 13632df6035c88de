/** MSA "أي"/"أية" (any) is written "اي"/"ايه" once normalised, like the Gulf and Levantine yes. */
import { parseYesNo, type YesNoContext } from './yes-no';

const present: YesNoContext = { tense: 'present', question: 'هل عندك ذلك؟' };
const now: YesNoContext = { ...present, question: 'هل عندك ذلك الآن؟', now: true };
const pastWeek: YesNoContext = { tense: 'past', question: 'هل كان عندك ذلك خلال الأسبوع الماضي؟' };

describe('"any" after a negation is no, not a correction to yes', () => {
  test.each([
    'لا ما في أي ضيق',
    'لا والله ما عندي أي حرارة',
    'لا، لا توجد أي أعراض',
    'لا ليس عندي أي صداع',
    'لا ماكو اي دوخه',
    'لا مافيني أي وجع',
    'لا ما عندي ولا أي مشكلة',
    'لا يوجد عندي أية أعراض',
    'لا توجد أية مشكلة',
    'لا، لم أشعر بأي شيء',
    'لا لا ابدا ما عندي اي اعراض',
    'لا، ليس لدي أي شيء',
    'لا ما عندي اي واحد منهم',
  ])('%s', (said) => {
    expect(parseYesNo(said, present)).toBe('no');
  });

  test('asked about now or the past week, the same "any" is no', () => {
    expect(parseYesNo('لا ما في اي وجع هلق', now)).toBe('no');
    expect(parseYesNo('لا ما صار عندي اي تعب', pastWeek)).toBe('no');
  });
});

describe('a yes after a "no" stays a correction', () => {
  test.each([
    // "اي" opens what follows, or follows another particle
    'لا... اي عندي شوي',
    'لا والله اي فيه',
    'لا لا اي في',
    'لا ما عندي، اي عندي',
    'لا اي موجود',
    'لا عفوا اي بيوجعني',
  ])('%s is yes', (said) => {
    expect(parseYesNo(said, present)).toBe('yes');
  });

  test('"اي" with nothing named after it is still the yes', () => {
    expect(parseYesNo('اي عندي', present)).toBe('yes');
    expect(parseYesNo('ايه والله في', present)).toBe('yes');
  });
});
