import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import fsPromises from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { WaveFile } from 'wavefile';
import { decodeMulaw } from '../audio/mulaw';
import { sineInt16 } from '../audio/testing/spectrum';
import { isAbortError } from './errors';
import { PromptCache, type PromptCacheOptions } from './prompt-cache';
import { peakFrequencyHz } from './testing/audio-metrics';
import { FakeTtsProvider } from './testing/fake-tts';
import { ResamplerDesigns } from './to-telephone';

const designs = new ResamplerDesigns();
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'prompt-cache-'));
});

afterEach(async () => {
  jest.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

function cacheWith(provider: FakeTtsProvider, options: Partial<PromptCacheOptions> = {}): PromptCache {
  return new PromptCache({ provider, dir, designs, ...options });
}

const QUESTION = 'هل تشعر بألم في الصدر؟'; // 22 characters → 1.32 s of tone from the fake

test('a fresh render is 8 kHz μ-law whole frames of the synthesized audio, stored on disk', async () => {
  const tts = new FakeTtsProvider();
  const cache = cacheWith(tts);
  expect(cache.get(QUESTION)).toBeUndefined();
  const { audio, source } = await cache.render(QUESTION);
  expect(source).toBe('fresh');
  expect(audio.length % 160).toBe(0);
  expect(audio.length).toBe(Math.ceil((tts.durationMsOf(QUESTION) * 8) / 160) * 160);
  expect(Math.abs(peakFrequencyHz(decodeMulaw(audio), 8000) - 1000)).toBeLessThan(5);
  const file = cache.fileOf(QUESTION);
  expect(path.basename(file)).toMatch(/^[0-9a-f]{64}\.ulaw$/);
  expect((await readFile(file)).equals(audio)).toBe(true);
  expect(await readdir(dir)).toEqual([path.basename(file)]); // no temporary files left behind
});

test('the second render comes from memory, and get() is a synchronous hit', async () => {
  const tts = new FakeTtsProvider();
  const cache = cacheWith(tts);
  const first = await cache.render(QUESTION);
  const second = await cache.render(QUESTION);
  expect(second.source).toBe('memory');
  expect(second.audio).toBe(first.audio);
  expect(cache.get(QUESTION)).toBe(first.audio);
  expect(tts.calls).toBe(1);
});

test('a new cache over the same directory reads from disk without synthesizing', async () => {
  const first = await cacheWith(new FakeTtsProvider()).render(QUESTION);
  const tts = new FakeTtsProvider();
  const cache = cacheWith(tts);
  expect(cache.get(QUESTION)).toBeUndefined(); // disk is never read on the hot path
  const second = await cache.render(QUESTION);
  expect(second.source).toBe('disk');
  expect(Buffer.from(second.audio).equals(first.audio)).toBe(true);
  expect(tts.calls).toBe(0);
  expect(cache.get(QUESTION)).toBe(second.audio);
});

test('the key covers provider and voice: another voice renders its own audio', async () => {
  await cacheWith(new FakeTtsProvider({ voice: 'a' })).render(QUESTION);
  const other = new FakeTtsProvider({ voice: 'b' });
  const cache = cacheWith(other);
  expect((await cache.render(QUESTION)).source).toBe('fresh');
  expect(other.calls).toBe(1);
  expect(cacheWith(new FakeTtsProvider({ name: 'x', voice: 'a' })).keyOf(QUESTION)).not.toBe(
    cacheWith(new FakeTtsProvider({ voice: 'a' })).keyOf(QUESTION),
  );
  expect((await readdir(dir)).length).toBe(2);
});

test('concurrent renders of one text share one synthesis', async () => {
  const tts = new FakeTtsProvider({ chunkDelayMs: 10 });
  const cache = cacheWith(tts);
  const results = await Promise.all(Array.from({ length: 5 }, () => cache.render(QUESTION)));
  expect(tts.calls).toBe(1);
  for (const result of results) expect(result.audio).toBe(results[0]!.audio);
});

test('writes go to a temporary file in the same directory, then are renamed into place', async () => {
  const rename = jest.spyOn(fsPromises, 'rename');
  const cache = cacheWith(new FakeTtsProvider());
  await cache.render(QUESTION);
  expect(rename).toHaveBeenCalledTimes(1);
  const [from, to] = rename.mock.calls[0]!.map(String);
  expect(to).toBe(cache.fileOf(QUESTION));
  expect(path.dirname(from!)).toBe(dir);
  expect(path.basename(from!)).toMatch(/^\..*\.tmp$/);
});

test('a failed write leaves no file, reports the error, and still returns the audio', async () => {
  jest.spyOn(fsPromises, 'rename').mockRejectedValueOnce(new Error('disk full'));
  const errors: unknown[] = [];
  const cache = cacheWith(new FakeTtsProvider(), { onDiskError: (error) => errors.push(error) });
  const { source, audio } = await cache.render(QUESTION);
  expect(source).toBe('fresh');
  expect(audio.length).toBeGreaterThan(0);
  expect(errors).toEqual([expect.objectContaining({ message: 'disk full' })]);
  expect(await readdir(dir)).toEqual([]);
});

test.each([
  ['short', 100],
  ['empty', 0],
  ['not whole frames', 161],
])('a %s cache file is ignored and rendered again', async (_name, size) => {
  const probe = cacheWith(new FakeTtsProvider());
  await writeFile(path.join(dir, path.basename(probe.fileOf(QUESTION))), new Uint8Array(size).fill(0x55));
  const tts = new FakeTtsProvider();
  const errors: unknown[] = [];
  const cache = cacheWith(tts, { onDiskError: (error) => errors.push(error) });
  const { source, audio } = await cache.render(QUESTION);
  expect(source).toBe('fresh');
  expect(tts.calls).toBe(1);
  expect(errors.length).toBe(1);
  expect((await readFile(cache.fileOf(QUESTION))).equals(audio)).toBe(true); // replaced
});

test('warm renders each distinct text once and reports where each came from', async () => {
  const texts = ['نعم', 'لا', 'نعم', 'كم عمرك؟'];
  const tts = new FakeTtsProvider();
  const cache = cacheWith(tts);
  const first = await cache.warm(texts);
  expect(first).toMatchObject({ fresh: 3, disk: 0, memory: 0 });
  expect(first.ms).toBeGreaterThanOrEqual(0);
  expect(await cache.warm(texts)).toMatchObject({ fresh: 0, disk: 0, memory: 3 });
  expect(tts.calls).toBe(3);
  for (const text of texts) expect(cache.get(text)).toBeDefined();
  const restarted = new FakeTtsProvider();
  expect(await cacheWith(restarted).warm(texts)).toMatchObject({ fresh: 0, disk: 3, memory: 0 });
  expect(restarted.calls).toBe(0);
});

test('warm renders what it can and then rejects, naming how many failed', async () => {
  const tts = new FakeTtsProvider({ failFor: (text) => (text === 'bad' ? new Error('engine down') : undefined) });
  const cache = cacheWith(tts);
  await expect(cache.warm(['good', 'bad', 'fine'])).rejects.toMatchObject({
    code: 'PROMPT_RENDER_FAILED',
    message: expect.stringContaining('1 of 3'),
  });
  expect(cache.get('good')).toBeDefined();
  expect(cache.get('fine')).toBeDefined();
  expect(cache.get('bad')).toBeUndefined();
});

test('an aborted render rejects its caller; the shared synthesis still fills the cache', async () => {
  const tts = new FakeTtsProvider({ chunkDelayMs: 20 });
  const cache = cacheWith(tts);
  const controller = new AbortController();
  const aborted = cache.render(QUESTION, { signal: controller.signal });
  const other = cache.render(QUESTION);
  controller.abort();
  expect(isAbortError(await aborted.catch((e: unknown) => e))).toBe(true);
  expect((await other).source).toBe('fresh');
  expect(cache.get(QUESTION)).toBeDefined();
  expect(tts.calls).toBe(1);
});

test('memory is bounded: least recently used prompts leave memory but stay on disk', async () => {
  const tts = new FakeTtsProvider({ msPerChar: 100 }); // 'aaaa' → 400 ms → 3200 bytes
  const cache = cacheWith(tts, { maxMemoryBytes: 7000 });
  await cache.render('aaaa');
  await cache.render('bbbb');
  cache.get('aaaa'); // now 'bbbb' is the least recently used
  await cache.render('cccc');
  expect(cache.get('bbbb')).toBeUndefined();
  expect(cache.get('aaaa')).toBeDefined();
  expect(cache.get('cccc')).toBeDefined();
  expect((await cache.render('bbbb')).source).toBe('disk');
});

describe('recorded prompts', () => {
  async function writeWav(name: string, build: (wav: WaveFile) => void): Promise<string> {
    const wav = new WaveFile();
    build(wav);
    const file = path.join(dir, name);
    await writeFile(file, wav.toBuffer());
    return file;
  }

  test('a 44.1 kHz stereo WAV becomes 8 kHz μ-law frames of the same duration', async () => {
    const rateHz = 44100;
    const left = sineInt16({ frequencyHz: 1000, sampleRateHz: rateHz, length: rateHz * 1.5, amplitude: 12000 });
    const right = sineInt16({ frequencyHz: 1000, sampleRateHz: rateHz, length: rateHz * 1.5, amplitude: 4000 });
    const file = await writeWav('consent.wav', (w) => w.fromScratch(2, rateHz, '16', [left, right]));
    const cache = cacheWith(new FakeTtsProvider());
    const loaded = await cache.loadRecording('consent', file);
    expect(loaded).toEqual({ durationMs: 1500, bytes: 12000 });
    const audio = cache.get('any text', 'consent')!;
    expect(audio.length).toBe(12000); // 1.5 s × 8000, exactly 75 frames
    const decoded = decodeMulaw(audio);
    expect(Math.abs(peakFrequencyHz(decoded, 8000) - 1000)).toBeLessThan(5);
    // Channels are averaged: (12000 + 4000) / 2 = 8000 peak.
    const peak = decoded.subarray(1000, 11000).reduce((m, s) => Math.max(m, Math.abs(s)), 0);
    expect(peak).toBeGreaterThan(7500);
    expect(peak).toBeLessThan(8500);
  });

  test('a recording wins over TTS for its key; other keys still get TTS', async () => {
    const tts = new FakeTtsProvider();
    const cache = cacheWith(tts);
    const tts1 = await cache.render(QUESTION);
    const file = await writeWav('q1.wav', (w) =>
      w.fromScratch(1, 16000, '16', sineInt16({ frequencyHz: 500, sampleRateHz: 16000, length: 8000, amplitude: 8000 })),
    );
    await cache.loadRecording('q1', file);
    expect(cache.hasRecording('q1')).toBe(true);
    const recorded = cache.get(QUESTION, 'q1')!;
    expect(recorded).not.toBe(tts1.audio);
    expect(Math.abs(peakFrequencyHz(decodeMulaw(recorded), 8000) - 500)).toBeLessThan(5);
    expect(cache.get(QUESTION, 'q2')).toBe(tts1.audio);
    expect(cache.get(QUESTION)).toBe(tts1.audio);
    await expect(cache.render('never synthesized', { recordingKey: 'q1' })).resolves.toEqual({
      audio: recorded,
      source: 'recording',
    });
    expect(tts.calls).toBe(1);
  });

  test.each([
    [
      '8 kHz μ-law',
      (w: WaveFile) => {
        w.fromScratch(1, 8000, '16', new Int16Array(4000).fill(-1000));
        w.toMuLaw();
      },
      4000,
      -1000,
    ],
    ['11.025 kHz 8-bit', (w: WaveFile) => w.fromScratch(1, 11025, '8', new Uint8Array(11025).fill(192)), 8000, 16384],
    ['48 kHz 24-bit', (w: WaveFile) => w.fromScratch(1, 48000, '24', new Int32Array(24000).fill(100000)), 4000, 391],
    ['22.05 kHz float', (w: WaveFile) => w.fromScratch(1, 22050, '32f', new Float64Array(22050).fill(-0.25)), 8000, -8192],
  ])('reads %s at the right length and level', async (_name, build, bytes, level) => {
    const file = await writeWav('format.wav', build);
    const cache = cacheWith(new FakeTtsProvider());
    expect((await cache.loadRecording('k', file)).bytes).toBe(bytes);
    const decoded = decodeMulaw(cache.get('', 'k')!);
    expect(decoded.length).toBe(bytes);
    // A constant level passes the resampler unchanged; μ-law keeps it within its step size.
    expect(Math.abs(decoded[bytes / 2]! - level)).toBeLessThanOrEqual(Math.abs(level) * 0.04);
  });

  test('a file that is not a WAV is refused with an error naming it', async () => {
    const file = path.join(dir, 'broken.wav');
    await writeFile(file, 'this is not audio');
    const cache = cacheWith(new FakeTtsProvider());
    await expect(cache.loadRecording('k', file)).rejects.toMatchObject({
      code: 'PROMPT_RECORDING_INVALID',
      message: expect.stringContaining(file),
    });
    expect(cache.hasRecording('k')).toBe(false);
  });

  test('a missing file is refused with an error naming it', async () => {
    const file = path.join(dir, 'missing.wav');
    await expect(cacheWith(new FakeTtsProvider()).loadRecording('k', file)).rejects.toMatchObject({
      code: 'PROMPT_RECORDING_INVALID',
      message: expect.stringContaining(file),
    });
  });
});

describe('renderForCall: only static prompts are kept', () => {
  test('text not declared static by warm is synthesized each time and kept neither in memory nor on disk', async () => {
    const tts = new FakeTtsProvider();
    const cache = cacheWith(tts);
    await cache.warm([QUESTION]);
    const readBack = 'قلت ثمانية وثلاثون فاصلة خمسة';
    const first = await cache.renderForCall(readBack);
    expect(first.source).toBe('fresh');
    expect(first.audio.length).toBeGreaterThan(0);
    expect(cache.get(readBack)).toBeUndefined();
    expect(cache.isStatic(readBack)).toBe(false);
    expect((await cache.renderForCall(readBack)).source).toBe('fresh');
    expect(tts.texts.filter((t) => t === readBack)).toHaveLength(2);
    expect(await readdir(dir)).toEqual([path.basename(cache.fileOf(QUESTION))]);
  });

  test('a static prompt comes from the cache, from disk once memory has let it go', async () => {
    const tts = new FakeTtsProvider();
    const cache = cacheWith(tts, { maxMemoryBytes: 0 });
    await cache.warm([QUESTION]);
    expect(cache.isStatic(QUESTION)).toBe(true);
    expect((await cache.renderForCall(QUESTION)).source).toBe('disk');
    expect(tts.calls).toBe(1);
  });
});
