/**
 * WAV files in and out, through `wavefile`. Files only (prompts, fixtures, recordings): never
 * on the streaming path, where `wavefile` would allocate per call and cannot resample in chunks.
 */
import { WaveFile } from 'wavefile';
import { AudioError } from './errors';

export interface PcmAudio {
  sampleRateHz: number;
  /** Mono PCM16 (multi-channel files are averaged). */
  samples: Int16Array;
}

export interface WavInfo extends PcmAudio {
  /** Channels in the file, before the downmix. */
  channels: number;
  /** wavefile's bit depth code of the file: '8', '16', '24', '32', '32f', '64', '8m', '8a', '4'. */
  sourceBitDepth: string;
}

interface FmtChunk {
  numChannels: number;
  sampleRate: number;
}

function readFmt(fmt: object): FmtChunk {
  const numChannels: unknown = Reflect.get(fmt, 'numChannels');
  const sampleRate: unknown = Reflect.get(fmt, 'sampleRate');
  if (typeof numChannels !== 'number' || typeof sampleRate !== 'number') {
    throw new AudioError('AUDIO_INVALID_WAV', 'WAV fmt chunk lacks numChannels or sampleRate');
  }
  if (!Number.isInteger(numChannels) || numChannels < 1 || !(sampleRate > 0)) {
    throw new AudioError('AUDIO_INVALID_WAV', `WAV has ${numChannels} channels at ${sampleRate} Hz`);
  }
  return { numChannels, sampleRate };
}

/** Brings any format wavefile understands to 16-bit linear PCM, in place. */
function convertToPcm16(wav: WaveFile): void {
  const depth = wav.bitDepth;
  if (depth === '16') return;
  if (depth === '8m') wav.fromMuLaw('16');
  else if (depth === '8a') wav.fromALaw('16');
  else if (depth === '4') wav.fromIMAADPCM('16');
  else if (['8', '24', '32', '32f', '64'].includes(depth)) wav.toBitDepth('16');
  else throw new AudioError('AUDIO_UNSUPPORTED_WAV', `WAV bit depth ${depth} is not supported`);
}

/** Averages interleaved channels into one, rounding to nearest. */
function downmix(interleaved: Int16Array, channels: number): Int16Array {
  if (channels === 1) return interleaved;
  const frames = Math.floor(interleaved.length / channels);
  const mono = new Int16Array(frames);
  for (let f = 0; f < frames; f++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += interleaved[f * channels + c]!;
    mono[f] = Math.round(sum / channels);
  }
  return mono;
}

/**
 * Reads a WAV file (PCM 8/16/24/32-bit, 32/64-bit float, μ-law, A-law, IMA ADPCM; any number
 * of channels) into mono PCM16 at the file's own sample rate.
 * @throws AudioError AUDIO_INVALID_WAV / AUDIO_UNSUPPORTED_WAV
 */
export function readWav(bytes: Uint8Array): WavInfo {
  let wav: WaveFile;
  try {
    wav = new WaveFile(bytes);
  } catch (cause) {
    throw new AudioError('AUDIO_INVALID_WAV', 'not a readable WAV file', { cause });
  }
  const { numChannels, sampleRate } = readFmt(wav.fmt);
  const sourceBitDepth = wav.bitDepth;
  try {
    convertToPcm16(wav);
  } catch (cause) {
    if (cause instanceof AudioError) throw cause;
    throw new AudioError('AUDIO_UNSUPPORTED_WAV', `cannot convert ${sourceBitDepth}-bit WAV`, { cause });
  }
  const raw: unknown = wav.getSamples(true, Int16Array);
  if (!(raw instanceof Int16Array)) {
    throw new AudioError('AUDIO_INVALID_WAV', 'WAV samples did not decode to 16-bit PCM');
  }
  return {
    sampleRateHz: sampleRate,
    samples: downmix(raw, numChannels),
    channels: numChannels,
    sourceBitDepth,
  };
}

function checkRate(sampleRateHz: number): void {
  if (!Number.isInteger(sampleRateHz) || sampleRateHz <= 0) {
    throw new AudioError('AUDIO_INVALID_OPTIONS', `sample rate must be a positive integer, got ${sampleRateHz}`);
  }
}

/** A mono 16-bit PCM WAV file. */
export function writeWavPcm16(samples: Int16Array, sampleRateHz: number): Uint8Array {
  checkRate(sampleRateHz);
  const wav = new WaveFile();
  wav.fromScratch(1, sampleRateHz, '16', samples);
  return wav.toBuffer();
}

/** A mono μ-law WAV file (format 7) from μ-law bytes, 8 kHz unless told otherwise. */
export function writeWavMulaw(codes: Uint8Array, sampleRateHz = 8000): Uint8Array {
  checkRate(sampleRateHz);
  const wav = new WaveFile();
  wav.fromScratch(1, sampleRateHz, '8m', codes);
  return wav.toBuffer();
}
