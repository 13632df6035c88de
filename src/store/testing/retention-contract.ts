import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { createLogger } from '../../observability/logger';
import type { CallSnapshot } from '../calls';
import { type ExportedCall, exportCalls } from '../call-export';
import { purgeExpired, scheduleRetention } from '../retention';
import { jsonb } from '../schema';
import type { Store } from '../store';
import { EVERY_ANSWER_TYPE, snapshot } from './calls-contract';

/**
 * Retention, and the export that reads what it leaves, on every engine, against real rows. Each test works in its own years, older than
 * the previous test's, so the purges of one never reach the calls of another (the database is
 * shared across the suite: a fresh PGlite costs seconds).
 */
export interface RetentionEngine {
  store: Store;
  /** A second instance on the same database, where the engine allows one (Postgres). */
  another?: () => Promise<Store>;
}

const DAY_MS = 86_400_000;

async function waitFor(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export function describeRetentionContract(engine: 'pglite' | 'postgres', open: () => Promise<RetentionEngine>): void {
  describe(`retention and export on ${engine}`, () => {
    let opened: RetentionEngine;
    let store: Store;

    beforeAll(async () => {
      opened = await open();
      store = opened.store;
    }, 120_000);

    afterAll(async () => {
      await store?.close();
    });

    const save = async (...calls: CallSnapshot[]) => {
      for (const call of calls) await store.calls.save(call, 'instance-retention');
    };
    const addEvents = async (callId: string, count: number) => {
      for (let i = 0; i < count; i++) {
        await store.db.insertInto('call_events').values({ call_id: callId, type: 'answer', detail: jsonb({ transcript: 'عندي ألم في الصدر' }) }).execute();
      }
    };
    const rowsOf = async (callId: string) => ({
      call: await store.db.selectFrom('calls').selectAll().where('id', '=', callId).executeTakeFirstOrThrow(),
      answers: await store.db.selectFrom('answers').selectAll().where('call_id', '=', callId).execute(),
      events: await store.db.selectFrom('call_events').selectAll().where('call_id', '=', callId).execute(),
      flags: await store.db.selectFrom('flags').selectAll().where('call_id', '=', callId).orderBy('id').execute(),
    });
    /** The aggregate a clinic's dashboard keeps: calls and answers per day and outcome. */
    const perDay = async (from: string, to: string) =>
      (
        await sql<{ day: string; status: string; calls: number; answers: number }>`
          select to_char(started_at at time zone 'UTC', 'YYYY-MM-DD') as day, status, count(*)::int as calls,
                 sum(coalesce(answer_count, (select count(*) from answers where answers.call_id = calls.id)))::int as answers
          from calls where started_at >= ${from}::timestamptz and started_at < ${to}::timestamptz
          group by 1, 2 order by 1, 2`.execute(store.db)
      ).rows;

    test('removes answers and events of calls ended (or, never ended, started) before the cutoff; keeps the call rows, counts and flag rows; newer calls untouched', async () => {
      const now = new Date('2025-06-01T00:00:00.000Z');
      // The cutoff is 2025-05-02T00:00Z, 30 days before.
      const flags = [
        { item: 'chest_pain', action: 'emergency' as const, value: 'نعم، ألم شديد', raisedAt: '2025-04-01T08:00:05.200Z' },
        { item: 'temperature', action: 'flag' as const, value: 38.5, raisedAt: '2025-04-01T08:00:15.600Z' },
      ];
      const oldEnded = snapshot({ startedAt: '2025-04-01T08:00:00.000Z', endedAt: '2025-04-01T08:03:00.000Z', status: 'escalated', patientReference: 'MRN-0042', answers: EVERY_ANSWER_TYPE, flags });
      const oldNeverEnded = snapshot({ startedAt: '2025-04-10T09:00:00.000Z', answers: { fever: EVERY_ANSWER_TYPE.fever! } });
      // Started before the cutoff, ended after it: its clock runs from the end.
      const endedAfterCutoff = snapshot({ startedAt: '2025-05-01T23:59:00.000Z', endedAt: '2025-05-02T00:01:00.000Z', status: 'completed', answers: EVERY_ANSWER_TYPE, flags });
      const fresh = snapshot({ startedAt: '2025-05-31T10:00:00.000Z', endedAt: '2025-05-31T10:04:00.000Z', status: 'completed', patientReference: 'MRN-0042', answers: EVERY_ANSWER_TYPE, flags });
      await save(oldEnded, oldNeverEnded, endedAfterCutoff, fresh);
      await addEvents(oldEnded.id, 3);
      await addEvents(fresh.id, 2);
      const before = { oldEnded: await rowsOf(oldEnded.id), counts: await perDay('2025-01-01', '2026-01-01') };
      expect(before.oldEnded.answers).toHaveLength(8);

      const counts = await purgeExpired(store.db, { olderThanDays: 30, now });
      expect(counts).toEqual({ calls: 2, answers: 9, events: 3, flags: 2, webhookEvents: 3 });

      const after = await rowsOf(oldEnded.id);
      expect(after.answers).toEqual([]);
      expect(after.events).toEqual([]);
      expect(after.flags).toEqual(before.oldEnded.flags.map((f) => ({ ...f, value: null })));
      const { purged_at, ...callRow } = after.call;
      expect(before.oldEnded.call.patient_reference).toBe('MRN-0042');
      expect(callRow).toEqual({ ...before.oldEnded.call, purged_at: undefined, patient_reference: null, answer_count: 8 });
      expect(purged_at).toBeInstanceOf(Date);
      const never = await rowsOf(oldNeverEnded.id);
      expect([never.call.status, never.call.answer_count, never.answers.length]).toEqual(['in_progress', 1, 0]);
      expect(never.call.purged_at).toBeInstanceOf(Date);
      // The read path still works on a purged call: no answers, flags without values.
      expect(await store.calls.get(oldEnded.id)).toStrictEqual({ ...oldEnded, patientReference: null, answers: {}, flags: [flags[0]!, flags[1]!].map((f) => ({ ...f, value: null })) });

      // Newer calls: exactly as saved, events and patient reference included.
      expect(await store.calls.get(endedAfterCutoff.id)).toStrictEqual(endedAfterCutoff);
      expect(await store.calls.get(fresh.id)).toStrictEqual(fresh);
      const kept = await rowsOf(fresh.id);
      expect([kept.events.length, kept.call.patient_reference, kept.call.purged_at, kept.call.answer_count]).toEqual([2, 'MRN-0042', null, null]);
      expect(kept.flags.map((f) => f.value)).toEqual(['نعم، ألم شديد', 38.5]);

      // What a dashboard counts per day and outcome is the same before and after.
      expect(await perDay('2025-01-01', '2026-01-01')).toEqual(before.counts);
    });

    test('a second run removes nothing and changes nothing (answer_count is not recounted as 0)', async () => {
      const now = new Date('2024-06-01T00:00:00.000Z');
      const old = snapshot({ startedAt: '2024-01-01T08:00:00.000Z', endedAt: '2024-01-01T08:02:00.000Z', status: 'completed', answers: EVERY_ANSWER_TYPE });
      await save(old);
      expect(await purgeExpired(store.db, { olderThanDays: 30, now })).toEqual({ calls: 1, answers: 8, events: 0, flags: 0, webhookEvents: 1 });
      const once = await rowsOf(old.id);
      expect(await purgeExpired(store.db, { olderThanDays: 30, now })).toEqual({ calls: 0, answers: 0, events: 0, flags: 0, webhookEvents: 0 });
      expect(await rowsOf(old.id)).toEqual(once);
      expect(once.call.answer_count).toBe(8);
    });

    test('works in batches of short transactions: every old call is purged whatever the batch size', async () => {
      const now = new Date('2023-06-01T00:00:00.000Z');
      const calls = Array.from({ length: 7 }, (_, i) =>
        snapshot({ startedAt: new Date(Date.parse('2023-01-01T08:00:00.000Z') + i * DAY_MS).toISOString(), answers: { fever: EVERY_ANSWER_TYPE.fever!, pain_score: EVERY_ANSWER_TYPE.pain_score! } }),
      );
      await save(...calls);
      expect(await purgeExpired(store.db, { olderThanDays: 30, now, batchSize: 3 })).toEqual({ calls: 7, answers: 14, events: 0, flags: 0, webhookEvents: 0 });
      const rows = await store.db.selectFrom('calls').select(['answer_count', 'purged_at']).where('id', 'in', calls.map((c) => c.id)).execute();
      expect(rows.map((r) => r.answer_count)).toEqual(Array(7).fill(2));
    });

    test('an aborted run stops after the batch in flight; the next run finishes', async () => {
      const now = new Date('2022-06-01T00:00:00.000Z');
      const calls = Array.from({ length: 5 }, (_, i) => snapshot({ startedAt: `2022-01-0${i + 1}T08:00:00.000Z`, answers: { fever: EVERY_ANSWER_TYPE.fever! } }));
      await save(...calls);
      const stop = new AbortController();
      const first = purgeExpired(store.db, { olderThanDays: 30, now, batchSize: 2, signal: stop.signal });
      stop.abort();
      expect((await first).calls).toBe(2);
      expect(await purgeExpired(store.db, { olderThanDays: 30, now, batchSize: 2 })).toEqual({ calls: 3, answers: 3, events: 0, flags: 0, webhookEvents: 0 });
    });

    test('instances purging at once split the calls: each purged once, with its true answer count', async () => {
      const now = new Date('2021-06-01T00:00:00.000Z');
      const calls = Array.from({ length: 40 }, (_, i) =>
        snapshot({ startedAt: new Date(Date.parse('2021-01-01T08:00:00.000Z') + i * 60_000).toISOString(), answers: EVERY_ANSWER_TYPE }),
      );
      await save(...calls);
      const second = opened.another ? await opened.another() : store;
      try {
        const runs = await Promise.all([store, second, store, second].map((s) => purgeExpired(s.db, { olderThanDays: 30, now, batchSize: 4 })));
        expect(runs.reduce((sum, r) => sum + r.calls, 0)).toBe(40);
        expect(runs.reduce((sum, r) => sum + r.answers, 0)).toBe(40 * 8);
      } finally {
        if (second !== store) await second.close();
      }
      const rows = await store.db.selectFrom('calls').select('answer_count').where('id', 'in', calls.map((c) => c.id)).execute();
      expect(rows.map((r) => r.answer_count)).toEqual(Array(40).fill(8));
    }, 60_000);

    test('calls keep being written while a purge runs', async () => {
      const now = new Date('2020-06-01T00:00:00.000Z');
      const old = Array.from({ length: 60 }, (_, i) => snapshot({ startedAt: new Date(Date.parse('2020-01-01T08:00:00.000Z') + i * 60_000).toISOString(), answers: EVERY_ANSWER_TYPE }));
      await save(...old);
      const live = Array.from({ length: 20 }, () => snapshot({ startedAt: new Date().toISOString(), answers: { fever: EVERY_ANSWER_TYPE.fever! } }));
      const [counts] = await Promise.all([purgeExpired(store.db, { olderThanDays: 30, now, batchSize: 10 }), ...live.map((call) => store.calls.save(call, 'instance-live'))]);
      expect(counts).toEqual({ calls: 60, answers: 480, events: 0, flags: 0, webhookEvents: 0 });
      for (const call of live) expect(await store.calls.get(call.id)).toStrictEqual(call);
    }, 60_000);

    test('maintain: tables are analyzed (and vacuumed after a purge), outside any transaction', async () => {
      const now = new Date('2019-06-01T00:00:00.000Z');
      await save(snapshot({ startedAt: '2019-02-01T08:00:00.000Z', answers: EVERY_ANSWER_TYPE }));
      expect(await purgeExpired(store.db, { olderThanDays: 30, now, maintain: true })).toEqual({ calls: 1, answers: 8, events: 0, flags: 0, webhookEvents: 0 });
      const analyzed = await sql<{ relname: string; reltuples: number }>`
        select relname, reltuples from pg_class where relname in ('calls', 'answers', 'call_events', 'flags') order by relname`.execute(store.db);
      // -1: never analyzed nor vacuumed (Postgres 14+).
      for (const row of analyzed.rows) expect([row.relname, row.reltuples >= 0]).toEqual([row.relname, true]);
    });

    test('exportCalls: calls started in [since, until), oldest first, in pages that neither skip nor repeat (ties, microseconds), purged calls with their counts', async () => {
      const a = snapshot({
        startedAt: '2030-01-01T08:00:00.000Z',
        endedAt: '2030-01-01T08:02:00.000Z',
        status: 'escalated',
        patientReference: 'Patient/7',
        answers: { chest_pain: { ...EVERY_ANSWER_TYPE.chest_pain!, value: true }, fever: EVERY_ANSWER_TYPE.fever! },
        flags: [{ item: 'chest_pain', action: 'emergency', value: true, raisedAt: '2030-01-01T08:00:06.000Z' }],
      });
      const tied = [1, 2].map(() => snapshot({ startedAt: '2030-02-01T08:00:00.000Z', patientReference: 'Patient/8', answers: { notes: EVERY_ANSWER_TYPE.notes!, pain_score: EVERY_ANSWER_TYPE.pain_score! } }));
      const micro = snapshot({ startedAt: '2030-02-01T08:00:00.000Z' });
      const silent = snapshot({ startedAt: '2030-02-10T08:00:00.000Z', endedAt: '2030-02-10T08:00:20.000Z', status: 'stopped' });
      const before = snapshot({ startedAt: '2029-12-31T23:59:59.999Z' });
      const atUntil = snapshot({ startedAt: '2030-03-01T00:00:00.000Z' });
      await save(a, ...tied, micro, silent, before, atUntil);
      // Half a millisecond after the tied calls: a Date cursor (ms) would read this call again and again.
      await sql`update calls set started_at = started_at + interval '500 microseconds' where id = ${micro.id}`.execute(store.db);
      await purgeExpired(store.db, { olderThanDays: 30, now: new Date('2030-03-01T00:00:00.000Z') }); // purges a

      const read = async (pageSize: number) => {
        const out: ExportedCall[] = [];
        for await (const call of exportCalls(store.db, { since: new Date('2030-01-01T00:00:00.000Z'), until: new Date('2030-03-01T00:00:00.000Z'), pageSize })) {
          out.push(call);
          if (out.length > 10) throw new Error('the export repeats calls');
        }
        return out;
      };
      const calls = await read(1);
      expect(calls.map((c) => c.id)).toEqual([a.id, ...tied.map((c) => c.id).sort(), micro.id, silent.id]);
      expect(await read(2)).toEqual(calls);
      expect(await read(500)).toEqual(calls);

      const purged = calls[0]!;
      expect(purged).toEqual({
        id: a.id,
        provider: 'twilio',
        providerCallId: a.providerCallId,
        patientReference: null, // cleared by the purge
        questionnaire: 'post-discharge',
        questionnaireVersion: 3,
        direction: 'inbound',
        status: 'escalated',
        startedAt: a.startedAt,
        endedAt: a.endedAt,
        transferredTo: null,
        answerCount: 2,
        purgedAt: expect.any(String),
        answers: {},
        flags: [{ item: 'chest_pain', action: 'emergency', value: null, raisedAt: '2030-01-01T08:00:06.000Z', acknowledgedAt: null, acknowledgedBy: null }],
      });
      const kept = calls.find((c) => c.id === tied[0]!.id)!;
      expect([kept.answerCount, kept.purgedAt, kept.endedAt, kept.patientReference]).toEqual([2, null, null, 'Patient/8']);
      expect(kept.answers).toEqual({
        notes: { ...EVERY_ANSWER_TYPE.notes!, confirmed: null },
        pain_score: { ...EVERY_ANSWER_TYPE.pain_score!, confirmed: null },
      });
      expect(calls.at(-1)).toMatchObject({ id: silent.id, status: 'stopped', answerCount: 0, answers: {}, flags: [] });
    });

    test('scheduleRetention runs soon after start and then again, logs counts and no health data, and stops when asked', async () => {
      const old = snapshot({ startedAt: '2018-01-01T08:00:00.000Z', endedAt: '2019-01-01T08:03:00.000Z', status: 'completed', answers: EVERY_ANSWER_TYPE });
      await save(old);
      const lines: Array<Record<string, unknown>> = [];
      const destination = new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
          done();
        },
      });
      const logger = createLogger({ level: 'info', destination });
      const runs = () => lines.filter((l) => l['msg'] === 'retention: removed expired answers and events');
      const stop = scheduleRetention(store, { dataRetentionDays: 30 }, logger, { firstRunMs: 10, everyMs: 200 });
      try {
        await waitFor(() => runs().length >= 2, 10_000, 'two retention runs');
      } finally {
        stop();
        stop(); // idempotent
      }
      expect(runs()[0]).toMatchObject({ level: 30, component: 'retention', olderThanDays: 30, calls: expect.any(Number), answers: expect.any(Number), events: expect.any(Number), flags: expect.any(Number), durationMs: expect.any(Number) });
      expect(runs()[0]?.['answers']).toBeGreaterThanOrEqual(8);
      expect(runs()[1]).toMatchObject({ calls: 0, answers: 0 });
      expect(await store.db.selectFrom('answers').select('item').where('call_id', '=', old.id).execute()).toEqual([]);
      const seen = runs().length;
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(runs().length).toBe(seen);
      expect(JSON.stringify(lines)).not.toMatch(/[\u0600-\u06FF]|with_help|38\.5/); // no transcript, no value
    }, 30_000);
  });
}
