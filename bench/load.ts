/**
 * (b) N simulated calls through real WebSockets against the real bridge in a child process.
 * The child is killed on every way out (done, error, signal, parent exit).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { STREAM_PATH } from '../src/telephony/twilio/webhook';
import type { ClosedReport, FromBridge, ToBridge, WindowReport } from './ipc';
import { CallFleet, type FleetStats } from './load-client';
import { diffHistogram, type HistogramSnapshot, readByLabel, readHistogram } from './prometheus';

export interface LoadOptions {
  calls: number;
  seconds: number;
  rampMs: number;
  promptMs: number;
  questionnaire: string;
  /** Postgres for the bridge's calls, or null: the embedded database in its data directory. */
  databaseUrl: string | null;
  /** Directory for a V8 CPU profile of the bridge's main thread over the measurement window, or null. */
  profileDir: string | null;
  log: (line: string) => void;
}

export interface LoadResult {
  calls: number;
  windowSeconds: number;
  promptMs: number;
  bridge: WindowReport;
  /** The same measurements over 2 s with no calls, before the ramp. */
  idle: WindowReport;
  closed: ClosedReport | null;
  /** Bridge histograms over the load window only (difference of two /metrics scrapes). */
  histograms: { playoutLateness: HistogramSnapshot; inboundFrame: HistogramSnapshot; replyLatencyDtmf: HistogramSnapshot };
  /** prom-client's own event-loop lag gauge for the window (includes its 1 ms sampling interval). */
  promEventLoopLagP99Ms: number;
  rejected: Record<string, number>;
  callsEnded: Record<string, number>;
  fleet: FleetStats;
  generator: { cpuMs: number; eventLoopDelayP99Ms: number };
  /**
   * The whole machine during the window: CPU time of every core minus idle, and what is left
   * after the bridge and the load generator (other processes and kernel work such as loopback
   * TCP). Other work on a 2-core machine distorts every latency figure.
   */
  machine: { cores: number; busyMs: number; otherMs: number; loadAverage1m: number };
}

/** Busy (non-idle) CPU milliseconds summed over every core since boot. */
/** One measurement window of `seconds`: the load generator's own CPU and event-loop delay, and how busy the machine was. */
export async function measureWindow(seconds: number, log: (line: string) => void, label: string) {
  const generatorEld = monitorEventLoopDelay({ resolution: 1 });
  generatorEld.enable();
  const generatorCpu = process.cpuUsage();
  const busyBefore = machineBusyMs();
  log(`${label}: measuring for ${seconds} s`);
  await sleep(seconds * 1000);
  const cpu = process.cpuUsage(generatorCpu);
  const busyMs = machineBusyMs() - busyBefore;
  const loadAverage1m = loadavg()[0] ?? Number.NaN;
  generatorEld.disable();
  return { generatorEld, cpu, busyMs, loadAverage1m };
}

