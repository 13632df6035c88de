import { parseNumber } from './parse-number';

function readValue(text: string): number | null {
  return parseNumber(text)?.value ?? null;
}

describe('parseNumber: digits', () => {
  test.each([
    ['ASCII', '38', 38],
    ['ASCII decimal', '38.5', 38.5],
    ['Eastern Arabic', '٣٩', 39],
    ['Eastern Arabic decimal', '٣٨٫٥', 38.5],
    ['Eastern Arabic with a point', '٣٧.٢', 37.2],
    ['Persian', '۱۲۰', 120],
    ['Persian decimal', '۳۸٫۷', 38.7],
    ['decimal comma', '38,5', 38.5],
    ['Arabic comma as decimal', '٣٨،٥', 38.5],
    ['inside a sentence', 'حرارتي 38.2 درجة', 38.2],
    ['attached to a word', 'درجة٣٩', 39],
    ['zero', '0', 0],
    ['digits then a half', '38 ونص', 38.5],
    ['digits then spoken decimals', '37 فاصلة 5', 37.5],
  ])('%s: %s', (_rule, text, expected) => {
    expect(readValue(text)).toBe(expected);
  });
});

describe('parseNumber: units and tens', () => {
  test.each([
    ['صفر', 0],
    ['واحد', 1],
    ['وحدة', 1],
    ['اثنين', 2],
    ['اتنين', 2],
    ['تنين', 2],
    ['ثنين', 2],
    ['اثنان', 2],
    ['ثلاثة', 3],
    ['تلاتة', 3],
    ['ثلاث', 3],
    ['تلات', 3],
    ['أربعة', 4],
    ['أربع', 4],
    ['خمسة', 5],
    ['خمس', 5],
    ['ستة', 6],
    ['ست', 6],
    ['سته', 6],
    ['سبعة', 7],
    ['سبع', 7],
    ['ثمانية', 8],
    ['تمانية', 8],
    ['ثمان', 8],
    ['تمن', 8],
    ['تسعة', 9],
    ['تسع', 9],
    ['عشرة', 10],
    ['عشر', 10],
    ['عشرين', 20],
    ['عشرون', 20],
    ['ثلاثين', 30],
    ['تلاتين', 30],
    ['أربعين', 40],
    ['خمسين', 50],
    ['ستين', 60],
    ['سبعين', 70],
    ['ثمانين', 80],
    ['تمانين', 80],
    ['تسعين', 90],
    ['تسعون', 90],
  ])('%s', (text, expected) => {
    expect(readValue(text)).toBe(expected);
  });
});

describe('parseNumber: 11–19', () => {
  test.each([
    ['MSA', 'أحد عشر', 11],
    ['MSA', 'إحدى عشرة', 11],
    ['MSA', 'اثنا عشر', 12],
    ['MSA', 'اثني عشر', 12],
    ['MSA', 'ثلاثة عشر', 13],
    ['MSA', 'أربعة عشر', 14],
    ['MSA', 'خمسة عشر', 15],
    ['MSA', 'ستة عشر', 16],
    ['MSA', 'سبعة عشر', 17],
    ['MSA', 'ثمانية عشر', 18],
    ['MSA', 'تسعة عشر', 19],
    ['Levantine', 'حداشر', 11],
    ['Egyptian', 'احداشر', 11],
    ['Gulf', 'احدعش', 11],
    ['Levantine', 'اتناشر', 12],
    ['Gulf', 'طناش', 12],
    ['Gulf', 'اثنعش', 12],
    ['Levantine', 'تلطاشر', 13],
    ['Egyptian', 'تلتاشر', 13],
    ['Gulf', 'تلطعش', 13],
    ['Gulf', 'ثلاثطعش', 13],
    ['Levantine', 'اربعتاشر', 14],
    ['Gulf', 'اربعطعش', 14],
    ['Levantine', 'خمستاشر', 15],
    ['Gulf', 'خمسطعش', 15],
    ['Levantine', 'ستاشر', 16],
    ['Gulf', 'سطعش', 16],
    ['Levantine', 'سبعتاشر', 17],
    ['Gulf', 'سبعطعش', 17],
    ['Levantine', 'تمنتاشر', 18],
    ['Gulf', 'ثمنطعش', 18],
    ['Levantine', 'تسعتاشر', 19],
    ['Gulf', 'تسعطعش', 19],
  ])('%s: %s', (_dialect, text, expected) => {
    expect(readValue(text)).toBe(expected);
  });
});

