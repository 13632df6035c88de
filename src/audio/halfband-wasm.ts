/**
 * Writes the WebAssembly (SIMD) module of the half-band kernel for one design, byte by byte.
 * No toolchain: the module is one small function, and writing it here keeps the coefficients
 * inlined as constants and every load's offset an immediate (the K-tap loop fully unrolled).
 *
 * The function, in WebAssembly text form (p walks the work area, o the output, 4 inputs a pass):
 *
 *   (func (export "upsample") (param $count i32) (local $p i32) (local $o i32) (local $end i32)
 *                                                 (local $a v128) (local $b v128) (local $y v128)
 *     $end = 8·((count + 3) & −4); $p = 0; $o = 0          ;; byte offsets into WORK and OUT
 *     loop while $p < $end:
 *       for k in 0…K−1:                                  ;; inputs n, n+1 in $a; n+2, n+3 in $b
 *         $a (+)= f64x2(Gₖ) · (v128.load[WORK + $p + 8(K−1−k)] + v128.load[WORK + $p + 8(K+k)])
 *         $b (+)= f64x2(Gₖ) · (v128.load[WORK + $p + 8(K+1−k)] + v128.load[WORK + $p + 8(K+2+k)])
 *       filtered = shuffle(trunc_sat(floor($a · 2^−B + ½)), trunc_sat(floor($b · 2^−B + ½)))
 *       delayed  = shuffle(trunc_sat(v128.load[$p + 8K]), trunc_sat(v128.load[$p + 8(K+2)]))
 *       $y = i16x8.narrow_i32x4_s(filtered, delayed)     ;; saturates to int16
 *       v128.store[OUT + $o] = shuffle($y, $y) interleaving filtered and delayed samples
 *       $p += 32; $o += 16
 *
 * Floating-point SIMD lanes round nothing here (every value is an integer below 2^41, see
 * halfband-design.ts) and floor(y + ½) equals Math.round(y) for these values, so the output is
 * bit-identical to the TypeScript kernel; the tests check that on random input.
 */
import { COEFFICIENT_BITS, type HalfbandDesign } from './halfband-design';

const BLOCK = 1024;
/** Largest history a design can have (2K − 1 with K ≤ 64). */
const MAX_HISTORY = 127;

/** Where the kernel's buffers sit in its one 64 KiB page. */
export const HALFBAND_MEMORY = {
  workByte: 0,
  /** History, a block, and 3 more for the last group of four. */
  workSamples: MAX_HISTORY + BLOCK + 4,
  outByte: 16384,
  outSamples: 2 * (BLOCK + 4),
} as const;

// Opcodes (WebAssembly core 2.0; SIMD ones follow the 0xfd prefix as LEB128).
const I32_CONST = 0x41;
const I32_ADD = 0x6a;
const I32_AND = 0x71;
const I32_SHL = 0x74;
const I32_GE_U = 0x4f;
const LOCAL_GET = 0x20;
const LOCAL_SET = 0x21;
const LOCAL_TEE = 0x22;
const BLOCK_OP = 0x02;
const LOOP = 0x03;
const BR = 0x0c;
const BR_IF = 0x0d;
const END = 0x0b;
const VOID = 0x40;
const V128 = 0x7b;
const I32 = 0x7f;
const SIMD = {
  load: 0x00,
  store: 0x0b,
  const: 0x0c,
  shuffle: 0x0d,
  f64x2Floor: 0x75,
  i16x8NarrowI32x4S: 0x85,
  f64x2Add: 0xf0,
  f64x2Mul: 0xf2,
  i32x4TruncSatF64x2SZero: 0xfc,
} as const;

function unsigned(value: number): number[] {
  const bytes: number[] = [];
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (v !== 0);
  return bytes;
}

function signed(value: number): number[] {
  const bytes: number[] = [];
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    bytes.push(done ? byte : byte | 0x80);
    if (done) return bytes;
  }
}

const simd = (op: number): number[] => [0xfd, ...unsigned(op)];
/** memarg: alignment hint 0 (any address), then the offset. */
const memarg = (offset: number): number[] => [0, ...unsigned(offset)];

function f64x2Const(value: number): number[] {
  const bytes = new Uint8Array(16);
  const view = new DataView(bytes.buffer);
  view.setFloat64(0, value, true);
  view.setFloat64(8, value, true);
  return [...simd(SIMD.const), ...bytes];
}

function section(id: number, body: number[]): number[] {
  return [id, ...unsigned(body.length), ...body];
}

