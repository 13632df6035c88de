import { detectIntent } from './detect-intent';
import { agreement, code, frequency, medication, severity } from './testing/choice-scales';

describe('a dose beside how often a medicine is taken', () => {
  test.each([
    ['يوميا حبه', 'daily'],
    ['كل يوم قرصين', 'daily'],
    ['باخده كل يوم اربع حبات', 'daily'],
    ['كل يوم 2 حبه', 'daily'],
    ['حبتين كل يوم', 'daily'],
    ['بعض الايام حبه', 'some_days'],
    ['مرتين باليوم', 'daily'],
  ])('%s → %s', (text, expected) => expect(code(text, medication)).toBe(expected));

  test.each([
    'كل يوم شوي',
    'يوميا مرات',
    'حبتين',
    'مرتين بالاسبوع',
    '3 مرات في الاسبوع',
    'كل يوم نص حبه',
    'كل يوم حبتين بس ساعات انسى',
    'ما باخده كل يوم حبتين',
    'كل يوم حبتين او ثلاث',
  ])('%s is asked again', (text) => expect(code(text, medication)).toBeNull());

  test('a dose is only a dose on a medicine list: "شديد حبتين" is still softened', () => {
    expect(code('شديد حبتين', severity)).toBeNull();
  });
});

describe('a vowel drawn out in speech', () => {
  test.each([
    ['كل يوووم', medication, 'daily'],
    ['داااايما', frequency, 'always'],
    ['كل يوومين', medication, 'some_days'],
  ])('%s → %s', (text, options, expected) => expect(code(text, options)).toBe(expected));

  test.each([
    ['موو موافق', agreement],
    ['ماا موافق', agreement],
    ['مشش شديد', severity],
  ])('a drawn-out negator still negates: %s is asked again', (text, options) => expect(code(text, options)).toBeNull());

  test('"مشش دايما" is "not always"', () => expect(code('مشش دايما', frequency)).toBe('sometimes'));
});

describe('"بس" run into the option word', () => {
  test.each([
    ['خفيفبس', severity, 'mild'],
    ['احيانابس', frequency, 'sometimes'],
  ])('%s → %s', (text, options, expected) => expect(code(text, options)).toBe(expected));

  test.each([
    ['ملابس', severity],
    ['يابس', frequency],
  ])('%s is no option', (text, options) => expect(code(text, options)).toBeNull());
});

describe('a negation that bears out the option', () => {
  test.each([
    ['شديد مره ما قدرت امشي', severity, 'severe'],
    ['قوي، ما اقدر اشتغل', severity, 'severe'],
    ['بالنص يعني مش اوي', severity, 'moderate'],
    ['وسط بس مو وايد', severity, 'moderate'],
    ['ساعات بس مش كتير', frequency, 'sometimes'],
  ])('%s → %s', (text, options, expected) => expect(code(text, options)).toBe(expected));

  test.each([
    ['خفيف ما قدرت انام', severity],
    ['شديد ما قدرت اقول', severity],
    ['مش شديد ما قدرت انام', severity],
    ['شديد وخفيف ما قدرت انام', severity],
    ['ما قدرت انام', severity],
    ['خفيف مو مره', severity],
    ['شديد مو مره', severity],
    ['لا متوسط مو مره', severity],
    ['متوسط مو مره بس ساعات', severity],
    ['موافق بس مو مره', agreement],
    ['محايد مو مره', agreement],
    ['نادرا مو مره', frequency],
  ])('%s is asked again', (text, options) => expect(code(text, options)).toBeNull());
});

describe('a "no" that takes an option back, then says they take it', () => {
  test.each([
    ['وقفته لا لا اخذه كل يوم', 'daily'],
    ['كل يوم لا باخدها بعض الايام', 'some_days'],
  ])('%s → %s', (text, expected) => expect(code(text, medication)).toBe(expected));

  test.each(['بطلته لا باخده', 'كل يوم لا لا ما باخده', 'بطلته لا لا باخده كل يوم بس ساعات انسى', 'بطلته ولا باخده كل يوم'])('%s is asked again', (text) =>
    expect(code(text, medication)).toBeNull(),
  );
});

describe('"what did you say" to a woman', () => {
  test.each(['وش قلتي', 'شنو قلتي؟', 'ايش قلتي يا اختي'])('%s asks for the question again', (text) => expect(detectIntent(text)).toBe('repeat'));
  test('"ما قلتي شي" is no request', () => expect(detectIntent('ما قلتي شي')).toBeNull());
});