describe('parseNumber: compounds and hundreds', () => {
  test.each([
    ['خمسة وعشرين', 25],
    ['واحد وعشرين', 21],
    ['تسعة وتسعين', 99],
    ['اتنين وأربعين', 42],
    ['سبعة و ثلاثين', 37],
    ['مية', 100],
    ['مئة', 100],
    ['ميه', 100],
    ['مائة', 100],
    ['ميتين', 200],
    ['مئتين', 200],
    ['مائتين', 200],
    ['تلتمية', 300],
    ['ثلاثمائة', 300],
    ['ثلاثمية', 300],
    ['ثلاث مئة', 300],
    ['اربعمية', 400],
    ['خمسمية', 500],
    ['ستمية', 600],
    ['سبعمية', 700],
    ['تمنمية', 800],
    ['ثمانمائة', 800],
    ['تسعمية', 900],
    ['مية وخمسة', 105],
    ['مية وعشرة', 110],
    ['مية وخمستاشر', 115],
    ['مئة وأحد عشر', 111],
    ['مية وخمسة وعشرين', 125],
    ['ميتين وتلاتة وخمسين', 253],
    ['تسعمية وتسعة وتسعين', 999],
  ])('%s', (text, expected) => {
    expect(readValue(text)).toBe(expected);
  });
});

describe('parseNumber: halves, quarters and decimals', () => {
  test.each([
    ['ثمانية وثلاثين ونص', 38.5],
    ['تمانية وتلاتين ونُص', 38.5],
    ['سبعة ونص', 7.5],
    ['تسعة وثلاثين ونصف', 39.5],
    ['سبعة وتلاتين وربع', 37.25],
    ['نص', 0.5],
    ['مية ونص', 150],
    ['ميتين وربع', 225],
    ['سبعة وثلاثين فاصلة خمسة', 37.5],
    ['تسعة وثلاثين فاصله اتنين', 39.2],
    ['ستة وتلاتين فاصل تسعة', 36.9],
    ['تمانية وتلاتين نقطة سبعة', 38.7],
    ['سبعة وثلاثين point خمسة', 37.5],
    ['خمسة فاصلة خمسة وعشرين', 5.25],
    ['سبعة فاصلة صفر خمسة', 7.05],
    ['صفر فاصلة خمسة', 0.5],
  ])('%s', (text, expected) => {
    expect(readValue(text)).toBe(expected);
  });
});

describe('parseNumber: numbers inside sentences', () => {
  test.each([
    ['الألم عندي سبعة من عشرة', 7],
    ['سبعة من عشرة', 7],
    ['٨ من ١٠', 8],
    ['الحرارة ثمانية وثلاثين درجة ونص', 38.5],
    ['تسعة وثلاثين درجة', 39],
    ['سبعة وثلاثين درجة فاصلة تمانية', 37.8],
    ['قست الحرارة وطلعت تمانية وتلاتين ونص', 38.5],
    ['السكر كان مية وتمانين الصبح', 180],
    ['درجة حرارتي ٣٨٫٥ درجات', 38.5],
    ['الوجع بالخمسة', 5],
    ['باخذ حبتين', 2],
    ['وزني مية وعشرة كيلو', 110],
  ])('%s', (text, expected) => {
    expect(readValue(text)).toBe(expected);
  });
});

describe('parseNumber: no number', () => {
  test.each([
    '',
    'لا',
    'ما عندي ألم',
    'الجو حلو',
    'ما بعرف',
    'شوي',
    'كتير',
    'احد',
    'يوم الأحد',
    'عشرات المرات',
  ])('%j', (text) => {
    expect(parseNumber(text)).toBeNull();
  });
});

describe('parseNumber: source span', () => {
  test.each([
    ['حرارتي تسعة وثلاثين ونص اليوم', 'تسعه وثلاثين ونص'],
    ['الألم سبعة من عشرة', 'سبعه'],
    ['حرارتي ٣٨٫٥', '38.5'],
    ['ميتين و تلاتة', 'ميتين و تلاته'],
    ['تسعة وثلاثين درجة ونص', 'تسعه وثلاثين درجه ونص'],
    ['تسعة وثلاثين درجة', 'تسعه وثلاثين'],
  ])('%s', (text, source) => {
    expect(parseNumber(text)?.source).toBe(source);
  });
});

