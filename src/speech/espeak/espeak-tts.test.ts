import { monitorEventLoopDelay } from 'node:perf_hooks';
import { isAbortError, isSpeechError } from '../errors';
import { bandEnergyFraction, rms } from '../testing/audio-metrics';
import type { TtsChunk } from '../tts';
import { EspeakTtsProvider } from './espeak-tts';

// The real engine, in a real worker thread. One provider (one worker) for the whole file.
const SENTENCE = 'مرحبا، هذا اتصال من العيادة. هل تشعر بألم في الصدر الآن؟';

let provider: EspeakTtsProvider;

beforeAll(async () => {
  provider = new EspeakTtsProvider({ workers: 1 });
  await provider.start();
}, 30_000);

afterAll(async () => {
  await provider.close();
});

async function synthesizeAll(
  tts: EspeakTtsProvider,
  text: string,
  signal?: AbortSignal,
): Promise<{ chunks: TtsChunk[]; samples: Int16Array; sampleRateHz: number }> {
  const chunks: TtsChunk[] = [];
  for await (const chunk of tts.synthesize(text, signal)) chunks.push(chunk);
  const pcm = chunks.map((c) => (c.encoding === 'pcm16' ? c.samples : new Int16Array(0)));
  const samples = new Int16Array(pcm.reduce((n, s) => n + s.length, 0));
  let offset = 0;
  for (const s of pcm) {
    samples.set(s, offset);
    offset += s.length;
  }
  return { chunks, samples, sampleRateHz: chunks[0]?.sampleRateHz ?? 0 };
}

test('synthesizes Arabic speech: 22,050 Hz PCM16 of plausible length, loudness and spectrum', async () => {
  const { chunks, samples, sampleRateHz } = await synthesizeAll(provider, SENTENCE);
  expect(chunks.length).toBeGreaterThan(1); // yielded in 500 ms chunks
  for (const chunk of chunks) expect(chunk).toMatchObject({ encoding: 'pcm16', sampleRateHz: 22050 });
  const seconds = samples.length / sampleRateHz;
  expect(seconds).toBeGreaterThan(0.5);
  expect(seconds).toBeLessThan(10);
  expect(rms(samples)).toBeGreaterThan(500); // int16 units: speech, not silence or a click
  expect(bandEnergyFraction(samples, sampleRateHz, 100, 4000)).toBeGreaterThan(0.8);
});

test('a short word is short, and the same text gives the same audio', async () => {
  const a = await synthesizeAll(provider, 'نعم');
  const b = await synthesizeAll(provider, 'نعم');
  const seconds = a.samples.length / a.sampleRateHz;
  expect(seconds).toBeGreaterThan(0.2);
  expect(seconds).toBeLessThan(2);
  expect(Buffer.from(b.samples.buffer).equals(Buffer.from(a.samples.buffer))).toBe(true);
});

test('empty text yields no audio without a job', async () => {
  const { chunks } = await synthesizeAll(provider, '   ');
  expect(chunks).toEqual([]);
});

test('the event loop stays responsive while the worker synthesizes', async () => {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  let ticks = 0;
  const interval = setInterval(() => ticks++, 10);
  histogram.enable();
  const started = performance.now();
  try {
    for (let i = 0; i < 3; i++) await synthesizeAll(provider, SENTENCE);
  } finally {
    histogram.disable();
    clearInterval(interval);
  }
  const elapsedMs = performance.now() - started;
  // Loose on purpose (a behaviour check): the engine holds a thread ~100 ms per sentence, so on
  // the main thread this would be ≥ 100 ms.
  expect(histogram.max / 1e6).toBeLessThan(50);
  expect(ticks).toBeGreaterThanOrEqual(Math.floor(elapsedMs / 10 / 2));
});

test('abort: a queued synthesis is dropped and a running one releases its caller', async () => {
  const running = synthesizeAll(provider, SENTENCE);
  const queuedController = new AbortController();
  const queued = synthesizeAll(provider, SENTENCE, queuedController.signal);
  await new Promise((resolve) => setTimeout(resolve, 5));
  expect(provider.stats().queued).toBe(1);
  queuedController.abort();
  expect(isAbortError(await queued.catch((e: unknown) => e))).toBe(true);
  expect(provider.stats().queued).toBe(0);
  expect((await running).samples.length).toBeGreaterThan(0);

  const runningController = new AbortController();
  const aborted = synthesizeAll(provider, SENTENCE.repeat(4), runningController.signal);
  await new Promise((resolve) => setTimeout(resolve, 10));
  runningController.abort();
  await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });
  await expect(synthesizeAll(provider, 'لا', AbortSignal.abort())).rejects.toMatchObject({ name: 'AbortError' });
  // Still usable afterwards.
  expect((await synthesizeAll(provider, 'لا')).samples.length).toBeGreaterThan(0);
});

test('an unknown voice fails with TTS_SYNTHESIS_FAILED carrying the engine message', async () => {
  const other = new EspeakTtsProvider({ voice: 'zzz' });
  try {
    const error = await synthesizeAll(other, 'نعم').catch((e: unknown) => e);
    expect(isSpeechError(error, 'TTS_SYNTHESIS_FAILED')).toBe(true);
    expect((error as Error).message).toMatch(/voice does not exist/);
  } finally {
    await other.close();
  }
});

test('options are validated', () => {
  expect(() => new EspeakTtsProvider({ voice: '-w /etc/passwd' })).toThrow(/voice/);
  expect(() => new EspeakTtsProvider({ workers: 0 })).toThrow(/size/);
  expect(() => new EspeakTtsProvider({ workerScript: '/nowhere/espeak-worker.mjs' })).toThrow('/nowhere/espeak-worker.mjs');
});

test('too long a text is refused before reaching a worker', async () => {
  const small = new EspeakTtsProvider({ maxTextLength: 10 });
  await expect(synthesizeAll(small, 'ا'.repeat(11))).rejects.toMatchObject({ code: 'TTS_INVALID_TEXT' });
  expect(small.stats().started).toBe(0);
  await small.close();
});

test('close fails a running synthesis with TTS_CLOSED, is idempotent, and refuses new work', async () => {
  const local = new EspeakTtsProvider();
  const running = synthesizeAll(local, SENTENCE).catch((e: unknown) => e);
  await new Promise((resolve) => setTimeout(resolve, 20));
  await Promise.all([local.close(), local.close()]);
  expect(await running).toMatchObject({ code: 'TTS_CLOSED' });
  await local.close();
  expect(local.stats().workers).toBe(0);
  await expect(synthesizeAll(local, 'نعم')).rejects.toMatchObject({ code: 'TTS_CLOSED' });
});
