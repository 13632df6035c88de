import { mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import WebSocket from 'ws';
import { issueStreamToken, streamTokenKey } from '../src/telephony/twilio/stream-token';
import { AUTH_TOKEN, type TestBridge, startBridge } from './helpers/bridge';
import { MINIMAL_YAML } from './helpers/questionnaires';
import { rawHttpStatus, rawWebSocket } from './helpers/raw-socket';
import { RawStream, refusedUpgrade } from './helpers/raw-stream';
import { waitFor } from './helpers/wait';

/**
 * The bridge as an attacker and a careless operator find it: each test is a reproduction that
 * crashed the process, got past authentication or took over a call before the hardening.
 */
const MAQSAM_TOKEN = 'maqsam-shared-token-0123456789';
const KEY = streamTokenKey(AUTH_TOKEN);
const nested = (key: string, depth: number) => `{"${key}":${'['.repeat(depth)}${']'.repeat(depth)}}`;

let t: TestBridge;
let port: number;
beforeAll(async () => {
  t = await startBridge({ MAQSAM_TOKEN, MAX_CONCURRENT_CALLS: '3' }, { startTimeoutMs: 3000 });
  port = Number(new URL(t.base).port);
});
afterAll(() => t.close());

const wsBase = () => t.base.replace('http', 'ws');
const metricsText = async () => (await fetch(`${t.base}/metrics`)).text();
const healthy = async () => (await fetch(`${t.base}/health`)).status === 200;
const recordExists = async (callId: string, provider: 'twilio' | 'maqsam' = 'twilio') => (await t.recordOf(callId, provider)) !== undefined;
const upgradeRequest = (headers: string[]) =>
  `GET /ws/telephony HTTP/1.1\r\n${headers.join('\r\n')}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nX-Twilio-Signature: AAAA\r\n\r\n`;

/** Whether an upgrade is accepted (then closed at once) or refused with an HTTP answer. */
async function upgradeOpens(url: string, headers: Record<string, string>): Promise<boolean> {
  const ws = new WebSocket(url, { headers });
  ws.on('error', () => undefined);
  const opened = await new Promise<boolean>((resolve) => {
    ws.once('open', () => resolve(true));
    ws.once('unexpected-response', () => resolve(false));
  });
  ws.terminate();
  return opened;
}

/** A Maqsam socket that authenticates (or not) in session.setup, and records what it is sent. */
async function maqsamSocket(headers: Record<string, string> = {}) {
  const ws = new WebSocket(`${wsBase()}/ws/maqsam`, { headers });
  const received: string[] = [];
  ws.on('message', (data) => received.push(JSON.parse(data.toString()).type as string));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const setup = (id: string, apiKey?: string) => ws.send(JSON.stringify({ type: 'session.setup', ...(apiKey ? { apiKey } : {}), data: { context: { id, direction: 'inbound' } } }));
  return { ws, received, closed, setup };
}

describe('unauthenticated input never crashes the process', () => {
  test.each([
    ['Host: a b', ['Host: a b'], 400],
    // Malformed forwarding headers are refused whoever sends them (no proxy sends these).
    ['X-Forwarded-Host: a b', [`Host: 127.0.0.1:PORT`, 'X-Forwarded-Host: a b'], 400],
    ['X-Forwarded-Proto: x y', [`Host: 127.0.0.1:PORT`, 'X-Forwarded-Proto: x y'], 400],
  ])('an upgrade with %s and any signature is refused, and the bridge answers on', async (_name, headers, status) => {
    const request = upgradeRequest(headers.map((h) => h.replace('PORT', String(port))));
    expect(await rawHttpStatus(port, request)).toBe(status);
    expect(await healthy()).toBe(true);
  });

  test('a 12 KB message nested 6,000 deep on /ws/maqsam before authentication is rejected, not fatal', async () => {
    const m = await maqsamSocket();
    m.ws.send(nested('type', 6000));
    await waitFor(async () => /reason="unknown_event"/.test(await metricsText()), 3000, 'rejection counted');
    expect(await healthy()).toBe(true);
    const line = t.logs.find((l) => l['msg'] === 'media stream message rejected' && l['reason'] === 'unknown_event');
    expect(line?.['detail']).toBe('unknown type an array');
    m.ws.close();
  });

  test('the same on a Twilio stream ({"event":[[…]]})', async () => {
    const s = await RawStream.open(t.base, AUTH_TOKEN);
    s.send(nested('event', 6000));
    s.start('CAnested');
    await s.until((r) => r.some((m) => m['event'] === 'media'));
    expect(await healthy()).toBe(true);
    s.ws.close();
  });

  test('seeded fuzz on both paths: garbage, deep nesting, wrong types, huge strings; the bridge serves a call afterwards', async () => {
    let seed = 1234567;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const shapes = [
      () => '{',
      () => 'null',
      () => '[]',
      () => nested(random() < 0.5 ? 'event' : 'type', Math.floor(random() * 9000)),
      () => JSON.stringify({ event: 'start', start: { callSid: { toString: 1 }, streamSid: [], customParameters: 'x' } }),
      () => JSON.stringify({ event: 'media', media: { payload: 'x'.repeat(Math.floor(random() * 60_000)) } }),
      () => JSON.stringify({ event: 'dtmf', dtmf: { digit: [['1']] } }),
      () => JSON.stringify({ type: 'session.setup', data: { context: { id: 'i'.repeat(30_000) } } }),
      () => JSON.stringify({ type: 'call.dtmf', data: { digit: { a: 1 } } }),
      // Raw text: an object literal's __proto__ would set the prototype, not send the key.
      () => '{"type":"session.setup","data":{"context":{"id":"mq-proto","custom":{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}}}}',
      () => Buffer.from(Array.from({ length: 64 }, () => Math.floor(random() * 256))).toString('latin1'),
    ];
    for (const route of ['/ws/telephony', '/ws/maqsam']) {
      const s = await RawStream.open(t.base, AUTH_TOKEN, { path: route, headers: { Auth: MAQSAM_TOKEN } });
      // Started first, so the frames reach a live call and not only the decoder.
      if (route === '/ws/telephony') s.start(`CAfuzz`);
      else s.send({ type: 'session.setup', data: { context: { id: 'mq-fuzz' } } });
      for (let i = 0; i < 200; i++) s.send((shapes[Math.floor(random() * shapes.length)] as () => string)());
      s.ws.close();
      await s.closed;
    }
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    const s = await RawStream.open(t.base, AUTH_TOKEN);
    s.start('CAafterfuzz');
    await s.until((r) => r.some((m) => m['event'] === 'media'));
    s.ws.close();
  });
});

describe('Maqsam authentication holds', () => {
  test('a wrong apiKey naming a live call neither takes it over nor records anything; later messages are dropped', async () => {
    const patient = await maqsamSocket({ Auth: MAQSAM_TOKEN });
    patient.setup('mq-live');
    await waitFor(() => patient.received.includes('session.ready'), 3000, 'patient ready');
    const attacker = await maqsamSocket();
    attacker.setup('mq-live', 'not-the-token-000000000');
    attacker.ws.send(JSON.stringify({ type: 'call.dtmf', data: { digit: '1' } }));
    attacker.setup('mq-attacker');
    attacker.ws.send(JSON.stringify({ type: 'call.dtmf', data: { digit: '1' } }));
    expect(await attacker.closed).toEqual({ code: 1008, reason: 'authentication failed: apiKey in session.setup does not match MAQSAM_TOKEN' });
    expect(attacker.received).toEqual([]);
    expect(await recordExists('mq-attacker', 'maqsam')).toBe(false);
    // The patient's call goes on: still open, and it still answers the keypad.
    expect(patient.ws.readyState).toBe(WebSocket.OPEN);
    const before = patient.received.length;
    patient.ws.send(JSON.stringify({ type: 'call.dtmf', data: { digit: '1' } }));
    await waitFor(() => patient.received.length > before, 3000, 'patient hears the bridge');
    patient.ws.close();
    await patient.closed;
  });

  /** An attacker's socket with a wrong Auth header that, if it ever opens, tries to start `callId`. */
  const opened: WebSocket[] = [];
  afterEach(() => {
    for (const ws of opened.splice(0)) ws.terminate();
  });
  const wrongHeaderAttempt = (callId: string) =>
    new Promise<{ status: number } | { readyReceived: boolean }>((resolve) => {
      const ws = new WebSocket(`${wsBase()}/ws/maqsam`, { headers: { Auth: 'not-the-token-000000000' } });
      ws.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0 }));
      ws.once('error', () => undefined);
      ws.once('open', () => {
        let readyReceived = false;
        ws.on('message', (data) => {
          if (JSON.parse(data.toString()).type === 'session.ready') readyReceived = true;
        });
        ws.send(JSON.stringify({ type: 'session.setup', data: { context: { id: callId } } }));
        ws.send(JSON.stringify({ type: 'call.dtmf', data: { digit: '1' } }));
        // Held open until the test ends, as an attacker filling lines would.
        opened.push(ws);
        setTimeout(() => resolve({ readyReceived }), 300);
      });
    });

  test('a wrong Auth header is refused at the upgrade (401), so it can neither take a live call over nor start one', async () => {
    const patient = await maqsamSocket({ Auth: MAQSAM_TOKEN });
    patient.setup('mq-victim');
    await waitFor(() => patient.received.includes('session.ready'), 3000, 'patient ready');
    expect(await wrongHeaderAttempt('mq-victim')).toEqual({ status: 401 });
    expect(await wrongHeaderAttempt('mq-intruder')).toEqual({ status: 401 });
    expect(await recordExists('mq-intruder', 'maqsam')).toBe(false);
    expect(patient.ws.readyState).toBe(WebSocket.OPEN);
    patient.ws.close();
    await patient.closed;
  });

  test('sockets that fail authentication do not use up MAX_CONCURRENT_CALLS (3 here)', async () => {
    // Peers that never finish a close (a bare TCP socket), each with a wrong Auth header and a setup.
    const raws = await Promise.allSettled(
      [1, 2, 3, 4].map(async (i) => {
        const raw = await rawWebSocket(port, '/ws/maqsam', { Auth: 'not-the-token-000000000' });
        raw.sendText(JSON.stringify({ type: 'session.setup', data: { context: { id: `mq-flood-header-${i}` } } }));
        return raw;
      }),
    );
    expect(raws.map((r) => (r.status === 'rejected' ? String(r.reason) : 'opened'))).toEqual(Array(4).fill('Error: upgrade refused: HTTP/1.1 401 Unauthorized'));
    // Wrong apiKeys from peers that never answer the close: refused (close frame sent) but their
    // sockets linger until the bridge cuts them. The patient calls while they linger.
    const keyed = await Promise.all([1, 2, 3].map(() => rawWebSocket(port, '/ws/maqsam')));
    for (const [i, raw] of keyed.entries()) {
      raw.sendText(JSON.stringify({ type: 'session.setup', apiKey: 'not-the-token-000000000', data: { context: { id: `mq-flood-key-${i}` } } }));
    }
    await waitFor(() => keyed.every((raw) => raw.opcodes.includes(0x8)), 3000, 'every keyed attacker refused');
    const patient = await maqsamSocket({ Auth: MAQSAM_TOKEN });
    patient.setup('mq-after-flood');
    await waitFor(() => patient.received.includes('session.ready'), 3000, 'a real call still gets a line');
    patient.ws.close();
  });

  test('a refused peer that never answers the close frame is cut off within seconds', async () => {
    const raw = await rawWebSocket(port, '/ws/maqsam');
    raw.sendText(JSON.stringify({ type: 'session.setup', apiKey: 'not-the-token-000000000', data: { context: { id: 'mq-deaf' } } }));
    const cutOff = await Promise.race([raw.ended.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 5000))]);
    expect(raw.opcodes).toContain(0x8);
    expect(cutOff).toBe(true);
  });
});

