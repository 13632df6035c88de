import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { placeCall } from '../src/cli/caller/twilio-caller';
import { createLogger } from '../src/observability/logger';
import type { Store } from '../src/store';
import { openTemplateStore } from '../src/store/testing/pglite-template';
import { AUTH_TOKEN, type TestBridge, startBridge } from './helpers/bridge';

/**
 * Two bridge instances over one database, as behind a load balancer: a call's stream runs on one,
 * and Twilio's "what next" after the stream (`/twilio/stream-ended`) may reach the other. The
 * transfer a red flag asked for must come from the database there, not be lost to a hang-up.
 */
let store: Store;
let a: TestBridge;
let b: TestBridge;

beforeAll(async () => {
  store = await openTemplateStore({ dataDir: '/nonexistent', logger: createLogger({ level: 'silent' }) });
  a = await startBridge({ INSTANCE_ID: 'instance-a' }, { database: store });
  b = await startBridge({ INSTANCE_ID: 'instance-b' }, { database: store });
}, 60_000);

afterAll(async () => {
  await a?.close();
  await b?.close();
  await store?.close();
});

async function streamEnded(base: string, callSid: string): Promise<string> {
  const url = `${base}/twilio/stream-ended`;
  const params = { CallSid: callSid, AccountSid: 'AC1', CallStatus: 'in-progress' };
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': getExpectedTwilioSignature(AUTH_TOKEN, url, params) },
    body: new URLSearchParams(params).toString(),
  });
  expect(res.status).toBe(200);
  return res.text();
}

test('a red-flag transfer decided on one instance is dialled by the other when Twilio asks it what next', async () => {
  // Fever for five days (confirmed): pre-visit-screening transfers to its nurse line.
  const report = await placeCall({ baseUrl: a.base, questionnaire: 'pre-visit-screening', authToken: AUTH_TOKEN, dtmf: ['1', '5#', '1'] });
  expect((await a.saved(report.callSid)).status).toBe('transferred');
  const elsewhere = await streamEnded(b.base, report.callSid);
  expect(elsewhere).toContain('<Dial>+966110000000</Dial>');
  expect(await streamEnded(a.base, report.callSid)).toContain('<Dial>+966110000000</Dial>'); // and where it ran, from memory
  // A call that ended without a transfer, and one the database does not know, hang up.
  const plain = await placeCall({ baseUrl: a.base, questionnaire: 'pre-visit-screening', authToken: AUTH_TOKEN, dtmf: ['2', '2', '2', '2', '2', '2', '2', '2'] });
  expect(await streamEnded(b.base, plain.callSid)).toContain('<Hangup/>');
  expect(await streamEnded(b.base, 'CAnever-seen')).toContain('<Hangup/>');
}, 60_000);
