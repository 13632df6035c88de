import path from 'node:path';
import { loadQuestionnaireFile } from '../questionnaire/load';
import type { CallSnapshot, StoredAnswer } from '../store/calls';
import { toSearchsetBundle } from './bundle';
import { toQuestionnaireResponse } from './questionnaire-response';
import { R4Validator } from './testing/r4-validator';

const BASE = 'https://bridge.example.org/';
const SD = 'https://bridge.example.org/fhir/r4/StructureDefinition';
const definition = loadQuestionnaireFile(path.join(__dirname, '../../questionnaires/post-discharge.yaml')).definition;
const validator = new R4Validator();

const voice = (value: unknown, transcript: string, at: string, extra: Partial<StoredAnswer> = {}): StoredAnswer => ({
  value,
  method: 'voice',
  transcript,
  confidence: 0.92,
  attempts: 1,
  answeredAt: `2026-03-01T09:00:${at}.000Z`,
  ...extra,
});
const keypad = (value: unknown, at: string): StoredAnswer => ({ value, method: 'dtmf', transcript: null, confidence: 1, attempts: 2, answeredAt: `2026-03-01T09:00:${at}.000Z` });

function call(overrides: Partial<CallSnapshot> = {}): CallSnapshot {
  return {
    id: '6f1c2a4e-8b1d-4c1e-9a55-0c9d2b7e1f00',
    provider: 'twilio',
    providerCallId: 'CA123',
    questionnaire: 'post-discharge',
    questionnaireVersion: 1,
    status: 'completed',
    startedAt: '2026-03-01T08:59:50.000Z',
    endedAt: '2026-03-01T09:01:30.000Z',
    patientReference: 'Patient/123',
    answers: {
      consent: voice(true, 'نعم', '05'),
      chest_pain: keypad(false, '10'),
      breathless_at_rest: voice(false, 'لا', '15'),
      pain_score: voice(9, 'تسعة', '20', { confirmed: true, attempts: 2, confidence: 0.55 }),
      temperature: voice(38.7, 'ثمانية وثلاثون وسبعة', '25'),
      medication: voice('never', 'ما باخدها', '30'),
      wound_problem: voice(false, 'لا', '35'),
      concern: voice('عندي دوخة في الصباح', 'عندي دوخة في الصباح', '40'),
    },
    flags: [
      { item: 'pain_score', action: 'flag', value: 9, raisedAt: '2026-03-01T09:00:20.500Z' },
      { item: 'temperature', action: 'flag', value: 38.7, raisedAt: '2026-03-01T09:00:25.500Z' },
    ],
    ...overrides,
  };
}

describe('toQuestionnaireResponse', () => {
  const response = toQuestionnaireResponse(call(), definition, { baseUrl: BASE });

  it('is a valid R4 QuestionnaireResponse', () => {
    expect(validator.problems(response)).toEqual([]);
  });

  it('names the call, the questionnaire version and the patient', () => {
    expect(response).toMatchObject({
      id: '6f1c2a4e-8b1d-4c1e-9a55-0c9d2b7e1f00',
      questionnaire: 'https://bridge.example.org/fhir/r4/Questionnaire/post-discharge|1',
      subject: { reference: 'Patient/123' },
      status: 'completed',
      authored: '2026-03-01T09:00:40.000Z',
      meta: { lastUpdated: '2026-03-01T09:01:30.000Z' },
      extension: [{ url: `${SD}/call-status`, valueCode: 'completed' }],
    });
  });

  it('types every answer, in definition order, leaving out the unanswered', () => {
    const answers = response.item!.map((i) => [i.linkId, i.answer?.[0] && Object.entries(i.answer[0]).find(([k]) => k.startsWith('value'))]);
    expect(answers).toEqual([
      ['consent', ['valueBoolean', true]],
      ['chest_pain', ['valueBoolean', false]],
      ['breathless_at_rest', ['valueBoolean', false]],
      ['pain_score', ['valueInteger', 9]],
      ['temperature', ['valueDecimal', 38.7]],
      [
        'medication',
        ['valueCoding', { system: 'https://bridge.example.org/fhir/r4/CodeSystem/post-discharge-medication', code: 'never', display: 'لا آخذها' }],
      ],
      ['wound_problem', ['valueBoolean', false]],
      ['concern', ['valueString', 'عندي دوخة في الصباح']],
    ]);
    expect(response.item!.map((i) => i.linkId)).not.toContain('wound_discharge_smell');
  });

  it('carries how each answer was given, and the red flags on their items', () => {
    const pain = response.item!.find((i) => i.linkId === 'pain_score')!;
    expect(pain.text).toBe(definition.items[3]!.text);
    expect(pain.answer![0]!.extension).toEqual([
      { url: `${SD}/answer-method`, valueCode: 'voice' },
      { url: `${SD}/answer-transcript`, valueString: 'تسعة' },
      { url: `${SD}/answer-confidence`, valueDecimal: 0.55 },
      { url: `${SD}/answer-attempts`, valueInteger: 2 },
      { url: `${SD}/answer-confirmed`, valueBoolean: true },
    ]);
    expect(pain.extension).toEqual([
      {
        url: `${SD}/red-flag`,
        extension: [
          { url: 'action', valueCode: 'flag' },
          { url: 'raisedAt', valueDateTime: '2026-03-01T09:00:20.500Z' },
        ],
      },
    ]);
    const chest = response.item!.find((i) => i.linkId === 'chest_pain')!;
    expect(chest.answer![0]!.extension).toEqual([
      { url: `${SD}/answer-method`, valueCode: 'dtmf' },
      { url: `${SD}/answer-confidence`, valueDecimal: 1 },
      { url: `${SD}/answer-attempts`, valueInteger: 2 },
    ]);
    expect(chest.extension).toBeUndefined();
  });
});

