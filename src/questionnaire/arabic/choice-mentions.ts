/**
 * Where options are named in an answer: every whole display, synonym or built-in scale form
 * heard, the longest first, without overlaps, and whether a negator stands before each.
 */

import { isFiller, isNegator, isQualifier } from './choice-negation';
import { tokenizeArabic } from './normalize';
import { formsOf, isNearMiss, type ScalePoint, scalePointOf } from './scale-lexicon';
import { fuzzyWordDistance } from './word-forms';

export interface ChoiceOptionLike {
  code: string;
  display: string;
  synonyms?: string[];
}

export interface Phrase {
  code: string;
  words: readonly string[];
  /** From the scale lexicon rather than the clinic's own display or synonyms. */
  builtIn: boolean;
}

export interface Mention {
  /** One code, or several when equally good phrases of different options cover the same words. */
  codes: string[];
  /** The phrase heard is itself negative ("مش موافق"، "ما في"). */
  negative: boolean;
  /** The words right before and after the option, when they belong to no other option. */
  previous: string | null;
  next: string | null;
  start: number;
  end: number;
  edits: number;
  negated: boolean;
  /** The negator nearest before the option, and its place in the clause, when negated. */
  negator: string | null;
  negatorAt: number;
  /** Nothing but fillers between the negator and the option ("مش دايما"، "مو يعني دايما"). */
  negatedDirectly: boolean;
}

function sameWords(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((word, index) => fuzzyWordDistance(word, b[index] ?? '') !== null);
}

function containsRun(words: readonly string[], run: readonly string[]): number {
  for (let start = 0; start + run.length <= words.length; start += 1) {
    if (run.every((word, offset) => words[start + offset] === word)) return start;
  }
  return -1;
}

/**
 * "موافق" next to "موافق بشدة": the lexicon cannot tell the two apart, so neither takes built-in
 * forms. A negated variant ("غير موافق") is a different point and does not count.
 */
function qualifiedElsewhere(display: readonly string[], others: readonly (readonly string[])[]): boolean {
  return others.some((other) => {
    if (other.length <= display.length) return false;
    const at = containsRun(other, display);
    if (at < 0) return false;
    const extra = [...other.slice(0, at), ...other.slice(at + display.length)];
    return !extra.every(isNegator);
  });
}

/** The scale point of each option whose display the lexicon knows. */
export function scalePoints(options: readonly ChoiceOptionLike[]): Map<string, ScalePoint> {
  const points = new Map<string, ScalePoint>();
  const displays = options.map((option) => tokenizeArabic(option.display));
  options.forEach((option, index) => {
    const point = scalePointOf(option.display);
    const others = displays.filter((_, other) => other !== index);
    if (point !== null && !qualifiedElsewhere(displays[index] ?? [], others)) points.set(option.code, point);
  });
  return points;
}

/** Clinic phrases first; built-in forms only where no clinic phrase of any option reads the same. */
export function phrasesOf(options: readonly ChoiceOptionLike[]): Phrase[] {
  const clinic: Phrase[] = options.flatMap((option) =>
    [option.display, ...(option.synonyms ?? [])].map((text) => ({ code: option.code, words: tokenizeArabic(text), builtIn: false })),
  ).filter((phrase) => phrase.words.length > 0);
  const points = scalePoints(options);
  const builtIn: Phrase[] = [];
  for (const option of options) {
    const point = points.get(option.code);
    if (point === undefined) continue;
    for (const form of formsOf(point)) {
      const words = tokenizeArabic(form);
      if (!clinic.some((phrase) => sameWords(words, phrase.words))) builtIn.push({ code: option.code, words, builtIn: true });
    }
  }
  return [...clinic, ...builtIn];
}

/** A long vowel written two or more times running. */
const DRAWN_OUT_VOWEL = /([اوي])\1+/g;

/**
 * Built-in forms are matched more strictly: no edit in a short word, at most one otherwise, and
 * none at all in a form that holds a negator ("لا موافق" must not pass for "لا اوافق").
 */
/** `fuzzyWordDistance`, except that a dual is a count, not a misspelling: "يومين" is not "يوميا". */
export function spellingDistance(heard: string, word: string): number | null {
  // "كل يووم"، "داايما": a vowel drawn out in speech is written twice or more; one edit, whatever the length.
  const drawnOut = heard.replace(DRAWN_OUT_VOWEL, '$1');
  if (drawnOut !== heard && drawnOut === word) return 1;
  const distance = fuzzyWordDistance(heard, word);
  if (distance === null || distance === 0) return distance;
  if (isNearMiss(heard)) return null;
  return heard.endsWith('ين') && !word.endsWith('ين') ? null : distance;
}

function wordDistance(heard: string, word: string, phrase: Phrase): number | null {
  const distance = spellingDistance(heard, word);
  if (distance === null || distance === 0 || !phrase.builtIn) return distance;
  if (phrase.words.some(isNegator)) return null;
  return distance === 1 && Array.from(word).length >= 5 ? 1 : null;
}

