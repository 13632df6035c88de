import { type ChoiceOption, matchChoice } from './match-choice';
import { agreement, code, frequency, medication, severity } from './testing/choice-scales';

describe('built-in scale forms', () => {
  test.each([
    ['على طول', 'always'],
    ['كل مره', 'always'],
    ['اغلب الوقت', 'often'],
    ['ساعات', 'sometimes'],
    ['مرات', 'sometimes'],
    ['بعض الاحيان', 'sometimes'],
    ['مرة كل فين وفين', 'rarely'],
    ['ولا مره', 'never'],
  ])('frequency: %s', (text, expected) => {
    expect(code(text, frequency)).toBe(expected);
  });

  test.each([
    ['مافيش', 'none'],
    ['شوي', 'mild'],
    ['نص نص', 'moderate'],
    ['مش بطال', 'moderate'],
    ['مرة قوي', 'severe'],
    ['ما يتحمل', 'severe'],
  ])('severity: %s', (text, expected) => {
    expect(code(text, severity)).toBe(expected);
  });

  test.each([
    ['اوافق', 'agree'],
    ['ما عندي راي', 'neutral'],
    ['مش موافق', 'disagree'],
    ['مو موافق', 'disagree'],
  ])('agreement: %s', (text, expected) => {
    expect(code(text, agreement)).toBe(expected);
  });

  test('a point of another scale is not on the medication list ("ساعات" is: some days)', () => {
    expect(matchChoice('نادرا', medication)).toBeNull();
    expect(matchChoice('دايما', medication)).toBeNull();
  });

  test("the clinic's own synonyms win over the lexicon", () => {
    const clinic: ChoiceOption[] = [
      { code: 'always', display: 'دائماً' },
      { code: 'often', display: 'غالباً', synonyms: ['ساعات'] },
      { code: 'sometimes', display: 'أحياناً' },
    ];
    expect(code('ساعات', clinic)).toBe('often');
    expect(code('مرات', clinic)).toBe('sometimes');
  });

  test('"a lot" is not a severity: the caller is asked how severe (a clinic may still list it)', () => {
    for (const text of ['وايد', 'كتير', 'هوايه', 'تعبان كتير']) expect(code(text, severity)).toBeNull();
  });

  test('built-in forms are not stretched to real words one edit away', () => {
    expect(matchChoice('بدأ يجيني', frequency)).toBeNull();
    expect(matchChoice('مراتي بتقول كده', frequency)).toBeNull();
  });
});

