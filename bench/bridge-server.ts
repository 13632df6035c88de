/**
 * The real bridge (createBridge) on 127.0.0.1, port 0, for the load benchmark: run in its own
 * process so its event loop is measured, not the load generator's. Prompts are long cached tones
 * so playout runs continuously. Calls are written to a real store, as in production: the embedded
 * database under the data directory, or the Postgres `--database-url` names. Started by
 * bench/load.ts over IPC; standalone:
 *
 *   npx tsx bench/bridge-server.ts --max-calls 300 --prompt-ms 3000 [--database-url postgres://…]
 *     [--deepgram-url http://127.0.0.1:PORT --deepgram-key KEY]
 *
 * With a Deepgram URL and key (the voice bench's stand-in), calls stream their audio to
 * recognition as in production; each stream carries one extra keyterm, `BENCH_CALL_TAG` + the
 * call's id, so the stand-in can tell which call a connection belongs to.
 * prints its port, and a window report (JSON, one line) on SIGUSR2.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { constants, createHistogram, monitorEventLoopDelay, type PerformanceEntry, PerformanceObserver, type RecordableHistogram } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { createBridge } from '../src/bridge';
import { PlayoutClock } from '../src/call/playout-clock';
import type { CallStore } from '../src/call/call-store';
import { type Config, loadConfig } from '../src/config';
import { createLogger, type Logger } from '../src/observability/logger';
import { createMetrics, type Metrics } from '../src/observability/metrics';
import { loadQuestionnaireDir } from '../src/questionnaire/load';
import { staticPromptTexts } from '../src/questionnaire/static-prompts';
import { DeepgramSttProvider } from '../src/speech/deepgram/deepgram-stt';
import type { SttProvider } from '../src/speech/stt';
import { openStore } from '../src/store';
import { DatabaseCallStore } from '../src/store/database-call-store';
import { procCounters, procWindow } from './proc';
import { BENCH_CALL_TAG, type ClosedReport, type FromBridge, type Quantiles, type ToBridge, type WindowReport } from './ipc';
import { CachedTonePrompts } from './tone-prompts';

const { values: args } = parseArgs({
  options: {
    'max-calls': { type: 'string', default: '1000' },
    'prompt-ms': { type: 'string', default: '3000' },
    'lifetime-ms': { type: 'string', default: '600000' },
    /** Given by bench/load.ts (which removes it); standalone, a temporary directory is made and removed. */
    'data-dir': { type: 'string' },
    /** A Postgres for the calls; unset: the embedded database in the data directory. */
    'database-url': { type: 'string' },
    /** Several instances over one database (the cluster bench) each need their own name. */
    'instance-id': { type: 'string', default: 'bench' },
    /** Speech recognition (the voice bench): a Deepgram base URL and key; unset, calls use the keypad. */
    'deepgram-url': { type: 'string' },
    'deepgram-key': { type: 'string' },
    /** A V8 CPU profile of the main thread over each measurement window (IPC window-start to window-end) is written here. */
    'profile-dir': { type: 'string' },
  },
});
const ELD_RESOLUTION_MS = 1;

const send = (message: FromBridge): void => {
  if (process.send) process.send(message);
};

/** Clock ticks and true frame lateness, measured by wrapping the real objects (bench only). */
interface Probes {
  tick: RecordableHistogram;
  lateness: RecordableHistogram;
  framesPerTick: RecordableHistogram;
}

function instrument(metrics: ReturnType<typeof createMetrics>): Probes {
  const tick = createHistogram();
  const lateness = createHistogram();
  const framesPerTick = createHistogram();
  let tickStartMs: number | null = null;
  let frames = 0;
  const proto = PlayoutClock.prototype as unknown as { tick(this: PlayoutClock): void };
  const originalTick = proto.tick;
  proto.tick = function patchedTick(this: PlayoutClock) {
    tickStartMs = performance.now();
    frames = 0;
    try {
      originalTick.call(this);
    } finally {
      tick.record(Math.max(1, Math.round((performance.now() - tickStartMs) * 1e6)));
      framesPerTick.record(frames + 1);
      tickStartMs = null;
    }
  };
  const observe = metrics.playoutLateness.observe.bind(metrics.playoutLateness);
  // Playout calls this right after handing the frame to the socket, with (tick start - scheduled).
  metrics.playoutLateness.observe = ((value: number) => {
    if (tickStartMs !== null) {
      frames++;
      const trueMs = value * 1000 + (performance.now() - tickStartMs);
      lateness.record(Math.max(1, Math.round(trueMs * 1e6)));
    }
    observe(value);
  }) as typeof metrics.playoutLateness.observe;
  return { tick, lateness, framesPerTick };
}

