/**
 * G.711 μ-law ↔ 16-bit linear PCM, table driven.
 *
 * `alawmulaw` is the reference implementation: both tables below are filled once, at module
 * load, by asking it about every possible input, so the hot path is bit-exact with it by
 * construction and costs one table load per sample with no allocation.
 *
 * Why the encode table has 65,536 entries and not 16,384 indexed by `sample >> 2`: the reference
 * encoder works in sign-magnitude (it negates negative samples, adds the 0x84 bias and truncates
 * the magnitude). Truncating the magnitude rounds negative samples towards zero, whereas
 * `sample >> 2` rounds them towards minus infinity, so a `>> 2` table disagrees with the
 * reference for 127 negative inputs near segment edges (e.g. -4 → 0x7E but -3 → 0x7F). A table
 * indexed by the raw 16-bit pattern is exact, needs one AND to index, and at 64 KiB measured as
 * fast as a compact 16 KiB table with a sign-corrected index.
 */
import { mulaw } from 'alawmulaw';

/** μ-law byte that decodes to 0: what a silent 20 ms frame is filled with. */
export const MULAW_SILENCE = 0xff;

/** All 256 μ-law codes decoded to PCM16. Built once; never written after module load. */
const DECODE_TABLE: Int16Array = buildDecodeTable();

/** μ-law code for every 16-bit sample, indexed by `sample & 0xffff`. Built once; read only. */
const ENCODE_TABLE: Uint8Array = buildEncodeTable();

function buildDecodeTable(): Int16Array {
  const table = new Int16Array(256);
  for (let code = 0; code < 256; code++) table[code] = mulaw.decodeSample(code);
  return table;
}

function buildEncodeTable(): Uint8Array {
  const table = new Uint8Array(65536);
  // The reference returns `~(…)`, a negative number; the low byte is the code.
  for (let sample = -32768; sample < 32768; sample++) {
    table[sample & 0xffff] = mulaw.encodeSample(sample) & 0xff;
  }
  return table;
}

/**
 * Decodes `src.length` μ-law bytes into the start of `dst`. No allocation.
 * @throws RangeError when `dst` is shorter than `src`.
 */
export function decodeMulawInto(src: Uint8Array, dst: Int16Array): void {
  const n = src.length;
  if (dst.length < n) throw new RangeError(`dst holds ${dst.length} samples, need ${n}`);
  const table = DECODE_TABLE;
  for (let i = 0; i < n; i++) dst[i] = table[src[i]!]!;
}

/**
 * Encodes `src.length` PCM16 samples into the start of `dst`. No allocation.
 * @throws RangeError when `dst` is shorter than `src`.
 */
export function encodeMulawInto(src: Int16Array, dst: Uint8Array): void {
  const n = src.length;
  if (dst.length < n) throw new RangeError(`dst holds ${dst.length} bytes, need ${n}`);
  const table = ENCODE_TABLE;
  for (let i = 0; i < n; i++) dst[i] = table[src[i]! & 0xffff]!;
}

/** Allocating convenience form of {@link decodeMulawInto}. Not for the per-frame path. */
export function decodeMulaw(src: Uint8Array): Int16Array {
  const dst = new Int16Array(src.length);
  decodeMulawInto(src, dst);
  return dst;
}

/** Allocating convenience form of {@link encodeMulawInto}. Not for the per-frame path. */
export function encodeMulaw(src: Int16Array): Uint8Array {
  const dst = new Uint8Array(src.length);
  encodeMulawInto(src, dst);
  return dst;
}

/** One μ-law code to PCM16 (table lookup). */
export function decodeMulawSample(code: number): number {
  return DECODE_TABLE[code & 0xff]!;
}

/** One PCM16 sample to its μ-law code (table lookup). The sample must be an integer in int16. */
export function encodeMulawSample(sample: number): number {
  return ENCODE_TABLE[sample & 0xffff]!;
}
