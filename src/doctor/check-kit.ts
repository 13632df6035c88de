import type { CheckStatus, DoctorCheck } from './types';

/** A check's verdict before its timing is added. */
export type Verdict = Omit<DoctorCheck, 'ms'>;

/** Builds verdicts for one check id: the common fields once, then pass / warn / fail / skip. */
export function verdicts(id: string, title: string, section: string, tried: string) {
  const make = (status: CheckStatus, saw: string, fix?: string): Verdict => ({ id, title, status, tried, saw, ...(fix ? { fix } : {}), section });
  return {
    pass: (saw: string) => make('pass', saw),
    warn: (saw: string, fix: string) => make('warn', saw, fix),
    fail: (saw: string, fix: string) => make('fail', saw, fix),
    skip: (saw: string, fix?: string) => make('skip', saw, fix),
  };
}

/** Runs a check and times it; a throw becomes a failure that says so (a bug in the doctor, not the bridge). */
export async function timed(run: () => Promise<Verdict | Verdict[]>, fallback: { id: string; title: string; section: string }): Promise<DoctorCheck[]> {
  const started = performance.now();
  let verdictsOut: Verdict[];
  try {
    const result = await run();
    verdictsOut = Array.isArray(result) ? result : [result];
  } catch (error) {
    verdictsOut = [{ ...fallback, status: 'fail', tried: 'running the check', saw: `the doctor failed: ${(error as Error).message ?? String(error)}`, fix: 'a bug in the doctor: report it with this output' }];
  }
  const ms = Math.round(performance.now() - started);
  return verdictsOut.map((v) => ({ ...v, ms }));
}