const GC_KINDS: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};

/** GC pauses by kind, since the last reset. */
class GcWatch {
  stats: WindowReport['gc'] = {};

  constructor() {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) this.add(entry as PerformanceEntry & { detail?: { kind?: number } });
    }).observe({ entryTypes: ['gc'] });
  }

  reset(): void {
    this.stats = {};
  }

  private add(entry: PerformanceEntry & { detail?: { kind?: number } }): void {
    const kind = GC_KINDS[entry.detail?.kind ?? -1] ?? 'other';
    const s = this.stats[kind] ?? { count: 0, totalMs: 0, maxMs: 0 };
    s.count++;
    s.totalMs += entry.duration;
    s.maxMs = Math.max(s.maxMs, entry.duration);
    this.stats[kind] = s;
  }
}

/**
 * Records event-loop gaps over `thresholdMs` (checked every 5 ms) with the CPU time this process
 * used around each. process.cpuUsage() is a system call (tens of µs here), so it is read only
 * every 20 ms and when a gap is found: `cpuMs` covers the gap plus up to 20 ms before it.
 */
class StallWatch {
  stalls: WindowReport['stalls'] = [];
  private originMs = performance.now();
  private lastMs = performance.now();
  private cpuAtMs = performance.now();
  private cpu = process.cpuUsage();
  private checks = 0;

  constructor(private readonly thresholdMs = 20) {
    setInterval(() => this.check(), 5).unref();
  }

  reset(): void {
    this.stalls = [];
    this.originMs = performance.now();
  }

  private check(): void {
    const now = performance.now();
    const gapMs = now - this.lastMs;
    this.lastMs = now;
    const stalled = gapMs > this.thresholdMs;
    if (!stalled && ++this.checks % 4 !== 0) return;
    const cpu = process.cpuUsage();
    if (stalled && this.stalls.length < 200) {
      const cpuMs = (cpu.user - this.cpu.user + cpu.system - this.cpu.system) / 1000;
      const spanMs = now - this.cpuAtMs;
      this.stalls.push({
        atMs: Math.round(now - this.originMs),
        gapMs: Math.round(gapMs * 10) / 10,
        cpuMs: Math.round(Math.min(cpuMs, spanMs) * (gapMs / spanMs) * 10) / 10,
      });
    }
    this.cpu = cpu;
    this.cpuAtMs = now;
  }
}

/** Each write of a call's state, timed from the call to the store's save to its commit (bench only). */
function timedStore(inner: CallStore, commits: RecordableHistogram): CallStore {
  return {
    save: async (record) => {
      const started = performance.now();
      await inner.save(record);
      commits.record(Math.max(1, Math.round((performance.now() - started) * 1e6)));
    },
    findByProviderCallId: (...args) => inner.findByProviderCallId(...args),
  };
}

/** As main.ts builds it: the same options and metric hooks. */
function createDeepgram(deepgram: NonNullable<Config['deepgram']>, language: string, metrics: Metrics, logger: Logger): SttProvider {
  return new DeepgramSttProvider({
    apiKey: deepgram.apiKey,
    baseUrl: deepgram.url,
    mipOptOut: deepgram.mipOptOut,
    chunkMs: deepgram.chunkMs,
    language,
    hooks: {
      connectSeconds: (seconds, outcome) => metrics.sttConnect.observe({ outcome }, seconds),
      reconnect: (outcome) => metrics.sttReconnects.inc({ outcome }),
      droppedAudioSeconds: (seconds) => metrics.sttDroppedAudio.inc(seconds),
      log: logger,
    },
  });
}

