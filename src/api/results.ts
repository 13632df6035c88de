import { type Kysely, type Selectable, sql } from 'kysely';
import type { CallsRepository, StoredEvent } from '../store/calls';
import type { CallStatusColumn, CallsTable, Database } from '../store/schema';
import { HttpError } from '../server/http-errors';
import { UUID } from '../identifiers';
import { isEnabled } from '../questionnaire/conditions';
import type { AnswerValue, Item } from '../questionnaire/schema';
import type { AnswerRecord } from '../questionnaire/types';

/** One call in a list: the stable shape clinics script against. */
export interface CallSummary {
  id: string;
  provider: string;
  providerCallId: string;
  direction: 'inbound' | 'outbound';
  status: CallStatusColumn;
  questionnaire: { id: string; version: number };
  patient: { reference: string } | null;
  startedAt: string;
  endedAt: string | null;
  /** Red flags raised in the call. */
  flags: number;
}

export interface FlagView {
  id: number;
  item: string;
  action: string;
  value: unknown;
  raisedAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
}

export interface CallDetail extends Omit<CallSummary, 'flags'> {
  /** `question`: the item's text as the call's questionnaire version words it (null once that version is gone). */
  answers: Record<string, { question: string | null; value: unknown; method: string; transcript: string | null; confidence: number; attempts: number; confirmed: boolean | null; answeredAt: string }>;
  flags: FlagView[];
  events: StoredEvent[];
  /** Set once retention removed the answers (their count stays). */
  purgedAt: string | null;
  answerCount: number | null;
}

export interface CallFilter {
  status?: CallStatusColumn | undefined;
  flagged?: boolean | undefined;
  questionnaire?: string | undefined;
  patient?: string | undefined;
  since?: Date | undefined;
  until?: Date | undefined;
  providerCallId?: string | undefined;
  /** Last written at or after / before (FHIR `_lastUpdated`): the call's latest save or its end. */
  updatedSince?: Date | undefined;
  updatedBefore?: Date | undefined;
  limit: number;
  /** From the previous page's `next`. */
  cursor?: { startedAt: string; id: string } | undefined;
}

/** Calls for the clinic API, newest first, in pages (keyset: stable while calls keep arriving). */
export async function listCalls(db: Kysely<Database>, filter: CallFilter): Promise<{ calls: CallSummary[]; next: { startedAt: string; id: string } | null }> {
  let query = db
    .selectFrom('calls')
    .select((eb) => [
      'calls.id',
      'calls.provider',
      'calls.provider_call_id',
      'calls.direction',
      'calls.status',
      'calls.questionnaire_id',
      'calls.questionnaire_version',
      'calls.patient_reference',
      'calls.started_at',
      'calls.ended_at',
      eb.selectFrom('flags').select(eb.fn.countAll<number>().as('n')).whereRef('flags.call_id', '=', 'calls.id').as('flag_count'),
    ])
    .orderBy('calls.started_at', 'desc')
    .orderBy('calls.id', 'desc')
    .limit(filter.limit + 1);
  if (filter.status) query = query.where('calls.status', '=', filter.status);
  if (filter.questionnaire) query = query.where('calls.questionnaire_id', '=', filter.questionnaire);
  if (filter.patient) query = query.where('calls.patient_reference', '=', filter.patient);
  if (filter.providerCallId) query = query.where('calls.provider_call_id', '=', filter.providerCallId);
  if (filter.since) query = query.where('calls.started_at', '>=', filter.since);
  if (filter.until) query = query.where('calls.started_at', '<', filter.until);
  const updated = sql<Date>`greatest(calls.heartbeat_at, coalesce(calls.ended_at, calls.started_at))`;
  if (filter.updatedSince) query = query.where(updated, '>=', filter.updatedSince);
  if (filter.updatedBefore) query = query.where(updated, '<', filter.updatedBefore);
  if (filter.flagged !== undefined) {
    const exists = sql<boolean>`exists (select 1 from flags where flags.call_id = calls.id)`;
    query = query.where(filter.flagged ? exists : sql<boolean>`not ${exists}`);
  }
  if (filter.cursor) {
    query = query.where(sql<boolean>`(calls.started_at, calls.id) < (${filter.cursor.startedAt}::timestamptz, ${filter.cursor.id}::uuid)`);
  }
  const rows = await query.execute();
  const page = rows.slice(0, filter.limit);
  const last = page.at(-1);
  return {
    calls: page.map((r) => ({ ...callHeader(r), flags: Number(r.flag_count ?? 0) })),
    next: rows.length > filter.limit && last ? { startedAt: last.started_at.toISOString(), id: last.id } : null,
  };
}

