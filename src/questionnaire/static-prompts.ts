import type { Questionnaire } from './schema';
import { DEFAULT_PROMPTS, type PromptKey } from './schema';
import { fillTemplate, keypadHint, promptTemplate, sayItem, sayOutOfRange, spokenAnswer } from './speech-text';

/**
 * Every sentence the bot can say on a call of this questionnaire that is known before the call:
 * prompts, questions, keypad hints, range messages, and read-backs of yes/no and choice answers.
 * These are synthesized once at startup, so replies start at once. Prompts that use call context
 * (`{custom.…}`) and read-backs of numbers or free text are left to synthesis during the call.
 */
export function staticPromptTexts(q: Questionnaire): string[] {
  const vars = { emergency_number: q.settings.emergency_number };
  const texts = new Set<string>();
  const add = (text: string) => {
    if (text) texts.add(text);
  };
  const keys = [...Object.keys(q.prompts), ...Object.keys(DEFAULT_PROMPTS)] as PromptKey[];
  for (const key of new Set(keys)) {
    const template = promptTemplate(q, key);
    if (/\{custom\./.test(template) || key === 'confirm' || key === 'confirm_meaning' || key === 'out_of_range' || key === 'keypad_option') continue;
    add(fillTemplate(template, vars));
  }
  for (const item of q.items) {
    if (!/\{custom\./.test(item.text)) add(sayItem(item, vars).text);
    for (const hint of keypadHint(q, item, vars)) add(hint.text);
    if (item.type === 'integer' || item.type === 'decimal') {
      add(sayOutOfRange(q, item, vars).text);
      continue;
    }
    const answers = item.type === 'boolean' ? [true, false] : item.type === 'choice' ? (item.options ?? []).map((o) => o.code) : [];
    for (const value of answers) add(fillTemplate(promptTemplate(q, 'confirm'), { ...vars, answer: spokenAnswer(q, item, value) }));
  }
  return [...texts];
}
