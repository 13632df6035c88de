import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { CallSnapshot, StoredAnswer } from '../calls';
import { MIGRATIONS } from '../migrations';
import { migrate, type Store } from '../store';

/**
 * The one contract every engine must pass (hono's `common.case.test.ts` habit): each engine's
 * test file calls `describeStoreContract` with a way to open a store on an empty database.
 * Expected values are literals, so passing on both engines means both return identical values.
 */
export interface OpenedStore {
  store: Store;
  /** Opens the same database again (the caller closes `store` first). */
  reopen(): Promise<Store>;
}

export const T0 = '2025-03-01T08:00:00.000Z';

/** One answer of every type the questionnaire produces. */
export const EVERY_ANSWER_TYPE: Record<string, StoredAnswer> = {
  chest_pain: { value: false, method: 'voice', transcript: 'لا ما عندي', confidence: 0.91, attempts: 1, answeredAt: '2025-03-01T08:00:05.123Z', confirmed: true },
  pain_score: { value: 7, method: 'dtmf', transcript: null, confidence: 1, attempts: 2, answeredAt: '2025-03-01T08:00:10.000Z' },
  temperature: { value: 38.5, method: 'voice', transcript: 'ثمانية وثلاثين ونص', confidence: 0.74, attempts: 1, answeredAt: '2025-03-01T08:00:15.500Z', confirmed: false },
  mobility: { value: 'with_help', method: 'dtmf', transcript: null, confidence: 1, attempts: 1, answeredAt: '2025-03-01T08:00:20.000Z' },
  notes: { value: 'أشعر بدوخة خفيفة في الصباح', method: 'voice', transcript: 'أشعر بدوخة خفيفة في الصباح', confidence: 0.66, attempts: 3, answeredAt: '2025-03-01T08:00:25.999Z' },
  fever: { value: true, method: 'voice', transcript: 'إيه', confidence: 0.88, attempts: 1, answeredAt: '2025-03-01T08:00:30.000Z', confirmed: true },
  doses_missed: { value: 0, method: 'dtmf', transcript: null, confidence: 1, attempts: 1, answeredAt: '2025-03-01T08:00:35.000Z' },
  weight: { value: -1.25, method: 'dtmf', transcript: null, confidence: 0.5, attempts: 1, answeredAt: '2025-03-01T08:00:40.000Z' },
};

export function snapshot(overrides: Partial<CallSnapshot> = {}): CallSnapshot {
  return {
    id: randomUUID(),
    provider: 'twilio',
    providerCallId: `CA${randomUUID().replace(/-/g, '')}`,
    direction: 'inbound',
    patientReference: null,
    questionnaire: 'post-discharge',
    questionnaireVersion: 3,
    status: 'in_progress',
    startedAt: T0,
    endedAt: null,
    answers: {},
    flags: [],
    ...overrides,
  };
}

