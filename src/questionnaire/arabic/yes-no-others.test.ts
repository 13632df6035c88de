import { parseYesNo, type YesNoContext } from './yes-no';

const present: YesNoContext = { tense: 'present', question: 'هل عندك ذلك؟' };
const pastWeek: YesNoContext = { tense: 'past', question: 'هل كان عندك ذلك خلال الأسبوع الماضي؟' };

describe('what someone else has', () => {
  test.each([
    'هيه اللي عندها',
    'هي اللي عندها',
    'هو اللي عنده',
    'اخوي عنده',
    'زوجي عنده ضيق',
    'ابوي يوجعه',
    'عندها',
    // the caller says something of themself, but not a no
    'انا كمان عندي بس اختي عندها اكثر',
    'انا ما ادري بس اختي عندها',
    // both in one breath, with no "but" to tell them apart
    'انا عندي واختي عندها',
  ])('%s is asked again, never yes', (text) => {
    expect(parseYesNo(text, present)).toBe('uncertain');
  });

  test.each([
    ['امي عندها بس انا لا', present],
    ['انا ما عندي بس امي عندها', present],
    ['اختي عندها بس انا لا ما عندي', present],
    ['امي جاها الاسبوع الماضي بس انا لا', pastWeek],
  ])('%s: the caller says no of themself', (text, context) => {
    expect(parseYesNo(text, context)).toBe('no');
  });

  test.each(['هيه', 'هيه عندي', 'هيه والله', 'هييه'])('Gulf %s alone is still yes', (text) => {
    expect(parseYesNo(text, present)).toBe('yes');
  });
});
