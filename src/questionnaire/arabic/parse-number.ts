/**
 * Reads the first number in a caller's sentence: digits in any script or Arabic number words
 * 0–999 with halves, quarters and spoken decimals.
 *
 * Grammar (Arabic says units before tens):
 *   number   := cardinal fraction?
 *   cardinal := digits | hundreds ("و" belowHundred)? | belowHundred
 *   hundreds := ميه | ميتين | تلتميه | unit ميه
 *   belowHundred := unit ("و" tens)? | (unit | احد | اثنا) عشر | teen | عشره | tens | صفر
 *   fraction := "و" نص | "و" ربع | الا ربع | فاصله digit+
 * After a round hundred, "ونص" and "وربع" add 50 and 25 ("مية ونص" is 150 in speech).
 */

import { tokenizeArabic } from './normalize';
import { AND_WORD, classifyNumberWord, DECIMAL_MARKERS, EXCEPT_WORD, type NumberWord } from './number-lexicon';

export interface ParsedNumber {
  value: number;
  /** the normalised span that was read */
  source: string;
}

/** Units that may sit between a number and its fraction. */
const UNIT_WORDS: ReadonlySet<string> = new Set(['درجه', 'درجات', 'بالدرجه']);

interface Located {
  word: NumberWord;
  /** Index of the token after this word. */
  next: number;
}

interface Reading {
  value: number;
  end: number;
  /** A round hundred with nothing after it: "ونص" then means +50. */
  roundHundreds: boolean;
}

/** The number word at `index`, joining a detached "و" with the word after it. */
function wordAt(tokens: readonly string[], index: number): Located | null {
  const token = tokens[index];
  if (token === undefined) return null;
  if (token === AND_WORD) {
    const following = tokens[index + 1];
    const word = following === undefined ? null : classifyNumberWord(following);
    return word === null ? null : { word: { ...word, withAnd: true }, next: index + 2 };
  }
  const word = classifyNumberWord(token);
  return word === null ? null : { word, next: index + 1 };
}

/**
 * After a hundred the next part must carry "و". "واحد" is then read as و + احد so that
 * "مئة وأحد عشر" (normalised "ميه واحد عشر") is 111.
 */
function wordWithAnd(tokens: readonly string[], index: number): Located | null {
  const located = wordAt(tokens, index);
  if (located === null || located.word.withAnd) return located;
  const token = tokens[index];
  if (token === undefined || !token.startsWith(AND_WORD)) return null;
  const stripped = classifyNumberWord(token.slice(AND_WORD.length));
  return stripped === null ? null : { word: { ...stripped, withAnd: true }, next: index + 1 };
}

function readBelowHundred(tokens: readonly string[], index: number, needsAnd: boolean): Reading | null {
  const first = needsAnd ? wordWithAnd(tokens, index) : wordAt(tokens, index);
  if (first === null || (needsAnd && !first.word.withAnd)) return null;
  const { kind, value } = first.word;
  const plain = (result: number, end: number): Reading => ({ value: result, end, roundHundreds: false });
  switch (kind) {
    case 'zero':
      return needsAnd ? null : plain(0, first.next);
    case 'unit':
    case 'teenHead': {
      const after = wordAt(tokens, first.next);
      if (after !== null && after.word.kind === 'ten' && !after.word.withAnd) return plain(value + 10, after.next);
      if (kind === 'teenHead') return null;
      if (after !== null && after.word.kind === 'tens' && after.word.withAnd) {
        return plain(value + after.word.value, after.next);
      }
      return plain(value, first.next);
    }
    case 'ten':
    case 'teen':
    case 'tens':
      return plain(value, first.next);
    default:
      return null;
  }
}