export function describeStoreContract(engine: 'pglite' | 'postgres', open: () => Promise<OpenedStore>): void {
  describe(`store contract on ${engine}`, () => {
    let opened: OpenedStore;
    let store: Store;

    beforeAll(async () => {
      opened = await open();
      store = opened.store;
    }, 120_000);

    afterAll(async () => {
      await store?.close();
    });

    test('migrations apply at open and are not run again on reopen; data survives', async () => {
      expect(store.engine).toBe(engine);
      const kept = snapshot({ answers: { fever: EVERY_ANSWER_TYPE.fever! } });
      await store.calls.save(kept, 'instance-a');
      const applied = () => sql<{ name: string }>`select name from kysely_migration order by name`.execute(store.db).then((r) => r.rows.map((row) => row.name));
      expect(await applied()).toEqual(Object.keys(MIGRATIONS).sort());
      await store.close();
      await store.close(); // idempotent
      await expect(store.ping()).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
      store = await opened.reopen();
      await store.ping();
      expect(await applied()).toEqual(Object.keys(MIGRATIONS).sort());
      expect(await store.calls.get(kept.id)).toStrictEqual(kept);
    }, 60_000);

    test('save then get returns exactly what was saved: every answer type, numbers, booleans, Arabic text, timestamps', async () => {
      const call = snapshot({
        status: 'transferred',
        endedAt: '2025-03-01T08:01:00.250Z',
        transferredTo: '+966112345678',
        answers: EVERY_ANSWER_TYPE,
        flags: [
          { item: 'temperature', action: 'flag', value: 38.5, raisedAt: '2025-03-01T08:00:15.600Z' },
          { item: 'chest_pain', action: 'transfer', value: 'نعم', raisedAt: '2025-03-01T08:00:05.200Z' },
        ],
      });
      await store.calls.save(call, 'instance-a');
      const got = await store.calls.get(call.id);
      expect(got).toStrictEqual({ ...call, flags: [call.flags[1], call.flags[0]] }); // flags in the order raised
      expect(await store.calls.get(randomUUID())).toBeUndefined();
      expect(await store.calls.get('CA-not-a-uuid')).toBeUndefined();
    });

    test('rows read through db hold the same JS values on every engine (Date, number, boolean, parsed jsonb)', async () => {
      const call = snapshot({ answers: { temperature: EVERY_ANSWER_TYPE.temperature!, pain_score: EVERY_ANSWER_TYPE.pain_score! } });
      call.flags = [{ item: 'temperature', action: 'emergency', value: { reading: 38.5, unit: 'C' }, raisedAt: '2025-03-01T08:00:15.600Z' }];
      await store.calls.save(call, 'instance-rows');
      const row = await store.db.selectFrom('calls').selectAll().where('id', '=', call.id).executeTakeFirstOrThrow();
      expect(row).toStrictEqual({
        id: call.id,
        provider: 'twilio',
        provider_call_id: call.providerCallId,
        questionnaire_id: 'post-discharge',
        questionnaire_version: 3,
        patient_reference: null,
        direction: 'inbound',
        status: 'in_progress',
        transferred_to: null,
        started_at: new Date(T0),
        ended_at: null,
        instance_id: 'instance-rows',
        heartbeat_at: expect.any(Date),
        answer_count: null,
        purged_at: null,
        attempt_id: null,
      });
      const answers = await store.db.selectFrom('answers').selectAll().where('call_id', '=', call.id).orderBy('item').execute();
      expect(answers).toStrictEqual([
        { call_id: call.id, item: 'pain_score', value: 7, method: 'dtmf', transcript: null, confidence: 1, attempts: 2, confirmed: null, answered_at: new Date('2025-03-01T08:00:10.000Z') },
        {
          call_id: call.id,
          item: 'temperature',
          value: 38.5,
          method: 'voice',
          transcript: 'ثمانية وثلاثين ونص',
          confidence: 0.74,
          attempts: 1,
          confirmed: false,
          answered_at: new Date('2025-03-01T08:00:15.500Z'),
        },
      ]);
      const flags = await store.db.selectFrom('flags').selectAll().where('call_id', '=', call.id).execute();
      expect(flags).toStrictEqual([
        {
          id: expect.any(Number),
          call_id: call.id,
          item: 'temperature',
          action: 'emergency',
          value: { reading: 38.5, unit: 'C' },
          raised_at: new Date('2025-03-01T08:00:15.600Z'),
          acknowledged_at: null,
          acknowledged_by: null,
        },
      ]);
      const count = await store.db.selectFrom('answers').select((eb) => eb.fn.countAll().as('n')).where('call_id', '=', call.id).executeTakeFirstOrThrow();
      expect(count).toStrictEqual({ n: 2 }); // int8 as a number on both engines
    });

    test('a later snapshot never removes an earlier answer; it updates the answers it carries', async () => {
      const call = snapshot({ answers: { chest_pain: EVERY_ANSWER_TYPE.chest_pain!, pain_score: EVERY_ANSWER_TYPE.pain_score! } });
      await store.calls.save(call, 'instance-a');
      const corrected = { ...EVERY_ANSWER_TYPE.pain_score!, value: 4, attempts: 3 };
      await store.calls.save({ ...call, answers: { pain_score: corrected, fever: EVERY_ANSWER_TYPE.fever! } }, 'instance-a');
      await store.calls.save({ ...call, answers: {} }, 'instance-a');
      expect((await store.calls.get(call.id))?.answers).toStrictEqual({
        chest_pain: EVERY_ANSWER_TYPE.chest_pain,
        pain_score: corrected,
        fever: EVERY_ANSWER_TYPE.fever,
      });
    });

    test('saving is idempotent and flags are never duplicated', async () => {
      const flag = { item: 'chest_pain', action: 'emergency' as const, value: true, raisedAt: '2025-03-01T08:00:05.200Z' };
      const call = snapshot({ answers: { chest_pain: { ...EVERY_ANSWER_TYPE.chest_pain!, value: true } }, flags: [flag, flag] });
      await store.calls.save(call, 'instance-a');
      await store.calls.save(call, 'instance-a');
      await store.calls.save({ ...call, flags: [{ ...flag, raisedAt: '2025-03-01T08:00:09.000Z' }] }, 'instance-a');
      const got = await store.calls.get(call.id);
      expect(got?.flags).toStrictEqual([flag]);
      expect(got).toStrictEqual({ ...call, flags: [flag] });
    });

    test('events are appended in order, each once; a snapshot without any leaves the timeline alone', async () => {
      const call = snapshot({ direction: 'outbound', patientReference: 'Patient/123' });
      const started = { at: T0, type: 'started', detail: { questionnaire: 'post-discharge', version: 3, speech: true } };
      const prompt = { at: '2025-03-01T08:00:01.000Z', type: 'prompt', detail: { key: 'item:chest_pain' } };
      const answer = { at: '2025-03-01T08:00:05.123Z', type: 'answer', detail: { item: 'chest_pain', method: 'voice', attempts: 1 } };
      await store.calls.save({ ...call, appendEvents: [started, prompt] }, 'instance-a');
      await store.calls.save({ ...call, answers: { chest_pain: EVERY_ANSWER_TYPE.chest_pain! }, appendEvents: [answer] }, 'instance-a');
      await store.calls.save({ ...call, patientReference: null }, 'instance-a'); // no events; a later save without the reference keeps it
      expect(await store.calls.events(call.id)).toStrictEqual([started, prompt, answer]);
      expect(await store.calls.get(call.id)).toMatchObject({ direction: 'outbound', patientReference: 'Patient/123' });
      expect(await store.calls.events(randomUUID())).toEqual([]);
      expect(await store.calls.events('not-a-uuid')).toEqual([]);
    });

    test('status moves forward; a late in_progress snapshot never reopens an ended call', async () => {
      const call = snapshot({ answers: { fever: EVERY_ANSWER_TYPE.fever! } });
      await store.calls.save(call, 'instance-a');
      const ended = { ...call, status: 'completed' as const, endedAt: '2025-03-01T08:02:00.000Z' };
      await store.calls.save(ended, 'instance-a');
      await store.calls.save(call, 'instance-a');
      expect(await store.calls.get(call.id)).toStrictEqual(ended);
    });

    test('findByProviderCallId returns every attempt with that id, newest first, and only that provider', async () => {
      const providerCallId = `CA${randomUUID().replace(/-/g, '')}`;
      const first = snapshot({ providerCallId, startedAt: '2025-03-01T08:00:00.000Z', status: 'interrupted', endedAt: '2025-03-01T08:00:30.000Z' });
      const second = snapshot({ providerCallId, startedAt: '2025-03-01T09:00:00.000Z', status: 'completed', endedAt: '2025-03-01T09:03:00.000Z' });
      const third = snapshot({ providerCallId, startedAt: '2025-03-01T10:00:00.000Z', answers: { fever: EVERY_ANSWER_TYPE.fever! } });
      const otherProvider = snapshot({ providerCallId, provider: 'maqsam', startedAt: '2025-03-01T11:00:00.000Z' });
      for (const call of [second, third, first, otherProvider]) await store.calls.save(call, 'instance-a');
      expect(await store.calls.findByProviderCallId('twilio', providerCallId)).toStrictEqual([third, second, first]);
      expect(await store.calls.findByProviderCallId('maqsam', providerCallId)).toStrictEqual([otherProvider]);
      expect(await store.calls.findByProviderCallId('twilio', `${providerCallId}-none`)).toStrictEqual([]);
    });

    test('provider ids that a file name would have merged (CAx.1 and CAx/1) stay separate', async () => {
      const dotted = snapshot({ providerCallId: 'CAx.1', answers: { pain_score: EVERY_ANSWER_TYPE.pain_score! } });
      const slashed = snapshot({ providerCallId: 'CAx/1', answers: { fever: EVERY_ANSWER_TYPE.fever! } });
      await store.calls.save(dotted, 'instance-a');
      await store.calls.save(slashed, 'instance-a');
      expect(await store.calls.findByProviderCallId('twilio', 'CAx.1')).toContainEqual(dotted);
      expect(await store.calls.findByProviderCallId('twilio', 'CAx/1')).toContainEqual(slashed);
      expect((await store.calls.findByProviderCallId('twilio', 'CAx.1')).map((c) => c.providerCallId)).not.toContain('CAx/1');
    });

    test('closeInterrupted marks only this instance’s open calls, ended at their heartbeat, answers untouched', async () => {
      const mine = `instance-${randomUUID()}`;
      const other = `instance-${randomUUID()}`;
      const open1 = snapshot({ answers: { fever: EVERY_ANSWER_TYPE.fever! } });
      const open2 = snapshot();
      const done = snapshot({ status: 'completed', endedAt: '2025-03-01T08:05:00.000Z' });
      const othersOpen = snapshot();
      for (const call of [open1, open2, done]) await store.calls.save(call, mine);
      await store.calls.save(othersOpen, other);
      const heartbeat = await store.db.selectFrom('calls').select('heartbeat_at').where('id', '=', open1.id).executeTakeFirstOrThrow();

      expect(await store.calls.closeInterrupted(mine)).toBe(2);
      expect(await store.calls.get(open1.id)).toStrictEqual({ ...open1, status: 'interrupted', endedAt: heartbeat.heartbeat_at.toISOString() });
      expect((await store.calls.get(open2.id))?.status).toBe('interrupted');
      expect(await store.calls.get(done.id)).toStrictEqual(done);
      expect(await store.calls.get(othersOpen.id)).toStrictEqual(othersOpen);
      expect(await store.calls.closeInterrupted(mine)).toBe(0);
    });

    test('closeStale closes the open calls of instances that stopped beating, never its own, answers untouched', async () => {
      const self = `instance-${randomUUID()}`;
      const dead = `instance-${randomUUID()}`;
      const alive = `instance-${randomUUID()}`;
      const deadsCall = snapshot({ answers: { fever: EVERY_ANSWER_TYPE.fever! } });
      const alivesCall = snapshot();
      const ownCall = snapshot();
      await store.calls.save(deadsCall, dead);
      await store.calls.save(alivesCall, alive);
      await store.calls.save(ownCall, self);
      // The dead instance last beat two minutes ago; so, after a store outage, did this one.
      await store.db.updateTable('calls').set({ heartbeat_at: sql<Date>`now() - interval '2 minutes'` }).where('id', 'in', [deadsCall.id, ownCall.id]).execute();
      const heartbeat = await store.db.selectFrom('calls').select('heartbeat_at').where('id', '=', deadsCall.id).executeTakeFirstOrThrow();

      expect(await store.calls.closeStale(60, self)).toBe(1);
      expect(await store.calls.get(deadsCall.id)).toStrictEqual({ ...deadsCall, status: 'interrupted', endedAt: heartbeat.heartbeat_at.toISOString() });
      expect(await store.calls.get(alivesCall.id)).toStrictEqual(alivesCall);
      expect(await store.calls.get(ownCall.id)).toStrictEqual(ownCall);
      expect(await store.calls.closeStale(60, self)).toBe(0);
    });

    test('closeAllInterrupted closes every open call whoever had it (the embedded engine has one owner); ended calls keep theirs', async () => {
      const a = snapshot({ answers: { fever: EVERY_ANSWER_TYPE.fever! } });
      const b = snapshot();
      const done = snapshot({ status: 'completed', endedAt: '2025-03-01T08:05:00.000Z' });
      await store.calls.save(a, `instance-${randomUUID()}`);
      await store.calls.save(b, `instance-${randomUUID()}`);
      await store.calls.save(done, `instance-${randomUUID()}`);
      expect(await store.calls.closeAllInterrupted()).toBeGreaterThanOrEqual(2);
      expect((await store.calls.get(a.id))?.status).toBe('interrupted');
      expect((await store.calls.get(a.id))?.answers).toStrictEqual(a.answers);
      expect((await store.calls.get(b.id))?.status).toBe('interrupted');
      expect(await store.calls.get(done.id)).toStrictEqual(done);
      expect(await store.calls.closeAllInterrupted()).toBe(0);
    });

    test('heartbeat refreshes only this instance’s in-progress calls', async () => {
      const mine = `instance-${randomUUID()}`;
      const open = snapshot();
      const done = snapshot({ status: 'stopped', endedAt: '2025-03-01T08:05:00.000Z' });
      const theirs = snapshot();
      await store.calls.save(open, mine);
      await store.calls.save(done, mine);
      await store.calls.save(theirs, `instance-${randomUUID()}`);
      const beats = async () => {
        const rows = await store.db.selectFrom('calls').select(['id', 'heartbeat_at']).where('id', 'in', [open.id, done.id, theirs.id]).execute();
        return Object.fromEntries(rows.map((r) => [r.id, r.heartbeat_at.getTime()]));
      };
      const before = await beats();
      await new Promise((resolve) => setTimeout(resolve, 20));
      await store.calls.heartbeat(mine);
      const after = await beats();
      expect(after[open.id]).toBeGreaterThan(before[open.id]!);
      expect(after[done.id]).toBe(before[done.id]);
      expect(after[theirs.id]).toBe(before[theirs.id]);
    });

    test('saveQuestionnaire stores a version once; the first definition stays', async () => {
      const id = `q-${randomUUID()}`;
      const definition = { id, version: 2, items: [{ id: 'fever', type: 'boolean', text: 'هل عندك حرارة؟' }] };
      await store.calls.saveQuestionnaire(id, 2, definition);
      await store.calls.saveQuestionnaire(id, 2, { changed: true });
      await store.calls.saveQuestionnaire(id, 3, ['a', 'b']);
      const rows = await store.db.selectFrom('questionnaires').select(['version', 'definition', 'loaded_at']).where('id', '=', id).orderBy('version').execute();
      expect(rows).toStrictEqual([
        { version: 2, definition, loaded_at: expect.any(Date) },
        { version: 3, definition: ['a', 'b'], loaded_at: expect.any(Date) },
      ]);
    });

    test('50 calls saved at once all land, each whole', async () => {
      const instance = `instance-${randomUUID()}`;
      const calls = Array.from({ length: 50 }, (_, i) => snapshot({ providerCallId: `CA-burst-${i}`, answers: EVERY_ANSWER_TYPE }));
      await Promise.all(calls.map((call) => store.calls.save(call, instance)));
      const counted = await store.db
        .selectFrom('answers')
        .innerJoin('calls', 'calls.id', 'answers.call_id')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('calls.instance_id', '=', instance)
        .executeTakeFirstOrThrow();
      expect(counted.n).toBe(50 * Object.keys(EVERY_ANSWER_TYPE).length);
      const read = await Promise.all(calls.map((call) => store.calls.get(call.id)));
      expect(read).toStrictEqual(calls);
    });

    test('quick saves of one growing call, all in flight at once, lose no answer', async () => {
      const call = snapshot();
      const items = Object.keys(EVERY_ANSWER_TYPE);
      // Each snapshot carries one more answer than the last, as a call's saves do.
      const growing = items.map((_, i) => ({ ...call, answers: Object.fromEntries(items.slice(0, i + 1).map((item) => [item, EVERY_ANSWER_TYPE[item]!])) }));
      await Promise.all(growing.map((s) => store.calls.save(s, 'instance-a')));
      expect(await store.calls.get(call.id)).toStrictEqual({ ...call, answers: EVERY_ANSWER_TYPE });
    });

    test('a call whose id is not a UUID is refused and nothing of it is written', async () => {
      const call = snapshot({ id: '../../etc/passwd', answers: { fever: EVERY_ANSWER_TYPE.fever! } });
      await expect(store.calls.save(call, 'instance-a')).rejects.toThrow();
      expect(await store.calls.findByProviderCallId('twilio', call.providerCallId)).toStrictEqual([]);
    });

    test('a save that fails (a bad status) writes nothing of that snapshot', async () => {
      const call = snapshot({ answers: { fever: EVERY_ANSWER_TYPE.fever! } });
      await expect(store.calls.save({ ...call, status: 'lost' as CallSnapshot['status'] }, 'instance-a')).rejects.toThrow();
      expect(await store.calls.get(call.id)).toBeUndefined();
      await store.calls.save(call, 'instance-a');
      expect(await store.calls.get(call.id)).toStrictEqual(call);
    });

    test('instances: the service load is the live, non-draining instances\' limits against their calls in progress', async () => {
      const [a, b, draining, dead] = ['a', 'b', 'draining', 'dead'].map((n) => `instance-${n}-${randomUUID()}`) as [string, string, string, string];
      await store.instances.beat({ id: a, maxCalls: 2, draining: false, version: '1.0.0' });
      await store.instances.beat({ id: b, maxCalls: 3, draining: false, version: '1.0.0' });
      await store.instances.beat({ id: draining, maxCalls: 50, draining: true, version: '1.0.0' });
      await store.instances.beat({ id: dead, maxCalls: 70, draining: false, version: '0.9.0' });
      await store.db.updateTable('instances').set({ heartbeat_at: sql<Date>`now() - interval '2 minutes'` }).where('id', '=', dead).execute();
      // a carries two calls (one ended: not counted), b one; the draining and dead ones' calls count for no one.
      for (const [instance, status] of [[a, 'in_progress'], [a, 'in_progress'], [a, 'completed'], [b, 'in_progress'], [draining, 'in_progress'], [dead, 'in_progress']] as const) {
        await store.calls.save(snapshot(status === 'completed' ? { status, endedAt: '2025-03-01T08:05:00.000Z' } : {}), instance);
      }
      expect(await store.instances.load(60)).toStrictEqual({ instances: 2, capacity: 5, active: 3 });
      expect(await store.instances.load(60, a)).toStrictEqual({ instances: 1, capacity: 3, active: 1 });
      // A refreshed heartbeat brings an instance back; a changed limit is taken at once.
      await store.instances.beat({ id: dead, maxCalls: 4, draining: false, version: '1.0.0' });
      expect(await store.instances.load(60)).toStrictEqual({ instances: 3, capacity: 9, active: 4 });
      const listed = (await store.instances.list(60)).filter((row) => [a, b, draining, dead].includes(row.id));
      expect(listed.map((row) => [row.id, row.maxCalls, row.draining, row.active, row.stale]).sort()).toStrictEqual(
        [
          [a, 2, false, 2, false],
          [b, 3, false, 1, false],
          [draining, 50, true, 1, false],
          [dead, 4, false, 1, false],
        ].sort(),
      );
      // A restart under the same name (its first beat) starts its clock again; a later beat does not.
      const startedOf = async (id: string) => (await store.instances.list(60)).find((row) => row.id === id)?.startedAt.getTime();
      await store.db.updateTable('instances').set({ started_at: sql<Date>`now() - interval '1 hour'` }).where('id', '=', a).execute();
      const hourAgo = await startedOf(a);
      await store.instances.beat({ id: a, maxCalls: 2, draining: false, version: '1.0.0' });
      expect(await startedOf(a)).toBe(hourAgo);
      await store.instances.beat({ id: a, maxCalls: 2, draining: false, version: '1.1.0', started: true });
      expect((await startedOf(a))! - hourAgo!).toBeGreaterThan(3_500_000);
      await store.instances.leave(b);
      expect(await store.instances.load(60)).toStrictEqual({ instances: 2, capacity: 6, active: 3 });
      // A row silent for over a day is forgotten; the others stay.
      await store.db.updateTable('instances').set({ heartbeat_at: sql<Date>`now() - interval '25 hours'` }).where('id', '=', dead).execute();
      expect(await store.instances.forget(86_400)).toBe(1);
      expect((await store.instances.list(60)).map((row) => row.id)).not.toContain(dead);
      expect(await store.instances.load(60)).toStrictEqual({ instances: 1, capacity: 2, active: 2 });
      await store.instances.beat({ id: dead, maxCalls: 4, draining: false, version: '1.0.0' });
      for (const id of [a, draining, dead]) await store.instances.leave(id);
      expect(await store.instances.load(60)).toStrictEqual({ instances: 0, capacity: 0, active: 0 });
    });

    test('a database migrated by a newer version opens (rolling upgrades); one missing a migration this version needs does not', async () => {
      const future = '9999_from_the_future';
      await store.db.insertInto('kysely_migration' as never).values({ name: future, timestamp: new Date().toISOString() } as never).execute();
      await store.close();
      store = await opened.reopen();
      expect(await store.calls.get(randomUUID())).toBeUndefined();
      await expect(migrate(store.db)).resolves.toStrictEqual({ applied: [], newer: [future] });
      const last = Object.keys(MIGRATIONS).sort().at(-1)!;
      const row = await store.db.selectFrom('kysely_migration' as never).selectAll().where('name' as never, '=', last as never).executeTakeFirstOrThrow();
      await store.db.deleteFrom('kysely_migration' as never).where('name' as never, '=', last as never).execute();
      await expect(migrate(store.db)).rejects.toThrow(`the database has migrations this version does not know (${future}) and lacks ones it needs (${last})`);
      // As it was, for the tests after this one.
      await store.db.insertInto('kysely_migration' as never).values(row as never).execute();
      await store.db.deleteFrom('kysely_migration' as never).where('name' as never, '=', future as never).execute();
      await expect(migrate(store.db)).resolves.toStrictEqual({ applied: [], newer: [] });
    });
  });
}
