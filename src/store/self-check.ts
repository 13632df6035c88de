import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { newerMigrations } from './store';
import type { Database } from './schema';

/** What the store says of itself for GET /api/v1/diagnostics: nothing from any call, only its state. */
export interface StoreSelfCheck {
  engine: 'pglite' | 'postgres';
  /** Migrations this version needs that the database has not recorded (should be none: they run at open). */
  missingMigrations: string[];
  /** Migrations a newer version recorded (a rolling upgrade in progress). */
  newerMigrations: string[];
  /** A write that was rolled back: null when it went through, else why not (read-only, full, permissions). */
  writeFailed: string | null;
  writeMs: number;
}

class RolledBack extends Error {}

/**
 * Checks the schema is current and a write goes through: a row in `instances` (no health data,
 * a name no instance has) inserted and read back inside a transaction that is then rolled back,
 * so nothing is left and no other instance ever sees it.
 */
export async function selfCheck(db: Kysely<Database>, engine: 'pglite' | 'postgres'): Promise<StoreSelfCheck> {
  const { newer, missing } = await newerMigrations(db);
  const started = performance.now();
  let writeFailed: string | null = null;
  try {
    await db.transaction().execute(async (trx) => {
      const id = `diagnostics-${randomUUID()}`;
      await trx.insertInto('instances').values({ id, max_calls: 0, version: 'diagnostics' }).execute();
      const row = await trx.selectFrom('instances').select('id').where('id', '=', id).executeTakeFirst();
      if (!row) throw new Error('the row written was not read back');
      throw new RolledBack();
    });
  } catch (error) {
    if (!(error instanceof RolledBack)) writeFailed = (error as Error).message?.slice(0, 200) ?? String(error);
  }
  return { engine, missingMigrations: missing, newerMigrations: newer, writeFailed, writeMs: Math.round(performance.now() - started) };
}
