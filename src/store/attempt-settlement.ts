import { type CompiledQuery, type Kysely, sql } from 'kysely';
import type { Database } from './schema';
import { FINAL_CALL_STATUSES, attemptEndedStatement } from './webhook-outbox';

const FINALS = sql.join(FINAL_CALL_STATUSES.map((s) => sql.lit(s)));

/**
 * Settles the campaign patient of an attempt that has ended, from the attempt's own row: how it
 * ended (`voicemail` when machine detection heard a machine, `busy`, `no_answer`, `incomplete`
 * for a call answered but not finished, `failed`; `callback_incomplete` for a patient's call-back
 * that did not finish), then the patient waits that outcome's `retryMinutes` (a call-back keeps
 * the wait it had), is given up after the last attempt, or is cancelled with its campaign.
 * Only a patient still `calling` is touched: one the call's save marked done stays done, and a
 * second settlement of the same attempt changes nothing. An outbound attempt is settled once
 * Twilio's final status is in; a call-back, when its call ends.
 */
export function settleStatement(db: Kysely<Database>, attemptId: string, at: Date = new Date()): CompiledQuery {
  return sql`
    with ended as (
      select a.id, a.campaign_patient_id, a.direction,
        case
          when a.direction = 'inbound' then 'callback_incomplete'
          when a.answered_by like 'machine%' or a.answered_by = 'fax' then 'voicemail'
          when a.status = 'busy' then 'busy'
          when a.status = 'no-answer' then 'no_answer'
          when a.status = 'completed' then 'incomplete'
          else 'failed' end as outcome
      from call_attempts a
      where a.id = ${attemptId}::uuid and (a.direction = 'inbound' or a.status in (${FINALS})))
    update campaign_patients p
    set state = case when c.status = 'cancelled' then 'cancelled' when p.attempts >= (c.settings->>'maxAttempts')::int then 'gave_up' else 'pending' end,
        next_attempt_at = case
          when e.direction = 'inbound' then greatest(p.next_attempt_at, ${at.toISOString()}::timestamptz)
          else ${at.toISOString()}::timestamptz + ((c.settings->'retryMinutes'->>(case when e.outcome = 'incomplete' then 'no_answer' else e.outcome end))::float * interval '1 minute') end,
        last_outcome = e.outcome,
        lease_until = null
    from ended e, campaigns c
    where p.id = e.campaign_patient_id and c.id = p.campaign_id and p.state = 'calling'`.compile(db);
}

/**
 * What the end of a call does to the attempt it belongs to, after the call's own save has marked
 * its patient done if the call reached an end the clinic wanted: a call-back's or a Maqsam
 * campaign call's attempt (no status callbacks come for either) is `completed`, the patient is settled (see settleStatement), and `attempt.ended` is written
 * once it has a final status.
 */
export function attemptEndStatements(db: Kysely<Database>, attemptId: string, at: Date = new Date()): CompiledQuery[] {
  return [
    sql`update call_attempts set status = 'completed', updated_at = now()
        where id = ${attemptId}::uuid and (direction = 'inbound' or provider = 'maqsam') and status not in (${FINALS})`.compile(db),
    settleStatement(db, attemptId, at),
    attemptEndedStatement(db, attemptId),
  ];
}

/** A call of this attempt is still running on some instance (in progress, heartbeat within a minute): its save will settle the attempt. */
export function liveCallCondition(attemptId: string) {
  return sql<boolean>`exists (select 1 from calls c where c.attempt_id = ${attemptId}::uuid and c.status = 'in_progress' and c.heartbeat_at > now() - interval '60 seconds')`;
}
