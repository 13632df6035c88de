/**
 * The grammar of spoken numbers: every number in a list of normalised words, digits in any
 * script or Arabic number words 0–999 with halves, quarters and spoken decimals.
 *
 *   number   := cardinal fraction?
 *   cardinal := hundreds ("و" belowHundred)? | belowHundred | digits
 *   hundreds := ميه | ميتين | تلتميه | unit ميه | 100…900
 *   belowHundred := unit ("و" tens)? | tens ("و" unit)? | (unit | احد | اثنا) عشر | teen | عشره | صفر
 *                   (unit and tens may be digits: "20 وخمسة", "خمسة و20")
 *   fraction := "و" نص | "و" ربع | فاصله digit+
 * After a round hundred, "ونص" and "وربع" add 50 and 25 ("مية ونص" is 150 in speech).
 */

import { AND_WORD, classifyNumberWord, DECIMAL_MARKERS, mentionsNumber, type NumberWord } from './number-lexicon';

/** "وخمسة من عشرة": tenths. */
const TENTHS_OF: ReadonlySet<string> = new Set(['من']);
const TEN: ReadonlySet<string> = new Set(['عشره', 'عشر', '10']);
/** "وخمسة أعشار": tenths, named. */
const TENTHS: ReadonlySet<string> = new Set(['اعشار']);

/** Units that may sit between a number and its fraction. */
const UNIT_WORDS: ReadonlySet<string> = new Set(['درجه', 'درجات', 'بالدرجه', 'كيلو', 'كيلوغرام', 'كيلوجرام', 'كغ', 'كجم', 'كيلوات']);

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

/** 20–90 as a word or as digits ("عشرين", "20"). */
function tensOf(word: NumberWord): number | null {
  if (word.kind === 'tens') return word.value;
  if (word.kind === 'digits' && /^[2-9]0$/.test(word.literal ?? '')) return word.value;
  return null;
}

/** 1–9 as a word or as one digit ("خمسة", "5"). */
function unitOf(word: NumberWord): number | null {
  if (word.kind === 'unit') return word.value;
  if (word.kind === 'digits' && /^[1-9]$/.test(word.literal ?? '')) return word.value;
  return null;
}

function plain(value: number, end: number): Reading {
  return { value, end, roundHundreds: false };
}

/**
 * Units before tens ("خمسة وعشرين") as in MSA, or tens before units ("عشرين وخمسة") as said
 * colloquially; either part may be digits ("20 وخمسة", "خمسة و20").
 */
function readBelowHundred(tokens: readonly string[], index: number, needsAnd: boolean): Reading | null {
  const first = needsAnd ? wordWithAnd(tokens, index) : wordAt(tokens, index);
  if (first === null || (needsAnd && !first.word.withAnd)) return null;
  const { kind, value } = first.word;
  const after = wordAt(tokens, first.next);
  const unit = unitOf(first.word);
  const tens = tensOf(first.word);
  if (kind === 'zero') return needsAnd ? null : plain(0, first.next);
  if (kind === 'ordinal') return needsAnd ? null : readOrdinal(first, after);
  if (kind === 'unit' || kind === 'teenHead') {
    if (after !== null && after.word.kind === 'ten' && !after.word.withAnd) return plain(value + 10, after.next);
    if (kind === 'teenHead') return null;
  }
  if (unit !== null) {
    const laterTens = after?.word.withAnd ? tensOf(after.word) : null;
    if (after !== null && laterTens !== null) return plain(unit + laterTens, after.next);
    return plain(unit, first.next);
  }
  if (tens !== null) {
    const laterUnit = after?.word.withAnd ? unitOf(after.word) : null;
    if (after !== null && laterUnit !== null) return plain(tens + laterUnit, after.next);
    return plain(tens, first.next);
  }
  if (kind === 'ten' || kind === 'teen') return plain(value, first.next);
  if (kind === 'digits' && needsAnd && Number.isInteger(value) && value < 100) return plain(value, first.next);
  return null;
}

/**
 * "السابعه والستين" (67), "الثالثه عشره" (13): a feminine ordinal read with its tens or its ten.
 * Anything else with an ordinal is not read (see ORDINALS in number-lexicon.ts).
 */
