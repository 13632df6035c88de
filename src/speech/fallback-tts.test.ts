import { SpeechError, isAbortError, isSpeechError } from './errors';
import { FallbackTtsProvider, type FallbackTtsInit } from './fallback-tts';
import { FakeTtsProvider } from './testing/fake-tts';
import type { TtsChunk, TtsProvider } from './tts';

const TEXT = 'هل أخذت الدواء اليوم؟';

function fallbackOf(primary: TtsProvider, options: Partial<FallbackTtsInit> = {}) {
  const fallback = new FakeTtsProvider({ name: 'espeak', voice: 'ar', frequencyHz: 500 });
  const errors: unknown[] = [];
  const tts = new FallbackTtsProvider({
    primary,
    fallback,
    primaryCooldownMs: 0,
    onFallback: (error) => errors.push(error),
    ...options,
  });
  return { tts, fallback, errors };
}

async function drain(chunks: AsyncIterable<TtsChunk>): Promise<{ chunks: TtsChunk[]; error: unknown }> {
  const seen: TtsChunk[] = [];
  try {
    for await (const chunk of chunks) seen.push(chunk);
  } catch (error) {
    return { chunks: seen, error };
  }
  return { chunks: seen, error: undefined };
}

/** Yields `before` chunks of the fake's audio, then fails with `error`. */
function failingAfter(before: number, error: Error): TtsProvider {
  const fake = new FakeTtsProvider({ name: 'elevenlabs', voice: 'v1', chunks: 4 });
  return {
    name: fake.name,
    voice: fake.voice,
    async *synthesize(text, signal) {
      let n = 0;
      for await (const chunk of fake.synthesize(text, signal)) {
        if (n++ === before) throw error;
        yield chunk;
      }
    },
    close: () => fake.close(),
  };
}

const outage = () => new SpeechError('TTS_UNAVAILABLE', 'HTTP 503');

test('takes name and voice from the primary, whose healthy audio passes through unmarked', async () => {
  const primary = new FakeTtsProvider({ name: 'elevenlabs', voice: 'v1' });
  const { tts, fallback, errors } = fallbackOf(primary);
  expect([tts.name, tts.voice]).toEqual(['elevenlabs', 'v1']);
  const { chunks, error } = await drain(tts.synthesize(TEXT));
  expect(error).toBeUndefined();
  expect(chunks).toHaveLength(3);
  expect(chunks.every((chunk) => chunk.fallback === undefined)).toBe(true);
  expect(fallback.calls).toBe(0);
  expect(errors).toEqual([]);
});

test('a primary failing before its first chunk is replaced by the fallback, whose chunks are marked', async () => {
  const { tts, fallback, errors } = fallbackOf(failingAfter(0, outage()));
  const { chunks, error } = await drain(tts.synthesize(TEXT));
  expect(error).toBeUndefined();
  expect(fallback.texts).toEqual([TEXT]);
  expect(chunks).toHaveLength(3);
  expect(chunks.every((chunk) => chunk.fallback === true)).toBe(true);
  const samples = chunks.reduce((sum, chunk) => sum + (chunk.encoding === 'pcm16' ? chunk.samples.length : 0), 0);
  expect(samples).toBe(fallback.samplesOf(TEXT));
  expect(errors).toHaveLength(1);
  expect(isSpeechError(errors[0], 'TTS_UNAVAILABLE')).toBe(true);
});

test('a primary failing mid-stream ends the stream with its error: no second voice spliced in', async () => {
  const { tts, fallback, errors } = fallbackOf(failingAfter(2, outage()));
  const { chunks, error } = await drain(tts.synthesize(TEXT));
  expect(chunks).toHaveLength(2);
  expect(isSpeechError(error, 'TTS_UNAVAILABLE')).toBe(true);
  expect(fallback.calls).toBe(0);
  expect(errors).toEqual([]);
});

test('an abort never starts the fallback', async () => {
  const primary = new FakeTtsProvider({ name: 'elevenlabs', chunkDelayMs: 50 });
  const { tts, fallback } = fallbackOf(primary);
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 10);
  const { error } = await drain(tts.synthesize(TEXT, controller.signal));
  expect(isAbortError(error)).toBe(true);
  expect(fallback.calls).toBe(0);
});

test('when both fail, the fallback error is what the stream ends with', async () => {
  const primary = failingAfter(0, outage());
  const { tts, fallback } = fallbackOf(primary);
  fallback.options.failFor = () => new SpeechError('TTS_SYNTHESIS_FAILED', 'no voice');
  const { error } = await drain(tts.synthesize(TEXT));
  expect(isSpeechError(error, 'TTS_SYNTHESIS_FAILED')).toBe(true);
});

test('after a failure the primary rests for primaryCooldownMs, then is asked again', async () => {
  let failing = true;
  const primary = new FakeTtsProvider({ name: 'elevenlabs', failFor: () => (failing ? outage() : undefined) });
  let nowMs = 0;
  const { tts, fallback, errors } = fallbackOf(primary, { primaryCooldownMs: 100, now: () => nowMs });
  await drain(tts.synthesize(TEXT));
  nowMs = 99;
  const during = await drain(tts.synthesize(TEXT));
  expect(primary.calls).toBe(1); // skipped during the cool-down
  expect(fallback.calls).toBe(2);
  expect(during.chunks.every((chunk) => chunk.fallback === true)).toBe(true);
  expect(errors).toHaveLength(2);
  failing = false;
  nowMs = 100;
  const after = await drain(tts.synthesize(TEXT));
  expect(primary.calls).toBe(2);
  expect(after.chunks.every((chunk) => chunk.fallback === undefined)).toBe(true);
});

test('close() closes both providers once, and later syntheses are TTS_CLOSED', async () => {
  const primary = new FakeTtsProvider({ name: 'elevenlabs' });
  const { tts, fallback } = fallbackOf(primary);
  await Promise.all([tts.close(), tts.close()]);
  await tts.close();
  expect([primary.closeCalls, fallback.closeCalls]).toEqual([1, 1]);
  expect(isSpeechError((await drain(tts.synthesize(TEXT))).error, 'TTS_CLOSED')).toBe(true);
});

test('a negative cool-down is TTS_INVALID_OPTIONS', () => {
  const primary = new FakeTtsProvider();
  expect(() => fallbackOf(primary, { primaryCooldownMs: -1 })).toThrow(
    expect.objectContaining({ code: 'TTS_INVALID_OPTIONS' }),
  );
});

test('hold() holds the primary only, and is a no-op for a primary with nothing to hold', () => {
  const held: string[] = [];
  const holding = (name: string): TtsProvider => ({
    ...new FakeTtsProvider({ name, voice: 'v' }),
    synthesize: () => (async function* () {})(),
    close: async () => {},
    hold: () => {
      held.push(name);
      return () => held.push(`${name} released`);
    },
  });
  const tts = new FallbackTtsProvider({ primary: holding('primary'), fallback: holding('fallback') });
  tts.hold()();
  expect(held).toEqual(['primary', 'primary released']);
  const plain = new FallbackTtsProvider({ primary: new FakeTtsProvider({ name: 'elevenlabs', voice: 'v' }), fallback: holding('fallback') });
  expect(() => plain.hold()()).not.toThrow();
  expect(held).toEqual(['primary', 'primary released']);
});
