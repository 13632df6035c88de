/**
 * `npm run bench`: (a) per-frame codec cost against the naive libraries, (b) N simulated calls
 * against the real bridge in a child process, then the budgets. Informational: exits 0
 * unless the bench itself fails.
 *
 *   npm run bench -- --calls 200 --seconds 20 [--json] [--quality] [--profile DIR] [--database-url URL] [--skip-codec] [--skip-load] [--skip-cluster]
 *
 * The voice scenario (`--voice`, or `--scenario voice`) runs instead: N calls whose callers speak,
 * with speech recognition on against a Deepgram stand-in in its own process (bench/voice-load.ts):
 *
 *   npm run bench -- --voice --calls 100 --seconds 20
 *   npm run bench -- --voice-steps 100,200,300 --seconds 20     (one run per size, then a table)
 *
 * The idle scenario (`--idle`) runs instead: the memory of the bridge as `npm start` runs it, on
 * a first start, a restart and after a few calls (bench/idle.ts):
 *
 *   npm run bench -- --idle [--idle-settle-seconds 40] [--idle-calls 2] [--json]
 *
 * The bridge writes its calls to the embedded database in a temporary folder, or to the Postgres
 * `--database-url` names (a database of its own: the bench leaves its calls there).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { benchCluster, type ClusterResult, formatCluster } from './cluster';
import { benchCodec, type CodecResult } from './codec';
import { benchIdle, formatIdle } from './idle';
import { type CampaignBenchResult, benchCampaigns, formatCampaigns } from './campaigns';
import { type ConsoleBenchResult, benchConsole, chromiumPath, formatConsole } from './console';
import { type LoadResult, runLoad } from './load';
import { formatFloor, runVoiceFloor } from './voice-floor';
import { runVoiceLoad } from './voice-load';
import { formatVoice, formatVoiceTable, machineLine, voiceFigures } from './voice-report';
import { budgets, formatBudgets, formatCodec, formatLoad, type LoadFigures, loadFigures } from './report';
import { formatQuality, measureQuality, measureUpsamplers, QUALITY_PAIRS, type QualityRow } from './resampler-quality';

const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '20' },
    'ramp-ms': { type: 'string', default: '2000' },
    'prompt-ms': { type: 'string', default: '3000' },
    questionnaire: { type: 'string', default: 'post-discharge' },
    json: { type: 'boolean', default: false },
    quality: { type: 'boolean', default: false },
    profile: { type: 'string' },
    'database-url': { type: 'string' },
    'skip-codec': { type: 'boolean', default: false },
    'skip-load': { type: 'boolean', default: false },
    'skip-campaigns': { type: 'boolean', default: false },
    'skip-console': { type: 'boolean', default: false },
    'skip-cluster': { type: 'boolean', default: false },
    'cluster-instances': { type: 'string', default: '2' },
    'cluster-steps': { type: 'string', default: '100,200,300,400' },
    screenshots: { type: 'string' },
    'campaign-patients': { type: 'string', default: '10000' },
    scenario: { type: 'string', default: 'keypad' },
    voice: { type: 'boolean', default: false },
    'voice-steps': { type: 'string' },
    'voice-floor': { type: 'boolean', default: false },
    /**
     * Speech between the Deepgram stand-in's interim results. Deepgram's own example of interim
     * results (developers.deepgram.com, "Using Interim Results") shows one a second: 1000.
     */
    'interim-ms': { type: 'string', default: '1000' },
    idle: { type: 'boolean', default: false },
    'idle-settle-seconds': { type: 'string', default: '40' },
    'idle-calls': { type: 'string', default: '2' },
    help: { type: 'boolean', default: false },
  },
});

function whole(name: string, text: string | undefined, min: number, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`--${name} must be a whole number from ${min} to ${max} (got ${JSON.stringify(text)})`);
  return value;
}

