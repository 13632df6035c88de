import { parseYesNo, type YesNoContext } from './yes-no';
import { withoutFormulas } from './yes-no-formulas';

const present: YesNoContext = { tense: 'present', question: 'هل عندك ذلك؟' };

describe('a religious formula opening with "لا"', () => {
  test.each([
    ['لا حول ولا قوة إلا بالله، اي عندي وجع من امس', 'yes'],
    ['لا إله إلا الله، ايوه فيه ضيق', 'yes'],
    ['لا حول ولا قوه الا بالله يا بنتي اه الراس يوجعني', 'yes'],
    // a no stays a no
    ['لا اله الا الله محمد رسول الله، لا ما عندي', 'no'],
    ['لا حول الله، ماكو شي', 'no'],
  ])('%s → %s (its "لا" is not a no)', (text, expected) => {
    expect(parseYesNo(text, present)).toBe(expected);
  });

  test.each(['لا حول ولا قوه الا بالله', 'لا اله الا الله', 'لا اله الا الله؟'])('%s alone answers nothing', (text) => {
    expect(parseYesNo(text, present)).toBeNull();
  });

  test.each([
    // a real "لا" after the formula is still a no
    ['لا اله الا الله، لا', 'no'],
    // "لا" that is not a formula
    ['لا الحمد لله', 'no'],
    ['لا ولا شي', 'no'],
  ])('%s → %s', (text, expected) => {
    expect(parseYesNo(text, present)).toBe(expected);
  });
});

describe('a plea not to hang up', () => {
  test.each([
    ['لا لا لا تسكري، اه عندي دوخه', 'yes'],
    ['لا تقفل الخط، ايوه فيه', 'yes'],
    ['ما تسكر يا ابني، ما عندي شي', 'no'],
  ])('%s → %s', (text, expected) => {
    expect(parseYesNo(text, present)).toBe(expected);
  });

  test.each(['لا لا ما تسكر', 'لا تقفلي الخط'])('%s alone answers nothing', (text) => {
    expect(parseYesNo(text, present)).toBeNull();
  });

  test.each([
    // "لا" with something else in the clause is read as said
    'لا ما تسكر عندي شي',
    'لا ما عندي بس لا تسكر',
    'لا، تسكر',
  ])('%s is not set aside whole', (text) => {
    expect(withoutFormulas(text)).not.toBe('');
  });
});

describe('"God willing" beside a plain no', () => {
  test.each(['لا انشالله ماكو شي', 'لا ان شاء الله ما عندي دوخه', 'لا إن شاء الله ما فيه شي الحمد لله'])('%s is no', (text) => {
    expect(parseYesNo(text, present)).toBe('no');
  });

  test.each([
    // alone, or beside one no only, it hopes rather than answers
    'ان شاء الله ما في',
    'لا ان شاء الله',
    'ما في ان شاء الله',
    // beside anything else
    'لا ان شاء الله ما في بس احيانا',
    'لا ان شاء الله ما عندي بس عندي صداع',
  ])('%s is not read as no', (text) => {
    expect(parseYesNo(text, present)).not.toBe('no');
  });
});
