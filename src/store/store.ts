import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { type Dialect, Kysely, type LogEvent, Migrator, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { BridgeError } from '../errors';
import type { Logger } from '../observability/logger';
import { type CallsRepository, createCallsRepository, type RunBatch } from './calls';
import { type DataDirLock, lockDataDir } from './data-dir-lock';
import { createInstancesRepository, type InstancesRepository } from './instances';
import { MIGRATIONS, migrationProvider } from './migrations';
import { PGliteDialect } from './pglite-dialect';
import { createDatabaseFolder, PGliteThread } from './pglite-thread';
import { localSignals, postgresSignals, type Signals } from './signals';
import type { Database } from './schema';
import { type StoreSelfCheck, selfCheck } from './self-check';
import { createWebhookQueue, type WebhookQueue } from './webhook-queue';
import { createWebhooksRepository, type WebhooksRepository } from './webhooks';

export interface StoreOptions {
  /** postgres:// URL: a shared Postgres. Unset: embedded PGlite under `${dataDir}/db`. */
  databaseUrl?: string | undefined;
  dataDir: string;
  logger: Logger;
  /**
   * Postgres only: how long to wait for a connection, and for one statement, before failing (so
   * a database that stops answering fails a write, which the call path retries, instead of
   * holding it forever). Defaults: 5 s and 10 s.
   */
  timeouts?: { connectMs?: number; queryMs?: number };
  /**
   * Tests only: an in-memory PGlite loaded from this copy of a database (`dumpDataDir()` of a
   * migrated template) instead of `${dataDir}/db`. Nothing is on disk, so no DATA_DIR lock is
   * taken; migrations still run as on any open. Ignored when `databaseUrl` is set.
   */
  inMemoryFrom?: Blob | undefined;
  /** Accept http:// webhook receivers (development, tests); https only by default. */
  allowHttpWebhooks?: boolean;
  /** Told of every statement sent (for the statements metric): its kind. */
  onStatement?: (kind: 'select' | 'insert' | 'update' | 'delete' | 'other') => void;
}

const STATEMENT_KIND: Record<string, 'select' | 'insert' | 'update' | 'delete'> = {
  SelectQueryNode: 'select',
  InsertQueryNode: 'insert',
  UpdateQueryNode: 'update',
  DeleteQueryNode: 'delete',
};

export interface Store {
  readonly db: Kysely<Database>;
  readonly engine: 'pglite' | 'postgres';
  readonly calls: CallsRepository;
  /** Running instances over this database: heartbeats, capacity, draining. */
  readonly instances: InstancesRepository;
  /** Small messages to every instance (Postgres NOTIFY; this process only on the embedded database). */
  readonly signals: Signals;
  /** Webhook subscriptions and deliveries (the clinic API's). */
  readonly webhooks: WebhooksRepository;
  /** The webhook dispatcher's claims and settlements. */
  readonly webhookQueue: WebhookQueue;
  /** Calls `listener` after each local save that may have written webhook events; returns the unsubscribe. */
  onWebhookEvents(listener: () => void): () => void;
  /** Schema current and a (rolled back) write going through: for GET /api/v1/diagnostics. */
  selfCheck(): Promise<StoreSelfCheck>;
  /** Resolves when the database answers; rejects when closed or the DATA_DIR lock was lost. */
  ping(): Promise<void>;
  /** Closes the database and releases the DATA_DIR lock. Safe to call twice. */
  close(): Promise<void>;
}

/** The embedded engine's batches bypass Kysely's log: their statements are counted here. */
function countedBatch(runBatch: RunBatch | undefined, onStatement: StoreOptions['onStatement']): RunBatch | undefined {
  if (!runBatch || !onStatement) return runBatch;
  return (queries) => {
    for (const query of queries) onStatement(STATEMENT_KIND[query.query.kind] ?? 'other');
    return runBatch(queries);
  };
}

/** int8 (counts, identity ids) as a number on both engines; pg would give a string. */
const parseInt8 = (text: string): number => Number(text);

/** Opens the store and brings its schema up to date. */
export async function openStore(options: StoreOptions): Promise<Store> {
  const started = performance.now();
  const log = options.logger.child({ component: 'store' });
  const engine = options.databaseUrl ? 'postgres' : 'pglite';
  let lock: DataDirLock | undefined;
  let dialect: Dialect;
  if (options.databaseUrl) {
    dialect = new PostgresDialect({ pool: createPool(options.databaseUrl, log, options.timeouts) });
  } else if (options.inMemoryFrom) {
    dialect = new PGliteDialect(new PGliteThread({ loadDataDir: options.inMemoryFrom }));
  } else {
    await mkdir(options.dataDir, { recursive: true });
    const folder = path.join(options.dataDir, 'db');
    lock = await lockDataDir(folder, (error) => log.error({ err: error }, 'store lost its DATA_DIR/db lock: another process may open the folder'));
    try {
      await createDatabaseFolder(folder);
      dialect = new PGliteDialect(new PGliteThread({ folder }));
    } catch (error) {
      await lock.release();
      throw error;
    }
  }
  const onStatement = options.onStatement;
  const db = new Kysely<Database>({
    dialect,
    ...(onStatement ? { log: (event: LogEvent) => onStatement(STATEMENT_KIND[event.query.query.kind] ?? 'other') } : {}),
  });
  try {
    const { applied, newer } = await migrate(db);
    if (newer.length > 0) {
      log.warn({ newerMigrations: newer }, 'the database was migrated by a newer version of the bridge: running on it unchanged (each migration keeps the previous version working, for rolling upgrades); upgrade this instance');
    }
    log.info({ engine, openMs: Math.round(performance.now() - started), migrationsApplied: applied }, 'store opened');
  } catch (error) {
    await db.destroy().catch(() => undefined);
    await lock?.release();
    throw error;
  }

  let closing: Promise<void> | undefined;
  const signals = options.databaseUrl
    ? postgresSignals(
        options.databaseUrl,
        async (channel, payload) => {
          await sql`select pg_notify(${channel}, ${payload})`.execute(db);
        },
        log,
      )
    : localSignals(log);
  const listeners = new Set<() => void>();
  const eventsWritten = () => {
    for (const listener of listeners) listener();
  };
  return {
    db,
    engine,
    calls: createCallsRepository(db, dialect instanceof PGliteDialect ? countedBatch(dialect.runBatch, onStatement) : undefined, eventsWritten),
    instances: createInstancesRepository(db),
    signals,
    webhooks: createWebhooksRepository(db, { allowHttp: options.allowHttpWebhooks ?? false }),
    webhookQueue: createWebhookQueue(db),
    onWebhookEvents(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    selfCheck: () => selfCheck(db, engine),
    async ping() {
      if (closing) throw new BridgeError('STORE_UNAVAILABLE', 'the store is closed');
      if (lock?.lost) throw new BridgeError('STORE_UNAVAILABLE', 'the store lost its DATA_DIR/db lock', { cause: lock.lost });
      await sql`select 1`.execute(db);
    },
    close() {
      closing ??= (async () => {
        try {
          await signals.close();
          await db.destroy();
        } finally {
          await lock?.release();
        }
        log.info({ engine }, 'store closed');
      })();
      return closing;
    },
  };
}

/**
 * Runs every migration not yet applied; returns their names. Postgres' advisory lock keeps two
 * instances from migrating at once. During a rolling upgrade an instance of the previous version
 * may (re)start on a database the new version has already migrated: that is supported for one
 * version (every migration is additive), so migrations this code does not know are reported
 * rather than refused, provided every migration it does know has run.
 */
export async function migrate(db: Kysely<Database>): Promise<{ applied: string[]; newer: string[] }> {
  const before = await newerMigrations(db);
  if (before.newer.length > 0) return tolerated(before);
  const { error, results } = await new Migrator({ db, provider: migrationProvider }).migrateToLatest();
  if (error) {
    // A newer version may have migrated while this instance waited for the migration lock.
    const after = await newerMigrations(db);
    if (after.newer.length > 0) return tolerated(after);
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new BridgeError('STORE_MIGRATION_FAILED', `store migration ${failed} failed: ${(error as Error).message ?? String(error)}`, { cause: error });
  }
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName), newer: [] };
}

