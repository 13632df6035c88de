import { normalizeArabic, tokenizeArabic, tokenizeClauses } from './normalize';

describe('normalizeArabic', () => {
  test.each([
    ['fatha, damma, kasra', 'كَتَبَ', 'كتب'],
    ['tanween', 'أهلاً وسهلاً', 'اهلا وسهلا'],
    ['shadda and sukun', 'مُتَأَكِّدْ', 'متاكد'],
    ['tanween kasr and damm', 'شيءٍ كتابٌ', 'شيء كتاب'],
    ['superscript alef U+0670', 'هٰذا', 'هذا'],
    ['Quranic small high marks', 'الرَّحِيمِ ۝ ذَٰلِكَ ۖ', 'الرحيم ذلك'],
    ['tatweel', 'نـــعـــم', 'نعم'],
    ['hamza on alef above', 'أيوه', 'ايوه'],
    ['hamza on alef below', 'إي والله', 'اي والله'],
    ['alef madda', 'آه', 'اه'],
    ['alef wasla', 'ٱلحمد', 'الحمد'],
    ['alef maqsura', 'بلى متى', 'بلي متي'],
    ['taa marbuta', 'ثلاثة عشرة', 'ثلاثه عشره'],
    ['hamza on waw', 'مسؤول يؤلمني', 'مسوول يولمني'],
    ['hamza on yaa', 'مائة مئتين', 'مايه ميتين'],
    ['Persian yeh and keheh', 'کیف', 'كيف'],
    ['presentation forms via NFKC', 'ﻻ ﺃﺩﺭﻱ', 'لا ادري'],
    ['zero-width and bidi marks', 'نع\u200cم\u200f', 'نعم'],
  ])('%s', (_rule, input, expected) => {
    expect(normalizeArabic(input)).toBe(expected);
  });

  test.each([
    ['Eastern Arabic digits', '٠١٢٣٤٥٦٧٨٩', '0123456789'],
    ['Persian digits', '۰۱۲۳۴۵۶۷۸۹', '0123456789'],
    ['Arabic decimal separator', '٣٨٫٥', '38.5'],
    ['Arabic thousands separator', '١٬٢٠٠', '1200'],
    ['ASCII comma between digits', '38,5', '38.5'],
    ['Arabic comma between digits', '٣٧،٢', '37.2'],
    ['ASCII decimal point kept', 'حرارتي 37.8', 'حرارتي 37.8'],
    ['mixed scripts', 'ضغطي ١٢٠/۸۰', 'ضغطي 120 80'],
    ['digits next to letters', 'درجة٣٩', 'درجه39'],
  ])('%s', (_rule, input, expected) => {
    expect(normalizeArabic(input)).toBe(expected);
  });

  test.each([
    ['Arabic comma', 'لا، ما عندي', 'لا ما عندي'],
    ['Arabic semicolon', 'نعم؛ عندي', 'نعم عندي'],
    ['Arabic question mark', 'ايه؟', 'ايه'],
    ['ASCII punctuation', 'yes!!! (ok) "sure" - fine.', 'yes ok sure fine'],
    ['comma between words is not a decimal', 'خمسة, ستة', 'خمسه سته'],
    ['period at the end of a number', 'عمري 70.', 'عمري 70'],
    ['guillemets and ellipsis', '«نعم»…', 'نعم'],
  ])('punctuation: %s', (_rule, input, expected) => {
    expect(normalizeArabic(input)).toBe(expected);
  });

  test.each([
    ['stretched laa', 'لااا', 'لا'],
    ['stretched leading alef', 'ااايه', 'ايه'],
    ['stretched inside a word', 'نعععم', 'نعم'],
    ['stretched hamza alefs unify first', 'لأأأ', 'لا'],
    ['two letters stay', 'لاا', 'لاا'],
    ['digits never collapse', '1000', '1000'],
  ])('stretching: %s', (_rule, input, expected) => {
    expect(normalizeArabic(input)).toBe(expected);
  });

  test.each([
    ['Latin lowercased', 'YES Okay', 'yes okay'],
    ['whitespace collapsed and trimmed', '  نعم \t\n  عندي  ', 'نعم عندي'],
    ['empty', '', ''],
    ['only punctuation', '؟!،', ''],
  ])('%s', (_rule, input, expected) => {
    expect(normalizeArabic(input)).toBe(expected);
  });

  test('is idempotent', () => {
    const once = normalizeArabic('أَيْوَةْ، عِنْدِي أَلَمٌ فِي صَدْرِي ٣٨٫٥ درجة!!');
    expect(once).toBe('ايوه عندي الم في صدري 38.5 درجه');
    expect(normalizeArabic(once)).toBe(once);
  });
});

describe('tokenizeArabic', () => {
  test('splits normalised words', () => {
    expect(tokenizeArabic('  إيه، والله!  ')).toEqual(['ايه', 'والله']);
  });

  test('returns no words for empty text', () => {
    expect(tokenizeArabic(' ؟ ')).toEqual([]);
  });
});

describe('tokenizeClauses', () => {
  test.each([
    ['لا، عندي ألم شوي', [['لا'], ['عندي', 'الم', 'شوي']]],
    ['ايه؟ نعم. اكيد!', [['ايه'], ['نعم'], ['اكيد']]],
    ['حرارتي 38,5 اليوم', [['حرارتي', '38.5', 'اليوم']]],
    ['٣٨٫٥؛ تقريبا', [['38.5'], ['تقريبا']]],
    ['،،', []],
  ])('%s', (input, expected) => {
    expect(tokenizeClauses(input)).toEqual(expected);
  });
});
