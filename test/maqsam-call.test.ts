import path from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import WebSocket from 'ws';
import { placeMaqsamCall } from '../src/cli/caller/maqsam-caller';
import { Campaigns, campaignSettingsSchema } from '../src/outbound/campaigns';
import { type TestBridge, startBridge } from './helpers/bridge';
import { MINIMAL_YAML } from './helpers/questionnaires';
import { waitFor } from './helpers/wait';

const TOKEN = 'maqsam-shared-token-0123456789';
let t: TestBridge;
beforeAll(async () => {
  t = await startBridge({ MAQSAM_TOKEN: TOKEN }, { startTimeoutMs: 1000 });
});
afterAll(() => t.close());

const metricsText = async () => (await fetch(`${t.base}/metrics`)).text();

describe('Maqsam on /ws/maqsam', () => {
  test('a whole questionnaire by keypad, token in the Auth header, questionnaire from the query', async () => {
    const report = await placeMaqsamCall({
      baseUrl: t.base,
      token: TOKEN,
      questionnaire: 'post-discharge',
      dtmf: ['1', '2', '2', '3#', '372#', '1', '1', '2'],
      callId: 4242,
    });
    expect(report.ready).toBe(true);
    expect(report.protocolErrors).toEqual([]);
    expect(report.bridgeHungUp).toBe(true);
    // 40 ms messages (OUTBOUND_FRAME_MS); a prompt with an odd number of 20 ms frames ends on a 20 ms one.
    expect(report.payloadSizes.every((n) => n === 320 || n === 160)).toBe(true);
    expect(report.payloadSizes.filter((n) => n === 320).length).toBeGreaterThan(report.payloadSizes.filter((n) => n === 160).length);
    await waitFor(async () => (await t.saved('4242', 'maqsam')).endedAt !== null);
    const saved = (await t.saved('4242', 'maqsam'));
    expect(saved).toMatchObject({ provider: 'maqsam', questionnaire: 'post-discharge', status: 'completed' });
    expect(Object.keys(saved.answers)).toHaveLength(7);
    expect(await metricsText()).toMatch(/^bridge_calls_total\{provider="maqsam",status="completed"\} 1$/m);
  }, 60_000);

  test('apiKey in session.setup authenticates too; the questionnaire comes from campaign variables', async () => {
    const report = await placeMaqsamCall({
      baseUrl: t.base,
      token: TOKEN,
      authMode: 'setup',
      custom: { questionnaire: 'pre-visit-screening', patient_name: 'فاطمة', patient_reference: 'Patient/9001' },
      dtmf: ['1', '5#', '1'],
      callId: 'mq-transfer',
    });
    expect(report.ready).toBe(true);
    // Fever for five days: confirmed, then handed to the nurse with call.redirect.
    expect(report.redirected).toBe(true);
    await waitFor(async () => (await t.saved('mq-transfer', 'maqsam')).status === 'transferred');
    // A Maqsam campaign call: the patient reference links the result, and the call is outbound.
    expect(await t.saved('mq-transfer', 'maqsam')).toMatchObject({ questionnaire: 'pre-visit-screening', patientReference: 'Patient/9001', direction: 'outbound' });
  }, 60_000);

  test('a wrong Auth header is refused at the upgrade with 401: no WebSocket ever exists', async () => {
    await expect(placeMaqsamCall({ baseUrl: t.base, authMode: 'header', token: 'not-the-token-000000000', dtmf: ['1'] })).rejects.toThrow('stream upgrade refused: HTTP 401');
    expect(t.logs.some((l) => l['msg'] === 'websocket upgrade rejected' && l['detail'] === 'authentication failed: Auth header does not match MAQSAM_TOKEN')).toBe(true);
  });

  test.each([
    ['a wrong apiKey', { authMode: 'setup' as const, token: 'not-the-token-000000000' }, 'authentication failed: apiKey in session.setup does not match MAQSAM_TOKEN'],
    ['no credential at all', { authMode: 'setup' as const }, 'authentication failed: no Auth header and no apiKey in session.setup'],
  ])('%s is closed with 1008 and the reason, before session.ready', async (_name, auth, reason) => {
    const report = await placeMaqsamCall({ baseUrl: t.base, ...auth, dtmf: ['1'] });
    expect(report.ready).toBe(false);
    expect(report.closeCode).toBe(1008);
    expect(report.closeReason).toBe(reason);
  });

  test('failed authentications are counted', async () => {
    expect(await metricsText()).toMatch(/^bridge_ws_messages_rejected_total\{provider="maqsam",reason="auth_failed"\} 3$/m);
  });

  test('a socket that never sends session.setup is closed with 1008 after the start timeout', async () => {
    const ws = new WebSocket(`${t.base.replace('http', 'ws')}/ws/maqsam`, { headers: { Auth: TOKEN } });
    const closed = await new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    expect(closed).toEqual({ code: 1008, reason: 'no start message within 1000 ms' });
  });
});

