import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Kysely, sql } from 'kysely';
import type { Config } from '../config';
import type { Logger } from '../observability/logger';
import type { Database } from './schema';
import type { Store } from './store';

/**
 * DATA_RETENTION_DAYS: health data of calls that ended (or, never ended, started) more than N
 * days ago is removed: their answers (values, transcripts) and timeline events are deleted, their
 * flags keep item, action and time with a null value, and `patient_reference` is cleared. The
 * call row stays, with `answer_count` and `purged_at`, so counts by day, outcome and
 * questionnaire survive.
 *
 * Work goes in batches, one short transaction each: PGlite runs nothing else while a transaction
 * is open, and the call path writes meanwhile. A batch claims its calls with FOR UPDATE SKIP
 * LOCKED, so instances sharing one Postgres split the work instead of repeating it, and marks
 * them purged in the same transaction that deletes: a crash mid-batch leaves nothing half done,
 * and a second run finds nothing left.
 */
export interface PurgeOptions {
  olderThanDays: number;
  /** Calls per transaction. */
  batchSize?: number;
  /** The clock the cutoff is measured from (tests); now by default. */
  now?: Date;
  /** Checked between batches: an aborted purge stops after the batch in flight. */
  signal?: AbortSignal;
  /**
   * Between batches. The embedded database has one backend (in its own thread), so while a batch
   * runs, live calls' saves queue behind it; the pause lets them through before the next one.
   */
  pauseMs?: number;
  /**
   * Do autovacuum's work: ANALYZE before (without statistics the planner scans whole tables for
   * each batch) and VACUUM after (so the space of deleted rows is reused, not grown past). For
   * PGlite, which has no autovacuum; Postgres does both by itself.
   */
  maintain?: boolean;
}

export interface PurgeCounts {
  /** Calls purged in this run. */
  calls: number;
  /** Rows deleted or redacted. */
  answers: number;
  events: number;
  flags: number;
  /** Webhook events of those calls (their bodies carry answers), with their deliveries. */
  webhookEvents: number;
}

const DAY_MS = 86_400_000;
const DEFAULT_BATCH_SIZE = 100;
const DEFAULT_PAUSE_MS = 20;

export async function purgeExpired(db: Kysely<Database>, options: PurgeOptions): Promise<PurgeCounts> {
  const cutoff = new Date((options.now ?? new Date()).getTime() - options.olderThanDays * DAY_MS);
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const pauseMs = options.pauseMs ?? DEFAULT_PAUSE_MS;
  const total: PurgeCounts = { calls: 0, answers: 0, events: 0, flags: 0, webhookEvents: 0 };
  if (options.maintain) await eachTable(db, 'analyze', pauseMs);
  while (!options.signal?.aborted) {
    const batch = await purgeBatch(db, cutoff, batchSize);
    total.calls += batch.calls;
    total.answers += batch.answers;
    total.events += batch.events;
    total.flags += batch.flags;
    total.webhookEvents += batch.webhookEvents;
    if (batch.calls < batchSize) break;
    await sleep(pauseMs);
  }
  if (options.maintain && total.calls > 0 && !options.signal?.aborted) await eachTable(db, 'vacuum', pauseMs);
  return total;
}

/** One table at a time, pausing between them: each statement blocks PGlite's thread while it runs. */
async function eachTable(db: Kysely<Database>, command: 'analyze' | 'vacuum', pauseMs: number): Promise<void> {
  for (const table of ['calls', 'answers', 'call_events', 'flags'] as const) {
    await sql`${sql.raw(command === 'vacuum' ? 'vacuum (analyze)' : 'analyze')} ${sql.table(table)}`.execute(db);
    await sleep(pauseMs);
  }
}

