import type { AnswerValue, Condition, Item, Operator } from './schema';
import type { AnswerRecord } from './types';

/** FHIR enableWhen semantics: an unanswered question satisfies only `exists: false`. */
export function conditionHolds(operator: Operator, expected: AnswerValue, actual: AnswerValue | undefined): boolean {
  if (operator === 'exists') return (actual !== undefined) === expected;
  if (actual === undefined) return false;
  switch (operator) {
    case '=':
      return actual === expected;
    case '!=':
      return actual !== expected;
    case '>':
      return typeof actual === 'number' && typeof expected === 'number' && actual > expected;
    case '<':
      return typeof actual === 'number' && typeof expected === 'number' && actual < expected;
    case '>=':
      return typeof actual === 'number' && typeof expected === 'number' && actual >= expected;
    case '<=':
      return typeof actual === 'number' && typeof expected === 'number' && actual <= expected;
  }
}

export function matches(condition: Condition, value: AnswerValue): boolean {
  return conditionHolds(condition.operator, condition.answer, value);
}

/** All of an item's enable_when conditions hold (enableBehavior "all"). */
export function isEnabled(item: Item, answers: Readonly<Record<string, AnswerRecord>>): boolean {
  return item.enable_when.every((c) => conditionHolds(c.operator, c.answer, answers[c.question]?.value));
}

/** The red flags an answer raises, most severe first (emergency, then transfer, then flag). */
export function raisedFlags(item: Item, value: AnswerValue): Item['red_flag'] {
  const severity = { emergency: 0, transfer: 1, flag: 2 } as const;
  return item.red_flag.filter((f) => matches(f.when, value)).sort((a, b) => severity[a.action] - severity[b.action]);
}
