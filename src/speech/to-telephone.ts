import { MULAW_SILENCE, encodeMulawInto } from '../audio/mulaw';
import { StreamingResampler } from '../audio/resampler';
import { type ResamplerDesign, designResampler } from '../audio/resampler-design';
import type { TtsChunk } from './tts';

/**
 * TTS audio to what the phone line carries: 8 kHz μ-law, sent in 20 ms frames of 160 bytes.
 * PCM16 at any rate is resampled by a streaming resampler (one per synthesis) and encoded;
 * μ-law at 8 kHz passes through untouched.
 */
export const TELEPHONE_RATE_HZ = 8000;
/** 20 ms of 8 kHz μ-law. */
export const FRAME_BYTES = 160;

const EMPTY = new Uint8Array(0);

/**
 * Resampler filter banks by input rate (designing the 22,050 Hz one takes ~10 ms): create one
 * in the composition root and share it, so each synthesis only allocates a little state.
 */
export class ResamplerDesigns {
  private readonly byRate = new Map<number, ResamplerDesign>();

  forInputRate(inputRateHz: number): ResamplerDesign {
    let design = this.byRate.get(inputRateHz);
    if (!design) {
      design = designResampler({ inputRateHz, outputRateHz: TELEPHONE_RATE_HZ });
      this.byRate.set(inputRateHz, design);
    }
    return design;
  }
}

/**
 * One synthesis' worth of conversion: `push` each chunk, then `end` once. The resampler's
 * constant filter delay is removed (its first ⌈delay⌉ output samples are dropped and `end`
 * emits the tail), so n input samples become ≈ n·8000/rate output samples, aligned with the
 * input: a prompt starts at once and is not padded by the filter.
 */
export class TelephoneEncoder {
  private readonly designs: ResamplerDesigns;
  private resampler: StreamingResampler | null = null;
  private skip = 0;
  private scratch = new Int16Array(0);

  constructor(designs: ResamplerDesigns = new ResamplerDesigns()) {
    this.designs = designs;
  }

  /** μ-law bytes for this chunk (possibly empty). The returned array is the caller's to keep. */
  push(chunk: TtsChunk): Uint8Array {
    const rateHz = chunk.encoding === 'mulaw' ? TELEPHONE_RATE_HZ : chunk.sampleRateHz;
    // A change of rate or encoding mid-stream ends the current resampler's stream first.
    const head = this.resampler && this.resampler.inputRateHz !== rateHz ? this.end() : EMPTY;
    let body: Uint8Array;
    if (chunk.encoding === 'mulaw') body = chunk.bytes;
    else if (rateHz === TELEPHONE_RATE_HZ) body = mulawOf(chunk.samples);
    else body = this.resample(chunk.samples, rateHz);
    return head.length === 0 ? body : concatBytes([head, body]);
  }

  /** The resampler's delayed tail as μ-law; the encoder is then ready for a new stream. */
  end(): Uint8Array {
    const resampler = this.resampler;
    if (!resampler) return EMPTY;
    this.resampler = null;
    const tail = this.take(resampler.flush());
    this.skip = 0;
    return mulawOf(tail);
  }

  private resample(samples: Int16Array, rateHz: number): Uint8Array {
    if (!this.resampler) {
      this.resampler = new StreamingResampler(this.designs.forInputRate(rateHz));
      this.skip = Math.ceil(this.resampler.delayOutputSamples);
    }
    const needed = this.resampler.maxOutputLength(samples.length);
    if (this.scratch.length < needed) this.scratch = new Int16Array(needed);
    const written = this.resampler.processInto(samples, this.scratch);
    return mulawOf(this.take(this.scratch.subarray(0, written)));
  }

  /** Drops what is left of the filter delay from the front of `samples`. */
  private take(samples: Int16Array): Int16Array {
    if (this.skip === 0) return samples;
    const dropped = Math.min(this.skip, samples.length);
    this.skip -= dropped;
    return samples.subarray(dropped);
  }
}

function mulawOf(samples: Int16Array): Uint8Array {
  const bytes = new Uint8Array(samples.length);
  encodeMulawInto(samples, bytes);
  return bytes;
}

function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Streams a synthesis as 8 kHz μ-law byte runs (any length; use `framesOf` to frame them). */
export async function* toTelephoneAudio(
  chunks: AsyncIterable<TtsChunk>,
  designs?: ResamplerDesigns,
): AsyncGenerator<Uint8Array, void, undefined> {
  const encoder = new TelephoneEncoder(designs);
  for await (const chunk of chunks) {
    const bytes = encoder.push(chunk);
    if (bytes.length > 0) yield bytes;
  }
  const tail = encoder.end();
  if (tail.length > 0) yield tail;
}

/** A whole synthesis as one μ-law buffer padded to whole frames (what the prompt cache keeps). */
export async function renderTelephoneAudio(
  chunks: AsyncIterable<TtsChunk>,
  designs?: ResamplerDesigns,
): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const bytes of toTelephoneAudio(chunks, designs)) parts.push(bytes);
  return padToFrames(concatBytes(parts));
}

/** `bytes` extended with μ-law silence to a multiple of 160 (the same array when it already is). */
export function padToFrames(bytes: Uint8Array): Uint8Array {
  const remainder = bytes.length % FRAME_BYTES;
  if (remainder === 0) return bytes;
  const padded = new Uint8Array(bytes.length + FRAME_BYTES - remainder).fill(MULAW_SILENCE);
  padded.set(bytes);
  return padded;
}

/**
 * Splits μ-law audio into 160-byte frames: views into `bytes`, except the last, which is padded
 * with μ-law silence (0xFF) when `bytes` does not end on a frame boundary.
 */
export function framesOf(bytes: Uint8Array): Uint8Array[] {
  const frames: Uint8Array[] = [];
  let offset = 0;
  for (; offset + FRAME_BYTES <= bytes.length; offset += FRAME_BYTES) {
    frames.push(bytes.subarray(offset, offset + FRAME_BYTES));
  }
  if (offset < bytes.length) {
    const last = new Uint8Array(FRAME_BYTES).fill(MULAW_SILENCE);
    last.set(bytes.subarray(offset));
    frames.push(last);
  }
  return frames;
}
