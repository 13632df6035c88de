/**
 * Measurement helpers for audio tests and the bench: tone generation and single-frequency
 * spectrum analysis (a Blackman–Harris windowed DFT evaluated at one frequency).
 *
 * With integer-Hz tones and a window of a whole number of seconds, every tone sits exactly on
 * a DFT bin, so the amplitude estimate has no scalloping loss; the window's sidelobes are below
 * −92 dB, so a −70 dB image a few hundred hertz from a full-scale tone is still measurable.
 */

export interface ToneOptions {
  frequencyHz: number;
  sampleRateHz: number;
  /** Number of samples. */
  length: number;
  /** Peak amplitude in int16 units. */
  amplitude: number;
  phaseRadians?: number;
}

/** A rounded int16 sine (saturated, so full-scale requests cannot wrap). */
export function sineInt16(options: ToneOptions): Int16Array {
  const { frequencyHz, sampleRateHz, length, amplitude } = options;
  const phase = options.phaseRadians ?? 0;
  const out = new Int16Array(length);
  const step = (2 * Math.PI * frequencyHz) / sampleRateHz;
  for (let n = 0; n < length; n++) {
    const v = Math.round(amplitude * Math.sin(step * n + phase));
    out[n] = Math.max(-32768, Math.min(32767, v));
  }
  return out;
}

/** Sum of several int16 signals of equal length, saturated. */
export function mixInt16(...signals: Int16Array[]): Int16Array {
  const length = signals[0]?.length ?? 0;
  const out = new Int16Array(length);
  for (let n = 0; n < length; n++) {
    let sum = 0;
    for (const s of signals) sum += s[n] ?? 0;
    out[n] = Math.max(-32768, Math.min(32767, sum));
  }
  return out;
}

export interface AnalysisWindow {
  /** First sample analysed. */
  start: number;
  /** Number of samples analysed. */
  length: number;
}

/**
 * Peak amplitude (int16 units) of the component of `samples` at `frequencyHz`, measured over
 * `window` (default: all samples) with a 4-term Blackman–Harris window.
 */
export function toneAmplitude(
  samples: ArrayLike<number>,
  sampleRateHz: number,
  frequencyHz: number,
  window?: AnalysisWindow,
): number {
  const start = window?.start ?? 0;
  const length = window?.length ?? samples.length - start;
  if (start < 0 || length <= 1 || start + length > samples.length) {
    throw new RangeError(`window [${start}, ${start + length}) outside ${samples.length} samples`);
  }
  const omega = (2 * Math.PI * frequencyHz) / sampleRateHz;
  const taper = (2 * Math.PI) / (length - 1);
  let re = 0;
  let im = 0;
  let weightSum = 0;
  for (let n = 0; n < length; n++) {
    const w =
      0.35875 -
      0.48829 * Math.cos(taper * n) +
      0.14128 * Math.cos(2 * taper * n) -
      0.01168 * Math.cos(3 * taper * n);
    const x = (samples[start + n] ?? 0) * w;
    re += x * Math.cos(omega * n);
    im -= x * Math.sin(omega * n);
    weightSum += w;
  }
  return (2 * Math.hypot(re, im)) / weightSum;
}

/** 20·log10(amplitude / reference); −Infinity for a zero amplitude. */
export function levelDb(amplitude: number, reference: number): number {
  return 20 * Math.log10(amplitude / reference);
}

/** Where a tone at `frequencyHz` lands after sampling at `sampleRateHz` (folded to 0…fs/2). */
export function aliasFrequencyHz(frequencyHz: number, sampleRateHz: number): number {
  const wrapped = frequencyHz % sampleRateHz;
  return wrapped > sampleRateHz / 2 ? sampleRateHz - wrapped : wrapped;
}
