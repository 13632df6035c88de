import { readFile } from 'node:fs/promises';
import { WaveFile } from 'wavefile';
import { SpeechError } from './errors';
import { type ResamplerDesigns, TelephoneEncoder, padToFrames } from './to-telephone';

/**
 * A clinic's recorded prompt: a WAV file at any rate, bit depth (8/16/24/32-bit integer, 32/64-bit
 * float, μ-law, A-law, IMA ADPCM) and channel count, converted once to 8 kHz μ-law frames.
 * Channels are averaged to mono.
 */
export interface RecordedPrompt {
  audio: Uint8Array;
  sourceRateHz: number;
  sourceChannels: number;
  durationMs: number;
}

interface WaveFormat {
  numChannels: number;
  sampleRate: number;
}

export async function readRecordedPrompt(wavPath: string, designs?: ResamplerDesigns): Promise<RecordedPrompt> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(wavPath);
  } catch (error) {
    throw new SpeechError('PROMPT_RECORDING_INVALID', `cannot read recorded prompt ${wavPath}: ${describe(error)}`, {
      cause: error,
    });
  }
  try {
    return recordedPromptOf(bytes, designs);
  } catch (error) {
    throw new SpeechError('PROMPT_RECORDING_INVALID', `recorded prompt ${wavPath} is not usable: ${describe(error)}`, {
      cause: error,
    });
  }
}

/** The conversion itself; throws plain errors that `readRecordedPrompt` wraps with the file name. */
export function recordedPromptOf(bytes: Uint8Array, designs?: ResamplerDesigns): RecordedPrompt {
  const wav = new WaveFile(bytes);
  const format = wav.fmt as WaveFormat;
  const channels = format.numChannels;
  const sampleRateHz = format.sampleRate;
  if (!(channels >= 1) || !(sampleRateHz > 0)) {
    throw new Error(`bad format: ${channels} channels at ${sampleRateHz} Hz`);
  }
  // Companded and ADPCM data decode to 16-bit; everything else is read at its own depth and
  // scaled here (wavefile's own toBitDepth costs ~0.5 s per second of CD audio).
  if (wav.bitDepth === '8m') wav.fromMuLaw();
  else if (wav.bitDepth === '8a') wav.fromALaw();
  else if (wav.bitDepth === '4') wav.fromIMAADPCM();
  const { scale, offset } = scaleToInt16(wav.bitDepth);
  const interleaved = wav.getSamples(true, Float64Array);
  const frames = Math.floor(interleaved.length / channels);
  if (frames === 0) throw new Error('it contains no audio');
  const mono = new Int16Array(frames);
  const gain = scale / channels;
  for (let i = 0; i < frames; i++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += interleaved[i * channels + c]! - offset;
    const v = Math.round(sum * gain);
    mono[i] = Math.min(32767, Math.max(v, -32768));
  }
  const encoder = new TelephoneEncoder(designs);
  const body = encoder.push({ encoding: 'pcm16', sampleRateHz, samples: mono });
  const tail = encoder.end();
  const joined = new Uint8Array(body.length + tail.length);
  joined.set(body);
  joined.set(tail, body.length);
  return {
    audio: padToFrames(joined),
    sourceRateHz: sampleRateHz,
    sourceChannels: channels,
    durationMs: (frames / sampleRateHz) * 1000,
  };
}

/** Maps a sample of `bitDepth` to int16 units: (x − offset) × scale. */
function scaleToInt16(bitDepth: string): { scale: number; offset: number } {
  switch (bitDepth) {
    case '8':
      return { scale: 256, offset: 128 }; // unsigned
    case '32f':
    case '64':
      return { scale: 32768, offset: 0 };
    default: {
      const bits = Number(bitDepth);
      if (!Number.isInteger(bits) || bits < 2 || bits > 32) throw new Error(`unsupported bit depth ${bitDepth}`);
      return { scale: 2 ** (16 - bits), offset: 0 };
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
