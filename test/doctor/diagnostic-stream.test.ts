import WebSocket from 'ws';
import { DIAGNOSTIC_HEADER, diagnosticTokenKey, issueDiagnosticToken } from '../../src/server/diagnostic-token';
import { AUTH_TOKEN, type TestBridge, startBridge } from '../helpers/bridge';
import { RawStream } from '../helpers/raw-stream';

/**
 * The diagnostic mode from outside, as the doctor and an attacker use it: a token minted from the
 * admin key opens a stream on a provider's path that answers pings and frames and never becomes
 * a call; anything else is refused with the bridge's usual answers (401 before any WebSocket
 * exists, 1008 / 1003 once open), and nothing reaches the store.
 */
const ADMIN_KEY = 'doctor-admin-key-0123456789-0123456789';
const MAQSAM_TOKEN = 'maqsam-token-0123456789';
let t: TestBridge;
beforeAll(async () => {
  t = await startBridge({ BRIDGE_API_KEY: ADMIN_KEY, MAQSAM_TOKEN });
}, 30_000);
afterAll(() => t.close());

const key = diagnosticTokenKey(ADMIN_KEY);
const wsUrl = (path: string) => `${t.base.replace(/^http/, 'ws')}${path}`;

/** Opens with these headers; resolves with the socket, or the HTTP status and JSON body it was refused with. */
function open(path: string, headers: Record<string, string>): Promise<{ ws: WebSocket; messages: Array<Record<string, unknown>>; closed: Promise<{ code: number; reason: string }> } | { status: number; body: Record<string, unknown> }> {
  const ws = new WebSocket(wsUrl(path), { headers });
  const messages: Array<Record<string, unknown>> = [];
  ws.on('message', (data) => messages.push(JSON.parse(data.toString()) as Record<string, unknown>));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, messages, closed }));
    ws.once('unexpected-response', (_req, res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
    });
    ws.once('error', reject);
  });
}

