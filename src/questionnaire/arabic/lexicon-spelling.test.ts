/**
 * Every matcher compares normalised words with lexicon entries, so an entry written with a hamza
 * seat, taa marbuta or alef maqsura ("الاسئله" for "الاسيله") silently never matches. This
 * walks every exported word list and phrase table of the lexicons and finds such entries.
 */
import * as choiceMentions from './choice-mentions';
import * as choiceNegation from './choice-negation';
import * as intentLexicon from './intent-lexicon';
import * as matchChoice from './match-choice';
import * as medicationAnswer from './medication-answer';
import { normalizeArabic } from './normalize';
import * as numberCues from './number-cues';
import * as numberGrammar from './number-grammar';
import * as numberLexicon from './number-lexicon';
import * as scaleLexicon from './scale-lexicon';
import * as timeWords from './time-words';
import * as yesNoLexicon from './yes-no-lexicon';

const MODULES: Record<string, Record<string, unknown>> = {
  choiceMentions,
  choiceNegation,
  intentLexicon,
  matchChoice,
  medicationAnswer,
  numberCues,
  numberGrammar,
  numberLexicon,
  scaleLexicon,
  timeWords,
  yesNoLexicon,
};

function entries(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value instanceof Set) return [...value].flatMap(entries);
  if (value instanceof Map) return [...value.keys()].flatMap(entries);
  if (Array.isArray(value)) return value.flatMap(entries);
  return [];
}

test('every lexicon entry is spelt the way normalised text is, so that it can match', () => {
  const misspelt: string[] = [];
  for (const [module, exports] of Object.entries(MODULES)) {
    for (const [name, value] of Object.entries(exports)) {
      for (const entry of entries(value)) {
        // Entries are words or phrases; a phrase is normalised word by word.
        if (normalizeArabic(entry) !== entry.trim()) misspelt.push(`${module}.${name}: "${entry}" (normalised "${normalizeArabic(entry)}")`);
      }
    }
  }
  expect(misspelt).toEqual([]);
});

test('the check finds a misspelt entry', () => {
  expect(normalizeArabic('الاسئله')).not.toBe('الاسئله');
  expect(entries(new Set(['a', 'b']))).toEqual(['a', 'b']);
  expect(entries([['x', 'y'], 'z'])).toEqual(['x', 'y', 'z']);
});
