/** "Better" is less, not gone; Iraqi "بعده موجود" is "still there". */
import { parseYesNo, type YesNoContext } from './yes-no';

const now: YesNoContext = { tense: 'present', question: 'هل عندك ذلك الآن؟', now: true };

describe('"احسن"، "افضل" (better) is not "fine": asked again', () => {
  test.each([
    'كان عندي صداع بس الحين احسن',
    'امبارح كان قوي بس اليوم افضل',
    'الحمد لله صرت احسن',
    'احسن من الاول',
  ])('%s', (said) => {
    expect(parseYesNo(said, now)).toBe('uncertain');
  });

  test('fine, or still there, is still read', () => {
    expect(parseYesNo('كان عندي بس الحين زين', now)).toBe('no');
    expect(parseYesNo('كان يوجعني بس هلق منيح', now)).toBe('no');
    expect(parseYesNo('افضل بس لسه فيه شوي', now)).toBe('yes');
  });
});

describe('Iraqi "بعده" before a word of being there is "still"', () => {
  test.each(['خف شوي بس بعده موجود', 'صار احسن بس بعده يوجعني', 'اقل من قبل بس بعدها موجوده'])('%s is yes', (said) => {
    expect(parseYesNo(said, now)).toBe('yes');
  });

  test('"بعده" before anything else is not', () => {
    expect(parseYesNo('خف شوي بس بعده ما في شي', now)).not.toBe('yes');
  });
});
