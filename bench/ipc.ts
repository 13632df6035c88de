/** Messages between the load generator (parent) and bench/bridge-server.ts (child, over IPC). */

/** Prefix of the keyterm that names a recognition stream's call (bench/bridge-server.ts adds it). */
export const BENCH_CALL_TAG = 'benchcall-';

export type ToBridge = { type: 'window-start' } | { type: 'window-end' } | { type: 'shutdown' };

export interface Quantiles {
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
  count: number;
}

/** What the bridge process measured about itself during the load window. */
export interface WindowReport {
  type: 'window';
  wallMs: number;
  cpuUserMs: number;
  cpuSystemMs: number;
  /** Calls active at the start and the end of the window (registry count). */
  activeCalls: { start: number; end: number };
  /** monitorEventLoopDelay, 1 ms sampling; the sampling interval is subtracted. */
  eventLoopDelay: Quantiles;
  /** Time each shared playout-clock tick spends pumping every call. */
  playoutTick: Quantiles;
  /**
   * Frame send time minus scheduled time, measured when the frame is actually handed to the
   * socket (the bridge's own metric uses the tick's start time for every call in the tick).
   */
  trueLateness: Quantiles;
  /** One call's state written to the store: the save's own time, from the call to its commit. */
  storeCommit: Quantiles & { engine: 'pglite' | 'postgres' };
  /** Outbound frames sent per playout-clock tick. */
  framesPerTick: { p50: number; p99: number; max: number };
  /**
   * Event-loop gaps over 20 ms (a 2 ms watchdog): when, how long, and how much of it this process
   * spent on the CPU (≈ the gap: busy in JavaScript or the kernel; ≈ 0: descheduled or blocked).
   */
  stalls: Array<{ atMs: number; gapMs: number; cpuMs: number }>;
  /** Garbage-collection pauses during the window, by kind. */
  gc: Record<string, { count: number; totalMs: number; maxMs: number }>;
  heapUsedMb: number;
  rssMb: number;
  /** Statements sent to the database during the window (BEGIN and COMMIT included). */
  statements: number;
  /**
   * From /proc (Linux; null elsewhere): the main thread's share of the process's CPU ticks in the
   * window (the rest: V8's GC helpers, the database and voice workers, libuv's pool), and the
   * read and write system calls the process made (/proc/self/io syscr, syscw).
   */
  os: { mainThreadShare: number; readSyscalls: number; writeSyscalls: number } | null;
}

export interface ClosedReport {
  type: 'closed';
  /** Log lines at warn (40) and above, by message. */
  warnings: Record<string, number>;
  errors: Record<string, number>;
}

/** What bench/floor-server.ts measured about itself in the window. */
export interface FloorWindowReport {
  type: 'floor-window';
  wallMs: number;
  cpuUserMs: number;
  cpuSystemMs: number;
  activeCalls: { start: number; end: number };
  os: WindowReport['os'];
}

export type FromBridge = { type: 'ready'; port: number; pid: number } | WindowReport | ClosedReport | FloorWindowReport;
