/**
 * Streaming rational polyphase resampler (pure TypeScript, no WASM).
 *
 * Output sample m sits at input time m·M/L. It is computed from the inputs up to
 * floor(m·M/L) with the filter phase (m·M) mod L, so it depends only on the stream, never on
 * how the stream was cut into chunks: chunked output is bit-identical to whole-signal output.
 *
 * Counts: after n input samples in total, exactly ceil(n·L/M) samples have been output. The
 * signal inside them is delayed by `delayOutputSamples` (constant: linear-phase FIR); `flush()`
 * emits that tail, bringing the total to ceil((n·L + centre)/M) = ceil(n·L/M + delay).
 *
 * Group delay with the default design (linear phase, the same at every frequency), ~1.8 ms:
 *   8,000 → 16,000 Hz: 29 output samples (exactly; half-band filter, every other output is an
 *   input sample copied); 16,000 → 8,000: 14.5; 22,050 → 8,000: 14.41; 24,000 → 8,000: 14.67.
 *
 * Output is rounded to the nearest integer (Math.round) and saturated to int16.
 *
 * Where it runs: TTS and recorded prompts to the phone (16,000, 22,050, 24,000 → 8,000 Hz, mostly
 * rendered once into the prompt cache) and the `call` CLI. Caller audio to recognition
 * (8 → 16 kHz, every frame of every voice call) goes through HalfbandUpsampler instead: same
 * delay (29 samples), −76.8 dB images instead of −71.9, about a fifth of the cost.
 *
 * Why pure TypeScript rather than the Speex resampler compiled to WASM
 * (`@echogarden/speex-resampler-wasm`): that build is ESM-only and finds its .wasm through
 * import.meta.url, which jest's CommonJS runtime cannot load without experimental flags, and
 * every call copies through the WASM heap. Measured side by side on the project's 2-core
 * machine (µs per 20 ms frame, fastest batch): 24 → 8 kHz ours ~15, Speex ~4–6; 22,050 → 8 kHz
 * ours ~20, Speex q5 ~26. If outbound cost ever matters, the kernels are where to look
 * (`npm run bench -- --skip-load --skip-campaigns --skip-console --skip-cluster` times them).
 */
import { AudioError } from './errors';
import {
  PHASE_IDENTITY,
  PHASE_SYMMETRIC,
  type PhaseRun,
  runDense,
  runIdentity,
  runSymmetric,
} from './polyphase-kernels';
import { designResampler, type ResamplerDesign, type ResamplerDesignOptions } from './resampler-design';

export class StreamingResampler {
  readonly design: ResamplerDesign;
  /** History (the last `historyLength` inputs) followed by the current chunk. */
  private buffer: Float64Array;
  /** Index in `buffer` of the newest input sample the next output uses. */
  private position: number;
  private phase = 0;
  private inputCount = 0;
  private outputCount = 0;
  /** Reused argument record for the kernels (no allocation per chunk). */
  private readonly run: PhaseRun;

  constructor(design: ResamplerDesign) {
    this.design = design;
    this.buffer = new Float64Array(design.historyLength + 1024);
    this.position = design.historyLength;
    this.run = {
      coefficients: design.coefficients,
      offset: 0,
      length: 0,
      input: this.buffer,
      start: 0,
      inputStep: design.downFactor,
      count: 0,
      out: new Int16Array(0),
      outIndex: 0,
      outStride: design.upFactor,
    };
  }

  get inputRateHz(): number {
    return this.design.inputRateHz;
  }

  get outputRateHz(): number {
    return this.design.outputRateHz;
  }

  /** Constant group delay in output samples. */
  get delayOutputSamples(): number {
    return this.design.delayOutputSamples;
  }

  /** Most samples `processInto` can write for `inputLength` inputs: ceil(inputLength·L/M). */
  maxOutputLength(inputLength: number): number {
    const { upFactor, downFactor } = this.design;
    return Math.floor((inputLength * upFactor + downFactor - 1) / downFactor);
  }

