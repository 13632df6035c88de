/**
 * (e) Several instances over one Postgres: K bridge processes (the same bench/bridge-server.ts as
 * the single-instance load), each given the same number of keypad calls (as a least-connections
 * load balancer would spread them), at growing call counts. For each step: playout lateness p99
 * per instance (the bridge's own histogram, over the window), CPU per call-second, and the
 * statements each instance sent the database per call-second. The figure that matters: the most
 * calls per instance before lateness p99 passes 10 ms. The load generator runs on the same
 * machine and takes its share of the cores: the figures are for this machine as a whole.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { findPostgres, startPostgres, type TestPostgres } from '../src/store/testing/postgres';
import { STREAM_PATH } from '../src/telephony/twilio/webhook';
import type { WindowReport } from './ipc';
import { type BridgeProcess, scrape, sleep, startBridgeProcess } from './load';
import { CallFleet } from './load-client';
import { diffHistogram, histogramQuantile, readHistogram } from './prometheus';
import { fixed } from './stats';

export interface ClusterOptions {
  instances: number;
  /** Calls per instance, one step each. */
  steps: number[];
  seconds: number;
  promptMs: number;
  /** Postgres to share; null: a throwaway cluster is started (Debian's postgresql), or the bench is skipped. */
  databaseUrl: string | null;
  log: (line: string) => void;
}

export interface ClusterStep {
  callsPerInstance: number;
  /** Per instance, in order. */
  instances: Array<{ opened: number; latenessP99Ms: number; latenessP99Above: boolean; cpuMsPerCallSecond: number; statementsPerCallSecond: number; rssMb: number }>;
  /** The worst instance's lateness p99. */
  worstLatenessP99Ms: number;
  /** Cores busy on the whole machine during the window, and the load generator's share of them. */
  machineBusyCores: number;
  generatorCores: number;
}

export interface ClusterResult {
  instances: number;
  seconds: number;
  database: string;
  steps: ClusterStep[];
  /** The largest step whose worst instance kept lateness p99 ≤ 10 ms (null: none did). */
  maxCallsPerInstanceWithin10Ms: number | null;
}

/** Busy (non-idle) CPU milliseconds summed over every core since boot. */
const machineBusyMs = () => cpus().reduce((sum, c) => sum + c.times.user + c.times.nice + c.times.sys + c.times.irq, 0);

export async function benchCluster(options: ClusterOptions): Promise<ClusterResult | { skipped: string }> {
  let postgres: TestPostgres | undefined;
  let databaseUrl = options.databaseUrl;
  let database = 'the given DATABASE_URL';
  if (!databaseUrl) {
    const found = findPostgres(undefined);
    if (!found.available) return { skipped: found.reason };
    postgres = await startPostgres(found);
    databaseUrl = await postgres.createDatabase();
    database = postgres.description;
  }
  try {
    const steps: ClusterStep[] = [];
    for (const calls of options.steps) {
      options.log(`cluster: ${options.instances} instances × ${calls} calls`);
      steps.push(await runStep(options, databaseUrl, calls));
    }
    const within = steps.filter((s) => s.worstLatenessP99Ms <= 10 && s.instances.every((i) => !i.latenessP99Above && i.opened === s.callsPerInstance));
    return { instances: options.instances, seconds: options.seconds, database, steps, maxCallsPerInstanceWithin10Ms: within.length > 0 ? Math.max(...within.map((s) => s.callsPerInstance)) : null };
  } finally {
    await postgres?.stop();
  }
}

