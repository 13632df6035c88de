import { parseYesNo } from './yes-no';

describe('parseYesNo: uncertain', () => {
  test.each([
    // hedges
    ['all', 'يمكن'],
    ['Levantine', 'ممكن'],
    ['Gulf', 'مدري'],
    ['Gulf', 'ما ادري'],
    ['Gulf', 'ما أدري والله'],
    ['Egyptian', 'مش متأكد'],
    ['Egyptian', 'مش متأكدة'],
    ['Gulf', 'مو متاكد'],
    ['Levantine', 'شوي يمكن'],
    ['all', 'احتمال'],
    ['Egyptian', 'مش عارف'],
    ['Egyptian', 'مش عارفة'],
    ['Levantine', 'ما بعرف'],
    ['Egyptian', 'معرفش'],
    ['MSA', 'لا أعرف'],
    ['MSA', 'ربما'],
    ['all', 'يجوز'],
    ['Iraqi', 'بلكي'],
    ['all', 'الله أعلم'],
    ['all', 'ما أظن'],
    ['all', 'أظن'],
    ['Gulf', 'مو أكيد'],
    ['all', 'يمكن لا'],
    ['all', 'نص نص'],
    ['Egyptian', 'مش كتير'],
    ['Levantine', 'ممكن يكون في'],
    // Egyptian "what?" versus Gulf "yes"
    ['ambiguous', 'ايه'],
    ['ambiguous', 'إيه؟'],
    ['ambiguous', 'ايه ؟'],
    ['ambiguous', 'اااايه'],
    // a lone yes said as a question is "pardon?"
    ['question', 'نعم؟'],
    ['question', 'آه؟'],
    // contradictions
    ['mixed', 'ايوه لا'],
    ['mixed', 'لا، اه'],
    ['mixed', 'ما عندي ألم بس عندي ضيق'],
    ['mixed', 'ايوه ما في شي'],
    ['mixed', 'لا شوي'],
    ['mixed', 'ما عندي، بس شوي'],
  ])('%s: %s', (_kind, text) => {
    expect(parseYesNo(text)).toBe('uncertain');
  });
});

describe('parseYesNo: not understood', () => {
  test.each([
    '',
    '   ',
    '؟',
    'الجو حلو اليوم',
    'شو اسمك',
    'انا ساكن في الرياض',
    'عمري خمسين سنة',
    'الحمد لله',
    'ألو',
    'مرحبا',
    'السلام عليكم',
    'مين معي؟',
    'كيف حالك',
    'ما فهمت',
    'ما سمعت السؤال',
    'لا، ما فهمت عليك',
    'مش سامع',
    'اي شي',
    'الدكتور قال لي ارتاح',
  ])('%j', (text) => {
    expect(parseYesNo(text)).toBeNull();
  });
});

describe('parseYesNo: word order and scope', () => {
  test.each([
    ['a comma stops the negation', 'ما عندي ألم، حاسس بضيق', 'uncertain'],
    ['negation reaches past a helper verb', 'ما كان عندي ولا شي', 'no'],
    ['"في" inside a sentence is a preposition', 'عندي ألم في صدري', 'yes'],
    ['"اي" meaning "any" is not yes', 'ما في اي ألم', 'no'],
    ['"اي" after a negated verb', 'ما حسيت بأي شي', 'no'],
    ['emphasis follows the statement', 'أكيد ما عندي', 'no'],
    ['emphasis follows a yes statement', 'أكيد عندي', 'yes'],
    ['attached waw', 'وعندي ضيق كمان', 'yes'],
    ['several clauses agreeing', 'لا. ما في شي. الحمد لله', 'no'],
    ['consent said with a negation', 'ما في مانع', 'yes'],
    ['a repeated ايه is nobody\'s "what?"', 'ايه ايه', 'yes'],
    ['not once', 'ولا مرة', 'no'],
    ['not once, after a negated verb', 'ما صار ولا مرة', 'no'],
    ['once is something', 'مرة وحدة بس', 'yes'],
    ['twice', 'مرتين', 'yes'],
    ['"only" after a negation', 'ما عندي غير شوية صداع', 'yes'],
    ['"only" in MSA', 'ليس لدي الا صداع خفيف', 'yes'],
    ['"nothing else" is no', 'ما عندي شي غير هيك', 'no'],
  ])('%s: %s', (_rule, text, expected) => {
    expect(parseYesNo(text)).toBe(expected);
  });
});

describe('parseYesNo: question words from the context', () => {
  const smoking = { questionWords: ['تدخن'] };

  test.each([
    ['بدخن', 'yes'],
    ['أدخن يوميا', 'yes'],
    ['ما بدخن', 'no'],
    ['لا أدخن', 'no'],
    ['مش بدخن خالص', 'no'],
    ['بدخن أحيانا بس مش متأكد', 'uncertain'],
  ])('%s', (text, expected) => {
    expect(parseYesNo(text, smoking)).toBe(expected);
  });

  test('without context an echoed verb is not understood', () => {
    expect(parseYesNo('بدخن')).toBeNull();
  });
});

describe('parseYesNo: "not a big thing" judges the thing, it does not deny it', () => {
  test.each([
    ['مش حاجه كبيره'], // often: a little of it
    ['مش حاجه بسيطه'], // it is serious
    ['مو شي كبير'],
    ['ما هو شي خطير'],
    ['لا مش حاجه كبيره يعني'],
    ['ما عندي شي خطير'],
  ])('%s is asked again', (text) => {
    expect(parseYesNo(text)).toBe('uncertain');
  });

  test.each([['مافيش حاجه'], ['ما في شي'], ['لا ما في شي ابدا'], ['ما عندي شي'], ['ولا حاجه بسيطه']])('%s is still no', (text) => {
    expect(parseYesNo(text)).toBe('no');
  });
});
