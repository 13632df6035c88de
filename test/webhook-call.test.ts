import { performance } from 'node:perf_hooks';
import { placeCall } from '../src/cli/caller/twilio-caller';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/observability/logger';
import { createMetrics } from '../src/observability/metrics';
import type { Store } from '../src/store';
import { openTemplateStore } from '../src/store/testing/pglite-template';
import { startWebhooks } from '../src/webhooks/start';
import { AUTH_TOKEN, type TestBridge, startBridge } from './helpers/bridge';
import { WebhookReceiver } from './stand-ins/webhook-receiver';

const SECRET = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;
const logger = createLogger({ level: 'silent' });

let store: Store;
let receiver: WebhookReceiver;
let webhooks: { stop(): Promise<void> };
let t: TestBridge;

beforeAll(async () => {
  receiver = new WebhookReceiver(SECRET);
  await receiver.start();
  store = await openTemplateStore({ dataDir: '/nonexistent', logger });
  // As main.ts does: the WEBHOOK_URL subscription and this instance's dispatcher, on the bridge's database.
  const config = loadConfig({ WEBHOOK_URL: receiver.url, WEBHOOK_SECRET: SECRET, INSTANCE_ID: 'test' });
  webhooks = await startWebhooks(store, config, createMetrics(), logger);
  t = await startBridge({}, { database: store });
}, 60_000);

afterAll(async () => {
  await t?.close();
  await webhooks?.stop();
  await store?.close();
  await receiver?.stop();
});

test('a caller who presses "yes" to chest pain raises a signed call.flagged at the clinic while still on the line, then call.ended', async () => {
  // Consent: yes; chest pain: yes; "you said yes, is that right?": yes. That last key makes the
  // answer final, and raises the emergency flag.
  let keys = 0;
  let chestPainKeyAt = 0;
  const call = placeCall({
    baseUrl: t.base,
    questionnaire: 'post-discharge',
    authToken: AUTH_TOKEN,
    dtmf: ['1', '1', '1'],
    onEvent: (event) => {
      if (event.type === 'dtmf' && ++keys === 3) chestPainKeyAt = performance.now();
    },
  });
  await receiver.until(() => receiver.accepted.some((r) => r.type === 'call.flagged'), 10_000, 'call.flagged');
  const flagged = receiver.accepted.find((r) => r.type === 'call.flagged')!;
  const latencyMs = flagged.atMs - chestPainKeyAt;
  console.info(`webhook latency: the keypress confirming chest pain to a signed call.flagged received: ${latencyMs.toFixed(1)} ms`);
  expect(chestPainKeyAt).toBeGreaterThan(0);
  expect(latencyMs).toBeLessThan(2000);
  expect(flagged.valid).toBe(true);
  const report = await call;
  expect(flagged.body).toMatchObject({
    type: 'call.flagged',
    // endedAt null: sent while the caller was still hearing the emergency message.
    data: { call: { providerCallId: report.callSid, provider: 'twilio', status: 'escalated', endedAt: null }, flag: { item: 'chest_pain', action: 'emergency', value: true } },
  });
  await receiver.until(() => receiver.accepted.some((r) => r.type === 'call.ended'), 10_000, 'call.ended');
  expect(receiver.accepted.map((r) => r.type)).toEqual(['call.flagged', 'call.ended']);
  expect(receiver.accepted[1]?.body).toMatchObject({ data: { call: { status: 'escalated' }, answers: { consent: { value: true }, chest_pain: { value: true, method: 'dtmf' } } } });
}, 60_000);
