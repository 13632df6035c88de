import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ElevenLabsStandIn } from '../../../test/stand-ins/elevenlabs';
import { decodeMulaw } from '../../audio/mulaw';
import { isSpeechError } from '../errors';
import { FallbackTtsProvider } from '../fallback-tts';
import { PromptCache } from '../prompt-cache';
import { peakFrequencyHz } from '../testing/audio-metrics';
import { FakeTtsProvider } from '../testing/fake-tts';
import { ResamplerDesigns, padToFrames } from '../to-telephone';
import type { TtsChunk } from '../tts';
import { ElevenLabsTtsProvider } from './elevenlabs-tts';

// ElevenLabs (the real SDK against the local stand-in) with a fake embedded voice behind it.

const VOICE = 'JBFqnCBsd6RMkjVDRZzb';
const QUESTION = 'هل تشعر بضيق في التنفس؟';
const designs = new ResamplerDesigns();

let standIn: ElevenLabsStandIn;
let dir: string;
let tts: FallbackTtsProvider;
let fallback: FakeTtsProvider;
let fallbackErrors: unknown[];

beforeEach(async () => {
  standIn = await ElevenLabsStandIn.start({ frequencyHz: 440 });
  dir = await mkdtemp(path.join(os.tmpdir(), 'elevenlabs-fallback-'));
  fallback = new FakeTtsProvider({ name: 'espeak', voice: 'ar', frequencyHz: 1000 });
  fallbackErrors = [];
  const primary = new ElevenLabsTtsProvider({
    apiKey: standIn.options.apiKey,
    voiceId: VOICE,
    baseUrl: standIn.url,
    firstByteTimeoutMs: 200,
  });
  tts = new FallbackTtsProvider({
    primary,
    fallback,
    primaryCooldownMs: 0,
    onFallback: (error) => fallbackErrors.push(error),
  });
});

afterEach(async () => {
  await tts.close();
  await standIn.close();
  await rm(dir, { recursive: true, force: true });
});

async function drain(chunks: AsyncIterable<TtsChunk>): Promise<TtsChunk[]> {
  const seen: TtsChunk[] = [];
  for await (const chunk of chunks) seen.push(chunk);
  return seen;
}

test('ElevenLabs answering 500: the fallback speaks the same text, marked', async () => {
  standIn.failNext(1, 500);
  const chunks = await drain(tts.synthesize(QUESTION));
  expect(fallback.texts).toEqual([QUESTION]);
  expect(chunks.length).toBeGreaterThan(0);
  expect(chunks.every((chunk) => chunk.fallback === true && chunk.encoding === 'pcm16')).toBe(true);
  expect(fallbackErrors).toHaveLength(1);
  expect(isSpeechError(fallbackErrors[0], 'TTS_UNAVAILABLE')).toBe(true);
});

test('ElevenLabs slower to its first byte than the timeout: the fallback speaks instead', async () => {
  standIn.firstByteDelayMs = 2000;
  const startedAtMs = performance.now();
  const chunks = await drain(tts.synthesize(QUESTION));
  expect(performance.now() - startedAtMs).toBeLessThan(1500);
  expect(chunks.every((chunk) => chunk.fallback === true)).toBe(true);
  expect(isSpeechError(fallbackErrors[0], 'TTS_TIMEOUT')).toBe(true);
});

test('healthy ElevenLabs: its μ-law passes through unmarked and the fallback is not used', async () => {
  const chunks = await drain(tts.synthesize(QUESTION));
  expect(chunks.every((chunk) => chunk.encoding === 'mulaw' && chunk.fallback === undefined)).toBe(true);
  expect(fallback.calls).toBe(0);
});

test('PromptCache: a fallback render is played but not kept; the next render asks ElevenLabs and caches its audio', async () => {
  const cache = new PromptCache({ provider: tts, dir, designs });
  standIn.failNext(1, 503);

  const first = await cache.render(QUESTION);
  expect(first).toMatchObject({ source: 'fresh', fallback: true });
  expect(Math.abs(peakFrequencyHz(decodeMulaw(first.audio), 8000) - 1000)).toBeLessThan(5); // the fallback's tone
  expect(cache.get(QUESTION)).toBeUndefined();
  expect(await readdir(dir).catch(() => [])).toEqual([]);

  const second = await cache.render(QUESTION);
  expect(standIn.requests).toHaveLength(2);
  expect(second.source).toBe('fresh');
  expect(second.fallback).toBeUndefined();
  const expected = padToFrames(standIn.audioFor(QUESTION));
  expect(Buffer.from(second.audio).equals(Buffer.from(expected))).toBe(true);
  expect((await readFile(cache.fileOf(QUESTION))).equals(Buffer.from(expected))).toBe(true);

  expect(await cache.render(QUESTION)).toMatchObject({ source: 'memory' });
  expect(standIn.requests).toHaveLength(2);
  expect(fallback.calls).toBe(1);
});

test('PromptCache.warm counts fallback renders, which a later warm renders again', async () => {
  const cache = new PromptCache({ provider: tts, dir, designs });
  const texts = [QUESTION, 'نعم', 'لا'];
  standIn.failNext(3, 500);
  expect(await cache.warm(texts)).toMatchObject({ fresh: 3, fallback: 3, memory: 0 });
  expect(await cache.warm(texts)).toMatchObject({ fresh: 3, fallback: 0, memory: 0 });
  expect(await cache.warm(texts)).toMatchObject({ fresh: 0, fallback: 0, memory: 3 });
});
