/**
 * The resamplers' measured frequency response (tone sweeps), formerly part of src/audio/bench.ts.
 * Printed by `npm run bench -- --quality`: the polyphase designs for every pair, then the 8 → 16 kHz
 * candidates side by side (the half-band the calls use, the polyphase it replaced, Speex).
 */
import { designHalfband } from '../src/audio/halfband-design';
import { createHalfbandKernel } from '../src/audio/halfband-kernel';
import { HalfbandUpsampler } from '../src/audio/halfband-upsampler';
import { StreamingResampler } from '../src/audio/resampler';
import { designResampler, type ResamplerDesign } from '../src/audio/resampler-design';
import { aliasFrequencyHz, levelDb, sineInt16, toneAmplitude } from '../src/audio/testing/spectrum';
import { loadSpeex, SpeexStream } from './speex';

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

/** Level (dB re the tone) at `measureHz` in what `run` makes of a one-second tone at `toneHz`. */
function levelOf(run: (tone: Int16Array) => Int16Array, inputRateHz: number, outputRateHz: number, toneHz: number, measureHz: number): number {
  const tone = sineInt16({ frequencyHz: toneHz, sampleRateHz: inputRateHz, length: inputRateHz, amplitude: 20000 });
  const out = run(tone);
  const window = { start: Math.round(outputRateHz * 0.2), length: outputRateHz / 2 };
  return levelDb(toneAmplitude(out, outputRateHz, measureHz, window), 20000);
}

function responseDb(design: ResamplerDesign, toneHz: number, measureHz: number): number {
  const run = (tone: Int16Array) => new StreamingResampler(design).process(tone);
  return levelOf(run, design.inputRateHz, design.outputRateHz, toneHz, measureHz);
}

/** Passband ripple (100…3,400 Hz) and worst image (of those tones) of an 8 → 16 kHz upsampler. */
function upsamplerRow(pair: string, run: (tone: Int16Array) => Int16Array, delayOutputSamples: number, designMs: number): QualityRow {
  let rippleDb = 0;
  let worstStopDb = Number.NEGATIVE_INFINITY;
  let worstStopAtHz = 0;
  for (let f = 100; f <= 3400; f += 100) {
    rippleDb = Math.max(rippleDb, Math.abs(levelOf(run, 8000, 16000, f, f)));
    const image = levelOf(run, 8000, 16000, f, 8000 - f);
    if (image > worstStopDb) [worstStopDb, worstStopAtHz] = [image, f];
  }
  return { pair, rippleDb, worstStopDb, worstStopAtHz, delayOutputSamples, designMs };
}

/** The 8 → 16 kHz candidates: the half-band the calls use, the polyphase before it, Speex q3 and q5. */
export async function measureUpsamplers(): Promise<QualityRow[]> {
  const started = process.hrtime.bigint();
  const halfband = designHalfband();
  const halfbandMs = Number(process.hrtime.bigint() - started) / 1e6;
  const kernel = createHalfbandKernel(halfband);
  const polyphase = measureQuality(8000, 16000);
  const speex = await loadSpeex();
  const speexRow = (quality: number): QualityRow => {
    const latency = new SpeexStream(speex, 8000, 16000, quality).latencyOutputSamples;
    return upsamplerRow(`8000 → 16000 Speex q${quality}`, (tone) => new SpeexStream(speex, 8000, 16000, quality).process(tone, 160), latency, 0);
  };
  return [
    upsamplerRow(`8000 → 16000 half-band (${kernel.kind})`, (tone) => new HalfbandUpsampler(kernel).process(tone), halfband.delayOutputSamples, halfbandMs),
    { ...polyphase, pair: '8000 → 16000 polyphase' },
    speexRow(3),
    speexRow(5),
  ];
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
        `  ${q.pair.padEnd(30)} passband ±${q.rippleDb.toFixed(4)} dB (100–3400 Hz), worst ${kind} ` +
        `${q.worstStopDb.toFixed(1)} dB (tone ${q.worstStopAtHz} Hz), delay ${q.delayOutputSamples.toFixed(2)} samples, ` +
        `design ${q.designMs.toFixed(1)} ms`
      );
    })
    .join('\n');
}
