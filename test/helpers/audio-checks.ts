/** Small measurements of PCM16 audio for tests: loudness and where the energy lies. */

export function rms(samples: Int16Array): number {
  let sum = 0;
  for (const s of samples) sum += s * s;
  return Math.sqrt(sum / Math.max(1, samples.length));
}

/**
 * Share of the signal's energy between `lowHz` and `highHz`, from a DFT of 256-sample blocks
 * (Hann window), summed over the whole signal.
 */
export function bandEnergyRatio(samples: Int16Array, rateHz: number, lowHz: number, highHz: number): number {
  const n = 256;
  const window = Float64Array.from({ length: n }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (n - 1)));
  let inBand = 0;
  let total = 0;
  for (let start = 0; start + n <= samples.length; start += n) {
    for (let k = 1; k < n / 2; k++) {
      let re = 0;
      let im = 0;
      for (let i = 0; i < n; i++) {
        const x = (samples[start + i] ?? 0) * (window[i] ?? 0);
        re += x * Math.cos((2 * Math.PI * k * i) / n);
        im -= x * Math.sin((2 * Math.PI * k * i) / n);
      }
      const power = re * re + im * im;
      const hz = (k * rateHz) / n;
      total += power;
      if (hz >= lowHz && hz <= highHz) inBand += power;
    }
  }
  return total === 0 ? 0 : inBand / total;
}