async function runStep(options: ClusterOptions, databaseUrl: string, calls: number): Promise<ClusterStep> {
  const dirs = Array.from({ length: options.instances }, () => mkdtempSync(path.join(tmpdir(), 'bridge-bench-cluster-')));
  const bridges: BridgeProcess[] = dirs.map((dir, i) =>
    startBridgeProcess({ calls, promptMs: options.promptMs, seconds: options.seconds, databaseUrl, profileDir: null, log: () => undefined }, dir, `bench-${i + 1}`),
  );
  const fleets: CallFleet[] = [];
  try {
    const ports = await Promise.all(bridges.map(async (b) => (await b.next('ready', 60_000)).port));
    const bases = ports.map((port) => `http://127.0.0.1:${port}`);
    await Promise.all(bases.map(scrape));
    for (const port of ports) fleets.push(new CallFleet({ url: `ws://127.0.0.1:${port}${STREAM_PATH}`, calls, rampMs: 2000, questionnaire: 'post-discharge', quietMs: 200 }));
    for (const fleet of fleets) fleet.start();
    await Promise.all(fleets.map((fleet) => fleet.ramped(17_000)));
    await sleep(1000);
    const first = await Promise.all(bases.map(scrape));
    for (const bridge of bridges) bridge.send({ type: 'window-start' });
    for (const fleet of fleets) fleet.resetWindow();
    const busyBefore = machineBusyMs();
    const generatorBefore = process.cpuUsage();
    const windowStart = performance.now();
    await sleep(options.seconds * 1000);
    const windowMs = performance.now() - windowStart;
    const busyMs = machineBusyMs() - busyBefore;
    const generator = process.cpuUsage(generatorBefore);
    const reports = bridges.map((bridge) => bridge.next('window', 30_000));
    for (const bridge of bridges) bridge.send({ type: 'window-end' });
    const windows: WindowReport[] = await Promise.all(reports);
    const last = await Promise.all(bases.map(scrape));
    const instances = windows.map((w, i) => {
      const lateness = diffHistogram(readHistogram(last[i] as string, 'bridge_playout_lateness_seconds'), readHistogram(first[i] as string, 'bridge_playout_lateness_seconds'));
      const p99 = histogramQuantile(lateness, 0.99);
      const active = (w.activeCalls.start + w.activeCalls.end) / 2;
      const seconds = w.wallMs / 1000;
      return {
        opened: fleets[i]!.snapshot().opened,
        latenessP99Ms: p99.value * 1000,
        latenessP99Above: p99.above,
        cpuMsPerCallSecond: active > 0 ? (w.cpuUserMs + w.cpuSystemMs) / (active * seconds) : Number.NaN,
        statementsPerCallSecond: active > 0 ? w.statements / (active * seconds) : Number.NaN,
        rssMb: w.rssMb,
      };
    });
    return {
      callsPerInstance: calls,
      instances,
      worstLatenessP99Ms: Math.max(...instances.map((i) => i.latenessP99Ms)),
      machineBusyCores: busyMs / windowMs,
      generatorCores: (generator.user + generator.system) / 1000 / windowMs,
    };
  } finally {
    await Promise.all(fleets.map((fleet) => fleet.stop(1000).catch(() => undefined)));
    await Promise.all(bridges.map((bridge) => bridge.stop(5000)));
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}

export function formatCluster(r: ClusterResult | { skipped: string }): string {
  if ('skipped' in r) return `(e) Several instances: skipped (${r.skipped}; install Debian's postgresql or pass --database-url)`;
  const lines = [`(e) Several instances: ${r.instances} bridge processes over one Postgres (${r.database}), keypad calls spread evenly, ${r.seconds} s windows`];
  lines.push(`  calls/instance  lateness p99 per instance (ms)   CPU ms per call-second   DB statements per call-second   RSS MB      machine busy / load generator (of ${cpus().length} cores)`);
  for (const step of r.steps) {
    const per = (f: (i: ClusterStep['instances'][number]) => string) => step.instances.map(f).join(' / ');
    lines.push(
      `  ${String(step.callsPerInstance).padStart(14)}  ${per((i) => `${i.latenessP99Above ? '>' : ''}${fixed(i.latenessP99Ms, 1)}`).padEnd(32)} ${per((i) => fixed(i.cpuMsPerCallSecond, 2)).padEnd(24)} ${per((i) => fixed(i.statementsPerCallSecond, 3)).padEnd(31)} ${per((i) => fixed(i.rssMb, 0)).padEnd(11)} ${fixed(step.machineBusyCores, 2)} / ${fixed(step.generatorCores, 2)}`,
    );
  }
  lines.push(`  most calls per instance with lateness p99 ≤ 10 ms on every instance: ${r.maxCallsPerInstanceWithin10Ms ?? 'none of the steps'}`);
  return lines.join('\n');
}
