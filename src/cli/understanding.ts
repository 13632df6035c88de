/**
 * `npm run understanding [-- --asked] [--dir fixtures/understanding]`: the Arabic understanding
 * against the labelled set, as a table of right / asked again / wrong per question type, then
 * every wrong case (and with --asked, every case that was asked again though it had an answer).
 * Exits 1 when any case is wrong: a wrong answer in a medical record is worse than asking again.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { evaluate, type LabelledCase, parseCases, type Report } from '../questionnaire/arabic/evaluate';

export function loadLabelledSet(dir: string): LabelledCase[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.tsv'))
    .sort()
    .flatMap((file) => parseCases(readFileSync(path.join(dir, file), 'utf8'), file));
}

const pct = (n: number, of: number) => (of === 0 ? '—' : `${((100 * n) / of).toFixed(1)} %`);

export function formatReport(report: Report, showAsked: boolean): string {
  const lines = ['| question | cases | right | asked again | wrong | understood |', '|---|---|---|---|---|---|'];
  for (const r of report.rows) {
    const cases = r.right + r.asked + r.wrong;
    lines.push(`| ${r.type} | ${cases} | ${r.right} | ${r.asked} | ${r.wrong} | ${pct(r.right, cases)} |`);
  }
  const t = report.total;
  lines.push(`| **all** | ${t.cases} | ${t.right} | ${t.asked} | ${t.wrong} | ${pct(t.right, t.cases)} |`);
  for (const { case: c, outcome } of report.wrong) lines.push(`WRONG ${c.source} [${c.type} ${c.context}] "${c.utterance}": expected ${c.expected}, got ${outcome}`);
  if (showAsked) for (const { case: c, outcome } of report.asked) lines.push(`asked ${c.source} [${c.type} ${c.context}] "${c.utterance}": expected ${c.expected}, got ${outcome}`);
  return lines.join('\n');
}

if (require.main === module) {
  const { values } = parseArgs({ options: { asked: { type: 'boolean', default: false }, dir: { type: 'string', default: path.resolve(__dirname, '../../fixtures/understanding') } } });
  const report = evaluate(loadLabelledSet(values.dir));
  console.log(formatReport(report, values.asked));
  process.exit(report.total.wrong > 0 ? 1 : 0);
}
