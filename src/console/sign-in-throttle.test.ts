import { createLogger } from '../observability/logger';
import type { Store } from '../store';
import { openTemplateStore } from '../store/testing/pglite-template';
import { SignInThrottle } from './sign-in-throttle';

let store: Store;
beforeEach(async () => {
  store = await openTemplateStore({ dataDir: '/nonexistent', logger: createLogger({ level: 'silent' }) });
});
afterEach(async () => {
  await store.close();
});

const limits = { perName: 3, perAddress: 5, windowSeconds: 900 };

test('a name is refused after its limit, with the wait until its oldest attempt leaves the window; other names from the address go on to the address limit', async () => {
  const throttle = new SignInThrottle(store.db, limits);
  for (let i = 0; i < 3; i++) expect((await throttle.take('10.0.0.1', 'huda')).ok).toBe(true);
  const refused = await throttle.take('10.0.0.1', 'huda');
  expect(refused).toEqual({ ok: false, retryAfterSeconds: expect.any(Number) });
  expect((refused as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(890);
  expect((await throttle.take('10.0.0.1', 'sara')).ok).toBe(true);
  expect((await throttle.take('10.0.0.1', 'mona')).ok).toBe(true);
  // Five counted from the address: the sixth, whatever the name, waits.
  expect((await throttle.take('10.0.0.1', 'layla')).ok).toBe(false);
  expect((await throttle.take('10.0.0.2', 'huda')).ok).toBe(true);
});

test('a success takes back the name\'s count and its own mark on the address', async () => {
  const throttle = new SignInThrottle(store.db, limits);
  await throttle.take('10.0.0.1', 'huda');
  await throttle.take('10.0.0.1', 'huda');
  const right = await throttle.take('10.0.0.1', 'huda');
  expect(right.ok).toBe(true);
  await throttle.succeeded('10.0.0.1', 'huda', right.ok ? right.taken : []);
  const left = await store.db.selectFrom('sign_in_attempts').select('key').execute();
  expect(left.map((r) => r.key).sort()).toEqual(['10.0.0.1', '10.0.0.1']);
  for (let i = 0; i < 3; i++) expect((await throttle.take('10.0.0.1', 'huda')).ok).toBe(true);
});

test('once refused, a flood from the address is refused without touching the database', async () => {
  const throttle = new SignInThrottle(store.db, limits);
  for (let i = 0; i < 5; i++) await throttle.take('10.0.0.9', `name${i}`);
  expect((await throttle.take('10.0.0.9', 'another')).ok).toBe(false);
  const rows = await store.db.selectFrom('sign_in_attempts').select('id').execute();
  await store.close();
  // The database is gone: the refusal still comes, from memory.
  for (let i = 0; i < 50; i++) expect((await throttle.take('10.0.0.9', `flood${i}`)).ok).toBe(false);
  expect(rows).toHaveLength(10);
  store = await openTemplateStore({ dataDir: '/nonexistent', logger: createLogger({ level: 'silent' }) });
});
