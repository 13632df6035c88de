import { sql } from 'kysely';
import type { StoredAnswer } from '../calls';
import type { Store } from '../store';
import { CONFIG_SUBSCRIPTION_ID } from '../webhooks';
import { snapshot } from './calls-contract';

/** The outbox and the webhook repositories, the same on every engine. `open` gives a new, empty, migrated store. */
export function describeWebhooksContract(engine: 'pglite' | 'postgres', open: () => Promise<Store>): void {
  describe(`webhooks contract on ${engine}`, () => {
    let store: Store;
    let subscriptionId: string;

    beforeAll(async () => {
      store = await open();
      const subscribed = await store.webhooks.subscribe({ url: 'https://clinic.example/hooks', events: ['call.flagged', 'call.ended', 'call.transferred'] });
      if (!subscribed.ok) throw subscribed.error;
      subscriptionId = subscribed.value.id;
      expect(subscribed.value.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    }, 120_000);

    afterAll(async () => {
      await store?.close();
    });

    const eventsOf = (callId: string) =>
      store.db.selectFrom('webhook_events').select(['id', 'type', 'body', 'seq']).where('call_id', '=', callId).orderBy('seq').execute();
    const deliveriesOf = (callId: string) =>
      store.db.selectFrom('webhook_deliveries').select(['event_id', 'subscription_id', 'status', 'event_seq']).where('call_id', '=', callId).orderBy('event_seq').execute();

    const chestPain: StoredAnswer = { value: true, method: 'dtmf', transcript: null, confidence: 1, attempts: 1, answeredAt: '2025-03-01T08:00:05.000Z' };
    const flag = { item: 'chest_pain', action: 'emergency' as const, value: true, raisedAt: '2025-03-01T08:00:05.100Z' };

    test('a new flag writes one call.flagged event, with a delivery per subscription; saving again repeats neither', async () => {
      const call = snapshot({ answers: { chest_pain: chestPain }, flags: [flag] });
      await store.calls.save(call, 'a');
      await store.calls.save(call, 'a');
      await store.calls.save({ ...call, answers: { ...call.answers, fever: { ...chestPain, value: false } } }, 'a');
      const events = await eventsOf(call.id);
      expect(events.map((e) => e.type)).toEqual(['call.flagged']);
      expect(events[0]?.id).toMatch(/^msg_[0-9a-f]{32}$/);
      expect(JSON.parse(events[0]!.body)).toEqual({
        type: 'call.flagged',
        timestamp: flag.raisedAt,
        data: {
          call: {
            id: call.id,
            provider: 'twilio',
            providerCallId: call.providerCallId,
            direction: 'inbound',
            patientReference: null,
            questionnaire: { id: 'post-discharge', version: 3 },
            status: 'in_progress',
            startedAt: call.startedAt,
            endedAt: null,
          },
          flag,
        },
      });
      expect(await deliveriesOf(call.id)).toEqual([{ event_id: events[0]!.id, subscription_id: subscriptionId, status: 'pending', event_seq: events[0]!.seq }]);
    });

    test('a save that fails writes neither the flag nor its event', async () => {
      const call = snapshot({ answers: { chest_pain: chestPain }, flags: [flag] });
      // An answer method the schema refuses: the whole save is rolled back.
      const broken = { ...call, answers: { chest_pain: { ...chestPain, method: 'telepathy' as 'dtmf' } } };
      await expect(store.calls.save(broken, 'a')).rejects.toThrow();
      expect(await eventsOf(call.id)).toEqual([]);
      expect(await store.db.selectFrom('flags').select('id').where('call_id', '=', call.id).execute()).toEqual([]);
      // The retried save (as the recorder does) writes both.
      await store.calls.save(call, 'a');
      expect((await eventsOf(call.id)).map((e) => e.type)).toEqual(['call.flagged']);
    });

    test('call.transferred and call.ended once each, after the flags, in commit order', async () => {
      const call = snapshot({ answers: { chest_pain: chestPain }, flags: [flag] });
      await store.calls.save(call, 'a');
      const ended = { ...call, status: 'transferred' as const, transferredTo: '+966500000000', endedAt: '2025-03-01T08:01:00.000Z' };
      await store.calls.save(ended, 'a');
      await store.calls.save(ended, 'a');
      // A late in_progress snapshot neither reopens the call nor raises anything.
      await store.calls.save(call, 'a');
      const events = await eventsOf(call.id);
      expect(events.map((e) => e.type)).toEqual(['call.flagged', 'call.transferred', 'call.ended']);
      const body = JSON.parse(events[2]!.body) as { timestamp: string; data: { call: { status: string }; answers: Record<string, unknown>; flags: unknown[] } };
      expect(body.timestamp).toBe(ended.endedAt);
      expect(body.data.call.status).toBe('transferred');
      expect(body.data.answers).toEqual({ chest_pain: chestPain });
      expect(body.data.flags).toEqual([flag]);
      expect((await deliveriesOf(call.id)).map((d) => d.event_seq)).toEqual(events.map((e) => e.seq));
    });

    test('events are only fanned out to subscriptions that asked for them', async () => {
      const only = await store.webhooks.subscribe({ url: 'https://other.example/x', events: ['call.ended'] });
      if (!only.ok) throw only.error;
      const call = snapshot({ status: 'completed', endedAt: '2025-03-01T08:02:00.000Z', answers: { chest_pain: chestPain }, flags: [flag] });
      await store.calls.save(call, 'a');
      const rows = await store.db
        .selectFrom('webhook_deliveries as d')
        .innerJoin('webhook_events as e', 'e.id', 'd.event_id')
        .select(['e.type', 'd.subscription_id'])
        .where('d.call_id', '=', call.id)
        .orderBy('d.event_seq')
        .orderBy('d.subscription_id')
        .execute();
      expect(rows).toHaveLength(3);
      expect(rows[0]).toEqual({ type: 'call.flagged', subscription_id: subscriptionId });
      expect(rows.slice(1)).toEqual(
        expect.arrayContaining([
          { type: 'call.ended', subscription_id: subscriptionId },
          { type: 'call.ended', subscription_id: only.value.id },
        ]),
      );
      expect((await store.webhooks.remove(only.value.id)).ok).toBe(true);
      expect((await store.webhooks.list()).map((s) => s.id)).toEqual([subscriptionId]);
    });

    test('claims keep one call in order, lease what they take, and settle', async () => {
      await sql`update webhook_deliveries set status = 'delivered'`.execute(store.db);
      const first = snapshot({ answers: { chest_pain: chestPain }, flags: [flag] });
      const second = snapshot({ answers: { chest_pain: chestPain }, flags: [flag] });
      await store.calls.save(first, 'a');
      await store.calls.save(second, 'a');
      await store.calls.save({ ...first, status: 'escalated', endedAt: '2025-03-01T08:03:00.000Z' }, 'a');
      const claimed = await store.webhookQueue.claim('one', 10, 60_000);
      // Each call's first event; the first call's call.ended waits behind its call.flagged.
      expect(claimed.map((c) => c.eventType)).toEqual(['call.flagged', 'call.flagged']);
      expect(claimed.every((c) => c.attempt === 1 && c.url === 'https://clinic.example/hooks' && c.secret.startsWith('whsec_'))).toBe(true);
      expect(await store.webhookQueue.claim('two', 10, 60_000)).toEqual([]);
      expect(await store.webhookQueue.oldestPendingAgeSeconds()).toBeGreaterThanOrEqual(0);
      const firstFlag = claimed.find((c) => JSON.parse(c.body).data.call.id === first.id)!;
      expect(await store.webhookQueue.settle(firstFlag.id, 'two', { outcome: 'delivered', status: 200 })).toBe(false);
      expect(await store.webhookQueue.settle(firstFlag.id, 'one', { outcome: 'delivered', status: 204 })).toBe(true);
      const next = await store.webhookQueue.claim('two', 10, 60_000);
      expect(next.map((c) => c.eventType)).toEqual(['call.ended']);
      // A retry is not due before its time; a lapsed lease is claimable again with the same webhook-id.
      await store.webhookQueue.settle(next[0]!.id, 'two', { outcome: 'retry', nextAttemptAt: new Date(Date.now() + 60_000), status: 500, error: 'HTTP 500' });
      expect(await store.webhookQueue.claim('one', 10, 60_000)).toEqual([]);
      const secondFlag = claimed.find((c) => c !== firstFlag)!;
      await sql`update webhook_deliveries set lease_until = now() - interval '1 second' where id = ${secondFlag.id}`.execute(store.db);
      const again = await store.webhookQueue.claim('three', 10, 60_000);
      expect(again.map((c) => [c.eventId, c.attempt])).toEqual([[secondFlag.eventId, 2]]);
    });

    test('deliveries page newest first; replay makes one pending again with a fresh 24 h', async () => {
      const page = await store.webhooks.deliveries({ limit: 2 });
      if (!page.ok) throw page.error;
      expect(page.value.deliveries).toHaveLength(2);
      expect(page.value.deliveries[0]!.id).toBeGreaterThan(page.value.deliveries[1]!.id);
      const rest = await store.webhooks.deliveries({ limit: 100, cursor: page.value.nextCursor! });
      if (!rest.ok) throw rest.error;
      expect(rest.value.deliveries.every((d) => d.id < page.value.deliveries[1]!.id)).toBe(true);
      const delivered = await store.webhooks.deliveries({ status: 'delivered', limit: 1 });
      if (!delivered.ok) throw delivered.error;
      const target = delivered.value.deliveries[0]!;
      const replayed = await store.webhooks.replay(String(target.id));
      expect(replayed.ok && replayed.value).toMatchObject({ id: target.id, eventId: target.eventId, status: 'pending' });
      expect((await store.webhooks.replay('999999999')).ok).toBe(false);
      expect(await store.webhooks.deliveries({ limit: 0 })).toMatchObject({ ok: false, error: { code: 'WEBHOOK_QUERY_INVALID', httpStatus: 400 } });
    });

    test('subscriptions: URLs and events are checked; the config subscription follows the environment', async () => {
      expect(await store.webhooks.subscribe({ url: 'http://clinic.example/x', events: ['call.ended'] })).toMatchObject({ ok: false, error: { code: 'WEBHOOK_URL_INVALID' } });
      expect(await store.webhooks.subscribe({ url: 'ftp://clinic.example/x', events: ['call.ended'] })).toMatchObject({ ok: false, error: { httpStatus: 400 } });
      expect(await store.webhooks.subscribe({ url: 'https://clinic.example/x', events: [] })).toMatchObject({ ok: false, error: { code: 'WEBHOOK_EVENTS_INVALID' } });
      expect(await store.webhooks.subscribe({ url: 'https://clinic.example/x', events: ['call.exploded'] })).toMatchObject({ ok: false, error: { code: 'WEBHOOK_EVENTS_INVALID' } });
      expect(await store.webhooks.remove('00000000-0000-4000-8000-000000000000')).toMatchObject({ ok: false, error: { code: 'WEBHOOK_NOT_FOUND', httpStatus: 404 } });
      expect(await store.webhooks.remove('not-a-uuid')).toMatchObject({ ok: false, error: { code: 'WEBHOOK_NOT_FOUND' } });

      const secret = `whsec_${Buffer.alloc(24, 7).toString('base64')}`;
      await store.webhooks.applyConfigSubscription({ url: 'https://a.example/', secret, events: ['call.flagged'] });
      await store.webhooks.applyConfigSubscription({ url: 'https://b.example/', secret, events: ['call.flagged', 'call.ended'] });
      const listed = (await store.webhooks.list()).find((s) => s.id === CONFIG_SUBSCRIPTION_ID);
      expect(listed).toMatchObject({ url: 'https://b.example/', events: ['call.flagged', 'call.ended'], source: 'config' });
      expect(await store.webhooks.remove(CONFIG_SUBSCRIPTION_ID)).toMatchObject({ ok: false, error: { code: 'WEBHOOK_MANAGED_BY_CONFIG', httpStatus: 409 } });
      await store.webhooks.applyConfigSubscription(undefined);
      expect((await store.webhooks.list()).some((s) => s.id === CONFIG_SUBSCRIPTION_ID)).toBe(false);
    });
  });
}
