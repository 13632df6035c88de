import { type Kysely, sql } from 'kysely';
import type { Database } from './schema';

/** One call as the export writes it: every column a clinic may analyse, nulls spelled out. */
export interface ExportedCall {
  id: string;
  provider: string;
  providerCallId: string;
  /** The clinic's reference for the patient (e.g. a FHIR Patient id); cleared by retention. */
  patientReference: string | null;
  questionnaire: string;
  questionnaireVersion: number;
  direction: 'inbound' | 'outbound';
  status: string;
  /** ISO strings. */
  startedAt: string;
  endedAt: string | null;
  transferredTo: string | null;
  /** Answers given; after a purge, how many there were. */
  answerCount: number;
  /** Set when retention removed the answers, events and flag values. */
  purgedAt: string | null;
  answers: Record<string, ExportedAnswer>;
  flags: ExportedFlag[];
}

export interface ExportedAnswer {
  value: unknown;
  method: 'voice' | 'dtmf';
  transcript: string | null;
  confidence: number;
  attempts: number;
  confirmed: boolean | null;
  answeredAt: string;
}

export interface ExportedFlag {
  item: string;
  action: 'emergency' | 'transfer' | 'flag';
  /** Null once purged. */
  value: unknown;
  raisedAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
}

export interface ExportQuery {
  /** Calls started at or after. */
  since: Date;
  /** Calls started before (exclusive). */
  until?: Date | undefined;
  /** Calls per read. */
  pageSize?: number;
}

/**
 * Calls started in [since, until), oldest first, with their answers and flags. Read in pages by
 * (started_at, id), each page in one short read-only snapshot: memory stays bounded by the page,
 * and a call written meanwhile never shifts a page (an offset would skip or repeat calls).
 */
export async function* exportCalls(db: Kysely<Database>, query: ExportQuery): AsyncGenerator<ExportedCall> {
  const pageSize = query.pageSize ?? 500;
  let after: { at: string; id: string } | undefined;
  for (;;) {
    const page = await readPage(db, query, pageSize, after);
    yield* page.calls;
    if (page.calls.length < pageSize || !page.last) return;
    after = page.last;
  }
}

async function readPage(db: Kysely<Database>, query: ExportQuery, pageSize: number, after: { at: string; id: string } | undefined) {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (trx) => {
      const calls = await trx
        .selectFrom('calls')
        .selectAll()
        // The cursor as the database's own text: exact to the microsecond, where a Date has ms.
        .select(sql<string>`cast(started_at as text)`.as('cursor_at'))
        .select((eb) => eb.selectFrom('answers').whereRef('answers.call_id', '=', 'calls.id').select(eb.fn.countAll<number>().as('n')).as('live_answers'))
        .where('started_at', '>=', timestamptz(query.since))
        .$if(query.until !== undefined, (qb) => qb.where('started_at', '<', timestamptz(query.until!)))
        .$if(after !== undefined, (qb) => qb.where(sql<boolean>`(started_at, id) > (cast(${after!.at} as timestamptz), cast(${after!.id} as uuid))`))
        .orderBy('started_at')
        .orderBy('id')
        .limit(pageSize)
        .execute();
      if (calls.length === 0) return { calls: [] as ExportedCall[], last: undefined };
      const ids = calls.map((c) => c.id);
      const answers = await trx.selectFrom('answers').selectAll().where('call_id', 'in', ids).orderBy('answered_at').orderBy('item').execute();
      const flags = await trx.selectFrom('flags').selectAll().where('call_id', 'in', ids).orderBy('raised_at').orderBy('id').execute();
      const byCall = new Map<string, ExportedCall>();
      const out = calls.map((c): ExportedCall => {
        const call: ExportedCall = {
          id: c.id,
          provider: c.provider,
          providerCallId: c.provider_call_id,
          patientReference: c.patient_reference,
          questionnaire: c.questionnaire_id,
          questionnaireVersion: c.questionnaire_version,
          direction: c.direction,
          status: c.status,
          startedAt: c.started_at.toISOString(),
          endedAt: c.ended_at?.toISOString() ?? null,
          transferredTo: c.transferred_to,
          answerCount: c.answer_count ?? Number(c.live_answers ?? 0),
          purgedAt: c.purged_at?.toISOString() ?? null,
          answers: {},
          flags: [],
        };
        byCall.set(c.id, call);
        return call;
      });
      for (const a of answers) {
        const call = byCall.get(a.call_id);
        if (!call) continue;
        // defineProperty, not assignment: an item named "__proto__" stays an ordinary key.
        Object.defineProperty(call.answers, a.item, {
          value: {
            value: a.value,
            method: a.method,
            transcript: a.transcript,
            confidence: a.confidence,
            attempts: a.attempts,
            confirmed: a.confirmed,
            answeredAt: a.answered_at.toISOString(),
          } satisfies ExportedAnswer,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      for (const f of flags) {
        byCall.get(f.call_id)?.flags.push({
          item: f.item,
          action: f.action,
          value: f.value,
          raisedAt: f.raised_at.toISOString(),
          acknowledgedAt: f.acknowledged_at?.toISOString() ?? null,
          acknowledgedBy: f.acknowledged_by,
        });
      }
      const lastRow = calls[calls.length - 1]!;
      return { calls: out, last: { at: lastRow.cursor_at, id: lastRow.id } };
    });
}

/** A Date as a parameter both drivers send the same way: ISO text, cast by the database. */
function timestamptz(date: Date) {
  return sql<Date>`cast(${date.toISOString()} as timestamptz)`;
}
