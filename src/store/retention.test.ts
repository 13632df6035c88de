import { Writable } from 'node:stream';
import type { Kysely } from 'kysely';
import { createLogger } from '../observability/logger';
import { scheduleRetention } from './retention';
import type { Database } from './schema';

/** The schedule's failure path, with a database that refuses everything (the rows are tested on both engines). */
test('a failing run is logged as an error, never thrown, and the next run still comes', async () => {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  let attempts = 0;
  const db = {
    transaction: () => {
      attempts++;
      throw new Error('connection refused');
    },
  } as unknown as Kysely<Database>;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  const stop = scheduleRetention({ db, engine: 'postgres' }, { dataRetentionDays: 365 }, createLogger({ level: 'info', destination }), { firstRunMs: 1, everyMs: 20 });
  try {
    const deadline = Date.now() + 5000;
    while (attempts < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  } finally {
    stop();
    process.off('unhandledRejection', onUnhandled);
  }
  expect(attempts).toBeGreaterThanOrEqual(3);
  const failures = lines.filter((l) => l['msg'] === 'retention run failed: nothing was half removed; it runs again at the next interval');
  expect(failures.length).toBeGreaterThanOrEqual(2);
  expect(failures[0]).toMatchObject({ level: 50, component: 'retention', olderThanDays: 365, err: { message: 'connection refused' } });
  expect(unhandled).toEqual([]);
  const after = attempts;
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(attempts).toBe(after); // stopped: no more runs
});
