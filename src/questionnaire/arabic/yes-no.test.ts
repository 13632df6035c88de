import { parseYesNo } from './yes-no';

describe('parseYesNo: yes', () => {
  test.each([
    // Gulf / Saudi
    ['Gulf', 'ايوه'],
    ['Gulf', 'إيه نعم'],
    ['Gulf', 'إي والله'],
    ['Gulf', 'إي'],
    ['Gulf', 'اكيد'],
    ['Gulf', 'ايه والله'],
    ['Gulf', 'ايه والله عندي'],
    ['Gulf', 'فيني ألم في ظهري'],
    ['Gulf', 'يعورني راسي'],
    ['Gulf', 'ايوه يجيني دوخة'],
    ['Gulf', 'هيه'],
    ['Gulf', 'اي نعم'],
    ['Gulf', 'وايد يعورني'],
    ['Gulf', 'أكيد في'],
    ['Gulf', 'ايوه في'],
    ['Gulf', 'صح'],
    ['Gulf', 'ما عندي مانع'],
    // Levantine
    ['Levantine', 'اه'],
    ['Levantine', 'ايه عندي'],
    ['Levantine', 'في ألم'],
    ['Levantine', 'عم يوجعني'],
    ['Levantine', 'آه بوجعني'],
    ['Levantine', 'اي بحس بضيق'],
    ['Levantine', 'حاسس بضيق'],
    ['Levantine', 'مزبوط'],
    ['Levantine', 'ايه شوي'],
    ['Levantine', 'شوي'],
    ['Levantine', 'اي في شوية وجع'],
    // Egyptian
    ['Egyptian', 'أيوة'],
    ['Egyptian', 'آه'],
    ['Egyptian', 'اه طبعا'],
    ['Egyptian', 'أيوه عندي'],
    ['Egyptian', 'آه بيوجعني'],
    ['Egyptian', 'فيه ألم'],
    ['Egyptian', 'ايوه حاسة بتعب'],
    ['Egyptian', 'اه والله'],
    ['Egyptian', 'ساعات'],
    // Iraqi
    ['Iraqi', 'إي عيني'],
    ['Iraqi', 'اكو ألم'],
    ['Iraqi', 'إي عندي'],
    ['Iraqi', 'إي والله يوجعني'],
    ['Iraqi', 'بلى'],
    // MSA
    ['MSA', 'نعم'],
    ['MSA', 'نعم، أشعر بألم في صدري'],
    ['MSA', 'أجل'],
    ['MSA', 'بالتأكيد'],
    ['MSA', 'نعم لدي حساسية'],
    ['MSA', 'صحيح'],
    ['MSA', 'أعاني من ضيق في التنفس'],
    ['MSA', 'طبعاً'],
    // recognition artefacts and loanwords
    ['stretched', 'ايواا'],
    ['stretched', 'اااايوه'],
    ['stretched', 'ايووه والله'],
    ['diacritics', 'نَعَمْ'],
    ['Latin', 'yes'],
    ['Latin', 'Yeah'],
    ['loanword', 'يب'],
    // a "no" then an affirmed statement: the caller corrects themselves
    ['correction', 'لا، عندي ألم شوي'],
    ['correction', 'لا لا عندي ألم'],
    ['correction', 'لا، في شوي'],
  ])('%s: %s', (_dialect, text) => {
    expect(parseYesNo(text)).toBe('yes');
  });
});

