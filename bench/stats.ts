/** Timing and summary helpers shared by the benchmarks. */

export interface Timing {
  /** Median batch, µs per call: the figure reported and compared with budgets. */
  medianUs: number;
  /** Fastest batch, µs per call: the least disturbed by other processes. */
  minUs: number;
  /** Median batch in CPU time (user + system, this process), µs per call: what a busy machine's waiting leaves out. */
  cpuMedianUs: number;
  /** Calls timed (warm-up excluded). */
  iterations: number;
}

/** Times `fn` in `batches` batches of `perBatch` calls after a warm-up of three batches; µs per call. */
export function timeIt(fn: () => void, perBatch: number, batches = 30): Timing {
  for (let i = 0; i < perBatch * 3; i++) fn();
  const perCallUs: number[] = [];
  const cpuPerCallUs: number[] = [];
  for (let b = 0; b < batches; b++) {
    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    for (let i = 0; i < perBatch; i++) fn();
    perCallUs.push(Number(process.hrtime.bigint() - start) / perBatch / 1000);
    const used = process.cpuUsage(cpu);
    cpuPerCallUs.push((used.user + used.system) / perBatch);
  }
  perCallUs.sort((a, b) => a - b);
  cpuPerCallUs.sort((a, b) => a - b);
  return {
    medianUs: perCallUs[perCallUs.length >> 1] ?? Number.NaN,
    minUs: perCallUs[0] ?? Number.NaN,
    cpuMedianUs: cpuPerCallUs[cpuPerCallUs.length >> 1] ?? Number.NaN,
    iterations: perBatch * batches,
  };
}

/** Nearest-rank percentile of unsorted samples (NaN when there are none). */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

export const fixed = (value: number | null | undefined, digits = 2): string =>
  value === null || value === undefined || Number.isNaN(value) ? 'n/a' : value.toFixed(digits);