describe('parseNumber: counts in a unit are kept only in the question\'s unit', () => {
  test.each([
    ['بقالي تلات أيام', undefined, 3],
    ['بقالي يومين', undefined, 2],
    ['عمري خمسة وستين سنة', 'سنة', 65],
    ['بقالي تلات أيام', 'يوم', 3],
    ['بقالي يومين', 'أيام', 2],
    ['يومين ونص', 'يوم', 2.5],
    ['من اسبوعين', 'أسبوع', 2],
  ])('%s (%s)', (text, unit, expected) => {
    // without a unit, days are kept: they are what count questions ask for
    expect(parseNumber(text, { unit })?.value).toBe(expected);
  });

  test.each([
    ['عمري خمسة وستين سنة', undefined],
    ['من اسبوعين', undefined],
    ['عمره تلات ايام', undefined],
    ['عمري خمسة وستين سنة', 'يوم'],
    ['من سنتين', 'يوم'],
    ['عمره شهرين', 'سنة'],
    ['من يوم الاتنين', 'يوم'],
    ['وزنه ميتين جرام', 'كيلو'],
  ])('%s (%s) is asked again', (text, unit) => {
    expect(parseNumber(text, { unit })).toBeNull();
  });
});

describe('parseNumber: refused, to be asked again', () => {
  test.each([
    ['two numbers: blood pressure', 'ضغطي ١٢٠ على ٨٠'],
    ['two numbers: blood pressure in words', 'مية وعشرين على تمانين'],
    ['"less a quarter" says "nearly"', 'تسعة وتلاتين إلا ربع'],
    ['approximate', 'حرارتي تقريبا تسعة وثلاثين'],
    ['approximate and a count in days', 'من يومين تقريبا، يعني اتنين'],
    ['two counts', 'باخذ حبتين، وحدة الصبح'],
    ['one and another one', 'باخذ وحدة الصبح ووحدة بالليل'],
  ])('%s: %s', (_why, text) => {
    expect(parseNumber(text)).toBeNull();
  });
});

describe('parseNumber: colloquial forms', () => {
  test.each([
    ['tens before units', 'عشرين وخمسة', 25],
    ['tens before units, و apart, ة as ه', 'عشرين و خمسه', 25],
    ['tens before units with a half', 'تلاتين وتسعة ونص', 39.5],
    ['digits then a unit word', '20 وخمسة', 25],
    ['a unit word then digits', 'خمسة و20', 25],
    ['a hundred then digits', 'مية و20', 120],
    ['a hundred, tens, then units', 'مية وعشرين وخمسة', 125],
    ['Gulf 14', 'ارباطعش', 14],
    ['Gulf 19', 'تسعطاعش', 19],
    ['Levantine 16', 'ستعش', 16],
    ['Iraqi 13', 'ثلطعش', 13],
    ['Iraqi 300 and 20', 'ثلثميه وعشرين', 320],
    ['a hesitation before ونص', 'تسعة وتلاتين يعني ونص', 39.5],
    ['stretched hesitation', 'سبعه وتلاتين اممممم ونص', 37.5],
    ['the same number twice', 'خمسة خمسة', 5],
    ['digits and words for one number', '٣٨ يعني تمانية وتلاتين', 38],
    ['a marked correction', 'ستة لا قصدي سبعة', 7],
    ['"no" between two numbers takes the first back', 'ثمانية لا لا سبعة', 7],
    ['"no, make it…"', 'تسعة لا خليها ستة', 6],
    ['a corrected age', 'ستة وستين لا لا خمسة وستين', 65],
    ['a reading in the past', 'السكر كان مية وتمانين الصبح', 180],
    ['a score out of ten', 'تسعه على عشره', 9],
    ['ten out of ten', 'عشرة من عشرة', 10],
    ['a weight with its unit before the half', 'سبعين كيلو ونص', 70.5],
  ])('%s: %s', (_rule, text, expected) => {
    expect(readValue(text)).toBe(expected);
  });

  test.each([
    ['a range', 'سبعة او تمانية'],
    ['a range without a word', 'سبعة ثمانية'],
    ['a range with بين', 'بين خمسة وستة'],
    ['a range with ل', 'من خمسة لستة'],
    ['a range in digits', '7-8'],
    ['a bound', 'تحت الأربعين'],
    ['a bound with an attached و', 'اربعين واكثر'],
    ['about', 'حوالي عشرين'],
    ['a bit more', 'تسعة وتلاتين وشوية'],
    ['a third', 'تمانية وتلاتين وتلت'],
    ['three quarters', 'ثلاث ارباع'],
    ['a thousand is not read', 'الف ومية'],
    ['percent', 'مية بالمية'],
    ['two numbers joined', 'سبعة وتمانية'],
    ['a decimal without its marker', '37 و 8'],
    ['a pause between a unit and a hundred', 'تلاتة، مية وتلاتة'],
    ['a hesitation between a unit and a hundred', 'ست يعني مية واتنين'],
    ['a correction not marked', 'خمسة يعني ستة'],
    ['denied', 'مش تسعة وتلاتين'],
  ])('%s: %s is asked again', (_rule, text) => {
    expect(parseNumber(text)).toBeNull();
  });
});

