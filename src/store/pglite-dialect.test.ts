import { PGlite } from '@electric-sql/pglite';
import { Kysely, sql } from 'kysely';
import { PGliteDialect, Queue } from './pglite-dialect';

interface Db {
  notes: { text: string };
}

describe('Queue', () => {
  test('holders run one at a time, in the order they asked', async () => {
    const queue = new Queue();
    const order: string[] = [];
    const hold = async (name: string, ms: number) => {
      const release = await queue.acquire();
      order.push(`${name}+`);
      await new Promise((resolve) => setTimeout(resolve, ms));
      order.push(`${name}-`);
      release();
    };
    await Promise.all([hold('a', 20), hold('b', 1), hold('c', 5)]);
    expect(order).toEqual(['a+', 'a-', 'b+', 'b-', 'c+', 'c-']);
  });
});

describe('PGliteDialect', () => {
  let db: Kysely<Db>;

  beforeAll(async () => {
    db = new Kysely<Db>({ dialect: new PGliteDialect(new PGlite()) });
    await db.schema.createTable('notes').addColumn('text', 'text').execute();
  }, 60_000);

  afterAll(async () => {
    await db.destroy();
  });

  beforeEach(async () => {
    await db.deleteFrom('notes').execute();
  });

  test('a query from elsewhere waits for an open transaction instead of joining it', async () => {
    const failing = db.transaction().execute(async (trx) => {
      await trx.insertInto('notes').values({ text: 'rolled back' }).execute();
      await new Promise((resolve) => setTimeout(resolve, 50));
      throw new Error('abandon');
    });
    await new Promise((resolve) => setTimeout(resolve, 10)); // the transaction is open now
    const outside = db.insertInto('notes').values({ text: 'kept' }).execute();
    await expect(failing).rejects.toThrow('abandon');
    await outside;
    expect(await db.selectFrom('notes').select('text').execute()).toEqual([{ text: 'kept' }]);
  });

  test('two transactions at once do not interleave', async () => {
    const write = (name: string) =>
      db.transaction().execute(async (trx) => {
        await trx.insertInto('notes').values({ text: `${name}1` }).execute();
        await new Promise((resolve) => setTimeout(resolve, 5));
        const { rows } = await sql<{ n: number }>`select count(*)::int as n from notes`.execute(trx);
        await trx.insertInto('notes').values({ text: `${name}2` }).execute();
        return rows[0]?.n;
      });
    const seen = await Promise.all([write('a'), write('b')]);
    expect(seen).toEqual([1, 3]); // b started after a committed both rows
  });

  test('a commit after a failed statement (error caught inside) reports the rollback', async () => {
    const attempt = db.transaction().execute(async (trx) => {
      await trx.insertInto('notes').values({ text: 'lost' }).execute();
      await sql`select 1/0`.execute(trx).catch(() => undefined);
    });
    await expect(attempt).rejects.toThrow('rolled back');
    expect(await db.selectFrom('notes').selectAll().execute()).toEqual([]);
  });

  test('savepoints work, and the numbers of rows changed are reported', async () => {
    const trx = await db.startTransaction().execute();
    await trx.insertInto('notes').values({ text: 'kept' }).execute();
    const inner = await trx.savepoint('inner').execute();
    await inner.insertInto('notes').values({ text: 'undone' }).execute();
    await inner.rollbackToSavepoint('inner').execute();
    await trx.commit().execute();
    expect(await db.selectFrom('notes').select('text').execute()).toEqual([{ text: 'kept' }]);
    const updated = await db.updateTable('notes').set({ text: 'changed' }).executeTakeFirst();
    expect(updated.numUpdatedRows).toBe(1n);
  });
});
