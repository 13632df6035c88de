import { dialPace, nextDialAt } from './dial-pacing';

const NOW = new Date('2026-12-06T07:00:00Z');
const at = (ms: number) => new Date(NOW.getTime() + ms);

test('30 calls a second with a 1 s tick: 30 dials a tick, the next tick’s slots after them', () => {
  const pace = dialPace({ nextDialAt: null, now: NOW, callsPerSecond: 30, tickMs: 1000 });
  expect(pace.count).toBe(30);
  expect(nextDialAt(pace, 30).getTime()).toBeCloseTo(NOW.getTime() + 1000, 6);
  // A tick that comes a little early still finds its slots, bar the last, which lies past its own next tick.
  expect(dialPace({ nextDialAt: nextDialAt(pace, 30), now: at(990), callsPerSecond: 30, tickMs: 1000 }).count).toBe(29);
  expect(dialPace({ nextDialAt: nextDialAt(pace, 30), now: at(1000), callsPerSecond: 30, tickMs: 1000 }).count).toBe(30);
  // All the slots before the next tick taken: nothing more now.
  expect(dialPace({ nextDialAt: nextDialAt(pace, 30), now: NOW, callsPerSecond: 30, tickMs: 1000 }).count).toBe(0);
});

test('under one a second: one dial, then nothing until its interval has passed, however often anyone ticks', () => {
  const first = dialPace({ nextDialAt: null, now: NOW, callsPerSecond: 0.5, tickMs: 1000 });
  expect(first.count).toBe(1);
  const next = nextDialAt(first, 1);
  expect(next).toEqual(at(2000));
  for (const ms of [250, 1000, 1500, 1999]) expect(dialPace({ nextDialAt: next, now: at(ms), callsPerSecond: 0.5, tickMs: 1000 }).count).toBe(0);
  expect(dialPace({ nextDialAt: next, now: at(2000), callsPerSecond: 0.5, tickMs: 1000 }).count).toBe(1);
  expect(dialPace({ nextDialAt: null, now: NOW, callsPerSecond: 0.1, tickMs: 1000 }).count).toBe(1);
});

test('slots missed while nobody dialled are not saved up into a burst', () => {
  const pace = dialPace({ nextDialAt: at(-60_000), now: NOW, callsPerSecond: 2, tickMs: 1000 });
  expect(pace.count).toBe(2);
  expect(pace.firstSlotMs).toBe(NOW.getTime());
});
