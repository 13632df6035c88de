import path from 'node:path';
import { simulate } from '../cli/simulate-core';
import { loadQuestionnaireFile } from '../questionnaire/load';
import type { Questionnaire } from '../questionnaire/schema';
import { toFhirQuestionnaire } from './questionnaire';
import { fromFhirQuestionnaire } from './questionnaire-import';
import { R4Validator } from './testing/r4-validator';

const BASE = 'https://bridge.example.org';
const load = (name: string) => loadQuestionnaireFile(path.join(__dirname, '../../questionnaires', name)).definition;
const validator = new R4Validator();

function roundTrip(q: Questionnaire): Questionnaire {
  const result = fromFhirQuestionnaire(JSON.parse(JSON.stringify(toFhirQuestionnaire(q, { baseUrl: BASE }))));
  if (!('definition' in result)) throw new Error(JSON.stringify(result.errors, null, 2));
  expect(result.warnings).toEqual([]);
  return result.definition;
}

/** Scripted callers: every branch of both questionnaires, by voice and keypad, with red flags. */
const SCRIPTS: Record<string, string[][]> = {
  'post-discharge.yaml': [
    ['نعم', 'لا', 'لا', 'خمسة', 'نعم', 'سبعة وثلاثون', 'نعم', 'دائماً', 'نعم', 'نعم', 'نعم', 'لا شيء'],
    ['#1', '#2', '#2', '#9#', '#1', '#39*5#', '#1', '#3', '#1', '#1', '#1', '#1', ''],
    ['لا'],
    ['نعم', 'نعم'],
    ['نعم', '', '', '', 'لا', 'مش عارف', 'ثمانية'],
  ],
  'pre-visit-screening.yaml': [
    ['نعم', 'أربعة', 'نعم', 'نعم', 'مع دم', 'نعم'],
    ['لا', 'نعم', 'جاف', 'نعم', 'نعم', 'لا', 'نعم', 'لا'],
    ['#1', '#2#', '#1', '#1', '#2', 'ناشف', 'نعم', 'نعم', 'عشرون', 'نعم', 'بنسلين'],
  ],
};

describe.each(Object.keys(SCRIPTS))('%s through FHIR', (file) => {
  const original = load(file);
  const resource = toFhirQuestionnaire(original, { baseUrl: BASE });

  it('is a valid R4 Questionnaire', () => {
    expect(validator.problems(resource)).toEqual([]);
  });

  it('imports back to the same definition', () => {
    expect(roundTrip(original)).toEqual(original);
  });

  it.each(SCRIPTS[file]!.map((lines, i) => [i, lines] as const))('behaves the same on the simulator (script %i)', (_i, lines) => {
    const clock = () => 1_700_000_000_000;
    const before = simulate(original, lines, clock);
    expect(simulate(roundTrip(original), lines, clock)).toEqual(before);
    expect(before.length).toBeGreaterThan(3);
  });
});

describe('the R4 validator', () => {
  it('catches a missing required element and an unknown property', () => {
    const bad = { resourceType: 'Questionnaire', item: [{ linkId: 'a', type: 'boolean', colour: 'red', extension: [] }] };
    const problems = validator.problems(bad);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('Questionnaire.status'),
        expect.stringContaining('(json schema)'),
        'Questionnaire.item[0].extension: is an empty array (FHIR JSON leaves it out)',
      ]),
    );
  });
});

describe('fromFhirQuestionnaire on a questionnaire from elsewhere', () => {
  const exported = toFhirQuestionnaire(load('pre-visit-screening.yaml'), { baseUrl: BASE });
  const foreign = {
    resourceType: 'Questionnaire',
    id: 'intake',
    version: '2',
    language: 'ar',
    title: 'استبيان',
    status: 'active',
    item: [
      { linkId: 'dob', type: 'date', text: 'تاريخ الميلاد' },
      { linkId: 'smoker', type: 'boolean', text: 'هل تدخن؟', code: [{ system: 'http://loinc.org', code: '72166-2' }] },
      {
        linkId: 'cigs',
        type: 'integer',
        text: 'كم سيجارة؟',
        enableWhen: [
          { question: 'smoker', operator: '=', answerBoolean: true },
          { question: 'dob', operator: '<', answerDate: '1990-01-01' },
        ],
        enableBehavior: 'any',
      },
      { linkId: 'meds', type: 'choice', text: 'الأدوية', answerValueSet: 'http://example.org/ValueSet/meds', repeats: true },
      { type: 'boolean', text: 'بلا معرّف' },
    ],
  };

  it('reports precisely what does not map, at its FHIR path', () => {
    const result = fromFhirQuestionnaire(foreign);
    expect('errors' in result).toBe(true);
    if (!('errors' in result)) return;
    const paths = result.errors.map((e) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'Questionnaire.item[0].type',
        'Questionnaire.item[2].enableBehavior',
        'Questionnaire.item[2].enableWhen[1].answerDate',
        'Questionnaire.item[3].answerValueSet',
        'Questionnaire.item[3].repeats',
        'Questionnaire.item[4].linkId',
        'Questionnaire.extension(voice-settings)',
        'Questionnaire.extension(voice-prompt:greeting)',
      ]),
    );
    expect(result.errors.find((e) => e.path === 'Questionnaire.extension(voice-prompt:greeting)')?.message).toMatch(/voice-prompt extension/);
    expect(result.warnings).toEqual([{ path: 'Questionnaire.item[1].code', message: 'is not used on a call and was dropped' }]);
  });

  it('imports it once the voice parts are added, flattening groups', () => {
    const voice = exported.extension!;
    const result = fromFhirQuestionnaire({
      ...foreign,
      extension: voice,
      item: [
        { linkId: 'habits', type: 'group', text: 'عادات', item: [foreign.item[1], { ...foreign.item[2], enableWhen: [foreign.item[2]!.enableWhen![0]] }] },
        { linkId: 'notes', type: 'text', text: 'ملاحظات؟' },
      ],
    });
    if (!('definition' in result)) throw new Error(JSON.stringify(result.errors));
    expect(result.definition.items.map((i) => [i.id, i.type])).toEqual([
      ['habits', 'display'],
      ['smoker', 'boolean'],
      ['cigs', 'integer'],
      ['notes', 'text'],
    ]);
    expect(result.definition.items[2]!.enable_when).toEqual([{ question: 'smoker', operator: '=', answer: true }]);
  });

  it('refuses what is not a Questionnaire', () => {
    expect(fromFhirQuestionnaire({ resourceType: 'Patient' })).toEqual({ errors: [{ path: 'resourceType', message: 'must be "Questionnaire"' }], warnings: [] });
  });
});
