/**
 * Measurements for speech tests: RMS level, and where a signal's energy lies in frequency
 * (power spectrum by a radix-2 FFT over the whole signal, zero-padded, Hann-windowed).
 */

export function rms(samples: ArrayLike<number>): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < samples.length; i++) sum += samples[i]! ** 2;
  return Math.sqrt(sum / samples.length);
}

/** Power per FFT bin (0…N/2) and the bin width in Hz. */
export function powerSpectrum(samples: ArrayLike<number>, sampleRateHz: number): { power: Float64Array; binHz: number } {
  let size = 1;
  while (size < samples.length) size *= 2;
  const re = new Float64Array(size);
  const im = new Float64Array(size);
  const n = samples.length;
  for (let i = 0; i < n; i++) re[i] = samples[i]! * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / Math.max(1, n - 1)));
  fft(re, im);
  const power = new Float64Array(size / 2 + 1);
  for (let k = 0; k < power.length; k++) power[k] = re[k]! ** 2 + im[k]! ** 2;
  return { power, binHz: sampleRateHz / size };
}

/** Share (0…1) of the signal's energy between `lowHz` and `highHz`. */
export function bandEnergyFraction(
  samples: ArrayLike<number>,
  sampleRateHz: number,
  lowHz: number,
  highHz: number,
): number {
  const { power, binHz } = powerSpectrum(samples, sampleRateHz);
  let total = 0;
  let band = 0;
  for (let k = 0; k < power.length; k++) {
    total += power[k]!;
    const hz = k * binHz;
    if (hz >= lowHz && hz <= highHz) band += power[k]!;
  }
  return total === 0 ? 0 : band / total;
}

/** Frequency of the strongest bin above DC. */
export function peakFrequencyHz(samples: ArrayLike<number>, sampleRateHz: number): number {
  const { power, binHz } = powerSpectrum(samples, sampleRateHz);
  let best = 1;
  for (let k = 2; k < power.length; k++) if (power[k]! > power[best]!) best = k;
  return best * binHz;
}

/** In-place iterative radix-2 FFT; the length must be a power of two. */
function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j]!, re[i]!];
      [im[i], im[j]] = [im[j]!, im[i]!];
    }
  }
  for (let length = 2; length <= n; length *= 2) {
    const angle = (-2 * Math.PI) / length;
    const wRe = Math.cos(angle);
    const wIm = Math.sin(angle);
    for (let start = 0; start < n; start += length) {
      let curRe = 1;
      let curIm = 0;
      for (let k = 0; k < length / 2; k++) {
        const a = start + k;
        const b = a + length / 2;
        const tRe = re[b]! * curRe - im[b]! * curIm;
        const tIm = re[b]! * curIm + im[b]! * curRe;
        re[b] = re[a]! - tRe;
        im[b] = im[a]! - tIm;
        re[a] = re[a]! + tRe;
        im[a] = im[a]! + tIm;
        const nextRe = curRe * wRe - curIm * wIm;
        curIm = curRe * wIm + curIm * wRe;
        curRe = nextRe;
      }
    }
  }
}
