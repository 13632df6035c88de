/**
 * The understanding measured against a labelled set: each line is a question (its type, and its
 * range or options), what a caller said (often as speech-to-text writes it), and what it must
 * come to: a value, an intent (stop, human, repeat), or `ask` (the bridge must ask again). An
 * outcome is right, asked again (safe: the caller is asked once more), or wrong (a value the
 * caller did not give recorded, or an intent they did not express acted on). Wrong must be 0.
 *
 * Line format (tab-separated; `#` starts a comment line):
 *   type  context  utterance  expected  [dialect]
 *   boolean  -  ايوه والله  yes  gulf
 *   integer  1..10  عشرين وخمسة  ask  egyptian        (out of 1..10: ask)
 *   decimal  35..43  تسعة وتلاتين ونص  39.5  levantine
 *   choice  frequency  مش دايما  sometimes  egyptian
 * `context`: for yes/no `-` (a present question: "هل عندك…؟"), `now` or `past` ("… خلال الأسبوع
 * الماضي؟"); `min..max` for numbers, optionally with a subject (NUMBER_SUBJECTS); an option set (OPTION_SETS) for choices.
 */
import { detectIntent } from './detect-intent';
import { interpretSpeech } from '../interpret';
import type { ChoiceOptionDef, Item } from '../schema';

export const OPTION_SETS: Readonly<Record<string, readonly ChoiceOptionDef[]>> = {
  frequency: [
    { code: 'always', display: 'دائماً', synonyms: [] },
    { code: 'often', display: 'غالباً', synonyms: [] },
    { code: 'sometimes', display: 'أحياناً', synonyms: [] },
    { code: 'rarely', display: 'نادراً', synonyms: [] },
    { code: 'never', display: 'أبداً', synonyms: [] },
  ],
  severity: [
    { code: 'none', display: 'لا يوجد', synonyms: [] },
    { code: 'mild', display: 'خفيف', synonyms: [] },
    { code: 'moderate', display: 'متوسط', synonyms: [] },
    { code: 'severe', display: 'شديد', synonyms: [] },
  ],
  agreement: [
    { code: 'agree', display: 'موافق', synonyms: [] },
    { code: 'neutral', display: 'محايد', synonyms: [] },
    { code: 'disagree', display: 'غير موافق', synonyms: [] },
  ],
  /** A clinic's own list with its own synonyms: those win over any built-in reading. */
  medication: [
    { code: 'daily', display: 'كل يوم', synonyms: ['يوميا'] },
    { code: 'some_days', display: 'بعض الأيام', synonyms: [] },
    { code: 'stopped', display: 'توقفت عنه', synonyms: ['وقفته', 'بطلته'] },
  ],
};

/**
 * What a number question asks about, as a clinic would word it: the wording and the unit are
 * what the understanding hears ("ما في وجع" is 0 on a pain score; "سنة" is the unit of an age).
 */
export const NUMBER_SUBJECTS: Readonly<Record<string, { text: string; unit?: string }>> = {
  pain: { text: 'كم درجة الألم عندك من صفر إلى عشرة؟' },
  age: { text: 'كم عمرك؟', unit: 'سنة' },
  days: { text: 'منذ كم يوم بدأت الأعراض؟', unit: 'يوم' },
  temperature: { text: 'كم كانت درجة حرارتك؟' },
  sugar: { text: 'كم كانت قراءة السكر؟' },
  weight: { text: 'كم وزنك بالكيلو؟' },
};
const NUMBER_CONTEXT = new RegExp(`^-?\\d+(\\.\\d+)?\\.\\.-?\\d+(\\.\\d+)?( (${Object.keys(NUMBER_SUBJECTS).join('|')}))?$`);

/**
 * The yes/no question a case is asked under: its time (`now`, `past`, `-` for the plain present
 * "هل عندك ذلك؟") or its subject (`medication`: whether the medicine is being taken).
 */
export const BOOLEAN_QUESTIONS: Readonly<Record<string, string>> = {
  '-': 'هل عندك ذلك؟',
  now: 'هل عندك ذلك الآن؟',
  past: 'هل كان عندك ذلك خلال الأسبوع الماضي؟',
  medication: 'هل تأخذ دواءك حاليا كما وصفه الطبيب؟',
};

export const TYPES = ['boolean', 'integer', 'decimal', 'choice'] as const;
export type CaseType = (typeof TYPES)[number];
export const INTENTS = ['stop', 'human', 'repeat'] as const;

export interface LabelledCase {
  source: string;
  type: CaseType;
  context: string;
  utterance: string;
  /** A value (`yes`/`no`, a number, an option code), an intent, or `ask`. */
  expected: string;
  dialect: string;
}

export type Verdict = 'right' | 'asked' | 'wrong';

