/**
 * Streaming 8 → 16 kHz half-band interpolator: the inbound path to speech recognition.
 *
 * With K distinct coefficients (see halfband-design.ts) and input x, the outputs are
 *   y[2n]     = Σₖ gₖ · (x[n − K + 1 − k] + x[n − K + k])   k = 1…K (the filtering branch)
 *   y[2n + 1] = x[n − K + 1]                                (the pure-delay branch)
 * so n input samples give exactly 2n output samples, and the signal inside them is delayed by
 * 2K − 1 output samples (29 with the default K = 15, 1.8125 ms: the same as the polyphase
 * resampler this replaces). `flush()` emits that tail.
 *
 * Exactness: coefficients are integers Gₖ = gₖ · 2^24 and inputs are int16, so every partial
 * sum is an integer below 2^41, exact in a float64 whatever the order of the additions. Output
 * y[2n] = round-half-up(Σ Gₖ·(…) / 2^24) (ties, where the fraction is exactly ½, go towards
 * +∞, as Math.round does), then saturated to [−32768, 32767]: ringing on full-scale square
 * waves would otherwise wrap. The odd outputs are input samples, never rounded or clipped.
 * Each output depends only on the input stream, never on how it was cut into chunks.
 *
 * Cost: 15 multiply-adds per pair of outputs, run by a shared kernel (halfband-kernel.ts:
 * WebAssembly SIMD where available, TypeScript otherwise, bit-identical). The stream's state is
 * its last 2K − 1 inputs, copied into the kernel's scratch around each block of at most
 * HALFBAND_BLOCK inputs, so no call allocates whatever its size (`process` and `flush` excepted).
 */
import { AudioError } from './errors';
import { designHalfband, type HalfbandDesign } from './halfband-design';
import { createHalfbandKernel, HALFBAND_BLOCK, type HalfbandKernel } from './halfband-kernel';
import { decodeMulawSample } from './mulaw';

/** μ-law code → PCM16 value as a float64 (the G.711 table, widened once at load). */
const MULAW_TO_FLOAT: Float64Array = Float64Array.from({ length: 256 }, (_, code) => decodeMulawSample(code));

let defaultKernel: HalfbandKernel | null = null;

/**
 * The default design's kernel, made on first use. A kernel holds no stream state, so sharing it
 * is sharing a function; the composition root still makes its own and passes it in.
 */
function sharedDefaultKernel(): HalfbandKernel {
  defaultKernel ??= createHalfbandKernel(designHalfband());
  return defaultKernel;
}

/** What a call needs from its 8 → 16 kHz converter: μ-law in, PCM16 out, state kept across frames. */
export interface InboundUpsampler {
  /** Most samples one call can write for `inputLength` inputs. */
  maxOutputLength(inputLength: number): number;
  /** Decodes `length` μ-law bytes (default: all of `codes`) and upsamples them into the start of `output`; returns samples written. */
  processMulawInto(codes: Uint8Array, output: Int16Array, length?: number): number;
}

export class HalfbandUpsampler implements InboundUpsampler {
  readonly design: HalfbandDesign;
  /** This stream's last 2K − 1 inputs (zeros before the first). */
  private readonly history: Float64Array;
  private inputCount = 0;

  constructor(private readonly kernel: HalfbandKernel = sharedDefaultKernel()) {
    this.design = kernel.design;
    this.history = new Float64Array(2 * kernel.design.halfLength - 1);
  }

  /** Which kernel runs the filter ('simd' or 'scalar'). */
  get kernelKind(): HalfbandKernel['kind'] {
    return this.kernel.kind;
  }

  get inputRateHz(): number {
    return this.design.inputRateHz;
  }

  get outputRateHz(): number {
    return this.design.outputRateHz;
  }

  /** Constant group delay in output samples (2K − 1: 29 by default). */
  get delayOutputSamples(): number {
    return this.design.delayOutputSamples;
  }

  maxOutputLength(inputLength: number): number {
    return 2 * inputLength;
  }

  /**
   * Upsamples PCM16 `input` into the start of `output`; returns 2 × input.length.
   * @throws AudioError AUDIO_OUTPUT_TOO_SMALL when `output` holds fewer than 2 × input.length samples.
   */
  processInto(input: Int16Array, output: Int16Array): number {
    const n = input.length;
    this.checkOutput(n, output);
    const work = this.kernel.work;
    const history = this.history.length;
    for (let done = 0; done < n; ) {
      const count = Math.min(HALFBAND_BLOCK, n - done);
      for (let i = 0; i < count; i++) work[history + i] = input[done + i]!;
      this.runBlock(count, output, 2 * done);
      done += count;
    }
    this.inputCount += n;
    return 2 * n;
  }

  /**
   * μ-law decode and upsample in one pass (the decoded 8 kHz samples are never stored apart):
   * bit-identical to decodeMulawInto followed by processInto.
   * @throws AudioError AUDIO_OUTPUT_TOO_SMALL when `output` holds fewer than 2 × length samples.
   */
  processMulawInto(codes: Uint8Array, output: Int16Array, length = codes.length): number {
    const n = Math.min(length, codes.length);
    this.checkOutput(n, output);
    const work = this.kernel.work;
    const history = this.history.length;
    const table = MULAW_TO_FLOAT;
    for (let done = 0; done < n; ) {
      const count = Math.min(HALFBAND_BLOCK, n - done);
      for (let i = 0; i < count; i++) work[history + i] = table[codes[done + i]!]!;
      this.runBlock(count, output, 2 * done);
      done += count;
    }
    this.inputCount += n;
    return 2 * n;
  }

  /** Allocating convenience form of {@link processInto}. Not for the per-frame path. */
  process(input: Int16Array): Int16Array {
    const output = new Int16Array(2 * input.length);
    this.processInto(input, output);
    return output;
  }

  /**
   * Ends the stream: returns the delayed tail (the last inputs' response, fed with silence:
   * 2K − 1 samples) and resets. Allocates; call once per stream.
   */
  flush(): Int16Array {
    if (this.inputCount === 0) return new Int16Array(0);
    const tail = this.process(new Int16Array(this.design.halfLength)).subarray(0, this.delayOutputSamples);
    this.reset();
    return tail;
  }

  /** Forgets all history: the next sample starts a new stream. */
  reset(): void {
    this.history.fill(0);
    this.inputCount = 0;
  }

  /** The block's inputs are already in work after the history: bring the history, run, keep the new one. */
  private runBlock(count: number, output: Int16Array, at: number): void {
    const work = this.kernel.work;
    const history = this.history;
    const h = history.length;
    for (let i = 0; i < h; i++) work[i] = history[i]!;
    this.kernel.run(count, output, at);
    for (let i = 0; i < h; i++) history[i] = work[count + i]!;
  }

  private checkOutput(inputLength: number, output: Int16Array): void {
    if (output.length < 2 * inputLength) {
      throw new AudioError(
        'AUDIO_OUTPUT_TOO_SMALL',
        `output holds ${output.length} samples, a ${inputLength}-sample chunk makes ${2 * inputLength}`,
      );
    }
  }
}
