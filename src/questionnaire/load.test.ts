import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isBridgeError } from '../errors';
import { MINIMAL_YAML, QUESTIONNAIRES_DIR } from '../../test/helpers/questionnaires';
import { loadQuestionnaireDir, parseQuestionnaire } from './load';

function errorOf(source: string, file = 'post-discharge.yaml'): string {
  try {
    parseQuestionnaire(source, file);
  } catch (error) {
    if (isBridgeError(error, 'QUESTIONNAIRE_INVALID')) return error.message;
    throw error;
  }
  throw new Error('expected the definition to be rejected');
}

/** Replaces the item list of the minimal definition. */
function withItems(items: string): string {
  return MINIMAL_YAML.replace(/items:[\s\S]*$/, `items:\n${items}`);
}

describe('shipped questionnaires', () => {
  test('both load and validate, with their ids', () => {
    const loaded = loadQuestionnaireDir(QUESTIONNAIRES_DIR);
    expect([...loaded.keys()].sort()).toEqual(['post-discharge', 'pre-visit-screening']);
    const pd = loaded.get('post-discharge')!.definition;
    expect(pd.items.map((i) => i.id)).toEqual([
      'consent',
      'chest_pain',
      'breathless_at_rest',
      'pain_score',
      'temperature',
      'medication',
      'wound_problem',
      'wound_discharge_smell',
      'concern',
    ]);
    expect(pd.settings.emergency_number).toBe('997');
  });

  test('defaults fill what a clinic left out', () => {
    const q = parseQuestionnaire(MINIMAL_YAML, 'mini.yaml');
    expect(q.settings).toEqual({ max_reprompts: 2, no_input_ms: 6000, min_confidence: 0.6, emergency_number: '997' });
    expect(q.items[0]).toMatchObject({ required: false, confirm: 'when_uncertain', enable_when: [], red_flag: [] });
  });

  test('JSON definitions are accepted too', () => {
    const q = parseQuestionnaire(JSON.stringify(parseQuestionnaire(MINIMAL_YAML, 'a.yaml')), 'mini.json');
    expect(q.id).toBe('mini');
  });
});