async function main(): Promise<void> {
  if (values.help) {
    console.log('npm run bench -- --idle [--idle-settle-seconds S=40] [--idle-calls N=2] [--json]');
    console.log('npm run bench -- --voice [--calls N=200 | --voice-steps 100,200,300] [--voice-floor] [--interim-ms 1000] [--seconds S=20] [--ramp-ms 2000] [--prompt-ms 3000] [--json] [--profile DIR] [--database-url URL]');
    console.log('npm run bench -- [--calls N=200] [--seconds S=20] [--ramp-ms 2000] [--prompt-ms 3000] [--json] [--quality] [--profile DIR] [--database-url URL] [--skip-codec] [--skip-load] [--skip-campaigns] [--campaign-patients 10000] [--skip-console] [--screenshots DIR] [--skip-cluster] [--cluster-instances 2] [--cluster-steps 100,200,300,400]');
    return;
  }
  if (values.idle) return idleScenario();
  const scenario = values.voice || values['voice-steps'] !== undefined || values['voice-floor'] ? 'voice' : values.scenario;
  if (scenario !== 'keypad' && scenario !== 'voice') throw new Error(`--scenario must be keypad or voice (got ${JSON.stringify(scenario)})`);
  if (scenario === 'voice') return voiceScenario();
  const calls = whole('calls', values.calls, 1, 2000);
  const seconds = whole('seconds', values.seconds, 1, 600);
  const rampMs = whole('ramp-ms', values['ramp-ms'], 0, 60_000);
  const promptMs = whole('prompt-ms', values['prompt-ms'], 20, 60_000);
  // Progress goes to stderr, so `--json` leaves stdout to the result alone.
  const log = (line: string) => console.error(line);
  const print = (text: string) => {
    if (!values.json) console.log(`${text}\n`);
  };

  let codec: CodecResult | null = null;
  let quality: QualityRow[] | null = null;
  let load: LoadResult | null = null;
  let figures: LoadFigures | null = null;
  if (!values['skip-codec']) {
    log('codec: timing per-frame paths…');
    codec = await benchCodec();
    print(formatCodec(codec));
  }
  if (values.quality) {
    quality = QUALITY_PAIRS.map(([from, to]) => measureQuality(from, to));
    print(`Resampler response (tone sweeps):\n${formatQuality(quality)}`);
    const upsamplers = await measureUpsamplers();
    quality.push(...upsamplers);
    print(`8 → 16 kHz upsamplers (tone sweeps; Speex delay is its reported output latency):\n${formatQuality(upsamplers)}`);
  }
  if (!values['skip-load']) {
    const profileDir = values.profile ? path.resolve(values.profile) : null;
    load = await runLoad({ calls, seconds, rampMs, promptMs, questionnaire: values.questionnaire, databaseUrl: values['database-url'] ?? null, profileDir, log });
    if (profileDir) log(`load: the bridge's CPU profile is in ${profileDir} (open it in Chrome DevTools)`);
    figures = loadFigures(load);
    print(formatLoad(load, figures));
  }
  let campaigns: CampaignBenchResult | null = null;
  if (!values['skip-campaigns']) {
    campaigns = await benchCampaigns({ queued: whole('campaign-patients', values['campaign-patients'], 10, 100_000), seconds: 20, callsPerSecond: 30, databaseUrl: values['database-url'] ?? null, log });
    print(formatCampaigns(campaigns));
  }
  let consoleFigures: ConsoleBenchResult | null = null;
  if (!values['skip-console']) {
    if (chromiumPath()) {
      consoleFigures = await benchConsole({ calls: 10_000, runs: 5, log, screenshotsDir: values.screenshots ? path.resolve(values.screenshots) : undefined });
      print(formatConsole(consoleFigures));
    } else {
      print('(d) Console: skipped (no chromium: install the chromium package or set CHROMIUM_PATH)');
    }
  }
  let cluster: ClusterResult | { skipped: string } | null = null;
  if (!values['skip-cluster']) {
    const steps = (values['cluster-steps'] ?? '').split(',').map((step) => whole('cluster-steps', step.trim(), 1, 2000));
    cluster = await benchCluster({ instances: whole('cluster-instances', values['cluster-instances'], 1, 8), steps, seconds: Math.min(seconds, 15), promptMs, databaseUrl: values['database-url'] ?? null, log });
    print(formatCluster(cluster));
  }
  const verdicts = budgets(codec, figures, calls);
  print(formatBudgets(verdicts));
  if (values.json) console.log(JSON.stringify({ codec, quality, load, figures, campaigns, console: consoleFigures, cluster, budgets: verdicts }, null, 2));
}

/** The idle scenario alone: the built bridge's memory at rest (first start, restart, after calls). */
async function idleScenario(): Promise<void> {
  const result = await benchIdle({
    // Past the embedded voice's 30 s idle exit, so a settled figure has no worker it would drop.
    settleSeconds: whole('idle-settle-seconds', values['idle-settle-seconds'], 1, 3600),
    calls: whole('idle-calls', values['idle-calls'], 0, 20),
    build: true,
    log: (line) => console.error(line),
  });
  console.log(values.json ? JSON.stringify({ scenario: 'idle', ...result }, null, 2) : formatIdle(result));
}

/** The voice scenario alone: one run per size (`--voice-steps`, or `--calls` as one size or a list), then a table. */
async function voiceScenario(): Promise<void> {
  const steps = (values['voice-steps'] ?? values.calls ?? '').split(',').map((step) => whole('voice-steps', step.trim(), 1, 2000));
  const seconds = whole('seconds', values.seconds, 1, 600);
  const rampMs = whole('ramp-ms', values['ramp-ms'], 0, 60_000);
  const promptMs = whole('prompt-ms', values['prompt-ms'], 20, 60_000);
  const interimMs = whole('interim-ms', values['interim-ms'], 20, 10_000);
  const log = (line: string) => console.error(line);
  const profileDir = values.profile ? path.resolve(values.profile) : null;
  const rows = [];
  for (const calls of steps) {
    const result = await runVoiceLoad({ calls, seconds, rampMs, promptMs, interimMs, questionnaire: values.questionnaire, databaseUrl: values['database-url'] ?? null, profileDir, log });
    const figures = voiceFigures(result);
    // The same callers and stand-in against a server doing only the socket work, right after.
    const floor = values['voice-floor'] ? await runVoiceFloor({ calls, seconds, rampMs, interimMs, log }) : undefined;
    rows.push({ result, figures, floor });
    if (!values.json) console.log(`${formatVoice(result, figures)}\n${floor ? `${formatFloor(floor)}\n` : ''}`);
  }
  if (values.json) console.log(JSON.stringify({ scenario: 'voice', machine: machineLine(), voice: rows }, null, 2));
  else console.log(formatVoiceTable(rows));
}

/** Exits once stdout is flushed: into a pipe it is written asynchronously, and `--json | jq` would get the report cut at 64 KiB. */
const exitAfterOutput = (code: number) => process.stdout.write('', () => process.exit(code));

main().then(
  () => exitAfterOutput(0),
  (error: unknown) => {
    console.error('bench failed:', error);
    exitAfterOutput(1);
  },
);
