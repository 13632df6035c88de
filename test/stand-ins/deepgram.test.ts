import { WebSocket } from 'ws';
import { waitFor } from '../helpers/wait';
import { DeepgramStandIn } from './deepgram';
import { buildAudio, chunks } from './deepgram-audio';

/** The stand-in speaks Deepgram's protocol to a plain WebSocket client (no SDK involved). */
let standIn: DeepgramStandIn;
const clients: WebSocket[] = [];

beforeEach(async () => {
  standIn = await DeepgramStandIn.start({ idleTimeoutMs: 400 });
});

afterEach(async () => {
  for (const ws of clients.splice(0)) ws.terminate();
  await standIn.close();
});

interface Client {
  ws: WebSocket;
  messages: Array<Record<string, unknown>>;
  closed: Promise<{ code: number; reason: string }>;
}

function connect(query = 'endpointing=300&utterance_end_ms=1000&interim_results=true&vad_events=true', key = 'test-key'): Promise<Client> {
  const ws = new WebSocket(`${standIn.url.replace('http', 'ws')}/v1/listen?${query}`, { headers: { Authorization: `Token ${key}` } });
  clients.push(ws);
  const messages: Array<Record<string, unknown>> = [];
  ws.on('message', (data: Buffer) => messages.push(JSON.parse(data.toString()) as Record<string, unknown>));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, messages, closed }));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

const ofType = (messages: Array<Record<string, unknown>>, type: string) => messages.filter((m) => m.type === type);

function sendAll(ws: WebSocket, audio: Int16Array): void {
  for (const chunk of chunks(audio)) ws.send(chunk);
}

test('refuses an upgrade without the right Token (401) and validates keys on GET /v1/projects', async () => {
  await expect(connect(undefined, 'wrong')).rejects.toThrow('HTTP 401');
  expect(standIn.attempts.map((a) => a.status)).toEqual([401]);
  expect(standIn.connections).toHaveLength(0);
  const good = await fetch(`${standIn.url}/v1/projects`, { headers: { Authorization: 'Token test-key' } });
  expect(good.status).toBe(200);
  expect(((await good.json()) as { projects: unknown[] }).projects).toHaveLength(1);
  const bad = await fetch(`${standIn.url}/v1/projects`, { headers: { Authorization: 'Token nope' } });
  expect(bad.status).toBe(401);
});

test('detects two bursts: SpeechStarted, interims, final with scripted text and word times, UtteranceEnd', async () => {
  standIn.script(['نعم', 'لا ما عندي']);
  const client = await connect();
  // 300 ms silence, 800 ms tone, 1500 ms silence, 600 ms noise, 1500 ms silence.
  sendAll(client.ws, buildAudio([{ silenceMs: 300 }, { toneMs: 800 }, { silenceMs: 1500 }, { noiseMs: 600 }, { silenceMs: 1500 }]));
  await waitFor(() => ofType(client.messages, 'UtteranceEnd').length === 2, 3000, 'two UtteranceEnd');
  expect(ofType(client.messages, 'SpeechStarted').map((m) => m.timestamp)).toEqual([0.3, 2.6]);
  const finals = ofType(client.messages, 'Results').filter((m) => m.is_final === true);
  const alt = (m: Record<string, unknown>) => (m.channel as { alternatives: Array<{ transcript: string; words: Array<{ start: number; end: number }> }> }).alternatives[0]!;
  expect(finals.map((m) => [alt(m).transcript, m.speech_final])).toEqual([
    ['نعم', true],
    ['لا ما عندي', true],
  ]);
  expect(alt(finals[1]!).words.map((w) => [w.start, w.end])).toEqual([
    [2.6, 2.8],
    [2.8, 3.0],
    [3.0, 3.2],
  ]);
  expect(ofType(client.messages, 'UtteranceEnd').map((m) => m.last_word_end)).toEqual([1.1, 3.2]);
  expect(ofType(client.messages, 'Results').filter((m) => m.is_final === false).length).toBeGreaterThanOrEqual(4);
  await waitFor(() => standIn.received(0).length === (4700 * 16000) / 1000, 2000, 'all audio received');
});

