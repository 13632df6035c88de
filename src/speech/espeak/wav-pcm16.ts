import { SpeechError } from '../errors';

/** Mono 16-bit PCM read out of a WAV file. */
export interface Pcm16Audio {
  sampleRateHz: number;
  samples: Int16Array;
}

const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function fourCc(bytes: Uint8Array, offset: number): string {
  return String.fromCharCode(bytes[offset]!, bytes[offset + 1]!, bytes[offset + 2]!, bytes[offset + 3]!);
}

function bad(message: string): SpeechError {
  return new SpeechError('TTS_BAD_AUDIO', `engine output is not a PCM16 mono WAV: ${message}`);
}

/**
 * Reads a mono 16-bit PCM WAV (what espeak-ng writes) by walking its RIFF chunks: the header
 * length is whatever the chunks say, never assumed to be 44 bytes. A data size larger than the
 * bytes present (a writer that could not seek back to fix it) is clamped to what is there.
 * Zero-copy when the samples are 2-byte aligned (always, for espeak's output).
 */
export function parsePcm16Wav(bytes: Uint8Array): Pcm16Audio {
  if (bytes.length < 12 || fourCc(bytes, 0) !== 'RIFF' || fourCc(bytes, 8) !== 'WAVE') {
    throw bad('no RIFF/WAVE header');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let sampleRateHz = 0;
  let format: { tag: number; channels: number; bits: number } | null = null;
  let offset = 12;
  while (offset + 8 <= bytes.length) {
    const id = fourCc(bytes, offset);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > bytes.length) throw bad('truncated fmt chunk');
      let tag = view.getUint16(body, true);
      if (tag === WAVE_FORMAT_EXTENSIBLE && size >= 40 && body + 26 <= bytes.length) {
        tag = view.getUint16(body + 24, true); // first two bytes of the sub-format GUID
      }
      format = { tag, channels: view.getUint16(body + 2, true), bits: view.getUint16(body + 14, true) };
      sampleRateHz = view.getUint32(body + 4, true);
    } else if (id === 'data') {
      if (!format) throw bad('data chunk before fmt chunk');
      if (format.tag !== WAVE_FORMAT_PCM) throw bad(`format tag ${format.tag}`);
      if (format.bits !== 16) throw bad(`${format.bits}-bit samples`);
      if (format.channels !== 1) throw bad(`${format.channels} channels`);
      if (sampleRateHz <= 0) throw bad(`sample rate ${sampleRateHz}`);
      const end = Math.min(bytes.length, body + size);
      const count = Math.floor((end - body) / 2);
      return { sampleRateHz, samples: readInt16(bytes, body, count) };
    }
    offset = body + size + (size % 2); // chunks are padded to an even length
  }
  throw bad('no data chunk');
}

function readInt16(bytes: Uint8Array, start: number, count: number): Int16Array {
  const byteOffset = bytes.byteOffset + start;
  if (LITTLE_ENDIAN && byteOffset % 2 === 0) return new Int16Array(bytes.buffer, byteOffset, count);
  const view = new DataView(bytes.buffer, byteOffset, count * 2);
  const samples = new Int16Array(count);
  for (let i = 0; i < count; i++) samples[i] = view.getInt16(i * 2, true);
  return samples;
}
