import { waitFor } from '../../../test/helpers/wait';
import { buildAudio, concat, stream } from '../../../test/stand-ins/deepgram-audio';
import { ofType, useDeepgramStandIn } from '../../../test/stand-ins/deepgram-harness';

/** The real SDK against the local Deepgram stand-in: lost connections, retries, buffering, a rejected key. */
const dg = useDeepgramStandIn();
const FRAME_MS = 20;

test('a drop mid-answer: audio buffered during the outage, utterance still transcribed on the call clock', async () => {
  dg.standIn.script(['نعم']);
  const h = dg.harness();
  const s = dg.open(h);
  await waitFor(() => dg.standIn.connections.length === 1, 3000, 'connected');
  let droppedAt = 0;
  // Speech 400–1600 ms; the connection drops at 800 ms and upgrades are refused for 300 ms more.
  const audio = buildAudio([{ silenceMs: 400 }, { toneMs: 1200 }, { silenceMs: 1500 }]);
  await stream(audio, (c) => s.sendAudio(c), {
    realTime: true,
    onChunk: (_i, atMs) => {
      if (atMs === 800) {
        droppedAt = performance.now();
        dg.standIn.refuseConnections({ forMs: 300 });
        dg.standIn.dropConnections(1011);
      }
    },
  });
  await waitFor(() => ofType(h.events, 'utterance_end').length === 1, 4000, 'utterance end');
  const statuses = ofType(h.events, 'status');
  expect(statuses).toEqual([
    { type: 'status', available: false, reason: expect.stringContaining('1011') },
    { type: 'status', available: true, reason: 'reconnected' },
  ]);
  const final = ofType(h.events, 'final')[0]!;
  expect(final).toMatchObject({ text: 'نعم', speechFinal: true });
  expect(Math.abs(final.lastWordEndMs! - 1600)).toBeLessThanOrEqual(FRAME_MS);
  // The first connection heard the answer begin (interims only); the second one finished it.
  expect(dg.standIn.sentOfType(0, 'Results').length).toBeGreaterThan(0);
  expect(dg.standIn.sentOfType(0, 'Results').every((m) => m.is_final === false)).toBe(true);
  const started = ofType(h.events, 'speech_started').map((e) => e.atMs);
  expect(started[0]).toBe(400);
  expect(started[1]).toBeGreaterThanOrEqual(800); // the new connection's t=0 is ≥ 800 ms on the call clock
  expect(started[1]).toBeLessThan(1600);
  // Everything sent reached Deepgram exactly once, in order, across the two connections.
  const last = dg.standIn.connections.length - 1;
  expect(last).toBe(1);
  await waitFor(() => dg.standIn.received(0).length + dg.standIn.received(1).length === audio.length, 2000, 'all audio');
  expect(Buffer.from(concat([dg.standIn.received(0), dg.standIn.received(last)]).buffer).equals(Buffer.from(audio.buffer))).toBe(true);
  expect(s.stats()).toMatchObject({ samplesDropped: 0, samplesIn: audio.length });
  expect(h.reconnects[h.reconnects.length - 1]).toBe('success');
  dg.record('outage incl. 300 ms refusal', dg.standIn.connections[last]!.openedAt - droppedAt);
});

test('the audio received is bit-exact across a plain drop and reconnect', async () => {
  const h = dg.harness();
  const s = dg.open(h);
  await waitFor(() => dg.standIn.connections.length === 1, 3000, 'connected');
  const audio = buildAudio([{ noiseMs: 3000, seed: 42 }]);
  let droppedAt = 0;
  await stream(audio, (c) => s.sendAudio(c), {
    yieldEvery: 5,
    onChunk: (i) => {
      if (i === 40) {
        droppedAt = performance.now();
        dg.standIn.dropConnections(1011);
      }
    },
  });
  await waitFor(() => dg.standIn.connections.length === 2 && dg.standIn.received(0).length + dg.standIn.received(1).length === audio.length, 4000, 'all audio');
  dg.record('reconnect after drop', dg.standIn.connections[1]!.openedAt - droppedAt);
  expect(Buffer.from(concat([dg.standIn.received(0), dg.standIn.received(1)]).buffer).equals(Buffer.from(audio.buffer))).toBe(true);
  expect(dg.standIn.received(0).length).toBeGreaterThan(0);
});

test('bit-exact with permessage-deflate negotiated (ws may then queue the caller\'s buffer: we copy)', async () => {
  await dg.restart({ perMessageDeflate: true });
  const h = dg.harness();
  const s = dg.open(h);
  await waitFor(() => dg.standIn.connections.length === 1, 3000, 'connected');
  const audio = buildAudio([{ noiseMs: 2000, seed: 9 }]);
  await stream(audio, (c) => s.sendAudio(c), { yieldEvery: 25 });
  await waitFor(() => dg.standIn.received(0).length === audio.length, 3000, 'all audio');
  expect(Buffer.from(dg.standIn.received(0).buffer).equals(Buffer.from(audio.buffer))).toBe(true);
});