function readOrdinal(first: Located, after: Located | null): Reading | null {
  if (!first.word.feminine || after === null) return null;
  const tens = after.word.withAnd ? tensOf(after.word) : null;
  if (tens !== null && first.word.value < 10) return plain(first.word.value + tens, after.next);
  if (after.word.kind === 'ten' && !after.word.withAnd && first.word.value < 10) return plain(first.word.value + 10, after.next);
  return null;
}

function readCardinal(tokens: readonly string[], index: number): Reading | null {
  const first = wordAt(tokens, index);
  if (first === null) return null;
  let hundreds: number | null = null;
  let next = first.next;
  const { kind, value } = first.word;
  if (kind === 'digits') {
    if (/^[1-9]00$/.test(first.word.literal ?? '')) hundreds = value;
    else if (tensOf(first.word) !== null || unitOf(first.word) !== null) return readBelowHundred(tokens, index, false);
    else return plain(value, first.next);
  } else if (kind === 'hundred') {
    hundreds = value;
  } else if (kind === 'unit' && value >= 3) {
    const after = wordAt(tokens, first.next);
    if (after !== null && after.word.kind === 'hundred' && after.word.value === 100 && !after.word.withAnd) {
      hundreds = value * 100;
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
  const fraction = next?.word.withAnd && (next.word.kind === 'half' || next.word.kind === 'quarter');
  if (next !== null && fraction && Number.isInteger(reading.value)) {
    return { value: reading.value + next.word.value * scale, end: next.next, roundHundreds: false };
  }
  // "تمانية وتلاتين وخمسة من عشرة": tenths said as "five out of ten" after a whole number, or
  // named ("ستة وثلاثون وخمسة أعشار").
  if (next?.word.withAnd && reading.value >= 10 && Number.isInteger(reading.value)) {
    const tenths = unitOf(next.word);
    if (tenths !== null && TENTHS_OF.has(tokens[next.next] ?? '') && TEN.has(tokens[next.next + 1] ?? '')) {
      return { value: reading.value + tenths / 10, end: next.next + 2, roundHundreds: false };
    }
    if (tenths !== null && TENTHS.has(tokens[next.next] ?? '')) return { value: reading.value + tenths / 10, end: next.next + 1, roundHundreds: false };
  }
  const marker = tokens[reading.end];
  if (marker !== undefined && DECIMAL_MARKERS.has(marker) && Number.isInteger(reading.value)) {
    const digits = readDecimalDigits(tokens, reading.end + 1);
    if (digits !== null) {
      return { value: Number(`${reading.value}.${digits.text}`), end: digits.end, roundHundreds: false };
    }
  }
  return reading;
}

/** One number read from the words, or a word that names a number but could not be read. */
export interface Found {
  value: number | null;
  start: number;
  end: number;
  /** It began with "و": "سبعة وتمانية" is two numbers, not one said twice. */
  joined: boolean;
}

export function findNumbers(tokens: readonly string[]): Found[] {
  const found: Found[] = [];
  let index = 0;
  while (index < tokens.length) {
    const joined = wordAt(tokens, index)?.word.withAnd ?? false;
    const cardinal = readCardinal(tokens, index);
    if (cardinal !== null) {
      const full = readFraction(tokens, cardinal);
      found.push({ value: full.value, start: index, end: full.end, joined });
      index = full.end;
      continue;
    }
    const located = wordAt(tokens, index);
    if (located !== null && (located.word.kind === 'half' || located.word.kind === 'quarter')) {
      // "سنه ونص"، "ساعه وربع": one and a half of what was named, not a half; asked again.
      const ofNamedOne = located.word.withAnd && index > 0;
      found.push({ value: ofNamedOne ? null : located.word.value, start: index, end: located.next, joined });
      index = located.next;
      continue;
    }
    const token = tokens[index] ?? '';
    // A decimal marker with no digits read after it, or a bare "و" right after a number, is a
    // number cut short ("تسعة وتلاتين فاصلة…", "تسعة و…").
    const cutShort = DECIMAL_MARKERS.has(token) || (token === AND_WORD && found.at(-1)?.end === index);
    const leftover = cutShort || (located === null ? mentionsNumber(token) : located.word.kind !== 'teenHead');
    if (leftover) found.push({ value: null, start: index, end: index + 1, joined });
    index += 1;
  }
  return found;
}

