import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { Logger } from '../observability/logger';
import { type Database, jsonb } from '../store/schema';
import { settleStatement } from '../store/attempt-settlement';
import { FINAL_CALL_STATUSES, standaloneEventStatement } from '../store/webhook-outbox';
import { isTimeZoneName, maskedReason } from '../identifiers';
import { type Attempts, DIAL_SETTLE_MS, type Dialer, certainlyRefused, dialRefusal } from './attempts';
import { type ClaimedPatient, DEFAULT_LEASE_SECONDS, claimWithinLimits } from './claims';

const HHMM = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'must be HH:MM (24 h)');

/** What a clinic sets on a campaign (validated at the API; stored as given). */
export const campaignSettingsSchema = z
  .object({
    window: z
      .object({
        timeZone: z
          .string()
          .default('Asia/Riyadh')
          .refine(isTimeZoneName, 'must be an IANA time zone such as Asia/Riyadh'),
        /** ISO weekdays: 1 Monday … 7 Sunday. Default Sunday to Thursday. */
        days: z.array(z.number().int().min(1).max(7)).min(1).default([7, 1, 2, 3, 4]),
        start: HHMM.default('09:00'),
        end: HHMM.default('17:00'),
        excludedDates: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD')).max(366).default([]),
      })
      .strict()
      .refine((w) => w.start < w.end, 'start must be before end')
      .default({ timeZone: 'Asia/Riyadh', days: [7, 1, 2, 3, 4], start: '09:00', end: '17:00', excludedDates: [] }),
    maxAttempts: z.number().int().min(1).max(10).default(3),
    /** Minutes to wait before the next attempt, by how the last one ended (fractions allowed, from 0.1: 6 s). */
    retryMinutes: z
      .object({ no_answer: z.number().min(0.1).max(10_080).default(120), busy: z.number().min(0.1).max(10_080).default(30), failed: z.number().min(0.1).max(10_080).default(60), voicemail: z.number().min(0.1).max(10_080).default(240) })
      .strict()
      .default({ no_answer: 120, busy: 30, failed: 60, voicemail: 240 }),
    concurrency: z.number().int().min(1).max(100).default(5),
    /** Twilio's default is 1 call per second per account. */
    callsPerSecond: z.number().min(0.1).max(30).default(1),
    /** A patient ringing back after a missed call: matched or not, and when they hear their own variables (see callbackIsPersonal). */
    callbacks: z.enum(['off', 'anonymous', 'attested', 'trusted']).default('attested'),
    /** An answering machine after its beep: leave the questionnaire's voicemail message, or hang up. A retry is scheduled either way. */
    voicemail: z.enum(['message', 'hang_up']).default('message'),
  })
  .strict();

export type CampaignSettings = z.infer<typeof campaignSettingsSchema>;

/** Whether `at` falls inside the calling window, in the window's own time zone. */
export function inWindow(window: CampaignSettings['window'], at: Date): boolean {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: window.timeZone, weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  ) as Record<string, string>;
  const isoDay = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(parts['weekday'] ?? '') + 1;
  const date = `${parts['year']}-${parts['month']}-${parts['day']}`;
  const time = `${parts['hour']}:${parts['minute']}`;
  return window.days.includes(isoDay) && !window.excludedDates.includes(date) && time >= window.start && time < window.end;
}

export interface CampaignPatientInput {
  phone: string;
  reference?: string | undefined;
  name?: string | undefined;
  custom?: Record<string, string> | undefined;
}

export class Campaigns {
  constructor(private readonly db: Kysely<Database>) {}

