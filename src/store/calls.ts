import { type CompiledQuery, type Kysely, type Selectable, type Transaction, sql } from 'kysely';
import { type AnswersTable, type CallsTable, type Database, type FlagsTable, jsonb } from './schema';
import { attemptEndStatements } from './attempt-settlement';
import { endStatement, flagStatement, mayRaiseEvents } from './webhook-outbox';
import { UUID } from '../identifiers';

export interface StoredAnswer {
  value: unknown;
  method: 'voice' | 'dtmf';
  transcript: string | null;
  confidence: number;
  attempts: number;
  answeredAt: string;
  confirmed?: boolean;
}

export interface StoredFlag {
  item: string;
  action: 'emergency' | 'transfer' | 'flag';
  value: unknown;
  raisedAt: string;
}

export interface CallSnapshot {
  /** Our UUID. */
  id: string;
  provider: 'twilio' | 'maqsam';
  providerCallId: string;
  questionnaire: string;
  questionnaireVersion: number;
  status: 'in_progress' | 'completed' | 'stopped' | 'escalated' | 'opted_out' | 'transferred' | 'interrupted';
  /** ISO strings. */
  startedAt: string;
  endedAt: string | null;
  answers: Record<string, StoredAnswer>;
  flags: StoredFlag[];
  transferredTo?: string;
  /** Inbound when absent. */
  direction?: 'inbound' | 'outbound';
  patientReference?: string | null;
  /** The attempt this call answered (a call we placed, or a matched call-back); an opt-out then puts the attempt's number on the do-not-call list. */
  attemptId?: string | null;
  /** Timeline events appended by this save (written, never read back into a snapshot). */
  appendEvents?: StoredEvent[];
}

export interface StoredEvent {
  /** ISO string. */
  at: string;
  type: string;
  detail?: Record<string, unknown>;
}

export interface CallsRepository {
  /**
   * Writes the call's whole current state in one short transaction: upsert the call row, upsert
   * every answer by (call, item), insert flags not yet stored, and the webhook events these cause
   * (outbox: a new flag's `call.flagged`, the call's `call.transferred` and `call.ended`, once
   * each). Idempotent; a later snapshot of the same call never loses an answer an earlier one stored.
   */
  save(snapshot: CallSnapshot, instanceId: string): Promise<void>;
  get(id: string): Promise<CallSnapshot | undefined>;
  /** The call's timeline, oldest first (empty for an unknown id). */
  events(id: string): Promise<StoredEvent[]>;
  /** Every call with this provider id, newest first. */
  findByProviderCallId(provider: CallSnapshot['provider'], providerCallId: string): Promise<CallSnapshot[]>;
  /** Calls this instance left in_progress (a crash): marked 'interrupted' with ended_at = their heartbeat; answers untouched. Returns how many. */
  closeInterrupted(instanceId: string): Promise<number>;
  /**
   * Every call left in_progress, whichever instance had it: for the embedded database, which one
   * process owns at a time (so nothing else can be carrying them), whatever its host name was.
   */
  closeAllInterrupted(): Promise<number>;
  /**
   * Calls in progress whose instance stopped beating (heartbeat older than `staleSeconds`: killed,
   * or cut off from the database): closed as 'interrupted' by whichever instance sees them, with
   * their answers kept and their attempts settled. Never the calls of `selfId`: those this
   * instance knows to be alive, whatever their heartbeat says after a store outage. Returns how many.
   */
  closeStale(staleSeconds: number, selfId: string): Promise<number>;
  /** Refreshes heartbeat_at of this instance's in-progress calls. */
  heartbeat(instanceId: string): Promise<void>;
  /** Stores a questionnaire version as loaded (idempotent). */
  saveQuestionnaire(id: string, version: number, definition: unknown): Promise<void>;
}

/** Runs statements that do not depend on each other's results as one transaction. */
export type RunBatch = (queries: readonly CompiledQuery[]) => Promise<void>;

/**
 * The calls repository over either engine: the SQL is the same, only the dialect differs.
 * `runBatch` lets an engine run a save's statements in one round trip (the embedded database's
 * thread); by default they run one by one in a Kysely transaction. `onEvents` is told after a
 * save that may have written webhook events.
 */
