import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import twilio from 'twilio';
import type { Config } from '../config';
import { type Database, jsonb } from '../store/schema';
import { attemptEndStatements, liveCallCondition, settleStatement } from '../store/attempt-settlement';
import { attemptEndedStatement, FINAL_CALL_STATUSES } from '../store/webhook-outbox';
import { UUID, maskedReason } from '../identifiers';

/** Places a call through the provider; returns its call id and first status. */
export interface Dialer {
  dial(call: { to: string; voiceUrl: string; statusUrl: string }): Promise<{ providerCallId: string; status: string }>;
  /**
   * The call as the provider sees it now: for a claim whose status callbacks never arrived (the
   * instance was down, or the network lost them). Undefined when the provider has no such call.
   */
  fetch(providerCallId: string): Promise<{ status: string; answeredBy: string | null } | undefined>;
  /**
   * Calls to `to` from our number created since `since` (a minute's margin for clock skew),
   * oldest first: for a claim whose instance died after asking for a call but before storing its id.
   */
  findPlaced(to: string, since: Date): Promise<Array<{ providerCallId: string; status: string }>>;
}

/**
 * Twilio's REST API through the `twilio` package (calls.create). Answered calls come back to our
 * voice webhook; every status change, and machine detection's verdict (asynchronous, so a human
 * hears the questionnaire at once), to our status webhook.
 */
/** No request to Twilio's REST API lasts longer than this: it is answered, or it fails as unclear. */
export const DIAL_REQUEST_TIMEOUT_MS = 15_000;
/**
 * How long after a dial started its request may still reach Twilio (its timeout, with room for a
 * stalled process): before then, a claim whose dial has no call id is left alone, since asking
 * Twilio could find nothing only because the request is still on its way.
 */
export const DIAL_SETTLE_MS = 2 * DIAL_REQUEST_TIMEOUT_MS;

export function twilioDialer(rest: NonNullable<Config['twilioRest']>): Dialer {
  const client = twilio(rest.username, rest.password, { accountSid: rest.accountSid, timeout: DIAL_REQUEST_TIMEOUT_MS });
  // Tests and regional edges: the same REST shapes at another address.
  if (rest.baseUrl) client.api.baseUrl = rest.baseUrl;
  return {
    async dial({ to, voiceUrl, statusUrl }) {
      const call = await client.calls.create({
        to,
        from: rest.fromNumber,
        url: voiceUrl,
        method: 'POST',
        statusCallback: statusUrl,
        statusCallbackMethod: 'POST',
        statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
        // The verdict comes after the greeting and its beep, so a message left then is heard whole.
        machineDetection: 'DetectMessageEnd',
        asyncAmd: 'true',
        asyncAmdStatusCallback: statusUrl,
        asyncAmdStatusCallbackMethod: 'POST',
        timeout: 30,
      });
      return { providerCallId: call.sid, status: call.status };
    },
    async fetch(sid) {
      try {
        const call = await client.calls(sid).fetch();
        return { status: call.status, answeredBy: call.answeredBy ?? null };
      } catch (error) {
        if ((error as { status?: number }).status === 404) return undefined;
        throw error;
      }
    },
    async findPlaced(to, since) {
      // Newest first; a patient is dialled a handful of times at most, so one page covers it.
      const calls = await client.calls.list({ to, from: rest.fromNumber, limit: 20 });
      // A minute's margin for the difference between our clock and Twilio's.
      return calls
        .filter((c) => c.dateCreated.getTime() >= since.getTime() - 60_000)
        .sort((a, b) => a.dateCreated.getTime() - b.dateCreated.getTime())
        .map((c) => ({ providerCallId: c.sid, status: c.status }));
    },
  };
}


const FINAL_STATUSES = new Set<string>(FINAL_CALL_STATUSES);

/**
 * Why Twilio refused a call, as kept on the attempt and answered to the client: Twilio's error
 * code and its message with numbers masked (its messages quote the number dialled).
 */
