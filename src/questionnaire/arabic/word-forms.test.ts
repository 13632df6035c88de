import { allowedEdits, editDistance, fuzzyWordDistance, prefixVariants } from './word-forms';

describe('editDistance', () => {
  test.each([
    ['', '', 0],
    ['شديد', 'شديد', 0],
    ['شديد', 'شديت', 1],
    ['متوسط', 'متوصط', 1],
    ['خفيف', 'خفيفه', 1],
    ['باستمرار', 'بستمراار', 2],
    ['صداع', '', 4],
    ['kitten', 'sitting', 3],
  ])('%s ↔ %s = %d', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
    expect(editDistance(b, a)).toBe(distance);
  });

  test('stops once past the limit', () => {
    expect(editDistance('مستمر', 'متقطع', 1)).toBe(2);
    expect(editDistance('ا', 'ابجدهوز', 2)).toBe(3);
  });
});

describe('allowedEdits', () => {
  test.each([
    ['حاد', 0],
    ['شديد', 1],
    ['متوسط', 1],
    ['متقطعه', 1],
    ['باستمرار', 2],
  ])('%s → %d', (word, edits) => {
    expect(allowedEdits(word)).toBe(edits);
  });
});

describe('prefixVariants', () => {
  test.each([
    ['خفيف', ['خفيف']],
    ['الخفيف', ['الخفيف', 'خفيف']],
    ['والشديد', ['والشديد', 'الشديد', 'شديد']],
    ['بالصدر', ['بالصدر', 'الصدر', 'صدر']],
    ['للدكتور', ['للدكتور', 'لدكتور', 'دكتور']],
    ['وبالدوا', ['وبالدوا', 'بالدوا', 'الدوا', 'دوا']],
  ])('%s', (word, variants) => {
    expect(new Set(prefixVariants(word))).toEqual(new Set(variants));
    expect(prefixVariants(word)[0]).toBe(word);
  });

  test('never strips down to one letter', () => {
    expect(prefixVariants('وم')).toEqual(['وم']);
  });
});

describe('fuzzyWordDistance', () => {
  test.each([
    ['شديد', 'شديد', 0],
    ['والشديد', 'شديد', 0],
    ['الشديد', 'الشديد', 0],
    ['شديد', 'الشديد', 0],
    ['متوصط', 'متوسط', 1],
    ['بستمراار', 'باستمرار', 2],
  ])('%s ~ %s = %d', (heard, reference, distance) => {
    expect(fuzzyWordDistance(heard, reference)).toBe(distance);
  });

  test.each([
    ['حار', 'حاد'],
    ['وطن', 'بطن'],
    ['مطقطا', 'متقطع'],
  ])('%s is not %s', (heard, reference) => {
    expect(fuzzyWordDistance(heard, reference)).toBeNull();
  });
});