interface Candidate {
  code: string;
  start: number;
  end: number;
  edits: number;
  builtIn: boolean;
  negative: boolean;
}

function candidatesIn(clause: readonly string[], phrases: readonly Phrase[]): Candidate[] {
  const found: Candidate[] = [];
  for (const phrase of phrases) {
    for (let start = 0; start + phrase.words.length <= clause.length; start += 1) {
      let edits = 0;
      const matches = phrase.words.every((word, offset) => {
        const distance = wordDistance(clause[start + offset] ?? '', word, phrase);
        if (distance === null) return false;
        edits += distance;
        return true;
      });
      if (matches) found.push({ code: phrase.code, start, end: start + phrase.words.length, edits, builtIn: phrase.builtIn, negative: phrase.words.some(isNegator) });
    }
  }
  // Longer first; then fewer edits; then the clinic's own words before built-in ones.
  return found.sort((a, b) => b.end - b.start - (a.end - a.start) || a.edits - b.edits || Number(a.builtIn) - Number(b.builtIn));
}

function rank(c: Candidate): string {
  return `${c.end - c.start}/${c.edits}/${c.builtIn}`;
}

/** Options named in one clause, in the order heard, each with its negation. */
export function mentionsIn(clause: readonly string[], phrases: readonly Phrase[]): Mention[] {
  const taken: Array<Candidate & { codes: string[] }> = [];
  for (const candidate of candidatesIn(clause, phrases)) {
    const same = taken.find((t) => t.start === candidate.start && t.end === candidate.end && rank(t) === rank(candidate));
    if (same !== undefined) {
      if (!same.codes.includes(candidate.code)) same.codes.push(candidate.code);
      continue;
    }
    if (taken.some((t) => candidate.start < t.end && t.start < candidate.end)) continue;
    taken.push({ ...candidate, codes: [candidate.code] });
  }
  taken.sort((a, b) => a.start - b.start);
  let freeFrom = 0;
  return taken.map((t) => {
    const before = clause.slice(freeFrom, t.start);
    freeFrom = t.end;
    const last = before.map(isNegator).lastIndexOf(true);
    const negated = last >= 0;
    const negatedDirectly = negated && before.slice(last + 1).every(isFiller);
    const negator = negated ? (before[last] ?? null) : null;
    const negatorAt = negated ? t.start - before.length + last : -1;
    const followed = taken.some((other) => other.start === t.end) ? undefined : clause[t.end];
    const next = followed ?? null;
    const preceded = taken.some((other) => other.end === t.start) ? undefined : clause[t.start - 1];
    const previous = preceded ?? null;
    return { codes: t.codes, negative: t.negative, previous, next, start: t.start, end: t.end, edits: t.edits, negated, negator, negatorAt, negatedDirectly };
  });
}

function outside(mentions: readonly Mention[], index: number): boolean {
  return !mentions.some((m) => index >= m.start && index < m.end);
}

/** Words of the clause that negate and lie outside every mention. */
export function freeNegators(clause: readonly string[], mentions: readonly Mention[]): number {
  return clause.filter((word, index) => isNegator(word) && outside(mentions, index)).length;
}

/** "لا لا ابدا": a negator repeated before the one that negates an option. */
function repeats(clause: readonly string[], index: number, mentions: readonly Mention[]): boolean {
  let at = index;
  while (clause[at + 1] === clause[index]) at += 1;
  return at !== index && mentions.some((m) => m.negatorAt === at);
}

/** "ساعات بيجي وساعات لا": a closing "لا" after a sometimes-word named twice. */
function closesSometimes(clause: readonly string[], index: number, mentions: readonly Mention[], isSometimes: (m: Mention) => boolean): boolean {
  if (clause[index] !== 'لا' || index !== clause.length - 1) return false;
  const named = mentions.filter(isSometimes);
  return named.length >= 2 && named.some((m) => m.end === index);
}

/**
 * Negators that negate no named option ("دايما بس مش كل يوم"، "كل يوم لا"), except those the
 * caller of this excuses (a negation that bears out the option named).
 */
export function danglingNegators(clause: readonly string[], mentions: readonly Mention[], isSometimes: (m: Mention) => boolean, isExcused: (index: number) => boolean = () => false): number {
  return clause.filter((word, index) => {
    if (!isNegator(word) || !outside(mentions, index) || mentions.some((m) => m.negatorAt === index) || isExcused(index)) return false;
    return !repeats(clause, index, mentions) && !closesSometimes(clause, index, mentions, isSometimes);
  }).length;
}

/** A comparison or exception outside every mention ("اقل من متوسط"). */
export function hasFreeQualifier(clause: readonly string[], mentions: readonly Mention[]): boolean {
  return clause.some((word, index) => isQualifier(word) && outside(mentions, index));
}