async function until<T>(check: () => T | undefined, ms = 3000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function nothingStored(): Promise<void> {
  const calls = await t.database.db.selectFrom('calls').select('id').execute();
  expect(calls).toEqual([]);
  expect(t.bridge.registry.active).toBe(0);
}

test('a valid token on either path: ready with the build, pongs, paced frames; no call, no record', async () => {
  for (const path of ['/ws/telephony', '/ws/maqsam']) {
    const opened = await open(path, { [DIAGNOSTIC_HEADER]: issueDiagnosticToken(key, path) });
    if (!('ws' in opened)) throw new Error(`refused: ${opened.status}`);
    const ready = await until(() => opened.messages.find((m) => m['type'] === 'diagnostic.ready'));
    expect(ready).toMatchObject({ provider: path === '/ws/telephony' ? 'twilio' : 'maqsam', service: 'telephony-bridge', build: 'dev' });
    opened.ws.send(JSON.stringify({ type: 'diagnostic.ping', id: 'p1' }));
    expect(await until(() => opened.messages.find((m) => m['type'] === 'diagnostic.pong'))).toEqual({ type: 'diagnostic.pong', id: 'p1' });
    opened.ws.send(JSON.stringify({ type: 'diagnostic.frames', count: 5, intervalMs: 40 }));
    const frames = await until(() => {
      const got = opened.messages.filter((m) => m['type'] === 'diagnostic.frame');
      return got.length === 5 ? got : undefined;
    });
    expect(frames.map((f) => f['seq'])).toEqual([0, 1, 2, 3, 4]);
    // Sent 40 ms apart by the bridge's clock: not in one burst. Node's timers may fire up to 1 ms
    // before performance.now() says the delay is over (they run on a whole-millisecond loop clock),
    // so each of the 4 gaps is allowed 1 ms early.
    expect(Number(frames[4]?.['sentAtMs'])).toBeGreaterThanOrEqual(4 * 40 - 4);
    opened.ws.close();
    await opened.closed;
  }
  await nothingStored();
  expect(t.logs.some((l) => l['msg'] === 'diagnostic stream opened')).toBe(true);
});

test('attacks on the upgrade: no WebSocket without a valid, fresh token for this path (401, the usual JSON refusal)', async () => {
  const now = Date.now();
  const forged = issueDiagnosticToken(diagnosticTokenKey('not-the-admin-key-0123456789-0123456789'), '/ws/telephony');
  const expired = issueDiagnosticToken(key, '/ws/telephony', now - 400_000);
  const otherPath = issueDiagnosticToken(key, '/ws/maqsam');
  const longLived = issueDiagnosticToken(key, '/ws/telephony', now, 3600);
  const cases: Array<[string, string, string]> = [
    ['forged', forged, 'diagnostic token refused (bad token)'],
    ['expired', expired, 'diagnostic token refused (expired token)'],
    ['minted for another path', otherPath, 'diagnostic token refused (bad token)'],
    ['valid for an hour', longLived, 'diagnostic token refused (too long lived)'],
    ['garbage', 'v1.1.abc', 'diagnostic token refused (malformed token)'],
    ['the admin key itself', ADMIN_KEY, 'diagnostic token refused (malformed token)'],
  ];
  for (const [what, token, message] of cases) {
    const refused = await open('/ws/telephony', { [DIAGNOSTIC_HEADER]: token });
    expect({ what, refused }).toEqual({ what, refused: { status: 401, body: { error: 'unauthorized', message } } });
  }
  // A valid Twilio signature beside a bad token does not rescue it: the token alone decides.
  const signed = await RawStream.open(t.base, AUTH_TOKEN, { headers: { [DIAGNOSTIC_HEADER]: forged } }).then(
    () => 'opened',
    (error: Error) => error.message,
  );
  expect(signed).toBe('HTTP 401');
  await nothingStored();
});

test('attacks once open: a call start on a diagnostic stream is closed 1008, binary 1003; diagnostic messages on a real stream get nothing', async () => {
  const path = '/ws/telephony';
  const diagnostic = await open(path, { [DIAGNOSTIC_HEADER]: issueDiagnosticToken(key, path) });
  if (!('ws' in diagnostic)) throw new Error('refused');
  diagnostic.ws.send(JSON.stringify({ event: 'start', streamSid: 'MZ1', start: { streamSid: 'MZ1', callSid: 'CA-diagnostic', customParameters: {} } }));
  expect(await diagnostic.closed).toEqual({ code: 1008, reason: 'a diagnostic stream carries no calls: only diagnostic.ping and diagnostic.frames' });

  const binary = await open(path, { [DIAGNOSTIC_HEADER]: issueDiagnosticToken(key, path) });
  if (!('ws' in binary)) throw new Error('refused');
  binary.ws.send(Buffer.from([1, 2, 3]));
  expect((await binary.closed).code).toBe(1003);

  // A real (signed) stream: the diagnostic vocabulary is not part of Twilio's protocol.
  const real = await RawStream.open(t.base, AUTH_TOKEN);
  real.send({ type: 'diagnostic.ping', id: 'x' });
  real.send({ type: 'diagnostic.frames', count: 3, intervalMs: 10 });
  await new Promise((r) => setTimeout(r, 200));
  expect(real.received).toEqual([]);
  real.ws.close();
  await nothingStored();
});

test('without BRIDGE_API_KEY the mode is off: every diagnostic upgrade is refused', async () => {
  const off = await startBridge();
  try {
    const ws = new WebSocket(`${off.base.replace(/^http/, 'ws')}/ws/telephony`, { headers: { [DIAGNOSTIC_HEADER]: issueDiagnosticToken(key, '/ws/telephony') } });
    const status = await new Promise<number>((resolve) => {
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.once('open', () => resolve(101));
    });
    expect(status).toBe(401);
    expect(off.logs.some((l) => l['msg'] === 'diagnostic stream refused' && l['reason'] === 'diagnostic_mode_off')).toBe(true);
  } finally {
    await off.close();
  }
});
