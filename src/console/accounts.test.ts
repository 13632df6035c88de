import { createLogger } from '../observability/logger';
import type { Store } from '../store';
import { openTemplateStore } from '../store/testing/pglite-template';
import { ConsoleAccounts } from './accounts';

let store: Store;
beforeAll(async () => {
  store = await openTemplateStore({ dataDir: '/nonexistent', logger: createLogger({ level: 'silent' }) });
});
afterAll(async () => {
  await store.close();
});

test('sessions that ended over a day ago are deleted at the next sign-in; live and recently ended ones stay', async () => {
  const accounts = new ConsoleAccounts(store.db);
  const made = await accounts.create({ username: 'reem', displayName: 'Reem', password: 'a long enough password 2', scopes: ['results:read'], createdBy: 'test' });
  if (made === 'taken') throw new Error('taken');
  const row = (hash: string, expiresAt: Date, revokedAt: Date | null = null) => ({ token_hash: hash, user_id: made.id, csrf_token: 'c', expires_at: expiresAt, revoked_at: revokedAt });
  const hours = (h: number) => new Date(Date.now() + h * 3_600_000);
  await store.db
    .insertInto('console_sessions')
    .values([row('expired-long-ago', hours(-30)), row('expired-recently', hours(-2)), row('signed-out-long-ago', hours(5), hours(-48)), row('signed-out-recently', hours(5), hours(-1))])
    .execute();
  const signedIn = await accounts.signIn('reem', 'a long enough password 2');
  expect(signedIn).toBeDefined();
  const left = (await store.db.selectFrom('console_sessions').select('token_hash').where('user_id', '=', made.id).execute()).map((r) => r.token_hash).sort();
  expect(left).toHaveLength(3);
  expect(left).toEqual(expect.arrayContaining(['expired-recently', 'signed-out-recently']));
  expect(left).not.toContain('expired-long-ago');
  expect(left).not.toContain('signed-out-long-ago');
  expect(await accounts.session(signedIn!.token)).toBeDefined();
});