describe('parseYesNo: no', () => {
  test.each([
    // particles
    ['all', 'لا'],
    ['all', 'لأ'],
    ['Egyptian', 'لاء'],
    ['stretched', 'لااا'],
    ['all', 'لا لا'],
    ['MSA', 'كلا'],
    ['all', 'ابدا'],
    ['all', 'أبداً'],
    ['all', 'لا والله'],
    ['Gulf', 'مو'],
    ['Egyptian', 'مش'],
    ['Iraqi', 'ماكو'],
    ['Levantine', 'لا ما في'],
    ['all', 'لا ابدا'],
    ['Egyptian', 'لا خالص'],
    ['Latin', 'no'],
    ['Latin', 'nope'],
    ['all', 'طبعا لا'],
    ['all', 'أكيد لا'],
    ['Gulf', 'لا مو صحيح'],
    ['Egyptian', 'مش صح'],
    // negated possession / existence / feeling
    ['all', 'ما عندي ألم'],
    ['Gulf', 'ماعندي'],
    ['all', 'ما عندي شي'],
    ['Egyptian', 'مش حاسس بحاجة'],
    ['Levantine', 'ما في شي'],
    ['Levantine', 'مافي'],
    ['Iraqi', 'ماكو شي'],
    ['Levantine', 'ما حسيت بشي'],
    ['all', 'ولا شي'],
    ['Egyptian', 'مفيش'],
    ['Egyptian', 'معنديش'],
    ['Levantine', 'ما بحس بشي'],
    ['Levantine', 'لا ما بيوجعني'],
    ['Gulf', 'ما فيني شي'],
    ['Gulf', 'ما يعورني'],
    ['Gulf', 'مو موجود'],
    ['Egyptian', 'مافيش حاجة'],
    ['Egyptian', 'ماحسيتش بحاجة'],
    ['Egyptian', 'مبيوجعنيش'],
    ['Iraqi', 'ما اكو'],
    ['Gulf', 'لا والله ما عندي'],
    ['Gulf', 'الحمد لله ما في شي'],
    ['all', 'لا ولا شي'],
    ['Levantine', 'ما صار شي'],
    ['Levantine', 'ما عاد عندي'],
    ['Gulf', 'ما كان عندي ألم'],
    // MSA
    ['MSA', 'لا يوجد'],
    ['MSA', 'لا أشعر بأي ألم'],
    ['MSA', 'ليس لدي حساسية'],
    ['MSA', 'لم أشعر بذلك'],
    ['MSA', 'لا يوجد لدي ألم'],
    ['MSA', 'لا أعاني من شيء'],
    // negated verb that is not in the lexicon: still a no
    ['Levantine', 'ما بدخن'],
    ['Egyptian', 'مبدخنش'],
  ])('%s: %s', (_dialect, text) => {
    expect(parseYesNo(text)).toBe('no');
  });
});

describe('then and now', () => {
  test('asked about now, "it was, but now it is fine or gone" is no; still there is yes', () => {
    expect(parseYesNo('كان عندي صداع بس الحين زين')).toBe('no');
    expect(parseYesNo('كان فيه بس راح')).toBe('no');
    expect(parseYesNo('قبل اسبوع كان عندي والحين لا')).toBe('no');
    expect(parseYesNo('كان عندي بس الحين عندي بعد')).toBe('yes');
  });

  test('asked about the past, it was there is yes; not known, asked again', () => {
    expect(parseYesNo('كان عندي صداع بس الحين زين', { tense: 'past' })).toBe('yes');
    expect(parseYesNo('كان عندي صداع بس الحين زين', { tense: 'unknown' })).toBe('uncertain');
    expect(parseYesNo('قبل كان بس هلق لا', { tense: 'past' })).toBe('uncertain');
  });

  test('one time only is read as before', () => {
    expect(parseYesNo('لا ما عندي صداع')).toBe('no');
    expect(parseYesNo('عندي صداع اليوم')).toBe('yes');
  });
});

describe('fine, ok, and conditions the question did not ask about', () => {
  // "تمام" is "yes, I take it" to one question and "I'm fine" (no) to another: asked again.
  test.each(['تمام', 'okay', 'اوكي', 'اه عادي'])('%s is uncertain', (text) => {
    expect(parseYesNo(text)).toBe('uncertain');
  });

  test('"معايا ضغط" answers a question about blood pressure, and no other', () => {
    expect(parseYesNo('معايا ضغط', { question: 'هل عندك ضغط؟' })).toBe('yes');
    expect(parseYesNo('معايا ضغط', { question: 'هل عندك ألم في الصدر؟' })).toBeNull();
  });
});