function name(text: string): number[] {
  const bytes = [...Buffer.from(text, 'utf8')];
  return [...unsigned(bytes.length), ...bytes];
}

/** The module's bytes for `design`. */
export function assembleHalfbandModule(design: HalfbandDesign): Uint8Array<ArrayBuffer> {
  const K = design.halfLength;
  if (2 * K - 1 > MAX_HISTORY) throw new RangeError(`halfLength ${K} needs more history than the kernel holds`);
  const [count, p, o, end, a, b, y] = [0, 1, 2, 3, 4, 5, 6];
  const { workByte, outByte } = HALFBAND_MEMORY;
  const code: number[] = [];
  const emit = (...bytes: number[]) => code.push(...bytes);
  const load = (sampleOffset: number) => emit(LOCAL_GET, p, ...simd(SIMD.load), ...memarg(workByte + 8 * sampleOffset));

  // $p and $o are byte offsets from the work and output areas (added as memarg offsets).
  // $end = ((count + 3) & −4) · 8; $p = 0; $o = 0
  emit(LOCAL_GET, count, I32_CONST, 3, I32_ADD, I32_CONST, ...signed(-4), I32_AND, I32_CONST, 3, I32_SHL, LOCAL_SET, end);
  emit(I32_CONST, 0, LOCAL_SET, p);
  emit(I32_CONST, 0, LOCAL_SET, o);
  emit(BLOCK_OP, VOID, LOOP, VOID);
  emit(LOCAL_GET, p, LOCAL_GET, end, I32_GE_U, BR_IF, 1);
  for (let k = 0; k < K; k++) {
    const coefficient = f64x2Const(design.coefficients[k]!);
    for (const [accumulator, shift] of [
      [a, 0],
      [b, 2],
    ] as const) {
      load(K - 1 - k + shift);
      load(K + k + shift);
      emit(...simd(SIMD.f64x2Add), ...coefficient, ...simd(SIMD.f64x2Mul));
      if (k > 0) emit(LOCAL_GET, accumulator, ...simd(SIMD.f64x2Add));
      emit(LOCAL_SET, accumulator);
    }
  }
  // Store address first, then the value.
  emit(LOCAL_GET, o);
  for (const accumulator of [a, b]) {
    emit(LOCAL_GET, accumulator, ...f64x2Const(2 ** -COEFFICIENT_BITS), ...simd(SIMD.f64x2Mul));
    emit(...f64x2Const(0.5), ...simd(SIMD.f64x2Add), ...simd(SIMD.f64x2Floor), ...simd(SIMD.i32x4TruncSatF64x2SZero));
  }
  // [a0, a1, 0, 0] and [b0, b1, 0, 0] → [a0, a1, b0, b1] (the low 8 bytes of each)
  const lowHalves = [0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23];
  emit(...simd(SIMD.shuffle), ...lowHalves);
  load(K);
  emit(...simd(SIMD.i32x4TruncSatF64x2SZero));
  load(K + 2);
  emit(...simd(SIMD.i32x4TruncSatF64x2SZero), ...simd(SIMD.shuffle), ...lowHalves);
  // [a0 a1 b0 b1 | d0 d1 d2 d3] as int16 → interleaved a0 d0 a1 d1 b0 d2 b1 d3
  emit(...simd(SIMD.i16x8NarrowI32x4S), LOCAL_TEE, y, LOCAL_GET, y);
  emit(...simd(SIMD.shuffle), 0, 1, 8, 9, 2, 3, 10, 11, 4, 5, 12, 13, 6, 7, 14, 15);
  emit(...simd(SIMD.store), ...memarg(outByte));
  emit(LOCAL_GET, p, I32_CONST, 32, I32_ADD, LOCAL_SET, p);
  emit(LOCAL_GET, o, I32_CONST, 16, I32_ADD, LOCAL_SET, o);
  emit(BR, 0, END, END, END);

  const locals = [2, 3, I32, 3, V128]; // 3 × i32 ($p $o $end), 3 × v128 ($a $b $y)
  const body = [...locals, ...code];
  const bytes = [
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, [1, 0x60, 1, I32, 0]), // type 0: (i32) → ()
    ...section(3, [1, 0]), // function 0 has type 0
    ...section(5, [1, 0x01, 1, 1]), // one memory: exactly 1 page (never grows)
    ...section(7, [2, ...name('upsample'), 0x00, 0, ...name('memory'), 0x02, 0]),
    ...section(10, [1, ...unsigned(body.length), ...body]),
  ];
  return Uint8Array.from(bytes);
}