/** Adds `BENCH_CALL_TAG` + call id to each stream's keyterms (sent once, on the upgrade). */
function tagged(inner: SttProvider): SttProvider {
  return {
    name: inner.name,
    open: (callId, onEvent, options = {}) => inner.open(callId, onEvent, { ...options, keyterms: [...(options.keyterms ?? []), `${BENCH_CALL_TAG}${callId}`] }),
    check: () => inner.check(),
  };
}

const quantiles = (h: { percentile(p: number): number; max: number; count: number }, offsetMs = 0): Quantiles => {
  const ms = (ns: number) => (h.count === 0 ? Number.NaN : Math.max(0, ns / 1e6 - offsetMs));
  return {
    p50Ms: ms(h.percentile(50)),
    p90Ms: ms(h.percentile(90)),
    p99Ms: ms(h.percentile(99)),
    p999Ms: ms(h.percentile(99.9)),
    maxMs: ms(h.max),
    count: h.count,
  };
};

function countLogLines(file: string): ClosedReport {
  const report: ClosedReport = { type: 'closed', warnings: {}, errors: {} };
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return report;
  }
  for (const line of text.split('\n')) {
    if (!line.includes('"level":4') && !line.includes('"level":5') && !line.includes('"level":6')) continue;
    const entry = JSON.parse(line) as { level: number; msg?: string };
    const bucket = entry.level >= 50 ? report.errors : report.warnings;
    const msg = entry.msg ?? '(no message)';
    bucket[msg] = (bucket[msg] ?? 0) + 1;
  }
  return report;
}

async function main(): Promise<void> {
  const dataDir = args['data-dir'] ?? mkdtempSync(path.join(tmpdir(), 'bridge-bench-'));
  const logFile = path.join(dataDir, 'bridge.log');
  const destination = pino.destination({ dest: logFile, sync: false });
  const config = loadConfig({
    DATA_DIR: dataDir,
    QUESTIONNAIRES_DIR: path.resolve(__dirname, '../questionnaires'),
    MAX_CONCURRENT_CALLS: args['max-calls'],
    // Every simulated call comes from 127.0.0.1, hundreds within a second.
    MAX_PENDING_STREAMS_PER_ADDRESS: '2000',
    MAX_PENDING_STREAMS: '2000',
    LOG_LEVEL: 'info',
    // Its calls are tagged as the bench's, never as a real instance's on this host.
    INSTANCE_ID: args['instance-id'],
    ...(args['deepgram-key'] ? { DEEPGRAM_API_KEY: args['deepgram-key'], DEEPGRAM_URL: args['deepgram-url'], ...(process.env.DEEPGRAM_CHUNK_MS ? { DEEPGRAM_CHUNK_MS: process.env.DEEPGRAM_CHUNK_MS } : {}) } : {}),
    // The bench compares frame sizes by environment, as an operator would set them.
    ...(process.env.OUTBOUND_FRAME_MS ? { OUTBOUND_FRAME_MS: process.env.OUTBOUND_FRAME_MS } : {}),
  });
  const logger = createLogger({ level: config.logLevel, destination });
  const questionnaires = loadQuestionnaireDir(config.questionnairesDir);
  const prompts = new CachedTonePrompts(Number(args['prompt-ms']));
  for (const q of questionnaires.values()) prompts.warm(staticPromptTexts(q.definition));
  const metrics = createMetrics();
  const probes = instrument(metrics);
  let statements = 0;
  const store = await openStore({
    databaseUrl: args['database-url'],
    dataDir,
    logger,
    onStatement: () => {
      statements++;
    },
  });
  const commits = createHistogram();
  const stt = config.deepgram ? tagged(createDeepgram(config.deepgram, config.sttLanguage, metrics, logger)) : null;
  const bridge = createBridge({ config, logger, questionnaires, prompts, metrics, stt, store: timedStore(new DatabaseCallStore(store.calls, config.instanceId), commits) });
  const port = await bridge.listen(0, '127.0.0.1');
  bridge.readiness.markReady();

  const eld = monitorEventLoopDelay({ resolution: ELD_RESOLUTION_MS });
  const gc = new GcWatch();
  const stallWatch = new StallWatch();
  let window = { startMs: performance.now(), cpu: process.cpuUsage(), active: bridge.registry.active, statements, proc: procCounters() };
  const startWindow = () => {
    eld.reset();
    eld.enable();
    probes.tick.reset();
    probes.lateness.reset();
    probes.framesPerTick.reset();
    commits.reset();
    gc.reset();
    stallWatch.reset();
    window = { startMs: performance.now(), cpu: process.cpuUsage(), active: bridge.registry.active, statements, proc: procCounters() };
  };
  const endWindow = (): WindowReport => {
    const cpu = process.cpuUsage(window.cpu);
    const proc = procCounters();
    const before = window.proc;
    const memory = process.memoryUsage();
    eld.disable();
    return {
      type: 'window',
      wallMs: performance.now() - window.startMs,
      cpuUserMs: cpu.user / 1000,
      cpuSystemMs: cpu.system / 1000,
      activeCalls: { start: window.active, end: bridge.registry.active },
      eventLoopDelay: quantiles(eld, ELD_RESOLUTION_MS),
      playoutTick: quantiles(probes.tick),
      trueLateness: quantiles(probes.lateness),
      storeCommit: { engine: store.engine, ...quantiles(commits) },
      framesPerTick: {
        p50: probes.framesPerTick.percentile(50) - 1,
        p99: probes.framesPerTick.percentile(99) - 1,
        max: probes.framesPerTick.max - 1,
      },
      gc: { ...gc.stats },
      stalls: [...stallWatch.stalls],
      heapUsedMb: memory.heapUsed / 2 ** 20,
      rssMb: memory.rss / 2 ** 20,
      statements: statements - window.statements,
      os: procWindow(before, proc),
    };
  };

  let closing = false;
  const shutdown = async (code: number) => {
    if (closing) return;
    closing = true;
    try {
      await bridge.close(1000);
      await store.close();
      destination.flushSync();
      send(countLogLines(logFile));
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
      process.exit(code);
    }
  };

  const profiler = args['profile-dir'] ? new WindowProfiler(args['profile-dir']) : null;
  process.on('message', (message: ToBridge) => {
    if (message.type === 'window-start') {
      startWindow();
      void profiler?.start();
    } else if (message.type === 'window-end') {
      send(endWindow());
      void profiler?.stop();
    }
    else if (message.type === 'shutdown') void shutdown(0);
  });
  // The parent went away (crash, kill): never outlive it.
  process.on('disconnect', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGUSR2', () => {
    console.log(JSON.stringify(endWindow()));
    startWindow();
  });
  setTimeout(() => {
    console.error('bridge-server: lifetime exceeded; exiting');
    void shutdown(2);
  }, Number(args['lifetime-ms'])).unref();

  startWindow();
  console.log(`bridge-server listening on 127.0.0.1:${port} (pid ${process.pid}, MAX_CONCURRENT_CALLS ${config.maxConcurrentCalls})`);
  send({ type: 'ready', port, pid: process.pid });
}

