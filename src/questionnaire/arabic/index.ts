/**
 * Arabic understanding for phone questionnaires: normalisation, yes/no, numbers, choices,
 * intents and number read-backs. Pure functions, no I/O, no vendor imports.
 */

export { type ChoiceMatch, type ChoiceOption, matchChoice } from './match-choice';
export { detectIntent, type Intent } from './detect-intent';
export { normalizeArabic, tokenizeArabic, tokenizeClauses } from './normalize';
export { type ParsedNumber, parseNumber } from './parse-number';
export { findNumbers } from './number-grammar';
export { numberToArabicWords } from './number-to-words';
export { parseYesNo, type QuestionTense, type YesNo, type YesNoContext } from './yes-no';
