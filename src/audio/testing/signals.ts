/** Deterministic test signals (no Math.random: failures must reproduce). */

/** Uniform noise in [−amplitude, amplitude] from a 32-bit xorshift generator seeded by `seed`. */
export function noiseInt16(length: number, amplitude: number, seed = 0x9e3779b9): Int16Array {
  let state = seed | 0 || 1;
  const out = new Int16Array(length);
  for (let i = 0; i < length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    const unit = (state >>> 0) / 0xffffffff; // [0, 1]
    out[i] = Math.round((unit * 2 - 1) * amplitude);
  }
  return out;
}

/** Chunk sizes that add up to `total`, cycling through `pattern` (zeros allowed). */
export function chunkSizes(total: number, pattern: readonly number[]): number[] {
  if (!pattern.some((size) => size > 0)) throw new RangeError('pattern needs a positive size');
  const sizes: number[] = [];
  let left = total;
  for (let i = 0; left > 0; i++) {
    const size = Math.min(left, pattern[i % pattern.length]!);
    sizes.push(size);
    left -= size;
  }
  return sizes;
}

/** Concatenates int16 arrays. */
export function concatInt16(parts: readonly Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Chunk sizes from 0 to `maxSize` (zeros included) that add up to `total`, from a seeded xorshift. */
export function randomChunkSizes(total: number, maxSize: number, seed: number): number[] {
  let state = seed | 0 || 1;
  const sizes: number[] = [];
  let left = total;
  while (left > 0) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    const size = Math.min(left, (state >>> 0) % (maxSize + 1));
    sizes.push(size);
    left -= size;
  }
  return sizes;
}
