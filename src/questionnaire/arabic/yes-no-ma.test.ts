/** "ما" that joins a clause ("since", "before", "whenever") is not the "ما" of a negation. */
import { parseYesNo, type YesNoContext } from './yes-no';

const present: YesNoContext = { tense: 'present', question: 'هل عندك ذلك؟' };
const pastWeek: YesNoContext = { tense: 'past', question: 'هل كان عندك ذلك خلال الأسبوع الماضي؟' };

describe('"ما" after "since", "before", "after", "whenever" opens a time, and what follows it answers', () => {
  test.each([
    // since
    'من يوم ما طلعت من المستشفى وانا احس بدوخه',
    'ومن اول ما صحيت وانا حاسس بدوخه',
    'من وقت ما بديت الدوا وانا عندي حموضه',
    // before, after: a present verb, then the symptom said to come
    'قبل ما اطلع من البيت تجيني دوخه',
    'بعد ما اتغدى يجيني مغص',
    // whenever, when
    'كل ما اطلع الدرج يعورني صدري',
    'وقت ما اتعب يجيني',
  ])('%s is yes', (said) => {
    expect(parseYesNo(said, present)).toBe('yes');
  });

  test('asked about the past week, the same', () => {
    expect(parseYesNo('من يوم ما رجعت من المستشفى وانا يجيني', pastWeek)).toBe('yes');
  });
});

describe('a real negation after the same words stays one', () => {
  test.each([
    // "two days" is a length of time, not "since"
    ['من يومين ما جاني', 'no'],
    // Gulf "بعد" (yet): it has not come yet
    ['بعد ما جاني', 'no'],
    // before, with no present verb: "before, I did not have it"
    ['قبل ما كان عندي', 'no'],
    ['زي ما قال الدكتور ما عندي شي', 'no'],
  ])('%s is %s', (said, expected) => {
    expect(parseYesNo(said, present)).toBe(expected);
  });

  test.each([
    // Gulf/Iraqi "بعد ما اقدر": I can no longer walk
    'بعد ما اقدر امشي',
    // for an hour I have felt nothing
    'من ساعه ما حسيت بشي',
  ])('%s is never yes', (said) => {
    expect(parseYesNo(said, present)).not.toBe('yes');
  });
});
