import { AudioError } from './errors';
import { StreamingResampler } from './resampler';
import { designResampler, type ResamplerDesign } from './resampler-design';
import { chunkSizes, concatInt16, noiseInt16 } from './testing/signals';
import { mixInt16, sineInt16 } from './testing/spectrum';

const PAIRS = [
  [8000, 16000],
  [16000, 8000],
  [22050, 8000],
  [24000, 8000],
] as const;

const designs = new Map<string, ResamplerDesign>(
  PAIRS.map(([inputRateHz, outputRateHz]) => [
    `${inputRateHz}->${outputRateHz}`,
    designResampler({ inputRateHz, outputRateHz }),
  ]),
);

function designFor(inputRateHz: number, outputRateHz: number): ResamplerDesign {
  const design = designs.get(`${inputRateHz}->${outputRateHz}`);
  if (!design) throw new Error(`no design for ${inputRateHz}->${outputRateHz}`);
  return design;
}

/** Runs `input` through a fresh resampler in chunks of the given sizes, with processInto. */
function runChunked(design: ResamplerDesign, input: Int16Array, sizes: readonly number[]): Int16Array {
  const resampler = new StreamingResampler(design);
  const scratch = new Int16Array(resampler.maxOutputLength(Math.max(...sizes, 1)));
  const parts: Int16Array[] = [];
  let at = 0;
  for (const size of sizes) {
    const written = resampler.processInto(input.subarray(at, at + size), scratch);
    parts.push(scratch.slice(0, written));
    at += size;
  }
  return concatInt16(parts);
}

/** Straight-from-the-definition reference: zero-stuff by L, convolve, keep every M-th. */
function naiveResample(design: ResamplerDesign, input: Int16Array, outputs: number): Float64Array {
  const { upFactor: L, downFactor: M, prototype: h } = design;
  const out = new Float64Array(outputs);
  for (let m = 0; m < outputs; m++) {
    const t = m * M;
    let acc = 0;
    for (let n = t % L; n < h.length && n <= t; n += L) acc += h[n]! * (input[(t - n) / L] ?? 0);
    out[m] = acc;
  }
  return out;
}

function testSignal(rateHz: number, seconds: number): Int16Array {
  const length = Math.round(rateHz * seconds);
  return mixInt16(
    noiseInt16(length, 6000, rateHz),
    sineInt16({ frequencyHz: 440, sampleRateHz: rateHz, length, amplitude: 12000 }),
  );
}

