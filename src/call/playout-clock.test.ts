import { PlayoutClock } from './playout-clock';

describe('the shared playout clock', () => {
  test('a channel whose pump throws is dropped and told; the others keep being pumped', async () => {
    const clock = new PlayoutClock(5);
    let healthyPumps = 0;
    const failures: unknown[] = [];
    clock.add({ pump: () => healthyPumps++ });
    clock.add({
      pump: () => {
        throw new Error('one call has a bug');
      },
      failed: (error) => failures.push(error),
    });
    await new Promise((r) => setTimeout(r, 60));
    const afterFailure = healthyPumps;
    await new Promise((r) => setTimeout(r, 60));
    clock.stop();
    expect(failures).toHaveLength(1);
    expect((failures[0] as Error).message).toBe('one call has a bug');
    expect(clock.failures).toBe(1);
    expect(clock.size).toBe(1);
    expect(healthyPumps).toBeGreaterThan(afterFailure);
  });

  test('a failure handler that throws too does not stop the clock', async () => {
    const clock = new PlayoutClock(5);
    let pumps = 0;
    clock.add({
      pump: () => {
        throw new Error('bug');
      },
      failed: () => {
        throw new Error('bug in the bug handler');
      },
    });
    clock.add({ pump: () => pumps++ });
    await new Promise((r) => setTimeout(r, 60));
    clock.stop();
    expect(pumps).toBeGreaterThan(2);
  });

  test('a channel is not pumped before its wakeAtMs; one without it is pumped every tick', () => {
    jest.useFakeTimers({ now: 0 });
    const clock = new PlayoutClock(5, () => Date.now());
    const everyTick: number[] = [];
    const waiting = {
      wakeAtMs: 40,
      pumps: [] as number[],
      pump(now: number) {
        this.pumps.push(now);
        this.wakeAtMs = now + 40;
      },
    };
    clock.add({ pump: (now) => everyTick.push(now) });
    clock.add(waiting);
    jest.advanceTimersByTime(200);
    clock.stop();
    jest.useRealTimers();
    expect(everyTick).toEqual(Array.from({ length: 40 }, (_, i) => 5 * (i + 1)));
    expect(waiting.pumps).toEqual([40, 80, 120, 160, 200]);
  });
});