export function createCallsRepository(db: Kysely<Database>, runBatch?: RunBatch, onEvents?: () => void): CallsRepository {
  const batch: RunBatch =
    runBatch ??
    ((queries) =>
      db.transaction().execute(async (trx) => {
        for (const query of queries) await trx.executeQuery(query);
      }));
  return {
    async save(snapshot, instanceId) {
      await batch(snapshotStatements(db, snapshot, instanceId));
      // The dispatcher wakes now rather than at its next poll: a nurse hears of a flag within the second.
      if (onEvents && mayRaiseEvents(snapshot)) onEvents();
    },

    async get(id) {
      if (!UUID.test(id)) return undefined; // not one of ours; Postgres would reject the cast
      const [snapshot] = await readSnapshots(db, (trx) => trx.selectFrom('calls').selectAll().where('id', '=', id).execute());
      return snapshot;
    },

    async events(id) {
      if (!UUID.test(id)) return [];
      const rows = await db.selectFrom('call_events').select(['at', 'type', 'detail']).where('call_id', '=', id).orderBy('at').orderBy('id').execute();
      return rows.map((r) => ({ at: r.at.toISOString(), type: r.type, detail: r.detail as Record<string, unknown> }));
    },

    findByProviderCallId: (provider, providerCallId) =>
      readSnapshots(db, (trx) =>
        trx
          .selectFrom('calls')
          .selectAll()
          .where('provider', '=', provider)
          .where('provider_call_id', '=', providerCallId)
          .orderBy('started_at', 'desc')
          .orderBy('id')
          .execute(),
      ),

    async closeInterrupted(instanceId) {
      const closed = await db
        .updateTable('calls')
        .set({ status: 'interrupted', ended_at: sql<Date>`greatest(heartbeat_at, started_at)` })
        .where('instance_id', '=', instanceId)
        .where('status', '=', 'in_progress')
        .returning('attempt_id')
        .execute();
      await endAttempts(db, closed);
      return closed.length;
    },

    async closeAllInterrupted() {
      const closed = await db
        .updateTable('calls')
        .set({ status: 'interrupted', ended_at: sql<Date>`greatest(heartbeat_at, started_at)` })
        .where('status', '=', 'in_progress')
        .returning('attempt_id')
        .execute();
      await endAttempts(db, closed);
      return closed.length;
    },

    async closeStale(staleSeconds, selfId) {
      const closed = await db
        .updateTable('calls')
        .set({ status: 'interrupted', ended_at: sql<Date>`greatest(heartbeat_at, started_at)` })
        .where('status', '=', 'in_progress')
        .where('instance_id', '<>', selfId)
        .where(sql<boolean>`heartbeat_at < now() - make_interval(secs => ${staleSeconds})`)
        .returning('attempt_id')
        .execute();
      await endAttempts(db, closed);
      return closed.length;
    },

    async heartbeat(instanceId) {
      await db.updateTable('calls').set({ heartbeat_at: sql<Date>`now()` }).where('instance_id', '=', instanceId).where('status', '=', 'in_progress').execute();
    },

    async saveQuestionnaire(id, version, definition) {
      // A version is immutable once loaded: the first definition stored for it stays.
      await db
        .insertInto('questionnaires')
        .values({ id, version, definition: jsonb(definition) })
        .onConflict((oc) => oc.columns(['id', 'version']).doNothing())
        .execute();
    },
  };
}


