/**
 * Cuts a stream of arbitrary-length chunks into fixed-size frames (by default 160 μ-law bytes:
 * 20 ms at 8 kHz), keeping the remainder for the next chunk.
 *
 * Frames are fresh arrays the caller owns (they are usually queued for playout), so input
 * buffers can be reused as soon as `push` returns.
 */
import { AudioError } from './errors';
import { MULAW_SILENCE } from './mulaw';

/** 20 ms at 8 kHz, one byte per μ-law sample. */
export const MULAW_FRAME_BYTES = 160;

type SampleArray = Uint8Array | Int16Array;

export interface FrameAccumulatorOptions<T extends SampleArray> {
  /** Samples (elements of T) per frame. */
  frameLength: number;
  /** Value used to pad the last frame: 0xFF for μ-law, 0 for PCM. */
  silence: number;
  /** Makes a new zeroed array of T (e.g. `(n) => new Uint8Array(n)`). */
  allocate: (length: number) => T;
}

export class FrameAccumulator<T extends SampleArray> {
  readonly frameLength: number;
  private readonly silence: number;
  private readonly allocate: (length: number) => T;
  /** The incomplete frame being filled; `filled` elements are valid. */
  private partial: T;
  private filled = 0;

  constructor(options: FrameAccumulatorOptions<T>) {
    if (!Number.isInteger(options.frameLength) || options.frameLength < 1) {
      throw new AudioError('AUDIO_INVALID_OPTIONS', `frameLength must be a positive integer`);
    }
    this.frameLength = options.frameLength;
    this.silence = options.silence;
    this.allocate = options.allocate;
    this.partial = options.allocate(options.frameLength);
  }

  /** Elements held back, waiting for the rest of their frame. */
  get pendingLength(): number {
    return this.filled;
  }

  /** Appends a chunk and returns every frame it completes, in order (possibly none). */
  push(chunk: T): T[] {
    const frames: T[] = [];
    const size = this.frameLength;
    let read = 0;
    if (this.filled > 0) {
      const take = Math.min(size - this.filled, chunk.length);
      this.partial.set(chunk.subarray(0, take), this.filled);
      this.filled += take;
      read = take;
      if (this.filled < size) return frames;
      frames.push(this.partial);
      this.partial = this.allocate(size);
      this.filled = 0;
    }
    while (chunk.length - read >= size) {
      const frame = this.allocate(size);
      frame.set(chunk.subarray(read, read + size));
      frames.push(frame);
      read += size;
    }
    if (read < chunk.length) {
      this.partial.set(chunk.subarray(read));
      this.filled = chunk.length - read;
    }
    return frames;
  }

  /**
   * Ends the stream. With `padWithSilence`, returns the remainder as a full frame padded with
   * silence; without, returns just the remainder (shorter than a frame). Returns null when
   * nothing is pending. Afterwards the accumulator is empty.
   */
  flush(padWithSilence: boolean): T | null {
    if (this.filled === 0) return null;
    const pending = this.filled;
    this.filled = 0;
    if (padWithSilence) {
      const frame = this.partial;
      frame.fill(this.silence, pending);
      this.partial = this.allocate(this.frameLength);
      return frame;
    }
    const rest = this.allocate(pending);
    rest.set(this.partial.subarray(0, pending));
    return rest;
  }

  /** Drops anything pending (e.g. on barge-in). */
  clear(): void {
    this.filled = 0;
  }
}

/** Frames of μ-law bytes, padded with 0xFF (μ-law silence). Default 160 bytes = 20 ms. */
export function createMulawFramer(frameBytes = MULAW_FRAME_BYTES): FrameAccumulator<Uint8Array> {
  return new FrameAccumulator({
    frameLength: frameBytes,
    silence: MULAW_SILENCE,
    allocate: (n) => new Uint8Array(n),
  });
}

/** Frames of PCM16 samples, padded with 0. E.g. 320 samples = 20 ms at 16 kHz. */
export function createPcm16Framer(frameSamples: number): FrameAccumulator<Int16Array> {
  return new FrameAccumulator({ frameLength: frameSamples, silence: 0, allocate: (n) => new Int16Array(n) });
}