describe('Twilio streams are bound to the call their webhook answered', () => {
  const refusedStart = async (callSid: string, token: string | undefined) => {
    const s = await RawStream.open(t.base, AUTH_TOKEN);
    s.start(callSid, 'post-discharge', `MZ-${callSid}`, token ?? '');
    s.dtmf('1');
    const closed = await s.closed;
    expect(s.count('media')).toBe(0);
    expect(await recordExists(callSid)).toBe(false);
    return closed;
  };

  test('a start without the token is closed with 1008; nothing is spoken or recorded', async () => {
    expect(await refusedStart('CAnotoken', undefined)).toEqual({
      code: 1008,
      reason: 'stream token refused (missing token): only the stream the voice webhook asked for may start',
    });
  });

  test("another call's token is refused", async () => {
    expect((await refusedStart('CAvictim1', issueStreamToken(KEY, 'CAother'))).reason).toMatch(/bad token/);
  });

  test('an expired token is refused', async () => {
    const old = issueStreamToken(KEY, 'CAexpired', Date.now() - 3_600_000);
    expect((await refusedStart('CAexpired', old)).reason).toMatch(/expired token/);
  });

  test('a second stream takes a live call over only with a token for that call', async () => {
    const first = await RawStream.open(t.base, AUTH_TOKEN);
    first.start('CAbound');
    await first.until((r) => r.some((m) => m['event'] === 'media'));
    const intruder = await RawStream.open(t.base, AUTH_TOKEN);
    intruder.start('CAbound', 'post-discharge', 'MZ-intruder', issueStreamToken(KEY, 'CAsomeoneelse'));
    expect((await intruder.closed).code).toBe(1008);
    expect(first.ws.readyState).toBe(WebSocket.OPEN);
    // Twilio's own second stream carries the same call's token: it takes over.
    const second = await RawStream.open(t.base, AUTH_TOKEN);
    second.start('CAbound', 'post-discharge', 'MZ-second');
    expect(await first.closed).toEqual({ code: 1000, reason: 'replaced by a newer stream for this call' });
    await second.until((r) => r.some((m) => m['event'] === 'media'));
    second.ws.close();
  });

  test("a Maqsam stream naming a live Twilio call's CallSid is a call of its own: it never takes the Twilio call over", async () => {
    const twilio = await RawStream.open(t.base, AUTH_TOKEN);
    twilio.start('CAcross');
    await twilio.until((r) => r.some((m) => m['event'] === 'media'));
    const heard = twilio.count('media');
    const maqsam = await maqsamSocket({ Auth: MAQSAM_TOKEN });
    maqsam.setup('CAcross');
    await waitFor(() => maqsam.received.includes('session.ready'), 3000, 'the Maqsam call started on its own');
    // The Twilio caller still has the call: still open, still hearing the bridge.
    expect(twilio.ws.readyState).toBe(WebSocket.OPEN);
    await twilio.until((r) => r.filter((m) => m['event'] === 'media').length > heard + 5);
    // Two calls, two records: each provider's under its own id.
    await waitFor(async () => (await recordExists('CAcross')) && (await recordExists('CAcross', 'maqsam')), 3000, 'both records');
    expect((await t.saved('CAcross')).id).not.toBe((await t.saved('CAcross', 'maqsam')).id);
    maqsam.ws.close();
    twilio.ws.close();
  });

  test('an ended call cannot be started again, even with its own unexpired token', async () => {
    const first = await RawStream.open(t.base, AUTH_TOKEN);
    first.start('CAover');
    await first.until((r) => r.some((m) => m['event'] === 'media'));
    first.send({ event: 'stop', stop: { callSid: 'CAover' } });
    await first.closed;
    await waitFor(async () => (await t.saved('CAover')).endedAt !== null, 3000, 'first call saved');
    const saved = await t.saved('CAover');
    const again = await RawStream.open(t.base, AUTH_TOKEN);
    again.start('CAover');
    expect(await again.closed).toEqual({ code: 1008, reason: 'this call has already ended; a stream cannot start it again' });
    expect(again.count('media')).toBe(0);
    expect(await t.store.findByProviderCallId('twilio', 'CAover')).toEqual([saved]);
  });

  test('X-Forwarded-Host is not believed without TRUST_PROXY: a signature made for another host fails', async () => {
    const url = 'wss://evil.example/ws/telephony';
    const status = await refusedUpgrade(`${wsBase()}/ws/telephony`, {
      'x-forwarded-host': 'evil.example',
      'x-forwarded-proto': 'https',
      'x-twilio-signature': getExpectedTwilioSignature(AUTH_TOKEN, url, {}),
    });
    expect(status).toBe(403);
  });
});

