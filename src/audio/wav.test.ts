import { WaveFile } from 'wavefile';
import { AudioError } from './errors';
import { decodeMulaw, encodeMulaw } from './mulaw';
import { noiseInt16 } from './testing/signals';
import { sineInt16 } from './testing/spectrum';
import { readWav, writeWavMulaw, writeWavPcm16 } from './wav';

/** A WAV file made by wavefile directly (independent of the code under test). */
function wavFile(
  channels: number,
  sampleRateHz: number,
  bitDepth: string,
  samples: ArrayLike<number> | ArrayLike<number>[],
): Uint8Array {
  const wav = new WaveFile();
  wav.fromScratch(channels, sampleRateHz, bitDepth, samples);
  return wav.toBuffer();
}

function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] ?? 0) - (b[i] ?? 0)));
  return worst;
}

describe('readWav', () => {
  it('reads 16-bit mono exactly, with its rate', () => {
    const samples = noiseInt16(1234, 32767, 7);
    const read = readWav(wavFile(1, 16000, '16', samples));
    expect(read.sampleRateHz).toBe(16000);
    expect(read.channels).toBe(1);
    expect(read.sourceBitDepth).toBe('16');
    expect(Array.from(read.samples)).toEqual(Array.from(samples));
  });

  it('averages stereo into mono', () => {
    const left = Int16Array.from([1000, -32768, 32767, 3]);
    const right = Int16Array.from([-500, -32768, 32767, 0]);
    const read = readWav(wavFile(2, 22050, '16', [left, right]));
    expect(read.sampleRateHz).toBe(22050);
    expect(read.channels).toBe(2);
    expect(Array.from(read.samples)).toEqual([250, -32768, 32767, 2]);
  });

  it('decodes a μ-law WAV exactly as our codec does', () => {
    const codes = encodeMulaw(sineInt16({ frequencyHz: 440, sampleRateHz: 8000, length: 800, amplitude: 20000 }));
    const read = readWav(wavFile(1, 8000, '8m', codes));
    expect(read.sourceBitDepth).toBe('8m');
    expect(Array.from(read.samples)).toEqual(Array.from(decodeMulaw(codes)));
  });

  it('converts 8-bit unsigned PCM to 16-bit (×256 around 128)', () => {
    const read = readWav(wavFile(1, 8000, '8', [0, 64, 128, 192, 255]));
    expect(maxAbsDifference(read.samples, [-32768, -16384, 0, 16384, 32512])).toBeLessThanOrEqual(256);
  });

  it('converts 24-bit PCM to 16-bit (the top 16 bits, ±1)', () => {
    const wide = [-8388608, -4194304, 0, 4194304, 8388607, 123456];
    const read = readWav(wavFile(1, 24000, '24', wide));
    expect(read.sampleRateHz).toBe(24000);
    expect(maxAbsDifference(read.samples, wide.map((v) => v / 256))).toBeLessThanOrEqual(1);
  });

  it('converts 32-bit float to 16-bit (±1.0 → full scale)', () => {
    const floats = [-1, -0.5, 0, 0.5, 1, 0.25];
    const read = readWav(wavFile(1, 24000, '32f', floats));
    expect(maxAbsDifference(read.samples, floats.map((v) => v * 32767))).toBeLessThanOrEqual(1);
    expect(read.sourceBitDepth).toBe('32f');
  });

  it('rejects bytes that are not a WAV file with a coded error', () => {
    try {
      readWav(new TextEncoder().encode('definitely not RIFF'));
      throw new Error('readWav accepted garbage');
    } catch (error) {
      expect(error).toBeInstanceOf(AudioError);
      expect(error instanceof AudioError && error.code).toBe('AUDIO_INVALID_WAV');
    }
  });
});

describe('writeWav*', () => {
  it('PCM16 round-trips: rate, count and every sample', () => {
    const samples = noiseInt16(4321, 30000, 11);
    const bytes = writeWavPcm16(samples, 16000);
    const read = readWav(bytes);
    expect(read.sampleRateHz).toBe(16000);
    expect(read.samples.length).toBe(samples.length);
    expect(Array.from(read.samples)).toEqual(Array.from(samples));
  });

  it('μ-law writes a format-7, 8 kHz, 8-bit file that wavefile reads back byte for byte', () => {
    const codes = encodeMulaw(noiseInt16(1600, 20000, 3));
    const bytes = writeWavMulaw(codes);
    const check = new WaveFile(bytes);
    expect(check.bitDepth).toBe('8m');
    expect(Reflect.get(check.fmt, 'audioFormat')).toBe(7);
    expect(Reflect.get(check.fmt, 'sampleRate')).toBe(8000);
    const raw: unknown = check.getSamples(true, Uint8Array);
    expect(raw instanceof Uint8Array && Buffer.from(raw).equals(Buffer.from(codes))).toBe(true);
    const read = readWav(bytes);
    expect(read.samples.length).toBe(codes.length);
    expect(Array.from(read.samples)).toEqual(Array.from(decodeMulaw(codes)));
  });

  it('rejects a sample rate that is not a positive integer', () => {
    expect(() => writeWavPcm16(new Int16Array(1), 0)).toThrow(AudioError);
    expect(() => writeWavMulaw(new Uint8Array(1), 8000.5)).toThrow(AudioError);
  });
});
