import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Bridge, createBridge } from './bridge';
import { CachedPrompts } from './call/cached-prompts';
import { type Config, loadConfig } from './config';
import { BridgeError, isBridgeError } from './errors';
import { type Logger, createLogger } from './observability/logger';
import { createMetrics } from './observability/metrics';
import { type LoadedQuestionnaire, loadQuestionnaireDir } from './questionnaire/load';
import { staticPromptTexts } from './questionnaire/static-prompts';
import { EspeakTtsProvider } from './speech/espeak/espeak-tts';
import { PromptCache } from './speech/prompt-cache';
import { loadRecordings } from './call/load-recordings';
import type { TtsProvider } from './speech/tts';

/** Composition root: the only place that picks concrete parts and reads the environment. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel });
  const startedAt = performance.now();
  warnAboutDevelopmentMode(config, logger);

  const questionnaires = loadQuestionnaireDir(config.questionnairesDir);
  checkQuestionnaireChoices(config, questionnaires);
  logger.info({ questionnaires: [...questionnaires.keys()], dir: config.questionnairesDir }, 'questionnaires loaded');
  mkdirSync(config.dataDir, { recursive: true });

  const metrics = createMetrics();
  const tts = createTts(config);
  const cache = new PromptCache({
    provider: tts,
    dir: path.join(config.dataDir, 'prompt-cache'),
    onDiskError: (err, file) => logger.warn({ err, file }, 'prompt cache file unusable; rendering the prompt again'),
  });
  const prompts = new CachedPrompts(cache, (origin, seconds) => metrics.ttsSeconds.observe({ provider: tts.name, cache: origin }, seconds));
  const bridge = createBridge({ config, logger, questionnaires, prompts, metrics });
  const port = await bridge.listen(config.port);
  logger.info({ port }, 'bridge listening');
  handleShutdown(bridge, tts, logger);

  // /health answers from here on; /ready waits for every static prompt to be rendered.
  const recordings = await loadRecordings(cache, questionnaires);
  if (recordings > 0) logger.info({ recordings }, 'recorded prompts loaded');
  const texts = [...questionnaires.values()].flatMap((q) => staticPromptTexts(q.definition));
  const warm = await cache.warm(texts);
  logger.info(
    { prompts: new Set(texts).size, fresh: warm.fresh, fromDisk: warm.disk, inMemory: warm.memory, renderMs: Math.round(warm.ms), provider: tts.name },
    'prompts rendered',
  );
  // The first scrape builds prom-client's caches (~30 ms of CPU): pay that before calls arrive.
  await metrics.registry.metrics();
  bridge.readiness.markReady();
  logger.info({ startupMs: Math.round(performance.now() - startedAt) }, 'bridge ready');
}

function createTts(config: Config): TtsProvider {
  switch (config.ttsProvider) {
    case 'espeak':
      return new EspeakTtsProvider({ workers: 2 });
  }
}

function checkQuestionnaireChoices(config: Config, questionnaires: ReadonlyMap<string, LoadedQuestionnaire>): void {
  const known = [...questionnaires.keys()].join(', ');
  if (!questionnaires.has(config.defaultQuestionnaire)) {
    throw new BridgeError(
      'CONFIG_INVALID',
      `DEFAULT_QUESTIONNAIRE="${config.defaultQuestionnaire}" is not among the questionnaires in ${config.questionnairesDir} (${known})`,
    );
  }
  for (const [number, id] of Object.entries(config.questionnaireByNumber)) {
    if (!questionnaires.has(id)) {
      throw new BridgeError('CONFIG_INVALID', `QUESTIONNAIRE_BY_NUMBER: ${number} → "${id}" is not among the questionnaires (${known})`);
    }
  }
}

function warnAboutDevelopmentMode(config: Config, logger: Logger): void {
  if (!config.twilioAuthToken) {
    logger.warn(
      'DEVELOPMENT MODE: TWILIO_AUTH_TOKEN is not set, so webhooks and media streams are accepted WITHOUT signature checks. Set it before pointing a real number here (NODE_ENV=production refuses to start without it).',
    );
  }
}

/** SIGTERM/SIGINT: /ready turns 503, no new calls, calls in progress get time to finish, then exit. */
function handleShutdown(bridge: Bridge, tts: TtsProvider, logger: Logger): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, activeCalls: bridge.registry.active }, 'draining: no new calls, closing the server');
    bridge
      .close(30_000)
      .then(() => tts.close())
      .then(
        () => {
          logger.info('server closed, exiting');
          process.exit(0);
        },
        (error: unknown) => {
          logger.error({ err: error }, 'error while draining; exiting');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  // The logger may not exist yet (bad LOG_LEVEL): startup errors go to stderr as one clear block.
  const code = isBridgeError(error) ? error.code : 'STARTUP_FAILED';
  process.stderr.write(`bridge cannot start [${code}]:\n${(error as Error).message}\n`);
  process.exit(1);
});