  async create(input: { name: string; questionnaire: string; settings: CampaignSettings; patients: CampaignPatientInput[]; createdBy: string }): Promise<string> {
    const id = randomUUID();
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('campaigns').values({ id, name: input.name, questionnaire_id: input.questionnaire, settings: jsonb(input.settings), status: 'active', created_by: input.createdBy }).execute();
      for (let start = 0; start < input.patients.length; start += 500) {
        await trx
          .insertInto('campaign_patients')
          .values(
            input.patients.slice(start, start + 500).map((p, i) => ({
              id: randomUUID(),
              campaign_id: id,
              position: start + i + 1,
              phone: p.phone,
              patient_reference: p.reference ?? null,
              custom: jsonb({ ...p.custom, ...(p.name ? { patient_name: p.name } : {}) }),
              state: 'pending',
            })),
          )
          .execute();
      }
    });
    return id;
  }

  async setStatus(id: string, status: 'active' | 'paused' | 'cancelled'): Promise<boolean> {
    const result = await this.db.updateTable('campaigns').set({ status }).where('id', '=', id).where('status', 'in', ['active', 'paused']).executeTakeFirst();
    if (status === 'cancelled') await this.db.updateTable('campaign_patients').set({ state: 'cancelled' }).where('campaign_id', '=', id).where('state', '=', 'pending').execute();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Campaigns, newest first (at most `limit`), with their counts by patient state. */
  async list(limit = 100) {
    const campaigns = await this.db.selectFrom('campaigns').select(['id', 'name', 'questionnaire_id', 'status', 'created_at']).orderBy('created_at', 'desc').orderBy('id').limit(limit).execute();
    const counts = campaigns.length
      ? await this.db
          .selectFrom('campaign_patients')
          .select(['campaign_id', 'state', (eb) => eb.fn.countAll<number>().as('n')])
          .where('campaign_id', 'in', campaigns.map((c) => c.id))
          .groupBy(['campaign_id', 'state'])
          .execute()
      : [];
    return campaigns.map((c) => ({
      id: c.id,
      name: c.name,
      questionnaire: c.questionnaire_id,
      status: c.status,
      createdAt: c.created_at.toISOString(),
      progress: Object.fromEntries(counts.filter((n) => n.campaign_id === c.id).map((n) => [n.state, Number(n.n)])),
    }));
  }

  /** The campaign with each patient's progress (attempts, outcome, the calls placed), in order. */
  async view(id: string) {
    const campaign = await this.db.selectFrom('campaigns').selectAll().where('id', '=', id).executeTakeFirst();
    if (!campaign) return undefined;
    const patients = await this.db.selectFrom('campaign_patients').selectAll().where('campaign_id', '=', id).orderBy('position').execute();
    const attempts = await this.db
      .selectFrom('call_attempts')
      .select(['id', 'campaign_patient_id', 'status', 'provider_call_id', 'answered_by'])
      .where('campaign_patient_id', 'in', patients.length > 0 ? patients.map((p) => p.id) : ['00000000-0000-0000-0000-000000000000'])
      .orderBy('created_at')
      .execute();
    const counts: Record<string, number> = {};
    for (const p of patients) counts[p.state] = (counts[p.state] ?? 0) + 1;
    return {
      id: campaign.id,
      name: campaign.name,
      questionnaire: campaign.questionnaire_id,
      status: campaign.status,
      settings: campaign.settings,
      createdAt: campaign.created_at.toISOString(),
      progress: counts,
      patients: patients.map((p) => ({
        position: p.position,
        reference: p.patient_reference,
        state: p.state,
        attempts: p.attempts,
        lastOutcome: p.last_outcome,
        nextAttemptAt: p.state === 'pending' ? p.next_attempt_at.toISOString() : null,
        calls: attempts.filter((a) => a.campaign_patient_id === p.id).map((a) => ({ attempt: a.id, status: a.status, providerCallId: a.provider_call_id, answeredBy: a.answered_by })),
      })),
    };
  }
}

/** Settles an ended attempt's campaign patient (see settleStatement): a retry, given up, or left done. */
export async function settleAttempt(db: Kysely<Database>, attemptId: string, at: Date = new Date()): Promise<void> {
  await db.executeQuery(settleStatement(db, attemptId, at));
}

export { claimDuePatients, DEFAULT_LEASE_SECONDS } from './claims';

/**
 * Places campaign attempts on every instance: each tick, for each active campaign inside its
 * window, claims due patients in order (FOR UPDATE SKIP LOCKED, so two instances never take the
 * same one) within the concurrency and calls-per-second limits, counted across instances under
 * the campaign row's lock (claimWithinLimits), stores the attempt, then dials it once. Outcomes come back through Twilio's status callbacks (settleAttempt) and the call's save.
 */
export class CampaignScheduler {
  private timer: NodeJS.Timeout | null = null;
  private running = false;

  constructor(
    private readonly deps: {
      db: Kysely<Database>;
      attempts: Attempts;
      dialer: Dialer;
      /** Public base URL of the webhooks. */
      baseUrl: string;
      logger: Logger;
      tickMs?: number;
      /** How long a claim is held before any instance checks on it (default 900 s). */
      leaseSeconds?: number;
      now?: () => Date;
    },
  ) {}