describe('parseNumber: a number cut short, withdrawn or denied is asked again', () => {
  test.each([
    ['a decimal marker with nothing after it', 'تسعة وتلاتين فاصلة'],
    ['a bare و after a number', 'تسعة و'],
    ['a bare و after a hundred', 'مية و'],
    ['a correction whose number was lost', 'تسعة وتلاتين لا قصدي'],
    ['"no" after the only number', 'سبعة لا'],
    ['what it was, then a change', 'كان عشرة بس هلا خف'],
    ['below a number', 'ما وصلت الاربعين'],
    ['a number to come', 'السنة الجاية بصير ستين'],
    ['a date', 'من 5 الشهر'],
  ])('%s: %s', (_rule, text) => {
    expect(parseNumber(text)).toBeNull();
  });

  test('a denial in another clause does not touch the number', () => {
    expect(readValue('صفر، ما في وجع')).toBe(0);
  });
});

describe('parseNumber: written signs of a bound or a percentage', () => {
  test.each(['38+', '~39', '> 38', '90%', '٩٠٪'])('%s is asked again', (text) => {
    expect(parseNumber(text)).toBeNull();
  });
});

describe('parseNumber: said the way speech comes out', () => {
  test.each([
    ['a unit and tens run together', 'تسعهوتلاتين', undefined, 39],
    ['tens and a unit run together', 'تلاتينوسبعه', undefined, 37],
    ['a count run together with its days', 'سبعتيام', 'يوم', 7],
    ['a hundred and tens run together', 'ميتينوتلاتين', undefined, 230],
    ['a hundred and a unit run together', 'ميهوتسعه', undefined, 109],
    ['tens run together with years', 'عمري ستينسنه', 'سنة', 60],
    ['a unit run together with kilos', 'تسعكيلو', undefined, 9],
    ['tenths said as "out of ten"', 'تسعه وتلاتين وتلاته من عشره', undefined, 39.3],
    ['a number, then another denied', 'تمانيه وتلاتين مش تسعه وتلاتين', undefined, 38],
    ['a week, asked in days', 'بقالي اسبوع', 'يوم', 7],
    ['one week', 'اسبوع واحد', 'يوم', 7],
    ['weeks counted, asked in days', 'اربع اسابيع', 'يوم', 28],
    ['"تلت" before a plural is three, not a third', 'بقالي تلت اسابيع', 'يوم', 21],
    ['"ثلث" before a plural, as speech-to-text may write it', 'ثلث اسابيع', 'يوم', 21],
    ['a count of days beside "every day"', 'من اربع ايام كل يوم', 'يوم', 4],
    ['a year, asked an age', 'عمرها سنه', 'سنة', 1],
  ])('%s: %s', (_why, text, unit, expected) => {
    expect(parseNumber(text, { unit })?.value).toBe(expected);
  });

  test.each([
    ['a score out of ten', 'خمسه من عشره', undefined, 5],
    ['seventy is one word, not "سبع" and "ن"', 'سبعون', undefined, 70],
  ])('near miss %s: %s', (_why, text, unit, expected) => {
    expect(parseNumber(text, { unit })?.value).toBe(expected);
  });

  test.each([
    ['"out of ten" after a small number is a score, and two numbers', 'سته وسته من عشره', undefined],
    ['the first number denied', 'مش تمانيه وتلاتين، تسعه وتلاتين', undefined],
    ['a denial that is not of a number', 'تمانيه وتلاتين مش متاكد', undefined],
    ['every week', 'كل اسبوع', 'يوم'],
    ['a word ending in "سنه" is no year', 'حسنه', 'سنة'],
    ['a hundred and a half run together is not read', 'ميهونص', undefined],
    ['every other day is a period', 'كل يومين', 'يوم'],
    ['every five days is a period', 'كل خمس ايام', 'يوم'],
    ['every three weeks is a period', 'كل تلت اسابيع', 'يوم'],
    ['a third of a week is not three weeks', 'تلت اسبوع', 'يوم'],
    ['"تلت" before a singular stays a third', 'تلت ساعه', undefined],
    ['since last week', 'من الاسبوع الماضي', 'يوم'],
    ['a week and days: two numbers', 'اسبوع ويومين', 'يوم'],
    ['a week, not asked in days', 'اسبوع', undefined],
    ['every two weeks', 'كل اسبوعين', 'يوم'],
    ['two weeks, not asked in days', 'صار لي اسبوعين', undefined],
    ['every year', 'كل سنه', 'سنة'],
    ['a year and a half, for an age', 'سنه ونص', 'سنة'],
  ])('still asked again: %s: %s', (_why, text, unit) => {
    expect(parseNumber(text, { unit })).toBeNull();
  });
});

