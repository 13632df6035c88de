import { type Kysely, sql } from 'kysely';
import type { Database } from '../store/schema';
import { dialPace, nextDialAt } from './dial-pacing';

/** How long a claim is held before any instance checks on it (a call placed is asked about at Twilio; one never placed is due again). */
export const DEFAULT_LEASE_SECONDS = 900;

export interface ClaimedPatient {
  id: string;
  position: number;
  phone: string;
  patient_reference: string | null;
  custom: Record<string, string>;
}

/**
 * Claims up to `budget` due patients of a campaign, in order, for this instance: rows another
 * instance is claiming right now are skipped, not waited for (SKIP LOCKED), and the state is
 * checked again on the row being updated, so no patient is ever claimed twice. Due patients
 * whose number is on the do-not-call list are set aside first (`do_not_call`), with no attempt
 * counted and no slot used.
 */
export async function claimDuePatients(db: Kysely<Database>, campaignId: string, now: Date, budget: number, leaseSeconds = DEFAULT_LEASE_SECONDS): Promise<ClaimedPatient[]> {
  await sql`
    update campaign_patients set state = 'do_not_call', last_outcome = 'do_not_call', lease_until = null
    where campaign_id = ${campaignId}::uuid and state = 'pending' and next_attempt_at <= ${now.toISOString()}::timestamptz
      and exists (select 1 from do_not_call d where d.phone = campaign_patients.phone)`.execute(db);
  const claimed = await sql<ClaimedPatient>`
    update campaign_patients set state = 'calling', attempts = attempts + 1, current_attempt_id = null, lease_until = ${now.toISOString()}::timestamptz + make_interval(secs => ${leaseSeconds})
    where state = 'pending' and id in (
      select id from campaign_patients
      where campaign_id = ${campaignId}::uuid and state = 'pending' and next_attempt_at <= ${now.toISOString()}::timestamptz
      order by position limit ${budget}
      for update skip locked)
    returning id, position, phone, patient_reference, custom`.execute(db);
  return claimed.rows.sort((a, b) => a.position - b.position);
}

/**
 * Claims what the campaign's limits allow now, across every instance, in one transaction: the
 * campaign row is locked (an instance that finds it locked skips the campaign this tick: the
 * holder is claiming for it), the patients in `calling` are counted (claimed, ringing or
 * talking, whichever instance holds them), and `next_dial_at` says how many dials the
 * calls-per-second limit allows (see dialPace). The claim takes the smaller of the two, and
 * `next_dial_at` moves on by one interval per patient claimed, before the lock is released.
 * A patient's call-back is held as `calling` too, so it counts against the concurrency limit,
 * but it is never refused for it.
 */
export async function claimWithinLimits(
  db: Kysely<Database>,
  campaign: { id: string; concurrency: number; callsPerSecond: number },
  now: Date,
  tickMs: number,
  leaseSeconds = DEFAULT_LEASE_SECONDS,
): Promise<ClaimedPatient[]> {
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('campaigns').select('next_dial_at').where('id', '=', campaign.id).where('status', '=', 'active').forUpdate().skipLocked().executeTakeFirst();
    if (!row) return [];
    const open = await trx
      .selectFrom('campaign_patients')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('campaign_id', '=', campaign.id)
      .where('state', '=', 'calling')
      .executeTakeFirstOrThrow();
    const free = campaign.concurrency - Number(open.n);
    if (free <= 0) return [];
    const pace = dialPace({ nextDialAt: row.next_dial_at, now, callsPerSecond: campaign.callsPerSecond, tickMs });
    if (pace.count <= 0) return [];
    const claimed = await claimDuePatients(trx, campaign.id, now, Math.min(free, pace.count), leaseSeconds);
    if (claimed.length > 0) await trx.updateTable('campaigns').set({ next_dial_at: nextDialAt(pace, claimed.length) }).where('id', '=', campaign.id).execute();
    return claimed;
  });
}
