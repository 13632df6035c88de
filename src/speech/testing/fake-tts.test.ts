import { toneAmplitude } from '../../audio/testing/spectrum';
import type { TtsChunk } from '../tts';
import { peakFrequencyHz } from './audio-metrics';
import { FakeTtsProvider } from './fake-tts';

async function all(stream: AsyncIterable<TtsChunk>): Promise<{ chunks: TtsChunk[]; samples: Int16Array }> {
  const chunks: TtsChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  const samples = Int16Array.from(chunks.flatMap((c) => (c.encoding === 'pcm16' ? [...c.samples] : [])));
  return { chunks, samples };
}

test('a 1 kHz tone at 16 kHz, 60 ms per character, in 3 chunks with continuous phase', async () => {
  const tts = new FakeTtsProvider();
  const { chunks, samples } = await all(tts.synthesize('abcdefghij'));
  expect(chunks.length).toBe(3);
  for (const chunk of chunks) expect(chunk).toMatchObject({ encoding: 'pcm16', sampleRateHz: 16000 });
  expect(samples.length).toBe(9600); // 600 ms
  expect(Math.abs(peakFrequencyHz(samples, 16000) - 1000)).toBeLessThan(5);
  // Continuous phase: the whole signal is one clean tone at the configured amplitude.
  expect(Math.abs(toneAmplitude(samples, 16000, 1000) - 8000)).toBeLessThan(10);
});

test('duration is capped, deterministic, and calls are counted', async () => {
  const tts = new FakeTtsProvider({ maxMs: 1000 });
  const long = await all(tts.synthesize('x'.repeat(100)));
  const again = await all(tts.synthesize('x'.repeat(100)));
  expect(long.samples.length).toBe(16000);
  expect(again.samples).toEqual(long.samples);
  expect(tts.calls).toBe(2);
  expect(tts.texts).toEqual(['x'.repeat(100), 'x'.repeat(100)]);
});

test('abort rejects with AbortError; failFor makes chosen texts fail; close is counted', async () => {
  const tts = new FakeTtsProvider({ chunkDelayMs: 50, failFor: (t) => (t === 'bad' ? new Error('no') : undefined) });
  const controller = new AbortController();
  const pending = all(tts.synthesize('hello', controller.signal));
  setTimeout(() => controller.abort(), 10);
  await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  await expect(all(tts.synthesize('bad'))).rejects.toThrow('no');
  await tts.close();
  await tts.close();
  expect(tts.closeCalls).toBe(2);
  await expect(all(tts.synthesize('hello'))).rejects.toMatchObject({ code: 'TTS_CLOSED' });
});