describe('parseNumber: a number beside a change', () => {
  test.each(['نقصت عشره كيلو', 'زاد وزني، اخر مره كان سبعين', 'خسيت كتير من المرض، كنت تسعين'])('%s is asked again', (text) => {
    expect(parseNumber(text)).toBeNull();
  });

  test.each([
    ['نقص وزني وصار خمسه وخمسين', 55],
    ['زدت وهلق تمانين', 80],
    ['اخر مره وزنت كان سبعين', 70],
  ])('%s is %d: what it became, or a reading with no change', (text, value) => {
    expect(parseNumber(text)?.value).toBe(value);
  });
});

describe('parseNumber: counts rewritten into the question\'s unit, as a nurse records them', () => {
  test.each([
    ['two weeks, in days', 'بقالو اسبوعين', 'يوم', 14],
    ['two weeks with a leading "ب"', 'تعبان باسبوعين', 'يوم', 14],
    ['kilos with grams', 'خمسه وسبعين كيلو وميه جرام', undefined, 75.1],
    ['kilos with grams, in digits', '4 كيلو و250 غرام', undefined, 4.25],
    ['an age with a half: completed years', 'عمري اربعين ونص', 'سنة', 40],
    ['an age with a year word and months', 'تسعه وخمسين سنه وتلات اشهر', 'سنة', 59],
    ['an age with one month', 'سبعين سنه وشهر', 'سنة', 70],
  ])('%s: %s', (_why, text, unit, expected) => {
    expect(parseNumber(text, { unit })?.value).toBe(expected);
  });

  test.each([
    ['two weeks, roughly', 'تقريبا اسبوعين', 'يوم', null],
    ['grams alone', 'تسعمية غرام', undefined, null],
    ['a thousand grams or more is not a part of a kilo', 'تلات كيلو والفين جرام', undefined, null],
    ['grams that are not after kilos', 'تلات كيلو، ميتين جرام', undefined, null],
    ['"مية ونص" for an age is 150 (out of range), not 100', 'مية ونص', 'سنة', 150],
    ['months alone, for an age', 'عمره عشر شهور', 'سنة', null],
    ['a half with no age asked is kept', 'سته ونص', undefined, 6.5],
  ])('not rewritten: %s: %s', (_why, text, unit, expected) => {
    expect(parseNumber(text, { unit })?.value ?? null).toBe(expected);
  });
});

