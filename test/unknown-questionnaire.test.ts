import { placeMaqsamCall } from '../src/cli/caller/maqsam-caller';
import { type TestBridge, startBridge } from './helpers/bridge';
import { RawStream } from './helpers/raw-stream';
import { waitFor } from './helpers/wait';

// Development mode (no TWILIO_AUTH_TOKEN, no MAQSAM_TOKEN): unsigned webhooks and streams are accepted.
const DEV = { TWILIO_AUTH_TOKEN: '' };
const LONG_ID = `evil-${'x'.repeat(300)}`;

const metricsOf = async (t: TestBridge) => (await fetch(`${t.base}/metrics`)).text();
const unknownCount = (text: string, source: string) =>
  Number(new RegExp(`^bridge_unknown_questionnaire_total\\{source="${source}"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
const errorLogs = (t: TestBridge) => t.logs.filter((l) => l['level'] === 50 && l['msg'] === 'call names an unknown questionnaire');

async function voiceWebhook(t: TestBridge, questionnaire: string): Promise<string> {
  const res = await fetch(`${t.base}/twilio/voice?questionnaire=${encodeURIComponent(questionnaire)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ CallSid: 'CA-webhook', To: '+966110000000' }).toString(),
  });
  expect(res.status).toBe(200);
  return res.text();
}

describe('UNKNOWN_QUESTIONNAIRE=default (unset): the default runs, but never silently', () => {
  let t: TestBridge;
  beforeAll(async () => {
    t = await startBridge(DEV);
  });
  afterAll(() => t.close());

  test('every source is exported at 0 before any call', async () => {
    const text = await metricsOf(t);
    for (const source of ['twilio_webhook', 'twilio_stream', 'maqsam_stream']) expect(unknownCount(text, source)).toBe(0);
  });

  test('the voice webhook streams the default questionnaire, logs the truncated id at error level and counts it', async () => {
    const twiml = await voiceWebhook(t, LONG_ID);
    expect(twiml).toContain('<Parameter name="questionnaire" value="post-discharge"/>');
    expect(unknownCount(await metricsOf(t), 'twilio_webhook')).toBe(1);
    const [log] = errorLogs(t);
    expect(log).toMatchObject({ source: 'twilio_webhook', callSid: 'CA-webhook', questionnaire: `${LONG_ID.slice(0, 64)}…` });
  });

  test('a Maqsam stream naming an unknown questionnaire runs the default, logged and counted', async () => {
    const report = await placeMaqsamCall({ baseUrl: t.base, questionnaire: 'post-dischrage', dtmf: ['1', '2', '2', '3#', '372#', '1', '1', '2'], callId: 'mq-unknown' });
    expect(report.ready).toBe(true);
    await waitFor(async () => (await t.saved('mq-unknown', 'maqsam')).endedAt !== null);
    expect(await t.saved('mq-unknown', 'maqsam')).toMatchObject({ questionnaire: 'post-discharge', status: 'completed' });
    expect(unknownCount(await metricsOf(t), 'maqsam_stream')).toBe(1);
    expect(errorLogs(t).some((l) => l['source'] === 'maqsam_stream' && l['questionnaire'] === 'post-dischrage' && l['callSid'] === 'mq-unknown')).toBe(true);
  }, 60_000);
});

describe('UNKNOWN_QUESTIONNAIRE=reject: the call is refused', () => {
  let t: TestBridge;
  beforeAll(async () => {
    t = await startBridge({ ...DEV, UNKNOWN_QUESTIONNAIRE: 'reject' }, { startTimeoutMs: 2000 });
  });
  afterAll(() => t.close());

  test('the voice webhook answers with a spoken Arabic apology and hangs up, without a stream', async () => {
    const twiml = await voiceWebhook(t, 'nope');
    expect(twiml).toMatch(/<Say voice="Polly\.Zeina" language="arb">عذراً، لا يمكننا إتمام هذه المكالمة الآن[^<]*<\/Say><Hangup\/>/);
    expect(twiml).not.toContain('<Stream');
    expect(unknownCount(await metricsOf(t), 'twilio_webhook')).toBe(1);
  });

  test('a known questionnaire is still served', async () => {
    expect(await voiceWebhook(t, 'pre-visit-screening')).toContain('<Parameter name="questionnaire" value="pre-visit-screening"/>');
  });

  test('a Maqsam stream is closed with 1008 and the reason before session.ready; nothing is recorded', async () => {
    const report = await placeMaqsamCall({ baseUrl: t.base, custom: { questionnaire: 'nope' }, dtmf: ['1'], callId: 'mq-reject' });
    expect(report.ready).toBe(false);
    expect(report.closeCode).toBe(1008);
    expect(report.closeReason).toBe('unknown questionnaire: the stream names a questionnaire this bridge does not have');
    expect(await t.recordOf('mq-reject', 'maqsam')).toBeUndefined();
    const text = await metricsOf(t);
    expect(unknownCount(text, 'maqsam_stream')).toBe(1);
    expect(text).toMatch(/^bridge_ws_messages_rejected_total\{provider="maqsam",reason="unknown_questionnaire"\} 1$/m);
    expect(t.bridge.registry.active).toBe(0);
  });

  test('a Twilio stream whose <Parameter> names an unknown questionnaire is closed with 1008; nothing is recorded', async () => {
    const stream = await RawStream.open(t.base);
    stream.start('CA-reject', 'nope');
    const closed = await stream.closed;
    expect(closed).toEqual({ code: 1008, reason: 'unknown questionnaire: the stream names a questionnaire this bridge does not have' });
    expect(stream.count('media')).toBe(0);
    expect(await t.recordOf('CA-reject')).toBeUndefined();
    expect(unknownCount(await metricsOf(t), 'twilio_stream')).toBe(1);
  });
});