function readCardinal(tokens: readonly string[], index: number): Reading | null {
  const first = wordAt(tokens, index);
  if (first === null) return null;
  if (first.word.kind === 'digits') return { value: first.word.value, end: first.next, roundHundreds: false };
  let hundreds: number | null = null;
  let next = first.next;
  if (first.word.kind === 'hundred') {
    hundreds = first.word.value;
  } else if (first.word.kind === 'unit' && first.word.value >= 3) {
    const after = wordAt(tokens, first.next);
    if (after !== null && after.word.kind === 'hundred' && after.word.value === 100 && !after.word.withAnd) {
      hundreds = first.word.value * 100;
      next = after.next;
    }
  }
  if (hundreds === null) return readBelowHundred(tokens, index, false);
  const rest = readBelowHundred(tokens, next, true);
  return rest === null
    ? { value: hundreds, end: next, roundHundreds: true }
    : { value: hundreds + rest.value, end: rest.end, roundHundreds: false };
}

/** Digits after "فاصلة": one group ("خمسة وعشرين" → "25") or single digits ("صفر خمسة" → "05"). */
function readDecimalDigits(tokens: readonly string[], index: number): { text: string; end: number } | null {
  let text = '';
  let at = index;
  for (;;) {
    const located = wordAt(tokens, at);
    if (located === null || located.word.withAnd) break;
    const { word } = located;
    if (word.kind === 'digits') {
      if (word.literal === undefined || word.literal.includes('.')) break;
      text += word.literal;
      at = located.next;
      break;
    }
    if (word.kind === 'zero') {
      text += '0';
      at = located.next;
      continue;
    }
    const group = readBelowHundred(tokens, at, false);
    if (group === null) break;
    text += String(group.value);
    at = group.end;
    if (group.value >= 10) break;
  }
  return text === '' ? null : { text, end: at };
}

/** "تسعة وثلاثين درجة ونص": a unit between the number and its fraction is skipped. */
function readFraction(tokens: readonly string[], reading: Reading): Reading {
  const unit = tokens[reading.end];
  if (unit !== undefined && UNIT_WORDS.has(unit)) {
    const past = readFractionAt(tokens, { ...reading, end: reading.end + 1 });
    if (past.end > reading.end + 1) return past;
  }
  return readFractionAt(tokens, reading);
}

function readFractionAt(tokens: readonly string[], reading: Reading): Reading {
  const scale = reading.roundHundreds ? 100 : 1;
  const next = wordAt(tokens, reading.end);
  if (next?.word.withAnd && (next.word.kind === 'half' || next.word.kind === 'quarter')) {
    return { value: reading.value + next.word.value * scale, end: next.next, roundHundreds: false };
  }
  const marker = tokens[reading.end];
  if (marker === EXCEPT_WORD) {
    const quarter = wordAt(tokens, reading.end + 1);
    if (quarter !== null && quarter.word.kind === 'quarter' && !quarter.word.withAnd) {
      return { value: reading.value - quarter.word.value * scale, end: quarter.next, roundHundreds: false };
    }
  }
  if (marker !== undefined && DECIMAL_MARKERS.has(marker) && Number.isInteger(reading.value)) {
    const digits = readDecimalDigits(tokens, reading.end + 1);
    if (digits !== null) {
      return { value: Number(`${reading.value}.${digits.text}`), end: digits.end, roundHundreds: false };
    }
  }
  return reading;
}

/** The first number in the text, or null when there is none. */
export function parseNumber(text: string): ParsedNumber | null {
  const tokens = tokenizeArabic(text);
  for (let index = 0; index < tokens.length; index += 1) {
    if (tokens[index] === AND_WORD) continue;
    const cardinal = readCardinal(tokens, index);
    if (cardinal !== null) {
      const full = readFraction(tokens, cardinal);
      return { value: full.value, source: tokens.slice(index, full.end).join(' ') };
    }
    const located = wordAt(tokens, index);
    if (located !== null && (located.word.kind === 'half' || located.word.kind === 'quarter')) {
      return { value: located.word.value, source: tokens.slice(index, located.next).join(' ') };
    }
  }
  return null;
}