  /**
   * Resamples one chunk into the start of `output` and returns how many samples were written.
   * Allocation-free once the internal buffer has seen the largest chunk size.
   * @throws AudioError AUDIO_OUTPUT_TOO_SMALL when `output` is shorter than maxOutputLength.
   */
  processInto(input: Int16Array, output: Int16Array): number {
    const n = input.length;
    if (n === 0) return 0;
    if (output.length < this.maxOutputLength(n)) {
      throw new AudioError(
        'AUDIO_OUTPUT_TOO_SMALL',
        `output holds ${output.length} samples, a ${n}-sample chunk can make ${this.maxOutputLength(n)}`,
      );
    }
    const d = this.design;
    const history = d.historyLength;
    const end = history + n;
    if (this.buffer.length < end) this.grow(end);
    const buf = this.buffer;
    buf.set(input, history);

    // Outputs m, m + L, m + 2L, … share a phase and sit M inputs apart: run each phase once
    // over all its outputs in this chunk (at most L runs), then step the state past them all.
    const { upFactor, downFactor, phaseAdvance, phaseNext } = d;
    const run = this.run;
    run.input = buf;
    run.out = output;
    run.outStride = upFactor;
    run.inputStep = downFactor;
    let pos = this.position;
    let p = this.phase;
    let written = 0;
    for (let j = 0; j < upFactor && pos < end; j++) {
      const count = Math.floor((end - pos + downFactor - 1) / downFactor);
      written += count;
      this.runPhase(p, pos, count, j);
      pos += phaseAdvance[p]!;
      p = phaseNext[p]!;
    }
    // Every full cycle of L outputs advances M inputs and returns to the same phase.
    const fullCycles = Math.floor(written / upFactor);
    pos = this.position + fullCycles * downFactor;
    p = this.phase;
    for (let j = fullCycles * upFactor; j < written; j++) {
      pos += phaseAdvance[p]!;
      p = phaseNext[p]!;
    }
    buf.copyWithin(0, n, end);
    this.position = pos - n;
    this.phase = p;
    this.inputCount += n;
    this.outputCount += written;
    return written;
  }

  /** Allocating convenience form of {@link processInto}: returns a new array. */
  process(input: Int16Array): Int16Array {
    const output = new Int16Array(this.maxOutputLength(input.length));
    const written = this.processInto(input, output);
    return written === output.length ? output : output.slice(0, written);
  }

  /**
   * Ends the stream: returns the delayed tail (the response to the last inputs, fed with
   * silence) and resets, ready for a new stream. Allocates; call once per stream.
   */
  flush(): Int16Array {
    const d = this.design;
    if (this.inputCount === 0) return new Int16Array(0);
    const target = Math.ceil(
      (this.inputCount * d.upFactor + d.delayHighRateSamples) / d.downFactor,
    );
    const missing = target - this.outputCount;
    const tail = new Int16Array(Math.max(0, missing));
    const zeros = new Int16Array(d.historyLength + 1);
    const scratch = new Int16Array(this.maxOutputLength(zeros.length));
    let filled = 0;
    while (filled < tail.length) {
      const written = this.processInto(zeros, scratch);
      const take = Math.min(written, tail.length - filled);
      tail.set(scratch.subarray(0, take), filled);
      filled += take;
    }
    this.reset();
    return tail;
  }

  /** Forgets all history: the next sample starts a new stream. */
  reset(): void {
    this.buffer.fill(0);
    this.position = this.design.historyLength;
    this.phase = 0;
    this.inputCount = 0;
    this.outputCount = 0;
  }

  private runPhase(p: number, pos: number, count: number, outIndex: number): void {
    const d = this.design;
    const run = this.run;
    const length = d.phaseLength[p]!;
    run.offset = d.phaseOffset[p]!;
    run.length = length;
    run.start = pos - d.phaseLead[p]! - length + 1;
    run.count = count;
    run.outIndex = outIndex;
    const kind = d.phaseKind[p];
    if (kind === PHASE_IDENTITY) runIdentity(run);
    else if (kind === PHASE_SYMMETRIC) runSymmetric(run);
    else runDense(run);
  }

  private grow(minimum: number): void {
    const next = new Float64Array(Math.max(minimum, this.buffer.length * 2));
    next.set(this.buffer.subarray(0, this.design.historyLength));
    this.buffer = next;
  }
}

/** Designs a filter bank for this one resampler. Prefer sharing a design between calls. */
export function createResampler(options: ResamplerDesignOptions): StreamingResampler {
  return new StreamingResampler(designResampler(options));
}