describe('broken definitions get precise errors naming file, path and rule', () => {
  test.each([
    [
      'max below min',
      withItems('  - { id: pain, type: integer, text: t, min: 5, max: 0 }'),
      'post-discharge.yaml: items[0].max: must be ≥ min (5)',
    ],
    ['a typo in an item key', withItems('  - { id: q, type: boolean, text: t, requird: true }'), 'post-discharge.yaml: items[0].requird: unknown key (did you mean "required"?)'],
    ['a typo at the top level', `${MINIMAL_YAML}\ntitel: x\n`, 'post-discharge.yaml: titel: unknown key (did you mean "title"?)'],
    ['an unknown prompt', MINIMAL_YAML.replace('  goodbye: bye', '  goodbye: bye\n  goodby: bye'), 'post-discharge.yaml: prompts.goodby: unknown key (did you mean "goodbye"?)'],
    ['a missing prompt', MINIMAL_YAML.replace('  goodbye: bye\n', ''), 'post-discharge.yaml: prompts.goodbye: is required'],
    ['confirm without {answer}', MINIMAL_YAML.replace('"you said {answer}?"', '"you said?"'), 'post-discharge.yaml: prompts.confirm: must contain the placeholder {answer}'],
    ['a missing emergency number', MINIMAL_YAML.replace('  emergency_number: "997"\n', '  max_reprompts: 1\n'), 'post-discharge.yaml: settings.emergency_number: is required'],
    ['an unknown type', withItems('  - { id: q, type: yesno, text: t }'), 'post-discharge.yaml: items[0].type: must be one of boolean, integer, decimal, choice, text, display'],
    ['an empty question', withItems('  - { id: q, type: boolean, text: "" }'), 'post-discharge.yaml: items[0].text: must not be empty'],
    ['duplicate ids', withItems('  - { id: q, type: boolean, text: a }\n  - { id: q, type: boolean, text: b }'), 'post-discharge.yaml: items[1].id: duplicate id "q" (also items[0])'],
    ['min on a boolean', withItems('  - { id: q, type: boolean, text: a, min: 1 }'), 'post-discharge.yaml: items[0].min: only integer and decimal items take min'],
    ['a fractional bound on an integer', withItems('  - { id: q, type: integer, text: a, max: 2.5 }'), 'post-discharge.yaml: items[0].max: must be a whole number for an integer item'],
    ['choice without options', withItems('  - { id: q, type: choice, text: a }'), 'post-discharge.yaml: items[0].options: a choice item needs at least two options'],
    [
      'duplicate option codes',
      withItems('  - id: q\n    type: choice\n    text: a\n    options: [{ code: x, display: X }, { code: x, display: Y }]'),
      'post-discharge.yaml: items[0].options[1].code: duplicate code "x" (also options[0])',
    ],
    [
      'a keypad digit used twice',
      withItems('  - id: q\n    type: choice\n    text: a\n    options: [{ code: x, display: X, dtmf: 1 }, { code: y, display: Y, dtmf: "1" }]'),
      'post-discharge.yaml: items[0].options[1].dtmf: digit 1 is already options[0]',
    ],
    [
      'a two-digit keypad key',
      withItems('  - id: q\n    type: choice\n    text: a\n    options: [{ code: x, display: X, dtmf: 12 }, { code: y, display: Y }]'),
      'post-discharge.yaml: items[0].options[0].dtmf: must be a single keypad digit 0-9',
    ],
    [
      'enable_when on an unknown question',
      withItems('  - id: q\n    type: boolean\n    text: a\n    enable_when: [{ question: nope, operator: "=", answer: true }]'),
      'post-discharge.yaml: items[0].enable_when[0].question: no item has id "nope"',
    ],
    [
      'enable_when on a later question',
      withItems(
        '  - id: a\n    type: boolean\n    text: a\n    enable_when: [{ question: b, operator: "=", answer: true }]\n  - { id: b, type: boolean, text: b }',
      ),
      'post-discharge.yaml: items[0].enable_when[0].question: "b" must be a question asked before this one',
    ],
    [
      'enable_when comparing a boolean with a number',
      withItems('  - { id: a, type: boolean, text: a }\n  - id: b\n    type: boolean\n    text: b\n    enable_when: [{ question: a, operator: "=", answer: 1 }]'),
      'post-discharge.yaml: items[1].enable_when[0].answer: must be true or false to compare with "a" (boolean)',
    ],
    [
      'enable_when with an option code that does not exist',
      withItems(
        '  - id: a\n    type: choice\n    text: a\n    options: [{ code: x, display: X }, { code: y, display: Y }]\n  - id: b\n    type: boolean\n    text: b\n    enable_when: [{ question: a, operator: "=", answer: z }]',
      ),
      'post-discharge.yaml: items[1].enable_when[0].answer: must be one of the option codes (x, y) to compare with "a" (choice)',
    ],
    [
      'an ordering operator on a boolean',
      withItems('  - id: a\n    type: boolean\n    text: a\n    red_flag: [{ when: { operator: ">", answer: true }, action: flag }]'),
      'post-discharge.yaml: items[0].red_flag[0].when.operator: > compares numbers; "a" is boolean',
    ],
    [
      'a transfer red flag without a transfer number',
      withItems('  - id: a\n    type: boolean\n    text: a\n    red_flag: [{ when: { operator: "=", answer: true }, action: transfer }]'),
      'post-discharge.yaml: items[0].red_flag[0].action: transfer needs settings.transfer_number',
    ],
    [
      'an unknown red-flag action',
      withItems('  - id: a\n    type: boolean\n    text: a\n    red_flag: [{ when: { operator: "=", answer: true }, action: call_mom }]'),
      'post-discharge.yaml: items[0].red_flag[0].action: must be one of emergency, transfer, flag',
    ],
    ['a required display item', withItems('  - { id: a, type: display, text: a, required: true }'), 'post-discharge.yaml: items[0].required: a display item has no answer and cannot be required'],
    ['no items', withItems('  []').replace('items:\n  []', 'items: []'), 'post-discharge.yaml: items: must list at least one item'],
    ['a bad id', MINIMAL_YAML.replace('id: mini', 'id: Mini Clinic'), 'post-discharge.yaml: id: must be lowercase letters, digits and "-"'],
    ['max_reprompts too high', MINIMAL_YAML.replace('settings:', 'settings:\n  max_reprompts: 9'), 'post-discharge.yaml: settings.max_reprompts: must be ≤ 5'],
    ['a phone number with letters', MINIMAL_YAML.replace('"997"', '"nine"'), 'post-discharge.yaml: settings.emergency_number: must be a phone number such as "997"'],
  ])('%s', (_name, source, expected) => {
    expect(errorOf(source).split('\n')).toContain(expected);
  });

  test('every problem is listed, not only the first', () => {
    const message = errorOf(withItems('  - { id: q, type: integer, text: a, min: 5, max: 0, colour: red }\n  - { id: r, type: nope, text: b }'));
    expect(message.split('\n')).toEqual([
      'post-discharge.yaml: items[0].colour: unknown key',
      'post-discharge.yaml: items[1].type: must be one of boolean, integer, decimal, choice, text, display',
      'post-discharge.yaml: items[0].max: must be ≥ min (5)',
    ]);
  });

  test('a schema error does not hide the cross-item errors', () => {
    const source = withItems(
      [
        '  - { id: a, type: boolean, text: a, requird: true }',
        '  - id: b',
        '    type: boolean',
        '    text: "b {emergancy_number}"',
        '    enable_when: [{ question: nope, operator: "=", answer: true }]',
        '    red_flag: [{ when: { operator: "=", answer: true }, action: transfer }]',
      ].join('\n'),
    ).replace('title: test', 'titel: test');
    expect(errorOf(source).split('\n')).toEqual([
      'post-discharge.yaml: title: is required',
      'post-discharge.yaml: items[0].requird: unknown key (did you mean "required"?)',
      'post-discharge.yaml: titel: unknown key (did you mean "title"?)',
      'post-discharge.yaml: items[1].text: unknown placeholder {emergancy_number}; known: {emergency_number}, {custom.NAME}',
      'post-discharge.yaml: items[1].enable_when[0].question: no item has id "nope"',
      'post-discharge.yaml: items[1].red_flag[0].action: transfer needs settings.transfer_number',
    ]);
  });

  test('an item broken by the schema keeps the others at their paths and is not reported twice', () => {
    const source = withItems(
      [
        '  - { id: a, type: yesno, text: a }',
        '  - id: b',
        '    type: integer',
        '    text: b',
        '    min: 3',
        '    max: 1',
        '    enable_when: [{ question: a, operator: "=", answer: true }]',
      ].join('\n'),
    );
    expect(errorOf(source).split('\n')).toEqual([
      'post-discharge.yaml: items[0].type: must be one of boolean, integer, decimal, choice, text, display',
      'post-discharge.yaml: items[1].max: must be ≥ min (3)',
    ]);
  });

  test.each([
    ['an option key', '    options: [{ code: x, dispaly: X }, { code: y, display: Y }]', 'items[0].options[0].dispaly: unknown key (did you mean "display"?)'],
    ['a red-flag condition key', '    options: [{ code: x, display: X }, { code: y, display: Y }]\n    red_flag: [{ when: { operater: "=", answer: x }, action: flag }]', 'items[0].red_flag[0].when.operater: unknown key (did you mean "operator"?)'],
    ['a transposition', '    options: [{ code: x, display: X }, { code: y, display: Y }]\n    confrim: never', 'items[0].confrim: unknown key (did you mean "confirm"?)'],
    ['nothing close', '    options: [{ code: x, display: X }, { code: y, display: Y }]\n    colour: red', 'items[0].colour: unknown key'],
  ])('unknown keys are matched against the keys allowed at their place: %s', (_name, extra, expected) => {
    const source = withItems(`  - id: q\n    type: choice\n    text: q\n${extra}`);
    expect(errorOf(source).split('\n')).toContain(`post-discharge.yaml: ${expected}`);
  });

  test('a typo in a settings key names the setting it meant', () => {
    const lines = errorOf(MINIMAL_YAML.replace('  emergency_number: "997"', '  emergancy_number: "997"')).split('\n');
    expect(lines).toEqual([
      'post-discharge.yaml: settings.emergency_number: is required',
      'post-discharge.yaml: settings.emergancy_number: unknown key (did you mean "emergency_number"?)',
    ]);
  });

  test('invalid YAML names the line', () => {
    expect(errorOf('id: x\nitems: [\n  - a: b\n')).toMatch(/^post-discharge\.yaml: line \d+, column \d+: not valid YAML: /);
  });

  test('invalid JSON is reported as such', () => {
    expect(errorOf('{ "id": ', 'x.json')).toMatch(/^x\.json: not valid JSON: /);
  });

  test('a folder with one broken file and two files sharing an id fails the whole load', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'q-'));
    writeFileSync(path.join(dir, 'a.yaml'), MINIMAL_YAML);
    writeFileSync(path.join(dir, 'b.yaml'), MINIMAL_YAML);
    writeFileSync(path.join(dir, 'c.yaml'), MINIMAL_YAML.replace('id: mini', 'id: other').replace('  goodbye: bye\n', ''));
    writeFileSync(path.join(dir, 'notes.txt'), 'not a questionnaire');
    expect(() => loadQuestionnaireDir(dir)).toThrow(
      ['b.yaml: id: "mini" is also the id of a.yaml', 'c.yaml: prompts.goodbye: is required'].join('\n'),
    );
  });

  test('a missing folder says which folder', () => {
    expect(() => loadQuestionnaireDir('/nonexistent/questionnaires')).toThrow(/QUESTIONNAIRES_DIR \/nonexistent\/questionnaires: cannot be read/);
  });
});
