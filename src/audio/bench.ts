/**
 * Per-20 ms-frame cost of the audio hot path, against the naive way, plus the resamplers'
 * measured frequency response. A benchmark, not a test: run it with
 *
 *   npx tsx src/audio/bench.ts
 *
 * Inbound: base64 (160 μ-law bytes) → bytes → PCM16 8 kHz → 16 kHz.
 * Outbound: 480 PCM16 samples at 24 kHz → 8 kHz → μ-law → base64.
 * Naive: Buffer.from + alawmulaw's allocating decode/encode + wavefile's toSampleRate per frame.
 */
import { mulaw } from 'alawmulaw';
import { WaveFile } from 'wavefile';
import { decodeMulawInto, encodeMulaw, encodeMulawInto } from './mulaw';
import { StreamingResampler } from './resampler';
import { designResampler, type ResamplerDesign } from './resampler-design';
import { noiseInt16 } from './testing/signals';
import { aliasFrequencyHz, levelDb, mixInt16, sineInt16, toneAmplitude } from './testing/spectrum';

export interface Timing {
  /** Fastest batch, µs per call: the least disturbed by other processes. */
  minUs: number;
  medianUs: number;
}

/** Times `fn` in `batches` batches of `perBatch` calls after a warm-up; µs per call. */
export function timeIt(fn: () => void, perBatch: number, batches = 30): Timing {
  for (let i = 0; i < perBatch * 3; i++) fn();
  const perCallUs: number[] = [];
  for (let b = 0; b < batches; b++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < perBatch; i++) fn();
    perCallUs.push(Number(process.hrtime.bigint() - start) / perBatch / 1000);
  }
  perCallUs.sort((a, b) => a - b);
  return { minUs: perCallUs[0] ?? Number.NaN, medianUs: perCallUs[perCallUs.length >> 1] ?? Number.NaN };
}

/** A few different frames of speech-like signal (tone + noise) so nothing is trivially cached. */
function frames(sampleRateHz: number, count: number): Int16Array[] {
  const length = sampleRateHz / 50;
  const signal = mixInt16(
    sineInt16({ frequencyHz: 220, sampleRateHz, length: length * count, amplitude: 9000 }),
    noiseInt16(length * count, 3000, sampleRateHz),
  );
  return Array.from({ length: count }, (_, i) => signal.slice(i * length, (i + 1) * length));
}

function wavefileResample(samples: Int16Array, fromHz: number, toHz: number): Int16Array {
  const wav = new WaveFile();
  wav.fromScratch(1, fromHz, '16', samples);
  wav.toSampleRate(toHz);
  const out: unknown = wav.getSamples(false, Int16Array);
  if (!(out instanceof Int16Array)) throw new Error('wavefile returned no Int16Array');
  return out;
}

interface PathTimings {
  inbound: Timing;
  outbound: Timing;
  naiveInbound: Timing;
  naiveOutbound: Timing;
  stages: Record<string, Timing>;
}

