/**
 * `npm run bench -- --idle`: the memory of an idle bridge, as `npm start` runs it on embedded
 * defaults (no keys, no DATABASE_URL; the embedded database and prompt cache in a temporary
 * DATA_DIR, a free port). It builds (`npm run build`), then measures three moments, each once
 * /ready is 200 and the process has settled for `settleSeconds`:
 *
 *   first start   a new DATA_DIR: the database is created and every prompt is synthesised
 *   restart       the same DATA_DIR: prompts come from the disk cache (the usual case)
 *   after calls   `calls` simulated keypad calls (the call CLI's caller, real time, about two
 *                 minutes, with a read-back) have ended on that restarted bridge
 *
 * RSS is the kernel's (VmRSS, and smaps_rollup's anonymous and file-backed parts: the latter is
 * mostly node's own binary); heap, external and array buffers are the main thread's
 * process.memoryUsage() (bench/memory-probe.cjs, preloaded). Worker threads (database, voice)
 * show only in RSS.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { placeCall } from '../src/cli/caller/twilio-caller';
import { machineLine } from './voice-report';

const ROOT = path.resolve(__dirname, '..');
const MB = 1024 * 1024;

export interface MemorySample {
  label: string;
  /** From start to GET /ready 200. */
  readyMs: number;
  rssAtReadyMb: number;
  rssMb: number;
  anonymousMb: number;
  fileMb: number;
  threads: number;
  heapUsedMb: number;
  heapTotalMb: number;
  externalMb: number;
  arrayBuffersMb: number;
}

export interface IdleResult {
  machine: string;
  settleSeconds: number;
  samples: MemorySample[];
  /** Each call's reply latencies (key → first reply frame), ms; the fifth follows the read-back's key. */
  replyLatenciesMs: number[][];
}

export interface IdleOptions {
  settleSeconds: number;
  calls: number;
  build: boolean;
  log: (line: string) => void;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * What `npm start` runs after its build (package.json's start script): its leading NAME=value
 * assignments, so the environment it sets applies here too, and then node with the memory probe.
 */
function startCommand(): { env: Record<string, string>; args: string[] } {
  const scripts = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const words = (scripts['start'] ?? '').trim().split(/\s+/);
  const env: Record<string, string> = {};
  while (words[0] && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0])) {
    const [name, ...value] = (words.shift() as string).split('=');
    env[name as string] = value.join('=');
  }
  if (words.join(' ') !== 'node dist/main.js') throw new Error(`package.json's start script no longer runs "node dist/main.js" (it is ${JSON.stringify(scripts['start'])})`);
  return { env, args: ['--require', path.join(__dirname, 'memory-probe.cjs'), 'dist/main.js'] };
}

class Bridge {
  readonly port: Promise<number>;
  readonly exited: Promise<void>;

  constructor(
    readonly child: ChildProcess,
    readonly probeFile: string,
  ) {
    let output = '';
    this.port = new Promise((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /"port":(\d+)[^\n]*"msg":"bridge listening"/.exec(output);
        if (match) resolve(Number(match[1]));
      });
      child.once('exit', (code) => reject(new Error(`the bridge exited (code ${code}) before listening:\n${output.slice(-2000)}`)));
    });
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
  }

  async sample(label: string, readyMs: number, rssAtReadyMb: number): Promise<MemorySample> {
    const pid = this.child.pid!;
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const kb = (text: string, field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? Number.NaN);
    rmSync(this.probeFile, { force: true });
    process.kill(pid, 'SIGUSR2');
    let usage: NodeJS.MemoryUsage | null = null;
    for (let i = 0; i < 50 && !usage; i++) {
      await sleep(100);
      try {
        usage = JSON.parse(readFileSync(this.probeFile, 'utf8')) as NodeJS.MemoryUsage;
      } catch {
        // not written yet
      }
    }
    if (!usage) throw new Error('the bridge did not answer the memory probe');
    return {
      label,
      readyMs,
      rssAtReadyMb: rssAtReadyMb,
      rssMb: kb(status, 'VmRSS') / 1024,
      anonymousMb: kb(rollup, 'Anonymous') / 1024,
      fileMb: (kb(rollup, 'Rss') - kb(rollup, 'Anonymous')) / 1024,
      threads: Number(/^Threads:\s+(\d+)/m.exec(status)?.[1] ?? Number.NaN),
      heapUsedMb: usage.heapUsed / MB,
      heapTotalMb: usage.heapTotal / MB,
      externalMb: usage.external / MB,
      arrayBuffersMb: usage.arrayBuffers / MB,
    };
  }

  rssMb(): number {
    const status = readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
    return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? Number.NaN) / 1024;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 40_000);
    await this.exited;
    clearTimeout(timer);
  }
}

