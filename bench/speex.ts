/**
 * The Speex resampler (SpeexDSP, as Asterisk and FreeSWITCH use it) compiled to WASM with SIMD,
 * `@echogarden/speex-resampler-wasm`: the reference the bench compares our resamplers with.
 * ESM-only and found through import.meta.url, so it is loaded here with import(), never in src/.
 */

export interface SpeexModule {
  HEAP16: Int16Array;
  HEAPU32: Uint32Array;
  _malloc(bytes: number): number;
  _free(pointer: number): void;
  _speex_resampler_init(channels: number, inRateHz: number, outRateHz: number, quality: number, errorPointer: number): number;
  _speex_resampler_process_int(state: number, channel: number, input: number, inLengthPointer: number, output: number, outLengthPointer: number): number;
  _speex_resampler_get_output_latency(state: number): number;
  _speex_resampler_destroy(state: number): void;
}

/** One Speex resampler stream with its WASM buffers, fed like ours: a chunk in, samples out. */
export class SpeexStream {
  private readonly state: number;
  private readonly input: number;
  private readonly output: number;
  private readonly lengths: number;

  constructor(
    private readonly wasm: SpeexModule,
    inRateHz: number,
    outRateHz: number,
    quality: number,
    private readonly maxInput = 8192,
  ) {
    const error = wasm._malloc(4);
    this.state = wasm._speex_resampler_init(1, inRateHz, outRateHz, quality, error);
    wasm._free(error);
    if (this.state === 0) throw new Error(`speex_resampler_init(${inRateHz}, ${outRateHz}, q${quality}) failed`);
    this.input = wasm._malloc(2 * maxInput);
    this.output = wasm._malloc(2 * this.maxOutput);
    this.lengths = wasm._malloc(8);
  }

  private get maxOutput(): number {
    return 4 * this.maxInput;
  }

  /** Output latency in output samples, as Speex reports it. */
  get latencyOutputSamples(): number {
    return this.wasm._speex_resampler_get_output_latency(this.state);
  }

  /** Resamples `input` into the start of `output`; returns how many samples were written. */
  processInto(input: Int16Array, output: Int16Array): number {
    const wasm = this.wasm;
    if (input.length > this.maxInput) throw new RangeError(`at most ${this.maxInput} samples per call`);
    wasm.HEAP16.set(input, this.input >> 1);
    wasm.HEAPU32[this.lengths >> 2] = input.length;
    wasm.HEAPU32[(this.lengths >> 2) + 1] = Math.min(output.length, this.maxOutput);
    wasm._speex_resampler_process_int(this.state, 0, this.input, this.lengths, this.output, this.lengths + 4);
    const written = wasm.HEAPU32[(this.lengths >> 2) + 1]!;
    output.set(wasm.HEAP16.subarray(this.output >> 1, (this.output >> 1) + written));
    return written;
  }

  /** Allocating form for measurements: resamples a whole signal in 20 ms chunks. */
  process(input: Int16Array, chunk: number): Int16Array {
    const out = new Int16Array(4 * input.length + 64);
    let written = 0;
    for (let at = 0; at < input.length; at += chunk) written += this.processInto(input.subarray(at, at + chunk), out.subarray(written));
    return out.slice(0, written);
  }

  destroy(): void {
    this.wasm._speex_resampler_destroy(this.state);
    this.wasm._free(this.input);
    this.wasm._free(this.output);
    this.wasm._free(this.lengths);
  }
}

/** Loads the SIMD build once (a few milliseconds). */
export async function loadSpeex(): Promise<SpeexModule> {
  const { default: factory } = await import('@echogarden/speex-resampler-wasm/simd');
  return factory();
}