export function parseCases(text: string, file: string): LabelledCase[] {
  const cases: LabelledCase[] = [];
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.trimEnd();
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const [type, context, utterance, expected, dialect = ''] = line.split('\t');
    const source = `${file}:${index + 1}`;
    if (!TYPES.includes(type as CaseType) || !context || !utterance || !expected) throw new Error(`${source}: expected "type<TAB>context<TAB>utterance<TAB>expected[<TAB>dialect]", got ${JSON.stringify(line)}`);
    if (type === 'boolean' && !Object.hasOwn(BOOLEAN_QUESTIONS, context)) throw new Error(`${source}: a yes/no question's context is -, now, past or medication, got ${JSON.stringify(context)}`);
    if (type === 'choice' && !OPTION_SETS[context]) throw new Error(`${source}: unknown option set ${JSON.stringify(context)} (known: ${Object.keys(OPTION_SETS).join(', ')})`);
    if ((type === 'integer' || type === 'decimal') && !NUMBER_CONTEXT.test(context)) throw new Error(`${source}: a number's context is min..max, optionally followed by a subject (${Object.keys(NUMBER_SUBJECTS).join(', ')}), got ${JSON.stringify(context)}`);
    cases.push({ source, type: type as CaseType, context, utterance, expected, dialect });
  }
  return cases;
}

/** The question a case is asked under. */
export function itemFor(c: LabelledCase): Item {
  const base: Pick<Item, 'id' | 'text' | 'required' | 'enable_when' | 'confirm' | 'red_flag'> = { id: 'q', text: 'سؤال', required: true, enable_when: [], confirm: 'when_uncertain', red_flag: [] };
  if (c.type === 'choice') return { ...base, type: 'choice', options: [...(OPTION_SETS[c.context] ?? [])] };
  if (c.type === 'integer' || c.type === 'decimal') {
    const [range = '', subject] = c.context.split(' ');
    const [min, max] = range.split('..').map(Number);
    const asked = subject === undefined ? undefined : NUMBER_SUBJECTS[subject];
    return { ...base, type: c.type, min: min as number, max: max as number, ...(asked === undefined ? {} : { text: asked.text, ...(asked.unit === undefined ? {} : { unit: asked.unit }) }) };
  }
  // Yes/no: the question's wording sets its time (interpret.ts questionTense).
  const text = BOOLEAN_QUESTIONS[c.context] ?? 'هل عندك ذلك؟';
  return { ...base, type: 'boolean', text };
}

/** What the bridge does with the utterance, in the machine's order: a request first, then the answer. */
export function outcomeOf(c: LabelledCase): string {
  const intent = detectIntent(c.utterance);
  if (intent) return intent;
  const meaning = interpretSpeech(itemFor(c), c.utterance);
  if (meaning.kind !== 'value') return 'ask';
  if (c.type === 'boolean') return meaning.value === true ? 'yes' : 'no';
  return String(meaning.value);
}

export function judge(c: LabelledCase, outcome: string): Verdict {
  const numeric = (c.type === 'integer' || c.type === 'decimal') && /^-?\d+(\.\d+)?$/.test(c.expected);
  const same = numeric ? /^-?\d+(\.\d+)?$/.test(outcome) && Number(outcome) === Number(c.expected) : outcome === c.expected;
  if (same) return 'right';
  // Asking again is never wrong; a repeated question is asking again.
  if (outcome === 'ask' || outcome === 'repeat') return 'asked';
  return 'wrong';
}

export interface Report {
  rows: Array<{ type: CaseType | 'intent'; right: number; asked: number; wrong: number }>;
  wrong: Array<{ case: LabelledCase; outcome: string }>;
  asked: Array<{ case: LabelledCase; outcome: string }>;
  total: { right: number; asked: number; wrong: number; cases: number };
}

/** Cases expecting an intent are counted under "intent", whatever their question type. */
export function evaluate(cases: readonly LabelledCase[]): Report {
  const rows = new Map<string, { right: number; asked: number; wrong: number }>();
  const wrong: Report['wrong'] = [];
  const asked: Report['asked'] = [];
  for (const c of cases) {
    const outcome = outcomeOf(c);
    const verdict = judge(c, outcome);
    const key = (INTENTS as readonly string[]).includes(c.expected) ? 'intent' : c.type;
    const row = rows.get(key) ?? { right: 0, asked: 0, wrong: 0 };
    row[verdict]++;
    rows.set(key, row);
    if (verdict === 'wrong') wrong.push({ case: c, outcome });
    if (verdict === 'asked' && c.expected !== 'ask') asked.push({ case: c, outcome });
  }
  const order = [...TYPES, 'intent'];
  const sorted = [...rows].sort(([a], [b]) => order.indexOf(a) - order.indexOf(b)).map(([type, r]) => ({ type: type as CaseType | 'intent', ...r }));
  const sum = (k: Verdict) => sorted.reduce((n, r) => n + r[k], 0);
  return { rows: sorted, wrong, asked, total: { right: sum('right'), asked: sum('asked'), wrong: sum('wrong'), cases: cases.length } };
}
