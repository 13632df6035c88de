/**
 * The resamplers' measured frequency response (tone sweeps), formerly part of src/audio/bench.ts.
 * Printed by `npm run bench -- --quality`.
 */
import { StreamingResampler } from '../src/audio/resampler';
import { designResampler, type ResamplerDesign } from '../src/audio/resampler-design';
import { aliasFrequencyHz, levelDb, sineInt16, toneAmplitude } from '../src/audio/testing/spectrum';

export interface QualityRow {
  pair: string;
  /** Largest deviation from 0 dB over 100…3,400 Hz. */
  rippleDb: number;
  /** Worst image (upsampling) or alias (downsampling), dB relative to the tone. */
  worstStopDb: number;
  worstStopAtHz: number;
  delayOutputSamples: number;
  designMs: number;
}

function responseDb(design: ResamplerDesign, toneHz: number, measureHz: number): number {
  const { inputRateHz, outputRateHz } = design;
  const tone = sineInt16({ frequencyHz: toneHz, sampleRateHz: inputRateHz, length: inputRateHz, amplitude: 20000 });
  const out = new StreamingResampler(design).process(tone);
  const window = { start: Math.round(outputRateHz * 0.2), length: outputRateHz / 2 };
  return levelDb(toneAmplitude(out, outputRateHz, measureHz, window), 20000);
}

/** Passband 100…3,400 Hz every 100 Hz; images of those tones, or aliases of 4,600 Hz and up. */
export function measureQuality(inputRateHz: number, outputRateHz: number): QualityRow {
  const started = process.hrtime.bigint();
  const design = designResampler({ inputRateHz, outputRateHz });
  const designMs = Number(process.hrtime.bigint() - started) / 1e6;
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (let f = 100; f <= 3400; f += 100) {
    const gain = responseDb(design, f, f);
    low = Math.min(low, gain);
    high = Math.max(high, gain);
  }
  let worstStopDb = Number.NEGATIVE_INFINITY;
  let worstStopAtHz = 0;
  const stopTones: number[] = [];
  if (outputRateHz > inputRateHz) for (let f = 100; f <= 3400; f += 100) stopTones.push(f);
  else for (let f = 4600; f < inputRateHz / 2; f += 200) stopTones.push(f);
  for (const f of stopTones) {
    const at = outputRateHz > inputRateHz ? inputRateHz - f : aliasFrequencyHz(f, outputRateHz);
    const level = responseDb(design, f, at);
    if (level > worstStopDb) [worstStopDb, worstStopAtHz] = [level, f];
  }
  return {
    pair: `${inputRateHz} → ${outputRateHz}`,
    rippleDb: Math.max(Math.abs(low), Math.abs(high)),
    worstStopDb,
    worstStopAtHz,
    delayOutputSamples: design.delayOutputSamples,
    designMs,
  };
}

export const QUALITY_PAIRS = [
  [8000, 16000],
  [16000, 8000],
  [22050, 8000],
  [24000, 8000],
] as const;

export function formatQuality(rows: readonly QualityRow[]): string {
  return rows
    .map((q) => {
      const kind = q.pair.startsWith('8000') ? 'image' : 'alias';
      return (
        `  ${q.pair.padEnd(15)} passband ±${q.rippleDb.toFixed(4)} dB (100–3400 Hz), worst ${kind} ` +
        `${q.worstStopDb.toFixed(1)} dB (tone ${q.worstStopAtHz} Hz), delay ${q.delayOutputSamples.toFixed(2)} samples, ` +
        `design ${q.designMs.toFixed(1)} ms`
      );
    })
    .join('\n');
}