describe('Maqsam campaign calls matched to their campaign patient by custom.patient_reference', () => {
  const patients = [
    { phone: '+966501110001', reference: 'Patient/mq-done', name: 'سارة' },
    { phone: '+966501110002', reference: 'Patient/mq-escalated' },
    { phone: '+966501110003', reference: 'Patient/mq-transferred' },
    { phone: '+966501110004', reference: 'Patient/mq-declined' },
    { phone: '+966501110005', reference: 'Patient/mq-cut-short' },
  ];
  let campaign: string;
  const view = async () => (await new Campaigns(t.database.db).view(campaign))!;
  const patientOf = async (reference: string) => (await view()).patients.find((p) => p.reference === reference)!;
  const ended = async (attempt: string) => (await t.database.db.selectFrom('webhook_events').select('body').where('type', '=', 'attempt.ended').where('attempt_id', '=', attempt).execute()).map((e) => JSON.parse(e.body).data);
  const call = async (callId: string, reference: string, dtmf: string[], questionnaire = 'post-discharge') => {
    const report = await placeMaqsamCall({ baseUrl: t.base, token: TOKEN, callId, custom: { questionnaire, patient_reference: reference }, dtmf });
    expect(report.ready).toBe(true);
    await waitFor(async () => (await t.saved(callId, 'maqsam')).endedAt !== null, 20_000, `maqsam call ${callId} ended`);
    await waitFor(async () => (await patientOf(reference)).state !== 'calling', 10_000, `patient ${reference} settled`);
    return patientOf(reference);
  };

  beforeAll(async () => {
    // Maqsam dials; the bridge runs no scheduler here (no Twilio), so only the matches move these patients.
    campaign = await new Campaigns(t.database.db).create({ name: 'maqsam', questionnaire: 'post-discharge', settings: campaignSettingsSchema.parse({ maxAttempts: 2 }), patients, createdBy: 'test' });
  });

  test('a completed call marks the patient done, links the call and its attempt, and sends attempt.ended', async () => {
    const patient = await call('mq-c-1', 'Patient/mq-done', ['1', '2', '2', '3#', '372#', '1', '1', '2']);
    expect(patient).toMatchObject({ state: 'done', lastOutcome: 'completed', attempts: 1, calls: [expect.objectContaining({ status: 'completed', providerCallId: 'mq-c-1' })] });
    const attempt = patient.calls[0]!.attempt;
    const row = await t.database.db.selectFrom('calls').select(['attempt_id', 'patient_reference', 'status']).where('provider_call_id', '=', 'mq-c-1').executeTakeFirstOrThrow();
    expect(row).toEqual({ attempt_id: attempt, patient_reference: 'Patient/mq-done', status: 'completed' });
    expect(await ended(attempt)).toEqual([
      expect.objectContaining({ attempt: expect.objectContaining({ outcome: 'answered', patientReference: 'Patient/mq-done', callId: (await t.saved('mq-c-1', 'maqsam')).id }), campaign: expect.objectContaining({ id: campaign, patientState: 'done', lastOutcome: 'completed' }) }),
    ]);
  }, 60_000);

  test('an escalated call (a red flag) and a transferred one mark their patients done too', async () => {
    // Consent, then chest pain now (confirmed): the emergency message, and the call ends escalated.
    expect(await call('mq-c-2', 'Patient/mq-escalated', ['1', '1', '1'])).toMatchObject({ state: 'done', lastOutcome: 'escalated', attempts: 1 });
    // Fever for five days, confirmed: handed to the nurse.
    expect(await call('mq-c-3', 'Patient/mq-transferred', ['1', '5#', '1'], 'pre-visit-screening')).toMatchObject({ state: 'done', lastOutcome: 'transferred', attempts: 1 });
  }, 60_000);

  test('declining consent puts the patient’s campaign number on the do-not-call list', async () => {
    expect(await call('mq-c-4', 'Patient/mq-declined', ['2'])).toMatchObject({ state: 'done', lastOutcome: 'opted_out' });
    expect(await t.database.db.selectFrom('do_not_call').select(['phone', 'reason']).where('phone', '=', '+966501110004').execute()).toEqual([{ phone: '+966501110004', reason: 'opted_out' }]);
  }, 60_000);

  test('a call cut short waits for a retry, as a Twilio call would; an unknown reference runs unlinked', async () => {
    // Consent given, then the patient hangs up.
    const patient = await call('mq-c-5', 'Patient/mq-cut-short', ['1']);
    expect(patient).toMatchObject({ state: 'pending', lastOutcome: 'incomplete', attempts: 1 });
    expect(await ended(patient.calls[0]!.attempt)).toEqual([expect.objectContaining({ campaign: expect.objectContaining({ patientState: 'pending' }) })]);
    const report = await placeMaqsamCall({ baseUrl: t.base, token: TOKEN, callId: 'mq-c-6', custom: { questionnaire: 'post-discharge', patient_reference: 'Patient/nobody' }, dtmf: ['1'] });
    expect(report.ready).toBe(true);
    await waitFor(async () => (await t.saved('mq-c-6', 'maqsam')).endedAt !== null, 20_000, 'unlinked call ended');
    expect(await t.database.db.selectFrom('calls').select(['attempt_id', 'patient_reference']).where('provider_call_id', '=', 'mq-c-6').executeTakeFirstOrThrow()).toEqual({ attempt_id: null, patient_reference: 'Patient/nobody' });
  }, 60_000);
});

