import { AudioError } from './errors';
import { COEFFICIENT_BITS, designHalfband, type HalfbandDesign, halfbandResponse } from './halfband-design';
import { createHalfbandKernel, type HalfbandKernel, ScalarHalfbandKernel, SimdHalfbandKernel } from './halfband-kernel';
import { HalfbandUpsampler } from './halfband-upsampler';
import { decodeMulaw, encodeMulaw } from './mulaw';
import { StreamingResampler } from './resampler';
import { designResampler } from './resampler-design';
import { chunkSizes, concatInt16, noiseInt16, randomChunkSizes } from './testing/signals';
import { levelDb, mixInt16, sineInt16, toneAmplitude } from './testing/spectrum';

const design = designHalfband();
const simdKernel = new SimdHalfbandKernel(design);
const scalarKernel = new ScalarHalfbandKernel(design);
const KERNELS = [
  ['WASM SIMD', simdKernel],
  ['TypeScript', scalarKernel],
] as const;
const AMPLITUDE = 20000;
/** The telephone band, every 100 Hz: what the acceptance criteria are measured on. */
const SWEEP_HZ = Array.from({ length: 34 }, (_, i) => 100 * (i + 1));

/** Runs `input` through a fresh upsampler in chunks of the given sizes. */
function runChunked(input: Int16Array, sizes: readonly number[], kernel: HalfbandKernel = simdKernel): Int16Array {
  const upsampler = new HalfbandUpsampler(kernel);
  const scratch = new Int16Array(2 * Math.max(...sizes, 1));
  const parts: Int16Array[] = [];
  let at = 0;
  for (const size of sizes) {
    const written = upsampler.processInto(input.subarray(at, at + size), scratch);
    expect(written).toBe(2 * size);
    parts.push(scratch.slice(0, written));
    at += size;
  }
  return concatInt16(parts);
}

