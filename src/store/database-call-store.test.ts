import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { CallRecord } from '../call/call-store';
import { createLogger } from '../observability/logger';
import { DatabaseCallStore } from './database-call-store';
import { MIGRATIONS } from './migrations';
import type { Store } from './store';
import { openTemplateStore } from './testing/pglite-template';

const logger = createLogger({ level: 'silent' });

function record(providerCallId: string, overrides: Partial<CallRecord> = {}): CallRecord {
  return {
    id: randomUUID(),
    provider: 'twilio',
    providerCallId,
    direction: 'inbound',
    patientReference: null,
    questionnaire: 'q',
    questionnaireVersion: 1,
    status: 'in_progress',
    startedAt: '2026-01-01T00:00:00.000Z',
    endedAt: null,
    answers: { q0: { value: 0, method: 'dtmf', transcript: null, confidence: 1, attempts: 1, answeredAt: '2026-01-01T00:00:01.000Z' } },
    flags: [],
    ...overrides,
  };
}

describe('database call store (an in-memory copy of the test template)', () => {
  let database: Store;
  beforeAll(async () => {
    database = await openTemplateStore({ dataDir: os.tmpdir(), logger });
  }, 120_000);
  afterAll(() => database?.close());

  test('a saved record reads back whole by its provider id, tagged with the instance that carried it', async () => {
    const calls = new DatabaseCallStore(database.calls, 'instance-test');
    const saved = record(`CA${randomUUID()}`, { flags: [{ item: 'q0', action: 'flag', value: 0, raisedAt: '2026-01-01T00:00:01.500Z' }] });
    await calls.save(saved);
    expect(await calls.findByProviderCallId('twilio', saved.providerCallId)).toStrictEqual([saved]);
    const row = await database.db.selectFrom('calls').select('instance_id').where('id', '=', saved.id).executeTakeFirstOrThrow();
    expect(row.instance_id).toBe('instance-test');
  });

  test('two stores opened from the template are separate, already migrated databases', async () => {
    const other = await openTemplateStore({ dataDir: os.tmpdir(), logger });
    try {
      const migrations = await other.db.selectFrom('kysely_migration' as never).select('name' as never).orderBy('name' as never).execute();
      expect(migrations).toEqual(Object.keys(MIGRATIONS).map((name) => ({ name }))); // every one, however many there are
      await database.calls.save(record('CA-only-in-one'), 'instance-test');
      expect(await other.calls.findByProviderCallId('twilio', 'CA-only-in-one')).toEqual([]);
    } finally {
      await other.close();
    }
  }, 60_000);
});