/** A call with its answers, red flags (with their acknowledgement) and timeline; undefined when unknown. */
export async function getCall(db: Kysely<Database>, calls: CallsRepository, id: string): Promise<CallDetail | undefined> {
  if (!UUID.test(id)) return undefined;
  const call = await db.selectFrom('calls').selectAll().where('id', '=', id).executeTakeFirst();
  if (!call) return undefined;
  const [answers, flags, events, asked] = await Promise.all([
    db.selectFrom('answers').selectAll().where('call_id', '=', id).orderBy('answered_at').orderBy('item').execute(),
    db.selectFrom('flags').selectAll().where('call_id', '=', id).orderBy('raised_at').orderBy('id').execute(),
    calls.events(id),
    db.selectFrom('questionnaires').select('definition').where('id', '=', call.questionnaire_id).where('version', '=', call.questionnaire_version).executeTakeFirst(),
  ]);
  const items = (asked?.definition as { items?: Array<{ id?: unknown; text?: unknown }> } | undefined)?.items ?? [];
  const questions = new Map(items.filter((i) => typeof i.id === 'string' && typeof i.text === 'string').map((i) => [i.id as string, i.text as string]));
  return {
    ...callHeader(call),
    // fromEntries: an item named "__proto__" stays an ordinary key.
    answers: Object.fromEntries(
      answers.map((a) => [
        a.item,
        { question: questions.get(a.item) ?? null, value: a.value, method: a.method, transcript: a.transcript, confidence: a.confidence, attempts: a.attempts, confirmed: a.confirmed, answeredAt: a.answered_at.toISOString() },
      ]),
    ),
    flags: flags.map(flagView),
    events,
    purgedAt: call.purged_at ? call.purged_at.toISOString() : null,
    answerCount: call.answer_count,
  };
}

/**
 * Records who took care of a red flag. The first acknowledgement stands (a second click, or a
 * second nurse, sees who was first); undefined when there is no such flag.
 */
export async function acknowledgeFlag(db: Kysely<Database>, id: string, by: string): Promise<{ flag: FlagView; callId: string; already: boolean } | undefined> {
  if (!/^[0-9]{1,15}$/.test(id)) return undefined;
  const flagId = Number(id);
  const updated = await db
    .updateTable('flags')
    .set({ acknowledged_at: new Date(), acknowledged_by: by })
    .where('id', '=', flagId)
    .where('acknowledged_at', 'is', null)
    .executeTakeFirst();
  const row = await db.selectFrom('flags').selectAll().where('id', '=', flagId).executeTakeFirst();
  if (!row) return undefined;
  return { flag: flagView(row), callId: row.call_id, already: Number(updated.numUpdatedRows) === 0 };
}

/** The fields every view of a call starts with, from its row. */
function callHeader(r: Pick<Selectable<CallsTable>, 'id' | 'provider' | 'provider_call_id' | 'direction' | 'status' | 'questionnaire_id' | 'questionnaire_version' | 'patient_reference' | 'started_at' | 'ended_at'>): Omit<CallSummary, 'flags'> {
  return {
    id: r.id,
    provider: r.provider,
    providerCallId: r.provider_call_id,
    direction: r.direction,
    status: r.status,
    questionnaire: { id: r.questionnaire_id, version: r.questionnaire_version },
    patient: r.patient_reference ? { reference: r.patient_reference } : null,
    startedAt: r.started_at.toISOString(),
    endedAt: r.ended_at ? r.ended_at.toISOString() : null,
  };
}

function flagView(f: { id: number; item: string; action: string; value: unknown; raised_at: Date; acknowledged_at: Date | null; acknowledged_by: string | null }): FlagView {
  return {
    id: Number(f.id),
    item: f.item,
    action: f.action,
    value: f.value,
    raisedAt: f.raised_at.toISOString(),
    acknowledgedAt: f.acknowledged_at ? f.acknowledged_at.toISOString() : null,
    acknowledgedBy: f.acknowledged_by,
  };
}

