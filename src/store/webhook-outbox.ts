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

/** Twilio's final CallStatus values, after which nothing more happens on a call. */
export const FINAL_CALL_STATUSES = ['completed', 'busy', 'no-answer', 'failed', 'canceled'] as const;

/**
 * `attempt.ended` for an attempt that has reached a final status, read from the rows as this
 * transaction left them (so run it after the campaign patient is settled): how the dial ended and
 * where the patient stands now. Written at most once per attempt (a unique index), whichever
 * status callback, reconciliation or call save gets there first; nothing when the attempt has no
 * final status yet. The phone number is never in it.
 */
export function attemptEndedStatement(db: Kysely<Database>, attemptId: string): CompiledQuery {
  const finals = sql.join(FINAL_CALL_STATUSES.map((s) => sql.lit(s)));
  const iso = (column: RawBuilder<unknown>) => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  return sql`with events as (
      insert into webhook_events (id, type, call_id, attempt_id, body)
      select ${NEW_MESSAGE_ID}, 'attempt.ended', null, a.id, json_build_object(
        'type', 'attempt.ended',
        'timestamp', ${iso(sql`now()`)},
        'data', json_build_object(
          'attempt', json_build_object(
            'id', a.id,
            'direction', a.direction,
            'status', a.status,
            'answeredBy', a.answered_by,
            'outcome', case
              when a.answered_by like 'machine%' or a.answered_by = 'fax' then 'voicemail'
              when a.status = 'completed' then 'answered'
              when a.status = 'busy' then 'busy'
              when a.status = 'no-answer' then 'no_answer'
              when a.status = 'canceled' then 'canceled'
              else 'failed' end,
            'error', a.error,
            'providerCallId', a.provider_call_id,
            'questionnaire', a.questionnaire_id,
            'patientReference', a.patient_reference,
            'callId', (select c.id from calls c where c.attempt_id = a.id order by c.started_at desc limit 1),
            'createdAt', ${iso(sql`a.created_at`)}),
          'campaign', case when p.id is null then null else json_build_object(
            'id', p.campaign_id,
            'patientPosition', p.position,
            'patientState', p.state,
            'patientAttempts', p.attempts,
            'lastOutcome', p.last_outcome,
            'nextAttemptAt', case when p.state = 'pending' then ${iso(sql`p.next_attempt_at`)} end) end))::text
      from call_attempts a left join campaign_patients p on p.id = a.campaign_patient_id
      where a.id = ${attemptId}::uuid and a.status in (${finals})
      on conflict (attempt_id, type) where attempt_id is not null do nothing
      returning id, seq, type, call_id
    )
    ${FAN_OUT}`.compile(db);
}
