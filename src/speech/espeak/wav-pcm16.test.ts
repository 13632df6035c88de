import { parsePcm16Wav } from './wav-pcm16';

interface Chunk {
  id: string;
  body: Uint8Array;
  /** Size written in the header when it differs from the body (a writer that never fixed it). */
  declaredSize?: number;
}

function fmtBody(options: { tag?: number; channels?: number; rateHz?: number; bits?: number; extra?: number }): Uint8Array {
  const { tag = 1, channels = 1, rateHz = 22050, bits = 16, extra = 0 } = options;
  const body = new Uint8Array(16 + extra);
  const view = new DataView(body.buffer);
  view.setUint16(0, tag, true);
  view.setUint16(2, channels, true);
  view.setUint32(4, rateHz, true);
  view.setUint32(8, (rateHz * channels * bits) / 8, true);
  view.setUint16(12, (channels * bits) / 8, true);
  view.setUint16(14, bits, true);
  return body;
}

function pcmBody(samples: number[]): Uint8Array {
  const body = new Uint8Array(samples.length * 2);
  const view = new DataView(body.buffer);
  for (const [i, s] of samples.entries()) view.setInt16(i * 2, s, true);
  return body;
}

function riff(chunks: Chunk[], leading = 0): Uint8Array {
  const length = 12 + chunks.reduce((n, c) => n + 8 + c.body.length + (c.body.length % 2), 0);
  const out = new Uint8Array(leading + length);
  const view = new DataView(out.buffer, leading);
  const ascii = (offset: number, text: string) => {
    for (let i = 0; i < 4; i++) out[leading + offset + i] = text.charCodeAt(i);
  };
  ascii(0, 'RIFF');
  view.setUint32(4, length - 8, true);
  ascii(8, 'WAVE');
  let offset = 12;
  for (const chunk of chunks) {
    ascii(offset, chunk.id);
    view.setUint32(offset + 4, chunk.declaredSize ?? chunk.body.length, true);
    out.set(chunk.body, leading + offset + 8);
    offset += 8 + chunk.body.length + (chunk.body.length % 2);
  }
  return leading === 0 ? out : out.subarray(leading);
}

const SAMPLES = [0, 1000, -1000, 32767, -32768, 7];

test('reads the samples after walking past other chunks, whatever the header length', () => {
  const wav = riff([
    { id: 'fmt ', body: fmtBody({ extra: 2 }) }, // 18-byte fmt with cbSize
    { id: 'LIST', body: new Uint8Array(5) }, // odd size: padded to 6
    { id: 'data', body: pcmBody(SAMPLES) },
  ]);
  expect(wav.length).not.toBe(44 + SAMPLES.length * 2);
  const { sampleRateHz, samples } = parsePcm16Wav(wav);
  expect(sampleRateHz).toBe(22050);
  expect([...samples]).toEqual(SAMPLES);
});

test('the classic 44-byte header reads zero-copy', () => {
  const wav = riff([
    { id: 'fmt ', body: fmtBody({}) },
    { id: 'data', body: pcmBody(SAMPLES) },
  ]);
  const { samples } = parsePcm16Wav(wav);
  expect(samples.buffer).toBe(wav.buffer);
  expect(samples.byteOffset).toBe(44);
});

test('samples at an odd address are copied out correctly', () => {
  const wav = riff([{ id: 'fmt ', body: fmtBody({ rateHz: 16000 }) }, { id: 'data', body: pcmBody(SAMPLES) }], 1);
  expect(wav.byteOffset % 2).toBe(1);
  expect([...parsePcm16Wav(wav).samples]).toEqual(SAMPLES);
});

test('a data size larger than the file (never fixed by its writer) is clamped', () => {
  const wav = riff([
    { id: 'fmt ', body: fmtBody({}) },
    { id: 'data', body: pcmBody(SAMPLES), declaredSize: 0xffffffff },
  ]);
  expect([...parsePcm16Wav(wav).samples]).toEqual(SAMPLES);
});

test('WAVE_FORMAT_EXTENSIBLE with a PCM sub-format is accepted', () => {
  const fmt = fmtBody({ tag: 0xfffe, extra: 24 });
  new DataView(fmt.buffer).setUint16(24, 1, true);
  expect([...parsePcm16Wav(riff([{ id: 'fmt ', body: fmt }, { id: 'data', body: pcmBody(SAMPLES) }])).samples]).toEqual(
    SAMPLES,
  );
});

test.each([
  ['not RIFF', new Uint8Array(64), /no RIFF/],
  ['no data chunk', riff([{ id: 'fmt ', body: fmtBody({}) }]), /no data chunk/],
  ['data before fmt', riff([{ id: 'data', body: pcmBody(SAMPLES) }]), /before fmt/],
  ['stereo', riff([{ id: 'fmt ', body: fmtBody({ channels: 2 }) }, { id: 'data', body: pcmBody(SAMPLES) }]), /2 channels/],
  ['8-bit', riff([{ id: 'fmt ', body: fmtBody({ bits: 8 }) }, { id: 'data', body: pcmBody(SAMPLES) }]), /8-bit/],
  ['float', riff([{ id: 'fmt ', body: fmtBody({ tag: 3 }) }, { id: 'data', body: pcmBody(SAMPLES) }]), /format tag 3/],
])('rejects %s with TTS_BAD_AUDIO', (_name, wav, message) => {
  expect(() => parsePcm16Wav(wav)).toThrow(message);
  expect(() => parsePcm16Wav(wav)).toThrow(expect.objectContaining({ code: 'TTS_BAD_AUDIO' }));
});
