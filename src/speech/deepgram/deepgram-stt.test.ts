import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { waitFor } from '../../../test/helpers/wait';
import { buildAudio, stream } from '../../../test/stand-ins/deepgram-audio';
import { ofType, useDeepgramStandIn } from '../../../test/stand-ins/deepgram-harness';
import { DeepgramSttProvider } from './deepgram-stt';

/** The real SDK against the local Deepgram stand-in, over real sockets: streaming, keepalive, close, check. */
const dg = useDeepgramStandIn();
const FRAME_MS = 20;

test('opens the stream at open(), before any audio, with the parameters and Token auth on the wire', async () => {
  const h = dg.harness();
  dg.open(h, ['نعم', 'لا', ' ألم في الصدر ', 'نعم', '']);
  await waitFor(() => h.connects.length === 1, 3000, 'connected');
  dg.record('connect', h.connects[0]![0] * 1000);
  expect(h.connects[0]![1]).toBe('ok');
  const c = dg.standIn.connections[0]!;
  expect(c.authorization).toBe('Token test-key');
  const params = Object.fromEntries([...c.params.keys()].map((k) => [k, c.params.getAll(k).join('|')]));
  expect(params).toEqual({
    model: 'nova-3',
    language: 'ar',
    encoding: 'linear16',
    sample_rate: '16000',
    channels: '1',
    interim_results: 'true',
    endpointing: '300',
    utterance_end_ms: '1000',
    vad_events: 'true',
    mip_opt_out: 'true',
    keyterm: 'نعم|لا|ألم في الصدر',
  });
  expect(dg.standIn.received(0)).toHaveLength(0);
});

test('mip_opt_out=true goes on every connection, the key check included; mipOptOut: false leaves it out', async () => {
  await dg.restart({ projectsApi: false });
  expect(await dg.harness().provider.check()).toEqual({ ok: true });
  const h = dg.harness();
  dg.open(h);
  await waitFor(() => dg.standIn.connections.length === 2, 3000, 'connected');
  dg.open(dg.harness({ mipOptOut: false }));
  await waitFor(() => dg.standIn.connections.length === 3, 3000, 'connected without the opt-out');
  expect(dg.standIn.connections.map((c) => c.params.getAll('mip_opt_out'))).toEqual([['true'], ['true'], []]);
});

test('two utterances: speech_started, interims, speech-final finals with the scripted texts in order, utterance_end', async () => {
  dg.standIn.script(['نعم', 'لا ما عندي ألم']);
  const h = dg.harness();
  const s = dg.open(h);
  // Bursts at 300–1100 ms and 2600–3200 ms on the call clock.
  await stream(buildAudio([{ silenceMs: 300 }, { toneMs: 800 }, { silenceMs: 1500 }, { noiseMs: 600 }, { silenceMs: 1500 }]), (c) => s.sendAudio(c));
  await waitFor(() => ofType(h.events, 'utterance_end').length === 2, 5000, 'two utterance ends');
  const kinds = h.events.map((e) => e.type);
  expect(kinds[0]).toBe('speech_started');
  expect(kinds).toContain('interim');
  const finals = ofType(h.events, 'final');
  expect(finals.map((f) => [f.text, f.speechFinal])).toEqual([
    ['نعم', true],
    ['لا ما عندي ألم', true],
  ]);
  expect(finals[0]!.confidence).toBeGreaterThan(0.5);
  expect(Math.abs(finals[0]!.lastWordEndMs! - 1100)).toBeLessThanOrEqual(FRAME_MS);
  expect(Math.abs(finals[1]!.lastWordEndMs! - 3200)).toBeLessThanOrEqual(FRAME_MS);
  expect(ofType(h.events, 'speech_started').map((e) => e.atMs)).toEqual([300, 2600]);
  expect(ofType(h.events, 'utterance_end').map((e) => e.lastWordEndMs)).toEqual([finals[0]!.lastWordEndMs, finals[1]!.lastWordEndMs]);
  // Order within the first utterance: started → interim → final → utterance_end, before the second starts.
  const firstEnd = kinds.indexOf('utterance_end');
  expect(kinds.slice(0, firstEnd + 1).filter((k) => k !== 'interim')).toEqual(['speech_started', 'final', 'utterance_end']);
  expect(ofType(h.events, 'status')).toHaveLength(0);
});

