import { placeCall } from '../src/cli/caller/twilio-caller';
import { createLogger } from '../src/observability/logger';
import type { Store } from '../src/store';
import { openTemplateStore } from '../src/store/testing/pglite-template';
import { serviceRoom } from '../src/call/service-room';
import { AUTH_TOKEN, type TestBridge, startBridge } from './helpers/bridge';
import { RawStream } from './helpers/raw-stream';
import { postTwilioForm } from './helpers/twilio-form';
import { waitFor } from './helpers/wait';

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
  const answer = await postTwilioForm(`${base}/twilio/stream-ended`, { CallSid: callSid, AccountSid: 'AC1', CallStatus: 'in-progress' }, AUTH_TOKEN);
  expect(answer.status).toBe(200);
  return answer.text;
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

/**
 * Capacity adds up: each instance has its own MAX_CONCURRENT_CALLS, and a full instance still
 * takes a call (its webhook says "connect", a stream that reaches it is served) while the service
 * as a whole has room, as the database counts it from every live instance's heartbeat row.
 */
describe('service-wide capacity', () => {
  let shared: Store;
  let full: TestBridge; // MAX_CONCURRENT_CALLS=1
  let roomy: TestBridge; // MAX_CONCURRENT_CALLS=2
  const open: RawStream[] = [];

  const voice = async (base: string, callSid: string) => {
    const answer = await postTwilioForm(`${base}/twilio/voice`, { CallSid: callSid, AccountSid: 'AC1', From: '+966501112222', To: '+966112345678', Direction: 'inbound' }, AUTH_TOKEN);
    expect(answer.status).toBe(200);
    return answer.text;
  };
  const beat = (id: string, maxCalls: number) => shared.instances.beat({ id, maxCalls, draining: false, version: 'test' });
  const stream = async (bridge: TestBridge, callSid: string) => {
    const s = await RawStream.open(bridge.base, AUTH_TOKEN);
    open.push(s);
    s.start(callSid);
    return s;
  };
  const started = (s: RawStream) => s.until((r) => r.some((m) => m['event'] === 'media'));

  beforeAll(async () => {
    shared = await openTemplateStore({ dataDir: '/nonexistent', logger: createLogger({ level: 'silent' }) });
    const room = serviceRoom({ load: () => shared.instances.load(60) });
    full = await startBridge({ INSTANCE_ID: 'full-one', MAX_CONCURRENT_CALLS: '1' }, { database: shared, serviceRoom: room });
    roomy = await startBridge({ INSTANCE_ID: 'roomy-one', MAX_CONCURRENT_CALLS: '2' }, { database: shared, serviceRoom: room });
    await beat('full-one', 1);
    await beat('roomy-one', 2);
  }, 60_000);

  afterAll(async () => {
    for (const s of open) s.ws.close();
    await full?.close();
    await roomy?.close();
    await shared?.close();
  });

  test('a full instance connects callers and serves streams while another has room; all lines are busy only when every instance is full', async () => {
    await started(await stream(full, 'CAcap-1'));
    await waitFor(async () => (await full.recordOf('CAcap-1')) !== undefined);
    expect(full.bridge.registry.atCapacity()).toBe(true);

    // 1 of 3 in use: the full instance's webhook sends the caller on, and the stream is served here.
    expect(await voice(full.base, 'CAcap-2')).toContain('<Stream url=');
    await started(await stream(full, 'CAcap-2'));
    expect(full.bridge.registry.active).toBe(2);
    expect(full.logs.some((l) => l['msg'] === 'this instance is full but the service has room: serving the stream here')).toBe(true);

    // Past a quarter over its own limit (1 → 2) it refuses even with room elsewhere: 1013.
    const third = await stream(full, 'CAcap-3');
    expect((await third.closed).code).toBe(1013);
    await waitFor(async () => (await shared.instances.load(60)).active === 2);

    // The other instance takes one more; then 3 of 3 are in use and every webhook says busy.
    await started(await stream(roomy, 'CAcap-4'));
    await waitFor(async () => (await shared.instances.load(60)).active === 3);
    for (const bridge of [full, roomy]) {
      // roomy still has a line of its own, so it connects; full asks the service, which is full.
      const twiml = await voice(bridge.base, `CAcap-busy-${bridge === full ? 'f' : 'r'}`);
      if (bridge === full) expect(twiml).toContain('<Hangup/>');
      else expect(twiml).toContain('<Stream url=');
    }
    const refused = await stream(full, 'CAcap-5');
    expect((await refused.closed).code).toBe(1013);

    // An instance that stops beating (or drains) offers nothing: with roomy gone stale, full is alone and full.
    await shared.db.updateTable('instances').set({ heartbeat_at: new Date(Date.now() - 120_000) }).where('id', '=', 'roomy-one').execute();
    expect(await shared.instances.load(60)).toStrictEqual({ instances: 1, capacity: 1, active: 2 });
    expect(await voice(full.base, 'CAcap-6')).toContain('<Hangup/>');
    await beat('roomy-one', 2);
  }, 60_000);
});

/** Sign-in guesses spread over the instances behind the load balancer are counted together. */
describe('the console sign-in throttle is shared', () => {
  const KEY = 'admin-key-instances-0123456789-0123456789';
  let shared: Store;
  let one: TestBridge;
  let two: TestBridge;

  beforeAll(async () => {
    shared = await openTemplateStore({ dataDir: '/nonexistent', logger: createLogger({ level: 'silent' }) });
    one = await startBridge({ INSTANCE_ID: 'console-one', BRIDGE_API_KEY: KEY }, { database: shared });
    two = await startBridge({ INSTANCE_ID: 'console-two', BRIDGE_API_KEY: KEY }, { database: shared });
  }, 60_000);

  afterAll(async () => {
    await one?.close();
    await two?.close();
    await shared?.close();
  });

  test('five wrong passwords spread over two instances lock the name on both; a right one on either then waits too', async () => {
    const made = await fetch(`${one.base}/api/v1/console-users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'huda', displayName: 'Huda', password: 'a long enough password 1', scopes: ['results:read'] }),
    });
    expect(made.status).toBe(201);
    const signIn = (bridge: TestBridge, password: string) =>
      fetch(`${bridge.base}/console/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'huda', password }) });
    // A right password takes back the name's count, wherever it is given.
    for (let i = 0; i < 4; i++) expect((await signIn(i % 2 === 0 ? one : two, `guess ${i}`)).status).toBe(401);
    expect((await signIn(two, 'a long enough password 1')).status).toBe(200);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await signIn(i % 2 === 0 ? one : two, `guess again ${i}`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    const locked = await signIn(one, 'a long enough password 1');
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(800);
    expect((await signIn(two, 'a long enough password 1')).status).toBe(429);
  });
});
