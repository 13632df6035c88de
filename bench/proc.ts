/** What Linux's /proc says of this process: per-thread CPU ticks and system calls (bench only). */
import { readdirSync, readFileSync } from 'node:fs';
import type { WindowReport } from './ipc';

export interface ProcCounters {
  mainTicks: number;
  allTicks: number;
  reads: number;
  writes: number;
}

/** CPU ticks of the main thread and of all threads, and read/write system calls so far (Linux /proc; null elsewhere). */
export function procCounters(): ProcCounters | null {
  try {
    const ticks = (tid: string) => {
      // Fields after the command name's closing parenthesis: utime and stime are the 12th and 13th.
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return Number(fields[11]) + Number(fields[12]);
    };
    let allTicks = 0;
    for (const tid of readdirSync('/proc/self/task')) {
      try {
        allTicks += ticks(tid);
      } catch {
        // The thread ended between the listing and the read.
      }
    }
    const io = readFileSync('/proc/self/io', 'utf8');
    const count = (name: string) => Number(new RegExp(`^${name}: (\\d+)$`, 'm').exec(io)?.[1] ?? Number.NaN);
    return { mainTicks: ticks(String(process.pid)), allTicks, reads: count('syscr'), writes: count('syscw') };
  } catch {
    return null;
  }
}

/** The window between two readings, as WindowReport['os']. */
export function procWindow(before: ProcCounters | null, after: ProcCounters | null): WindowReport['os'] {
  if (!before || !after) return null;
  return {
    mainThreadShare: (after.mainTicks - before.mainTicks) / Math.max(1, after.allTicks - before.allTicks),
    readSyscalls: after.reads - before.reads,
    writeSyscalls: after.writes - before.writes,
  };
}
