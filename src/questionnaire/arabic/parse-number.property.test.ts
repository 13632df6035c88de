/**
 * Properties of spoken numbers: every form of every value a questionnaire can accept reads back
 * as exactly that value; no answer ever yields a value outside the item's range; and what must
 * be asked again (two numbers, a hedge, a number word left over) never yields a value.
 * Deterministic: exhaustive loops, and a seeded generator for the random cases.
 */
import { interpretSpeech } from '../interpret';
import type { Item } from '../schema';
import { parseNumber } from './parse-number';
import { numberToArabicWords } from './number-to-words';
import { integerForms, spokenForms } from './testing/spoken-forms';
import { prng } from '../../../test/helpers/prng';


function pick<T>(random: () => number, list: readonly T[]): T {
  const item = list[Math.floor(random() * list.length)];
  if (item === undefined) throw new Error('empty list');
  return item;
}

function misreadings(values: readonly number[]): string[] {
  const misread: string[] = [];
  for (const value of values) {
    for (const form of [numberToArabicWords(value), ...spokenForms(value)]) {
      const read = parseNumber(form)?.value;
      if (read !== value) misread.push(`${form} → ${read} (not ${value})`);
    }
  }
  return misread;
}

const range = (from: number, to: number, step: number) =>
  Array.from({ length: Math.round((to - from) / step) + 1 }, (_, index) => from + index * step);

describe('every spoken form reads back as exactly its value', () => {
  test('integers 0–120 (age, pain, days)', () => {
    expect(misreadings(range(0, 120, 1))).toEqual([]);
  });

  test('integers 121–600 (blood sugar)', () => {
    expect(misreadings(range(121, 600, 1))).toEqual([]);
  });

  test('temperatures 34–43 in quarters', () => {
    expect(misreadings(range(34, 43, 0.25))).toEqual([]);
  });

  test('weights 2–300 in halves', () => {
    expect(misreadings(range(2, 300, 0.5))).toEqual([]);
  });

  test('the same number said twice is that number', () => {
    const misread = range(0, 120, 1).filter((value) => {
      const [first, second] = integerForms(value);
      return parseNumber(`${first} ${second}`)?.value !== value;
    });
    expect(misread).toEqual([]);
  });

  test('hesitations before a marked part ("و…", "فاصلة") keep the number; elsewhere it is kept or asked, never changed', () => {
    const random = prng(14);
    const fillers = ['يعني', 'امم', 'اممممم', 'والله', 'شوف', 'اه'];
    const misread: string[] = [];
    for (const value of range(34, 43, 0.5)) {
      for (const form of spokenForms(value)) {
        const words = form.split(' ');
        const at = Math.floor(random() * (words.length + 1));
        const said = [...words.slice(0, at), pick(random, fillers), ...words.slice(at)].join(' ');
        const next = words[at];
        const marked = next === undefined || next.startsWith('و') || next === 'فاصلة';
        const read = parseNumber(said)?.value;
        if (marked ? read !== value : read !== undefined && read !== value) misread.push(`${said} → ${read}`);
      }
    }
    expect(misread).toEqual([]);
  });
});

describe('what must be asked again never yields a value', () => {
  const values = range(0, 120, 1);

  test('two different numbers, however joined', () => {
    const random = prng(7);
    const joins = ['{a} او {b}', '{a} {b}', '{a} ولا {b}', 'بين {a} و{b}', '{a} الى {b}', 'من {a} ل{b}', '{a} و{b}', '{a} يعني {b}', '{a}، {b}'];
    const taken: string[] = [];
    for (let round = 0; round < 3000; round += 1) {
      const a = pick(random, values);
      const b = pick(random, values);
      const join = pick(random, joins);
      // "خمسة مية وعشرة" is 510: a unit said before a hundred multiplies it.
      if (a === b || (join === '{a} {b}' && a >= 3 && a <= 9 && b >= 100)) continue;
      const said = join.replace('{a}', pick(random, integerForms(a))).replace('{b}', pick(random, integerForms(b)));
      const read = parseNumber(said);
      // "خمسة وعشرين" joins a unit and tens into one number: that is not two numbers.
      if (read !== null && !(read.value === a + b && said.includes('و'))) taken.push(`${said} → ${read.value}`);
    }
    expect(taken).toEqual([]);
  });

  test('an approximate, bounding, uncertain or denied number', () => {
    const random = prng(21);
    const hedges = ['حوالي {n}', 'تقريبا {n}', '{n} تقريبا', 'تحت ال{n}', 'فوق ال{n}', 'اكثر من {n}', 'أقل من {n}', 'يمكن {n}', 'مش {n}', '{n} وشوية', '{n} الا ربع', 'بحدود {n}', 'مو {n}', 'مدري {n}'];
    const taken: string[] = [];
    for (let round = 0; round < 2000; round += 1) {
      const said = pick(random, hedges).replace('{n}', pick(random, integerForms(pick(random, values))));
      const read = parseNumber(said);
      if (read !== null) taken.push(`${said} → ${read.value}`);
    }
    expect(taken).toEqual([]);
  });

  test('a number followed by a word that could not be read (never a prefix of what was said)', () => {
    const random = prng(3);
    const tails = ['الف', 'وتلت', 'لستة', 'ثلث', 'بالمية', 'وشي', 'ونص ونص'];
    const taken: string[] = [];
    for (let round = 0; round < 2000; round += 1) {
      const said = `${pick(random, integerForms(pick(random, values)))} ${pick(random, tails)}`;
      const read = parseNumber(said);
      if (read !== null) taken.push(`${said} → ${read.value}`);
    }
    expect(taken).toEqual([]);
  });
});

