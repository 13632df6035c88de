import type { Coding } from 'fhir/r4';
import type { AnswerValue, Item } from '../questionnaire/schema';

/** The FHIR choice-type suffixes our answers use: `valueBoolean`, `answerCoding`, … */
export const VALUE_KINDS = ['Boolean', 'Integer', 'Decimal', 'Coding', 'String'] as const;
export type ValueKind = (typeof VALUE_KINDS)[number];

export type TypedValue =
  | { kind: 'Boolean'; value: boolean }
  | { kind: 'Integer' | 'Decimal'; value: number }
  | { kind: 'String'; value: string }
  | { kind: 'Coding'; value: Coding };

/**
 * An answer (or a condition's expected answer) as FHIR types it, chosen by the item's type:
 * boolean → Boolean, integer → Integer, decimal → Decimal, choice → Coding in the item's code
 * system with the option's display, text → String. A value that does not fit the item (a stored
 * answer from an older definition) is typed by its own JavaScript type instead of being dropped.
 */
export function typedValue(item: Item | undefined, value: unknown, system: string): TypedValue | undefined {
  switch (item?.type) {
    case 'boolean':
      if (typeof value === 'boolean') return { kind: 'Boolean', value };
      break;
    case 'integer':
      if (Number.isInteger(value)) return { kind: 'Integer', value: value as number };
      break;
    case 'decimal':
      if (typeof value === 'number' && Number.isFinite(value)) return { kind: 'Decimal', value };
      break;
    case 'choice':
      if (typeof value === 'string') {
        const display = item.options?.find((o) => o.code === value)?.display;
        return { kind: 'Coding', value: { system, code: value, ...(display ? { display } : {}) } };
      }
      break;
    case 'text':
      if (typeof value === 'string') return { kind: 'String', value };
      break;
    default:
      break;
  }
  if (typeof value === 'boolean') return { kind: 'Boolean', value };
  if (typeof value === 'number' && Number.isFinite(value)) return { kind: 'Decimal', value };
  if (typeof value === 'string') return { kind: 'String', value };
  return undefined;
}

/** `{ valueBoolean: true }`, `{ answerCoding: {...} }`: the typed value under a choice-type prefix. */
export function withPrefix(prefix: 'value' | 'answer', typed: TypedValue): Record<string, boolean | number | string | Coding> {
  return { [`${prefix}${typed.kind}`]: typed.value };
}

/** The choice-type elements present on a FHIR element, e.g. `['valueDate']` or `['answerCoding']`. */
export function choiceKeys(element: object, prefix: 'value' | 'answer'): string[] {
  return Object.keys(element).filter((key) => key.startsWith(prefix) && /^[A-Z]/.test(key.slice(prefix.length)));
}

/**
 * Reads a choice-type element back as our answer value (a Coding becomes its code). `undefined`
 * when none is present; `{ unsupported }` names a type we have no value for (valueDate, …).
 */
export function readValue(element: object, prefix: 'value' | 'answer'): { value: AnswerValue } | { unsupported: string } | undefined {
  const [key] = choiceKeys(element, prefix);
  if (key === undefined) return undefined;
  const raw = (element as Record<string, unknown>)[key];
  switch (key.slice(prefix.length)) {
    case 'Boolean':
      if (typeof raw === 'boolean') return { value: raw };
      break;
    case 'Integer':
    case 'Decimal':
      if (typeof raw === 'number') return { value: raw };
      break;
    case 'String':
      if (typeof raw === 'string') return { value: raw };
      break;
    case 'Coding': {
      const code = (raw as Coding | null)?.code;
      if (typeof code === 'string') return { value: code };
      break;
    }
  }
  return { unsupported: key };
}