export function dialRefusal(error: unknown): { code: number | string | null; reason: string } {
  const e = error as { status?: number; code?: number; message?: string };
  const code = e.code ?? e.status ?? null;
  return { code, reason: `${code ?? 'error'}: ${maskedReason(error)}` };
}

/**
 * Whether Twilio certainly did not place the call: it answered with a 4xx. A network failure, a
 * timeout or a 5xx leaves that unknown (the call may exist), so the attempt must not be retried
 * as if refused.
 */
export function certainlyRefused(error: unknown): boolean {
  const status = (error as { status?: unknown }).status;
  return typeof status === 'number' && status >= 400 && status < 500;
}

export interface AttemptView {
  id: string;
  direction: 'outbound' | 'inbound';
  status: string;
  providerCallId: string | null;
  questionnaire: string;
  patient: { reference: string } | null;
  answeredBy: string | null;
  error: string | null;
  createdAt: string;
}

/** What a call placed for an attempt needs when its stream starts. */
export interface AttemptContext {
  questionnaire: string;
  /** outbound: a call we placed; inbound: a patient's call-back matched to their campaign. */
  direction: 'outbound' | 'inbound';
  /** An answering machine: leave the questionnaire's voicemail message, or hang up (the campaign's choice). */
  voicemail: 'message' | 'hang_up';
  providerCallId: string | null;
  patientReference: string | null;
  custom: Record<string, string>;
}

export class Attempts {
  constructor(private readonly db: Kysely<Database>) {}

