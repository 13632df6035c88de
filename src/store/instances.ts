import { type Kysely, sql } from 'kysely';
import type { Database } from './schema';

/** What an instance says of itself at each heartbeat. */
export interface InstanceBeat {
  id: string;
  /** Its MAX_CONCURRENT_CALLS. */
  maxCalls: number;
  /** Stopping (SIGTERM): its calls finish, it takes no new ones, its capacity is not offered. */
  draining: boolean;
  version: string;
  /** This process's first beat: its start time is now, whatever a previous run under this name left. */
  started?: boolean;
}

/** The service as the database sees it: instances whose heartbeat is fresh, and their calls. */
export interface ServiceLoad {
  /** Live instances that take calls (not draining). */
  instances: number;
  /** The sum of their MAX_CONCURRENT_CALLS. */
  capacity: number;
  /** Calls in progress on them. */
  active: number;
}

export interface InstanceRow {
  id: string;
  maxCalls: number;
  draining: boolean;
  version: string;
  startedAt: Date;
  heartbeatAt: Date;
  /** Calls in progress on it, as stored. */
  active: number;
  /** Its heartbeat is older than the bound: killed, hung, or cut off from the database. */
  stale: boolean;
}

export interface InstancesRepository {
  /** Records (or refreshes) this instance's row; one statement. */
  beat(beat: InstanceBeat): Promise<void>;
  /** Removes this instance's row (a clean exit): its capacity leaves the service at once. */
  leave(id: string): Promise<void>;
  /**
   * Capacity and calls of every instance that beat within `staleSeconds`, except `exclude` (an
   * instance asking about the others). One statement.
   */
  load(staleSeconds: number, exclude?: string): Promise<ServiceLoad>;
  /** Every instance row, newest first, with its calls in progress (the console's system page). */
  list(staleSeconds: number): Promise<InstanceRow[]>;
  /** Removes the rows of instances silent for `seconds` (killed and never restarted under that name). Returns how many. */
  forget(seconds: number): Promise<number>;
}

export function createInstancesRepository(db: Kysely<Database>): InstancesRepository {
  const activeByInstance = db
    .selectFrom('calls')
    .select(['instance_id', sql<number>`count(*)::int`.as('n')])
    .where('status', '=', 'in_progress')
    .groupBy('instance_id');
  const fresh = (staleSeconds: number) => sql<boolean>`i.heartbeat_at >= now() - make_interval(secs => ${staleSeconds})`;
  return {
    async beat({ id, maxCalls, draining, version, started }) {
      await db
        .insertInto('instances')
        .values({ id, max_calls: maxCalls, draining, version })
        .onConflict((oc) =>
          oc.column('id').doUpdateSet({
            max_calls: maxCalls,
            draining,
            version,
            heartbeat_at: sql<Date>`now()`,
            ...(started ? { started_at: sql<Date>`now()` } : {}),
          }),
        )
        .execute();
    },

    async leave(id) {
      await db.deleteFrom('instances').where('id', '=', id).execute();
    },

    async load(staleSeconds, exclude) {
      let query = db
        .selectFrom('instances as i')
        .leftJoin(activeByInstance.as('c'), 'c.instance_id', 'i.id')
        .select([
          sql<number>`count(*)::int`.as('instances'),
          sql<number>`coalesce(sum(i.max_calls), 0)::int`.as('capacity'),
          sql<number>`coalesce(sum(c.n), 0)::int`.as('active'),
        ])
        .where('i.draining', '=', false)
        .where(fresh(staleSeconds));
      if (exclude !== undefined) query = query.where('i.id', '<>', exclude);
      const row = await query.executeTakeFirstOrThrow();
      return { instances: row.instances, capacity: row.capacity, active: row.active };
    },

    async forget(seconds) {
      const result = await db.deleteFrom('instances').where(sql<boolean>`heartbeat_at < now() - make_interval(secs => ${seconds})`).executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    async list(staleSeconds) {
      const rows = await db
        .selectFrom('instances as i')
        .leftJoin(activeByInstance.as('c'), 'c.instance_id', 'i.id')
        .select([
          'i.id',
          'i.max_calls',
          'i.draining',
          'i.version',
          'i.started_at',
          'i.heartbeat_at',
          sql<number>`coalesce(c.n, 0)::int`.as('active'),
          sql<boolean>`not (${fresh(staleSeconds)})`.as('stale'),
        ])
        .orderBy('i.started_at', 'desc')
        .execute();
      return rows.map((r) => ({
        id: r.id,
        maxCalls: r.max_calls,
        draining: r.draining,
        version: r.version,
        startedAt: new Date(r.started_at),
        heartbeatAt: new Date(r.heartbeat_at),
        active: r.active,
        stale: r.stale,
      }));
    },
  };
}