describe.each(PAIRS)('StreamingResampler %i Hz → %i Hz', (inputRateHz, outputRateHz) => {
  const design = designFor(inputRateHz, outputRateHz);
  const input = testSignal(inputRateHz, 0.5);
  const whole = new StreamingResampler(design).process(input);
  const frame = inputRateHz / 50;

  it.each([
    ['20 ms frames', [frame]],
    ['7-sample chunks', [7]],
    ['159-sample chunks', [159]],
    ['441-sample chunks', [441]],
    ['single samples', [1]],
    ['irregular chunks with empty ones', [1, 0, 2, 333, 0, 160, 5, 1024, 3]],
  ])('output in %s is bit-identical to the whole signal at once', (_name, pattern) => {
    const chunked = runChunked(design, input, chunkSizes(input.length, pattern));
    expect(chunked.length).toBe(whole.length);
    expect(Buffer.from(chunked.buffer).equals(Buffer.from(whole.buffer))).toBe(true);
  });

  it('matches a direct zero-stuff/convolve/decimate reference within 1 LSB', () => {
    const short = input.subarray(0, 600);
    const ours = new StreamingResampler(design).process(short);
    const reference = naiveResample(design, short, ours.length);
    let worst = 0;
    for (let m = 0; m < ours.length; m++) worst = Math.max(worst, Math.abs(ours[m]! - reference[m]!));
    expect(worst).toBeLessThanOrEqual(0.5 + 1e-6);
  });

  it('outputs exactly ceil(n·L/M) samples while streaming, and the delayed tail on flush', () => {
    const resampler = new StreamingResampler(design);
    const n = 12345;
    const signal = testSignal(inputRateHz, n / inputRateHz).subarray(0, n);
    let streamed = 0;
    let at = 0;
    const scratch = new Int16Array(resampler.maxOutputLength(441));
    for (const size of chunkSizes(n, [441, 7, 160])) {
      streamed += resampler.processInto(signal.subarray(at, at + size), scratch);
      at += size;
    }
    const { upFactor: L, downFactor: M, delayHighRateSamples: c } = design;
    expect(streamed).toBe(Math.ceil((n * L) / M));
    const tail = resampler.flush();
    expect(streamed + tail.length).toBe(Math.ceil((n * L + c) / M));
    // That is the input's duration plus the group delay, rounded up to a whole sample.
    const excess = streamed + tail.length - design.delayOutputSamples - (n * outputRateHz) / inputRateHz;
    expect(excess).toBeGreaterThanOrEqual(0);
    expect(excess).toBeLessThan(1);
  });

  it('has the documented constant group delay (a tone comes out shifted by exactly it)', () => {
    for (const frequencyHz of [300, 1000, 3000]) {
      const amplitude = 10000;
      const tone = sineInt16({ frequencyHz, sampleRateHz: inputRateHz, length: inputRateHz / 4, amplitude });
      const out = new StreamingResampler(design).process(tone);
      const delay = design.delayOutputSamples;
      let worst = 0;
      for (let m = Math.ceil(2 * delay) + 10; m < out.length; m++) {
        const expected = amplitude * Math.sin((2 * Math.PI * frequencyHz * (m - delay)) / outputRateHz);
        worst = Math.max(worst, Math.abs(out[m]! - expected));
      }
      // Passband ripple is ~0.003 dB (0.04 %, 4 LSB here) plus 0.5 LSB of rounding.
      expect(worst).toBeLessThan(8);
    }
  });

  it('turns silence into exact silence, including the flushed tail', () => {
    const resampler = new StreamingResampler(design);
    const out = resampler.process(new Int16Array(frame * 5));
    const tail = resampler.flush();
    expect(out.every((v) => v === 0)).toBe(true);
    expect(tail.every((v) => v === 0)).toBe(true);
  });

  it('saturates a full-scale square wave instead of wrapping', () => {
    const length = frame * 10;
    const square = new Int16Array(length);
    const period = Math.round(inputRateHz / 500);
    for (let i = 0; i < length; i++) square[i] = i % period < period / 2 ? 32767 : -32768;
    const out = new StreamingResampler(design).process(square);
    const reference = naiveResample(design, square, out.length);
    let overshoots = 0;
    for (let m = 0; m < out.length; m++) {
      const ideal = reference[m]!;
      if (Math.abs(ideal) > 32767) overshoots++;
      expect(Math.abs(out[m]! - Math.max(-32768, Math.min(32767, ideal)))).toBeLessThanOrEqual(0.5 + 1e-6);
    }
    expect(overshoots).toBeGreaterThan(0); // the ringing really would have wrapped
  });

  it('reset() starts a new stream that matches a fresh resampler', () => {
    const resampler = new StreamingResampler(design);
    resampler.process(input.subarray(0, 1000));
    resampler.reset();
    expect(Array.from(resampler.process(input))).toEqual(Array.from(whole));
  });
});

describe('StreamingResampler API', () => {
  it('rejects an output buffer that could be too small', () => {
    const resampler = new StreamingResampler(designFor(8000, 16000));
    expect(() => resampler.processInto(new Int16Array(160), new Int16Array(319))).toThrow(AudioError);
    try {
      resampler.processInto(new Int16Array(160), new Int16Array(319));
    } catch (error) {
      expect(error instanceof AudioError && error.code).toBe('AUDIO_OUTPUT_TOO_SMALL');
    }
  });

  it('writes 20 ms in, 20 ms out for every telephony pair', () => {
    for (const [inputRateHz, outputRateHz] of PAIRS) {
      const resampler = new StreamingResampler(designFor(inputRateHz, outputRateHz));
      const out = new Int16Array(resampler.maxOutputLength(inputRateHz / 50));
      for (let i = 0; i < 5; i++) {
        expect(resampler.processInto(new Int16Array(inputRateHz / 50), out)).toBe(outputRateHz / 50);
      }
    }
  });

  it('flush() of an empty stream is empty', () => {
    expect(new StreamingResampler(designFor(24000, 8000)).flush().length).toBe(0);
  });

  it('rejects rates that are not positive integers', () => {
    expect(() => designResampler({ inputRateHz: 0, outputRateHz: 8000 })).toThrow(AudioError);
    expect(() => designResampler({ inputRateHz: 8000.5, outputRateHz: 8000 })).toThrow(AudioError);
  });
});