/**
 * The main thread's CPU profile over the measurement window only (not startup, the ramp or the
 * hang-up, which `node --cpu-prof` would mix in), written as DIR/bridge-window-<time>.cpuprofile
 * for Chrome DevTools; and a sampling profile of what the window allocated (objects since
 * collected included: what the garbage collector had to work through), as .heapprofile.
 */
class WindowProfiler {
  private readonly session = new Session();
  private running = false;

  constructor(private readonly dir: string) {
    this.session.connect();
  }

  async start(): Promise<void> {
    await this.session.post('Profiler.enable');
    await this.session.post('Profiler.setSamplingInterval', { interval: 200 });
    await this.session.post('Profiler.start');
    await this.session.post('HeapProfiler.enable');
    await this.session.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
    this.running = true;
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    const { profile } = await this.session.post('Profiler.stop');
    const { profile: allocations } = await this.session.post('HeapProfiler.stopSampling');
    mkdirSync(this.dir, { recursive: true });
    const file = path.join(this.dir, `bridge-window-${new Date().toISOString().replace(/[:.]/g, '-')}`);
    writeFileSync(`${file}.cpuprofile`, JSON.stringify(profile));
    writeFileSync(`${file}.heapprofile`, JSON.stringify(allocations));
    console.log(`bridge-server: CPU and allocation profiles of the window written to ${file}.cpuprofile and .heapprofile`);
  }
}

main().catch((error: unknown) => {
  console.error('bridge-server failed:', error);
  process.exit(1);
});
