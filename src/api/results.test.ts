import path from 'node:path';
import { createLogger } from '../observability/logger';
import { loadQuestionnaireFile } from '../questionnaire/load';
import type { Store } from '../store';
import { jsonb } from '../store/schema';
import { openTemplateStore } from '../store/testing/pglite-template';
import { listLiveCalls } from './results';

let store: Store;
beforeAll(async () => {
  store = await openTemplateStore({ dataDir: '/nonexistent', logger: createLogger({ level: 'silent' }) });
  const { definition } = loadQuestionnaireFile(path.resolve(__dirname, '../../questionnaires/pre-visit-screening.yaml'));
  await store.db.insertInto('questionnaires').values({ id: definition.id, version: definition.version, definition: jsonb(definition) }).execute();
}, 60_000);
afterAll(() => store.close());

test('a live call is on the first question its answers leave to ask: a question its branch skips is never current', async () => {
  const call = async (id: string, answers: Record<string, unknown>) => {
    await store.db
      .insertInto('calls')
      .values({ id, provider: 'twilio', provider_call_id: `CA-${id.slice(-4)}`, questionnaire_id: 'pre-visit-screening', questionnaire_version: 1, patient_reference: null, status: 'in_progress', transferred_to: null, started_at: new Date(), ended_at: null, instance_id: 'a' })
      .execute();
    for (const [item, value] of Object.entries(answers)) {
      await store.db.insertInto('answers').values({ call_id: id, item, value: jsonb(value), method: 'dtmf', transcript: null, confidence: 1, attempts: 1, confirmed: null, answered_at: new Date() }).execute();
    }
  };
  await call('00000000-0000-4000-8000-00000000a001', {});
  await call('00000000-0000-4000-8000-00000000a002', { fever: false }); // fever_days is asked only after a yes
  await call('00000000-0000-4000-8000-00000000a003', { fever: true });
  const live = await listLiveCalls(store.db);
  expect(live.map((c) => [c.id.slice(-4), c.currentItem?.id, c.answered])).toEqual([
    ['a001', 'fever', 0],
    ['a002', 'cough', 1],
    ['a003', 'fever_days', 1],
  ]);
  // A call whose instance stopped beating is not live.
  await store.db.updateTable('calls').set({ heartbeat_at: new Date(Date.now() - 120_000) }).where('id', '=', '00000000-0000-4000-8000-00000000a003').execute();
  expect((await listLiveCalls(store.db)).map((c) => c.id.slice(-4))).toEqual(['a001', 'a002']);
});
