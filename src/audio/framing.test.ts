import { AudioError } from './errors';
import { createMulawFramer, createPcm16Framer, type FrameAccumulator, MULAW_FRAME_BYTES } from './framing';
import { MULAW_SILENCE } from './mulaw';

/** A byte stream where every position is recognisable (period 251, prime to 160). */
function stream(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = i % 251;
  return bytes;
}

function feed(framer: FrameAccumulator<Uint8Array>, data: Uint8Array, chunkSize: number): Uint8Array[] {
  const frames: Uint8Array[] = [];
  for (let at = 0; at < data.length; at += chunkSize) {
    frames.push(...framer.push(data.subarray(at, at + chunkSize)));
  }
  return frames;
}

describe('μ-law framer', () => {
  const total = 3 * 1000 + 7; // not a multiple of any chunk size or of 160

  it.each([1, 159, 160, 161, 1000])('chunks of %i bytes become exact 160-byte frames in order', (size) => {
    const framer = createMulawFramer();
    const data = stream(total);
    const frames = feed(framer, data, size);
    expect(frames.length).toBe(Math.floor(total / MULAW_FRAME_BYTES));
    expect(frames.every((frame) => frame.length === MULAW_FRAME_BYTES)).toBe(true);
    expect(framer.pendingLength).toBe(total % MULAW_FRAME_BYTES);

    const last = framer.flush(true);
    expect(last?.length).toBe(MULAW_FRAME_BYTES);
    const joined = Buffer.concat([...frames, last ?? new Uint8Array(0)]);
    expect(joined.subarray(0, total).equals(Buffer.from(data))).toBe(true);
    expect(joined.subarray(total).every((b) => b === MULAW_SILENCE)).toBe(true);
    expect(framer.pendingLength).toBe(0);
  });

  it('flush(false) returns just the remainder, and null when nothing is pending', () => {
    const framer = createMulawFramer();
    expect(framer.push(stream(170)).length).toBe(1);
    const rest = framer.flush(false);
    expect(Array.from(rest ?? [])).toEqual(Array.from(stream(170).subarray(160)));
    expect(framer.flush(false)).toBeNull();
    expect(framer.flush(true)).toBeNull();
  });

  it('an exact multiple of 160 leaves nothing to flush', () => {
    const framer = createMulawFramer();
    expect(framer.push(stream(320)).length).toBe(2);
    expect(framer.flush(true)).toBeNull();
  });

  it('frames are copies the caller owns: reusing the input buffer does not change them', () => {
    const framer = createMulawFramer();
    const chunk = stream(240);
    const [first] = framer.push(chunk);
    chunk.fill(0);
    const second = framer.push(stream(80));
    expect(Array.from(first ?? [])).toEqual(Array.from(stream(160)));
    expect(second.length).toBe(1);
    expect(Array.from(second[0]?.subarray(0, 80) ?? [])).toEqual(Array.from(stream(240).subarray(160)));
  });

  it('clear() drops what is pending', () => {
    const framer = createMulawFramer();
    framer.push(stream(100));
    framer.clear();
    expect(framer.pendingLength).toBe(0);
    expect(framer.push(stream(160))[0]?.[0]).toBe(0);
  });

  it('an empty chunk changes nothing', () => {
    const framer = createMulawFramer();
    framer.push(stream(5));
    expect(framer.push(new Uint8Array(0))).toEqual([]);
    expect(framer.pendingLength).toBe(5);
  });
});

describe('PCM16 framer', () => {
  it('frames samples (320 = 20 ms at 16 kHz) and pads with zeros', () => {
    const framer = createPcm16Framer(320);
    const samples = Int16Array.from({ length: 700 }, (_, i) => i - 350);
    const frames = [...framer.push(samples.subarray(0, 333)), ...framer.push(samples.subarray(333))];
    expect(frames.map((f) => f.length)).toEqual([320, 320]);
    const last = framer.flush(true);
    expect(last?.length).toBe(320);
    expect(Array.from(last?.subarray(0, 60) ?? [])).toEqual(Array.from(samples.subarray(640)));
    expect(last?.subarray(60).every((v) => v === 0)).toBe(true);
  });

  it('rejects a frame length that is not a positive integer', () => {
    expect(() => createPcm16Framer(0)).toThrow(AudioError);
    expect(() => createPcm16Framer(2.5)).toThrow(AudioError);
  });
});
