import { ElevenLabsStandIn } from '../../../test/stand-ins/elevenlabs';
import { isAbortError, isSpeechError } from '../errors';
import type { TtsChunk } from '../tts';
import { ElevenLabsTtsProvider, type ElevenLabsTtsInit } from './elevenlabs-tts';

// The real SDK, over real HTTP, against a local stand-in of ElevenLabs' API.

const VOICE = 'JBFqnCBsd6RMkjVDRZzb';
const QUESTION = 'هل تشعر بألم في الصدر؟';

let standIn: ElevenLabsStandIn;
const providers: ElevenLabsTtsProvider[] = [];

beforeEach(async () => {
  standIn = await ElevenLabsStandIn.start();
});

afterEach(async () => {
  await Promise.all(providers.splice(0).map((provider) => provider.close()));
  await standIn.close();
});

function provider(options: Partial<ElevenLabsTtsInit> = {}): ElevenLabsTtsProvider {
  const created = new ElevenLabsTtsProvider({
    apiKey: standIn.options.apiKey,
    voiceId: VOICE,
    baseUrl: standIn.url,
    // Short: the SDK leaves a timer of this length behind each aborted request.
    firstByteTimeoutMs: 500,
    ...options,
  });
  providers.push(created);
  return created;
}

async function collect(chunks: AsyncIterable<TtsChunk>): Promise<{ bytes: Uint8Array; chunks: number }> {
  const parts: Uint8Array[] = [];
  for await (const chunk of chunks) {
    if (chunk.encoding !== 'mulaw') throw new Error(`expected μ-law, got ${chunk.encoding}`);
    expect(chunk.sampleRateHz).toBe(8000);
    expect(chunk.fallback).toBeUndefined();
    parts.push(chunk.bytes);
  }
  return { bytes: Buffer.concat(parts), chunks: parts.length };
}

async function failure(chunks: AsyncIterable<TtsChunk>): Promise<unknown> {
  try {
    for await (const _ of chunks) {
      // drain
    }
  } catch (error) {
    return error;
  }
  throw new Error('expected the synthesis to fail');
}

test('asks for ulaw_8000 from the streaming endpoint with the voice, model, text and key', async () => {
  const tts = provider();
  expect(tts.name).toBe('elevenlabs');
  expect(tts.voice).toBe(VOICE);
  const { bytes } = await collect(tts.synthesize(QUESTION));
  expect(standIn.requests).toHaveLength(1);
  const request = standIn.requests[0]!;
  expect(request.method).toBe('POST');
  expect(request.path).toBe(`/v1/text-to-speech/${VOICE}/stream`);
  expect(request.query).toEqual({ output_format: 'ulaw_8000' });
  expect(request.headers['xi-api-key']).toBe(standIn.options.apiKey);
  expect(request.headers['content-type']).toBe('application/json');
  expect(request.body).toEqual({ text: QUESTION, model_id: 'eleven_multilingual_v2' });
  // Bit-exact: what the stand-in sent is what the provider yielded.
  expect(Buffer.from(bytes).equals(Buffer.from(standIn.audioFor(QUESTION)))).toBe(true);
});

test('a language code and another model are passed on when configured', async () => {
  await collect(provider({ modelId: 'eleven_flash_v2_5', languageCode: 'ar' }).synthesize('نعم'));
  expect(standIn.requests[0]!.body).toEqual({ text: 'نعم', model_id: 'eleven_flash_v2_5', language_code: 'ar' });
});

