import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CSV_COLUMNS } from '../src/cli/export-format';
import { loadConfig } from '../src/config';
import { createMetrics } from '../src/observability/metrics';
import { PROMPT_PLACEHOLDERS } from '../src/questionnaire/placeholders';
import { parseQuestionnaire } from '../src/questionnaire/load';
import type { PromptKey } from '../src/questionnaire/schema';
import { MINIMAL_YAML } from './helpers/questionnaires';

/** The README documents what the code does: these checks fail when the two drift apart. */
const README = readFileSync(path.resolve(__dirname, '../README.md'), 'utf8');

/** Cells of the first table row whose first cell is exactly `first`. */
function row(first: string): string[] {
  const line = README.split('\n').find((l) => l.startsWith(`| ${first} |`));
  if (!line) throw new Error(`README has no table row for ${first}`);
  return line.split('|').slice(1, -1).map((cell) => cell.trim());
}

function rejects(source: string): string {
  try {
    parseQuestionnaire(source, 'x.yaml');
  } catch (error) {
    return (error as Error).message;
  }
  return '';
}

describe('README', () => {
  test('settings and settings.emergency_number are marked required, and the schema requires them', () => {
    expect(row('`settings`')[2]).toMatch(/^required/);
    expect(row('`settings.emergency_number`')[2]).toMatch(/^required/);
    expect(rejects(MINIMAL_YAML.replace('settings:\n  emergency_number: "997"\n', ''))).toBe('x.yaml: settings: is required');
    expect(rejects(MINIMAL_YAML.replace('  emergency_number: "997"\n', '  max_reprompts: 1\n'))).toBe('x.yaml: settings.emergency_number: is required');
  });

  test('UNKNOWN_QUESTIONNAIRE is documented with its default and both choices', () => {
    const [, fallback, meaning] = row('`UNKNOWN_QUESTIONNAIRE`');
    expect(fallback).toBe(`\`${loadConfig({}).unknownQuestionnaire}\``);
    expect(meaning).toContain('`default`');
    expect(meaning).toContain('`reject`');
  });

  test('each prompt documents the placeholders the machine gives it', () => {
    const base = row('every prompt (except `yes`, `no`) and `items[].text`')[1];
    const common = PROMPT_PLACEHOLDERS.greeting;
    for (const name of common) expect(base).toContain(`{${name}}`);
    for (const [key, names] of Object.entries(PROMPT_PLACEHOLDERS) as Array<[PromptKey, readonly string[]]>) {
      const extra = names.filter((n) => !common.includes(n));
      if (extra.length === 0) continue;
      const cell = row(`\`${key}\``)[1] ?? '';
      for (const name of extra) expect([key, cell.includes(`{${name}}`)]).toEqual([key, true]);
    }
    expect(row('`yes`, `no`')[1]).toMatch(/^none/);
    expect(PROMPT_PLACEHOLDERS.yes).toEqual([]);
    expect(PROMPT_PLACEHOLDERS.no).toEqual([]);
  });

  test('DATA_RETENTION_DAYS is documented with its default; the export lists the csv columns in order', () => {
    expect(row('`DATA_RETENTION_DAYS`')[1]).toBe(`\`${loadConfig({}).dataRetentionDays}\``);
    const csv = README.slice(README.indexOf('- `csv`: one row per answer'), README.indexOf('UTF-8 with a byte order mark'));
    const documented = [...csv.matchAll(/`([a-z_]+)`/g)].map((m) => m[1]).filter((name) => name !== 'csv');
    expect(documented).toEqual([...CSV_COLUMNS]);
  });

  test('the unknown-questionnaire counter is in the metrics table', async () => {
    const metrics = await createMetrics().registry.getMetricsAsJSON();
    expect(metrics.some((m) => m.name === 'bridge_unknown_questionnaire_total')).toBe(true);
    expect(row('`bridge_unknown_questionnaire_total{source}`')[1]).toContain('`maqsam_stream`');
  });
});
