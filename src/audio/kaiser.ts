/**
 * Kaiser-windowed sinc lowpass design (Kaiser & Schafer's empirical formulas).
 * Runs once per resampler design, never per frame.
 */
import { AudioError } from './errors';

export interface KaiserLowpassSpec {
  /** Rate the filter runs at (for a resampler: the upsampled rate, input × L). */
  sampleRateHz: number;
  /** Last frequency that must pass (the −3 dB point is halfway to the stopband). */
  passbandHz: number;
  /** First frequency that must be attenuated by `attenuationDb`. */
  stopbandHz: number;
  /** Stopband attenuation in dB (positive, e.g. 70). */
  attenuationDb: number;
  /** Passband gain (an interpolator by L needs L). */
  gain: number;
  /**
   * Round the length up to a multiple of this (the polyphase factor L), padding with zeros at
   * the end. The filter proper always has an odd length so its centre falls on a sample.
   */
  lengthMultiple: number;
}

export interface KaiserLowpass {
  /** Coefficients; `coefficients.length` is a multiple of `lengthMultiple`. */
  coefficients: Float64Array;
  /** Index of the centre tap: the group delay in samples at `sampleRateHz`. */
  centre: number;
  beta: number;
}

/** Zeroth-order modified Bessel function of the first kind, by its power series. */
export function besselI0(x: number): number {
  const quarterXSquared = (x * x) / 4;
  let term = 1;
  let sum = 1;
  for (let k = 1; k < 200; k++) {
    term *= quarterXSquared / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

/** Kaiser's β for a given stopband attenuation in dB. */
export function kaiserBeta(attenuationDb: number): number {
  if (attenuationDb > 50) return 0.1102 * (attenuationDb - 8.7);
  if (attenuationDb >= 21) {
    return 0.5842 * (attenuationDb - 21) ** 0.4 + 0.07886 * (attenuationDb - 21);
  }
  return 0;
}

/** Kaiser's estimate of the filter length for an attenuation and a transition width. */
export function kaiserLength(attenuationDb: number, transitionHz: number, sampleRateHz: number): number {
  const transitionRadians = (2 * Math.PI * transitionHz) / sampleRateHz;
  return Math.ceil((attenuationDb - 7.95) / (2.285 * transitionRadians)) + 1;
}

/** sin(πx)/(πx), exactly 0 at non-zero integers so half-band zeros stay zeros. */
function sinc(x: number): number {
  if (x === 0) return 1;
  if (Number.isInteger(x)) return 0;
  return Math.sin(Math.PI * x) / (Math.PI * x);
}

export function designKaiserLowpass(spec: KaiserLowpassSpec): KaiserLowpass {
  const { sampleRateHz, passbandHz, stopbandHz, attenuationDb, gain, lengthMultiple } = spec;
  if (!(passbandHz > 0 && passbandHz < stopbandHz && stopbandHz <= sampleRateHz / 2)) {
    throw new AudioError(
      'AUDIO_INVALID_OPTIONS',
      'lowpass needs 0 < passbandHz < stopbandHz <= sampleRateHz / 2',
    );
  }
  if (!(attenuationDb > 0) || !Number.isInteger(lengthMultiple) || lengthMultiple < 1) {
    throw new AudioError('AUDIO_INVALID_OPTIONS', 'attenuationDb > 0 and integer lengthMultiple >= 1');
  }
  let length = kaiserLength(attenuationDb, stopbandHz - passbandHz, sampleRateHz);
  if (length % 2 === 0) length += 1;
  const padded = Math.ceil(length / lengthMultiple) * lengthMultiple;
  const centre = (length - 1) / 2;
  const beta = kaiserBeta(attenuationDb);
  const cutoffRatio = (passbandHz + stopbandHz) / sampleRateHz; // 2·fc/fs
  const windowScale = 1 / besselI0(beta);
  const coefficients = new Float64Array(padded);
  for (let n = 0; n < length; n++) {
    const r = (n - centre) / centre;
    const window = besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) * windowScale;
    coefficients[n] = gain * cutoffRatio * sinc(cutoffRatio * (n - centre)) * window;
  }
  return { coefficients, centre, beta };
}
