import { agreement, code, frequency, medication, severity } from './testing/choice-scales';

describe('scale forms heard from callers', () => {
  test.each([
    ['بصراحه من فتره لفتره', frequency, 'sometimes'],
    ['بين وقت ووقت يعني', frequency, 'sometimes'],
    ['ماكو ابد', frequency, 'never'],
    ['هو بالوسط', severity, 'moderate'],
    ['انا لا مع ولا ضد والله', agreement, 'neutral'],
    ['والله معاك حق', agreement, 'agree'],
    ['لا انا مش مع هالكلام', agreement, 'disagree'],
    ['لا والله ما بوافق', agreement, 'disagree'],
    ['اخده لما افتكر', medication, 'some_days'],
    ['ما بفوته ابدا', medication, 'daily'],
  ])('%s → %s', (text, options, expected) => {
    expect(code(text, options)).toBe(expected);
  });

  test.each([
    // a count of times is not "some days"; "not with it" needs its object
    ['اخده تلات مرات', medication],
    ['انا مع الدكتور', agreement],
    // between two points named is still two points
    ['بين الخفيف والشديد', severity],
  ])('not read as a point: %s', (text, options) => {
    expect(code(text, options)).not.toBe('some_days');
    expect(code(text, options)).not.toBe('agree');
    expect(code(text, options)).not.toBe('moderate');
  });
});

describe('what was, then what is', () => {
  test.each([
    ['كان غالبا بس هلق نادرا', frequency, 'rarely'],
    ['كنت اخده كل يوم بس من شهر تركته', medication, 'stopped'],
    ['كان شديد لكن الحين خفيف', severity, 'mild'],
  ])('%s → %s', (text, options, expected) => {
    expect(code(text, options)).toBe(expected);
  });

  test.each([
    // the present part names nothing clear: asked again, never the past
    ['كان دايما بس هلق ما بعرف', frequency],
    ['كنت اخده كل يوم بس', medication],
  ])('asked again: %s', (text, options) => {
    expect(code(text, options)).toBeNull();
  });
});
