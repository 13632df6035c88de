import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { createLogger } from '../observability/logger';
import { type Store, openStore } from '../store';
import type { Database } from '../store/schema';
import { openTemplateStore } from '../store/testing/pglite-template';
import { findPostgres, startPostgres } from '../store/testing/postgres';
import { Attempts, type Dialer } from './attempts';
import { CampaignScheduler, Campaigns, campaignSettingsSchema } from './campaigns';

/**
 * The concurrency and calls-per-second limits are a campaign's, not an instance's: two
 * schedulers on one database (two instances) together stay within them, and a rate under one
 * call a second is kept. The schedulers' clock is injected and moved by hand, so the run is
 * deterministic and takes no real time.
 */
const logger = createLogger({ level: 'silent' });
/** Sunday 2026-12-06 10:00 in Riyadh: inside the default window. */
const OPEN = new Date('2026-12-06T07:00:00Z');

function clockedDialer(clock: () => Date) {
  const dialled: Array<{ to: string; at: number }> = [];
  const dialer: Dialer = {
    async dial({ to }) {
      dialled.push({ to, at: clock().getTime() });
      return { providerCallId: `CA${randomUUID().replaceAll('-', '')}`, status: 'queued' };
    },
    fetch: async () => undefined,
    findPlaced: async () => [],
  };
  return { dialer, dialled };
}

async function campaign(db: Kysely<Database>, n: number, settings: Record<string, unknown>, prefix: string) {
  const patients = Array.from({ length: n }, (_, i) => ({ phone: `${prefix}${String(i).padStart(4, '0')}`, reference: `Patient/${i}` }));
  return new Campaigns(db).create({ name: 'limits', questionnaire: 'post-discharge', settings: campaignSettingsSchema.parse(settings), patients, createdBy: 'test' });
}

/** The two limits, with instance A on `a` and instance B on `b` (one database either way). */
function limitsContract(instances: () => [Kysely<Database>, Kysely<Database>]) {
  let now = OPEN;
  const clock = () => now;
  const schedulers = (dialer: Dialer) => instances().map((db) => new CampaignScheduler({ db, attempts: new Attempts(db), dialer, baseUrl: 'https://bridge.example', logger, now: clock, tickMs: 1000 }));

  test('0.5 calls a second with two instances ticking every 250 ms: 2 dials in 4 s, 2 s apart', async () => {
    const [a] = instances();
    await a.updateTable('campaigns').set({ status: 'paused' }).where('status', '=', 'active').execute();
    await campaign(a, 10, { concurrency: 10, callsPerSecond: 0.5 }, '+96650100');
    const { dialer, dialled } = clockedDialer(clock);
    const [one, two] = schedulers(dialer) as [CampaignScheduler, CampaignScheduler];
    for (let ms = 0; ms < 4000; ms += 250) {
      now = new Date(OPEN.getTime() + ms);
      await Promise.all([one.tick(), two.tick()]);
    }
    expect(dialled.map((d) => d.at - OPEN.getTime())).toEqual([0, 2000]);
  });

  test('concurrency 2 with two instances: never more than 2 patients calling, and every patient reached', async () => {
    const [a] = instances();
    await a.updateTable('campaigns').set({ status: 'paused' }).where('status', '=', 'active').execute();
    now = new Date(OPEN.getTime() + 3_600_000);
    const id = await campaign(a, 12, { concurrency: 2, callsPerSecond: 30, maxAttempts: 1 }, '+96650200');
    const { dialer, dialled } = clockedDialer(clock);
    const [one, two] = schedulers(dialer) as [CampaignScheduler, CampaignScheduler];
    const attempts = new Attempts(a);
    let most = 0;
    for (let round = 0; round < 40 && dialled.length < 12; round++) {
      now = new Date(now.getTime() + 1000);
      await Promise.all([one.tick(), two.tick(), one.tick()]);
      const calling = await a.selectFrom('campaign_patients').select(['id', 'current_attempt_id']).where('campaign_id', '=', id).where('state', '=', 'calling').execute();
      most = Math.max(most, calling.length);
      // One call of those in progress ends each round (Twilio's final status callback).
      const ending = calling[round % Math.max(1, calling.length)];
      if (ending?.current_attempt_id) {
        const attempt = await a.selectFrom('call_attempts').select('provider_call_id').where('id', '=', ending.current_attempt_id).executeTakeFirstOrThrow();
        await attempts.status(ending.current_attempt_id, attempt.provider_call_id as string, { status: 'busy' }, now);
      }
    }
    expect(most).toBe(2);
    expect(new Set(dialled.map((d) => d.to)).size).toBe(12);
    expect(dialled).toHaveLength(12);
  });
}

describe('on PGlite (two schedulers on one store)', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openTemplateStore({ dataDir: '/nonexistent', logger });
  }, 60_000);
  afterAll(() => store.close());
  limitsContract(() => [store.db, store.db]);
});

const postgres = findPostgres(process.env.TEST_DATABASE_URL);
if (postgres.available) {
  describe('on Postgres (two instances, two pools)', () => {
    let stores: Store[] = [];
    let stop: () => Promise<void> = async () => undefined;
    beforeAll(async () => {
      const cluster = await startPostgres(postgres);
      stop = () => cluster.stop();
      const url = await cluster.createDatabase();
      stores = await Promise.all([openStore({ databaseUrl: url, dataDir: '/nonexistent', logger }), openStore({ databaseUrl: url, dataDir: '/nonexistent', logger })]);
    }, 120_000);
    afterAll(async () => {
      await Promise.all(stores.map((s) => s.close()));
      await stop();
    });
    limitsContract(() => [stores[0]!.db, stores[1]!.db]);
  });
} else {
  // Skipped only where no Postgres can be had (.ci/run installs postgresql, so CI runs it).
  test.skip(`campaign limits across instances on Postgres (${postgres.reason})`, () => undefined); // reason: needs a PostgreSQL server (initdb), which .ci/run installs
}