test('chunks are yielded as they arrive, long before the last one is sent', async () => {
  await standIn.close();
  standIn = await ElevenLabsStandIn.start({ chunks: 4, chunkDelayMs: 150 });
  const tts = provider();
  const yieldedAtMs: number[] = [];
  const parts: Uint8Array[] = [];
  for await (const chunk of tts.synthesize(QUESTION)) {
    yieldedAtMs.push(performance.now());
    if (chunk.encoding === 'mulaw') parts.push(chunk.bytes);
  }
  const sent = standIn.sent[0]!;
  expect(sent.chunks).toHaveLength(4);
  const lastSentAtMs = sent.chunks[3]!.atMs;
  // The last chunk leaves the stand-in ≥ 450 ms after the first; the first must be in our hands
  // well before that (generous slack for a loaded machine).
  expect(yieldedAtMs[0]!).toBeLessThan(lastSentAtMs - 250);
  expect(yieldedAtMs[0]! - sent.chunks[0]!.atMs).toBeLessThan(200);
  expect(Buffer.concat(parts).equals(Buffer.from(standIn.audioFor(QUESTION)))).toBe(true);
});

test('a rejected key is TTS_UNAUTHORIZED, not retryable, and the message names the reason but not the key', async () => {
  const error = await failure(provider({ apiKey: 'wrong-key' }).synthesize(QUESTION));
  expect(isSpeechError(error, 'TTS_UNAUTHORIZED')).toBe(true);
  expect((error as { retryable: boolean }).retryable).toBe(false);
  expect((error as Error).message).toContain('invalid_api_key');
  expect((error as Error).message).not.toContain('wrong-key');
});

test.each([500, 503, 429])('HTTP %i is TTS_UNAVAILABLE, retryable, reported at once without the SDK retrying', async (status) => {
  standIn.failNext(1, status);
  const startedAtMs = performance.now();
  const error = await failure(provider().synthesize(QUESTION));
  expect(isSpeechError(error, 'TTS_UNAVAILABLE')).toBe(true);
  expect((error as { retryable: boolean }).retryable).toBe(true);
  expect((error as Error).message).toContain(String(status));
  expect(standIn.requests).toHaveLength(1);
  expect(performance.now() - startedAtMs).toBeLessThan(800); // the SDK's first retry waits ≥ 1 s
});

test('an unknown voice is TTS_REQUEST_REJECTED', async () => {
  await standIn.close();
  standIn = await ElevenLabsStandIn.start({ voices: ['someone-else'] });
  const error = await failure(provider().synthesize(QUESTION));
  expect(isSpeechError(error, 'TTS_REQUEST_REJECTED')).toBe(true);
  expect((error as Error).message).toContain('voice_not_found');
});

test.each([
  ['headers late', false],
  ['headers at once, audio late', true],
])('no audio within firstByteTimeoutMs (%s) is TTS_TIMEOUT, and the request is dropped', async (_, headersFirst) => {
  standIn.firstByteDelayMs = 2000;
  standIn.headersBeforeDelay = headersFirst;
  const startedAtMs = performance.now();
  const error = await failure(provider({ firstByteTimeoutMs: 150 }).synthesize(QUESTION));
  expect(isSpeechError(error, 'TTS_TIMEOUT')).toBe(true);
  expect((error as { retryable: boolean }).retryable).toBe(true);
  expect(performance.now() - startedAtMs).toBeLessThan(1500);
});

test('a stream that stalls between chunks is TTS_TIMEOUT after idleTimeoutMs', async () => {
  await standIn.close();
  standIn = await ElevenLabsStandIn.start({ chunks: 3, chunkDelayMs: 2000 });
  const tts = provider({ idleTimeoutMs: 150 });
  let chunks = 0;
  let caught: unknown;
  try {
    for await (const _ of tts.synthesize(QUESTION)) chunks++;
  } catch (error) {
    caught = error;
  }
  expect(chunks).toBe(1);
  expect(isSpeechError(caught, 'TTS_TIMEOUT')).toBe(true);
});