describe('parseNumber: "تلت" before a kilo and a half is three', () => {
  test.each([
    ['تلت كيلو ونص', 3.5],
    ['البنت وزنها تلت كيلو وربع', 3.25],
    ['ثلث كيلو ونص', 3.5],
  ])('%s is %d', (text, value) => {
    expect(parseNumber(text)?.value).toBe(value);
  });

  test.each([
    // a third of a kilo, said alone; a half of a gram is no half of the kilo
    'تلت كيلو',
    'تلت كيلو ونص جرام',
    'تلت ونص',
  ])('%s is asked again', (text) => {
    expect(parseNumber(text)).toBeNull();
  });
});

describe('parseNumber: "ايام الطيبين" set against what follows "بس" is no count of days', () => {
  test.each([
    ['انا من مواليد ايام الملك بس الهويه تقول خمسه وسبعين', 75],
    ['عشت ايام زمان لكن عمري الحين ستين', 60],
  ])('%s is %d', (text, value) => {
    expect(parseNumber(text, { unit: 'سنة' })?.value).toBe(value);
  });

  test.each([
    // the number may belong to those days; a count of days is no age
    'ايام الحرب كان عمري عشرين',
    'ايام العيد عمري عشرين',
    'عمري ستين ايام بس',
  ])('%s is asked again', (text) => {
    expect(parseNumber(text, { unit: 'سنة' })).toBeNull();
  });
});

describe('parseNumber: since when, to a question that asks for no time', () => {
  const pain = { question: 'كم درجة الألم عندك من صفر إلى عشرة؟' };
  test.each([
    ['الوجع من يومين سبعه', 7],
    ['من تلات ايام، اربعه', 4],
    ['من ساعه صار خمسه', 5],
    ['وقف من اسبوع، صفر', 0],
  ])('%s is %d', (text, value) => {
    expect(parseNumber(text, pain)?.value).toBe(value);
  });

  test.each([
    // since when, and nothing else: no score ("من يومين" was read as 2)
    'من يومين',
    // what it was then
    'قبل ساعتين كان تسعه',
    'كان من يومين سبعه',
    // two numbers left
    'من يومين سبعه او تمانيه',
  ])('%s is asked again', (text) => {
    expect(parseNumber(text, pain)).toBeNull();
  });

  test('a question about days or an age keeps the count', () => {
    expect(parseNumber('من يومين', { unit: 'يوم', question: 'منذ كم يوم بدأت الأعراض؟' })?.value).toBe(2);
    expect(parseNumber('من تلات ايام', { question: 'متى بدأت الأعراض؟' })?.value).toBe(3);
  });
});

describe('parseNumber: an age said with a feminine ordinal, as MSA says years', () => {
  const age = { unit: 'سنة', question: 'كم عمرك؟' };
  test.each([
    ['وصلت الخامسة والسبعين', 75],
    ['انا في الثانية والثمانين من عمري', 82],
    ['عمرها الرابعة عشرة', 14],
    ['دخلت الحادية والخمسين', 51],
  ])('%s is %d', (text, value) => {
    expect(parseNumber(text, age)?.value).toBe(value);
  });

  test.each([
    // the tens alone were read, the ordinal left over ("السابعة والستين" was 60)
    'بلغت الخامس والستين',
    'الحادي والسبعين',
    // an ordinal alone may be an hour; a masculine one a date
    'في الخامسة',
    'من العاشر',
    'الساعة الثامنة',
  ])('%s is asked again', (text) => {
    expect(parseNumber(text, age)).toBeNull();
  });
});

describe('parseNumber: an age not given as such is asked again', () => {
  const age = { unit: 'سنة', question: 'كم عمرك؟' };
  test.each([
    // nearing it
    'قاربت الثمانين',
    'عمري يقارب السبعين',
    'شارفت على الخمسين',
    'قربنا على السبعين',
    // and some
    'خمسين وكام',
    'سبعين وكم سنه',
    // a year of birth
    'مواليد التمانين',
    'انا مواليد خمسة وخمسين',
    'ولدت عام اربعين',
    'تاريخ ميلادي تسعة وخمسين',
    // an age in the past (found outside the fixtures: "كان عمري عشرين" was 20)
    'كان عمري عشرين',
    'عمري كان ثلاثين',
    'كنت بعمر الخمسين',
  ])('%s', (text) => {
    expect(parseNumber(text, age)).toBeNull();
  });

  test.each([
    ['عمري سبعين', 70],
    ['ستين وخمسة', 65],
    ['مولود ايام زمان بس عمري الحين سبعين', 70],
    ['عمري الحين ستين', 60],
  ])('near miss: %s is %d', (text, value) => {
    expect(parseNumber(text, age)?.value).toBe(value);
  });

  test('an age in the past, asked in the past, is the answer', () => {
    expect(parseNumber('كان عمري اربعين', { unit: 'سنة', question: 'كم كان عمرك لما بدأ السكري؟' })?.value).toBe(40);
  });

  test('a reading that was, to a question that is no age, stays a reading', () => {
    expect(parseNumber('السكر كان ميه وعشرين', { question: 'كم كانت قراءة السكر؟' })?.value).toBe(120);
  });
});