test('sends KeepAlive during silence so the stream survives the idle timeout', async () => {
  await dg.restart({ idleTimeoutMs: 500 });
  const h = dg.harness({ keepAliveMs: 150 });
  const s = dg.open(h);
  await waitFor(() => dg.standIn.connections.length === 1, 3000, 'connected');
  await stream(buildAudio([{ silenceMs: 100 }]), (c) => s.sendAudio(c));
  await new Promise((r) => setTimeout(r, 1400));
  expect(dg.standIn.connections).toHaveLength(1);
  expect(dg.standIn.connections[0]!.closed).toBeNull();
  expect(dg.standIn.connections[0]!.keepAlives).toBeGreaterThanOrEqual(6);
  expect(s.stats().keepAlivesSent).toBe(dg.standIn.connections[0]!.keepAlives);
  expect(h.events).toEqual([]);
});

test('check() settles a 404 on /v1/projects (self-hosted) with a short live connection', async () => {
  await dg.restart({ projectsApi: false });
  expect(await dg.harness().provider.check()).toEqual({ ok: true });
  expect(await dg.harness({ apiKey: 'wrong-key' }).provider.check()).toEqual({ ok: false, reason: 'DEEPGRAM_API_KEY was rejected (401): check the key', retryable: false });
  expect(dg.standIn.attempts.map((a) => a.status)).toEqual([101, 401]);
  await waitFor(() => dg.standIn.connections[0]!.closed !== null, 1000, 'probe closed');
  expect(dg.standIn.connections[0]!.closeStreams).toBe(1);
});

test('without KeepAlive the idle stream is closed (1011 NET-0001), reported, and reconnected', async () => {
  await dg.restart({ idleTimeoutMs: 300 });
  const h = dg.harness({ keepAliveMs: 9000, retry: { initialMs: 20 } });
  dg.open(h);
  await waitFor(() => ofType(h.events, 'status').length === 2, 3000, 'down and up');
  expect(ofType(h.events, 'status')).toEqual([
    { type: 'status', available: false, reason: expect.stringMatching(/^closed 1011: NET-0001/) },
    { type: 'status', available: true, reason: 'reconnected' },
  ]);
});

test('a ws:// DEEPGRAM_URL serves both the check and the stream', async () => {
  const h = dg.harness({ baseUrl: dg.standIn.url.replace('http:', 'ws:') });
  expect(await h.provider.check()).toEqual({ ok: true });
  dg.open(h);
  await waitFor(() => dg.standIn.connections.length === 1, 3000, 'connected');
});

test('check() against a closed port reports Deepgram unreachable (retryable)', async () => {
  const server = http.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  await new Promise((r) => server.close(r));
  // SDK quirk: when fetch fails, its request timer (timeoutInSeconds, here connectTimeoutMs) is not
  // cleared and keeps the process alive until it fires; keep it short so jest exits promptly.
  const provider = new DeepgramSttProvider({ apiKey: 'k', baseUrl: `http://127.0.0.1:${port}`, connectTimeoutMs: 300 });
  const result = await provider.check();
  expect(result).toMatchObject({ ok: false, retryable: true });
  expect(!result.ok && result.reason).toMatch(new RegExp(`^Deepgram unreachable at http://127.0.0.1:${port}: `));
});

test('close() sends Finalize, delivers the from_finalize result, sends CloseStream; idempotent', async () => {
  dg.standIn.script(['ألم في الصدر']);
  const h = dg.harness();
  const s = dg.open(h);
  // Speech still in progress (less silence than the 300 ms endpointing).
  await stream(buildAudio([{ silenceMs: 100 }, { toneMs: 500 }, { silenceMs: 100 }]), (c) => s.sendAudio(c));
  await waitFor(() => dg.standIn.received(0).length === 11_200, 3000, 'audio received');
  const started = performance.now();
  const first = s.close();
  const second = s.close();
  expect(second).toBe(first);
  await first;
  dg.record('close with from_finalize', performance.now() - started);
  expect(ofType(h.events, 'final')).toEqual([{ type: 'final', text: 'ألم في الصدر', confidence: expect.any(Number), speechFinal: false, lastWordEndMs: 600 }]);
  await waitFor(() => dg.standIn.connections[0]!.closed !== null, 1000, 'closed');
  expect(dg.standIn.connections[0]).toMatchObject({ finalizes: 1, closeStreams: 1, closed: { code: 1000 } });
  s.sendAudio(new Int16Array(320));
  await s.close();
  expect(s.stats().samplesIn).toBe(11_200);
});
