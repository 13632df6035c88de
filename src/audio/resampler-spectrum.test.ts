/**
 * Frequency-domain acceptance criteria for the telephony resamplers, measured on sine tones:
 * passband flat within ±0.5 dB up to 3.4 kHz; images (upsampling) and aliases (downsampling)
 * at or below −60 dB relative to the tone.
 */
import { StreamingResampler } from './resampler';
import { designResampler, type ResamplerDesign } from './resampler-design';
import { aliasFrequencyHz, levelDb, sineInt16, toneAmplitude } from './testing/spectrum';

const AMPLITUDE = 20000;
const PASSBAND_HZ = [300, 1000, 3000, 3400];

/**
 * Level (dB relative to the input tone) at `measureHz` in the output when a tone at `toneHz` is
 * resampled. Half a second of output is analysed after 0.2 s of settling (far longer than the
 * filter), so tones at multiples of 2 Hz sit exactly on DFT bins.
 */
function responseDb(design: ResamplerDesign, toneHz: number, measureHz: number): number {
  const { inputRateHz, outputRateHz } = design;
  const tone = sineInt16({
    frequencyHz: toneHz,
    sampleRateHz: inputRateHz,
    length: Math.round(inputRateHz * 0.75),
    amplitude: AMPLITUDE,
  });
  const out = new StreamingResampler(design).process(tone);
  const window = { start: Math.round(outputRateHz * 0.2), length: outputRateHz / 2 };
  return levelDb(toneAmplitude(out, outputRateHz, measureHz, window), AMPLITUDE);
}

describe('8 kHz → 16 kHz (inbound, to speech recognition)', () => {
  const design = designResampler({ inputRateHz: 8000, outputRateHz: 16000 });

  it.each(PASSBAND_HZ)('passes %i Hz within ±0.5 dB', (toneHz) => {
    expect(Math.abs(responseDb(design, toneHz, toneHz))).toBeLessThanOrEqual(0.5);
  });

  it.each(PASSBAND_HZ)('keeps the image of a %i Hz tone (at 8000 − f) at or below −60 dB', (toneHz) => {
    expect(responseDb(design, toneHz, 8000 - toneHz)).toBeLessThanOrEqual(-60);
  });
});

describe.each([16000, 22050, 24000])('%i Hz → 8 kHz (outbound, TTS to the phone)', (inputRateHz) => {
  const design = designResampler({ inputRateHz, outputRateHz: 8000 });
  const aliasTonesHz = [4600, 5000, 6000, 7000, 10000].filter((f) => f < inputRateHz / 2);

  it.each(PASSBAND_HZ)('passes %i Hz within ±0.5 dB', (toneHz) => {
    expect(Math.abs(responseDb(design, toneHz, toneHz))).toBeLessThanOrEqual(0.5);
  });

  it.each(aliasTonesHz)('attenuates the alias of a %i Hz tone by at least 60 dB', (toneHz) => {
    const aliasHz = aliasFrequencyHz(toneHz, 8000);
    expect(responseDb(design, toneHz, aliasHz)).toBeLessThanOrEqual(-60);
  });
});

describe('the measurement itself', () => {
  it('reads a bin-centred tone amplitude within 0.01 dB and a −70 dB tone within 1 dB', () => {
    const length = 8000;
    const loud = sineInt16({ frequencyHz: 1000, sampleRateHz: 8000, length, amplitude: AMPLITUDE });
    const quiet = sineInt16({ frequencyHz: 1400, sampleRateHz: 8000, length, amplitude: AMPLITUDE });
    const mixed = new Float64Array(length);
    for (let i = 0; i < length; i++) mixed[i] = loud[i]! + quiet[i]! * 10 ** (-70 / 20);
    expect(Math.abs(levelDb(toneAmplitude(loud, 8000, 1000), AMPLITUDE))).toBeLessThan(0.01);
    expect(Math.abs(levelDb(toneAmplitude(mixed, 8000, 1400), AMPLITUDE) + 70)).toBeLessThan(1);
  });

  it('folds frequencies above Nyquist', () => {
    expect(aliasFrequencyHz(5000, 8000)).toBe(3000);
    expect(aliasFrequencyHz(10000, 8000)).toBe(2000);
    expect(aliasFrequencyHz(3000, 8000)).toBe(3000);
  });
});