async function purgeBatch(db: Kysely<Database>, cutoff: Date, batchSize: number): Promise<PurgeCounts> {
  return db.transaction().execute(async (trx) => {
    // Claim: rows another instance is purging right now are skipped, not waited for. The count
    // is taken in the statement that sets purged_at, so nobody can record it after the delete.
    const claimed = await sql<{ id: string }>`
      with batch as (
        select id from calls
        where purged_at is null and coalesce(ended_at, started_at) < cast(${cutoff.toISOString()} as timestamptz)
        order by coalesce(ended_at, started_at), id
        limit ${batchSize}
        for update skip locked
      )
      update calls
      set purged_at = now(),
          answer_count = (select count(*) from answers where answers.call_id = calls.id),
          patient_reference = null
      from batch
      where calls.id = batch.id
      returning calls.id`.execute(trx);
    const ids = claimed.rows.map((r) => r.id);
    if (ids.length === 0) return { calls: 0, answers: 0, events: 0, flags: 0, webhookEvents: 0 };
    const answers = await trx.deleteFrom('answers').where('call_id', 'in', ids).executeTakeFirst();
    const events = await trx.deleteFrom('call_events').where('call_id', 'in', ids).executeTakeFirst();
    const flags = await trx
      .updateTable('flags')
      .set({ value: null })
      .where('call_id', 'in', ids)
      .where('value', 'is not', null)
      .executeTakeFirst();
    // Long delivered or given up (deliveries stop after 24 h); deliveries go with them (cascade).
    const webhookEvents = await trx.deleteFrom('webhook_events').where('call_id', 'in', ids).executeTakeFirst();
    // The outbound attempts those calls answered: the patient's variables and reference go; the
    // number goes too unless it is on the do-not-call list (which must keep it to be honoured).
    await sql`
      update call_attempts set custom = '{}'::jsonb, patient_reference = null,
        phone = case when exists (select 1 from do_not_call d where d.phone = call_attempts.phone) then phone else '' end
      where id in (select attempt_id from calls where id in (${sql.join(ids.map((id) => sql`${id}::uuid`))}) and attempt_id is not null)`.execute(trx);
    return {
      calls: ids.length,
      answers: Number(answers.numDeletedRows),
      events: Number(events.numDeletedRows),
      flags: Number(flags.numUpdatedRows),
      webhookEvents: Number(webhookEvents.numDeletedRows),
    };
  });
}

export interface RetentionSchedule {
  /** Before the first run (let startup and the first calls go first). */
  firstRunMs: number;
  everyMs: number;
}

const DEFAULT_SCHEDULE: RetentionSchedule = { firstRunMs: 60_000, everyMs: DAY_MS };

/**
 * Runs the purge shortly after startup, then every 24 h, until the returned function is called
 * (at shutdown; safe to call twice). A failure is logged and the next run comes as planned; it
 * never reaches the process. Timers are unref'd: they keep nothing alive.
 */
export function scheduleRetention(
  store: Pick<Store, 'db' | 'engine'>,
  config: Pick<Config, 'dataRetentionDays'>,
  logger: Logger,
  schedule: RetentionSchedule = DEFAULT_SCHEDULE,
): () => void {
  const log = logger.child({ component: 'retention' });
  const stopping = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const next = (ms: number) => {
    if (stopping.signal.aborted) return;
    timer = setTimeout(run, ms);
    timer.unref();
  };
  const run = () => {
    const started = performance.now();
    const olderThanDays = config.dataRetentionDays;
    void purgeExpired(store.db, { olderThanDays, signal: stopping.signal, maintain: store.engine === 'pglite' })
      .then(
        (counts) => {
          // Counts only: what was removed is health data and never logged.
          log.info({ ...counts, olderThanDays, durationMs: Math.round(performance.now() - started) }, 'retention: removed expired answers and events');
        },
        (error: unknown) => {
          if (stopping.signal.aborted) log.info({ err: error }, 'retention: run cut short by shutdown; the next start finishes it');
          else log.error({ err: error, olderThanDays }, 'retention run failed: nothing was half removed; it runs again at the next interval');
        },
      )
      .finally(() => next(schedule.everyMs));
  };
  next(schedule.firstRunMs);
  return () => {
    stopping.abort();
    clearTimeout(timer);
  };
}
