import path from 'node:path';
import { loadQuestionnaireFile } from '../../src/questionnaire/load';
import { parseQuestionnaire } from '../../src/questionnaire/load';
import type { Questionnaire } from '../../src/questionnaire/schema';

export const QUESTIONNAIRES_DIR = path.resolve(__dirname, '../../questionnaires');

export function shipped(id: 'post-discharge' | 'pre-visit-screening'): Questionnaire {
  return loadQuestionnaireFile(path.join(QUESTIONNAIRES_DIR, `${id}.yaml`)).definition;
}

/** A minimal valid definition as YAML, for tests that break one thing at a time. */
export const MINIMAL_YAML = `
id: mini
version: 1
language: ar
title: test
settings:
  emergency_number: "997"
prompts:
  greeting: hello
  goodbye: bye
  no_input: silence
  no_match: nomatch
  dtmf_hint: keypad
  confirm: "you said {answer}?"
  emergency: "call {emergency_number}"
  transfer: transferring
  opted_out: optedout
items:
  - id: q1
    type: boolean
    text: question one
`;

/** Builds a questionnaire from a plain object in the YAML format (validated like a file). */
export function define(overrides: { settings?: Record<string, unknown>; items: unknown[]; prompts?: Record<string, string> }): Questionnaire {
  const base = {
    id: 'test',
    version: 1,
    language: 'ar',
    title: 'test',
    settings: { emergency_number: '997', ...overrides.settings },
    prompts: {
      greeting: 'GREETING',
      goodbye: 'GOODBYE',
      no_input: 'NO_INPUT',
      no_match: 'NO_MATCH',
      dtmf_hint: 'DTMF_HINT',
      confirm: 'CONFIRM {answer}',
      emergency: 'EMERGENCY {emergency_number}',
      transfer: 'TRANSFER',
      opted_out: 'OPTED_OUT',
      clarify: 'CLARIFY',
      out_of_range: 'OUT_OF_RANGE {min}-{max}',
      keypad_only: 'KEYPAD_ONLY',
      keypad_boolean: 'KEYPAD_BOOLEAN',
      keypad_number: 'KEYPAD_NUMBER',
      keypad_decimal: 'KEYPAD_DECIMAL',
      keypad_option: 'OPTION {option}={digit}',
      transfer_unavailable: 'TRANSFER_UNAVAILABLE',
      unable_to_continue: 'UNABLE',
      ...overrides.prompts,
    },
    items: overrides.items,
  };
  return parseQuestionnaire(JSON.stringify(base), 'test.json');
}

/**
 * A two-question keypad questionnaire (consent, then one yes/no; "no" to consent opts out) as
 * YAML, for tests that run whole calls quickly; `greeting` may use the call's variables.
 */
export function twoQuestionYaml(id: string, greeting: string): string {
  return `id: ${id}
version: 1
language: ar
title: متابعة
settings: { emergency_number: "997" }
prompts:
  greeting: "${greeting}"
  goodbye: "شكراً لك. مع السلامة."
  no_input: "عذراً، لم أسمعك."
  no_match: "عذراً، لم أفهم."
  dtmf_hint: "يمكنك الإجابة بلوحة المفاتيح."
  confirm: "قلت {answer}، صحيح؟"
  emergency: "اتصل بالإسعاف على تسعة تسعة سبعة."
  transfer: "سأحوّلك الآن."
  opted_out: "حسناً، مع السلامة."
items:
  - { id: consent, type: boolean, required: true, text: "هل توافق على بعض الأسئلة؟", confirm: never, opt_out_when: { operator: "=", answer: false } }
  - { id: feeling_well, type: boolean, required: true, text: "هل تشعر بتحسن؟", confirm: never }
`;
}
