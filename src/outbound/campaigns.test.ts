import { createLogger } from '../observability/logger';
import type { Store } from '../store';
import { openStore } from '../store';
import { openTemplateStore } from '../store/testing/pglite-template';
import { findPostgres, startPostgres } from '../store/testing/postgres';
import { Attempts, type Dialer } from './attempts';
import { CampaignScheduler, Campaigns, campaignSettingsSchema, claimDuePatients, inWindow, settleAttempt } from './campaigns';

const logger = createLogger({ level: 'silent' });
let store: Store;
beforeAll(async () => {
  store = await openTemplateStore({ dataDir: '/nonexistent', logger });
}, 60_000);
afterAll(() => store.close());

/** Sunday 2026-12-06 10:00 in Riyadh (UTC+3): inside the default window. */
const OPEN = new Date('2026-12-06T07:00:00Z');

function fakeDialer(refuse: (to: string) => boolean = () => false) {
  const dialled: string[] = [];
  const dialer: Dialer = {
    async dial({ to }) {
      if (refuse(to)) throw Object.assign(new Error(`The 'To' number ${to} is not a valid phone number.`), { code: 21211 });
      dialled.push(to);
      return { providerCallId: `CA${String(dialled.length).padStart(32, '0')}`, status: 'queued' };
    },
  };
  return { dialer, dialled };
}

const patients = (n: number, prefix = '+96650000') => Array.from({ length: n }, (_, i) => ({ phone: `${prefix}${String(i).padStart(4, '0')}`, reference: `Patient/${i}` }));

async function campaign(n: number, settings: Record<string, unknown> = {}, prefix?: string) {
  return new Campaigns(store.db).create({ name: 'after discharge', questionnaire: 'post-discharge', settings: campaignSettingsSchema.parse(settings), patients: patients(n, prefix), createdBy: 'test' });
}

function scheduler(dialer: Dialer, now = OPEN) {
  return new CampaignScheduler({ db: store.db, attempts: new Attempts(store.db), dialer, baseUrl: 'https://bridge.example', logger, now: () => now, tickMs: 1000 });
}

test('the calling window is read in its own time zone, on its days, without excluded dates', () => {
  const window = campaignSettingsSchema.parse({}).window;
  expect(inWindow(window, OPEN)).toBe(true); // Sunday 10:00 Riyadh
  expect(inWindow(window, new Date('2026-12-06T05:59:00Z'))).toBe(false); // 08:59
  expect(inWindow(window, new Date('2026-12-06T14:00:00Z'))).toBe(false); // 17:00: the end is excluded
  expect(inWindow(window, new Date('2026-12-04T07:00:00Z'))).toBe(false); // a Friday
  expect(inWindow({ ...window, excludedDates: ['2026-12-06'] }, OPEN)).toBe(false);
  expect(inWindow({ ...window, timeZone: 'UTC' }, new Date('2026-12-06T16:30:00Z'))).toBe(true);
});

test('patients are called in order, within the concurrency limit; outcomes retry or give up', async () => {
  const id = await campaign(4, { concurrency: 2, callsPerSecond: 10, maxAttempts: 2 }, '+96651000');
  const { dialer, dialled } = fakeDialer();
  const s = scheduler(dialer);
  expect(await s.tick()).toBe(2);
  expect(dialled).toEqual(['+966510000000', '+966510000001']);
  expect(await s.tick()).toBe(0); // two calls in flight: the limit
  const view = await new Campaigns(store.db).view(id);
  const first = view?.patients[0]?.calls[0]?.attempt as string;
  const second = view?.patients[1]?.calls[0]?.attempt as string;
  await settleAttempt(store.db, first, 'no-answer', null, OPEN);
  await settleAttempt(store.db, second, 'completed', 'machine_end_beep', OPEN);
  expect(await s.tick()).toBe(2); // the retries wait 2 h; the next two patients go
  expect(dialled.slice(2)).toEqual(['+966510000002', '+966510000003']);
  const after = await new Campaigns(store.db).view(id);
  expect(after?.patients.slice(0, 2).map((p) => [p.state, p.lastOutcome, p.attempts])).toEqual([
    ['pending', 'no_answer', 1],
    ['pending', 'voicemail', 1],
  ]);
  // Two hours later the first is tried again; a second no-answer is its last.
  const later = scheduler(dialer, new Date(OPEN.getTime() + 121 * 60_000));
  for (const p of after?.patients.slice(2) ?? []) await settleAttempt(store.db, p.calls[0]?.attempt as string, 'busy', null, OPEN);
  expect(await later.tick()).toBe(2);
  const retried = await new Campaigns(store.db).view(id);
  await settleAttempt(store.db, retried?.patients[0]?.calls[1]?.attempt as string, 'no-answer', null, OPEN);
  expect((await new Campaigns(store.db).view(id))?.patients[0]).toMatchObject({ state: 'gave_up', attempts: 2 });
});

