import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import twilio from 'twilio';
import type { Config } from '../config';
import { type Database, jsonb } from '../store/schema';
import { settleAttempt } from './campaigns';
import { UUID, maskNumbers } from '../identifiers';

/** Places a call through the provider; returns its call id and first status. */
export interface Dialer {
  dial(call: { to: string; voiceUrl: string; statusUrl: string }): Promise<{ providerCallId: string; status: string }>;
}

/**
 * Twilio's REST API through the `twilio` package (calls.create). Answered calls come back to our
 * voice webhook; every status change, and machine detection's verdict (asynchronous, so a human
 * hears the questionnaire at once), to our status webhook.
 */
export function twilioDialer(rest: NonNullable<Config['twilioRest']>): Dialer {
  const client = twilio(rest.username, rest.password, { accountSid: rest.accountSid });
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
  };
}


/** Twilio's CallStatus values after which nothing more happens on the call. */
const FINAL_STATUSES = new Set(['completed', 'busy', 'no-answer', 'failed', 'canceled']);

/**
 * Why Twilio refused a call, as kept on the attempt and answered to the client: Twilio's error
 * code and its message with numbers masked (its messages quote the number dialled).
 */
export function dialRefusal(error: unknown): { code: number | null; reason: string } {
  const e = error as { status?: number; code?: number; message?: string };
  const code = e.code ?? e.status ?? null;
  return { code, reason: `${code ?? 'error'}: ${maskNumbers(String(e.message ?? error)).slice(0, 200)}` };
}

export interface AttemptView {
  id: string;
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
  providerCallId: string | null;
  patientReference: string | null;
  custom: Record<string, string>;
}

export class Attempts {
  constructor(private readonly db: Kysely<Database>) {}

  async create(input: { phone: string; questionnaire: string; patientReference: string | null; custom: Record<string, string>; createdBy: string; campaignPatientId?: string }): Promise<string> {
    const id = randomUUID();
    await this.db
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
      })
      .execute();
    return id;
  }

  async dialled(id: string, providerCallId: string, status: string): Promise<void> {
    await this.db.updateTable('call_attempts').set({ provider_call_id: providerCallId, status, updated_at: new Date() }).where('id', '=', id).execute();
  }

  async refused(id: string, error: string): Promise<void> {
    await this.db.updateTable('call_attempts').set({ status: 'failed', error, updated_at: new Date() }).where('id', '=', id).execute();
  }

  /** A status callback: Twilio's CallStatus (and AnsweredBy) for the attempt's call; ignored for another call's id. */
  async status(id: string, providerCallId: string, update: { status?: string | undefined; answeredBy?: string | undefined }): Promise<boolean> {
    if (!UUID.test(id)) return false;
    const result = await this.db
      .updateTable('call_attempts')
      .set({ ...(update.status ? { status: update.status } : {}), ...(update.answeredBy ? { answered_by: update.answeredBy } : {}), updated_at: new Date() })
      .where('id', '=', id)
      .where('provider_call_id', '=', providerCallId)
      .executeTakeFirst();
    const matched = Number(result.numUpdatedRows) > 0;
    // A final status ends the attempt: a campaign patient waits for a retry or is given up.
    if (matched && update.status && FINAL_STATUSES.has(update.status)) {
      const row = await this.db.selectFrom('call_attempts').select('answered_by').where('id', '=', id).executeTakeFirstOrThrow();
      await settleAttempt(this.db, id, update.status, row.answered_by);
    }
    return matched;
  }

  async context(id: string): Promise<AttemptContext | undefined> {
    if (!UUID.test(id)) return undefined;
    const row = await this.db.selectFrom('call_attempts').select(['questionnaire_id', 'provider_call_id', 'patient_reference', 'custom']).where('id', '=', id).executeTakeFirst();
    return row ? { questionnaire: row.questionnaire_id, providerCallId: row.provider_call_id, patientReference: row.patient_reference, custom: row.custom } : undefined;
  }

  async view(id: string): Promise<AttemptView | undefined> {
    const r = await this.db.selectFrom('call_attempts').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) return undefined;
    return {
      id: r.id,
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