describe('sockets that have not started are capped, and hostile values stay out of the logs', () => {
  let c: TestBridge;
  beforeAll(async () => {
    // The start timeout (15 s) is far beyond every wait here: only a start or a close frees a place.
    c = await startBridge({ MAQSAM_TOKEN, MAX_PENDING_STREAMS_PER_ADDRESS: '2', MAX_PENDING_STREAMS: '5' });
  });
  afterAll(() => c.close());

  test('a third socket from one address waiting to start is refused 429; one that starts frees its place', async () => {
    const url = `${c.base.replace('http', 'ws')}/ws/maqsam`;
    const open = () => new WebSocket(url, { headers: { Auth: MAQSAM_TOKEN } });
    const a = open();
    const b = open();
    await Promise.all([a, b].map((ws) => new Promise((r) => ws.once('open', r))));
    expect(await refusedUpgrade(url, { Auth: MAQSAM_TOKEN })).toBe(429);
    a.send(JSON.stringify({ type: 'session.setup', data: { context: { id: 'mq-started' } } }));
    await waitFor(() => upgradeOpens(url, { Auth: MAQSAM_TOKEN }), 3000, 'a started stream frees its place');
    a.close();
    b.close();
  });

  test('malformed handshakes that ws refuses itself do not keep their places', async () => {
    const cPort = Number(new URL(c.base).port);
    const noKey = `GET /ws/maqsam HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nAuth: ${MAQSAM_TOKEN}\r\n\r\n`;
    for (let i = 0; i < 3; i++) expect(await rawHttpStatus(cPort, noKey)).toBe(400);
    const url = `${c.base.replace('http', 'ws')}/ws/maqsam`;
    await waitFor(() => upgradeOpens(url, { Auth: MAQSAM_TOKEN }), 2000, 'a well-formed upgrade is admitted');
  });

  test('a refused upgrade is closed by the bridge even if the peer never closes its side', async () => {
    const cPort = Number(new URL(c.base).port);
    // allowHalfOpen: this peer reads the answer but never sends its FIN, so only the bridge can close.
    const socket = net.connect({ port: cPort, host: '127.0.0.1', allowHalfOpen: true });
    const failed = new Promise<string>((resolve) => socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error')));
    socket.resume();
    socket.write('GET /ws/nowhere HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n');
    await new Promise((resolve) => socket.once('end', resolve));
    // A socket the bridge still holds half-open takes these bytes silently; a released one resets.
    const probe = setInterval(() => socket.write('x'), 100);
    const outcome = await Promise.race([failed, new Promise<string>((r) => setTimeout(() => r('still open'), 3000))]);
    clearInterval(probe);
    socket.destroy();
    expect(['ECONNRESET', 'EPIPE']).toContain(outcome);
  });

  test('a 30 KB id is rejected, and the log lines about it stay short', async () => {
    const before = c.logs.length;
    const ws = new WebSocket(`${c.base.replace('http', 'ws')}/ws/maqsam`, { headers: { Auth: MAQSAM_TOKEN } });
    await new Promise((r) => ws.once('open', r));
    ws.send(JSON.stringify({ type: 'session.setup', data: { context: { id: 'x'.repeat(30_000) } } }));
    ws.send(JSON.stringify({ type: 'x'.repeat(30_000) }));
    await waitFor(() => c.logs.slice(before).filter((l) => l['msg'] === 'media stream message rejected').length >= 2, 3000, 'rejections logged');
    ws.close();
    const written = JSON.stringify(c.logs.slice(before)).length;
    expect(written).toBeLessThan(3000);
  });
});

describe('a throw while handling one call closes that call with 1011, never the process', () => {
  let c: TestBridge;
  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'isolation-'));
    const yaml = MINIMAL_YAML.replace('emergency_number: "997"', 'emergency_number: "997"\n  no_input_ms: 1000').replace(
      '    text: question one',
      '    text: question one\n  - id: q2\n    type: boolean\n    text: question two',
    );
    writeFileSync(path.join(dir, 'mini.yaml'), yaml);
    // The bystander's questionnaire: the same prompts, but it waits a minute for input.
    writeFileSync(path.join(dir, 'calm.yaml'), yaml.replace('id: mini', 'id: calm').replace('no_input_ms: 1000', 'no_input_ms: 60000'));
    c = await startBridge({ QUESTIONNAIRES_DIR: dir, DEFAULT_QUESTIONNAIRE: 'mini' });
    // A bug in one place: speaking "question two" or the no-input prompt throws.
    const get = c.prompts.get.bind(c.prompts);
    c.prompts.get = (text: string) => {
      if (text === 'question two' || text === 'silence') throw new Error('prompt lookup bug');
      return get(text);
    };
  });
  afterAll(() => c.close());

  test('on a message: 1011, the answer already given is saved, and another call goes on', async () => {
    const other = await RawStream.open(c.base, AUTH_TOKEN);
    other.start('CAbystander', 'calm');
    const s = await RawStream.open(c.base, AUTH_TOKEN);
    s.start('CAbuggy', 'mini');
    await s.until((r) => r.some((m) => m['event'] === 'mark'));
    s.echoMarks();
    s.dtmf('1');
    expect(await s.closed).toEqual({ code: 1011, reason: 'internal error' });
    await waitFor(async () => (await c.saved('CAbuggy')).endedAt !== null, 3000, 'final record written');
    expect((await c.saved('CAbuggy')).answers['q1']?.value).toBe(true);
    expect(c.logs.some((l) => l['msg']?.toString().startsWith('internal error on a media stream') && l['level'] === 50 && l['err'])).toBe(true);
    // The shared playout clock still serves the other call.
    const heard = other.count('media');
    await other.until((r) => r.filter((m) => m['event'] === 'media').length > heard + 5);
    expect(other.ws.readyState).toBe(WebSocket.OPEN);
    other.ws.close();
    expect(await (await fetch(`${c.base}/metrics`)).text()).toMatch(/^bridge_internal_errors_total\{scope="message"\} 1$/m);
  });

  test('on a timer (no input): 1011, and the bridge answers on', async () => {
    const s = await RawStream.open(c.base, AUTH_TOKEN);
    s.start('CAsilentbug', 'mini');
    await s.until((r) => r.some((m) => m['event'] === 'mark'));
    s.echoMarks();
    expect(await s.closed).toEqual({ code: 1011, reason: 'internal error' });
    expect((await fetch(`${c.base}/health`)).status).toBe(200);
    expect(await (await fetch(`${c.base}/metrics`)).text()).toMatch(/^bridge_internal_errors_total\{scope="timer"\} 1$/m);
  });
});
