import { numberToArabicWords } from './number-to-words';
import { parseNumber } from './parse-number';

describe('numberToArabicWords', () => {
  test.each([
    [0, 'صفر'],
    [1, 'واحد'],
    [2, 'اثنان'],
    [7, 'سبعة'],
    [10, 'عشرة'],
    [11, 'أحد عشر'],
    [12, 'اثنا عشر'],
    [13, 'ثلاثة عشر'],
    [19, 'تسعة عشر'],
    [20, 'عشرون'],
    [21, 'واحد وعشرون'],
    [38, 'ثمانية وثلاثون'],
    [99, 'تسعة وتسعون'],
    [100, 'مئة'],
    [101, 'مئة وواحد'],
    [111, 'مئة وأحد عشر'],
    [200, 'مئتان'],
    [250, 'مئتان وخمسون'],
    [300, 'ثلاثمئة'],
    [999, 'تسعمئة وتسعة وتسعون'],
    [38.5, 'ثمانية وثلاثون ونصف'],
    [37.2, 'سبعة وثلاثون فاصلة اثنان'],
    [0.5, 'نصف'],
    [0.2, 'صفر فاصلة اثنان'],
    [100.5, 'مئة فاصلة خمسة'],
    [7.5, 'سبعة ونصف'],
  ])('%p → %s', (value, words) => {
    expect(numberToArabicWords(value)).toBe(words);
  });

  test.each([
    [1000, '1000'],
    [-3, '-3'],
    [37.25, '37.25'],
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, 'Infinity'],
  ])('falls back to digits for %p', (value, text) => {
    expect(numberToArabicWords(value)).toBe(text);
  });
});

describe('numberToArabicWords round-trips through parseNumber', () => {
  const integers = Array.from({ length: 1000 }, (_, index) => index);

  test('every integer 0–999', () => {
    const misread = integers.filter((value) => parseNumber(numberToArabicWords(value))?.value !== value);
    expect(misread).toEqual([]);
  });

  test('every half 0.5–999.5', () => {
    const halves = integers.map((value) => value + 0.5);
    const misread = halves.filter((value) => parseNumber(numberToArabicWords(value))?.value !== value);
    expect(misread).toEqual([]);
  });

  test('every tenth between 35.0 and 42.9 (body temperatures)', () => {
    const tenths = Array.from({ length: 80 }, (_, index) => (350 + index) / 10);
    const misread = tenths.filter((value) => parseNumber(numberToArabicWords(value))?.value !== value);
    expect(misread).toEqual([]);
  });

  test('tenths of round hundreds', () => {
    const values = [100.1, 200.5, 300.9, 900.5];
    expect(values.map((value) => parseNumber(numberToArabicWords(value))?.value)).toEqual(values);
  });
});
