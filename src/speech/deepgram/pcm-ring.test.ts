import { PcmRing } from './pcm-ring';

const seq = (from: number, n: number) => Int16Array.from({ length: n }, (_, i) => from + i);

function drained(ring: PcmRing): number[] {
  const out: number[] = [];
  ring.drain((run) => out.push(...run));
  return out;
}

test('keeps samples in order and empties on drain', () => {
  const ring = new PcmRing(10);
  expect(ring.write(seq(0, 4))).toBe(0);
  expect(ring.write(seq(4, 3))).toBe(0);
  expect(ring.size).toBe(7);
  expect(drained(ring)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  expect(ring.size).toBe(0);
});

test('drops the oldest samples beyond capacity and counts them, across wrap-around', () => {
  const ring = new PcmRing(5);
  ring.write(seq(0, 3));
  expect(ring.write(seq(3, 4))).toBe(2);
  expect(drained(ring)).toEqual([2, 3, 4, 5, 6]);
  ring.write(seq(7, 4));
  expect(ring.write(seq(11, 3))).toBe(2);
  expect(drained(ring)).toEqual([9, 10, 11, 12, 13]);
  expect(ring.write(seq(100, 12))).toBe(7);
  expect(drained(ring)).toEqual([107, 108, 109, 110, 111]);
  expect(ring.dropped).toBe(11);
});

test('copies its input: the caller may reuse the array', () => {
  const ring = new PcmRing(8);
  const reused = seq(1, 4);
  ring.write(reused);
  reused.fill(0);
  expect(drained(ring)).toEqual([1, 2, 3, 4]);
});

test('a throwing sender leaves the unsent samples in the ring', () => {
  const ring = new PcmRing(6);
  ring.write(seq(0, 4));
  ring.write(seq(10, 5)); // drops 0,1,2 and wraps: runs [3,10,11] and [12,13,14]
  let calls = 0;
  expect(() =>
    ring.drain(() => {
      calls += 1;
      if (calls === 2) throw new Error('closed');
    }),
  ).toThrow('closed');
  expect(drained(ring)).toEqual([12, 13, 14]);
});

test('clear() empties without counting drops', () => {
  const ring = new PcmRing(4);
  ring.write(seq(0, 3));
  ring.clear();
  expect(ring.size).toBe(0);
  expect(ring.dropped).toBe(0);
  expect(drained(ring)).toEqual([]);
});
