import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Bridge, createBridge } from './bridge';
import { CachedPrompts } from './call/cached-prompts';
import { type Config, loadConfig } from './config';
import { BridgeError, isBridgeError } from './errors';
import { type Logger, createLogger } from './observability/logger';
import { type Metrics, createMetrics } from './observability/metrics';
import { installProcessHandlers } from './observability/process-errors';
import { type LoadedQuestionnaire, loadQuestionnaireDir } from './questionnaire/load';
import { staticPromptTexts } from './questionnaire/static-prompts';
import { questionnaireSchema } from './questionnaire/schema';
import { EspeakTtsProvider } from './speech/espeak/espeak-tts';
import { FallbackTtsProvider } from './speech/fallback-tts';
import { PromptCache } from './speech/prompt-cache';
import { loadRecordings } from './call/load-recordings';
import type { TtsProvider } from './speech/tts';
import type { SttProvider } from './speech/stt';
import { DatabaseCallStore } from './store/database-call-store';
import { type Store, openStore } from './store';
import { scheduleRetention } from './store/retention';
import { Attempts, twilioDialer } from './outbound/attempts';
import { CampaignScheduler } from './outbound/campaigns';
import { startWebhooks } from './webhooks/start';
import { webhooksComponent } from './server/configured-components';
import { serviceRoom } from './call/service-room';
import { catalogSync } from './questionnaire/catalog-sync';
import { maskedReason } from './identifiers';
import { VERSION } from './version';

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
  const store = await openCallStore(config, logger, questionnaires, metrics);

  let bridge: Bridge | null = null;
  installProcessHandlers({
    logger,
    metrics,
    onFatal: () => {
      // Calls' answers are written as they are given; a short drain lets the last writes land.
      const exit = () => process.exit(1);
      setTimeout(exit, 5000).unref();
      (bridge ? bridge.close(2000) : Promise.resolve()).then(exit, exit);
    },
  });
  const tts = await createTts(config, logger, metrics);
  const cache = new PromptCache({
    provider: tts,
    dir: path.join(config.dataDir, 'prompt-cache'),
    onDiskError: (err, file) => logger.warn({ err, file }, 'prompt cache file unusable; rendering the prompt again'),
  });
  const prompts = new CachedPrompts(cache, (origin, seconds) => metrics.ttsSeconds.observe({ provider: tts.name, cache: origin }, seconds));
  const stt = await createStt(config, metrics, logger);
  bridge = createBridge({
    config,
    logger,
    questionnaires,
    prompts,
    metrics,
    stt,
    tts,
    store: new DatabaseCallStore(store.calls, config.instanceId),
    database: store,
    // Several instances share the database: a full instance asks whether the others have room.
    ...(config.databaseUrl
      ? {
          serviceRoom: serviceRoom(
            { load: () => store.instances.load(config.instanceHeartbeat.staleSeconds) },
            {
              onError: (error) => {
                metrics.storeErrors.inc({ operation: 'service_room' });
                logger.warn({ reason: maskedReason(error) }, 'could not read the service\'s free capacity: answering from this instance\'s own limit');
              },
            },
          ),
        }
      : {}),
    ...(config.twilioRest ? { dialer: twilioDialer(config.twilioRest) } : {}),
    warmPrompts: async (texts) => {
      await cache.warm(texts);
    },
  });
  if (!config.bridgeApiKey) logger.warn('clinic API off (/api, /fhir answer 404 api_disabled): set BRIDGE_API_KEY (32+ characters) to turn it on');
  const port = await bridge.listen(config.port);
  logger.info({ port }, 'bridge listening');
  const heartbeat = keepHeartbeat(store, bridge, metrics, config, logger);
  const stopRetention = scheduleRetention(store, config, logger);
  const webhooks = await startWebhooks(store, config, metrics, logger, (seconds) => bridge.readiness.setComponent('webhooks', webhooksComponent(config, seconds)));
  // Campaigns are dialled by every instance (claims in the database); only with Twilio's REST API configured.
  const campaigns = config.twilioRest
    ? new CampaignScheduler({ db: store.db, attempts: new Attempts(store.db), dialer: twilioDialer(config.twilioRest), baseUrl: config.publicUrl ?? `http://127.0.0.1:${port}`, leaseSeconds: config.campaignLeaseSeconds, logger })
    : null;
  campaigns?.start();
  // Several instances: a questionnaire uploaded through one goes live on the others within a heartbeat.
  const syncQuestionnaires = config.databaseUrl
    ? keepCatalogInSync(store, bridge, config, logger, metrics, async (texts) => {
        await cache.warm(texts);
      })
    : null;
  handleShutdown(bridge, tts, logger, heartbeat, async () => {
    campaigns?.stop();
    if (syncQuestionnaires) clearInterval(syncQuestionnaires);
    await heartbeat.leave();
    stopRetention();
    await webhooks.stop();
    await store.close();
  });
  await checkSpeech(stt, bridge, logger);

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

/**
 * Deepgram when DEEPGRAM_API_KEY is set; otherwise none, and callers answer on the keypad. Its SDK
 * is loaded only then (~5 MB of heap a process without the key would carry for nothing).
 */
