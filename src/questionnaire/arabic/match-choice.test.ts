import { type ChoiceOption, matchChoice } from './match-choice';

const frequency: readonly ChoiceOption[] = [
  { code: 'never', display: 'أبداً', synonyms: ['ولا مرة', 'ما صار'] },
  { code: 'weekly', display: 'مرة في الأسبوع', synonyms: ['كل أسبوع', 'أسبوعياً'] },
  { code: 'daily', display: 'كل يوم', synonyms: ['يومياً', 'دايماً', 'كل يوم تقريبا'] },
];

const severity: readonly ChoiceOption[] = [
  { code: 'mild', display: 'خفيف', synonyms: ['بسيط', 'شوي'] },
  { code: 'moderate', display: 'متوسط', synonyms: ['نص نص', 'وسط'] },
  { code: 'severe', display: 'شديد', synonyms: ['قوي', 'كتير', 'وايد', 'ما بنحمل', 'ما يتحمل'] },
];

const location: readonly ChoiceOption[] = [
  { code: 'chest-pain', display: 'ألم في الصدر', synonyms: ['وجع صدري'] },
  { code: 'chest-tightness', display: 'ضيق في الصدر', synonyms: ['ضيق نفس'] },
  { code: 'abdomen', display: 'ألم في البطن', synonyms: ['بطني', 'معدتي'] },
  { code: 'head', display: 'صداع', synonyms: ['راسي'] },
];

const pattern: readonly ChoiceOption[] = [
  { code: 'constant', display: 'باستمرار', synonyms: ['مستمر'] },
  { code: 'intermittent', display: 'متقطع' },
  { code: 'sharp', display: 'حاد' },
];

const optionSets: Record<string, readonly ChoiceOption[]> = { frequency, severity, location, pattern };
const optionsNamed = (name: string): readonly ChoiceOption[] => optionSets[name] ?? [];
const match = (code: string) => ({ kind: 'match', code });

describe('matchChoice: display and synonyms', () => {
  test.each([
    ['severity', 'خفيف', 'mild'],
    ['severity', 'متوسط', 'moderate'],
    ['severity', 'شديد', 'severe'],
    ['severity', 'بسيط', 'mild'],
    ['severity', 'نص نص', 'moderate'],
    ['severity', 'وايد', 'severe'],
    ['severity', 'كتير', 'severe'],
    ['severity', 'والله ما بنحمل', 'severe'],
    ['frequency', 'أبدا', 'never'],
    ['frequency', 'ولا مرة', 'never'],
    ['frequency', 'يوميا', 'daily'],
    ['frequency', 'كل اسبوع', 'weekly'],
    ['frequency', 'اسبوعيا', 'weekly'],
    ['frequency', 'مرة بالأسبوع', 'weekly'],
    ['location', 'صداع', 'head'],
    ['location', 'صدري', 'chest-pain'],
    ['location', 'وجع صدري', 'chest-pain'],
    ['location', 'معدتي', 'abdomen'],
  ])('%s: %s', (set, text, code) => {
    expect(matchChoice(text, optionsNamed(set))).toEqual(match(code));
  });
});

describe('matchChoice: prefixes, article and sentences', () => {
  test.each([
    ['severity', 'الخفيف', 'mild'],
    ['severity', 'والشديد', 'severe'],
    ['severity', 'بسيط الحمد لله', 'mild'],
    ['severity', 'والله الألم شديد جدا', 'severe'],
    ['severity', 'اعتقد متوسط', 'moderate'],
    ['location', 'بطني يوجعني', 'abdomen'],
    ['location', 'وجع براسي', 'head'],
    ['location', 'بالصدر ضيق', 'chest-tightness'],
  ])('%s: %s', (set, text, code) => {
    expect(matchChoice(text, optionsNamed(set))).toEqual(match(code));
  });
});

