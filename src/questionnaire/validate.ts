import { ITEM_TEXT_PLACEHOLDERS, PROMPT_PLACEHOLDERS, placeholderMessage, unknownPlaceholders } from './placeholders';
import type { AnswerValue, Condition, Item, Operator, PromptKey, Questionnaire } from './schema';
import { hasCallPlaceholders, promptTemplate } from './speech-text';

/** One problem in a definition: where (`items[3].max`) and which rule it breaks. */
export interface DefinitionIssue {
  path: string;
  message: string;
}

/**
 * The parts of a definition the cross-item rules read. After a schema error these are what could
 * be salvaged (load.ts), so a typo does not hide every other problem until it is fixed.
 */
export interface DefinitionParts {
  /** `undefined` where an item failed the schema (its own errors are reported already). */
  items: ReadonlyArray<Item | undefined>;
  /** Ids written on items that failed the schema: references to them are not reported again. */
  brokenIds: ReadonlySet<string>;
  /** `null` when the settings failed the schema: the rules that read them are skipped. */
  settings: Questionnaire['settings'] | null;
  prompts: Partial<Record<PromptKey, string>>;
  promptAudio: Partial<Record<PromptKey, string>>;
}

const NUMERIC = new Set(['integer', 'decimal']);
const ORDERED_OPERATORS = new Set<Operator>(['>', '<', '>=', '<=']);

/**
 * The rules a schema cannot express on its own: references between items, ranges, option codes,
 * keypad digits and placeholders. Returns every issue found (an empty list means the definition is sound).
 */
export function validateQuestionnaire(q: Questionnaire): DefinitionIssue[] {
  return validateParts({ items: q.items, brokenIds: new Set(), settings: q.settings, prompts: q.prompts, promptAudio: q.prompt_audio ?? {} });
}

export function validateParts(q: DefinitionParts): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  const add = (path: string, message: string) => issues.push({ path, message });
  const indexById = new Map<string, number>();

  q.items.forEach((item, i) => {
    if (!item) return;
    const at = `items[${i}]`;
    const first = indexById.get(item.id);
    if (first !== undefined) add(`${at}.id`, `duplicate id "${item.id}" (also items[${first}])`);
    else indexById.set(item.id, i);

    checkShape(item, at, add);
    checkPlaceholders(item.text, ITEM_TEXT_PLACEHOLDERS, `${at}.text`, add);

    item.enable_when.forEach((cond, c) => {
      const where = `${at}.enable_when[${c}]`;
      const target = indexById.get(cond.question);
      if (target === undefined || target === i) {
        if (q.brokenIds.has(cond.question)) return;
        const later = q.items.findIndex((other) => other?.id === cond.question);
        add(
          `${where}.question`,
          later >= i ? `"${cond.question}" must be a question asked before this one` : `no item has id "${cond.question}"`,
        );
        return;
      }
      const targetItem = q.items[target]!;
      if (targetItem.type === 'display') add(`${where}.question`, `"${cond.question}" is a display item and has no answer`);
      else checkCondition(cond, targetItem, where, add);
    });

    item.red_flag.forEach((flag, f) => {
      checkCondition(flag.when, item, `${at}.red_flag[${f}].when`, add);
      if (flag.action === 'transfer' && q.settings && !q.settings.transfer_number) {
        add(`${at}.red_flag[${f}].action`, 'transfer needs settings.transfer_number');
      }
    });
    if (item.opt_out_when) checkCondition(item.opt_out_when, item, `${at}.opt_out_when`, add);
  });
  for (const [key, template] of Object.entries(q.prompts)) {
    const known = PROMPT_PLACEHOLDERS[key as PromptKey];
    if (known && template !== undefined) checkPlaceholders(template, known, `prompts.${key}`, add);
  }
  for (const [key, file] of Object.entries(q.promptAudio)) {
    if (file && hasCallPlaceholders(promptTemplate(q, key as PromptKey))) {
      add(`prompt_audio.${key}`, 'this prompt says values known only during the call, which a recording cannot say');
    }
  }
  return issues;
}

