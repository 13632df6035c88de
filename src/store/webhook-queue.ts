import { type Kysely, sql } from 'kysely';
import type { Database } from './schema';

/**
 * The dispatcher's side of the outbox: claim due deliveries under a lease, then settle them.
 *
 * A claim takes rows with FOR UPDATE SKIP LOCKED and stamps a lease (owner, until) in the same
 * statement, so two instances never take one delivery; a lease that runs out (its instance died
 * mid-POST) makes the delivery claimable again, with the same webhook-id. A delivery is only
 * claimable once no earlier event of the same call is still pending for the same subscription:
 * one call's events reach a receiver in the order they were committed, one at a time.
 */

export interface ClaimedDelivery {
  id: number;
  /** This attempt's number (1 for the first). */
  attempt: number;
  giveUpAt: Date;
  eventId: string;
  eventType: string;
  eventCreatedAt: Date;
  body: string;
  url: string;
  secret: string;
}

export type Settlement =
  | { outcome: 'delivered'; status: number }
  | { outcome: 'retry'; nextAttemptAt: Date; status: number | null; error: string }
  | { outcome: 'failed'; status: number | null; error: string };

export interface WebhookQueue {
  claim(owner: string, limit: number, leaseMs: number): Promise<ClaimedDelivery[]>;
  /** Records an attempt's outcome; false when the lease was lost meanwhile (another instance took it). */
  settle(id: number, owner: string, settlement: Settlement): Promise<boolean>;
  /** Seconds since the oldest pending delivery was queued; 0 when none. */
  oldestPendingAgeSeconds(): Promise<number>;
}

export function createWebhookQueue(db: Kysely<Database>): WebhookQueue {
  return {
    async claim(owner, limit, leaseMs) {
      const { rows } = await sql<{
        id: number;
        attempts: number;
        give_up_at: Date;
        event_id: string;
        type: string;
        event_created_at: Date;
        body: string;
        url: string;
        secret: string;
      }>`with due as (
          select d.id from webhook_deliveries d
          join webhook_subscriptions s on s.id = d.subscription_id and s.disabled_at is null
          where d.status = 'pending' and d.next_attempt_at <= now() and (d.lease_until is null or d.lease_until < now())
            and not exists (
              select 1 from webhook_deliveries p
              where p.status = 'pending' and p.subscription_id = d.subscription_id and p.call_id = d.call_id and p.event_seq < d.event_seq
            )
          order by d.event_seq, d.id
          limit ${limit}
          for update of d skip locked
        )
        update webhook_deliveries d
        set lease_owner = ${owner}, lease_until = now() + ${leaseMs} * interval '1 millisecond', attempts = d.attempts + 1, last_attempt_at = now()
        from due, webhook_events e, webhook_subscriptions s
        where d.id = due.id and e.id = d.event_id and s.id = d.subscription_id
        returning d.id, d.attempts, d.give_up_at, e.id as event_id, e.type, e.created_at as event_created_at, e.body, s.url, s.secret`.execute(db);
      return rows
        .map((r) => ({
          id: Number(r.id),
          attempt: r.attempts,
          giveUpAt: new Date(r.give_up_at),
          eventId: r.event_id,
          eventType: r.type,
          eventCreatedAt: new Date(r.event_created_at),
          body: r.body,
          url: r.url,
          secret: r.secret,
        }))
        .sort((a, b) => a.id - b.id);
    },

    async settle(id, owner, s) {
      const common = { lease_owner: null, lease_until: null, last_status: s.status, last_error: s.outcome === 'delivered' ? null : s.error.slice(0, 500) };
      const set =
        s.outcome === 'delivered'
          ? { ...common, status: 'delivered' as const, delivered_at: sql<Date>`now()` }
          : s.outcome === 'retry'
            ? { ...common, status: 'pending' as const, next_attempt_at: s.nextAttemptAt }
            : { ...common, status: 'failed' as const };
      const result = await db.updateTable('webhook_deliveries').set(set).where('id', '=', id).where('lease_owner', '=', owner).where('status', '=', 'pending').executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async oldestPendingAgeSeconds() {
      const row = await db
        .selectFrom('webhook_deliveries')
        .select(sql<number | null>`extract(epoch from now() - min(queued_at))::float8`.as('age'))
        .where('status', '=', 'pending')
        .executeTakeFirst();
      return Math.max(0, Number(row?.age ?? 0));
    },
  };
}
