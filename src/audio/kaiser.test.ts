import { AudioError } from './errors';
import { besselI0, designKaiserLowpass, kaiserBeta, kaiserLength } from './kaiser';
import { PHASE_IDENTITY, PHASE_SYMMETRIC } from './polyphase-kernels';
import { designResampler } from './resampler-design';

describe('Kaiser design', () => {
  it('computes I0 to double precision', () => {
    expect(besselI0(0)).toBe(1);
    expect(besselI0(1)).toBeCloseTo(1.2660658777520082, 14);
    expect(besselI0(5)).toBeCloseTo(27.239871823604442, 11);
  });

  it('uses the published β and length formulas', () => {
    expect(kaiserBeta(70)).toBeCloseTo(0.1102 * 61.3, 12);
    expect(kaiserBeta(40)).toBeCloseTo(0.5842 * 19 ** 0.4 + 0.07886 * 19, 12);
    expect(kaiserBeta(10)).toBe(0);
    expect(kaiserLength(70, 1200, 16000)).toBe(Math.ceil(62.05 / (2.285 * ((2 * Math.PI * 1200) / 16000))) + 1);
  });

  it('is an odd-length, symmetric lowpass with the requested DC gain', () => {
    const { coefficients, centre } = designKaiserLowpass({
      sampleRateHz: 16000,
      passbandHz: 3400,
      stopbandHz: 4600,
      attenuationDb: 70,
      gain: 2,
      lengthMultiple: 2,
    });
    expect(Number.isInteger(centre)).toBe(true);
    for (let k = 1; k <= centre; k++) expect(coefficients[centre - k]).toBe(coefficients[centre + k]);
    // Half-band (cutoff at fs/4): every second tap from the centre is exactly zero.
    for (let k = 2; k <= centre; k += 2) expect(coefficients[centre + k]).toBe(0);
    const dcGain = coefficients.reduce((sum, c) => sum + c, 0);
    expect(dcGain).toBeCloseTo(2, 3);
  });

  it('rejects impossible specifications', () => {
    const spec = { sampleRateHz: 8000, attenuationDb: 60, gain: 1, lengthMultiple: 1 };
    expect(() => designKaiserLowpass({ ...spec, passbandHz: 3000, stopbandHz: 2000 })).toThrow(AudioError);
    expect(() => designKaiserLowpass({ ...spec, passbandHz: 3000, stopbandHz: 5000 })).toThrow(AudioError);
  });
});

describe('resampler design', () => {
  it('reduces the ratio and splits 8 → 16 kHz into a symmetric phase and a pure delay', () => {
    const design = designResampler({ inputRateHz: 8000, outputRateHz: 16000 });
    expect([design.upFactor, design.downFactor]).toEqual([2, 1]);
    expect(Array.from(design.phaseKind).sort()).toEqual([PHASE_SYMMETRIC, PHASE_IDENTITY].sort());
    expect(Number.isInteger(design.delayOutputSamples)).toBe(true);
  });

  it('handles 22,050 → 8,000 Hz as L = 160, M = 441 with unit DC gain in every phase', () => {
    const design = designResampler({ inputRateHz: 22050, outputRateHz: 8000 });
    expect([design.upFactor, design.downFactor]).toEqual([160, 441]);
    for (let p = 0; p < design.upFactor; p++) {
      let sum = 0;
      for (let n = p; n < design.prototype.length; n += design.upFactor) sum += design.prototype[n]!;
      expect(sum).toBeCloseTo(1, 12);
    }
  });

  it('refuses ratios whose filter bank would be unreasonably large', () => {
    expect(() => designResampler({ inputRateHz: 44100, outputRateHz: 48001 })).toThrow(AudioError);
  });
});
