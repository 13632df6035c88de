/**
 * The immutable half of a rational (L/M) polyphase resampler: filter bank plus phase schedule.
 *
 * Design once per rate pair (in the composition root) and share it between every call's
 * {@link StreamingResampler}; designing the 22,050 Hz bank takes a few milliseconds.
 */
import { AudioError } from './errors';
import { designKaiserLowpass } from './kaiser';
import { PHASE_DENSE, PHASE_IDENTITY, PHASE_SYMMETRIC } from './polyphase-kernels';

export interface ResamplerDesignOptions {
  inputRateHz: number;
  outputRateHz: number;
  /** Flat up to here. Default: 0.85 × the lower Nyquist (3,400 Hz when one side is 8 kHz). */
  passbandHz?: number;
  /** Images/aliases from here up are attenuated. Default: 1.15 × the lower Nyquist (4,600 Hz). */
  stopbandHz?: number;
  /** Default 70 dB (the acceptance criterion is 60 dB; Kaiser's length formula is approximate). */
  attenuationDb?: number;
}

/** Largest interpolation factor accepted (22,050 → 8,000 needs 160). */
const MAX_UP_FACTOR = 1024;

export interface ResamplerDesign {
  readonly inputRateHz: number;
  readonly outputRateHz: number;
  /** Interpolation factor L (output/input = L/M, reduced). */
  readonly upFactor: number;
  /** Decimation factor M. */
  readonly downFactor: number;
  /** Input samples kept between chunks (taps per phase − 1). */
  readonly historyLength: number;
  /** Per-phase coefficients, zeros trimmed, stored reversed so the dot product reads forwards. */
  readonly coefficients: Float64Array;
  /** Start of phase p in `coefficients`. */
  readonly phaseOffset: Int32Array;
  /** Number of (non-trimmed) taps of phase p. */
  readonly phaseLength: Int32Array;
  /** Leading taps trimmed from phase p: its newest input is `lead` samples before the current one. */
  readonly phaseLead: Int32Array;
  /**
   * How phase p runs (see polyphase-kernels): dense; symmetric (a palindrome: only its first
   * ceil(length/2) coefficients are stored, mirrored inputs are added before multiplying); or
   * identity (a single tap of exactly 1, the centre phase of a half-band interpolator).
   */
  readonly phaseKind: Uint8Array;
  /** Input samples to advance after an output of phase p. */
  readonly phaseAdvance: Int32Array;
  /** Phase of the next output after an output of phase p. */
  readonly phaseNext: Int32Array;
  /** Prototype lowpass at input × L, per-phase normalised (for reference checks). */
  readonly prototype: Float64Array;
  /** Group delay in samples at input × L (an integer: the centre tap). */
  readonly delayHighRateSamples: number;
  /** Constant group delay at the output rate (may be fractional, e.g. for 22,050 Hz). */
  readonly delayOutputSamples: number;
}

function greatestCommonDivisor(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}

function validateRates(inputRateHz: number, outputRateHz: number): void {
  for (const rate of [inputRateHz, outputRateHz]) {
    if (!Number.isInteger(rate) || rate <= 0) {
      throw new AudioError('AUDIO_INVALID_OPTIONS', `sample rates must be positive integers, got ${rate}`);
    }
  }
}

/** Whether taps first…last of phase p (stride L in the prototype) read the same both ways. */
function isPalindrome(
  prototype: Float64Array,
  p: number,
  upFactor: number,
  first: number,
  last: number,
): boolean {
  for (let i = first, j = last; i < j; i++, j--) {
    if (prototype[p + i * upFactor] !== prototype[p + j * upFactor]) return false;
  }
  return true;
}

