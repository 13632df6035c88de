import { numberToArabicWords } from './arabic';
import { optionDigits } from './interpret';
import { type AnswerValue, DEFAULT_PROMPTS, type Item, type PromptKey, type Questionnaire } from './schema';
import type { SayEffect } from './types';

/** What the bot says: prompts with their placeholders filled, read-backs and keypad hints. */

const DIGIT_WORDS = ['صفر', 'واحد', 'اثنين', 'ثلاثة', 'أربعة', 'خمسة', 'ستة', 'سبعة', 'ثمانية', 'تسعة'];

/** Fills `{name}` and `{custom.name}` placeholders; an unknown one is dropped rather than spoken. */
export function fillTemplate(template: string, vars: Readonly<Record<string, string>>): string {
  return template
    .replace(/\{([a-z_.]+)\}/gi, (_, name: string) => vars[name] ?? '')
    .replace(/\s+/g, ' ')
    .trim();
}

export function promptTemplate(q: { prompts: Partial<Record<PromptKey, string>> }, key: PromptKey): string {
  return q.prompts[key] ?? DEFAULT_PROMPTS[key as keyof typeof DEFAULT_PROMPTS];
}

export function sayPrompt(
  q: Questionnaire,
  key: PromptKey,
  vars: Readonly<Record<string, string>>,
  interruptible = true,
): SayEffect {
  const say: SayEffect = { type: 'say', key: `prompt:${key}`, text: fillTemplate(promptTemplate(q, key), vars), interruptible };
  const audio = q.prompt_audio?.[key];
  if (audio && !hasCallPlaceholders(promptTemplate(q, key))) say.audio = audio;
  return say;
}

export function sayItem(item: Item, vars: Readonly<Record<string, string>>): SayEffect {
  const say: SayEffect = { type: 'say', key: `item:${item.id}`, text: fillTemplate(item.text, vars), interruptible: true };
  if (item.audio) say.audio = item.audio;
  return say;
}

/** "The answer must be between {min} and {max}", with the item's bounds spelled as words. */
export function sayOutOfRange(q: Questionnaire, item: Item, vars: Readonly<Record<string, string>>): SayEffect {
  const bound = (b: number | undefined) => (b === undefined ? '' : numberToArabicWords(b));
  return { ...sayPrompt(q, 'out_of_range', { ...vars, min: bound(item.min), max: bound(item.max) }), key: `out_of_range:${item.id}` };
}

/**
 * Whether a template says something known only during the call ({answer}, {custom.…}, …).
 * A recording cannot say those, so it may replace only prompts without them.
 */
export function hasCallPlaceholders(template: string): boolean {
  return [...template.matchAll(/\{([a-z_.]+)\}/gi)].some((m) => m[1] !== 'emergency_number');
}

/** How an answer is spoken back: "نعم", "ثمانية وثلاثون ونصف درجة", an option's display text. */
export function spokenAnswer(q: Questionnaire, item: Item, value: AnswerValue): string {
  if (typeof value === 'boolean') return promptTemplate(q, value ? 'yes' : 'no');
  if (typeof value === 'number') return [numberToArabicWords(value), item.unit].filter(Boolean).join(' ');
  if (item.type === 'choice') return item.options?.find((o) => o.code === value)?.display ?? value;
  return value;
}

export function keypadHint(q: Questionnaire, item: Item, vars: Readonly<Record<string, string>>): SayEffect[] {
  const key = `keypad:${item.id}`;
  switch (item.type) {
    case 'boolean':
      return [{ ...sayPrompt(q, 'keypad_boolean', vars), key }];
    case 'integer':
      return [{ ...sayPrompt(q, 'keypad_number', vars), key }];
    case 'decimal':
      return [{ ...sayPrompt(q, 'keypad_decimal', vars), key }];
    case 'choice': {
      const lines = [...optionDigits(item.options ?? [])]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([digit, option]) =>
          fillTemplate(promptTemplate(q, 'keypad_option'), { ...vars, option: option.display, digit: DIGIT_WORDS[Number(digit)] ?? digit }),
        );
      return [{ type: 'say', key, text: lines.join(' '), interruptible: true }];
    }
    case 'text':
    case 'display':
      return [];
  }
}

/** Words the recogniser should listen for on this item (keyword boosting). */
export function expectedWords(q: Questionnaire, item: Item): string[] {
  if (item.type === 'choice') return (item.options ?? []).flatMap((o) => [o.display, ...o.synonyms]);
  if (item.type === 'boolean') return [promptTemplate(q, 'yes'), promptTemplate(q, 'no')];
  return [];
}

/**
 * Words worth boosting in recognition for a whole call: option names and synonyms, yes and no.
 * (Deepgram takes keyterms when a stream opens, so they cover the call, not one question.)
 */
export function questionnaireKeyterms(q: Questionnaire, limit = 50): string[] {
  return [...new Set(q.items.flatMap((item) => expectedWords(q, item)))].slice(0, limit);
}