describe('negated choices', () => {
  test.each(['مش دايما', 'مو دايما', 'مب دايما', 'ليس دائماً', 'مش على طول', 'مو كل مره', 'مو يعني دايما'])('"%s" on a frequency scale is sometimes', (text) => {
    expect(code(text, frequency)).toBe('sometimes');
  });

  test('"not always" on a list that is not a frequency scale is asked again', () => {
    const notAScale: ChoiceOption[] = [
      { code: 'always', display: 'دائماً' },
      { code: 'with-meals', display: 'مع الأكل' },
      { code: 'when-needed', display: 'عند الحاجة' },
    ];
    expect(code('مش دايما', notAScale)).toBeNull();
    expect(code('مش كل يوم', medication)).toBeNull();
    expect(code('ما آخذها كل يوم', medication)).toBeNull();
  });

  test('"not always" without a single "sometimes" option is asked again', () => {
    const noSometimes = frequency.filter((option) => option.code !== 'sometimes');
    expect(code('مش دايما', noSometimes)).toBeNull();
  });

  test('"لا" before "always" may be "no, always": asked again', () => {
    expect(code('لا دايما', frequency)).toBeNull();
  });

  const sets: Record<string, readonly ChoiceOption[]> = { frequency, severity, agreement, medication };
  const negators = ['مش', 'مو', 'مب', 'ما', 'لا', 'ليس', 'ما هو', 'مش يعني'];
  /** "لا ابدا"، "لا لا يوجد"، "لا غير موافق" say "no, never/none/I disagree": negative concord, not negation. */
  const negativePoints = new Set(['never', 'none', 'disagree']);
  for (const [name, options] of Object.entries(sets)) {
    test(`${name}: a negated option is never chosen as itself`, () => {
      for (const option of options) {
        for (const words of [option.display, ...(option.synonyms ?? [])]) {
          for (const negator of negators) {
            if (negator === 'لا' && negativePoints.has(option.code)) continue;
            expect(code(`${negator} ${words}`, options)).not.toBe(option.code);
          }
        }
      }
    });
  }

  test.each([
    ['مش شديد', severity],
    ['مش كتير', severity],
    ['مو وايد', severity],
    ['مش خفيف', severity],
    ['مش ابدا', frequency],
    ['مو غالبا', frequency],
    ['مش محايد', agreement],
    ['مش غير موافق', agreement],
  ])('"%s" is asked again', (text, options) => {
    expect(code(text, options)).toBeNull();
  });

  test('a negated option beside one said plainly leaves the plain one', () => {
    expect(code('مش شديد، خفيف', severity)).toBe('mild');
    expect(code('خفيف مش شديد', severity)).toBe('mild');
    expect(code('مو دايما بس غالبا', frequency)).toBe('often');
    expect(code('مش كل يوم، بعض الايام', medication)).toBe('some_days');
  });

  test('negative concord keeps a negative point', () => {
    expect(code('لا ابدا', frequency)).toBe('never');
    expect(code('ما صار ابدا', frequency)).toBe('never');
    expect(code('لا ما في', severity)).toBe('none');
    expect(code('لا مش موافق', agreement)).toBe('disagree');
    expect(code('ابدا مش دايما', frequency)).toBeNull();
    expect(code('مش ابدا', frequency)).toBeNull();
  });
});

describe('doubt', () => {
  test('words of doubt are asked again, unless the clinic lists them as an option', () => {
    expect(matchChoice('ما اعرف', frequency)).toBeNull();
    const withDontKnow = [...frequency, { code: 'dont-know', display: 'لا أعرف', synonyms: ['ما اعرف', 'مدري'] }];
    expect(code('ما اعرف', withDontKnow)).toBe('dont-know');
    expect(code('والله مدري', withDontKnow)).toBe('dont-know');
    expect(code('مدري احيانا', withDontKnow)).toBeNull();
  });
});

describe('answers that are asked again', () => {
  test.each([
    ['احيانا ودايما', frequency],
    ['خفيف او متوسط', severity],
    ['متوسط ولا شديد', severity],
    ['ما عندي الم شديد', severity],
    ['يمكن خفيف', severity],
    ['مدري احيانا', frequency],
    ['اقل من متوسط', severity],
    ['تقريبا ابدا', frequency],
    ['كتير اوي', frequency],
    ['موافق شوي', agreement],
    ['مش موافق اوي', agreement],
    ['دايما بس مش كل يوم', frequency],
    ['اول شي خفيف وبعدين صار شديد', severity],
    ['يوم بعد يوم', medication],
  ])('%s', (text, options) => {
    expect(code(text, options)).toBeNull();
  });

  test.each([
    ['كل يومين', medication, 'some_days'],
    ['يوم اه ويوم لا', medication, 'some_days'],
    ['تركته', medication, 'stopped'],
    ['الصبح والمسا', medication, 'daily'],
  ])('a medicine taken: %s is %s', (text, options, expected) => {
    expect(code(text, options)).toBe(expected);
  });

  test.each([
    ['يعني احيانا', frequency, 'sometimes'],
    ['والله شوف ساعات', frequency, 'sometimes'],
    ['دايما دايما', frequency, 'always'],
    ['ساعات بيجي وساعات لا', frequency, 'sometimes'],
    ['لا، شديد', severity, 'severe'],
  ])('fillers and repetition are fine: %s', (text, options, expected) => {
    expect(code(text, options)).toBe(expected);
  });
});