test('an outage longer than bufferMs drops the oldest audio, counts it, and keeps times continuous', async () => {
  dg.standIn.script(['لا']);
  const h = dg.harness({ bufferMs: 200 });
  const s = dg.open(h);
  await waitFor(() => dg.standIn.connections.length === 1, 3000, 'connected');
  dg.standIn.refuseConnections();
  dg.standIn.dropConnections(1011);
  await waitFor(() => ofType(h.events, 'status').length === 1, 2000, 'down');
  const during = buildAudio([{ noiseMs: 1000, seed: 3 }]);
  await stream(during, (c) => s.sendAudio(c));
  await waitFor(() => dg.standIn.attempts.some((a) => a.status === 503), 2000, 'a refused retry');
  dg.standIn.restore();
  await waitFor(() => ofType(h.events, 'status').length === 2, 3000, 'up');
  const after = buildAudio([{ silenceMs: 100 }, { toneMs: 400 }, { silenceMs: 1400 }]);
  await stream(after, (c) => s.sendAudio(c));
  await waitFor(() => ofType(h.events, 'final').length === 1, 3000, 'final');
  const stats = s.stats();
  expect(stats.samplesDropped).toBe(during.length - 3200);
  const last = dg.standIn.connections.length - 1;
  await waitFor(() => dg.standIn.received(last).length === 3200 + after.length, 2000, 'all audio');
  expect(Buffer.from(dg.standIn.received(last).buffer).equals(Buffer.from(concat([during.subarray(-3200), after]).buffer))).toBe(true);
  // The tone ends 500 ms into `after`, which starts 1000 ms into the call (dropped audio counts).
  expect(Math.abs(ofType(h.events, 'final')[0]!.lastWordEndMs! - 1500)).toBeLessThanOrEqual(FRAME_MS);
});

test('refused for a while: retries with growing backoff, one down and one up status, then streams', async () => {
  dg.standIn.refuseConnections({ mode: 'http-503' });
  const h = dg.harness({ retry: { initialMs: 40, factor: 2, maxMs: 320, jitter: 'none' } });
  dg.open(h);
  await new Promise((r) => setTimeout(r, 900));
  dg.standIn.restore();
  await waitFor(() => ofType(h.events, 'status').length === 2, 3000, 'reconnected');
  expect(ofType(h.events, 'status').map((e) => [e.available, e.reason])).toEqual([
    [false, 'HTTP 503 at the upgrade'],
    [true, 'reconnected'],
  ]);
  const refused = dg.standIn.attempts.filter((a) => a.status === 503);
  expect(refused.length).toBeGreaterThanOrEqual(4);
  const gaps = refused.slice(1).map((a, i) => a.at - refused[i]!.at);
  for (const [i, gap] of gaps.entries()) expect(gap).toBeGreaterThanOrEqual(0.9 * Math.min(320, 40 * 2 ** i));
  expect(gaps[gaps.length - 1]!).toBeGreaterThan(gaps[0]! * 2);
  expect(h.reconnects).toEqual([...Array(refused.length - 1).fill('failure'), 'success']);
  expect(h.connects.map(([, o]) => o)).toEqual([...Array(refused.length).fill('error'), 'ok']);
});

test('a connect timeout counts as one and is retried', async () => {
  dg.standIn.refuseConnections({ mode: 'hang', forMs: 250 });
  const h = dg.harness({ connectTimeoutMs: 150, retry: { initialMs: 20, jitter: 'none' } });
  dg.open(h);
  await waitFor(() => h.connects.some(([, o]) => o === 'ok'), 3000, 'connected');
  expect(h.connects[0]![1]).toBe('timeout');
  expect(h.connects[0]![0]).toBeGreaterThanOrEqual(0.14);
  expect(ofType(h.events, 'status').map((e) => e.available)).toEqual([false, true]);
});

test('a rejected key: one unauthorized error, no retry, no status flapping; check() says so', async () => {
  const h = dg.harness({ apiKey: 'wrong-key', retry: { initialMs: 20 } });
  dg.open(h);
  await waitFor(() => h.events.length > 0, 3000, 'error');
  await new Promise((r) => setTimeout(r, 300));
  expect(h.events).toEqual([{ type: 'error', code: 'unauthorized', message: expect.stringContaining('401'), retryable: false }]);
  expect(dg.standIn.attempts.map((a) => a.status)).toEqual([401]);
  expect(await h.provider.check()).toEqual({ ok: false, reason: 'DEEPGRAM_API_KEY was rejected (401): check the key', retryable: false });
  expect(await dg.harness().provider.check()).toEqual({ ok: true });
});

test('close() while retrying cancels the retries', async () => {
  dg.standIn.refuseConnections();
  const h = dg.harness({ retry: { initialMs: 30, jitter: 'none' } });
  const s = dg.open(h);
  await waitFor(() => dg.standIn.attempts.length >= 2, 3000, 'retrying');
  await s.close();
  const attempts = dg.standIn.attempts.length;
  await new Promise((r) => setTimeout(r, 300));
  expect(dg.standIn.attempts.length).toBe(attempts);
});

test('a server that accepts and drops at once is retried with growing delays, not in a tight loop', async () => {
  dg.standIn.refuseConnections({ mode: 'accept-and-close', forMs: 700 });
  const h = dg.harness({ retry: { initialMs: 40, factor: 2, maxMs: 320, jitter: 'none' } });
  dg.open(h);
  await waitFor(() => dg.standIn.connections.length === 1, 3000, 'a lasting connection');
  const flaps = dg.standIn.attempts.length - 1;
  expect(flaps).toBeGreaterThanOrEqual(3);
  expect(flaps).toBeLessThanOrEqual(6); // 40 + 80 + 160 + 320 + 320 ms cover the 700 ms
  const gaps = dg.standIn.attempts.slice(1).map((a, i) => a.at - dg.standIn.attempts[i]!.at);
  expect(gaps[gaps.length - 1]!).toBeGreaterThan(gaps[0]! * 2);
});
