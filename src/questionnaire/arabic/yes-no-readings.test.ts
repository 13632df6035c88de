/** Readings outside the labelled sets: "never went", a yes for yesterday only, trouble with the call. */
import { parseYesNo, type YesNoContext } from './yes-no';

const present: YesNoContext = { tense: 'present', question: 'هل عندك ذلك؟' };
const now: YesNoContext = { ...present, question: 'هل عندك ذلك الآن؟', now: true };

describe('"ما راح ابدا" (Gulf): it never went, so it is there', () => {
  test.each(['الصداع ما راح ابدا', 'والله ما راحت ابدا', 'ما راح ابدا يا بنتي'])('%s is yes', (said) => {
    expect(parseYesNo(said, present)).toBe('yes');
    expect(parseYesNo(said, now)).toBe('yes');
  });

  test('"راح" before another present verb is still the Levantine future', () => {
    expect(parseYesNo('راح اشوف الدكتور بكره', present)).not.toBe('no');
    expect(parseYesNo('راح اشوف الدكتور بكره', present)).not.toBe('yes');
  });
});

describe('a bare yes, then "but" and an earlier time, may be a yes for then only', () => {
  test.each(['ايوه بس امس', 'نعم بس البارحه', 'اه بس اول امبارح'])('asked about now, %s is asked again', (said) => {
    expect(parseYesNo(said, now)).toBe('uncertain');
  });

  test.each([
    // its own words say it is there
    ['اي عندي بس امس كان اكثر', 'yes'],
    // no now, and yesterday another time
    ['لا بس امس كان', 'no'],
  ])('%s is %s', (said, expected) => {
    expect(parseYesNo(said, now)).toBe(expected);
  });
});

describe('trouble with the call is no symptom', () => {
  test.each(['في مشكله بالشبكه', 'الصوت فيه مشكله', 'اكو خلل بالخط', 'عندي مشكله بالجوال ما اسمع زين'])('%s is never yes', (said) => {
    expect(parseYesNo(said, present)).not.toBe('yes');
  });

  test.each(['عندي مشكله بالتنفس', 'في مشكله بصدري'])('a trouble of the body is: %s is yes', (said) => {
    expect(parseYesNo(said, present)).toBe('yes');
  });
});

describe('a little, "but not much": there, if not much', () => {
  test.each(['شويه بس مش كتير', 'ايه مو كثير', 'خفيف بس مب وايد'])('%s is yes', (said) => {
    expect(parseYesNo(said, present)).toBe('yes');
  });

  test.each(['مش كتير', 'لا مش كتير', 'ما عندي بس شوي مو كثير'])('without a word that it is there, or beside a no: %s is asked again', (said) => {
    expect(parseYesNo(said, present)).toBe('uncertain');
  });
});
