import { mulaw } from 'alawmulaw';
import {
  decodeMulaw,
  decodeMulawInto,
  decodeMulawSample,
  encodeMulaw,
  encodeMulawInto,
  encodeMulawSample,
  MULAW_SILENCE,
} from './mulaw';
import { levelDb, sineInt16 } from './testing/spectrum';

function everyInt16(): Int16Array {
  const all = new Int16Array(65536);
  for (let i = 0; i < 65536; i++) all[i] = i - 32768;
  return all;
}

function everyCode(): Uint8Array {
  const all = new Uint8Array(256);
  for (let i = 0; i < 256; i++) all[i] = i;
  return all;
}

describe('μ-law decode', () => {
  it('matches alawmulaw for all 256 codes, sample by sample and as an array', () => {
    const codes = everyCode();
    const ours = decodeMulaw(codes);
    const reference = mulaw.decode(codes);
    for (let code = 0; code < 256; code++) {
      // `+ 0` because the reference returns −0 for 0x7F; an Int16Array cannot hold −0.
      const expected = mulaw.decodeSample(code) + 0;
      expect(ours[code]).toBe(expected);
      expect(decodeMulawSample(code)).toBe(expected);
    }
    expect(Array.from(ours)).toEqual(Array.from(reference));
  });

  it('decodes the silence byte (and 0x7F) to 0 and the extremes to ±32124', () => {
    expect(decodeMulawSample(MULAW_SILENCE)).toBe(0);
    expect(decodeMulawSample(0x7f)).toBe(0);
    expect(decodeMulawSample(0x80)).toBe(32124);
    expect(decodeMulawSample(0x00)).toBe(-32124);
  });

  it('writes into the caller buffer and leaves the rest alone', () => {
    const dst = new Int16Array(5).fill(7);
    decodeMulawInto(new Uint8Array([0xff, 0x80, 0x00]), dst);
    expect(Array.from(dst)).toEqual([0, 32124, -32124, 7, 7]);
  });

  it('refuses a destination that is too short', () => {
    expect(() => decodeMulawInto(new Uint8Array(4), new Int16Array(3))).toThrow(RangeError);
  });
});

describe('μ-law encode', () => {
  it('matches alawmulaw.encodeSample for all 65,536 inputs', () => {
    const all = everyInt16();
    const ours = encodeMulaw(all);
    let mismatches = 0;
    for (let i = 0; i < all.length; i++) {
      const sample = all[i]!;
      const expected = mulaw.encodeSample(sample) & 0xff;
      if (ours[i] !== expected || encodeMulawSample(sample) !== expected) mismatches++;
    }
    expect(mismatches).toBe(0);
  });

  it('matches alawmulaw.encode on the whole array', () => {
    const all = everyInt16();
    expect(Buffer.from(encodeMulaw(all)).equals(Buffer.from(mulaw.encode(all)))).toBe(true);
  });

  it('encodes 0 as the silence byte', () => {
    expect(encodeMulawSample(0)).toBe(MULAW_SILENCE);
  });

  it('writes into the caller buffer and refuses one that is too short', () => {
    const dst = new Uint8Array(3).fill(1);
    encodeMulawInto(new Int16Array([0, 32767]), dst);
    expect(Array.from(dst)).toEqual([0xff, 0x80, 1]);
    expect(() => encodeMulawInto(new Int16Array(4), new Uint8Array(3))).toThrow(RangeError);
  });
});

describe('μ-law round trip', () => {
  it('every code survives decode → encode unchanged (except −0 → +0)', () => {
    for (let code = 0; code < 256; code++) {
      const back = encodeMulawSample(decodeMulawSample(code));
      // 0x7F decodes to 0, which encodes as 0xFF: μ-law's two zeros collapse to one.
      expect(back).toBe(code === 0x7f ? 0xff : code);
    }
  });

  it('error of encode → decode is within half a quantisation step for every sample', () => {
    // The segment of |x| + 132 spans [2^(e+7), 2^(e+8)) with step 2^(e+3); decode returns the
    // step's midpoint, so |error| <= (|x| + 132) / 32. Clipped inputs (|x| > 32,503) land on
    // ±32,124 and stay within the same bound.
    const all = everyInt16();
    const back = decodeMulaw(encodeMulaw(all));
    let worstExcess = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < all.length; i++) {
      const x = all[i]!;
      const error = Math.abs(back[i]! - x);
      worstExcess = Math.max(worstExcess, error - (Math.abs(x) + 132) / 32);
    }
    expect(worstExcess).toBeLessThanOrEqual(0);
  });

  it('a −6 dBFS sine keeps an SNR of at least 36 dB (G.711 theory: ~38 dB near full load)', () => {
    // 1013 Hz, not 1000: at 8 kHz a 1 kHz tone repeats the same 8 sample values, so its
    // quantisation error is not noise-like and the SNR depends on where those 8 values fall.
    const x = sineInt16({ frequencyHz: 1013, sampleRateHz: 8000, length: 8000, amplitude: 16384 });
    const y = decodeMulaw(encodeMulaw(x));
    let signal = 0;
    let noise = 0;
    for (let i = 0; i < x.length; i++) {
      signal += x[i]! ** 2;
      noise += (y[i]! - x[i]!) ** 2;
    }
    expect(levelDb(Math.sqrt(signal), Math.sqrt(noise))).toBeGreaterThan(36);
  });
});
