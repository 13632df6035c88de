/**
 * The inner loop of the half-band upsampler, in two interchangeable forms that give bit-identical
 * output: plain TypeScript, and WebAssembly SIMD (two outputs per f64x2 lane pair, four per
 * pass, the coefficients inlined as constants). Both compute, for each input n of a block,
 *   out[2n]     = saturate(floor(Σₖ Gₖ·(x[n + K − 1 − k] + x[n + K + k]) · 2^−B + ½))
 *   out[2n + 1] = x[n + K]
 * over work = [2K − 1 inputs of history, then the block], in exact integer arithmetic carried
 * in float64 (see halfband-design.ts), so the order of the additions, and hence the kernel,
 * cannot change a bit of the result.
 *
 * A kernel holds no stream state: every upsampler keeps its own history and copies it into
 * `work` around each block, so one kernel (one WASM instance, 64 KiB) serves every call.
 * Not reentrant; JavaScript runs one block at a time.
 */
import { COEFFICIENT_BITS, type HalfbandDesign } from './halfband-design';
import { assembleHalfbandModule, HALFBAND_MEMORY } from './halfband-wasm';

/** Most inputs per block (bigger chunks take several). */
export const HALFBAND_BLOCK = 1024;

/**
 * The part of the WebAssembly API used here. Node has it, but the build's `lib` (ES2022, Node
 * types 20) declares none of it; only the tests, through a DOM lib reference, saw the DOM's.
 */
interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule) => { readonly exports: unknown };
  validate(bytes: Uint8Array): boolean;
}
/** A compiled module (opaque here). */
export type WasmModule = object;
const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

export interface HalfbandKernel {
  readonly design: HalfbandDesign;
  /** 'simd' (WebAssembly) or 'scalar' (TypeScript): for the bench and tests. */
  readonly kind: 'simd' | 'scalar';
  /** Scratch shared by every user: 2K − 1 inputs of history, then up to HALFBAND_BLOCK inputs. */
  readonly work: Float64Array;
  /** Filters the `count` inputs after the history in `work` into output[at … at + 2·count). */
  run(count: number, output: Int16Array, at: number): void;
}

const SCALE = 2 ** -COEFFICIENT_BITS;

function saturate(value: number): number {
  return value > 32767 ? 32767 : value < -32768 ? -32768 : value;
}

/**
 * Two outputs of the filtering branch per pass, each loaded input used by both (output n + 1's
 * taps are output n's shifted by one), then the delayed inputs beside them.
 */
function filterBlock(x: Float64Array, count: number, c: Float64Array, halfLength: number, out: Int16Array, at: number): void {
  const pairs = count & ~1;
  let o = at;
  for (let n = 0; n < pairs; n += 2, o += 4) {
    // Window of output n: x[n … n + 2K − 1]; its innermost pair is (x[n + K − 1], x[n + K]).
    const inner = n + halfLength - 1;
    let nextLow = x[inner + 1]!; // output n + 1's low tap for k = 0
    let high = x[inner + 1]!;
    let sum0 = 0;
    let sum1 = 0;
    for (let k = 0; k < halfLength; k++) {
      const ck = c[k]!;
      const low = x[inner - k]!;
      const nextHigh = x[inner + 2 + k]!;
      sum0 += ck * (low + high);
      sum1 += ck * (nextLow + nextHigh);
      nextLow = low;
      high = nextHigh;
    }
    out[o] = saturate(Math.round(sum0 * SCALE));
    out[o + 1] = x[inner + 1]!;
    out[o + 2] = saturate(Math.round(sum1 * SCALE));
    out[o + 3] = x[inner + 2]!;
  }
  if (pairs < count) {
    const inner = pairs + halfLength - 1;
    let sum = 0;
    for (let k = 0; k < halfLength; k++) sum += c[k]! * (x[inner - k]! + x[inner + 1 + k]!);
    out[o] = saturate(Math.round(sum * SCALE));
    out[o + 1] = x[inner + 1]!;
  }
}

/** The TypeScript kernel: the reference, and the fallback where WebAssembly SIMD is missing. */
export class ScalarHalfbandKernel implements HalfbandKernel {
  readonly kind = 'scalar';
  readonly work: Float64Array;

  constructor(readonly design: HalfbandDesign) {
    this.work = new Float64Array(2 * design.halfLength - 1 + HALFBAND_BLOCK);
  }

  run(count: number, output: Int16Array, at: number): void {
    filterBlock(this.work, count, this.design.coefficients, this.design.halfLength, output, at);
  }
}

interface HalfbandExports {
  memory: { readonly buffer: ArrayBuffer };
  upsample(count: number): void;
}

/**
 * The WebAssembly SIMD kernel. Its memory is one fixed page that never grows, so the typed-array
 * views made here stay valid. Output is written in groups of four inputs (a block's last group
 * may run past `count`: those samples are computed from stale scratch and never copied out).
 */
export class SimdHalfbandKernel implements HalfbandKernel {
  readonly kind = 'simd';
  readonly work: Float64Array;
  private readonly exports: HalfbandExports;
  private readonly out: Int16Array;
  /** The view of `out` last copied out (almost always one 20 ms frame's worth), kept to avoid making one per block. */
  private outView: Int16Array;

  constructor(
    readonly design: HalfbandDesign,
    module: WasmModule = new (wasmApi().Module)(assembleHalfbandModule(design)),
  ) {
    this.exports = new (wasmApi().Instance)(module).exports as HalfbandExports;
    const buffer = this.exports.memory.buffer;
    this.work = new Float64Array(buffer, HALFBAND_MEMORY.workByte, HALFBAND_MEMORY.workSamples);
    this.out = new Int16Array(buffer, HALFBAND_MEMORY.outByte, HALFBAND_MEMORY.outSamples);
    this.outView = this.out.subarray(0, 0);
  }

  run(count: number, output: Int16Array, at: number): void {
    this.exports.upsample(count);
    if (this.outView.length !== 2 * count) this.outView = this.out.subarray(0, 2 * count);
    output.set(this.outView, at);
  }
}

/** Whether this runtime has WebAssembly SIMD (Node ≥ 16.4 does). */
export function simdAvailable(): boolean {
  // The smallest module with a v128 value: (func (result v128) v128.const 0).
  const probe = new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, 0x03, 0x02, 0x01, 0x00, 0x0a, 0x16, 0x01,
    0x14, 0x00, 0xfd, 0x0c, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0b,
  ]);
  return wasm?.validate(probe) === true;
}

/** The fastest kernel this runtime can run: WebAssembly SIMD, else TypeScript. Make one and share it. */
function wasmApi(): WasmApi {
  if (!wasm) throw new Error('this runtime has no WebAssembly');
  return wasm;
}

export function createHalfbandKernel(design: HalfbandDesign): HalfbandKernel {
  return simdAvailable() ? new SimdHalfbandKernel(design) : new ScalarHalfbandKernel(design);
}
