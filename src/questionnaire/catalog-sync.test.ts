import { Writable } from 'node:stream';
import { shipped } from '../../test/helpers/questionnaires';
import { createLogger } from '../observability/logger';
import { QuestionnaireCatalog } from './catalog';
import { catalogSync } from './catalog-sync';

function setup(stored: Array<{ id: string; version: number; definition: unknown }>) {
  const current = shipped('post-discharge');
  const catalog = new QuestionnaireCatalog([{ definition: current, file: 'post-discharge.yaml' }]);
  const warmed: string[][] = [];
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger({
    level: 'info',
    destination: new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    }),
  });
  const sync = catalogSync(
    {
      latest: async () => stored.map(({ id, version }) => ({ id, version })),
      definition: async (id, version) => stored.find((s) => s.id === id && s.version === version)?.definition,
    },
    {
      catalog,
      warm: async (texts) => {
        // Live only after its prompts are rendered: not yet active while warming.
        expect(catalog.get('post-discharge')?.definition.version).toBe(current.version);
        warmed.push(texts);
      },
      questionnairesDir: '/q',
      logger,
    },
  );
  return { sync, catalog, warmed, lines, current };
}

test('a newer version stored by another instance goes live here after its prompts are rendered; the same version is left alone', async () => {
  const current = shipped('post-discharge');
  const newer = { ...current, version: current.version + 1, prompts: { ...current.prompts, greeting: 'نسخة أحدث' } };
  const { sync, catalog, warmed, lines } = setup([{ id: 'post-discharge', version: newer.version, definition: newer }]);
  expect(await sync()).toEqual([`post-discharge|${newer.version}`]);
  expect(catalog.get('post-discharge')?.definition.version).toBe(newer.version);
  expect(catalog.get('post-discharge')?.definition.prompts.greeting).toBe('نسخة أحدث');
  expect(warmed).toHaveLength(1);
  expect(warmed[0]).toContain('نسخة أحدث');
  expect(lines.filter((l) => l['msg'] === 'questionnaire version stored by another instance is live here for new calls')).toHaveLength(1);
  expect(await sync()).toEqual([]);
  expect(warmed).toHaveLength(1);
});

test('a new questionnaire id is added; an older stored version does not replace the live one', async () => {
  const current = shipped('post-discharge');
  const other = shipped('pre-visit-screening');
  const { sync, catalog } = setup([
    { id: 'post-discharge', version: current.version - 1, definition: { ...current, version: current.version - 1 } },
    { id: 'pre-visit-screening', version: other.version, definition: other },
  ]);
  expect(await sync()).toEqual([`pre-visit-screening|${other.version}`]);
  expect(catalog.ids.has('pre-visit-screening')).toBe(true);
  expect(catalog.get('post-discharge')?.definition.version).toBe(current.version);
});

test('a stored version that does not validate is reported once and skipped; the live one stays', async () => {
  const current = shipped('post-discharge');
  const { sync, catalog, lines, warmed } = setup([{ id: 'post-discharge', version: current.version + 5, definition: { id: 'post-discharge', items: 'not a list' } }]);
  expect(await sync()).toEqual([]);
  expect(await sync()).toEqual([]);
  expect(catalog.get('post-discharge')?.definition.version).toBe(current.version);
  expect(warmed).toEqual([]);
  expect(lines.filter((l) => l['msg'] === 'stored questionnaire version does not validate here; keeping the previous one')).toHaveLength(1);
});

test('a newer version made live here while the synced one renders its prompts is not replaced by the older one', async () => {
  const current = shipped('post-discharge');
  const v2 = { ...current, version: current.version + 1 };
  const v3 = { ...current, version: current.version + 2 };
  const catalog = new QuestionnaireCatalog([{ definition: current, file: 'post-discharge.yaml' }]);
  const sync = catalogSync(
    { latest: async () => [{ id: 'post-discharge', version: v2.version }], definition: async () => v2 },
    {
      catalog,
      // An upload of v3 through this instance goes live while v2's prompts render.
      warm: async () => catalog.activate({ definition: v3, file: 'post-discharge.uploaded.json' }),
      questionnairesDir: '/q',
      logger: createLogger({ level: 'silent' }),
    },
  );
  expect(await sync()).toEqual([]);
  expect(catalog.get('post-discharge')?.definition.version).toBe(v3.version);
});