async function createStt(config: Config, metrics: Metrics, logger: Logger): Promise<SttProvider | null> {
  if (!config.deepgram) return null;
  const { DeepgramSttProvider } = await import('./speech/deepgram/deepgram-stt.js');
  return new DeepgramSttProvider({
    apiKey: config.deepgram.apiKey,
    baseUrl: config.deepgram.url,
    mipOptOut: config.deepgram.mipOptOut,
    chunkMs: config.deepgram.chunkMs,
    language: config.sttLanguage,
    hooks: {
      connectSeconds: (seconds, outcome) => metrics.sttConnect.observe({ outcome }, seconds),
      reconnect: (outcome) => metrics.sttReconnects.inc({ outcome }),
      droppedAudioSeconds: (seconds) => metrics.sttDroppedAudio.inc(seconds),
      log: logger,
    },
  });
}

/**
 * Checks the recognition key once, so a wrong key is one clear line at startup and a degraded
 * /ready, not a failure on every call. A rejected key turns recognition off (keypad answers).
 */
async function checkSpeech(stt: SttProvider | null, bridge: Bridge, logger: Logger): Promise<void> {
  if (!stt) {
    const reason = 'DEEPGRAM_API_KEY is not set: callers answer on the keypad';
    bridge.readiness.setComponent('speech', { status: 'degraded', code: 'not_configured', reason });
    logger.warn(reason);
    return;
  }
  const check = await stt.check();
  if (check.ok) {
    bridge.readiness.setComponent('speech', { status: 'ok' });
    logger.info({ provider: stt.name }, 'speech recognition ready');
    return;
  }
  bridge.readiness.setComponent('speech', { status: 'degraded', code: check.retryable ? 'unreachable' : 'rejected', reason: check.reason });
  if (!check.retryable) {
    bridge.disableSpeech();
    logger.error({ reason: check.reason }, 'speech recognition key rejected: callers answer on the keypad until it is fixed');
  } else {
    logger.warn({ reason: check.reason }, 'speech recognition unreachable at startup: calls will keep retrying it');
  }
}

async function createTts(config: Config, logger: Logger, metrics: Metrics): Promise<TtsProvider> {
  // Workers start for prompts not cached yet and for read-backs; with no call in progress they
  // exit after 30 s idle (the bridge holds the voice during calls: read-backs never wait).
  const embedded = new EspeakTtsProvider({ workers: 2, idleExitMs: 30_000 });
  if (config.ttsProvider === 'espeak' || !config.elevenLabs) return embedded;
  // A cloud voice for production; any failure before its first audio falls back to the embedded
  // voice for that prompt (and that audio is never cached under the cloud voice's key). Its SDK
  // (5,400 modules, ~30 MB of heap and 2.5 s to load) is loaded only when it is the voice.
  const { ElevenLabsTtsProvider } = await import('./speech/elevenlabs/elevenlabs-tts.js');
  const { apiKey, voiceId, url } = config.elevenLabs;
  return new FallbackTtsProvider({
    primary: new ElevenLabsTtsProvider({ apiKey, voiceId, baseUrl: url, languageCode: config.sttLanguage.slice(0, 2) }),
    fallback: embedded,
    onFallback: (error) => {
      metrics.ttsFallbacks.inc();
      logger.warn({ err: error }, 'cloud voice failed before its first audio; the embedded voice speaks this prompt');
    },
  });
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
  if (!config.maqsamToken) {
    logger.warn(
      'DEVELOPMENT MODE: MAQSAM_TOKEN is not set, so /ws/maqsam streams are accepted WITHOUT authentication. Set it before connecting a Maqsam integration (NODE_ENV=production refuses to start without it).',
    );
  }
}

/**
 * The database (embedded PGlite in DATA_DIR/db, or DATABASE_URL). Calls a previous run left open
 * (a crash or kill -9) are closed as `interrupted` with their answers intact; the questionnaire
 * versions loaded now are recorded, so every call's answers point at the exact version asked.
 */
async function openCallStore(config: Config, logger: Logger, questionnaires: Map<string, LoadedQuestionnaire>, metrics: Metrics): Promise<Store> {
  const store = await openStore({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    logger,
    allowHttpWebhooks: config.nodeEnv !== 'production',
    onStatement: (kind) => metrics.storeStatements.inc({ kind }),
  });
  // One process owns the embedded database, so every open call in it was ours, whatever our host name was then.
  const interrupted = config.databaseUrl ? await store.calls.closeInterrupted(config.instanceId) : await store.calls.closeAllInterrupted();
  if (interrupted > 0) logger.warn({ interrupted, instance: config.instanceId }, 'calls left open by a previous run closed as interrupted (their answers are kept)');
  for (const q of questionnaires.values()) await store.calls.saveQuestionnaire(q.definition.id, q.definition.version, q.definition);
  // A version uploaded through the API stays live across restarts: the highest version of each id wins.
  const uploaded = await store.db
    .selectFrom('questionnaires')
    .select(['id', 'version', 'definition'])
    .distinctOn('id')
    .orderBy('id')
    .orderBy('version', 'desc')
    .execute();
  for (const row of uploaded) {
    const current = questionnaires.get(row.id);
    if (current && current.definition.version >= row.version) continue;
    const parsed = questionnaireSchema.safeParse(row.definition);
    if (!parsed.success) {
      logger.error({ questionnaire: row.id, version: row.version }, 'stored questionnaire version no longer validates; keeping the previous one');
      continue;
    }
    questionnaires.set(row.id, { definition: parsed.data, file: path.join(config.questionnairesDir, `${row.id}.uploaded.json`) });
    logger.info({ questionnaire: row.id, version: row.version, file: current ? current.definition.version : null }, 'questionnaire version uploaded through the API is live (newer than its file)');
  }
  return store;
}

