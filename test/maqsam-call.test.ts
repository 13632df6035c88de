import path from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import WebSocket from 'ws';
import { placeMaqsamCall } from '../src/cli/caller/maqsam-caller';
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
    expect(report.payloadSizes.every((n) => n === 160)).toBe(true);
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
});
