/**
 * Calls per second as a schedule, not a per-tick budget: each campaign keeps the time its next
 * dial may start (`next_dial_at`), and every dial moves it on by 1/callsPerSecond. That time is
 * read and moved under the campaign row's lock, so the limit holds across any number of
 * instances and below one call a second (0.5/s: one dial every 2 s, whoever ticks).
 *
 * A tick may take the dials whose slots fall before its next tick (a burst of at most
 * callsPerSecond × tick), so 30/s works with a 1 s tick; a slot one tick or more away is left for
 * a later tick, so a rate under one per tick is never rounded up. This is the generic cell rate
 * algorithm with a burst tolerance of one tick less one interval.
 */
export interface DialPace {
  /** How many dials may start now. */
  count: number;
  /** The first of those dials' slot (ms since the epoch); the next dial after `n` of them is at `firstSlotMs + n × intervalMs`. */
  firstSlotMs: number;
  intervalMs: number;
}

export function dialPace(input: { nextDialAt: Date | null; now: Date; callsPerSecond: number; tickMs: number }): DialPace {
  const intervalMs = 1000 / input.callsPerSecond;
  const nowMs = input.now.getTime();
  // A slot missed while nobody ticked (paused, outside the window, no instance up) is not saved up.
  const firstSlotMs = Math.max(input.nextDialAt?.getTime() ?? nowMs, nowMs);
  const toleranceMs = Math.max(0, input.tickMs - intervalMs);
  const aheadMs = nowMs + toleranceMs - firstSlotMs;
  // (A microsecond's slack: 1000/30 does not add up exactly in floating point.)
  const count = aheadMs < 0 ? 0 : Math.floor(aheadMs / intervalMs + 1e-6) + 1;
  return { count, firstSlotMs, intervalMs };
}

/** `next_dial_at` after `dials` of the allowed dials were made. */
export function nextDialAt(pace: DialPace, dials: number): Date {
  return new Date(pace.firstSlotMs + dials * pace.intervalMs);
}
