import { type CompiledQuery, type Kysely, type RawBuilder, sql } from 'kysely';
import type { CallSnapshot, StoredFlag } from './calls';
import type { Database, WebhookEventType } from './schema';

/**
 * The outbox half of a call's save. Events are written by the same statements, in the same
 * transaction, as the rows that cause them, so a flag can never be stored without its
 * `call.flagged` (nor the other way round), and a retried save repeats neither:
 *
 * - `call.flagged`: only for a flag row this save inserted (`insert … on conflict do nothing
 *   returning`), so a flag already stored raises nothing again;
 * - `call.transferred`, `call.ended`: at most once per call (a unique index on (call_id, type)).
 *
 * Each event is fanned out to the subscriptions active at that moment, one delivery row each.
 * The body is the Standard Webhooks envelope `{ type, timestamp, data }`, stored as the exact text
 * that will be signed and sent. It carries health data (answers, flag values): it goes to the
 * clinic's own receiver by design, and is never logged.
 */

/** A new webhook-id: msg_ + 32 hex digits. */
const NEW_MESSAGE_ID = sql<string>`'msg_' || replace(gen_random_uuid()::text, '-', '')`;

/** Inserts the events of `events` (id, seq, type, call_id) into webhook_deliveries for every matching active subscription. */
const FAN_OUT = sql`insert into webhook_deliveries (event_id, subscription_id, call_id, event_seq)
  select e.id, s.id, e.call_id, e.seq from events e
  join webhook_subscriptions s on s.disabled_at is null and s.events @> jsonb_build_array(e.type)
  order by e.seq, s.id`;

/**
 * The flags statement: inserts the snapshot's flags not yet stored and, for each one inserted,
 * its `call.flagged` event and deliveries. Undefined when the snapshot has no flags.
 */
export function flagStatement(db: Kysely<Database>, s: CallSnapshot, flags: readonly StoredFlag[]): CompiledQuery | undefined {
  if (flags.length === 0) return undefined;
  const call = callSummary(s);
  const rows = flags.map((f) => sql`(${s.id}::uuid, ${f.item}::text, ${f.action}::text, cast(cast(${json(f.value)} as text) as jsonb), ${f.raisedAt}::timestamptz)`);
  const bodies = flags.map(
    (f) => sql`(${f.item}::text, ${f.action}::text, ${envelope('call.flagged', f.raisedAt, { call, flag: { item: f.item, action: f.action, value: f.value ?? null, raisedAt: f.raisedAt } })}::text)`,
  );
  return sql`with inserted as (
      insert into flags (call_id, item, action, value, raised_at) values ${sql.join(rows)}
      on conflict (call_id, item, action) do nothing
      returning id, call_id, item, action, raised_at
    ), events as (
      insert into webhook_events (id, type, call_id, body)
      select ${NEW_MESSAGE_ID}, 'call.flagged', i.call_id, b.body
      from inserted i join (values ${sql.join(bodies)}) as b (item, action, body) on b.item = i.item and b.action = i.action
      order by i.raised_at, i.id
      returning id, seq, type, call_id
    )
    ${FAN_OUT}`.compile(db);
}

/**
 * `call.transferred` once transferredTo is set, `call.ended` once the status is no longer
 * in_progress; each at most once per call. Undefined when the snapshot has neither.
 */
export function endStatement(db: Kysely<Database>, s: CallSnapshot): CompiledQuery | undefined {
  const call = callSummary(s);
  const now = new Date().toISOString();
  const events: RawBuilder<unknown>[] = [];
  if (s.transferredTo) events.push(eventRow(s.id, 'call.transferred', envelope('call.transferred', now, { call, transferredTo: s.transferredTo })));
  if (s.status !== 'in_progress') {
    events.push(eventRow(s.id, 'call.ended', envelope('call.ended', s.endedAt ?? now, { call, answers: s.answers, flags: s.flags })));
  }
  if (events.length === 0) return undefined;
  return sql`with events as (
      insert into webhook_events (id, type, call_id, body) values ${sql.join(events)}
      on conflict (call_id, type) where type in ('call.ended', 'call.transferred') do nothing
      returning id, seq, type, call_id
    )
    ${FAN_OUT}`.compile(db);
}

/** Whether a save of this snapshot may have written an event (so the dispatcher is woken after it). */
export function mayRaiseEvents(s: CallSnapshot): boolean {
  return s.flags.length > 0 || s.status !== 'in_progress' || Boolean(s.transferredTo);
}

function eventRow(callId: string, type: WebhookEventType, body: string): RawBuilder<unknown> {
  return sql`(${NEW_MESSAGE_ID}, ${type}::text, ${callId}::uuid, ${body}::text)`;
}

/** What every call event says about the call. */
function callSummary(s: CallSnapshot) {
  return {
    id: s.id,
    provider: s.provider,
    providerCallId: s.providerCallId,
    direction: s.direction ?? 'inbound',
    patientReference: s.patientReference ?? null,
    questionnaire: { id: s.questionnaire, version: s.questionnaireVersion },
    status: s.status,
    startedAt: s.startedAt,
    endedAt: s.endedAt,
    ...(s.transferredTo ? { transferredTo: s.transferredTo } : {}),
  };
}

/** The Standard Webhooks envelope, as the exact text that is signed and sent. */
function envelope(type: WebhookEventType, timestamp: string, data: Record<string, unknown>): string {
  return JSON.stringify({ type, timestamp, data });
}

function json(value: unknown): string {
  return JSON.stringify(value === undefined ? null : value);
}

/**
 * An event that belongs to no call (`campaign.completed`), with its deliveries; run it in the
 * transaction that makes the change it announces, so it is written once with it.
 */
export function standaloneEventStatement(db: Kysely<Database>, type: WebhookEventType, data: Record<string, unknown>): CompiledQuery {
  return sql`with events as (
      insert into webhook_events (id, type, call_id, body) values (${NEW_MESSAGE_ID}, ${type}::text, null, ${envelope(type, new Date().toISOString(), data)}::text)
      returning id, seq, type, call_id
    )
    ${FAN_OUT}`.compile(db);
}
