/**
 * (a) Per-20 ms-frame cost of the audio hot path, one call, one core, against the naive way.
 *
 * Inbound: a real Twilio media message as ws delivers it (a Buffer) → string → the bridge's
 * Twilio decode (JSON.parse + checks) → base64 into a reused Buffer → μ-law decode and 8 → 16 kHz
 * half-band upsampling in one pass (as CallSession does).
 * The 8 → 16 kHz step alone is also timed for the polyphase resampler it replaced, for Speex
 * (`@echogarden/speex-resampler-wasm`, SIMD build, a devDependency) and for wavefile.
 * Outbound: 480 PCM16 samples at 24 kHz → 8 kHz → μ-law → base64 → Twilio media message string.
 * Naive: the same frames through JSON.parse/JSON.stringify, Buffer.from, alawmulaw's allocating
 * decode/encode and wavefile's toSampleRate (a fresh WaveFile per frame: it cannot stream).
 */
import { mulaw } from 'alawmulaw';
import { Histogram, Registry } from 'prom-client';
import { WaveFile } from 'wavefile';
import { designHalfband } from '../src/audio/halfband-design';
import { createHalfbandKernel, ScalarHalfbandKernel } from '../src/audio/halfband-kernel';
import { HalfbandUpsampler } from '../src/audio/halfband-upsampler';
import { decodeMulawInto, encodeMulaw, encodeMulawInto } from '../src/audio/mulaw';
import { StreamingResampler } from '../src/audio/resampler';
import { designResampler } from '../src/audio/resampler-design';
import { noiseInt16 } from '../src/audio/testing/signals';
import { mixInt16, sineInt16 } from '../src/audio/testing/spectrum';
import { decodeTwilio, encodeTwilio } from '../src/telephony/twilio/protocol';
import { loadSpeex, SpeexStream } from './speex';
import { type Timing, timeIt } from './stats';

export interface CodecResult {
  inbound: Timing;
  outbound: Timing;
  naiveInbound: Timing;
  naiveOutbound: Timing;
  /** μ-law → 16 kHz in one pass, as CallSession runs it: the ≤ 3 µs budget's step. */
  upsample: Timing;
  /** Each stage of the fast paths alone, and what the bridge adds per frame around them. */
  stages: Record<string, Timing>;
}

const STREAM_SID = 'MZ0123456789abcdef0123456789abcdef';

/** A few different frames of speech-like signal (tone + noise) so nothing is trivially cached. */
export function speechLikeFrames(sampleRateHz: number, count: number): Int16Array[] {
  const length = sampleRateHz / 50;
  const signal = mixInt16(
    sineInt16({ frequencyHz: 220, sampleRateHz, length: length * count, amplitude: 9000 }),
    noiseInt16(length * count, 3000, sampleRateHz),
  );
  return Array.from({ length: count }, (_, i) => signal.slice(i * length, (i + 1) * length));
}

/** A media message exactly as Twilio sends it (numbers as strings). */
export function twilioMediaMessage(streamSid: string, chunk: number, payload: string): string {
  return (
    `{"event":"media","sequenceNumber":"${chunk + 2}","streamSid":"${streamSid}",` +
    `"media":{"track":"inbound","chunk":"${chunk + 1}","timestamp":"${chunk * 20}","payload":"${payload}"}}`
  );
}

function wavefileResample(samples: Int16Array, fromHz: number, toHz: number): Int16Array {
  const wav = new WaveFile();
  wav.fromScratch(1, fromHz, '16', samples);
  wav.toSampleRate(toHz);
  const out: unknown = wav.getSamples(false, Int16Array);
  if (!(out instanceof Int16Array)) throw new Error('wavefile returned no Int16Array');
  return out;
}

