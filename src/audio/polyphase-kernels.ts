/**
 * Inner loops of the polyphase resampler. Each call computes every output of one phase in a
 * chunk: `count` outputs whose input windows start at `start`, `start + inputStep`, … and go to
 * `out[outIndex]`, `out[outIndex + outStride]`, …
 *
 * One phase per call keeps each loop monomorphic (its coefficients stay in registers/cache).
 * The summation order is fixed by the design, so results depend only on the input stream.
 * Outputs are rounded (Math.round) and saturated to int16.
 */

/** How a phase is stored and run. */
export const PHASE_DENSE = 0;
/** Palindromic phase: only the first ceil(length/2) coefficients are stored. */
export const PHASE_SYMMETRIC = 1;
/** A single tap of exactly 1 (the centre phase of a half-band interpolator): a copy. */
export const PHASE_IDENTITY = 2;

export interface PhaseRun {
  coefficients: Float64Array;
  offset: number;
  length: number;
  input: Float64Array;
  start: number;
  inputStep: number;
  count: number;
  out: Int16Array;
  outIndex: number;
  outStride: number;
}

function saturate(value: number): number {
  return Math.max(-32768, Math.min(32767, Math.round(value)));
}

/** Four independent sums break the floating-point add-latency chain (~2× faster in V8). */
export function runDense(run: PhaseRun): void {
  const { coefficients: c, offset, length, input: x, inputStep, count, out, outStride } = run;
  const blockEnd = offset + (length & ~3);
  const end = offset + length;
  let start = run.start;
  let o = run.outIndex;
  for (let i = 0; i < count; i++, start += inputStep, o += outStride) {
    let acc0 = 0;
    let acc1 = 0;
    let acc2 = 0;
    let acc3 = 0;
    let ci = offset;
    let xi = start;
    for (; ci < blockEnd; ci += 4, xi += 4) {
      acc0 += c[ci]! * x[xi]!;
      acc1 += c[ci + 1]! * x[xi + 1]!;
      acc2 += c[ci + 2]! * x[xi + 2]!;
      acc3 += c[ci + 3]! * x[xi + 3]!;
    }
    for (; ci < end; ci++, xi++) acc0 += c[ci]! * x[xi]!;
    out[o] = saturate(acc0 + acc1 + (acc2 + acc3));
  }
}

/**
 * Σ c[k] · (x[start + k] + x[start + length − 1 − k]) over the stored half, the middle tap once:
 * half the multiplies of the dense form, four independent sums.
 */
export function runSymmetric(run: PhaseRun): void {
  const { coefficients: c, offset, length, input: x, inputStep, count, out, outStride } = run;
  const half = length >> 1;
  const blockEnd = offset + (half & ~3);
  const halfEnd = offset + half;
  const middle = (length & 1) === 1 ? c[halfEnd]! : 0;
  let start = run.start;
  let o = run.outIndex;
  for (let i = 0; i < count; i++, start += inputStep, o += outStride) {
    let acc0 = 0;
    let acc1 = 0;
    let acc2 = 0;
    let acc3 = 0;
    let ci = offset;
    let lo = start;
    let hi = start + length - 1;
    for (; ci < blockEnd; ci += 4, lo += 4, hi -= 4) {
      acc0 += c[ci]! * (x[lo]! + x[hi]!);
      acc1 += c[ci + 1]! * (x[lo + 1]! + x[hi - 1]!);
      acc2 += c[ci + 2]! * (x[lo + 2]! + x[hi - 2]!);
      acc3 += c[ci + 3]! * (x[lo + 3]! + x[hi - 3]!);
    }
    for (; ci < halfEnd; ci++, lo++, hi--) acc0 += c[ci]! * (x[lo]! + x[hi]!);
    // For an even length lo passes hi here and middle is 0: x[lo] is in range (it is x[hi + 1]).
    acc1 += middle * x[lo]!;
    out[o] = saturate(acc0 + acc1 + (acc2 + acc3));
  }
}

/** The input sample itself (already an integer in int16 range). */
export function runIdentity(run: PhaseRun): void {
  const { input: x, inputStep, count, out, outStride } = run;
  let start = run.start;
  let o = run.outIndex;
  for (let i = 0; i < count; i++, start += inputStep, o += outStride) out[o] = x[start]!;
}