describe('campaign variables in prompts', () => {
  let c: TestBridge;
  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'campaign-'));
    writeFileSync(
      path.join(dir, 'campaign.yaml'),
      MINIMAL_YAML.replace('id: mini', 'id: campaign').replace('greeting: hello', 'greeting: "مرحباً {custom.patient_name}، معك العيادة"'),
    );
    c = await startBridge({ MAQSAM_TOKEN: TOKEN, QUESTIONNAIRES_DIR: dir, DEFAULT_QUESTIONNAIRE: 'campaign' });
  });
  afterAll(() => c.close());

  test("an outbound campaign call greets the patient by name (the greeting is rendered for this call)", async () => {
    const report = await placeMaqsamCall({ baseUrl: c.base, token: TOKEN, direction: 'outbound', custom: { patient_name: 'فاطمة' }, dtmf: ['1'] });
    expect(report.ready).toBe(true);
    expect(c.prompts.rendered).toContain('مرحباً فاطمة، معك العيادة');
    // Phone numbers are health data: they never reach the logs at info level.
    expect(JSON.stringify(c.logs.filter((l) => (l['level'] as number) <= 30))).not.toMatch(/\+9665/);
  });

  test('a Maqsam campaign call that names only the patient hears the variables of their campaign upload', async () => {
    await new Campaigns(c.database.db).create({ name: 'vars', questionnaire: 'campaign', settings: campaignSettingsSchema.parse({}), patients: [{ phone: '+966501119001', reference: 'Patient/mq-vars', name: 'نورة' }], createdBy: 'test' });
    const report = await placeMaqsamCall({ baseUrl: c.base, token: TOKEN, direction: 'outbound', callId: 'mq-vars', custom: { patient_reference: 'Patient/mq-vars' }, dtmf: ['1'] });
    expect(report.ready).toBe(true);
    expect(c.prompts.rendered).toContain('مرحباً نورة، معك العيادة');
  });
});