test('time the consumer spends between chunks does not count against the vendor', async () => {
  const tts = provider({ idleTimeoutMs: 100 });
  const parts: Uint8Array[] = [];
  for await (const chunk of tts.synthesize(QUESTION)) {
    if (chunk.encoding === 'mulaw') parts.push(chunk.bytes);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  expect(Buffer.concat(parts).equals(Buffer.from(standIn.audioFor(QUESTION)))).toBe(true);
});

test('a connection cut mid-stream is TTS_UNAVAILABLE after the audio already yielded', async () => {
  await standIn.close();
  standIn = await ElevenLabsStandIn.start({ chunks: 4, chunkDelayMs: 30 });
  standIn.cutAfterChunks = 2;
  const tts = provider();
  let chunks = 0;
  let caught: unknown;
  try {
    for await (const _ of tts.synthesize(QUESTION)) chunks++;
  } catch (error) {
    caught = error;
  }
  expect(chunks).toBeGreaterThanOrEqual(1);
  expect(isSpeechError(caught, 'TTS_UNAVAILABLE')).toBe(true);
});

test('aborting mid-stream rejects with an AbortError and drops the connection', async () => {
  await standIn.close();
  standIn = await ElevenLabsStandIn.start({ chunks: 4, chunkDelayMs: 100 });
  const controller = new AbortController();
  let chunks = 0;
  let caught: unknown;
  try {
    for await (const _ of provider().synthesize(QUESTION, controller.signal)) {
      chunks++;
      controller.abort();
    }
  } catch (error) {
    caught = error;
  }
  expect(chunks).toBe(1);
  expect(isAbortError(caught)).toBe(true);
  await waitFor(() => standIn.sent[0]?.cut === true);
});

test('an abort while waiting for the first byte rejects with an AbortError; an aborted signal sends nothing', async () => {
  standIn.firstByteDelayMs = 2000;
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 50);
  expect(isAbortError(await failure(provider().synthesize(QUESTION, controller.signal)))).toBe(true);
  const requests = standIn.requests.length;
  expect(isAbortError(await failure(provider().synthesize(QUESTION, AbortSignal.abort())))).toBe(true);
  expect(standIn.requests).toHaveLength(requests);
});

test('a consumer that stops early drops the connection', async () => {
  await standIn.close();
  standIn = await ElevenLabsStandIn.start({ chunks: 4, chunkDelayMs: 100 });
  for await (const _ of provider().synthesize(QUESTION)) break;
  await waitFor(() => standIn.sent[0]?.cut === true);
});

test('close() cuts a running synthesis with TTS_CLOSED, refuses new ones, and is idempotent', async () => {
  standIn.firstByteDelayMs = 2000;
  const tts = provider();
  const running = failure(tts.synthesize(QUESTION));
  await waitFor(() => standIn.requests.length === 1);
  await tts.close();
  await tts.close();
  expect(isSpeechError(await running, 'TTS_CLOSED')).toBe(true);
  expect(isSpeechError(await failure(tts.synthesize(QUESTION)), 'TTS_CLOSED')).toBe(true);
});

test('empty text yields nothing and sends nothing; too long text is TTS_INVALID_TEXT', async () => {
  const tts = provider({ maxTextLength: 10 });
  expect((await collect(tts.synthesize('  '))).chunks).toBe(0);
  expect(isSpeechError(await failure(tts.synthesize('x'.repeat(11))), 'TTS_INVALID_TEXT')).toBe(true);
  expect(standIn.requests).toHaveLength(0);
});

test('invalid options are TTS_INVALID_OPTIONS', () => {
  const valid = { apiKey: 'k', voiceId: 'v' };
  for (const bad of [
    { ...valid, apiKey: '' },
    { ...valid, voiceId: ' ' },
    { ...valid, baseUrl: 'api.elevenlabs.io' },
    { ...valid, firstByteTimeoutMs: 0 },
    { ...valid, idleTimeoutMs: Number.NaN },
  ]) {
    expect(() => new ElevenLabsTtsProvider(bad)).toThrow(expect.objectContaining({ code: 'TTS_INVALID_OPTIONS' }));
  }
});

async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
