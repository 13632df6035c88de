/** An answer taken back in the same breath: the last clear answer wins; anything less is asked again. */
import { parseYesNo } from './yes-no';

const present = { tense: 'present' as const, question: 'هل عندك صداع؟' };
const past = { tense: 'past' as const, question: 'هل كان عندك صداع خلال الأسبوع الماضي؟' };
const taking = { question: 'هل تأخذ دواءك كما وصفه الطبيب؟' };

describe('a correction clearly said is the answer', () => {
  test.each([
    ['the opposite particle twice', 'ايوه... لا لا', 'no'],
    ['the opposite particle twice, then a statement', 'اي لا لا ماعندي شي', 'no'],
    ['a statement that agrees', 'لا، ايوه عندي شويه', 'yes'],
    ['a statement that agrees', 'لا لا ايوا موجود', 'yes'],
    ['a marker, then the particle alone', 'اي اسف لا', 'no'],
    ['a marker, then the particle alone', 'لا لحظه نعم', 'yes'],
    ['"I mean"', 'نعم قصدي لا ما عندي', 'no'],
    ['a filler before the first word', 'والله لا... اه في', 'yes'],
    ['"no" then "no nothing"', 'اه لا ما في شي', 'no'],
  ])('%s: %s is %s', (_why, said, expected) => {
    expect(parseYesNo(said, present)).toBe(expected);
  });

  test('the corrected part is read for the question asked', () => {
    expect(parseYesNo('لا استني ايوه كان عندي يوم السبت', past)).toBe('yes');
    expect(parseYesNo('لا عفوا نعم باخده', taking)).toBe('yes');
  });
});

describe('anything less than a clear correction is asked again', () => {
  test.each([
    // the opposite particle once, with nothing after it: which one is meant is not known
    'اه لا',
    'لا، ايوه',
    'نعم... لا',
    // the correction itself hedges or eases
    'اه لا مش كتير',
    'لا اه يمكن',
    'ايوه لا مدري',
    // two things named: "yes to a headache, no to fever" answers two questions
    'اه عندي صداع، لا ما عندي حراره',
    'لا ما عندي دوخه بس اه في',
  ])('%s', (said) => {
    expect(parseYesNo(said, present)).toBe('uncertain');
  });

  test('a correction that does not come out as its particle says is no correction', () => {
    // "ايوه" then "it was, but it is gone": the second part says no, not yes.
    expect(parseYesNo('لا ايوه كان بس راح', { ...present, now: true })).not.toBe('yes');
  });
});

describe('a trailing "صح؟"', () => {
  test.each([
    ['اكيد عندي صح؟', 'yes'],
    ['مافي ولا شي صح؟', 'no'],
    ['لا ما عندي صح؟', 'no'],
    ['موجود شويه صح؟', 'yes'],
  ])('after a bare answer, the answer stands: %s is %s', (said, expected) => {
    expect(parseYesNo(said, present)).toBe(expected);
  });
  test.each(['عندي دوخه صح؟', 'ما عندي كحه صح؟', 'كان عندي امس صح؟', 'اه صح؟', 'عندي يمكن صح؟'])(
    'after a thing, a day named or a lone particle, the caller is asking: %s',
    (said) => {
      expect(parseYesNo(said, present)).toBe('uncertain');
    },
  );
});

test('a drawn-out "هيه" said alone is yes; with a sentence after it, the sentence decides', () => {
  expect(parseYesNo('هيييه', present)).toBe('yes');
  expect(parseYesNo('هييه.', present)).toBe('yes');
  expect(parseYesNo('هييه اختي عندها', present)).not.toBe('yes');
});
