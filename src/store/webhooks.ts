import { randomBytes, randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { BridgeError } from '../errors';
import { type Database, jsonb, WEBHOOK_EVENT_TYPES, type WebhookDeliveryStatus, type WebhookEventType } from './schema';
import { UUID } from '../identifiers';

/**
 * Webhook subscriptions and their deliveries, for the clinic API (`/api/v1/webhooks`) and for
 * startup (the WEBHOOK_URL subscription). Failures a caller can cause come back as typed results
 * carrying a BridgeError, whose `httpStatus` a route answers with.
 */

export type Result<T> = { ok: true; value: T } | { ok: false; error: BridgeError };

export interface WebhookSubscription {
  id: string;
  url: string;
  events: WebhookEventType[];
  createdAt: string;
  /** `config`: the WEBHOOK_URL subscription (changed through the environment, not the API). */
  source: 'api' | 'config';
}

export interface WebhookDelivery {
  id: number;
  /** The webhook-id the receiver sees (the same on every attempt and replay). */
  eventId: string;
  eventType: string;
  callId: string | null;
  subscriptionId: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  createdAt: string;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  deliveredAt: string | null;
}

export interface DeliveryPage {
  deliveries: WebhookDelivery[];
  /** Pass back as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

export interface WebhooksRepository {
  /** A new subscription with a fresh secret (whsec_ + 32 random bytes), shown only in this answer. */
  subscribe(input: { url: string; events: readonly string[] }): Promise<Result<{ id: string; secret: string }>>;
  /** Active subscriptions, oldest first (secrets are never listed). */
  list(): Promise<WebhookSubscription[]>;
  /** Stops a subscription: its undelivered deliveries fail with "subscription removed"; its history stays. */
  remove(id: string): Promise<Result<void>>;
  /** Deliveries, newest first, optionally one status; `limit` 1–100 (default 50). */
  deliveries(query?: { status?: WebhookDeliveryStatus; limit?: number; cursor?: string }): Promise<Result<DeliveryPage>>;
  /** Sends a delivery again (any status): pending now, with a new 24 h to succeed in, the same webhook-id. */
  replay(deliveryId: string | number): Promise<Result<WebhookDelivery>>;
  /** Startup: makes the WEBHOOK_URL subscription match the configuration (removed when unset). */
  applyConfigSubscription(config: { url: string; secret: string; events: readonly WebhookEventType[] } | undefined): Promise<void>;
}

export interface WebhookUrlPolicy {
  /** Accept http:// receivers (development and tests); otherwise https only. */
  allowHttp: boolean;
}

/**
 * The WEBHOOK_URL subscription is a row like any other (a fixed id), so its events are fanned
 * out, ordered, leased, listed and replayed by the same SQL as the API's; startup rewrites it.
 */
export const CONFIG_SUBSCRIPTION_ID = '00000000-0000-4000-8000-00000000c0f1';

export function createWebhooksRepository(db: Kysely<Database>, policy: WebhookUrlPolicy = { allowHttp: false }): WebhooksRepository {
  return {
    async subscribe(input) {
      const url = checkUrl(input.url, policy);
      if (!url.ok) return url;
      const events = checkEvents(input.events);
      if (!events.ok) return events;
      const id = randomUUID();
      const secret = `whsec_${randomBytes(32).toString('base64')}`;
      await db.insertInto('webhook_subscriptions').values({ id, url: url.value, events: jsonb(events.value), secret }).execute();
      return { ok: true, value: { id, secret } };
    },

    async list() {
      const rows = await db.selectFrom('webhook_subscriptions').select(['id', 'url', 'events', 'created_at']).where('disabled_at', 'is', null).orderBy('created_at').orderBy('id').execute();
      return rows.map((r) => ({
        id: r.id,
        url: r.url,
        events: r.events as WebhookEventType[],
        createdAt: r.created_at.toISOString(),
        source: r.id === CONFIG_SUBSCRIPTION_ID ? 'config' : 'api',
      }));
    },

    async remove(id) {
      if (id === CONFIG_SUBSCRIPTION_ID) return fail('WEBHOOK_MANAGED_BY_CONFIG', 'this subscription comes from WEBHOOK_URL: change or unset it in the environment');
      if (!UUID.test(id)) return fail('WEBHOOK_NOT_FOUND', 'no such webhook subscription');
      const removed = await disable(db, id);
      return removed ? { ok: true, value: undefined } : fail('WEBHOOK_NOT_FOUND', 'no such webhook subscription');
    },

    async deliveries(query = {}) {
      const limit = query.limit ?? 50;
      if (!Number.isInteger(limit) || limit < 1 || limit > 100) return fail('WEBHOOK_QUERY_INVALID', 'limit must be a whole number from 1 to 100');
      const before = query.cursor === undefined ? undefined : Number(query.cursor);
      if (before !== undefined && !(Number.isSafeInteger(before) && before > 0)) return fail('WEBHOOK_QUERY_INVALID', 'cursor must be the nextCursor of a previous page');
      let select = selectDeliveries(db).orderBy('d.id', 'desc').limit(limit + 1);
      if (query.status) select = select.where('d.status', '=', query.status);
      if (before !== undefined) select = select.where('d.id', '<', before);
      const rows = await select.execute();
      const page = rows.slice(0, limit).map(toDelivery);
      return { ok: true, value: { deliveries: page, nextCursor: rows.length > limit ? String(page.at(-1)?.id) : null } };
    },

    async replay(deliveryId) {
      const id = Number(deliveryId);
      if (!Number.isSafeInteger(id) || id < 1) return fail('WEBHOOK_DELIVERY_NOT_FOUND', 'no such webhook delivery');
      const updated = await db
        .updateTable('webhook_deliveries')
        .set({
          status: 'pending',
          next_attempt_at: sql<Date>`now()`,
          queued_at: sql<Date>`now()`,
          give_up_at: sql<Date>`now() + interval '24 hours'`,
          lease_owner: null,
          lease_until: null,
        })
        .where('id', '=', id)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) return fail('WEBHOOK_DELIVERY_NOT_FOUND', 'no such webhook delivery');
      const row = await selectDeliveries(db).where('d.id', '=', id).executeTakeFirstOrThrow();
      return { ok: true, value: toDelivery(row) };
    },

    async applyConfigSubscription(config) {
      if (!config) {
        await disable(db, CONFIG_SUBSCRIPTION_ID);
        return;
      }
      await db
        .insertInto('webhook_subscriptions')
        .values({ id: CONFIG_SUBSCRIPTION_ID, url: config.url, events: jsonb(config.events), secret: config.secret })
        .onConflict((oc) =>
          oc.column('id').doUpdateSet({ url: sql`excluded.url`, events: sql`excluded.events`, secret: sql`excluded.secret`, disabled_at: null }),
        )
        .execute();
    },
  };
}


