import type { DoctorCheck, DoctorReport } from './types';

const LABEL = { pass: 'PASS', warn: 'WARN', fail: 'FAIL', skip: 'SKIP' } as const;

/** One check as text: a pass in one line; anything else with what was tried, seen, the fix and where to read more. */
export function renderCheck(check: DoctorCheck): string {
  const head = `${LABEL[check.status]}  ${check.title}: ${check.saw}`;
  if (check.status === 'pass') return head;
  const lines = [head, `      tried: ${check.tried}`];
  if (check.fix) lines.push(`      fix:   ${check.fix}`);
  lines.push(`      more:  README.md${check.section}`);
  return lines.join('\n');
}

export function renderSummary(report: DoctorReport): string {
  const { pass, warn, fail, skip } = report.counts;
  const verdict = report.ok ? 'no failures' : `${fail} failed: fix the first one first, then run the doctor again`;
  return `${report.url}: ${pass} passed, ${warn} warnings, ${fail} failed, ${skip} skipped — ${verdict}`;
}