/** Migrations recorded in the database that this version does not know, and ones it needs that are not recorded. */
export async function newerMigrations(db: Kysely<Database>): Promise<{ newer: string[]; missing: string[] }> {
  const known = new Set(Object.keys(MIGRATIONS));
  const recorded = await sql<{ name: string }>`select name from kysely_migration`.execute(db).then(
    (r) => r.rows.map((row) => row.name),
    () => [] as string[], // a new database: no migration table yet
  );
  return { newer: recorded.filter((name) => !known.has(name)).sort(), missing: [...known].filter((name) => !recorded.includes(name)) };
}

function tolerated({ newer, missing }: { newer: string[]; missing: string[] }): { applied: string[]; newer: string[] } {
  if (missing.length > 0) {
    throw new BridgeError(
      'STORE_MIGRATION_FAILED',
      `the database has migrations this version does not know (${newer.join(', ')}) and lacks ones it needs (${missing.join(', ')}): run a version that has them all`,
    );
  }
  return { applied: [], newer };
}

function createPool(connectionString: string, log: Logger, timeouts: StoreOptions['timeouts'] = {}): pg.Pool {
  const queryMs = timeouts.queryMs ?? 10_000;
  const pool = new pg.Pool({
    connectionString,
    application_name: 'telephony-bridge',
    max: 10,
    connectionTimeoutMillis: timeouts.connectMs ?? 5000,
    // Client side (a server that stopped answering) and server side (a statement stuck on a lock).
    query_timeout: queryMs,
    statement_timeout: queryMs,
    keepAlive: true,
    // Per pool, not pg.types globally: nothing else in the process is affected.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === 20 ? parseInt8 : pg.types.getTypeParser(oid, format))) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client losing its server emits here; unhandled, it would end the process.
  const lost = (error: Error) => log.warn({ err: { message: error.message, code: (error as { code?: string }).code } }, 'store connection lost; the pool reconnects');
  // An idle client losing its server emits on the pool; one checked out (between the statements
  // of a transaction) emits on itself, and unhandled that would end the process: a database
  // restart must fail a write, never the bridge. The pool discards a client that is no longer queryable.
  pool.on('connect', (client) => client.on('error', lost));
  pool.on('error', () => undefined); // the same error, re-emitted by the pool for an idle client: logged above
  return pool;
}