test('without vad_events and interim_results it sends only finals', async () => {
  standIn.script(['نعم']);
  const client = await connect('endpointing=300&utterance_end_ms=1000');
  sendAll(client.ws, buildAudio([{ toneMs: 500 }, { silenceMs: 400 }]));
  await waitFor(() => client.messages.length === 1, 2000, 'one final');
  expect(client.messages[0]).toMatchObject({ type: 'Results', is_final: true, speech_final: true });
});

test('Finalize flushes speech in progress (from_finalize); CloseStream sends Metadata and closes 1000', async () => {
  standIn.script(['ألم في الصدر']);
  const client = await connect();
  sendAll(client.ws, buildAudio([{ toneMs: 500 }, { silenceMs: 100 }]));
  client.ws.send(JSON.stringify({ type: 'Finalize' }));
  await waitFor(() => client.messages.some((m) => m.from_finalize === true), 2000, 'from_finalize');
  const final = client.messages.find((m) => m.from_finalize === true)!;
  expect(final).toMatchObject({ is_final: true, speech_final: false });
  client.ws.send(JSON.stringify({ type: 'CloseStream' }));
  expect((await client.closed).code).toBe(1000);
  expect(client.messages[client.messages.length - 1]).toMatchObject({ type: 'Metadata', duration: 0.6, channels: 1 });
  expect(standIn.connections[0]).toMatchObject({ finalizes: 1, closeStreams: 1, closed: { code: 1000, by: 'server' } });
});

test('closes an idle stream with 1011 (NET-0001); KeepAlive keeps it open', async () => {
  const kept = await connect();
  const timer = setInterval(() => kept.ws.send(JSON.stringify({ type: 'KeepAlive' })), 100);
  const idle = await connect();
  const { code, reason } = await idle.closed;
  expect(code).toBe(1011);
  expect(reason).toContain('NET-0001');
  await new Promise((r) => setTimeout(r, 300));
  clearInterval(timer);
  expect(kept.ws.readyState).toBe(WebSocket.OPEN);
  expect(standIn.connections[0]!.keepAlives).toBeGreaterThanOrEqual(5);
});

test('refuses with 503, accepts and closes, or hangs; restore() ends it; drops close open sockets', async () => {
  standIn.refuseConnections({ mode: 'http-503' });
  await expect(connect()).rejects.toThrow('HTTP 503');
  standIn.refuseConnections({ mode: 'accept-and-close' });
  const closing = await connect();
  expect((await closing.closed).code).toBe(1011);
  standIn.refuseConnections({ mode: 'hang', forMs: 150 });
  const hung = new WebSocket(`${standIn.url.replace('http', 'ws')}/v1/listen`, { headers: { Authorization: 'Token test-key' }, handshakeTimeout: 100 });
  await new Promise((resolve) => hung.on('error', resolve));
  await new Promise((r) => setTimeout(r, 100));
  const ok = await connect();
  expect(standIn.attempts.map((a) => a.status)).toEqual([503, 101, 0, 101]);
  standIn.dropConnections(1011);
  expect((await ok.closed).code).toBe(1011);
});

test('received() is bit-exact even when messages split samples across odd byte boundaries', async () => {
  const client = await connect();
  const audio = buildAudio([{ noiseMs: 100, seed: 7 }]);
  const bytes = Buffer.from(audio.buffer, audio.byteOffset, audio.byteLength);
  client.ws.send(bytes.subarray(0, 101));
  client.ws.send(bytes.subarray(101, 1001));
  client.ws.send(bytes.subarray(1001));
  await waitFor(() => standIn.received(0).length === audio.length, 2000, 'all samples');
  expect(Buffer.from(standIn.received(0).buffer).equals(bytes)).toBe(true);
});
