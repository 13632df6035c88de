import { isBridgeError } from '../errors';
import { MINIMAL_YAML } from '../../test/helpers/questionnaires';
import { parseQuestionnaire } from './load';
import { PROMPT_PLACEHOLDERS, unknownPlaceholders } from './placeholders';
import { DEFAULT_PROMPTS, type PromptKey } from './schema';

function errorLines(source: string): string[] {
  try {
    parseQuestionnaire(source, 'post-discharge.yaml');
  } catch (error) {
    if (isBridgeError(error, 'QUESTIONNAIRE_INVALID')) return error.message.split('\n');
    throw error;
  }
  return [];
}

/** The minimal definition with one prompt set (replaced where it is written, else added). */
function withPrompt(key: string, text: string): string {
  const line = `  ${key}: "${text}"`;
  const existing = new RegExp(`^  ${key}: .*$`, 'm');
  return existing.test(MINIMAL_YAML) ? MINIMAL_YAML.replace(existing, line) : MINIMAL_YAML.replace('prompts:\n', `prompts:\n${line}\n`);
}
const withItemText = (text: string) => MINIMAL_YAML.replace('text: question one', `text: "${text}"`);

describe('placeholders are checked against what the machine fills in each text', () => {
  test.each([
    [
      'a typo in the emergency prompt',
      withPrompt('emergency', 'call {emergancy_number} now'),
      'post-discharge.yaml: prompts.emergency: unknown placeholder {emergancy_number}; known: {emergency_number}, {custom.NAME}',
    ],
    [
      '{answer} outside confirm (only the read-back is given the answer)',
      withPrompt('goodbye', 'you said {answer}'),
      'post-discharge.yaml: prompts.goodbye: unknown placeholder {answer}; known: {emergency_number}, {custom.NAME}',
    ],
    [
      '{min} in a question (only out_of_range is given the bounds)',
      withItemText('between {min} and {max}?'),
      'post-discharge.yaml: items[0].text: unknown placeholders {min}, {max}; known: {emergency_number}, {custom.NAME}',
    ],
    [
      'a placeholder in yes (it is never filled)',
      withPrompt('yes', '{custom.word}'),
      'post-discharge.yaml: prompts.yes: unknown placeholder {custom.word}; this text takes no placeholders',
    ],
    [
      'a custom name fillTemplate cannot fill (digits)',
      withPrompt('greeting', 'hello {custom.visit2}'),
      'post-discharge.yaml: prompts.greeting: unknown placeholder {custom.visit2}; known: {emergency_number}, {custom.NAME}',
    ],
    [
      'a placeholder with a space',
      withPrompt('keypad_option', '{option} {the digit}'),
      'post-discharge.yaml: prompts.keypad_option: unknown placeholder {the digit}; known: {option}, {digit}, {emergency_number}, {custom.NAME}',
    ],
  ])('%s', (_name, source, expected) => {
    expect(errorLines(source)).toContain(expected);
  });

  test('placeholders each prompt is given are accepted', () => {
    const source = MINIMAL_YAML.replace('greeting: hello', 'greeting: "hello {custom.patient_name}, {emergency_number}"')
      .replace('prompts:\n', 'prompts:\n  out_of_range: "{min} to {max}"\n  keypad_option: "{option}: {digit}"\n')
      .replace('text: question one', 'text: "question for {custom.patient_name}, call {emergency_number}"');
    expect(errorLines(source)).toEqual([]);
  });

  test('the built-in Arabic defaults use only what their prompt is given', () => {
    for (const [key, template] of Object.entries(DEFAULT_PROMPTS)) {
      expect([key, unknownPlaceholders(template, PROMPT_PLACEHOLDERS[key as PromptKey])]).toEqual([key, []]);
    }
  });
});