describe('parseNumber: an age in completed years, short of a birthday or half a year past one', () => {
  const age = { unit: 'سنة', question: 'كم عمرك؟' };
  test.each([
    ['سبعين الا شهرين', 69],
    ['عمري خمسين الا شهر', 49],
    ['خمسه وسبعين سنه ونص', 75],
    ['ستين سنه ونصف', 60],
  ])('%s is %d', (text, value) => {
    expect(parseNumber(text, age)?.value).toBe(value);
  });

  test.each(['سبعين الا ربع', 'ثمانين الا سنه', 'سبعين الا كم شهر'])('near miss: %s is asked again', (text) => {
    expect(parseNumber(text, age)).toBeNull();
  });

  test('short of it by a month is an age only: to a pain score it stays asked', () => {
    expect(parseNumber('تسعه الا شهر', { question: 'كم درجة الألم عندك من صفر إلى عشرة؟' })).toBeNull();
  });
});

describe('parseNumber: "not bearable" denies bearing it, not the score', () => {
  const pain = { question: 'كم درجة الألم عندك من صفر إلى عشرة؟' };
  test.each([
    ['ما بتحمل تسعه', 9],
    ['الوجع ما يتحمل تسعه من عشره', 9],
    ['صراحه ما ينطاق عشره', 10],
  ])('%s is %d', (text, value) => {
    expect(parseNumber(text, pain)?.value).toBe(value);
  });

  test.each(['ما وصل تسعه', 'مو عشره', 'ما بقدر اقول تسعه'])('near miss: %s is asked again', (text) => {
    expect(parseNumber(text, pain)).toBeNull();
  });
});

describe('parseNumber: "ever since" is no denial of the count', () => {
  const days = { unit: 'يوم', question: 'منذ كم يوم بدأت الأعراض؟' };
  test.each([
    ['من وقت ما وقعت صار لي تلات ايام', 3],
    ['من يوم ما اكلت السمك يعني من يومين', 2],
  ])('%s is %d', (text, value) => {
    expect(parseNumber(text, days)?.value).toBe(value);
  });

  test.each(['يوم ما في وجع اربع ايام', 'قبل ما اروح للدكتور بيومين', 'ما صار تلات ايام'])('near miss: %s is asked again', (text) => {
    expect(parseNumber(text, days)).toBeNull();
  });
});

describe('parseNumber: an age completed a week or a month ago', () => {
  const age = { unit: 'سنة', question: 'كم عمرك؟' };
  test.each([
    ['تميت الخمسين الاسبوع الماضي', 50],
    ['كملت خمسه وسبعين الشهر اللي فات', 75],
  ])('%s is %d', (text, value) => {
    expect(parseNumber(text, age)?.value).toBe(value);
  });

  test.each(['كملت الستين السنه الماضيه', 'بكمل الستين الشهر الجاي', 'الشهر الماضي كان عمري ستين'])('near miss: %s is asked again', (text) => {
    expect(parseNumber(text, age)).toBeNull();
  });
});

describe('parseNumber: tenths named after whole degrees', () => {
  test.each([
    ['سبعه وتلاتين وتلات اعشار', 37.3],
    ['درجة حرارتي ثمانية وثلاثون وسبعة أعشار', 38.7],
  ])('%s is %d', (text, value) => {
    expect(parseNumber(text)?.value).toBe(value);
  });

  test.each(['خمسة اعشار', 'تسعه وتلاتين وعشرين اعشار', 'سبعه وتلاتين واعشار'])('near miss: %s is asked again', (text) => {
    expect(parseNumber(text)).toBeNull();
  });
});