describe('status', () => {
  const early = { consent: voice(true, 'نعم', '05'), chest_pain: voice(true, 'نعم', '10') };
  const cases: Array<[CallSnapshot['status'], string, Partial<CallSnapshot>]> = [
    ['in_progress', 'in-progress', { endedAt: null, answers: early, flags: [] }],
    ['completed', 'completed', {}],
    ['escalated', 'stopped', { answers: early, flags: [{ item: 'chest_pain', action: 'emergency', value: true, raisedAt: '2026-03-01T09:00:10.100Z' }] }],
    ['transferred', 'stopped', { answers: early, flags: [] }],
    ['transferred', 'completed', { flags: [] }],
    ['opted_out', 'stopped', { answers: { consent: voice(false, 'لا', '05') }, flags: [] }],
    ['stopped', 'stopped', { answers: early, flags: [] }],
    ['stopped', 'completed', { flags: [] }],
    ['interrupted', 'stopped', { answers: {}, flags: [] }],
  ];
  it.each(cases)('a call %s is %s (case %#)', (status, expected, overrides) => {
    const response = toQuestionnaireResponse(call({ ...overrides, status }), definition, { baseUrl: BASE });
    expect(response.status).toBe(expected);
    expect(response.extension).toEqual([{ url: `${SD}/call-status`, valueCode: status }]);
    expect(validator.problems(response)).toEqual([]);
  });

  it('an optional question left unasked does not make an ended call incomplete', () => {
    // wound_discharge_smell is now enabled but optional: the call hung up before it.
    const answers = { ...call().answers, wound_problem: voice(true, 'نعم', '35') };
    expect(toQuestionnaireResponse(call({ status: 'stopped', answers }), definition, { baseUrl: BASE }).status).toBe('completed');
  });

  it('leaves out the subject without a patient, and the items when nothing was answered', () => {
    const response = toQuestionnaireResponse(call({ patientReference: null, answers: {}, flags: [], status: 'interrupted' }), definition, { baseUrl: BASE });
    expect(response.subject).toBeUndefined();
    expect(response.item).toBeUndefined();
    expect(response.authored).toBe('2026-03-01T09:01:30.000Z');
    expect(validator.problems(response)).toEqual([]);
  });
});

describe('toSearchsetBundle', () => {
  it('is a valid searchset with self and next links and absolute fullUrls', () => {
    const responses = [call(), call({ id: '0b7a9a3c-1111-4c1e-9a55-0c9d2b7e1f00', status: 'opted_out' })].map((c) =>
      toQuestionnaireResponse(c, definition, { baseUrl: BASE }),
    );
    const bundle = toSearchsetBundle(responses, {
      baseUrl: BASE,
      selfUrl: 'https://bridge.example.org/fhir/r4/QuestionnaireResponse?subject=Patient/123&_count=2',
      nextUrl: 'https://bridge.example.org/fhir/r4/QuestionnaireResponse?subject=Patient/123&_count=2&_page=2',
      total: 5,
    });
    expect(validator.problems(bundle)).toEqual([]);
    for (const entry of bundle.entry ?? []) expect(validator.problems(entry.resource!)).toEqual([]);
    expect(bundle).toMatchObject({ type: 'searchset', total: 5 });
    expect(bundle.link?.map((l) => l.relation)).toEqual(['self', 'next']);
    expect(bundle.entry?.[1]?.fullUrl).toBe('https://bridge.example.org/fhir/r4/QuestionnaireResponse/0b7a9a3c-1111-4c1e-9a55-0c9d2b7e1f00');
  });

  it('an empty page has no entry element (FHIR JSON has no empty arrays)', () => {
    const bundle = toSearchsetBundle([], { baseUrl: BASE, selfUrl: 'https://bridge.example.org/fhir/r4/QuestionnaireResponse?subject=Patient/9', total: 0 });
    expect(bundle.entry).toBeUndefined();
    expect(validator.problems(bundle)).toEqual([]);
  });
});