export async function benchCodec(): Promise<CodecResult> {
  const payloads = speechLikeFrames(8000, 8).map((f) => Buffer.from(encodeMulaw(f)).toString('base64'));
  const messages = payloads.map((p, i) => Buffer.from(twilioMediaMessage(STREAM_SID, 1000 + i, p)));
  const tts = speechLikeFrames(24000, 8);
  let next = 0;
  const pick = <T>(items: readonly T[]): T => items[next++ & 7]!;

  // Fast path: every buffer made once per call, as CallSession does.
  const halfband = designHalfband();
  const up = new HalfbandUpsampler(createHalfbandKernel(halfband));
  const scalarUp = new HalfbandUpsampler(new ScalarHalfbandKernel(halfband));
  const polyphaseUp = new StreamingResampler(designResampler({ inputRateHz: 8000, outputRateHz: 16000 }));
  const down = new StreamingResampler(designResampler({ inputRateHz: 24000, outputRateHz: 8000 }));
  const speex = await loadSpeex();
  const speexUp3 = new SpeexStream(speex, 8000, 16000, 3);
  const speexUp5 = new SpeexStream(speex, 8000, 16000, 5);
  const ulawIn = Buffer.alloc(8192);
  const pcm8kIn = new Int16Array(8192);
  const pcm16k = new Int16Array(up.maxOutputLength(8192));
  const pcm8kOut = new Int16Array(down.maxOutputLength(480));
  const ulawOut = new Uint8Array(160);
  let sink = 0;
  const keep = (n: number): void => {
    sink += n;
  };

  const inboundFrame = (): void => {
    const decoded = decodeTwilio(pick(messages).toString());
    if (!decoded.ok || decoded.event.type !== 'audio') throw new Error('bench message did not decode as audio');
    const bytes = ulawIn.write(decoded.event.payload, 'base64');
    sink += up.processMulawInto(ulawIn, pcm16k, bytes);
  };
  const outboundFrame = (): void => {
    const written = down.processInto(pick(tts), pcm8kOut);
    encodeMulawInto(pcm8kOut.subarray(0, written), ulawOut);
    sink += (encodeTwilio({ type: 'play', audio: ulawOut }, STREAM_SID) ?? '').length;
  };
  const naiveInboundFrame = (): void => {
    const msg = JSON.parse(pick(messages).toString()) as { media: { payload: string } };
    const pcm = mulaw.decode(Buffer.from(msg.media.payload, 'base64'));
    sink += wavefileResample(pcm, 8000, 16000).length;
  };
  const naiveOutboundFrame = (): void => {
    const pcm = wavefileResample(pick(tts), 24000, 8000);
    const payload = Buffer.from(mulaw.encode(pcm)).toString('base64');
    sink += JSON.stringify({ event: 'media', streamSid: STREAM_SID, media: { payload } }).length;
  };

  // What the bridge adds around the codec on every frame: two clock reads and a histogram observe.
  const histogram = new Histogram({
    name: 'bench_frame_seconds',
    help: 'bench',
    buckets: [0.00001, 0.00002, 0.00005, 0.0001, 0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01],
    registers: [new Registry()],
  });
  const fixedFrame = speechLikeFrames(8000, 1)[0]!;
  const fixedCodes = encodeMulaw(fixedFrame);
  const [ulaw160, pcm160, pcmOut160] = [ulawIn.subarray(0, 160), pcm8kIn.subarray(0, 160), pcm8kOut.subarray(0, 160)];
  const upsample = timeIt(() => keep(up.processMulawInto(fixedCodes, pcm16k)), 2000);
  const result: CodecResult = {
    inbound: timeIt(inboundFrame, 2000),
    upsample,
    outbound: timeIt(outboundFrame, 2000),
    naiveInbound: timeIt(naiveInboundFrame, 50, 20),
    naiveOutbound: timeIt(naiveOutboundFrame, 50, 20),
    stages: {
      'in: Buffer → string': timeIt(() => keep(pick(messages).toString().length), 5000),
      'in: Twilio decode (JSON.parse)': timeIt(() => keep(decodeTwilio(pick(messages).toString()).ok ? 1 : 0), 5000),
      'in: base64 → 160 bytes': timeIt(() => keep(ulawIn.write(pick(payloads), 'base64')), 5000),
      'in: μ-law decode 160': timeIt(() => decodeMulawInto(ulaw160, pcm160), 5000),
      [`in: μ-law → 16 kHz half-band ${up.kernelKind}`]: upsample,
      [`in: 8 → 16 kHz half-band ${up.kernelKind}`]: timeIt(() => keep(up.processInto(fixedFrame, pcm16k)), 2000),
      'in: 8 → 16 kHz half-band TypeScript': timeIt(() => keep(scalarUp.processInto(fixedFrame, pcm16k)), 2000),
      'in: 8 → 16 kHz polyphase (before)': timeIt(() => keep(polyphaseUp.processInto(fixedFrame, pcm16k)), 2000),
      'in: 8 → 16 kHz Speex q3 (WASM SIMD)': timeIt(() => keep(speexUp3.processInto(fixedFrame, pcm16k)), 2000),
      'in: 8 → 16 kHz Speex q5 (WASM SIMD)': timeIt(() => keep(speexUp5.processInto(fixedFrame, pcm16k)), 2000),
      'in: 8 → 16 kHz wavefile (no state)': timeIt(() => keep(wavefileResample(fixedFrame, 8000, 16000).length), 50, 20),
      'out: resample 24 → 8 kHz': timeIt(() => keep(down.processInto(pick(tts), pcm8kOut)), 2000),
      'out: μ-law encode 160': timeIt(() => encodeMulawInto(pcmOut160, ulawOut), 5000),
      'out: Twilio media message': timeIt(() => keep((encodeTwilio({ type: 'play', audio: ulawOut }, STREAM_SID) ?? '').length), 5000),
      'per frame: Histogram.observe': timeIt(() => histogram.observe(1e-5), 5000),
      'per frame: 2 × performance.now': timeIt(() => keep(performance.now() - performance.now()), 5000),
    },
  };
  if (sink < 0) throw new Error('unreachable: keeps the work observable');
  speexUp3.destroy();
  speexUp5.destroy();
  return result;
}