test('outside the window, paused or cancelled: nothing is dialled; listed numbers are skipped', async () => {
  const { dialer, dialled } = fakeDialer();
  const id = await campaign(3, { callsPerSecond: 10 }, '+96652000');
  expect(await scheduler(dialer, new Date('2026-12-06T03:00:00Z')).tick()).toBe(0); // 06:00 in Riyadh
  await new Campaigns(store.db).setStatus(id, 'paused');
  expect(await scheduler(dialer).tick()).toBe(0);
  await store.db.insertInto('do_not_call').values({ phone: '+966520000000', reason: 'opted_out', added_by: 'test' }).execute();
  await new Campaigns(store.db).setStatus(id, 'active');
  expect(await scheduler(dialer).tick()).toBe(2);
  expect(dialled).toEqual(['+966520000001', '+966520000002']);
  expect((await new Campaigns(store.db).view(id))?.patients[0]).toMatchObject({ state: 'do_not_call' });
  await new Campaigns(store.db).setStatus(id, 'cancelled');
  expect((await new Campaigns(store.db).view(id))?.status).toBe('cancelled');
});

test('two schedulers on one database never dial a patient twice; a refused number is retried later', async () => {
  await store.db.updateTable('campaigns').set({ status: 'paused' }).where('status', '=', 'active').execute();
  await campaign(40, { concurrency: 100, callsPerSecond: 30 }, '+96653000');
  const { dialer, dialled } = fakeDialer((to) => to.endsWith('0007'));
  const a = scheduler(dialer);
  const b = scheduler(dialer);
  for (let i = 0; i < 3; i++) await Promise.all([a.tick(), b.tick()]);
  expect(dialled).toHaveLength(39);
  expect(new Set(dialled).size).toBe(39);
  const refused = await store.db.selectFrom('campaign_patients').selectAll().where('phone', '=', '+966530000007').executeTakeFirstOrThrow();
  expect(refused).toMatchObject({ state: 'pending', last_outcome: 'failed', attempts: 1 });
  // Twilio's message quotes the number: the attempt keeps the code and the message, masked.
  const attempt = await store.db.selectFrom('call_attempts').select('error').where('campaign_patient_id', '=', refused.id).executeTakeFirstOrThrow();
  expect(attempt.error).toBe("21211: The 'To' number [number] is not a valid phone number.");
});

test('a claim left by a dead instance is recovered after its lease; a dialled one is never dialled again', async () => {
  await store.db.updateTable('campaigns').set({ status: 'paused' }).where('status', '=', 'active').execute();
  const id = await campaign(2, { callsPerSecond: 10 }, '+96654000');
  // The dead instance: claimed both, stored an attempt for each, dialled only the second.
  const rows = await store.db.selectFrom('campaign_patients').select(['id', 'phone']).where('campaign_id', '=', id).orderBy('position').execute();
  await store.db.updateTable('campaign_patients').set({ state: 'calling', attempts: 1, lease_until: new Date(OPEN.getTime() - 1000) }).where('campaign_id', '=', id).execute();
  const attempts = new Attempts(store.db);
  const neverDialled = await attempts.create({ phone: rows[0]!.phone, questionnaire: 'post-discharge', patientReference: null, custom: {}, createdBy: 'dead', campaignPatientId: rows[0]!.id });
  const dialledOnce = await attempts.create({ phone: rows[1]!.phone, questionnaire: 'post-discharge', patientReference: null, custom: {}, createdBy: 'dead', campaignPatientId: rows[1]!.id });
  await attempts.dialled(dialledOnce, `CA${'9'.repeat(32)}`, 'queued');

  const { dialer, dialled } = fakeDialer();
  expect(await scheduler(dialer).tick()).toBe(1);
  expect(dialled).toEqual([rows[0]!.phone]); // the undialled one, once; the dialled one waits for Twilio
  const view = await new Campaigns(store.db).view(id);
  expect(view?.patients.map((p) => [p.state, p.attempts])).toEqual([
    ['calling', 1],
    ['calling', 1],
  ]);
  expect(view?.patients[0]?.calls.map((c) => [c.attempt === neverDialled, c.status])).toEqual([
    [true, 'abandoned'],
    [false, 'queued'],
  ]);
  expect(await scheduler(dialer).tick()).toBe(0);
});