  start(): void {
    const every = this.deps.tickMs ?? 1000;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = true;
      this.tick()
        .catch((error: unknown) => this.deps.logger.error({ err: error }, 'campaign scheduler tick failed; trying again next tick'))
        .finally(() => {
          this.running = false;
        });
    }, every);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One pass over the active campaigns; returns how many attempts were dialled. */
  async tick(): Promise<number> {
    const { db } = this.deps;
    const now = this.deps.now?.() ?? new Date();
    let dialled = 0;
    await this.recoverExpiredClaims(now);
    await this.reconcileOverdueAttempts(now);
    const campaigns = await db.selectFrom('campaigns').select(['id', 'questionnaire_id', 'settings']).where('status', '=', 'active').execute();
    for (const campaign of campaigns) {
      const settings = campaignSettingsSchema.parse(campaign.settings);
      const open = await db
        .selectFrom('campaign_patients')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('campaign_id', '=', campaign.id)
        .where('state', 'in', ['pending', 'calling'])
        .executeTakeFirstOrThrow();
      if (Number(open.n) === 0) {
        await this.complete(campaign.id);
        continue;
      }
      if (!inWindow(settings.window, now)) continue;
      // Both limits are read and taken under the campaign's lock, so they hold across instances.
      const claimed = await claimWithinLimits(db, { id: campaign.id, concurrency: settings.concurrency, callsPerSecond: settings.callsPerSecond }, now, this.deps.tickMs ?? 1000, this.deps.leaseSeconds);
      for (const patient of claimed) {
        dialled += await this.dial(campaign.id, campaign.questionnaire_id, patient);
      }
    }
    return dialled;
  }

  /** The last patient settled: the campaign is completed, and `campaign.completed` written with that change (once, whichever instance sees it). */
  private async complete(id: string): Promise<void> {
    const { db } = this.deps;
    const done = await db.transaction().execute(async (trx) => {
      const row = await trx.updateTable('campaigns').set({ status: 'completed' }).where('id', '=', id).where('status', '=', 'active').returning(['id', 'name', 'questionnaire_id']).executeTakeFirst();
      if (!row) return false;
      const counts = await trx.selectFrom('campaign_patients').select(['state', (eb) => eb.fn.countAll<number>().as('n')]).where('campaign_id', '=', id).groupBy('state').execute();
      const progress = Object.fromEntries(counts.map((c) => [c.state, Number(c.n)]));
      await trx.executeQuery(standaloneEventStatement(db, 'campaign.completed', { campaign: { id: row.id, name: row.name, questionnaire: row.questionnaire_id }, progress }));
      return true;
    });
    if (done) this.deps.logger.info({ campaign: id }, 'campaign completed: every patient reached, given up or excluded');
  }

  /**
   * Claims whose lease has expired, checked by whichever instance sees them first (each is held
   * for another lease while it is looked at):
   *
   * - no call id stored (the instance died around asking Twilio): Twilio is asked whether it has a
   *   call to that number since the attempt was made. If it has, that call is adopted (the
   *   request had reached Twilio); if not, the attempt is marked abandoned and the patient is due
   *   again. Either way nobody is rung twice for one claim;
   * - dialled, with no final status (its callbacks were lost, e.g. while the instance was down):
   *   Twilio is asked for the call, and its answer is taken as a status callback; a call still
   *   ringing or talking stays held;
   * - ended, or a call-back or a Maqsam campaign call (Twilio knows nothing of either), whose call is no longer running anywhere (its instance died before
   *   the call's save could settle it): the patient is settled as the attempt ended.
   */
  private async recoverExpiredClaims(now: Date): Promise<void> {
    const { db, attempts, dialer, logger } = this.deps;
    const lease = this.deps.leaseSeconds ?? DEFAULT_LEASE_SECONDS;
    const expired = await sql<{ patient: string; phone: string; attempt: string | null; provider_call_id: string | null; direction: string | null; provider: string | null; status: string | null; created_at: Date | null; updated_at: Date | null }>`
      with held as (
        update campaign_patients p set lease_until = ${now.toISOString()}::timestamptz + make_interval(secs => ${lease})
        where p.id in (select id from campaign_patients where state = 'calling' and lease_until < ${now.toISOString()}::timestamptz for update skip locked)
        returning p.id, p.phone, p.current_attempt_id)
      select held.id as patient, held.phone, a.id as attempt, a.provider_call_id, a.direction, a.provider, a.status, a.created_at, a.updated_at
      from held left join call_attempts a on a.id = held.current_attempt_id`.execute(db);
    for (const row of expired.rows) {
      try {
        if (row.attempt === null || row.created_at === null || (row.provider_call_id === null && row.status !== 'queued')) {
          await this.requeue(row.patient, null, now);
          logger.warn({ patient: row.patient }, 'campaign claim of a stopped instance recovered: the patient is due again (it died before making an attempt)');
        } else if (row.provider_call_id === null) {
          // Its dial may still be on its way to Twilio (a slow network, a stalled instance): asking now could
          // find nothing and ring the patient twice. Held for another lease until the request must have ended.
          if (row.updated_at !== null && now.getTime() - new Date(row.updated_at).getTime() < DIAL_SETTLE_MS) continue;
          const adopted = await this.adopt(row.attempt, row.phone, new Date(row.created_at), now);
          if (adopted) {
            logger.warn({ attempt: row.attempt }, 'campaign attempt reached Twilio but its call id was never stored (its instance died): adopted, not dialled again');
          } else if (await this.requeue(row.patient, row.attempt, now)) {
            logger.warn({ attempt: row.attempt }, 'campaign claim of a stopped instance recovered: the patient is due again (Twilio has no call for it)');
          } else {
            logger.warn({ attempt: row.attempt }, 'campaign attempt not yet listed at Twilio, but its own status callback has linked its call: kept, checked again after another lease');
          }
        } else if (row.direction === 'outbound' && row.provider === 'twilio' && !FINAL_CALL_STATUSES.includes(row.status as never)) {
          const call = await dialer.fetch(row.provider_call_id);
          await attempts.status(row.attempt, row.provider_call_id, { status: call?.status ?? 'failed', answeredBy: call?.answeredBy ?? undefined }, now);
          logger.warn({ attempt: row.attempt, status: call?.status ?? 'unknown to Twilio' }, 'campaign attempt had no final status when its claim expired: asked Twilio');
        } else if (await attempts.settleIfNoLiveCall(row.attempt, now)) {
          logger.warn({ attempt: row.attempt }, 'campaign attempt whose call stopped without settling it (its instance died): settled now');
        }
      } catch (error) {
        logger.warn({ attempt: row.attempt, reason: maskedReason(error) }, 'could not check an expired campaign claim; trying again after another lease');
      }
    }
  }

  /**
   * Any dialled attempt (a campaign's or a single call's) with no final status and no news for a
   * lease: its callbacks were lost, so Twilio is asked, a few at a time, by one instance each
   * (the check is claimed by moving `updated_at`). Its answer is taken as a status callback.
   */
  private async reconcileOverdueAttempts(now: Date): Promise<void> {
    const lease = this.deps.leaseSeconds ?? DEFAULT_LEASE_SECONDS;
    const overdue = await sql<{ id: string; provider_call_id: string }>`
      update call_attempts set updated_at = ${now.toISOString()}::timestamptz
      where id in (
        select id from call_attempts
        where provider_call_id is not null and direction = 'outbound' and provider = 'twilio' and status not in (${sql.join(FINAL_CALL_STATUSES.map((f) => sql.lit(f)))}, 'abandoned')
          and updated_at < ${now.toISOString()}::timestamptz - make_interval(secs => ${lease})
        order by updated_at limit 20
        for update skip locked)
      returning id, provider_call_id`.execute(this.deps.db);
    for (const row of overdue.rows) {
      try {
        const call = await this.deps.dialer.fetch(row.provider_call_id);
        await this.deps.attempts.status(row.id, row.provider_call_id, { status: call?.status ?? 'failed', answeredBy: call?.answeredBy ?? undefined }, now);
        this.deps.logger.warn({ attempt: row.id, status: call?.status ?? 'unknown to Twilio' }, 'dialled attempt had no news for a lease (callbacks lost?): asked Twilio');
      } catch (error) {
        this.deps.logger.warn({ attempt: row.id, reason: maskedReason(error) }, 'could not ask Twilio about an overdue attempt; trying again after another lease');
      }
    }
  }

  /**
   * The call Twilio placed for an attempt whose id was never stored: the oldest call to the
   * number since the attempt was made that no other attempt holds. Adopted like a dial's answer,
   * and taken as a status callback (an adopted call may have ended already).
   */
  private async adopt(attempt: string, phone: string, since: Date, now: Date): Promise<boolean> {
    const { attempts, dialer } = this.deps;
    const call = await attempts.ownCallAt(dialer, attempt, phone, since);
    // Stored as just dialled (one its own callback linked already: dialled() changes nothing), then Twilio's status taken as a callback: an ended call settles the patient.
    if (!call || !(await attempts.dialled(attempt, call.providerCallId, 'queued', now))) return false;
    await attempts.status(attempt, call.providerCallId, { status: call.status }, now);
    return true;
  }

  /**
   * A claim that never reached Twilio: its attempt (if any) abandoned, the patient due again, the
   * attempt not counted. An attempt that has a call by now (its callback linked it meanwhile) is
   * not abandoned, and its patient stays with it: false.
   */
  private async requeue(patient: string, attempt: string | null, now: Date): Promise<boolean> {
    return this.deps.db.transaction().execute(async (trx) => {
      if (attempt) {
        const abandoned = await trx.updateTable('call_attempts').set({ status: 'abandoned', updated_at: now }).where('id', '=', attempt).where('provider_call_id', 'is', null).executeTakeFirst();
        if (Number(abandoned.numUpdatedRows) === 0) return false;
      }
      await trx
        .updateTable('campaign_patients')
        .set({ state: 'pending', attempts: sql`greatest(attempts - 1, 0)`, lease_until: null, next_attempt_at: now })
        .where('id', '=', patient)
        .where('state', '=', 'calling')
        .execute();
      return true;
    });
  }

  private async dial(campaignId: string, questionnaire: string, patient: ClaimedPatient): Promise<number> {
    const { db, attempts } = this.deps;
    // Listed between the claim and now (the claim sets aside numbers listed before it): not dialled, and the claim not counted as an attempt.
    const listed = await db.selectFrom('do_not_call').select('phone').where('phone', '=', patient.phone).executeTakeFirst();
    if (listed) {
      await db
        .updateTable('campaign_patients')
        .set({ state: 'do_not_call', last_outcome: 'do_not_call', lease_until: null, attempts: sql`greatest(attempts - 1, 0)` })
        .where('id', '=', patient.id)
        .where('state', '=', 'calling')
        .execute();
      return 0;
    }
    const attemptId = await attempts.create({ phone: patient.phone, questionnaire, patientReference: patient.patient_reference, custom: patient.custom, createdBy: `campaign ${campaignId}`, campaignPatientId: patient.id, at: this.deps.now?.() ?? new Date() });
    try {
      const placed = await this.deps.dialer.dial({ to: patient.phone, voiceUrl: `${this.deps.baseUrl}/twilio/voice?attempt=${attemptId}`, statusUrl: `${this.deps.baseUrl}/twilio/status?attempt=${attemptId}` });
      if (!(await attempts.dialled(attemptId, placed.providerCallId, placed.status, this.deps.now?.() ?? new Date()))) {
        this.deps.logger.error({ campaign: campaignId, attempt: attemptId }, 'a campaign dial was answered after its claim was given up (a stall longer than the lease): the call goes unlinked');
      } else {
        // No number here: the attempt id leads to the patient for those allowed to see it.
        this.deps.logger.info({ campaign: campaignId, attempt: attemptId, callSid: placed.providerCallId }, 'campaign attempt dialled');
      }
      return 1;
    } catch (error) {
      const refusal = dialRefusal(error);
      if (!certainlyRefused(error)) {
        // The call may exist: the claim stays, and when its lease runs out Twilio is asked (adopt or requeue).
        this.deps.logger.warn({ campaign: campaignId, attempt: attemptId, code: refusal.code }, 'no clear answer from Twilio to a campaign dial: checked at Twilio when its claim expires, never simply dialled again');
        return 0;
      }
      await attempts.refused(attemptId, refusal.reason, this.deps.now?.() ?? new Date());
      this.deps.logger.warn({ campaign: campaignId, attempt: attemptId, code: refusal.code }, 'campaign attempt refused by Twilio; retried later');
      return 0;
    }
  }
}