/** An ISO 8601 instant as toISOString() writes it: what the database's timestamptz cast accepts. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

export function decodeCursor(text: string): { startedAt: string; id: string } {
  const [startedAt, id] = Buffer.from(text, 'base64url').toString('utf8').split('|');
  if (!startedAt || !id || !ISO_INSTANT.test(startedAt) || Number.isNaN(Date.parse(startedAt)) || !UUID.test(id)) {
    throw new HttpError('invalid_query', 'cursor: must be the `next` of a previous page');
  }
  return { startedAt, id };
}

/** A red flag as a nurse needs it: what was asked, what the caller answered (and said), in which call. */
export interface FlagListEntry extends FlagView {
  callId: string;
  call: { status: CallStatusColumn; startedAt: string; patient: { reference: string } | null; questionnaire: { id: string; version: number } };
  /** The question as the questionnaire version of the call words it (null once that version is gone). */
  question: string | null;
  answer: { method: string; transcript: string | null; confidence: number } | null;
}

/**
 * Red flags across calls, newest first, in pages (keyset on the flag id): `open` (not yet
 * acknowledged), `acknowledged` or `all`.
 */
export async function listFlags(db: Kysely<Database>, filter: { status: 'open' | 'acknowledged' | 'all'; limit: number; before?: number | undefined }): Promise<{ flags: FlagListEntry[]; next: number | null }> {
  let query = db
    .selectFrom('flags as f')
    .innerJoin('calls as c', 'c.id', 'f.call_id')
    .leftJoin('answers as a', (join) => join.onRef('a.call_id', '=', 'f.call_id').onRef('a.item', '=', 'f.item'))
    .leftJoin('questionnaires as q', (join) => join.onRef('q.id', '=', 'c.questionnaire_id').onRef('q.version', '=', 'c.questionnaire_version'))
    .select([
      'f.id', 'f.call_id', 'f.item', 'f.action', 'f.value', 'f.raised_at', 'f.acknowledged_at', 'f.acknowledged_by',
      'c.status', 'c.started_at', 'c.patient_reference', 'c.questionnaire_id', 'c.questionnaire_version',
      'a.method', 'a.transcript', 'a.confidence',
      sql<string | null>`(select i->>'text' from jsonb_array_elements(q.definition->'items') i where i->>'id' = f.item limit 1)`.as('question'),
    ])
    .orderBy('f.id', 'desc')
    .limit(filter.limit + 1);
  if (filter.status === 'open') query = query.where('f.acknowledged_at', 'is', null);
  if (filter.status === 'acknowledged') query = query.where('f.acknowledged_at', 'is not', null);
  if (filter.before !== undefined) query = query.where('f.id', '<', filter.before);
  const rows = await query.execute();
  const page = rows.slice(0, filter.limit).map((r) => ({
    ...flagView(r),
    callId: r.call_id,
    call: { status: r.status, startedAt: r.started_at.toISOString(), patient: r.patient_reference ? { reference: r.patient_reference } : null, questionnaire: { id: r.questionnaire_id, version: r.questionnaire_version } },
    question: r.question,
    answer: r.method ? { method: r.method, transcript: r.transcript, confidence: Number(r.confidence) } : null,
  }));
  return { flags: page, next: rows.length > filter.limit ? (page.at(-1)?.id ?? null) : null };
}

/** A call in progress, for the live view: which question it is on and where it runs. */
export interface LiveCall {
  id: string;
  provider: string;
  direction: 'inbound' | 'outbound';
  questionnaire: { id: string; version: number };
  patient: { reference: string } | null;
  startedAt: string;
  instance: string;
  /** The first question without a committed answer (an answer is committed before the next question is asked); null once all are answered. */
  currentItem: { id: string; text: string } | null;
  answered: number;
}

/**
 * Calls in progress on every instance (in progress, heartbeat within a minute), oldest first, each
 * with the question it is on, read from its committed answers and its questionnaire version.
 */
