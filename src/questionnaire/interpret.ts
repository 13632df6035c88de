import { findNumbers, matchChoice, parseNumber, parseYesNo, type QuestionTense, tokenizeArabic } from './arabic';
import type { AnswerValue, ChoiceOptionDef, Item } from './schema';

/** What one voice or keypad input means for the current item. */
export type Interpretation =
  | { kind: 'value'; value: AnswerValue }
  | { kind: 'uncertain' }
  | { kind: 'no_match' }
  | { kind: 'out_of_range'; value: number };

export function interpretSpeech(item: Item, transcript: string): Interpretation {
  switch (item.type) {
    case 'boolean': {
      const yn = parseYesNo(transcript, { tense: questionTense(item.text), question: item.text, now: NOW_QUESTION.test(item.text) });
      if (yn === null) return { kind: 'no_match' };
      if (yn === 'uncertain') return { kind: 'uncertain' };
      return { kind: 'value', value: yn === 'yes' };
    }
    case 'integer':
    case 'decimal': {
      const n = parseNumber(transcript, { unit: item.unit, question: item.text });
      if (!n) return noneOf(item, transcript) ? checkNumber(item, 0) : { kind: 'no_match' };
      return checkNumber(item, n.value);
    }
    case 'choice': {
      const m = matchChoice(transcript, item.options ?? []);
      if (m === null) return { kind: 'no_match' };
      if (m.kind === 'ambiguous') return { kind: 'uncertain' };
      return { kind: 'value', value: m.code };
    }
    case 'text': {
      const trimmed = transcript.trim();
      return trimmed ? { kind: 'value', value: trimmed } : { kind: 'no_match' };
    }
    case 'display':
      return { kind: 'no_match' };
  }
}

const NOW_QUESTION = /(الآن|الان|حالياً|حاليا|هلق|الحين|دلوقتي|هسه)/;
const PAST_QUESTION = /(الماضي|الماضية|كان|كانت|شعرت|أصبت|اصبت|عانيت|حصل|منذ|خلال|آخر|اخر|سبق)/;
const PRESENT_QUESTION = /(الآن|الان|حالياً|حاليا|اليوم|هل عندك|هل لديك|هل تشعر|هل تعاني|هل يوجد|هل في|ما زلت|مازلت)/;

/**
 * The time a yes/no question asks about, from its wording: "خلال الأسبوع الماضي" is the past,
 * "الآن" or "هل تشعر" the present; a question with both or neither is not known (an answer that
 * contrasts then and now is then asked again).
 */
export function questionTense(text: string): QuestionTense {
  const past = PAST_QUESTION.test(text);
  const present = PRESENT_QUESTION.test(text);
  if (past === present) return 'unknown';
  return past ? 'past' : 'present';
}

/** A word of the question naming pain: "ألم"، "الألم"، "بالألم"، "وجع"، "أوجاع" (not "الماضي" or "الممرضة"). */
const PAIN_WORD = /^[وف]?[بل]?(ال)?(الم|وجع|اوجاع)$/;
/** "ولا يوم"، "ولا مرة": not a single one of what the question counts. */
const NOT_ONE = 'ولا';
const COUNTED = new Set(['يوم', 'مره', 'ساعه']);
/** What may follow "ولا يوم" without changing it ("ولا يوم الحمد لله"); anything else ("بس امس") may. */
const AFTER_NOT_ONE = new Set(['الحمد', 'لله', 'الحمدلله', 'والله', 'يعني', 'ابدا', 'والحمد']);

/**
 * An answer that is a zero without saying it: "ما في وجع" to a pain score, "ولا يوم" to a count
 * of days. Only a clean "no" counts ("ما في وجع كتير" is not one), and only when 0 is a value
 * the question takes.
 */
function noneOf(item: Item, transcript: string): boolean {
  if (item.min !== undefined && item.min > 0) return false;
  const tokens = tokenizeArabic(transcript);
  // "لا مش سبعة، تمانية": a number said, even denied, is not "none"; only a zero may come along.
  if (findNumbers(tokens).some((number) => number.value !== 0)) return false;
  if (item.unit !== undefined && tokens[0] === NOT_ONE && COUNTED.has(tokens[1] ?? '') && tokens.slice(2).every((token) => AFTER_NOT_ONE.has(token))) return true;
  const asksAboutPain = tokenizeArabic(item.text).some((word) => PAIN_WORD.test(word));
  return asksAboutPain && parseYesNo(transcript, { tense: 'present', question: item.text }) === 'no';
}

/** The keypad digit of each option: its own `dtmf`, else the first free digit from 1 in list order. */
export function optionDigits(options: readonly ChoiceOptionDef[]): Map<string, ChoiceOptionDef> {
  const byDigit = new Map<string, ChoiceOptionDef>();
  for (const o of options) if (o.dtmf !== undefined) byDigit.set(o.dtmf, o);
  const free = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'].filter((d) => !byDigit.has(d));
  for (const o of options) {
    if (o.dtmf === undefined) {
      const d = free.shift();
      if (d !== undefined) byDigit.set(d, o);
    }
  }
  return byDigit;
}

/** A single key on a yes/no or choice question. */
export function interpretKey(item: Item, digit: string): Interpretation {
  if (item.type === 'boolean') {
    if (digit === '1') return { kind: 'value', value: true };
    if (digit === '2') return { kind: 'value', value: false };
    return { kind: 'no_match' };
  }
  if (item.type === 'choice') {
    const option = optionDigits(item.options ?? []).get(digit);
    return option ? { kind: 'value', value: option.code } : { kind: 'no_match' };
  }
  return { kind: 'no_match' };
}

/**
 * Digits typed for a number, `*` standing for the decimal point. Callers often skip the point
 * ("385" for 38.5 °C): when the whole number is out of range but a tenth of it is in range, the
 * tenth is taken. Every such answer is read back before it is kept (see needsConfirmation).
 */
export function interpretDigits(item: Item, typed: string): Interpretation {
  const text = typed.replace('*', '.');
  if (!/^\d+(\.\d+)?$/.test(text)) return { kind: 'no_match' };
  const value = Number(text);
  const direct = checkNumber(item, value);
  if (direct.kind !== 'out_of_range' || item.type !== 'decimal' || text.includes('.')) return direct;
  const tenth = checkNumber(item, value / 10);
  return tenth.kind === 'value' ? tenth : direct;
}

function checkNumber(item: Item, value: number): Interpretation {
  if (item.type === 'integer' && !Number.isInteger(value)) return { kind: 'no_match' };
  if ((item.min !== undefined && value < item.min) || (item.max !== undefined && value > item.max)) {
    return { kind: 'out_of_range', value };
  }
  return { kind: 'value', value };
}
