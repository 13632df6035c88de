/**
 * (c) The campaign scheduler with a large queue: 10,000 patients in one campaign, due one after
 * another at the calls-per-second limit, dialled by the real scheduler (1 s ticks) through a
 * dialer that answers at once. Measures each tick (wall time, and this process's CPU, which
 * includes the embedded database's thread) and the delay from a patient being due to its dial.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHistogram, performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { createLogger } from '../src/observability/logger';
import { Attempts, type Dialer } from '../src/outbound/attempts';
import { CampaignScheduler, Campaigns, campaignSettingsSchema } from '../src/outbound/campaigns';
import { openStore } from '../src/store';

export interface CampaignBenchResult {
  engine: 'pglite' | 'postgres';
  queued: number;
  seconds: number;
  dialled: number;
  tick: { p50Ms: number; p99Ms: number; maxMs: number; count: number };
  cpuMsPerTick: number;
  dueToDial: { p50Ms: number; p99Ms: number; maxMs: number };
}

export async function benchCampaigns(options: { queued: number; seconds: number; callsPerSecond: number; databaseUrl: string | null; log: (line: string) => void }): Promise<CampaignBenchResult> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'bridge-bench-campaign-'));
  const logger = createLogger({ level: 'silent' });
  const store = await openStore({ databaseUrl: options.databaseUrl ?? undefined, dataDir, logger });
  try {
    options.log(`campaigns: queueing ${options.queued} patients on ${store.engine}…`);
    const settings = campaignSettingsSchema.parse({ window: { timeZone: 'UTC', days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '23:59' }, concurrency: 100, callsPerSecond: options.callsPerSecond });
    const patients = Array.from({ length: options.queued }, (_, i) => ({ phone: `+9665${String(i).padStart(8, '0')}`, reference: `Patient/${i}` }));
    const id = await new Campaigns(store.db).create({ name: 'bench', questionnaire: 'post-discharge', settings, patients, createdBy: 'bench' });
    // Due one after another at the rate the campaign may dial, starting a second from now.
    const start = Date.now() + 1000;
    const stepMs = 1000 / options.callsPerSecond;
    await sql`update campaign_patients set next_attempt_at = ${new Date(start).toISOString()}::timestamptz + ((position - 1) * ${stepMs}::float8 * interval '1 millisecond') where campaign_id = ${id}::uuid`.execute(store.db);
    const due = new Map<string, number>();
    for (const row of await store.db.selectFrom('campaign_patients').select(['phone', 'next_attempt_at']).where('campaign_id', '=', id).execute()) due.set(row.phone, row.next_attempt_at.getTime());

    const delays = createHistogram();
    let dialled = 0;
    const dialer: Dialer = {
      async dial({ to }) {
        delays.record(Math.max(1, Math.round((Date.now() - (due.get(to) ?? Date.now())) * 1e3)));
        dialled++;
        return { providerCallId: `CA${String(dialled).padStart(32, '0')}`, status: 'queued' };
      },
      fetch: async () => undefined,
      findPlaced: async () => [],
    };
    const scheduler = new CampaignScheduler({ db: store.db, attempts: new Attempts(store.db), dialer, baseUrl: 'https://bridge.example', logger });
    // Each call ends at once (done), so the concurrency limit never holds the queue back.
    const ticks = createHistogram();
    let cpuMs = 0;
    const until = performance.now() + options.seconds * 1000;
    while (performance.now() < until) {
      const next = performance.now() + 1000;
      const cpu = process.cpuUsage();
      const began = performance.now();
      await scheduler.tick();
      ticks.record(Math.max(1, Math.round((performance.now() - began) * 1e6)));
      const used = process.cpuUsage(cpu);
      cpuMs += (used.user + used.system) / 1000;
      await sql`update campaign_patients set state = 'done' where campaign_id = ${id}::uuid and state = 'calling'`.execute(store.db);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - performance.now())));
    }
    const ms = (h: ReturnType<typeof createHistogram>, p: number, scale: number) => (h.count === 0 ? Number.NaN : h.percentile(p) / scale);
    return {
      engine: store.engine,
      queued: options.queued,
      seconds: options.seconds,
      dialled,
      tick: { p50Ms: ms(ticks, 50, 1e6), p99Ms: ms(ticks, 99, 1e6), maxMs: ticks.count ? ticks.max / 1e6 : Number.NaN, count: ticks.count },
      cpuMsPerTick: ticks.count ? cpuMs / ticks.count : Number.NaN,
      dueToDial: { p50Ms: ms(delays, 50, 1e3), p99Ms: ms(delays, 99, 1e3), maxMs: delays.count ? delays.max / 1e3 : Number.NaN },
    };
  } finally {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export function formatCampaigns(r: CampaignBenchResult): string {
  const f = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
  return [
    `(c) Campaign scheduler, ${r.queued} patients queued on ${r.engine}, ${r.seconds} s of 1 s ticks (dialler answers at once)`,
    `  dialled                                     ${r.dialled} (${f(r.dialled / r.seconds)} per second)`,
    `  tick p50 / p99 / max                        ${f(r.tick.p50Ms, 2)} / ${f(r.tick.p99Ms, 2)} / ${f(r.tick.maxMs, 2)} ms (n=${r.tick.count})`,
    `  CPU per tick                                ${f(r.cpuMsPerTick, 2)} ms (this process, the database thread included)`,
    `  due → calls.create p50 / p99 / max          ${f(r.dueToDial.p50Ms, 0)} / ${f(r.dueToDial.p99Ms, 0)} / ${f(r.dueToDial.maxMs, 0)} ms (a 1 s tick: up to 1 s is the tick's wait)`,
  ].join('\n');
}