export function machineBusyMs(): number {
  return cpus().reduce((sum, c) => sum + c.times.user + c.times.nice + c.times.sys + c.times.irq, 0);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class BridgeProcess {
  private readonly waiters: Array<{ type: FromBridge['type']; resolve: (m: FromBridge) => void }> = [];
  readonly exited: Promise<number | null>;

  constructor(readonly child: ChildProcess) {
    child.on('message', (message: FromBridge) => {
      const index = this.waiters.findIndex((w) => w.type === message.type);
      if (index >= 0) this.waiters.splice(index, 1)[0]!.resolve(message);
    });
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  /** The next message of `type`; rejects if the child exits or `timeoutMs` passes first. */
  next<T extends FromBridge['type']>(type: T, timeoutMs: number): Promise<Extract<FromBridge, { type: T }>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`bridge-server sent no "${type}" within ${timeoutMs} ms`)), timeoutMs);
      void this.exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`bridge-server exited (code ${code}) before sending "${type}"`));
      });
      this.waiters.push({
        type,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m as Extract<FromBridge, { type: T }>);
        },
      });
    });
  }

  send(message: ToBridge): void {
    if (this.child.connected) this.child.send(message);
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** SIGTERM (the child drains, removes its data directory and exits); SIGKILL after `graceMs`. */
  async stop(graceMs: number): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.running && this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

/** `extraArgs` go to bench/bridge-server.ts as they are (the voice bench passes its Deepgram stand-in). */
export function startBridgeProcess(
  options: Pick<LoadOptions, 'calls' | 'promptMs' | 'seconds' | 'databaseUrl' | 'profileDir' | 'log'>,
  dataDir: string,
  instanceId = 'bench',
  extraArgs: readonly string[] = [],
): BridgeProcess {
  const child = fork(
    path.join(__dirname, 'bridge-server.ts'),
    [
      '--data-dir', dataDir,
      '--max-calls', String(Math.max(options.calls + 10, 100)),
      '--prompt-ms', String(options.promptMs),
      '--lifetime-ms', String((options.seconds + 120) * 1000),
      ...(options.databaseUrl ? ['--database-url', options.databaseUrl] : []),
      ...(options.profileDir ? ['--profile-dir', options.profileDir] : []),
      '--instance-id', instanceId,
      ...extraArgs,
    ],
    {
      execArgv: ['--import', 'tsx'],
      cwd: path.resolve(__dirname, '..'), stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    },
  );
  child.stdout?.on('data', (chunk: Buffer) => options.log(chunk.toString().trimEnd()));
  return new BridgeProcess(child);
}

export async function scrape(base: string): Promise<string> {
  const res = await fetch(`${base}/metrics`, { signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`GET /metrics answered ${res.status}`);
  return res.text();
}

function windowHistograms(start: string, end: string): LoadResult['histograms'] {
  const diff = (name: string, labels: Record<string, string> = {}) => diffHistogram(readHistogram(end, name, labels), readHistogram(start, name, labels));
  return {
    playoutLateness: diff('bridge_playout_lateness_seconds'),
    inboundFrame: diff('bridge_inbound_frame_seconds'),
    replyLatencyDtmf: diff('bridge_reply_latency_seconds', { input: 'dtmf' }),
  };
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  // Owned here, so it is removed even if the child is killed outright.
  const dataDir = mkdtempSync(path.join(tmpdir(), 'bridge-bench-'));
  const bridge = startBridgeProcess(options, dataDir);
  // Last resort if this process exits without reaching `finally` (the child also exits by itself
  // when its IPC channel closes, and after a lifetime limit).
  const killChild = () => {
    if (bridge.running) bridge.child.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  };
  const interrupted = () => {
    options.log('load: interrupted; stopping the bridge');
    void bridge.stop(2000).finally(() => process.exit(130));
  };
  process.once('exit', killChild);
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  let fleet: CallFleet | null = null;
  try {
    const { port } = await bridge.next('ready', 60_000);
    const base = `http://127.0.0.1:${port}`;
    // The first collection of the default metrics costs ~30 ms of CPU: keep it out of the window.
    await scrape(base);
    // The bridge with no calls (timers, metrics, these probes): subtracted to give CPU per call.
    bridge.send({ type: 'window-start' });
    await sleep(2000);
    const idleReport = bridge.next('window', 30_000);
    bridge.send({ type: 'window-end' });
    const idle = await idleReport;
    fleet = new CallFleet({ url: `ws://127.0.0.1:${port}${STREAM_PATH}`, calls: options.calls, rampMs: options.rampMs, questionnaire: options.questionnaire, quietMs: 200 });
    options.log(`load: opening ${options.calls} calls over ${options.rampMs} ms`);
    fleet.start();
    await fleet.ramped(options.rampMs + 15_000);
    await sleep(1000);

    const first = await scrape(base);
    bridge.send({ type: 'window-start' });
    fleet.resetWindow();
    const { generatorEld, cpu, busyMs, loadAverage1m } = await measureWindow(options.seconds, options.log, 'load');
    const report = bridge.next('window', 30_000);
    bridge.send({ type: 'window-end' });
    const window = await report;
    const fleetStats = fleet.snapshot();
    const last = await scrape(base);

    options.log('load: hanging up');
    await fleet.stop();
    await sleep(300);
    const final = await scrape(base);
    const closedReport = bridge.next('closed', 15_000).catch(() => null);
    bridge.send({ type: 'shutdown' });
    const closed = await closedReport;
    await Promise.race([bridge.exited, sleep(5000)]);
    return {
      calls: options.calls,
      windowSeconds: options.seconds,
      promptMs: options.promptMs,
      bridge: window,
      idle,
      closed,
      histograms: windowHistograms(first, last),
      promEventLoopLagP99Ms: (readByLabel(last, 'nodejs_eventloop_lag_p99_seconds')[''] ?? Number.NaN) * 1000,
      rejected: readByLabel(final, 'bridge_ws_messages_rejected_total', 'reason'),
      callsEnded: readByLabel(final, 'bridge_calls_total', 'status'),
      fleet: fleetStats,
      generator: { cpuMs: (cpu.user + cpu.system) / 1000, eventLoopDelayP99Ms: Math.max(0, generatorEld.percentile(99) / 1e6 - 1) },
      machine: {
        cores: cpus().length,
        busyMs,
        otherMs: busyMs - (cpu.user + cpu.system) / 1000 - window.cpuUserMs - window.cpuSystemMs,
        loadAverage1m,
      },
    };
  } finally {
    if (fleet) await fleet.stop(1000).catch(() => undefined);
    await bridge.stop(5000);
    rmSync(dataDir, { recursive: true, force: true });
    process.removeListener('exit', killChild);
    process.removeListener('SIGINT', interrupted);
    process.removeListener('SIGTERM', interrupted);
  }
}
