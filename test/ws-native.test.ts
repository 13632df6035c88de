import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * ws masks every frame the bridge sends to Deepgram and unmasks every frame a provider sends it.
 * In JavaScript that is a loop over each byte (about 3 ns a byte here: 20 µs for a 100 ms chunk of
 * 16 kHz audio); with the optional native `bufferutil` installed, ws does it in C. This checks
 * that ws really loads it on the platforms its prebuilt binaries cover, and that the bytes are the
 * same as the JavaScript loop's.
 */
const requireHere = createRequire(__filename);
// ws's own module, by path: its package exports do not list lib/.
const wsBufferUtil = requireHere(path.join(path.dirname(requireHere.resolve('ws/package.json')), 'lib', 'buffer-util.js')) as {
  mask(source: Buffer, mask: Buffer, output: Buffer, offset: number, length: number): void;
  unmask(buffer: Buffer, mask: Buffer): void;
};

const covered = ['linux-x64', 'darwin-x64', 'darwin-arm64', 'win32-x64', 'win32-ia32'].includes(`${process.platform}-${process.arch}`);

function jsMask(source: Buffer, mask: Buffer): Buffer {
  const out = Buffer.alloc(source.length);
  for (let i = 0; i < source.length; i++) out[i] = (source[i] as number) ^ (mask[i & 3] as number);
  return out;
}

// Skipped where bufferutil has no prebuilt binary (ws then masks in JavaScript, correctly but slower).
// reason: bufferutil ships prebuilt binaries for linux-x64, darwin and win32 only
const onCoveredPlatform = covered ? test : test.skip; // reason: no prebuilt bufferutil binary for this platform

onCoveredPlatform('ws masks and unmasks with the native bufferutil, byte for byte as the JavaScript loop does', () => {
  expect(() => requireHere('bufferutil')).not.toThrow();
  expect(wsBufferUtil.mask.toString()).toContain('bufferUtil.mask');
  const source = Buffer.from(Array.from({ length: 3203 }, (_, i) => (i * 131 + 7) & 0xff));
  const mask = Buffer.from([0x9c, 0x21, 0x5e, 0xe3]);
  const output = Buffer.alloc(source.length + 6);
  wsBufferUtil.mask(source, mask, output, 6, source.length);
  expect(output.subarray(6).equals(jsMask(source, mask))).toBe(true);
  const copy = Buffer.from(output.subarray(6));
  wsBufferUtil.unmask(copy, mask);
  expect(copy.equals(source)).toBe(true);
});