describe('matchChoice: spelling variance', () => {
  test.each([
    ['severity', 'متوصط', 'moderate'],
    ['severity', 'شديت', 'severe'],
    ['severity', 'خفيفة', 'mild'],
    ['severity', 'بصيط', 'mild'],
    ['frequency', 'يوميه', 'daily'],
    ['location', 'سداع', 'head'],
    ['location', 'معدتى', 'abdomen'],
    ['pattern', 'بستمراار', 'constant'],
    ['pattern', 'مستمرة', 'constant'],
    ['pattern', 'متقطعه', 'intermittent'],
    ['pattern', 'حادّ', 'sharp'],
  ])('%s: %s', (set, text, code) => {
    expect(matchChoice(text, optionsNamed(set))).toEqual(match(code));
  });

  test.each([
    ['pattern', 'حار'],
    ['pattern', 'مطقطا'],
    ['severity', 'شد'],
  ])('too far: %s: %s', (set, text) => {
    expect(matchChoice(text, optionsNamed(set))).toBeNull();
  });
});

describe('matchChoice: ranking', () => {
  test('a whole phrase beats a single word', () => {
    expect(matchChoice('ضيق في الصدر', location)).toEqual(match('chest-tightness'));
    expect(matchChoice('ألم في الصدر', location)).toEqual(match('chest-pain'));
  });

  test('an exact word beats a misspelt one', () => {
    const options: ChoiceOption[] = [
      { code: 'light', display: 'خفيف' },
      { code: 'very-light', display: 'خفيفة جدا' },
    ];
    expect(matchChoice('خفيف', options)).toEqual(match('light'));
    expect(matchChoice('خفيفة جدا', options)).toEqual(match('very-light'));
  });

  test.each([
    ['severity', 'خفيف او شديد', ['mild', 'severe']],
    ['severity', 'بين البسيط والقوي', ['mild', 'severe']],
    ['frequency', 'مرة', ['never', 'weekly']],
    ['location', 'الصدر', ['chest-pain', 'chest-tightness']],
    ['location', 'ألم', ['chest-pain', 'abdomen']],
  ])('ambiguous: %s: %s', (set, text, codes) => {
    expect(matchChoice(text, optionsNamed(set))).toEqual({ kind: 'ambiguous', codes });
  });
});

describe('matchChoice: by position', () => {
  test.each([
    ['الأول', 'mild'],
    ['الأولى', 'mild'],
    ['اول واحد', 'mild'],
    ['التاني', 'moderate'],
    ['الثاني', 'moderate'],
    ['الثانية', 'moderate'],
    ['تاني وحدة', 'moderate'],
    ['الخيار الثاني', 'moderate'],
    ['الثالث', 'severe'],
    ['التالت', 'severe'],
    ['الأخير', 'severe'],
    ['آخر واحد', 'severe'],
    ['رقم واحد', 'mild'],
    ['رقم ٢', 'moderate'],
    ['رقم تلاتة', 'severe'],
    ['والتالت', 'severe'],
  ])('%s', (text, code) => {
    expect(matchChoice(text, severity)).toEqual(match(code));
  });

  test.each([
    ['تقريبا كل يوم', 'almost daily may be the option beside it'],
    ['يجيني مرة في الاسبوع تقريبا', 'about weekly'],
    ['كل يوم او كل اسبوع', 'alternatives offered'],
  ])('%s is asked again: %s', (text) => {
    expect(matchChoice(text, optionsNamed('frequency'))?.kind).toBe('ambiguous');
  });

  test('an ordinal settles a tie between words', () => {
    expect(matchChoice('خفيف او شديد، الأول', severity)).toEqual(match('mild'));
  });

  test.each(['الرابع', 'رقم خمسة', 'رقم صفر'])('out of range: %s', (text) => {
    expect(matchChoice(text, severity)).toBeNull();
  });
});

describe('matchChoice: no match', () => {
  test.each(['', 'بكرة', 'ما بعرف', 'الجو حلو اليوم', 'نعم', '؟'])('%j', (text) => {
    expect(matchChoice(text, severity)).toBeNull();
  });

  test('no options', () => {
    expect(matchChoice('خفيف', [])).toBeNull();
  });
});

describe('matchChoice: a withdrawn option', () => {
  test.each([
    ['severity', 'شديد لا متوسط', 'moderate'],
    ['severity', 'خفيف لا لا متوسط', 'moderate'],
    ['frequency', 'كل يوم لا لا مرة في الاسبوع', 'weekly'],
  ])('%s: %s', (set, text, code) => {
    expect(matchChoice(text, optionsNamed(set))).toEqual(match(code));
  });

  test('with a pause between, the caller is asked again', () => {
    expect(matchChoice('شديد، لا متوسط', optionsNamed('severity'))?.kind).toBe('ambiguous');
  });
});
