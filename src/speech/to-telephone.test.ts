import { decodeMulaw, encodeMulaw } from '../audio/mulaw';
import { levelDb, sineInt16, toneAmplitude } from '../audio/testing/spectrum';
import { peakFrequencyHz } from './testing/audio-metrics';
import {
  FRAME_BYTES,
  ResamplerDesigns,
  TelephoneEncoder,
  framesOf,
  padToFrames,
  renderTelephoneAudio,
  toTelephoneAudio,
} from './to-telephone';
import type { TtsChunk } from './tts';

const designs = new ResamplerDesigns();

async function* pcmChunks(samples: Int16Array, sampleRateHz: number, chunkLength: number): AsyncGenerator<TtsChunk> {
  for (let offset = 0; offset < samples.length; offset += chunkLength) {
    yield { encoding: 'pcm16', sampleRateHz, samples: samples.subarray(offset, offset + chunkLength) };
  }
}

async function collect(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const part of stream) parts.push(part);
  return Buffer.concat(parts);
}

function framesFor(seconds: number): number {
  return Math.ceil(Math.round(seconds * 8000) / FRAME_BYTES) * FRAME_BYTES;
}

test.each([22050, 16000, 24000])('a 1 kHz tone at %i Hz becomes 8 kHz μ-law peaking at 1 kHz', async (rateHz) => {
  const seconds = 1.3;
  const tone = sineInt16({ frequencyHz: 1000, sampleRateHz: rateHz, length: Math.round(seconds * rateHz), amplitude: 10000 });
  const audio = await renderTelephoneAudio(pcmChunks(tone, rateHz, Math.round(rateHz / 50)), designs);
  expect(audio.length).toBe(framesFor(seconds));
  const decoded = decodeMulaw(audio);
  expect(Math.abs(peakFrequencyHz(decoded, 8000) - 1000)).toBeLessThan(5);
  // Level kept within 0.5 dB (passband is flat; μ-law adds only quantization noise).
  const middle = { start: 2000, length: 8000 };
  expect(Math.abs(levelDb(toneAmplitude(decoded, 8000, 1000, middle), 10000))).toBeLessThan(0.5);
});

test('output does not depend on how the synthesis was chunked', async () => {
  const rateHz = 22050;
  const tone = sineInt16({ frequencyHz: 440, sampleRateHz: rateHz, length: rateHz, amplitude: 12000 });
  const whole = await collect(toTelephoneAudio(pcmChunks(tone, rateHz, tone.length), designs));
  const small = await collect(toTelephoneAudio(pcmChunks(tone, rateHz, 441), designs));
  const odd = await collect(toTelephoneAudio(pcmChunks(tone, rateHz, 997), designs));
  expect(whole.length).toBe(8000);
  expect(small.equals(whole)).toBe(true);
  expect(odd.equals(whole)).toBe(true);
});

test('the filter delay is removed: a tone starting at 250 ms starts at sample 2000', async () => {
  const rateHz = 22050;
  const silence = new Int16Array(5513); // 250.0 ms
  const tone = sineInt16({ frequencyHz: 1000, sampleRateHz: rateHz, length: rateHz / 2, amplitude: 16000 });
  const input = new Int16Array(silence.length + tone.length);
  input.set(tone, silence.length);
  const decoded = decodeMulaw(await collect(toTelephoneAudio(pcmChunks(input, rateHz, 441), designs)));
  const onset = decoded.findIndex((s) => Math.abs(s) > 4000);
  expect(Math.abs(onset - 2000)).toBeLessThanOrEqual(3);
});

test('μ-law chunks pass through unchanged; 8 kHz PCM is only encoded', async () => {
  const bytes = Uint8Array.from({ length: 480 }, (_, i) => (i * 37) & 0xff);
  async function* mulaw(): AsyncGenerator<TtsChunk> {
    yield { encoding: 'mulaw', sampleRateHz: 8000, bytes: bytes.subarray(0, 200) };
    yield { encoding: 'mulaw', sampleRateHz: 8000, bytes: bytes.subarray(200) };
  }
  expect((await collect(toTelephoneAudio(mulaw()))).equals(bytes)).toBe(true);

  const pcm = sineInt16({ frequencyHz: 700, sampleRateHz: 8000, length: 800, amplitude: 9000 });
  const encoded = await collect(toTelephoneAudio(pcmChunks(pcm, 8000, 160)));
  expect(encoded.equals(encodeMulaw(pcm))).toBe(true);
});

test('a change of rate mid-stream flushes the resampler before the next part', () => {
  const encoder = new TelephoneEncoder(designs);
  const tone = sineInt16({ frequencyHz: 1000, sampleRateHz: 22050, length: 22050, amplitude: 9000 });
  const first = encoder.push({ encoding: 'pcm16', sampleRateHz: 22050, samples: tone });
  const mulaw = new Uint8Array(160).fill(0x7f);
  const second = encoder.push({ encoding: 'mulaw', sampleRateHz: 8000, bytes: mulaw });
  expect(first.length + second.length).toBe(8000 + 160);
  expect(Buffer.from(second.subarray(second.length - 160)).equals(mulaw)).toBe(true);
  expect(encoder.end().length).toBe(0);
});

test('framesOf gives whole 160-byte frames, the last padded with μ-law silence', () => {
  const bytes = Uint8Array.from({ length: 400 }, (_, i) => i & 0x7f);
  const frames = framesOf(bytes);
  expect(frames.map((f) => f.length)).toEqual([160, 160, 160]);
  expect(frames[0]!.buffer).toBe(bytes.buffer); // views, not copies
  expect([...frames[2]!.subarray(0, 80)]).toEqual([...bytes.subarray(320)]);
  expect(frames[2]!.subarray(80).every((b) => b === 0xff)).toBe(true);
  expect(framesOf(bytes.subarray(0, 320)).length).toBe(2);
  expect(framesOf(new Uint8Array(0))).toEqual([]);
});

test('padToFrames pads with 0xFF only when needed', () => {
  const exact = new Uint8Array(320);
  expect(padToFrames(exact)).toBe(exact);
  const padded = padToFrames(new Uint8Array(161));
  expect(padded.length).toBe(320);
  expect(padded[160]).toBe(0);
  expect(padded.subarray(161).every((b) => b === 0xff)).toBe(true);
});
