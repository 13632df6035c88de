import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { AUTH_TOKEN, type TestBridge, startBridge } from './helpers/bridge';
import { RawStream, refusedUpgrade } from './helpers/raw-stream';
import { waitFor } from './helpers/wait';

/**
 * A stop (SIGTERM's path) with 50 calls in progress: the instance says it is leaving while it
 * still answers, turns new calls away, gives live calls their grace period, then ends each one
 * and writes its final record before the server closes.
 */
const CALLS = 50;
let t: TestBridge;
beforeAll(async () => {
  t = await startBridge({ MAX_PENDING_STREAMS_PER_ADDRESS: '200' });
});
afterAll(() => t.close());

test('50 live calls: /ready 503 while answering, new calls refused, then every final record written', async () => {
  const streams = await Promise.all(Array.from({ length: CALLS }, () => RawStream.open(t.base, AUTH_TOKEN)));
  for (const [i, s] of streams.entries()) s.start(`CAdrain${i}`);
  await Promise.all(
    streams.map(async (s) => {
      await s.until((r) => r.some((m) => m['event'] === 'mark'), 15_000);
      s.echoMarks();
      s.dtmf('1');
    }),
  );
  await waitFor(async () => {
    const records = await Promise.all(streams.map((_, i) => t.recordOf(`CAdrain${i}`)));
    return records.every((r) => r?.answers['consent']?.value === true);
  }, 15_000, 'every call answered consent');

  const closing = t.bridge.close(1500);
  // During the grace period the listener still answers: the load balancer sees 503 on /ready.
  const ready = await fetch(`${t.base}/ready`);
  expect(ready.status).toBe(503);
  expect((await fetch(`${t.base}/health`)).status).toBe(200);
  expect(await refusedUpgrade(`${t.base.replace('http', 'ws')}/ws/telephony`)).toBe(503);
  const voiceUrl = `${t.base}/twilio/voice`;
  const params = { CallSid: 'CAlate', From: '+966500000009', To: '+966110000001' };
  const webhook = await fetch(voiceUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': getExpectedTwilioSignature(AUTH_TOKEN, voiceUrl, params) },
    body: new URLSearchParams(params).toString(),
  });
  expect(await webhook.text()).toContain('<Hangup/>');
  // Calls still in progress during the grace period.
  expect(t.bridge.registry.active).toBe(CALLS);

  await closing;
  const closes = await Promise.all(streams.map((s) => s.closed));
  expect(new Set(closes.map((c) => c.code))).toEqual(new Set([1001]));
  const records = await Promise.all(streams.map((_, i) => t.saved(`CAdrain${i}`)));
  for (const record of records) {
    expect(record.status).toBe('stopped');
    expect(record.endedAt).not.toBeNull();
    expect(record.answers['consent']?.value).toBe(true);
  }
  expect(t.logs.some((l) => l['msg'] === 'drain timeout: ending the remaining calls (their answers are saved)' && l['active'] === CALLS)).toBe(true);
}, 60_000);