/** The statements that write a snapshot: none reads another's result, so they can go in one batch. */
function snapshotStatements(db: Kysely<Database>, s: CallSnapshot, instanceId: string): CompiledQuery[] {
  const statements: CompiledQuery[] = [];
  // The end of a call and a status callback for its attempt take the attempt's row in the same
  // order (this lock first), so one always sees what the other wrote and the patient is settled.
  if (s.attemptId && s.status !== 'in_progress') statements.push(sql`select id from call_attempts where id = ${s.attemptId}::uuid for update`.compile(db));
  // A snapshot that says in_progress never reopens a call already ended (a late or retried write).
  const reopening = sql<boolean>`excluded.status = 'in_progress' and calls.status <> 'in_progress'`;
  statements.push(
    db
    .insertInto('calls')
    .values({
      id: s.id,
      provider: s.provider,
      provider_call_id: s.providerCallId,
      questionnaire_id: s.questionnaire,
      questionnaire_version: s.questionnaireVersion,
      patient_reference: s.patientReference ?? null,
      direction: s.direction ?? 'inbound',
      attempt_id: s.attemptId ?? null,
      status: s.status,
      transferred_to: s.transferredTo ?? null,
      started_at: s.startedAt,
      ended_at: s.endedAt,
      instance_id: instanceId,
      heartbeat_at: sql<Date>`now()`,
    })
    .onConflict((oc) =>
      oc.column('id').doUpdateSet({
        status: sql`case when ${reopening} then calls.status else excluded.status end`,
        ended_at: sql`case when ${reopening} then calls.ended_at else excluded.ended_at end`,
        transferred_to: sql`coalesce(excluded.transferred_to, calls.transferred_to)`,
        patient_reference: sql`coalesce(excluded.patient_reference, calls.patient_reference)`,
        attempt_id: sql`coalesce(excluded.attempt_id, calls.attempt_id)`,
        instance_id: sql`excluded.instance_id`,
        heartbeat_at: sql`excluded.heartbeat_at`,
      }),
    )
    .compile(),
  );

  const answers = Object.entries(s.answers);
  if (answers.length > 0) {
    statements.push(
      db
      .insertInto('answers')
      .values(
        answers.map(([item, a]) => ({
          call_id: s.id,
          item,
          value: jsonb(a.value),
          method: a.method,
          transcript: a.transcript,
          confidence: a.confidence,
          attempts: a.attempts,
          confirmed: a.confirmed ?? null,
          answered_at: a.answeredAt,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['call_id', 'item']).doUpdateSet((eb) => ({
          value: eb.ref('excluded.value'),
          method: eb.ref('excluded.method'),
          transcript: eb.ref('excluded.transcript'),
          confidence: eb.ref('excluded.confidence'),
          attempts: eb.ref('excluded.attempts'),
          confirmed: eb.ref('excluded.confirmed'),
          answered_at: eb.ref('excluded.answered_at'),
        })),
      )
      .compile(),
    );
  }

  if (s.appendEvents && s.appendEvents.length > 0) {
    statements.push(
      db
        .insertInto('call_events')
        .values(s.appendEvents.map((e) => ({ call_id: s.id, at: e.at, type: e.type, detail: jsonb(e.detail ?? {}) })))
        .compile(),
    );
  }

  const seen = new Set<string>();
  const flags = s.flags.filter((f) => {
    const key = `${f.item}\u0000${f.action}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  // The flags, then the call's end: each with its webhook event (outbox), in this order.
  for (const statement of [flagStatement(db, s, flags), endStatement(db, s)]) if (statement) statements.push(statement);
  // A campaign patient whose call reached an end the clinic wanted is done, in the same transaction.
  if (s.attemptId && ['completed', 'escalated', 'transferred', 'opted_out'].includes(s.status)) {
    statements.push(
      // (An opt-out from a call-back whose number nobody vouched for does not end the patient's campaign.)
      sql`update campaign_patients set state = 'done', last_outcome = ${s.status}, lease_until = null
          from call_attempts a where a.id = ${s.attemptId}::uuid and campaign_patients.id = a.campaign_patient_id and campaign_patients.state <> 'done'
            and (a.caller_verified or ${s.status} <> 'opted_out')`.compile(db),
    );
  }
  // A call that ended otherwise gives its campaign patient back for a retry (an outbound attempt once Twilio's final status is in).
  if (s.attemptId && s.status !== 'in_progress') statements.push(...attemptEndStatements(db, s.attemptId));
  // A patient who declined is never called again: the number is the attempt's, in the same transaction.
  if (s.status === 'opted_out' && s.attemptId) {
    statements.push(
      sql`insert into do_not_call (phone, reason, source_call_id, added_by)
          select phone, 'opted_out', ${s.id}::uuid, 'the patient, during the call' from call_attempts where id = ${s.attemptId}::uuid and caller_verified
          on conflict (phone) do nothing`.compile(db),
    );
  }
  return statements;
}

/** Calls with their answers and flags, read in one snapshot of the database. */
async function readSnapshots(db: Kysely<Database>, selectCalls: (trx: Transaction<Database>) => Promise<Selectable<CallsTable>[]>): Promise<CallSnapshot[]> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (trx) => {
      const calls = await selectCalls(trx);
      if (calls.length === 0) return [];
      const ids = calls.map((c) => c.id);
      const answers = await trx.selectFrom('answers').selectAll().where('call_id', 'in', ids).orderBy('answered_at').orderBy('item').execute();
      const flags = await trx.selectFrom('flags').selectAll().where('call_id', 'in', ids).orderBy('raised_at').orderBy('id').execute();
      return calls.map((call) =>
        toSnapshot(
          call,
          answers.filter((a) => a.call_id === call.id),
          flags.filter((f) => f.call_id === call.id),
        ),
      );
    });
}

function toSnapshot(call: Selectable<CallsTable>, answers: Selectable<AnswersTable>[], flags: Selectable<FlagsTable>[]): CallSnapshot {
  const snapshot: CallSnapshot = {
    id: call.id,
    provider: call.provider as CallSnapshot['provider'],
    providerCallId: call.provider_call_id,
    direction: call.direction,
    patientReference: call.patient_reference,
    questionnaire: call.questionnaire_id,
    questionnaireVersion: call.questionnaire_version,
    status: call.status,
    startedAt: call.started_at.toISOString(),
    endedAt: call.ended_at ? call.ended_at.toISOString() : null,
    // fromEntries, not assignment: an item named "__proto__" stays an ordinary key.
    answers: Object.fromEntries(
      answers.map((a): [string, StoredAnswer] => [
        a.item,
        {
          value: a.value,
          method: a.method,
          transcript: a.transcript,
          confidence: a.confidence,
          attempts: a.attempts,
          answeredAt: a.answered_at.toISOString(),
          ...(a.confirmed === null ? {} : { confirmed: a.confirmed }),
        },
      ]),
    ),
    flags: flags.map((f) => ({ item: f.item, action: f.action, value: f.value, raisedAt: f.raised_at.toISOString() })),
  };
  if (call.transferred_to !== null) snapshot.transferredTo = call.transferred_to;
  return snapshot;
}


/** Calls closed as interrupted end their attempts as their own last save would have (settled, `attempt.ended`). */
async function endAttempts(db: Kysely<Database>, closed: ReadonlyArray<{ attempt_id: string | null }>): Promise<void> {
  for (const { attempt_id: id } of closed) {
    if (!id) continue;
    await db.transaction().execute(async (trx) => {
      for (const statement of attemptEndStatements(trx, id)) await trx.executeQuery(statement);
    });
  }
}
