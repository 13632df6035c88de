import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger } from '../observability/logger';
import { createDatabaseFolder, PGliteThread } from './pglite-thread';
import { openTemplateStore, templateFile } from './testing/pglite-template';

/** The embedded database in its own thread: the event loop runs while it works; its death is an error, not a hang. */
let template: Blob;
beforeAll(async () => {
  await (await openTemplateStore({ dataDir: '/nonexistent', logger: createLogger({ level: 'silent' }) })).close(); // builds it if needed
  template = new Blob([await readFile(templateFile())]);
}, 60_000);

test('a long query does not hold the event loop: timers keep firing while the database works', async () => {
  const db = new PGliteThread({ loadDataDir: template });
  try {
    await db.waitReady;
    let ticks = 0;
    const timer = setInterval(() => ticks++, 20);
    const { rows } = await db.query<{ n: number }>('select count(*)::int as n from generate_series(1, 3000000)', []);
    clearInterval(timer);
    expect(rows).toEqual([{ n: 3_000_000 }]);
    // Run on this thread, the query would have let no timer fire until it ended.
    expect(ticks).toBeGreaterThanOrEqual(3);
  } finally {
    await db.close();
  }
}, 30_000);

test('errors keep their Postgres code; a dead thread fails what waits and what comes after', async () => {
  const db = new PGliteThread({ loadDataDir: template });
  await db.waitReady;
  await expect(db.query('select * from no_such_table', [])).rejects.toMatchObject({ code: '42P01' });
  const { rows } = await db.query<{ at: Date }>("select timestamptz '2026-01-02T03:04:05Z' as at", []);
  expect(rows[0]?.at).toBeInstanceOf(Date);
  expect(rows[0]?.at.toISOString()).toBe('2026-01-02T03:04:05.000Z');
  const waiting = db.query('select pg_sleep(2)', []);
  await (db as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
  await expect(waiting).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
  await expect(db.query('select 1', [])).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
  expect(db.closed).toBe(true);
  await db.close(); // still safe
}, 30_000);

test('a new folder gets its database from a setup thread that exits; the folder then opens as any other', async () => {
  const folder = path.join(await mkdtemp(path.join(tmpdir(), 'pglite-create-')), 'db');
  try {
    await createDatabaseFolder(folder);
    expect(existsSync(path.join(folder, 'PG_VERSION'))).toBe(true);
    await createDatabaseFolder(folder); // already there: nothing to do
    const db = new PGliteThread({ folder });
    try {
      await db.waitReady;
      expect((await db.query<{ shared_buffers: string }>('show shared_buffers', [])).rows).toEqual([{ shared_buffers: '16MB' }]);
    } finally {
      await db.close();
    }
  } finally {
    await rm(path.dirname(folder), { recursive: true, force: true });
  }
}, 60_000);
