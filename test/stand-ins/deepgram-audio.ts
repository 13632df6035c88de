import { prng } from '../helpers/prng';
/**
 * Test audio for the Deepgram stand-in and its clients: 16 kHz PCM16 mono built from tone or
 * noise bursts separated by silence, cut into 20 ms chunks.
 */
export const RATE_HZ = 16_000;
export const FRAME_SAMPLES = 320; // 20 ms

export type Segment = { silenceMs: number } | { toneMs: number; hz?: number; amplitude?: number } | { noiseMs: number; seed?: number };

const samplesOf = (ms: number): number => Math.round((ms * RATE_HZ) / 1000);

export { prng } from '../helpers/prng';

/** Concatenates segments into one signal. */
export function buildAudio(segments: readonly Segment[]): Int16Array {
  const total = segments.reduce((sum, s) => sum + samplesOf('silenceMs' in s ? s.silenceMs : 'toneMs' in s ? s.toneMs : s.noiseMs), 0);
  const out = new Int16Array(total);
  let at = 0;
  for (const segment of segments) {
    if ('silenceMs' in segment) {
      at += samplesOf(segment.silenceMs);
    } else if ('toneMs' in segment) {
      const n = samplesOf(segment.toneMs);
      const hz = segment.hz ?? 440;
      const amplitude = segment.amplitude ?? 8000;
      for (let i = 0; i < n; i++) out[at + i] = Math.round(amplitude * Math.sin((2 * Math.PI * hz * i) / RATE_HZ));
      at += n;
    } else {
      const n = samplesOf(segment.noiseMs);
      const random = prng(segment.seed ?? 1);
      for (let i = 0; i < n; i++) out[at + i] = Math.round((random() * 2 - 1) * 12000);
      at += n;
    }
  }
  return out;
}

/** Views of `audio` in 20 ms chunks (the last one may be shorter). */
export function chunks(audio: Int16Array, size = FRAME_SAMPLES): Int16Array[] {
  const out: Int16Array[] = [];
  for (let at = 0; at < audio.length; at += size) out.push(audio.subarray(at, at + size));
  return out;
}

/** Joins sample arrays. */
export function concat(parts: readonly Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((sum, p) => sum + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Root mean square of a frame. */
export function rms(frame: Int16Array): number {
  let sum = 0;
  for (const x of frame) sum += x * x;
  return frame.length === 0 ? 0 : Math.sqrt(sum / frame.length);
}

/**
 * Feeds `audio` to `send` in 20 ms chunks through a reused buffer (as the inbound transcoder
 * does), either in real time (`realTime`) or as fast as the event loop allows, yielding every
 * `yieldEvery` chunks. `onChunk(i)` runs before chunk i is sent.
 */
export async function stream(
  audio: Int16Array,
  send: (chunk: Int16Array) => void,
  options: { realTime?: boolean; yieldEvery?: number; onChunk?: (index: number, atMs: number) => void } = {},
): Promise<void> {
  const reused = new Int16Array(FRAME_SAMPLES);
  const started = performance.now();
  const parts = chunks(audio);
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    options.onChunk?.(i, (i * FRAME_SAMPLES * 1000) / RATE_HZ);
    const view = reused.subarray(0, part.length);
    view.set(part);
    send(view);
    view.fill(0x5555); // the caller reuses its buffer: a stream that kept a reference would send garbage
    if (options.realTime) {
      const due = started + ((i + 1) * FRAME_SAMPLES * 1000) / RATE_HZ;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    } else if ((i + 1) % (options.yieldEvery ?? 10) === 0) {
      await new Promise((r) => setImmediate(r));
    }
  }
}
