import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { createLogger } from '../observability/logger';
import { createMetrics } from '../observability/metrics';
import { CallRecorder, type StoreHealth } from './call-recorder';
import type { CallEvent, CallRecord, CallStore } from './call-store';

/** A store whose every write the test settles by hand, in order. */
function manualStore() {
  const writes: Array<{ record: CallRecord; resolve: () => void; reject: (error: Error) => void }> = [];
  const store: CallStore = {
    save: (record) => new Promise<void>((resolve, reject) => writes.push({ record, resolve, reject })),
    findByProviderCallId: async () => [],
  };
  return { store, writes };
}

function record(answers: Record<string, number> = {}, id = randomUUID()): CallRecord {
  return {
    id,
    provider: 'twilio',
    providerCallId: 'CA1',
    questionnaire: 'q',
    questionnaireVersion: 1,
    status: 'in_progress',
    startedAt: '2026-01-01T00:00:00.000Z',
    endedAt: null,
    answers: Object.fromEntries(Object.entries(answers).map(([item, value]) => [item, { value, method: 'dtmf', transcript: null, confidence: 1, attempts: 1, answeredAt: '2026-01-01T00:00:01.000Z' }])),
    flags: [],
  };
}

const event = (type: CallEvent['type']): CallEvent => ({ at: '2026-01-01T00:00:00.000Z', type });
const settle = () => new Promise((resolve) => setImmediate(resolve));

function recorderOn(store: CallStore, retryMs = 20) {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger({
    level: 'debug',
    destination: new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    }),
  });
  const metrics = createMetrics();
  const health: StoreHealth[] = [];
  const recorder = new CallRecorder(store, { metrics, logger, retryMs, maxRetryMs: 80, onHealth: (h) => health.push(h) });
  const errors = async () => (await metrics.storeErrors.get()).values.find((v) => v.labels.operation === 'save')?.value;
  const pending = async () => (await metrics.storePendingCalls.get()).values[0]?.value;
  return { recorder, lines, health, errors, pending };
}

describe('CallRecorder', () => {
  test('one write per call at a time; states queued meanwhile collapse into the newest, and each save resolves on its commit', async () => {
    const { store, writes } = manualStore();
    const { recorder } = recorderOn(store);
    const first = record({});
    const resolved: string[] = [];
    recorder.save(first, [event('started')]).then(() => resolved.push('v1'));
    recorder.save({ ...first, answers: record({ a: 1 }).answers }, [event('answer')]).then(() => resolved.push('v2'));
    recorder.save({ ...first, answers: record({ a: 1, b: 2 }).answers }, [event('answer')]).then(() => resolved.push('v3'));
    await settle();
    expect(writes).toHaveLength(1); // v2 and v3 wait behind v1
    writes[0]!.resolve();
    await settle();
    expect(resolved).toEqual(['v1']);
    expect(writes).toHaveLength(2);
    expect(Object.keys(writes[1]!.record.answers)).toEqual(['a', 'b']); // v3 carries v2's answer too
    expect(writes[1]!.record.appendEvents?.map((e) => e.type)).toEqual(['answer', 'answer']); // both events, once each
    writes[1]!.resolve();
    await settle();
    expect(resolved).toEqual(['v1', 'v2', 'v3']);
    expect(recorder.unsaved).toBe(0);
  });

  test('a failed write is retried with backoff until it lands: nothing lost, events written once, /ready degraded then ok', async () => {
    const { store, writes } = manualStore();
    const { recorder, lines, health, errors, pending } = recorderOn(store);
    const call = record({ a: 1 });
    let committed = false;
    recorder.save(call, [event('started'), event('answer')]).then(() => (committed = true));
    await settle();
    const driverError = Object.assign(new Error('connection terminated'), { code: 'ECONNRESET', detail: 'Failing row contains (ثمانية وثلاثين)' });
    writes[0]!.reject(driverError);
    await settle();
    expect(health.at(-1)).toMatchObject({ status: 'degraded' });
    expect(await errors()).toBe(1);
    expect(await pending()).toBe(1);
    // A newer state arrives while the retry waits: the retry carries it, and the failed events first.
    recorder.save({ ...call, answers: record({ a: 1, b: 2 }).answers }, [event('ended')]);
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(writes).toHaveLength(2);
    expect(Object.keys(writes[1]!.record.answers)).toEqual(['a', 'b']);
    expect(writes[1]!.record.appendEvents?.map((e) => e.type)).toEqual(['started', 'answer', 'ended']);
    writes[1]!.reject(driverError);
    await new Promise((resolve) => setTimeout(resolve, 60)); // second retry: 40 ms later
    expect(writes).toHaveLength(3);
    expect(writes[2]!.record.appendEvents?.map((e) => e.type)).toEqual(['started', 'answer', 'ended']);
    writes[2]!.resolve();
    await settle();
    expect(committed).toBe(true);
    expect(health.at(-1)).toEqual({ status: 'ok' });
    expect(await errors()).toBe(2);
    expect(await pending()).toBe(0);
    // The log names the call and the reason, never the driver's detail (it can quote the row).
    const text = JSON.stringify(lines);
    expect(text).toContain('ECONNRESET: connection terminated');
    expect(text).not.toContain('ثمانية');
    expect(lines.filter((l) => l['level'] === 50 && String(l['msg']).startsWith('call record not written'))).toHaveLength(1);
  });

  test('a failing heartbeat degrades the store with no call writing; its recovery clears it', () => {
    const { store } = manualStore();
    const { recorder, health } = recorderOn(store);
    recorder.reportProbe(new Error('Connection terminated unexpectedly'));
    expect(health.at(-1)).toEqual({ status: 'degraded', reason: 'the database is not answering (Connection terminated unexpectedly)' });
    recorder.reportProbe(null);
    expect(health.at(-1)).toEqual({ status: 'ok' });
    recorder.reportProbe(null);
    expect(health).toHaveLength(2); // no change, no report
  });

  test('flush waits for the writes in flight, brings retries forward, and at the deadline logs each call it could not write', async () => {
    let healthy = false;
    const saved: string[] = [];
    const store: CallStore = {
      save: async (r) => {
        if (!healthy) throw new Error('disk full');
        saved.push(r.id);
      },
      findByProviderCallId: async () => [],
    };
    const { recorder, lines } = recorderOn(store, 60_000); // a retry would wait a minute
    const a = record({ x: 1 });
    recorder.save(a).catch(() => undefined);
    await settle();
    healthy = true;
    expect(await recorder.flush(2000)).toBe(0); // the retry was brought forward
    expect(saved).toEqual([a.id]);

    healthy = false;
    const lost = record({ x: 1, y: 2 });
    const outcome = recorder.save(lost).then(
      () => 'committed',
      () => 'rejected',
    );
    expect(await recorder.flush(150)).toBe(1);
    expect(await outcome).toBe('rejected');
    const loss = lines.find((l) => l['msg'] === 'call record lost at shutdown: the store did not accept it before the deadline');
    expect(loss).toMatchObject({ callId: lost.id, answers: 2 });
    await expect(recorder.save(record())).rejects.toThrow('the recorder has stopped');
  });
});