function keepCatalogInSync(store: Store, bridge: Bridge, config: Config, logger: Logger, metrics: Metrics, warm: (texts: string[]) => Promise<void>): NodeJS.Timeout {
  const sync = catalogSync(
    {
      latest: () => store.db.selectFrom('questionnaires').select(['id', (eb) => eb.fn.max('version').as('version')]).groupBy('id').execute(),
      definition: async (id, version) =>
        (await store.db.selectFrom('questionnaires').select('definition').where('id', '=', id).where('version', '=', version).executeTakeFirst())?.definition,
    },
    { catalog: bridge.catalog, warm, questionnairesDir: config.questionnairesDir, logger },
  );
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    sync()
      .catch((error: unknown) => {
        metrics.storeErrors.inc({ operation: 'questionnaire_sync' });
        logger.warn({ reason: maskedReason(error) }, 'could not check for questionnaire versions uploaded through another instance; trying again at the next heartbeat');
      })
      .finally(() => {
        running = false;
      });
  }, config.instanceHeartbeat.everySeconds * 1000);
  timer.unref();
  return timer;
}

interface Heartbeat {
  /** Beats at once (draining starts: the others stop counting this instance's capacity). */
  now(): void;
  /** Stops beating and removes this instance's row: its capacity leaves the service. */
  leave(): Promise<void>;
}

/**
 * Every INSTANCE_HEARTBEAT_SECONDS (10): this instance's row (its limit, whether it drains) and
 * its open calls are marked alive, and the result tells /ready whether the store answers, even
 * when no call is writing. Every half of INSTANCE_STALE_SECONDS (60): the calls of any other
 * instance silent for that long are closed as interrupted, answers kept. So a killed instance's
 * calls are closed within 1.5 × INSTANCE_STALE_SECONDS (+ one heartbeat) of its last beat.
 */
function keepHeartbeat(store: Store, bridge: Bridge, metrics: Metrics, config: Config, logger: Logger): Heartbeat {
  const { everySeconds, staleSeconds } = config.instanceHeartbeat;
  const sweepEvery = Math.max(1, Math.floor(staleSeconds / 2 / everySeconds));
  let beats = 0;
  let inFlight: Promise<unknown> = Promise.resolve();
  let first = true;
  const beat = () => {
    if (++beats % sweepEvery === 0) {
      store.calls.closeStale(staleSeconds, config.instanceId).then(
        (closed) => {
          if (closed > 0) logger.warn({ closed, staleSeconds }, 'calls of an instance that stopped beating closed as interrupted (their answers are kept)');
        },
        () => metrics.storeErrors.inc({ operation: 'close_stale' }),
      );
      // An instance silent for a day is not coming back under its name: its row goes.
      store.instances.forget(86_400).catch(() => metrics.storeErrors.inc({ operation: 'heartbeat' }));
    }
    const restarted = first;
    first = false;
    inFlight = Promise.all([
      store.instances.beat({ id: config.instanceId, maxCalls: config.maxConcurrentCalls, draining: bridge.readiness.current === 'draining', version: VERSION, ...(restarted ? { started: true } : {}) }),
      store.calls.heartbeat(config.instanceId),
    ]).then(
      () => bridge.recorder.reportProbe(null),
      (error: unknown) => {
        metrics.storeErrors.inc({ operation: 'heartbeat' });
        bridge.recorder.reportProbe(error);
      },
    );
  };
  const timer = setInterval(beat, everySeconds * 1000);
  timer.unref();
  beat();
  return {
    now: beat,
    async leave() {
      clearInterval(timer);
      // A beat already sent could land after the delete and bring the row back.
      await inFlight;
      await store.instances.leave(config.instanceId).catch(() => metrics.storeErrors.inc({ operation: 'heartbeat' }));
    },
  };
}

/** SIGTERM/SIGINT: /ready turns 503, no new calls, calls in progress get time to finish, then exit. */
function handleShutdown(bridge: Bridge, tts: TtsProvider, logger: Logger, heartbeat: Heartbeat, closeStore: () => Promise<void>): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, activeCalls: bridge.registry.active }, 'draining: no new calls; live calls get the grace period');
    const drained = bridge.close(30_000);
    // The other instances stop counting this one's capacity now, not at its next heartbeat.
    heartbeat.now();
    drained
      .then(closeStore)
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
