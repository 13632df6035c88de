import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { BridgeError } from '../errors';

/** What the Kysely dialect needs of an embedded database: PGlite itself, or PGlite in its own thread. */
export interface EmbeddedDatabase {
  readonly waitReady: Promise<void>;
  readonly closed: boolean;
  query<R>(sql: string, params: unknown[]): Promise<{ rows: R[]; affectedRows?: number | undefined; command?: string | undefined }>;
  /** Runs the statements as one transaction in one round trip, where the engine can. */
  batch?(queries: ReadonlyArray<{ sql: string; params: readonly unknown[] }>): Promise<void>;
  close(): Promise<void>;
}

interface Reply {
  id: number;
  ok: boolean;
  result?: unknown;
  error?: { message: string; code?: string; severity?: string };
}

/** The worker script; next to this file in src/ (tsx, jest) and dist/ (npm run build copies it). */
export const PGLITE_WORKER_SCRIPT = path.join(__dirname, 'pglite-worker.mjs');

/**
 * PGlite in a worker thread: the bridge's event loop, which paces every call's audio, never runs
 * a query itself. Queries are messages; replies come back in order. If the thread dies, every
 * query waiting on it and every later one fails with STORE_UNAVAILABLE (the call path retries,
 * /ready says the store is degraded).
 */
export class PGliteThread implements EmbeddedDatabase {
  readonly waitReady: Promise<void>;
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private nextId = 1;
  private dead: Error | null = null;
  private closing: Promise<void> | null = null;

  constructor(source: { folder: string } | { loadDataDir: Blob }, script = PGLITE_WORKER_SCRIPT) {
    this.worker = new Worker(script, { workerData: source });
    this.waitReady = new Promise((resolve, reject) => this.pending.set(0, { resolve: () => resolve(), reject }));
    this.worker.on('message', (reply: Reply) => {
      const waiter = this.pending.get(reply.id);
      if (!waiter) return;
      this.pending.delete(reply.id);
      if (reply.ok) waiter.resolve(reply.result);
      else waiter.reject(Object.assign(new Error(reply.error?.message ?? 'embedded database error'), { code: reply.error?.code, severity: reply.error?.severity }));
    });
    this.worker.on('error', (error) => this.fail(new BridgeError('STORE_UNAVAILABLE', `the embedded database's thread failed: ${error.message}`, { cause: error })));
    this.worker.on('exit', (code) => this.fail(new BridgeError('STORE_UNAVAILABLE', `the embedded database's thread exited (code ${code})`)));
  }

  get closed(): boolean {
    return this.closing !== null || this.dead !== null;
  }

  async query<R>(sql: string, params: unknown[]): Promise<{ rows: R[]; affectedRows?: number; command?: string }> {
    const result = (await this.request({ op: 'query', sql, params })) as { rows: Record<string, unknown>[]; affectedRows?: number; command?: string };
    for (const row of result.rows) ownDates(row);
    return result as { rows: R[]; affectedRows?: number; command?: string };
  }

  async batch(queries: ReadonlyArray<{ sql: string; params: readonly unknown[] }>): Promise<void> {
    await this.request({ op: 'batch', queries: queries.map((q) => ({ sql: q.sql, params: [...q.params] })) });
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      try {
        if (!this.dead) await this.request({ op: 'close' });
      } finally {
        await this.worker.terminate();
      }
    })();
    return this.closing;
  }

  private request(message: { op: string; [key: string]: unknown }): Promise<unknown> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, ...message });
    });
  }

  private fail(error: Error): void {
    this.dead ??= error;
    for (const waiter of this.pending.values()) waiter.reject(this.dead);
    this.pending.clear();
  }
}

/**
 * Creates the database in an empty (or missing) folder in a thread of its own, which then exits.
 * initdb runs a second WebAssembly Postgres and copies the new cluster through memory: done in
 * the thread that goes on serving queries, it left that thread holding ~440 MB it no longer used
 * (its heap had no reason to collect while idle: the bridge's first start idled at 620 MB, its
 * second at 190). Resolves at once when the folder already holds a database.
 */
export async function createDatabaseFolder(folder: string, script = PGLITE_WORKER_SCRIPT): Promise<void> {
  if (existsSync(path.join(folder, 'PG_VERSION'))) return;
  const worker = new Worker(script, { workerData: { folder, initOnly: true } });
  try {
    await new Promise<void>((resolve, reject) => {
      worker.on('message', (reply: Reply) => {
        if (reply.id !== 0) return;
        if (reply.ok) resolve();
        else reject(new BridgeError('STORE_UNAVAILABLE', `could not create the embedded database: ${reply.error?.message ?? 'unknown error'}`));
      });
      worker.on('error', (error) => reject(new BridgeError('STORE_UNAVAILABLE', `could not create the embedded database: ${error.message}`, { cause: error })));
      worker.on('exit', (code) => reject(new BridgeError('STORE_UNAVAILABLE', `the embedded database's setup thread exited (code ${code})`)));
    });
  } finally {
    await worker.terminate();
  }
}

/**
 * Timestamps arrive as Dates made by the thread boundary's realm; made again here, so they are
 * this realm's Dates (`instanceof Date` holds where the caller runs in another context, as jest's
 * test files do). Columns only: jsonb holds no Dates.
 */
function ownDates(row: Record<string, unknown>): void {
  for (const key in row) {
    const value = row[key];
    if (value !== null && typeof value === 'object' && !(value instanceof Date) && Object.prototype.toString.call(value) === '[object Date]') {
      row[key] = new Date((value as Date).getTime());
    }
  }
}