/** Disables a subscription and gives up its undelivered deliveries, in one transaction. False when there was none active. */
async function disable(db: Kysely<Database>, id: string): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const done = await trx.updateTable('webhook_subscriptions').set({ disabled_at: sql<Date>`now()` }).where('id', '=', id).where('disabled_at', 'is', null).executeTakeFirst();
    if (Number(done.numUpdatedRows) === 0) return false;
    await trx
      .updateTable('webhook_deliveries')
      .set({ status: 'failed', last_error: 'subscription removed', lease_owner: null, lease_until: null })
      .where('subscription_id', '=', id)
      .where('status', '=', 'pending')
      .execute();
    return true;
  });
}

function selectDeliveries(db: Kysely<Database>) {
  return db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_events as e', 'e.id', 'd.event_id')
    .select([
      'd.id',
      'd.event_id',
      'e.type',
      'd.call_id',
      'd.subscription_id',
      'd.status',
      'd.attempts',
      'e.created_at',
      'd.next_attempt_at',
      'd.last_attempt_at',
      'd.last_status',
      'd.last_error',
      'd.delivered_at',
    ]);
}

type DeliveryRow = Awaited<ReturnType<ReturnType<typeof selectDeliveries>['executeTakeFirstOrThrow']>>;

function toDelivery(r: DeliveryRow): WebhookDelivery {
  return {
    id: r.id,
    eventId: r.event_id,
    eventType: r.type,
    callId: r.call_id,
    subscriptionId: r.subscription_id,
    status: r.status,
    attempts: r.attempts,
    createdAt: r.created_at.toISOString(),
    nextAttemptAt: r.status === 'pending' ? r.next_attempt_at.toISOString() : null,
    lastAttemptAt: r.last_attempt_at?.toISOString() ?? null,
    lastStatus: r.last_status,
    lastError: r.last_error,
    deliveredAt: r.delivered_at?.toISOString() ?? null,
  };
}

/** An http(s) URL without credentials; https only unless the policy allows http. */
export function checkUrl(text: string, policy: WebhookUrlPolicy): Result<string> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return fail('WEBHOOK_URL_INVALID', 'url must be an absolute https:// URL');
  }
  if (url.protocol !== 'https:' && !(policy.allowHttp && url.protocol === 'http:')) {
    return fail('WEBHOOK_URL_INVALID', policy.allowHttp ? 'url must be an http:// or https:// URL' : 'url must be an https:// URL (health data must not travel in clear text)');
  }
  if (url.username || url.password) return fail('WEBHOOK_URL_INVALID', 'url must not carry a user name or password: the signature authenticates each delivery');
  return { ok: true, value: url.toString() };
}

/** A non-empty list of known event types, without repeats. */
export function checkEvents(events: readonly string[]): Result<WebhookEventType[]> {
  const known = new Set<string>(WEBHOOK_EVENT_TYPES);
  if (!Array.isArray(events) || events.length === 0) return fail('WEBHOOK_EVENTS_INVALID', `events must list at least one of ${WEBHOOK_EVENT_TYPES.join(', ')}`);
  const unknown = events.filter((e) => !known.has(e));
  if (unknown.length > 0) return fail('WEBHOOK_EVENTS_INVALID', `unknown event type(s) ${unknown.map((e) => JSON.stringify(e)).join(', ')}; known: ${WEBHOOK_EVENT_TYPES.join(', ')}`);
  return { ok: true, value: [...new Set(events)] as WebhookEventType[] };
}

function fail(code: ConstructorParameters<typeof BridgeError>[0], message: string): { ok: false; error: BridgeError } {
  return { ok: false, error: new BridgeError(code, message) };
}