function checkPlaceholders(template: string, known: readonly string[], at: string, add: (path: string, message: string) => void): void {
  const unknown = unknownPlaceholders(template, known);
  if (unknown.length > 0) add(at, placeholderMessage(unknown, known));
}

function checkShape(item: Item, at: string, add: (path: string, message: string) => void): void {
  const numeric = NUMERIC.has(item.type);
  for (const key of ['min', 'max', 'unit'] as const) {
    if (item[key] !== undefined && !numeric) add(`${at}.${key}`, `only integer and decimal items take ${key}`);
  }
  if (item.type === 'integer') {
    for (const key of ['min', 'max'] as const) {
      const v = item[key];
      if (v !== undefined && !Number.isInteger(v)) add(`${at}.${key}`, 'must be a whole number for an integer item');
    }
  }
  if (item.min !== undefined && item.max !== undefined && item.max < item.min) {
    add(`${at}.max`, `must be ≥ min (${item.min})`);
  }
  if (item.type === 'display') {
    if (item.required) add(`${at}.required`, 'a display item has no answer and cannot be required');
    if (item.red_flag.length > 0) add(`${at}.red_flag`, 'a display item has no answer to flag');
    if (item.opt_out_when) add(`${at}.opt_out_when`, 'a display item has no answer');
  }
  if (item.type !== 'choice') {
    if (item.options !== undefined) add(`${at}.options`, 'only choice items take options');
    return;
  }
  if (!item.options || item.options.length < 2) {
    add(`${at}.options`, 'a choice item needs at least two options');
    return;
  }
  const codes = new Map<string, number>();
  const digits = new Map<string, number>();
  item.options.forEach((option, o) => {
    const seen = codes.get(option.code);
    if (seen !== undefined) add(`${at}.options[${o}].code`, `duplicate code "${option.code}" (also options[${seen}])`);
    codes.set(option.code, o);
    if (option.dtmf !== undefined) {
      const other = digits.get(option.dtmf);
      if (other !== undefined) add(`${at}.options[${o}].dtmf`, `digit ${option.dtmf} is already options[${other}]`);
      digits.set(option.dtmf, o);
    }
  });
  if (item.options.length > 10) add(`${at}.options`, 'at most 10 options fit on a keypad');
}

function checkCondition(cond: Condition, target: Item, where: string, add: (path: string, message: string) => void): void {
  if (cond.operator === 'exists') {
    if (typeof cond.answer !== 'boolean') add(`${where}.answer`, 'exists takes true or false');
    return;
  }
  const expected = expectedAnswerKind(target);
  if (!answerMatches(cond.answer, target)) {
    add(`${where}.answer`, `must be ${expected} to compare with "${target.id}" (${target.type})`);
    return;
  }
  if (ORDERED_OPERATORS.has(cond.operator) && !NUMERIC.has(target.type)) {
    add(`${where}.operator`, `${cond.operator} compares numbers; "${target.id}" is ${target.type}`);
  }
}

function expectedAnswerKind(item: Item): string {
  switch (item.type) {
    case 'boolean':
      return 'true or false';
    case 'integer':
    case 'decimal':
      return 'a number';
    case 'choice':
      return `one of the option codes (${(item.options ?? []).map((o) => o.code).join(', ')})`;
    case 'text':
    case 'display':
      return 'text';
  }
}

function answerMatches(answer: AnswerValue, item: Item): boolean {
  switch (item.type) {
    case 'boolean':
      return typeof answer === 'boolean';
    case 'integer':
    case 'decimal':
      return typeof answer === 'number';
    case 'choice':
      return typeof answer === 'string' && (item.options ?? []).some((o) => o.code === answer);
    case 'text':
      return typeof answer === 'string';
    case 'display':
      return false;
  }
}
