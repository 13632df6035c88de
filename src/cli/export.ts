import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { isBridgeError } from '../errors';
import { createLogger } from '../observability/logger';
import { openStore } from '../store';
import { exportCalls } from '../store/call-export';
import { CSV_BOM, csvHeader, csvRows, ndjsonLine } from './export-format';

/**
 * `npm run export -- --since 2026-01-01 [--until 2026-02-01] [--format ndjson|csv] [--out FILE]`
 * (in the image: `node dist/cli/export.js …`): the calls started in [since, until), with their
 * answers and flags, for a clinic's own analysis. Reads the store the service uses (DATABASE_URL,
 * else DATA_DIR/db); the embedded one only while the bridge is stopped. Data goes to stdout or
 * --out; messages, and never any answer or transcript, go to stderr.
 */
const USAGE = [
  'usage: npm run export -- --since DATE [--until DATE] [--format ndjson|csv] [--out FILE]',
  '  (in the Docker image: node dist/cli/export.js --since DATE …)',
  'DATE: 2026-01-01 (midnight UTC) or an ISO time with its offset, 2026-01-01T00:00:00+03:00; --until is exclusive.',
  '--format ndjson (default): one call per line; csv: one row per answer, UTF-8 with a BOM for Excel.',
  'Reads DATABASE_URL, else the embedded database in DATA_DIR/db (stop the bridge first: one process at a time).',
].join('\n');

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

class UsageError extends Error {}

interface ExportArgs {
  since: Date;
  until: Date | undefined;
  format: 'ndjson' | 'csv';
  out: string | undefined;
  pageSize: number;
}

function parse(argv: string[]): ExportArgs | 'help' {
  let values: ReturnType<typeof parseOptions>['values'];
  try {
    values = parseOptions(argv).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return 'help';
  if (!values.since) throw new UsageError('--since is required');
  const since = parseDate('--since', values.since);
  const until = values.until === undefined ? undefined : parseDate('--until', values.until);
  if (until && until <= since) throw new UsageError('--until must be after --since');
  const format = values.format ?? 'ndjson';
  if (format !== 'ndjson' && format !== 'csv') throw new UsageError(`--format must be ndjson or csv, not "${format}"`);
  const pageSize = values['page-size'] === undefined ? 500 : Number(values['page-size']);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 10_000) throw new UsageError('--page-size must be a whole number from 1 to 10000');
  return { since, until, format, out: values.out, pageSize };
}

function parseOptions(argv: string[]) {
  return parseArgs({
    args: argv,
    options: {
      since: { type: 'string' },
      until: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      'page-size': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
}

function parseDate(option: string, text: string): Date {
  const date = DATE.test(text) ? new Date(`${text}T00:00:00Z`) : DATE_TIME.test(text) ? new Date(text) : undefined;
  // new Date('2026-02-30T00:00:00Z') rolls over to March: refuse what does not round-trip.
  if (!date || Number.isNaN(date.getTime()) || (DATE.test(text) && date.toISOString().slice(0, 10) !== text)) {
    throw new UsageError(`${option} "${text}" is not a date: give 2026-01-01 or 2026-01-01T00:00:00+03:00`);
  }
  return date;
}

async function main(): Promise<number> {
  let args: ExportArgs | 'help';
  try {
    args = parse(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`export: ${error.message}\n${USAGE}\n`);
    return 2;
  }
  if (args === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const config = loadConfig();
  // The store's own lines (opened, closed, warnings) go to stderr: stdout is the data.
  const logger = createLogger({ level: 'warn', destination: process.stderr });
  const started = performance.now();
  let store: Awaited<ReturnType<typeof openStore>>;
  try {
    store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, logger });
  } catch (error) {
    if (!isBridgeError(error, 'STORE_LOCKED')) throw error;
    process.stderr.write(
      `export: ${error.message}\nThe embedded database takes one process at a time: stop the bridge (docker compose stop bridge), export, then start it again; or export from a shared Postgres with DATABASE_URL.\n`,
    );
    return 1;
  }
  let calls = 0;
  let rows = 0;
  try {
    const sink = args.out ? await openFile(args.out) : process.stdout;
    // A write error (disk full, the reader gone) is kept and thrown at the next write.
    let failed: Error | undefined;
    sink.on('error', (error: Error) => {
      failed ??= error;
    });
    const write = async (text: string) => {
      if (failed) throw failed;
      if (text !== '' && !sink.write(text)) await once(sink, 'drain'); // a slow reader must not fill memory
    };
    if (args.format === 'csv') await write(CSV_BOM + csvHeader());
    let chunk = '';
    for await (const call of exportCalls(store.db, { since: args.since, until: args.until, pageSize: args.pageSize })) {
      calls++;
      if (args.format === 'csv') {
        const lines = csvRows(call);
        rows += lines.length;
        chunk += lines.join('');
      } else {
        rows++;
        chunk += ndjsonLine(call);
      }
      if (chunk.length >= 64 * 1024) {
        await write(chunk);
        chunk = '';
      }
    }
    await write(chunk);
    if (sink !== process.stdout) {
      sink.end();
      await once(sink, 'close');
    }
    if (failed) throw failed;
  } finally {
    await store.close();
  }
  const ms = performance.now() - started;
  process.stderr.write(`export: ${calls} calls, ${rows} ${args.format === 'csv' ? 'rows' : 'lines'} in ${Math.round(ms)} ms${args.out ? ` to ${args.out}` : ''}\n`);
  return 0;
}

/** Health data: the file is readable by its owner only. Resolves once open (or rejects: no such folder). */
async function openFile(file: string): Promise<Writable> {
  const stream = createWriteStream(file, { mode: 0o600 });
  await once(stream, 'open');
  return stream;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Messages only: a database error never carries an answer, and no row is ever printed here.
    const code = isBridgeError(error) ? ` [${error.code}]` : '';
    const errno = (error as NodeJS.ErrnoException).code;
    if (errno === 'EPIPE') return; // the reader stopped early (| head): not a failure
    process.stderr.write(`export failed${code}: ${(error as Error).message}\n`);
    process.exitCode = 1;
  },
);
