import {
  CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import type { EmbeddedDatabase } from './pglite-thread';

/**
 * Kysely on embedded PGlite. PGlite is one Postgres backend, i.e. one connection: Kysely's
 * transactions are BEGIN … COMMIT sent over a connection it acquires, so acquiring is a queue.
 * Without it, a query from another caller would run inside someone else's open transaction (and
 * be rolled back with it). The price: everything waits behind an open transaction, so keep them
 * short.
 */
export class PGliteDialect implements Dialect {
  constructor(private readonly pglite: EmbeddedDatabase) {}

  createAdapter(): DialectAdapter {
    return new PostgresAdapter();
  }

  createDriver(): Driver {
    this.driver = new PGliteDriver(this.pglite);
    return this.driver;
  }

  private driver: PGliteDriver | undefined;

  /**
   * Statements that do not read each other's results, run as one transaction in the database's
   * own round trip (a save: 4–6 statements, one message to the thread instead of one each), in
   * turn with Kysely's other work on the one connection. Undefined when the database cannot.
   */
  get runBatch(): ((queries: readonly CompiledQuery[]) => Promise<void>) | undefined {
    if (!this.pglite.batch) return undefined;
    return async (queries) => {
      const driver = this.driver;
      if (!driver) throw new Error('the dialect has no driver yet: open Kysely first');
      await driver.enqueue(() => (this.pglite.batch as NonNullable<EmbeddedDatabase['batch']>)(queries.map((q) => ({ sql: q.sql, params: q.parameters }))));
    };
  }

  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler();
  }

  // biome-ignore lint/suspicious/noExplicitAny: the signature Kysely's Dialect interface declares
  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new PostgresIntrospector(db);
  }
}

/** A first-come, first-served lock: `acquire` resolves with the function that releases it. */
export class Queue {
  private tail: Promise<void> = Promise.resolve();

  acquire(): Promise<() => void> {
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const previous = this.tail;
    this.tail = previous.then(() => held);
    return previous.then(() => release);
  }
}

class PGliteDriver implements Driver {
  private readonly queue = new Queue();
  private readonly connection: PGliteConnection;
  private release: (() => void) | undefined;

  constructor(private readonly pglite: EmbeddedDatabase) {
    this.connection = new PGliteConnection(pglite);
  }

  async init(): Promise<void> {
    await this.pglite.waitReady;
  }

  /**
   * Starts `work` (which must send everything it sends before returning its promise) in turn with
   * Kysely's own use of the one connection, but releases the connection as soon as it is sent: the
   * database runs what it receives in order, so the next save does not wait for this one's reply
   * to cross back to a busy event loop first (a pipeline; in npm run bench at 300 calls, commit
   * p50 fell from 0.1-4 s to 14 ms once saves stopped waiting for each other's replies).
   */
  async enqueue<T>(work: () => Promise<T>): Promise<T> {
    const release = await this.queue.acquire();
    let sent: Promise<T>;
    try {
      sent = work();
    } finally {
      release();
    }
    return sent;
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const release = await this.queue.acquire();
    this.release = release;
    return this.connection;
  }

  async releaseConnection(): Promise<void> {
    const release = this.release;
    this.release = undefined;
    release?.();
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const modes = [settings.isolationLevel ? `isolation level ${settings.isolationLevel}` : '', settings.accessMode ?? ''].filter(Boolean);
    await connection.executeQuery(CompiledQuery.raw(modes.length > 0 ? `start transaction ${modes.join(' ')}` : 'begin'));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const result = await connection.executeQuery(CompiledQuery.raw('commit'));
    // Postgres answers COMMIT with a ROLLBACK tag when an earlier error aborted the transaction
    // (the caller caught that error and carried on): the writes are gone, so say so.
    if ((result as PGliteQueryResult).command === 'ROLLBACK') throw new Error('the transaction was rolled back: an earlier statement in it failed');
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await this.savepointCommand(connection, `savepoint ${quoteIdentifier(name)}`);
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await this.savepointCommand(connection, `rollback to savepoint ${quoteIdentifier(name)}`);
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await this.savepointCommand(connection, `release savepoint ${quoteIdentifier(name)}`);
  }

  async destroy(): Promise<void> {
    // Let whoever holds the connection finish, then close; nobody acquires after Kysely destroys.
    const release = await this.queue.acquire();
    try {
      if (!this.pglite.closed) await this.pglite.close();
    } finally {
      release();
    }
  }

  private async savepointCommand(connection: DatabaseConnection, text: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(text));
  }
}

interface PGliteQueryResult extends QueryResult<unknown> {
  command?: string;
}

class PGliteConnection implements DatabaseConnection {
  constructor(private readonly pglite: EmbeddedDatabase) {}

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.pglite.query<R>(compiledQuery.sql, [...compiledQuery.parameters]);
    const command = result.command?.toUpperCase();
    const changes = command === 'INSERT' || command === 'UPDATE' || command === 'DELETE' || command === 'MERGE';
    return {
      rows: result.rows,
      ...(changes && result.affectedRows !== undefined ? { numAffectedRows: BigInt(result.affectedRows) } : {}),
      ...(command ? { command } : {}),
    };
  }

  async *streamQuery<R>(compiledQuery: CompiledQuery, chunkSize = 100): AsyncIterableIterator<QueryResult<R>> {
    // PGlite has no cursors over its query API: read everything, hand it out in chunks.
    const { rows } = await this.executeQuery<R>(compiledQuery);
    for (let start = 0; start < rows.length; start += chunkSize) yield { rows: rows.slice(start, start + chunkSize) };
  }
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