  /** `at` (the caller's clock) is stored as `updated_at`: for a campaign dial, when its request to Twilio may have started. */
  async create(input: { phone: string; questionnaire: string; patientReference: string | null; custom: Record<string, string>; createdBy: string; campaignPatientId?: string; at?: Date }): Promise<string> {
    const id = randomUUID();
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('call_attempts')
        .values({
          id,
          phone: input.phone,
          questionnaire_id: input.questionnaire,
          patient_reference: input.patientReference,
          custom: jsonb(input.custom),
          status: 'queued',
          created_by: input.createdBy,
          campaign_patient_id: input.campaignPatientId ?? null,
          ...(input.at === undefined ? {} : { updated_at: input.at }),
        })
        .execute();
      // The claim now names its attempt: recovery looks at this one, never at an older one.
      if (input.campaignPatientId) await trx.updateTable('campaign_patients').set({ current_attempt_id: id }).where('id', '=', input.campaignPatientId).execute();
    });
    return id;
  }

  /**
   * The call Twilio placed for an attempt whose dial got no clear answer: the oldest call to
   * `phone` since `since` that no other attempt holds (one this attempt's own status callback
   * linked meanwhile is its call). Undefined when Twilio lists none.
   */
  async ownCallAt(dialer: Dialer, id: string, phone: string, since: Date): Promise<{ providerCallId: string; status: string } | undefined> {
    const candidates = await dialer.findPlaced(phone, since);
    if (candidates.length === 0) return undefined;
    const held = await this.db.selectFrom('call_attempts').select('provider_call_id').where('provider_call_id', 'in', candidates.map((c) => c.providerCallId)).where('id', '<>', id).execute();
    const taken = new Set(held.map((r) => r.provider_call_id));
    return candidates.find((c) => !taken.has(c.providerCallId));
  }

  /**
   * Twilio accepted the dial: its call id, on an attempt still waiting for one (never on one
   * recovery has abandoned). The call's own status callback may have come first and linked it
   * (see status): then nothing changes, and the later news it brought stands.
   */
  async dialled(id: string, providerCallId: string, status: string, at: Date = new Date()): Promise<boolean> {
    const result = await this.db.updateTable('call_attempts').set({ provider_call_id: providerCallId, status, updated_at: at }).where('id', '=', id).where('provider_call_id', 'is', null).where('status', '=', 'queued').executeTakeFirst();
    if (Number(result.numUpdatedRows) > 0) return true;
    return (await this.db.selectFrom('call_attempts').select('id').where('id', '=', id).where('provider_call_id', '=', providerCallId).executeTakeFirst()) !== undefined;
  }

  /** Twilio refused the dial: the attempt failed, its campaign patient waits for a retry (or is given up), and `attempt.ended` is written, together. */
  async refused(id: string, error: string, at: Date = new Date()): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('call_attempts').set({ status: 'failed', error, updated_at: at }).where('id', '=', id).execute();
      await trx.executeQuery(settleStatement(trx, id, at));
      await trx.executeQuery(attemptEndedStatement(trx, id));
    });
  }

  /**
   * A status callback (or the provider's answer when asked): Twilio's CallStatus and AnsweredBy
   * for the attempt's call; false for another call's id. A final status is never replaced
   * (callbacks may arrive out of order), and the first one settles the campaign patient and
   * writes `attempt.ended`, in one transaction. A callback can come before Twilio's answer to the
   * dial has been stored (a busy database, a slow network): on an attempt still waiting for its
   * call id, the signed callback's CallSid is that id, so machine detection's verdict or a final
   * status is never dropped for want of it. (Signed, that is: production requires
   * TWILIO_AUTH_TOKEN; without it, in development, a callback is taken on its word.)
   */
  async status(id: string, providerCallId: string, update: { status?: string | undefined; answeredBy?: string | undefined }, at: Date = new Date()): Promise<boolean> {
    if (!UUID.test(id)) return false;
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('call_attempts')
        .select(['status', 'answered_by', 'provider_call_id'])
        .where('id', '=', id)
        .where((eb) => eb.or([eb('provider_call_id', '=', providerCallId), eb.and([eb('provider_call_id', 'is', null), eb('status', '=', 'queued'), eb('direction', '=', 'outbound'), eb('provider', '=', 'twilio')])]))
        .forUpdate()
        .executeTakeFirst();
      if (!row) return false;
      const status = update.status && !FINAL_STATUSES.has(row.status) ? update.status : undefined;
      const link = row.provider_call_id === null ? { provider_call_id: providerCallId } : {};
      if (!status && !update.answeredBy && row.provider_call_id !== null) return true;
      await trx
        .updateTable('call_attempts')
        .set({ ...link, ...(status ? { status } : {}), ...(update.answeredBy ? { answered_by: update.answeredBy } : {}), updated_at: at })
        .where('id', '=', id)
        .execute();
      // A call of this attempt still running settles the patient when it ends (its save knows whether the patient is done).
      if (status && FINAL_STATUSES.has(status) && !(await this.callIsLive(trx, id))) {
        await trx.executeQuery(settleStatement(trx, id, at));
        await trx.executeQuery(attemptEndedStatement(trx, id));
      }
      return true;
    });
  }

  /**
   * A patient ringing back after a missed campaign call, matched by the number Twilio reports:
   * the most recently tried patient with that number who is waiting for a retry or was given up,
   * in a campaign not cancelled, whose `callbacks` setting is not `off`, and not on the
   * do-not-call list. The patient is held (`calling`, with a lease) so no campaign dials them
   * during the call, and an `inbound` attempt is stored for the call; Twilio asking again for
   * the same call gets the same attempt. The patient's variables go on the attempt only when
   * `personal` says the number can be trusted (see `callbackIsPersonal`).
   */
  async matchCallback(input: { from: string; callSid: string; attested: boolean; leaseSeconds: number; at?: Date }): Promise<{ attemptId: string; questionnaire: string; personal: boolean } | undefined> {
    return this.db.transaction().execute(async (trx) => {
      const again = await trx.selectFrom('call_attempts').select(['id', 'questionnaire_id', 'caller_verified']).where('provider_call_id', '=', input.callSid).where('direction', '=', 'inbound').executeTakeFirst();
      if (again) return { attemptId: again.id, questionnaire: again.questionnaire_id, personal: again.caller_verified };
      const found = await sql<{ id: string; patient_reference: string | null; custom: Record<string, string>; questionnaire_id: string; callbacks: string | null }>`
        select p.id, p.patient_reference, p.custom, c.questionnaire_id, c.settings->>'callbacks' as callbacks
        from campaign_patients p join campaigns c on c.id = p.campaign_id
        where p.phone = ${input.from} and p.state in ('pending', 'gave_up') and p.attempts >= 1
          and c.status <> 'cancelled' and coalesce(c.settings->>'callbacks', 'attested') <> 'off'
          and not exists (select 1 from do_not_call d where d.phone = p.phone)
        order by (select max(a.created_at) from call_attempts a where a.campaign_patient_id = p.id) desc nulls last, p.id
        limit 1
        for update of p skip locked`.execute(trx);
      const patient = found.rows[0];
      if (!patient) return undefined;
      const personal = callbackIsPersonal(patient.callbacks, input.attested);
      const id = randomUUID();
      await trx
        .insertInto('call_attempts')
        .values({
          id,
          phone: input.from,
          questionnaire_id: patient.questionnaire_id,
          patient_reference: patient.patient_reference,
          custom: jsonb(personal ? patient.custom : {}),
          status: 'in-progress',
          provider_call_id: input.callSid,
          answered_by: 'human',
          created_by: 'call-back',
          campaign_patient_id: patient.id,
          direction: 'inbound',
          caller_verified: personal,
        })
        .execute();
      await sql`update campaign_patients set state = 'calling', current_attempt_id = ${id}::uuid, lease_until = ${(input.at ?? new Date()).toISOString()}::timestamptz + make_interval(secs => ${input.leaseSeconds}) where id = ${patient.id}::uuid`.execute(trx);
      return { attemptId: id, questionnaire: patient.questionnaire_id, personal };
    });
  }

  /**
   * A Maqsam campaign call (Maqsam dials from its side; the stream's `custom.patient_reference`
   * names the patient): matched to the patient with that reference who is waiting for a call or
   * was given up, in the newest campaign not cancelled. The patient is held (`calling`, with a
   * lease) and counted an attempt, and a `maqsam` attempt is stored for the call, to the
   * patient's campaign number: the call's end then settles the patient and writes
   * `attempt.ended` as a Twilio call's does, and an opt-out lists that number. The same call
   * again (a reconnected stream) gets the same attempt. Undefined when no patient matches.
   */
  async matchMaqsam(input: { patientReference: string; callId: string; leaseSeconds: number; at?: Date }): Promise<{ attemptId: string; custom: Record<string, string> } | undefined> {
    return this.db.transaction().execute(async (trx) => {
      const again = await trx.selectFrom('call_attempts').select(['id', 'custom']).where('provider', '=', 'maqsam').where('provider_call_id', '=', input.callId).executeTakeFirst();
      if (again) return { attemptId: again.id, custom: again.custom };
      const found = await sql<{ id: string; phone: string; patient_reference: string; custom: Record<string, string>; questionnaire_id: string }>`
        select p.id, p.phone, p.patient_reference, p.custom, c.questionnaire_id
        from campaign_patients p join campaigns c on c.id = p.campaign_id
        where p.patient_reference = ${input.patientReference} and p.state in ('pending', 'gave_up') and c.status <> 'cancelled'
        order by c.created_at desc, p.position
        limit 1
        for update of p skip locked`.execute(trx);
      const patient = found.rows[0];
      if (!patient) return undefined;
      const id = randomUUID();
      const at = input.at ?? new Date();
      await trx
        .insertInto('call_attempts')
        .values({
          id,
          phone: patient.phone,
          questionnaire_id: patient.questionnaire_id,
          patient_reference: patient.patient_reference,
          custom: jsonb(patient.custom),
          status: 'in-progress',
          provider_call_id: input.callId,
          created_by: 'maqsam',
          campaign_patient_id: patient.id,
          provider: 'maqsam',
          created_at: at,
          updated_at: at,
        })
        .execute();
      await sql`update campaign_patients set state = 'calling', attempts = attempts + 1, current_attempt_id = ${id}::uuid, lease_until = ${at.toISOString()}::timestamptz + make_interval(secs => ${input.leaseSeconds}) where id = ${patient.id}::uuid`.execute(trx);
      return { attemptId: id, custom: patient.custom };
    });
  }

  /** A matched call-back whose call went ahead unlinked (the match came too late): the patient is given back, the attempt abandoned. */
  async releaseCallback(id: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.executeQuery(settleStatement(trx, id));
      await trx.updateTable('call_attempts').set({ status: 'abandoned', updated_at: new Date() }).where('id', '=', id).where('direction', '=', 'inbound').execute();
    });
  }

  /**
   * An attempt whose call is no longer running anywhere but whose patient is still held (the
   * call's instance died before its save settled it): the patient is settled and `attempt.ended`
   * written, as the call's save would have. False when a call of it is still live.
   */
  async settleIfNoLiveCall(id: string, at: Date = new Date()): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      if (await this.callIsLive(trx, id)) return false;
      for (const statement of attemptEndStatements(trx, id, at)) await trx.executeQuery(statement);
      return true;
    });
  }

  private async callIsLive(db: Kysely<Database>, id: string): Promise<boolean> {
    const { rows } = await sql<{ live: boolean }>`select ${liveCallCondition(id)} as live`.execute(db);
    return rows[0]?.live === true;
  }

  async context(id: string): Promise<AttemptContext | undefined> {
    if (!UUID.test(id)) return undefined;
    const row = await this.db
      .selectFrom('call_attempts as a')
      .leftJoin('campaign_patients as p', 'p.id', 'a.campaign_patient_id')
      .leftJoin('campaigns as c', 'c.id', 'p.campaign_id')
      .select(['a.questionnaire_id', 'a.direction', 'a.provider_call_id', 'a.patient_reference', 'a.custom', sql<string | null>`c.settings->>'voicemail'`.as('voicemail')])
      .where('a.id', '=', id)
      .executeTakeFirst();
    return row
      ? { questionnaire: row.questionnaire_id, direction: row.direction, voicemail: row.voicemail === 'hang_up' ? 'hang_up' : 'message', providerCallId: row.provider_call_id, patientReference: row.patient_reference, custom: row.custom }
      : undefined;
  }

  async view(id: string): Promise<AttemptView | undefined> {
    const r = await this.db.selectFrom('call_attempts').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) return undefined;
    return {
      id: r.id,
      direction: r.direction,
      status: r.status,
      providerCallId: r.provider_call_id,
      questionnaire: r.questionnaire_id,
      patient: r.patient_reference ? { reference: r.patient_reference } : null,
      answeredBy: r.answered_by,
      error: r.error,
      createdAt: r.created_at.toISOString(),
    };
  }
}

/**
 * Whether a matched call-back may hear the patient's variables (name, custom fields). A caller
 * number can be spoofed: anyone who knows a patient's number could ring and hear who is being
 * followed up, by which clinic. `attested` (the default): only when Twilio reports that the
 * originating carrier vouched for the number (SHAKEN/STIR attestation A, `StirVerstat`
 * `TN-Validation-Passed-A`; available where carriers sign calls, so far the United States);
 * `trusted`: on the number alone, for clinics that accept that risk; `anonymous`: never.
 */
export function callbackIsPersonal(setting: string | null, attested: boolean): boolean {
  const mode = setting ?? 'attested';
  return mode === 'trusted' || (mode === 'attested' && attested);
}
