import type { PromptKey } from './schema';

/**
 * Which `{placeholders}` the machine fills in each prompt and in item text (see machine.ts and
 * speech-text.ts). fillTemplate drops a name it was not given, so a typo such as
 * `{emergancy_number}` would silently vanish from the emergency prompt: the validator checks
 * every template against this table instead.
 */

/** Every prompt and question is filled with the call's values (machine.ts `vars`). */
const CALL = ['emergency_number'] as const;

/** `{custom.NAME}`: a call-context value (Maqsam campaign variable); empty when the call lacks it. */
export const CUSTOM_PLACEHOLDER = 'custom.NAME';

const ALL_PROMPTS = [...CALL, CUSTOM_PLACEHOLDER];

export const PROMPT_PLACEHOLDERS: Readonly<Record<PromptKey, readonly string[]>> = {
  greeting: ALL_PROMPTS,
  goodbye: ALL_PROMPTS,
  no_input: ALL_PROMPTS,
  no_match: ALL_PROMPTS,
  dtmf_hint: ALL_PROMPTS,
  confirm: ['answer', ...ALL_PROMPTS],
  emergency: ALL_PROMPTS,
  transfer: ALL_PROMPTS,
  opted_out: ALL_PROMPTS,
  voicemail: ALL_PROMPTS,
  clarify: ALL_PROMPTS,
  out_of_range: ['min', 'max', ...ALL_PROMPTS],
  keypad_only: ALL_PROMPTS,
  keypad_boolean: ALL_PROMPTS,
  keypad_number: ALL_PROMPTS,
  keypad_decimal: ALL_PROMPTS,
  keypad_option: ['option', 'digit', ...ALL_PROMPTS],
  transfer_unavailable: ALL_PROMPTS,
  unable_to_continue: ALL_PROMPTS,
  confirm_meaning: ['heard', 'answer', ...ALL_PROMPTS],
  // Spoken inside {answer} and listened for as keywords: never filled, so no placeholders.
  yes: [],
  no: [],
};

/** Item text (questions and display items). */
export const ITEM_TEXT_PLACEHOLDERS: readonly string[] = ALL_PROMPTS;

/** Names fillTemplate can fill: letters, "_" and "." (so `{custom.visit2}` would be spoken as written). */
const FILLABLE = /^[a-z_.]+$/i;
const CUSTOM = /^custom\.[a-z_]+(\.[a-z_]+)*$/i;

/** The `{…}` placeholders in a template that `known` does not cover, in order of appearance. */
export function unknownPlaceholders(template: string, known: readonly string[]): string[] {
  const unknown: string[] = [];
  for (const match of template.matchAll(/\{([^{}]*)\}/g)) {
    const name = match[1] ?? '';
    const isKnown = FILLABLE.test(name) && (known.includes(name) || (known.includes(CUSTOM_PLACEHOLDER) && CUSTOM.test(name)));
    if (!isKnown && !unknown.includes(name)) unknown.push(name);
  }
  return unknown;
}

/** `prompts.emergency: unknown placeholder {emergancy_number}; known: {emergency_number}, {custom.NAME}` */
export function placeholderMessage(unknown: readonly string[], known: readonly string[]): string {
  const names = unknown.map((n) => `{${n}}`).join(', ');
  const what = unknown.length > 1 ? 'unknown placeholders' : 'unknown placeholder';
  if (known.length === 0) return `${what} ${names}; this text takes no placeholders`;
  return `${what} ${names}; known: ${known.map((n) => `{${n}}`).join(', ')}`;
}