function benchPaths(inbound: ResamplerDesign, outbound: ResamplerDesign): PathTimings {
  const payloads = frames(8000, 8).map((f) => Buffer.from(encodeMulaw(f)).toString('base64'));
  const tts = frames(24000, 8);
  let next = 0;
  const pick = <T>(items: readonly T[]): T => items[next++ & 7]!;

  // Fast path: every buffer made once, per call.
  const up = new StreamingResampler(inbound);
  const down = new StreamingResampler(outbound);
  const ulawIn = Buffer.alloc(160);
  const pcm8kIn = new Int16Array(160);
  const pcm16k = new Int16Array(up.maxOutputLength(160));
  const pcm8kOut = new Int16Array(down.maxOutputLength(480));
  const ulawOut = Buffer.alloc(160);
  let sink = 0;

  const inboundFrame = (): void => {
    const bytes = ulawIn.write(pick(payloads), 'base64');
    decodeMulawInto(ulawIn.subarray(0, bytes), pcm8kIn);
    sink += up.processInto(pcm8kIn, pcm16k);
  };
  const outboundFrame = (): void => {
    const written = down.processInto(pick(tts), pcm8kOut);
    encodeMulawInto(pcm8kOut.subarray(0, written), ulawOut);
    sink += ulawOut.toString('base64').length;
  };
  const naiveInboundFrame = (): void => {
    const pcm = mulaw.decode(Buffer.from(pick(payloads), 'base64'));
    sink += wavefileResample(pcm, 8000, 16000).length;
  };
  const naiveOutboundFrame = (): void => {
    const pcm = wavefileResample(pick(tts), 24000, 8000);
    sink += Buffer.from(mulaw.encode(pcm)).toString('base64').length;
  };

  const fixed = frames(8000, 1)[0]!;
  const result: PathTimings = {
    inbound: timeIt(inboundFrame, 2000),
    outbound: timeIt(outboundFrame, 2000),
    naiveInbound: timeIt(naiveInboundFrame, 50, 20),
    naiveOutbound: timeIt(naiveOutboundFrame, 50, 20),
    stages: {
      'base64 → 160 bytes': timeIt(() => void ulawIn.write(pick(payloads), 'base64'), 5000),
      'μ-law decode 160': timeIt(() => decodeMulawInto(ulawIn, pcm8kIn), 5000),
      'resample 8 → 16 kHz': timeIt(() => void up.processInto(fixed, pcm16k), 2000),
      'resample 24 → 8 kHz': timeIt(() => void down.processInto(pick(tts), pcm8kOut), 2000),
      'μ-law encode 160': timeIt(() => encodeMulawInto(pcm8kOut.subarray(0, 160), ulawOut), 5000),
      '160 bytes → base64': timeIt(() => {
        sink += ulawOut.toString('base64').length;
      }, 5000),
    },
  };
  if (sink < 0) throw new Error('unreachable: keeps the work observable');
  return result;
}

interface QualityRow {
  pair: string;
  rippleDb: number;
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
function measureQuality(inputRateHz: number, outputRateHz: number): QualityRow {
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

const us = (t: Timing): string => `${t.minUs.toFixed(2)} µs (median ${t.medianUs.toFixed(2)})`;

export async function benchAudio(): Promise<string> {
  const lines: string[] = [];
  const paths = benchPaths(
    designResampler({ inputRateHz: 8000, outputRateHz: 16000 }),
    designResampler({ inputRateHz: 24000, outputRateHz: 8000 }),
  );
  lines.push('Per 20 ms frame, one core, fastest batch (median in brackets):');
  lines.push(`  inbound  fast : ${us(paths.inbound)}`);
  lines.push(`  inbound  naive: ${us(paths.naiveInbound)}  → ${(paths.naiveInbound.minUs / paths.inbound.minUs).toFixed(0)}× slower`);
  lines.push(`  outbound fast : ${us(paths.outbound)}`);
  lines.push(`  outbound naive: ${us(paths.naiveOutbound)}  → ${(paths.naiveOutbound.minUs / paths.outbound.minUs).toFixed(0)}× slower`);
  lines.push('Stages of the fast path:');
  for (const [name, t] of Object.entries(paths.stages)) lines.push(`  ${name.padEnd(20)} ${us(t)}`);
  lines.push('Resampler response (tone sweeps):');
  for (const [from, to] of [[8000, 16000], [16000, 8000], [22050, 8000], [24000, 8000]] as const) {
    const q = measureQuality(from, to);
    lines.push(
      `  ${q.pair.padEnd(15)} passband ±${q.rippleDb.toFixed(4)} dB (100–3400 Hz), worst ${to > from ? 'image' : 'alias'} ` +
        `${q.worstStopDb.toFixed(1)} dB (tone ${q.worstStopAtHz} Hz), delay ${q.delayOutputSamples.toFixed(2)} samples, ` +
        `design ${q.designMs.toFixed(1)} ms`,
    );
  }
  return lines.join('\n');
}

if (require.main === module) {
  benchAudio().then(
    (report) => console.log(report),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
