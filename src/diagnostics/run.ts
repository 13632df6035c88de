import type { BuildIdentity } from '../server/app';
import type { SttProvider } from '../speech/stt';
import type { TtsProvider } from '../speech/tts';
import type { StoreSelfCheck } from '../store/self-check';
import { probeClock, probeDisk, probeStore } from './host-probes';
import type { DiagnosticsReport, InsideCheck } from './report';
import { probeSpeech, probeVoice } from './vendor-probes';
import { probeWebhooks } from './webhook-probe';

export interface DiagnosticsDeps {
  identity: BuildIdentity;
  instanceId: string;
  publicUrl: string | undefined;
  sttLanguage: string;
  stt: SttProvider | null;
  tts: TtsProvider | undefined;
  /** The store's self-check; undefined: no database (then the check fails). */
  storeCheck: (() => Promise<StoreSelfCheck>) | undefined;
  dataDir: string;
  /** Base URLs of configured vendors whose HTTP Date the clock is compared with, in order. */
  clockSources: readonly string[];
  /** The webhook receivers' URLs (subscriptions). */
  webhookReceivers: () => Promise<string[]>;
  /** Each probe is cut off after this long (default 5 s), so the report comes in bounded time. */
  probeTimeoutMs?: number;
}

/**
 * Runs every inside check at once and returns the report. Runs requested while one is going share
 * it (an impatient operator, or two doctors, do not double the vendor calls).
 */
export function createDiagnostics(deps: DiagnosticsDeps): () => Promise<DiagnosticsReport> {
  let running: Promise<DiagnosticsReport> | null = null;
  return () => {
    running ??= run(deps).finally(() => {
      running = null;
    });
    return running;
  };
}

async function run(deps: DiagnosticsDeps): Promise<DiagnosticsReport> {
  const timeoutMs = deps.probeTimeoutMs ?? 5000;
  const within = <T extends InsideCheck | InsideCheck[]>(id: string, title: string, probe: () => Promise<T>): Promise<T | InsideCheck> => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<InsideCheck>((resolve) => {
      timer = setTimeout(() => resolve({ id, title, status: 'fail', saw: `no verdict within ${timeoutMs} ms`, fix: 'the dependency hangs: check the network from the bridge to it' }), timeoutMs + 500);
    });
    const guarded = probe().catch((error: unknown): InsideCheck => ({ id, title, status: 'fail', saw: `the check itself failed: ${String((error as Error).message ?? error).slice(0, 160)}` }));
    return Promise.race([guarded, late]).finally(() => clearTimeout(timer));
  };
  const results = await Promise.all([
    within('speech.key', 'recognition key', () => probeSpeech(deps.stt, deps.sttLanguage)),
    within('voice', 'cloud voice key and voice id', () => probeVoice(deps.tts)),
    within('store', 'store writable and migrated', () =>
      deps.storeCheck ? probeStore(deps.storeCheck) : Promise.resolve<InsideCheck>({ id: 'store', title: 'store writable and migrated', status: 'fail', saw: 'the bridge runs without a database' })),
    within('disk', 'disk room under DATA_DIR', () => probeDisk(deps.dataDir)),
    within('clock', 'clock in sync', () => probeClock(deps.clockSources, Math.min(3000, timeoutMs))),
    within('webhooks', 'webhook receivers answer', async () => probeWebhooks(await deps.webhookReceivers(), Math.min(3000, timeoutMs))),
  ]);
  return {
    ...deps.identity,
    instance: deps.instanceId,
    publicUrl: deps.publicUrl ?? null,
    checkedAt: new Date().toISOString(),
    checks: results.flat(),
  };
}