function startBridge(dataDir: string, probeFile: string): Bridge {
  const start = startCommand();
  const child = spawn(process.execPath, start.args, {
    cwd: ROOT,
    env: { ...process.env, ...start.env, PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'info', MEMORY_PROBE_FILE: probeFile, DATABASE_URL: '', DEEPGRAM_API_KEY: '', ELEVENLABS_API_KEY: '', TTS_PROVIDER: 'espeak' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Bridge(child, probeFile);
}

async function untilReady(bridge: Bridge, startedAt: number): Promise<number> {
  const port = await bridge.port;
  for (;;) {
    const res = await fetch(`http://127.0.0.1:${port}/ready`).catch(() => null);
    if (res?.status === 200) return performance.now() - startedAt;
    if (performance.now() - startedAt > 300_000) throw new Error('the bridge was not ready within 5 minutes');
    await sleep(100);
  }
}

async function startAndSettle(label: string, dataDir: string, probeFile: string, options: IdleOptions): Promise<{ bridge: Bridge; sample: MemorySample }> {
  const startedAt = performance.now();
  const bridge = startBridge(dataDir, probeFile);
  const readyMs = await untilReady(bridge, startedAt);
  const atReady = bridge.rssMb();
  options.log(`idle: ${label}: ready in ${Math.round(readyMs)} ms at ${atReady.toFixed(0)} MB RSS; settling ${options.settleSeconds} s…`);
  await sleep(options.settleSeconds * 1000);
  return { bridge, sample: await bridge.sample(label, readyMs, atReady) };
}

export async function benchIdle(options: IdleOptions): Promise<IdleResult> {
  if (process.platform !== 'linux') throw new Error('the idle bench reads /proc: Linux only');
  if (options.build) {
    options.log('idle: npm run build…');
    const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    if (build.status !== 0) throw new Error(`npm run build failed (exit ${build.status})`);
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), 'bench-idle-'));
  const probeFile = path.join(dataDir, 'memory.json');
  const samples: MemorySample[] = [];
  const replyLatenciesMs: number[][] = [];
  try {
    const first = await startAndSettle('first start', dataDir, probeFile, options);
    samples.push(first.sample);
    await first.bridge.stop();
    const again = await startAndSettle('restart', dataDir, probeFile, options);
    samples.push(again.sample);
    try {
      if (options.calls > 0) {
        const port = await again.bridge.port;
        options.log(`idle: ${options.calls} keypad calls in real time (about two minutes)…`);
        const reports = await Promise.all(
          Array.from({ length: options.calls }, () => placeCall({ baseUrl: `http://127.0.0.1:${port}`, dtmf: ['1', '2', '2', '3#', '372#', '1', '1', '2'] })),
        );
        for (const report of reports) replyLatenciesMs.push(report.replyLatenciesMs.map((ms) => Math.round(ms * 10) / 10));
        const atEnd = again.bridge.rssMb();
        options.log(`idle: calls ended at ${atEnd.toFixed(0)} MB RSS; settling ${options.settleSeconds} s…`);
        await sleep(options.settleSeconds * 1000);
        samples.push(await again.bridge.sample(`after ${options.calls} calls`, again.sample.readyMs, atEnd));
      }
    } finally {
      await again.bridge.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  return { machine: machineLine(), settleSeconds: options.settleSeconds, samples, replyLatenciesMs };
}

export function formatIdle(result: IdleResult): string {
  const f = (n: number) => n.toFixed(0).padStart(6);
  const lines = [
    `(i) Idle bridge (npm start, embedded defaults), ${result.machine}; each figure ${result.settleSeconds} s after the moment named`,
    '                         ready ms  RSS at ready/end   RSS   anon   file  threads  heap used/total  external  arrayBuffers (MB)',
    ...result.samples.map(
      (s) =>
        `  ${s.label.padEnd(22)}${f(s.readyMs)}  ${f(s.rssAtReadyMb)}          ${f(s.rssMb)} ${f(s.anonymousMb)} ${f(s.fileMb)}  ${String(s.threads).padStart(5)}  ${f(s.heapUsedMb)} / ${f(s.heapTotalMb).trim().padEnd(4)}  ${f(s.externalMb)}  ${f(s.arrayBuffersMb)}`,
    ),
  ];
  if (result.replyLatenciesMs.length > 0) {
    lines.push(`  reply latency after each key, per call (ms; the fifth follows the read-back's key): ${result.replyLatenciesMs.map((call) => call.join(' ')).join(' | ')}`);
  }
  const idle = result.samples.find((s) => s.label === 'restart');
  if (idle) lines.push(`  idle RSS (restart, settled): ${idle.rssMb.toFixed(0)} MB`);
  return lines.join('\n');
}