export function designResampler(options: ResamplerDesignOptions): ResamplerDesign {
  const { inputRateHz, outputRateHz } = options;
  validateRates(inputRateHz, outputRateHz);
  const divisor = greatestCommonDivisor(inputRateHz, outputRateHz);
  const upFactor = outputRateHz / divisor;
  const downFactor = inputRateHz / divisor;
  if (upFactor > MAX_UP_FACTOR) {
    throw new AudioError('AUDIO_INVALID_OPTIONS', `rate ratio needs L=${upFactor} > ${MAX_UP_FACTOR}`);
  }
  const lowerNyquistHz = Math.min(inputRateHz, outputRateHz) / 2;
  const filter = designKaiserLowpass({
    sampleRateHz: inputRateHz * upFactor,
    passbandHz: options.passbandHz ?? 0.85 * lowerNyquistHz,
    stopbandHz: options.stopbandHz ?? 1.15 * lowerNyquistHz,
    attenuationDb: options.attenuationDb ?? 70,
    gain: upFactor,
    lengthMultiple: upFactor,
  });
  const prototype = filter.coefficients;
  const tapsPerPhase = prototype.length / upFactor;

  const phaseOffset = new Int32Array(upFactor);
  const phaseLength = new Int32Array(upFactor);
  const phaseLead = new Int32Array(upFactor);
  const phaseKind = new Uint8Array(upFactor);
  const packed: number[] = [];
  for (let p = 0; p < upFactor; p++) {
    const tap = (k: number): number => prototype[p + k * upFactor]!;
    let first = 0;
    while (first < tapsPerPhase && tap(first) === 0) first++;
    let last = tapsPerPhase - 1;
    while (last > first && tap(last) === 0) last--;
    if (first === tapsPerPhase) {
      throw new AudioError('AUDIO_INVALID_OPTIONS', `phase ${p} of the filter is all zeros`);
    }
    // Unit DC gain per phase: silence stays silence and a DC offset makes no image.
    let sum = 0;
    for (let k = first; k <= last; k++) sum += tap(k);
    for (let k = 0; k < tapsPerPhase; k++) prototype[p + k * upFactor] = tap(k) / sum;
    phaseOffset[p] = packed.length;
    phaseLength[p] = last - first + 1;
    phaseLead[p] = first;
    const symmetric = isPalindrome(prototype, p, upFactor, first, last);
    if (first === last && tap(first) === 1) phaseKind[p] = PHASE_IDENTITY;
    else phaseKind[p] = symmetric ? PHASE_SYMMETRIC : PHASE_DENSE;
    const stored = symmetric ? Math.ceil((last - first + 1) / 2) : last - first + 1;
    for (let k = last; k > last - stored; k--) packed.push(tap(k));
  }

  const phaseAdvance = new Int32Array(upFactor);
  const phaseNext = new Int32Array(upFactor);
  for (let p = 0; p < upFactor; p++) {
    phaseAdvance[p] = Math.floor((p + downFactor) / upFactor);
    phaseNext[p] = (p + downFactor) % upFactor;
  }

  return {
    inputRateHz,
    outputRateHz,
    upFactor,
    downFactor,
    historyLength: tapsPerPhase - 1,
    coefficients: Float64Array.from(packed),
    phaseOffset,
    phaseLength,
    phaseLead,
    phaseKind,
    phaseAdvance,
    phaseNext,
    prototype,
    delayHighRateSamples: filter.centre,
    delayOutputSamples: filter.centre / downFactor,
  };
}

/** What Twilio and Maqsam send and expect. */
export const TELEPHONY_SAMPLE_RATE_HZ = 8000;

/**
 * 8 kHz → `sttRateHz` as a polyphase design. Calls use the half-band upsampler for 16 kHz
 * (halfband-upsampler.ts); this remains for other recognition rates and for comparison.
 */
export function designInboundResampler(sttRateHz = 16000): ResamplerDesign {
  return designResampler({ inputRateHz: TELEPHONY_SAMPLE_RATE_HZ, outputRateHz: sttRateHz });
}

/** TTS audio back to the phone: `sourceRateHz` (16,000, 22,050, 24,000, …) → 8 kHz. */
export function designOutboundResampler(sourceRateHz: number): ResamplerDesign {
  return designResampler({ inputRateHz: sourceRateHz, outputRateHz: TELEPHONY_SAMPLE_RATE_HZ });
}