export async function listLiveCalls(db: Kysely<Database>, limit = 500): Promise<LiveCall[]> {
  const rows = await db
    .selectFrom('calls as c')
    .leftJoin('questionnaires as q', (join) => join.onRef('q.id', '=', 'c.questionnaire_id').onRef('q.version', '=', 'c.questionnaire_version'))
    .select(['c.id', 'c.provider', 'c.direction', 'c.questionnaire_id', 'c.questionnaire_version', 'c.patient_reference', 'c.started_at', 'c.instance_id', 'q.definition'])
    .select(sql<Record<string, unknown>>`coalesce((select jsonb_object_agg(a.item, a.value) from answers a where a.call_id = c.id), '{}'::jsonb)`.as('answered'))
    .where('c.status', '=', 'in_progress')
    .where(sql<boolean>`c.heartbeat_at > now() - interval '60 seconds'`)
    .orderBy('c.started_at')
    .limit(limit)
    .execute();
  return rows.map((r) => {
    const values = (r.answered ?? {}) as Record<string, AnswerValue>;
    const answers = Object.fromEntries(Object.entries(values).map(([item, value]) => [item, { value }])) as unknown as Record<string, AnswerRecord>;
    const items = ((r.definition as { items?: Item[] } | null)?.items ?? []).filter((i) => i.type !== 'display');
    // Items a branch skips (enable_when false) are never asked, so never current.
    const next = items.find((i) => values[i.id] === undefined && isEnabled({ ...i, enable_when: i.enable_when ?? [] }, answers)) ?? null;
    return {
      id: r.id,
      provider: r.provider,
      direction: r.direction,
      questionnaire: { id: r.questionnaire_id, version: r.questionnaire_version },
      patient: r.patient_reference ? { reference: r.patient_reference } : null,
      startedAt: r.started_at.toISOString(),
      instance: r.instance_id,
      currentItem: next ? { id: next.id, text: next.text } : null,
      answered: Object.keys(values).length,
    };
  });
}

export interface Overview {
  questionnaire: string | null;
  timeZone: string;
  since: string;
  until: string;
  calls: number;
  /** Completed (or escalated, or transferred: the questionnaire reached its end) among calls that ended. */
  completionRate: number | null;
  medianSeconds: number | null;
  days: Array<{ date: string; byStatus: Record<string, number>; flags: number }>;
}

/** Calls per day by outcome, flags per day, completion rate and median call length, for a period (days in `timeZone`). */
export async function overview(db: Kysely<Database>, q: { questionnaire?: string | undefined; since: Date; until: Date; timeZone: string }): Promise<Overview> {
  const inPeriod = sql<boolean>`c.started_at >= ${q.since.toISOString()}::timestamptz and c.started_at < ${q.until.toISOString()}::timestamptz ${q.questionnaire ? sql`and c.questionnaire_id = ${q.questionnaire}` : sql``}`;
  const day = (column: string) => sql<string>`to_char(${sql.ref(column)} at time zone ${q.timeZone}, 'YYYY-MM-DD')`;
  const [byDay, flags, summary] = await Promise.all([
    sql<{ day: string; status: string; n: number }>`select ${day('c.started_at')} as day, c.status, count(*)::int as n from calls c where ${inPeriod} group by 1, 2 order by 1`.execute(db),
    sql<{ day: string; n: number }>`select ${day('f.raised_at')} as day, count(*)::int as n from flags f join calls c on c.id = f.call_id where ${inPeriod} group by 1 order by 1`.execute(db),
    sql<{ calls: number; ended: number; reached: number; median: number | null }>`select count(*)::int as calls,
        count(*) filter (where c.status <> 'in_progress')::int as ended,
        count(*) filter (where c.status in ('completed', 'escalated', 'transferred'))::int as reached,
        percentile_cont(0.5) within group (order by extract(epoch from c.ended_at - c.started_at)) filter (where c.ended_at is not null) as median
      from calls c where ${inPeriod}`.execute(db),
  ]);
  const days = new Map<string, { date: string; byStatus: Record<string, number>; flags: number }>();
  const entry = (date: string) => days.get(date) ?? days.set(date, { date, byStatus: {}, flags: 0 }).get(date)!;
  for (const r of byDay.rows) entry(r.day).byStatus[r.status] = Number(r.n);
  for (const r of flags.rows) entry(r.day).flags = Number(r.n);
  const s = summary.rows[0];
  return {
    questionnaire: q.questionnaire ?? null,
    timeZone: q.timeZone,
    since: q.since.toISOString(),
    until: q.until.toISOString(),
    calls: Number(s?.calls ?? 0),
    completionRate: s && Number(s.ended) > 0 ? Number(s.reached) / Number(s.ended) : null,
    medianSeconds: s?.median === null || s?.median === undefined ? null : Number(s.median),
    days: [...days.values()].sort((a, b) => (a.date < b.date ? -1 : 1)),
  };
}
