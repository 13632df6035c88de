import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { Logger } from '../observability/logger';
import { type Database, jsonb } from '../store/schema';
import { standaloneEventStatement } from '../store/webhook-outbox';
import { type Attempts, type Dialer, dialRefusal } from './attempts';

const HHMM = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'must be HH:MM (24 h)');

/** What a clinic sets on a campaign (validated at the API; stored as given). */
export const campaignSettingsSchema = z
  .object({
    window: z
      .object({
        timeZone: z
          .string()
          .default('Asia/Riyadh')
          .refine((tz) => {
            try {
              new Intl.DateTimeFormat('en', { timeZone: tz });
              return true;
            } catch {
              return false;
            }
          }, 'must be an IANA time zone such as Asia/Riyadh'),
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
    /** Minutes to wait before the next attempt, by how the last one ended. */
    retryMinutes: z
      .object({ no_answer: z.number().min(1).max(10_080).default(120), busy: z.number().min(1).max(10_080).default(30), failed: z.number().min(1).max(10_080).default(60), voicemail: z.number().min(1).max(10_080).default(240) })
      .strict()
      .default({ no_answer: 120, busy: 30, failed: 60, voicemail: 240 }),
    concurrency: z.number().int().min(1).max(100).default(5),
    /** Twilio's default is 1 call per second per account. */
    callsPerSecond: z.number().min(0.1).max(30).default(1),
  })
  .strict();

export type CampaignSettings = z.infer<typeof campaignSettingsSchema>;
export type RetryOutcome = keyof CampaignSettings['retryMinutes'];

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

/**
 * How an attempt for a campaign patient ended, from Twilio's final status: the patient waits for
 * a retry, or is given up after the last attempt. A patient already done (the call's own save
 * marks it, in the same transaction as its final status) is left alone.
 */
export async function settleAttempt(db: Kysely<Database>, attemptId: string, twilioStatus: string, answeredBy: string | null, at: Date = new Date()): Promise<void> {
  const outcome: RetryOutcome | 'incomplete' =
    answeredBy?.startsWith('machine') || answeredBy === 'fax'
      ? 'voicemail'
      : twilioStatus === 'busy'
        ? 'busy'
        : twilioStatus === 'no-answer'
          ? 'no_answer'
          : twilioStatus === 'completed'
            ? 'incomplete'
            : 'failed';
  const retryKey: RetryOutcome = outcome === 'incomplete' ? 'no_answer' : outcome;
  await sql`
    update campaign_patients p
    set state = case when p.attempts >= (c.settings->>'maxAttempts')::int then 'gave_up' else 'pending' end,
        next_attempt_at = ${at.toISOString()}::timestamptz + ((c.settings->'retryMinutes'->>${retryKey})::float * interval '1 minute'),
        last_outcome = ${outcome},
        lease_until = null
    from call_attempts a, campaigns c
    where a.id = ${attemptId}::uuid and p.id = a.campaign_patient_id and c.id = p.campaign_id and p.state = 'calling'`.execute(db);
}

/**
 * Claims up to `budget` due patients of a campaign, in order, for this instance: rows another
 * instance is claiming right now are skipped, not waited for (SKIP LOCKED), and the state is
 * checked again on the row being updated, so no patient is ever claimed twice.
 */
export async function claimDuePatients(db: Kysely<Database>, campaignId: string, now: Date, budget: number) {
  const claimed = await sql<{ id: string; position: number; phone: string; patient_reference: string | null; custom: Record<string, string> }>`
    update campaign_patients set state = 'calling', attempts = attempts + 1, lease_until = ${now.toISOString()}::timestamptz + interval '15 minutes'
    where state = 'pending' and id in (
      select id from campaign_patients
      where campaign_id = ${campaignId}::uuid and state = 'pending' and next_attempt_at <= ${now.toISOString()}::timestamptz
      order by position limit ${budget}
      for update skip locked)
    returning id, position, phone, patient_reference, custom`.execute(db);
  return claimed.rows.sort((a, b) => a.position - b.position);
}

/**
 * Places campaign attempts on every instance: each tick, for each active campaign inside its
 * window, claims due patients in order (FOR UPDATE SKIP LOCKED, so two instances never take the
 * same one) within the concurrency and calls-per-second limits, stores the attempt, then dials it
 * once. Outcomes come back through Twilio's status callbacks (settleAttempt) and the call's save.
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
    const tickSeconds = (this.deps.tickMs ?? 1000) / 1000;
    let dialled = 0;
    await this.recoverExpiredClaims(now);
    const campaigns = await db.selectFrom('campaigns').select(['id', 'questionnaire_id', 'settings']).where('status', '=', 'active').execute();
    for (const campaign of campaigns) {
      const settings = campaignSettingsSchema.parse(campaign.settings);
      const open = await db
        .selectFrom('campaign_patients')
        .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>(sql`case when state = 'calling' then 1 else 0 end`).as('calling')])
        .where('campaign_id', '=', campaign.id)
        .where('state', 'in', ['pending', 'calling'])
        .executeTakeFirstOrThrow();
      if (Number(open.n) === 0) {
        await this.complete(campaign.id);
        continue;
      }
      if (!inWindow(settings.window, now)) continue;
      const budget = Math.min(settings.concurrency - Number(open.calling ?? 0), Math.max(1, Math.floor(settings.callsPerSecond * tickSeconds)));
      if (budget <= 0) continue;
      const claimed = await claimDuePatients(db, campaign.id, now, budget);
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
   * An instance that died between claiming a patient and dialling leaves the patient `calling`
   * with an attempt Twilio never saw (no call id): once the claim's lease has expired, the patient
   * is due again and that attempt is marked abandoned, so it can never be dialled. A patient
   * whose attempt was dialled is left to Twilio's callbacks: dialling again could ring twice.
   */
  private async recoverExpiredClaims(now: Date): Promise<void> {
    const recovered = await sql<{ id: string }>`
      with stale as (
        select p.id from campaign_patients p
        where p.state = 'calling' and p.lease_until < ${now.toISOString()}::timestamptz
          and not exists (select 1 from call_attempts a where a.campaign_patient_id = p.id and a.provider_call_id is not null and a.status not in ('failed', 'abandoned'))
        for update skip locked)
      update campaign_patients p set state = 'pending', attempts = greatest(p.attempts - 1, 0), lease_until = null, next_attempt_at = ${now.toISOString()}::timestamptz
      from stale where p.id = stale.id
      returning p.id`.execute(this.deps.db);
    if (recovered.rows.length === 0) return;
    await this.deps.db
      .updateTable('call_attempts')
      .set({ status: 'abandoned', updated_at: now })
      .where('campaign_patient_id', 'in', recovered.rows.map((r) => r.id))
      .where('provider_call_id', 'is', null)
      .where('status', '=', 'queued')
      .execute();
    this.deps.logger.warn({ patients: recovered.rows.length }, 'campaign claims of a stopped instance recovered: those patients are due again (they were never dialled)');
  }

  private async dial(campaignId: string, questionnaire: string, patient: { id: string; phone: string; patient_reference: string | null; custom: Record<string, string> }): Promise<number> {
    const { db, attempts } = this.deps;
    const listed = await db.selectFrom('do_not_call').select('phone').where('phone', '=', patient.phone).executeTakeFirst();
    if (listed) {
      await db.updateTable('campaign_patients').set({ state: 'do_not_call', last_outcome: 'do_not_call', lease_until: null }).where('id', '=', patient.id).execute();
      return 0;
    }
    const attemptId = await attempts.create({ phone: patient.phone, questionnaire, patientReference: patient.patient_reference, custom: patient.custom, createdBy: `campaign ${campaignId}`, campaignPatientId: patient.id });
    try {
      const placed = await this.deps.dialer.dial({ to: patient.phone, voiceUrl: `${this.deps.baseUrl}/twilio/voice?attempt=${attemptId}`, statusUrl: `${this.deps.baseUrl}/twilio/status?attempt=${attemptId}` });
      await attempts.dialled(attemptId, placed.providerCallId, placed.status);
      return 1;
    } catch (error) {
      const refusal = dialRefusal(error);
      await attempts.refused(attemptId, refusal.reason);
      await settleAttempt(db, attemptId, 'failed', null, this.deps.now?.() ?? new Date());
      this.deps.logger.warn({ campaign: campaignId, attempt: attemptId, code: refusal.code }, 'campaign attempt refused by Twilio; retried later');
      return 0;
    }
  }
}