describe('interpretSpeech never gives a value outside the item', () => {
  const vocabulary = [
    ...['خمسة', 'وعشرين', 'عشرين', 'وخمسة', 'ونص', 'وربع', 'مية', 'ميتين', 'تسعة', 'وتلاتين', 'فاصلة', 'سبعة', 'صفر', 'عشرة', 'حداشر', 'تلطعش', 'الف'],
    ...['38.5', '٣٨', '600', '1000', '0.25', '٫', '-', '5', 'و', 'يعني', 'امم', 'من', 'على', 'حوالي', 'درجة', 'كيلو', 'قصدي', 'لا'],
  ];
  const items: Item[] = [
    [34, 43, 'decimal'],
    [0, 10, 'integer'],
    [0, 120, 'integer'],
    [0, 30, 'integer'],
    [20, 600, 'integer'],
    [2, 300, 'decimal'],
  ].map(([min, max, type]) => ({ id: 'q', text: 'سؤال', type: type as 'integer' | 'decimal', min: min as number, max: max as number, required: true, enable_when: [], confirm: 'when_uncertain', red_flag: [] }));

  test('random answers from number words, digits, fillers and cues', () => {
    const random = prng(42);
    const outside: string[] = [];
    for (let round = 0; round < 20000; round += 1) {
      const length = 1 + Math.floor(random() * 6);
      const said = Array.from({ length }, () => pick(random, vocabulary)).join(' ');
      const item = pick(random, items);
      const meaning = interpretSpeech(item, said);
      if (meaning.kind !== 'value') continue;
      const value = meaning.value as number;
      const fits = value >= (item.min ?? -Infinity) && value <= (item.max ?? Infinity) && (item.type !== 'integer' || Number.isInteger(value));
      if (!fits) outside.push(`${item.type} ${item.min}..${item.max}: ${said} → ${value}`);
    }
    expect(outside).toEqual([]);
  });

  test('a half or a quarter on an integer item is asked again, never rounded', () => {
    const pain = items[1] as Item;
    for (const said of ['سبعة ونص', 'خمسة وربع', '7.5', 'تسعة فاصلة خمسة']) expect(interpretSpeech(pain, said).kind).not.toBe('value');
  });
});

describe('every spoken form under every questionnaire item', () => {
  const contexts: Array<[string, number, number, 'integer' | 'decimal']> = [
    ['temperature', 34, 43, 'decimal'],
    ['pain', 0, 10, 'integer'],
    ['age', 0, 120, 'integer'],
    ['days', 0, 30, 'integer'],
    ['blood sugar', 20, 600, 'integer'],
    ['weight', 2, 300, 'decimal'],
  ];
  const said = [...range(0, 650, 1), ...range(30, 45, 0.25).filter((value) => !Number.isInteger(value))];

  test.each(contexts)('%s (%p..%p, %s): the value itself when it fits, never another', (_name, min, max, type) => {
    const item: Item = { id: 'q', text: 'سؤال', type, min, max, required: true, enable_when: [], confirm: 'when_uncertain', red_flag: [] };
    const wrong: string[] = [];
    for (const value of said) {
      const fits = value >= min && value <= max && (type === 'decimal' || Number.isInteger(value));
      for (const form of spokenForms(value)) {
        const meaning = interpretSpeech(item, form);
        const ok = fits ? meaning.kind === 'value' && meaning.value === value : meaning.kind !== 'value';
        if (!ok) wrong.push(`${form} → ${JSON.stringify(meaning)} (said ${value})`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