test('the last patient settled completes the campaign and writes campaign.completed once, for the subscriptions that asked', async () => {
  await store.db.updateTable('campaigns').set({ status: 'paused' }).where('status', '=', 'active').execute();
  const subscribed = await store.webhooks.subscribe({ url: 'https://clinic.example/hooks', events: ['campaign.completed'] });
  expect(subscribed.ok).toBe(true);
  const id = await campaign(2, { callsPerSecond: 10, maxAttempts: 1 }, '+96655000');
  const { dialer } = fakeDialer();
  const s = scheduler(dialer);
  expect(await s.tick()).toBe(2);
  const view = await new Campaigns(store.db).view(id);
  await store.db.updateTable('campaign_patients').set({ state: 'done', last_outcome: 'completed' }).where('id', '=', (await store.db.selectFrom('campaign_patients').select('id').where('campaign_id', '=', id).where('position', '=', 1).executeTakeFirstOrThrow()).id).execute();
  await settleAttempt(store.db, view?.patients[1]?.calls[0]?.attempt as string, 'no-answer', null, OPEN);
  await Promise.all([s.tick(), scheduler(dialer).tick()]); // two instances notice at once
  expect((await new Campaigns(store.db).view(id))?.status).toBe('completed');
  const events = await store.db.selectFrom('webhook_events').select(['type', 'body']).where('type', '=', 'campaign.completed').execute();
  const mine = events.filter((e) => JSON.parse(e.body).data.campaign.id === id);
  expect(mine).toHaveLength(1);
  expect(JSON.parse(mine[0]!.body)).toMatchObject({ type: 'campaign.completed', data: { progress: { done: 1, gave_up: 1 } } });
  const deliveries = await store.db.selectFrom('webhook_deliveries').select('subscription_id').where('event_id', '=', (await store.db.selectFrom('webhook_events').select('id').where('type', '=', 'campaign.completed').orderBy('seq', 'desc').executeTakeFirstOrThrow()).id).execute();
  expect(deliveries.map((d) => d.subscription_id)).toEqual([subscribed.ok ? subscribed.value.id : '']);
});

// PGlite runs one statement at a time, so it cannot show two instances racing for the same
// patients; Postgres can: two stores (two pools, as two instances have) tick at once.
const postgres = findPostgres(process.env.TEST_DATABASE_URL);
if (postgres.available) {
  test('on Postgres, two instances claiming at once take different patients and never dial one twice', async () => {
    const cluster = await startPostgres(postgres);
    const url = await cluster.createDatabase();
    const [a, b] = await Promise.all([openStore({ databaseUrl: url, dataDir: '/nonexistent', logger }), openStore({ databaseUrl: url, dataDir: '/nonexistent', logger })]);
    try {
      await new Campaigns(a!.db).create({ name: 'race', questionnaire: 'post-discharge', settings: campaignSettingsSchema.parse({ concurrency: 100, callsPerSecond: 30 }), patients: patients(60, '+96656000'), createdBy: 'test' });
      const { dialer, dialled } = fakeDialer();
      const on = (s: Store) => new CampaignScheduler({ db: s.db, attempts: new Attempts(s.db), dialer, baseUrl: 'https://bridge.example', logger, now: () => OPEN, tickMs: 1000 });
      // Deterministic overlap: instance A claims inside an open transaction; B claims meanwhile.
      const id = (await a!.db.selectFrom('campaigns').select('id').where('name', '=', 'race').executeTakeFirstOrThrow()).id;
      let claimedByB: Promise<Array<{ id: string }>> | undefined;
      const claimedByA = await a!.db.transaction().execute(async (trx) => {
        const rows = await claimDuePatients(trx, id, OPEN, 30);
        claimedByB = claimDuePatients(b!.db, id, OPEN, 30);
        await new Promise((resolve) => setTimeout(resolve, 300)); // B runs while A's claim is uncommitted
        return rows;
      });
      const fromB = await claimedByB!;
      expect(claimedByA).toHaveLength(30);
      expect(fromB).toHaveLength(30); // not blocked behind A: it took the next 30
      expect(new Set([...claimedByA, ...fromB].map((r) => r.id)).size).toBe(60);
      // And whole ticks, four at once, dial every remaining patient exactly once.
      await a!.db.updateTable('campaign_patients').set({ state: 'pending', attempts: 0 }).execute();
      for (let i = 0; i < 3; i++) await Promise.all([on(a!).tick(), on(b!).tick(), on(a!).tick(), on(b!).tick()]);
      expect(dialled).toHaveLength(60);
      expect(new Set(dialled).size).toBe(60);
      const attempts = await a!.db.selectFrom('call_attempts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Number(attempts.n)).toBe(60);
    } finally {
      await Promise.all([a?.close(), b?.close()]);
      await cluster.stop();
    }
  }, 120_000);
} else {
  // Skipped only where no Postgres can be had (.ci/run installs postgresql, so CI runs it).
  test.skip(`two instances racing on Postgres (${postgres.reason})`, () => undefined);
}