function sameBits(a: Int16Array, b: Int16Array): boolean {
  return a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

/** floor(a / b) for BigInts (BigInt division truncates towards zero). */
function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/**
 * The documented arithmetic, straight from the definition in exact integers: y[2n] =
 * saturate(floor((Σ Gₖ·(x[n−K+1−k] + x[n−K+k]) + 2^(B−1)) / 2^B)), y[2n+1] = x[n−K+1].
 */
function referenceUpsample(input: Int16Array, d: HalfbandDesign = design): Int16Array {
  const K = d.halfLength;
  const x = (i: number): bigint => BigInt(i >= 0 && i < input.length ? input[i]! : 0);
  const out = new Int16Array(2 * input.length);
  const half = 2n ** BigInt(COEFFICIENT_BITS - 1);
  const scale = 2n ** BigInt(COEFFICIENT_BITS);
  for (let n = 0; n < input.length; n++) {
    let acc = 0n;
    for (let k = 1; k <= K; k++) acc += BigInt(d.coefficients[k - 1]!) * (x(n - K + 1 - k) + x(n - K + k));
    const rounded = Number(floorDiv(acc + half, scale));
    out[2 * n] = Math.max(-32768, Math.min(32767, rounded));
    out[2 * n + 1] = Number(x(n - K + 1));
  }
  return out;
}

/** Level (dB re the input tone) at `measureHz` in the output for a tone at `toneHz`. */
function responseDb(toneHz: number, measureHz: number, d: HalfbandDesign = design): number {
  const tone = sineInt16({ frequencyHz: toneHz, sampleRateHz: 8000, length: 6000, amplitude: AMPLITUDE });
  const out = new HalfbandUpsampler(d === design ? simdKernel : createHalfbandKernel(d)).process(tone);
  // 0.5 s after 0.2 s of settling: integer-Hz tones sit exactly on DFT bins.
  return levelDb(toneAmplitude(out, 16000, measureHz, { start: 3200, length: 8000 }), AMPLITUDE);
}

/** Worst image over the sweep: a tone at f images to 8,000 − f (4,600…7,900 Hz). */
function worstImageDb(d: HalfbandDesign): number {
  return Math.max(...SWEEP_HZ.map((f) => responseDb(f, 8000 - f, d)));
}

describe('half-band design (K = 15, 59 taps)', () => {
  it('is integers summing to exactly ½ · 2^B (unit DC gain), alternating in sign and shrinking', () => {
    const { coefficients, halfLength } = design;
    expect(halfLength).toBe(15);
    expect(coefficients.every(Number.isInteger)).toBe(true);
    expect(coefficients.reduce((a, b) => a + b, 0)).toBe(2 ** (COEFFICIENT_BITS - 1));
    for (let k = 1; k < halfLength; k++) {
      expect(Math.sign(coefficients[k]!)).toBe(-Math.sign(coefficients[k - 1]!));
      expect(Math.abs(coefficients[k]!)).toBeLessThan(Math.abs(coefficients[k - 1]!));
    }
  });

  it('meets the specification on a 1 Hz grid: ±0.1 dB to 3,400 Hz, ≤ −70 dB from 4,600 Hz', () => {
    const d = designHalfband();
    let worstPassDb = 0;
    let worstStopDb = Number.NEGATIVE_INFINITY;
    for (let f = 0; f <= 8000; f++) {
      const db = 20 * Math.log10(Math.abs(halfbandResponse(d, f)));
      if (f <= 3400) worstPassDb = Math.max(worstPassDb, Math.abs(db));
      if (f >= 4600) worstStopDb = Math.max(worstStopDb, db);
    }
    expect(worstPassDb).toBeLessThanOrEqual(0.1);
    expect(worstStopDb).toBeLessThanOrEqual(-70);
    // Equiripple: the design reaches about −76.8 dB (7 dB of margin); fail loudly if that slips.
    expect(worstStopDb).toBeLessThan(-75);
  });

  it('rejects options it cannot design', () => {
    expect(() => designHalfband({ halfLength: 1 })).toThrow(AudioError);
    expect(() => designHalfband({ passbandHz: 4000 })).toThrow(AudioError);
    expect(() => designHalfband({ outputRateHz: 16001 })).toThrow(AudioError);
  });
});

describe('HalfbandUpsampler: frequency response measured on its output', () => {
  it.each(SWEEP_HZ)('passes a %i Hz tone within ±0.1 dB', (toneHz) => {
    expect(Math.abs(responseDb(toneHz, toneHz))).toBeLessThanOrEqual(0.1);
  });

  it.each(SWEEP_HZ)('keeps the image of a %i Hz tone (at 8,000 − f) at or below −70 dB', (toneHz) => {
    expect(responseDb(toneHz, 8000 - toneHz)).toBeLessThanOrEqual(-70);
  });

  it('the measurement catches a weaker filter: half the taps (K = 7) images at about −41 dB', () => {
    const weak = designHalfband({ halfLength: 7 });
    expect(worstImageDb(weak)).toBeGreaterThan(-70);
    expect(worstImageDb(design)).toBeLessThanOrEqual(-70);
  });
});

describe('kernels', () => {
  it('runs on WebAssembly SIMD here (Node 20 has it), and the default upsampler uses it', () => {
    expect(createHalfbandKernel(design).kind).toBe('simd');
    expect(new HalfbandUpsampler().kernelKind).toBe('simd');
  });

  it('WASM SIMD and TypeScript agree bit for bit, rails included, whatever the block length', () => {
    const loud = noiseInt16(20000, 32767, 99); // full-scale noise: some outputs clip
    for (const sizes of [[160], [1], [3], [1021, 3, 2, 1], randomChunkSizes(loud.length, 1500, 4)]) {
      const simd = runChunked(loud, chunkSizes(loud.length, sizes), simdKernel);
      const scalar = runChunked(loud, chunkSizes(loud.length, sizes), scalarKernel);
      expect(sameBits(simd, scalar)).toBe(true);
    }
    const out = new HalfbandUpsampler(simdKernel).process(loud);
    expect(out.some((v) => v === 32767) && out.some((v) => v === -32768)).toBe(true);
    expect(sameBits(out, referenceUpsample(loud))).toBe(true);
  });

  it('upsamplers sharing one kernel keep their own streams', () => {
    const a = noiseInt16(1000, 9000, 1);
    const b = noiseInt16(1000, 9000, 2);
    const [ua, ub] = [new HalfbandUpsampler(simdKernel), new HalfbandUpsampler(simdKernel)];
    const outA: Int16Array[] = [];
    const outB: Int16Array[] = [];
    for (let at = 0; at < 1000; at += 160) {
      outA.push(ua.process(a.subarray(at, at + 160)));
      outB.push(ub.process(b.subarray(at, at + 160)));
    }
    expect(sameBits(concatInt16(outA), new HalfbandUpsampler(scalarKernel).process(a))).toBe(true);
    expect(sameBits(concatInt16(outB), new HalfbandUpsampler(scalarKernel).process(b))).toBe(true);
  });
});

describe.each(KERNELS)('HalfbandUpsampler: streaming (%s kernel)', (_kind, kernel) => {
  const input = mixInt16(noiseInt16(4000, 6000, 8000), sineInt16({ frequencyHz: 440, sampleRateHz: 8000, length: 4000, amplitude: 12000 }));
  const whole = new HalfbandUpsampler(kernel).process(input);

  it('computes exactly the documented integer arithmetic (round half up, saturate)', () => {
    expect(sameBits(whole, referenceUpsample(input))).toBe(true);
  });

  it.each([
    ['20 ms frames', [160]],
    ['single samples', [1]],
    ['7-sample chunks', [7]],
    ['159-sample chunks', [159]],
    ['chunks larger than the internal block', [2500]],
    ['irregular chunks with empty ones', [1, 0, 2, 333, 0, 160, 5, 1024, 3]],
  ])('output in %s is bit-identical to the whole signal at once', (_name, pattern) => {
    expect(sameBits(runChunked(input, chunkSizes(input.length, pattern), kernel), whole)).toBe(true);
  });

  it.each([
    [1, 8],
    [2, 400],
    [3, 3000],
    [0x5eed, 161],
  ])('output in random chunks (seed %i, sizes 0…%i) is bit-identical to the whole signal', (seed, maxSize) => {
    expect(sameBits(runChunked(input, randomChunkSizes(input.length, maxSize, seed), kernel), whole)).toBe(true);
  });

  it('decoding μ-law in the same pass is bit-identical to decode-then-upsample, in any chunking', () => {
    const codes = encodeMulaw(input);
    const expected = new HalfbandUpsampler(kernel).process(decodeMulaw(codes));
    const upsampler = new HalfbandUpsampler(kernel);
    const scratch = new Int16Array(2 * 3000);
    const parts: Int16Array[] = [];
    let at = 0;
    for (const size of randomChunkSizes(codes.length, 3000, 77)) {
      // `length` reads only the first bytes of a longer buffer, as the call session does.
      const padded = new Uint8Array(size + 5).fill(0x80);
      padded.set(codes.subarray(at, at + size));
      const written = upsampler.processMulawInto(padded, scratch, size);
      expect(written).toBe(2 * size);
      parts.push(scratch.slice(0, written));
      at += size;
    }
    expect(sameBits(concatInt16(parts), expected)).toBe(true);
  });

  it('writes exactly 2× the input on every call, and the 29-sample delayed tail on flush', () => {
    const upsampler = new HalfbandUpsampler(kernel);
    const scratch = new Int16Array(2 * 441);
    let streamed = 0;
    let at = 0;
    for (const size of chunkSizes(12345, [441, 7, 160, 1])) {
      const written = upsampler.processInto(input.subarray(at % 3000, (at % 3000) + size), scratch);
      expect(written).toBe(2 * size);
      streamed += written;
      at += size;
    }
    expect(streamed).toBe(2 * 12345);
    expect(upsampler.flush().length).toBe(29);
    expect(upsampler.flush().length).toBe(0); // flushed streams start again empty
  });

  it('the flushed tail is the response to the last inputs fed with silence', () => {
    const short = input.subarray(0, 500);
    const upsampler = new HalfbandUpsampler(kernel);
    const body = upsampler.process(short);
    const tail = upsampler.flush();
    const padded = new Int16Array(500 + 15);
    padded.set(short);
    const reference = referenceUpsample(padded);
    expect(sameBits(concatInt16([body, tail]), reference.subarray(0, 1000 + 29))).toBe(true);
  });

  it('reset() starts a new stream that matches a fresh upsampler', () => {
    const upsampler = new HalfbandUpsampler(kernel);
    upsampler.process(input.subarray(0, 1000));
    upsampler.reset();
    expect(sameBits(upsampler.process(input), whole)).toBe(true);
  });
});

describe('HalfbandUpsampler: delay, gain and range', () => {
  it('delays by exactly 29 output samples: every odd output is the input sample 14 inputs back', () => {
    const input = noiseInt16(2000, 32767, 5);
    const out = new HalfbandUpsampler().process(input);
    expect(new HalfbandUpsampler().delayOutputSamples).toBe(29);
    for (let n = 0; n < input.length; n++) expect(out[2 * n + 1]).toBe(n >= 14 ? input[n - 14] : 0);
  });

  it('has the same delay as the polyphase resampler it replaces (odd outputs equal, in-band even outputs within 6 LSB)', () => {
    const input = mixInt16(
      sineInt16({ frequencyHz: 300, sampleRateHz: 8000, length: 4000, amplitude: 9000 }),
      sineInt16({ frequencyHz: 2900, sampleRateHz: 8000, length: 4000, amplitude: 9000 }),
    );
    const ours = new HalfbandUpsampler().process(input);
    const before = new StreamingResampler(designResampler({ inputRateHz: 8000, outputRateHz: 16000 })).process(input);
    let worst = 0;
    for (let m = 0; m < ours.length; m++) {
      if (m % 2 === 1) expect(ours[m]).toBe(before[m]);
      // The two filters differ only outside the passband: skip the onset, which is broadband.
      else if (m >= 60) worst = Math.max(worst, Math.abs(ours[m]! - before[m]!));
    }
    // Both are flat within ±0.003 dB (3·10⁻⁴) in band: 18,000 peak × 3·10⁻⁴ plus two roundings.
    expect(worst).toBeLessThanOrEqual(6);
  });

  it('has a symmetric (linear-phase) impulse response centred on sample 29, with a unit centre tap', () => {
    const impulse = new Int16Array(40);
    impulse[0] = 16384;
    const h = new HalfbandUpsampler().process(impulse);
    expect(h[29]).toBe(16384);
    for (let j = 1; j <= 29; j++) expect(h[29 - j]).toBe(h[29 + j]);
    for (let j = 2; j <= 28; j += 2) expect(h[29 + j]).toBe(0); // half-band: every other tap zero
    expect(h[30]).toBe(Math.round((design.coefficients[0]! * 16384) / 2 ** COEFFICIENT_BITS));
  });

  it.each([0, 1, -1, 12345, -32768, 32767])('passes DC at 0 dB: a constant %i comes out exactly (after the 29-sample start-up)', (value) => {
    const upsampler = new HalfbandUpsampler();
    const out = upsampler.process(new Int16Array(400).fill(value));
    expect(out.subarray(58).every((v) => v === value)).toBe(true);
    const tail = upsampler.flush();
    if (value === 0) expect(out.every((v) => v === 0) && tail.every((v) => v === 0)).toBe(true);
  });

  it('saturates full-scale ringing instead of wrapping', () => {
    const square = new Int16Array(1600);
    for (let i = 0; i < square.length; i++) square[i] = i % 16 < 8 ? 32767 : -32768;
    const out = new HalfbandUpsampler().process(square);
    expect(sameBits(out, referenceUpsample(square))).toBe(true);
    // The worst input for this filter: full scale with the sign of each tap it meets.
    const worst = new Int16Array(60);
    for (let k = 1; k <= 15; k++) {
      const sign = Math.sign(design.coefficients[k - 1]!);
      // Output 2n = 58 meets inputs 15 − k and 14 + k through tap k.
      worst[15 - k] = sign > 0 ? 32767 : -32768;
      worst[14 + k] = sign > 0 ? 32767 : -32768;
    }
    const peak = new HalfbandUpsampler().process(worst);
    expect(peak[2 * 29]).toBe(32767); // the ideal value is about 2.4 × full scale
    const negated = worst.map((v) => (v > 0 ? -32768 : 32767));
    expect(new HalfbandUpsampler().process(negated)[2 * 29]).toBe(-32768);
    let clipped = 0;
    for (let i = 0; i < out.length; i += 2) if (out[i] === 32767 || out[i] === -32768) clipped++;
    expect(clipped).toBeGreaterThan(0); // the square wave's ringing really did reach the rails
  });

  it('rejects an output buffer shorter than 2× the input', () => {
    const upsampler = new HalfbandUpsampler();
    expect(() => upsampler.processInto(new Int16Array(160), new Int16Array(319))).toThrow(AudioError);
    let caught: unknown = null;
    try {
      upsampler.processMulawInto(new Uint8Array(160), new Int16Array(319));
    } catch (error) {
      caught = error;
    }
    expect(caught instanceof AudioError && caught.code).toBe('AUDIO_OUTPUT_TOO_SMALL');
  });
});
