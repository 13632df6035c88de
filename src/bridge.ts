import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { apiRouter } from './api/router';
import { designHalfband } from './audio/halfband-design';
import { createHalfbandKernel } from './audio/halfband-kernel';
import { HalfbandUpsampler } from './audio/halfband-upsampler';
import { CallRecorder } from './call/call-recorder';
import { CallRegistry } from './call/call-registry';
import { CallSession } from './call/call-session';
import type { CallStore } from './call/call-store';
import { CLOSE, MediaStream } from './call/media-stream';
import { PlayoutClock } from './call/playout-clock';
import type { PromptSource } from './call/prompt-source';
import type { ServiceRoom } from './call/service-room';
import type { Config } from './config';
import { createDiagnostics } from './diagnostics/run';
import { maskedReason, PATIENT_REFERENCE } from './identifiers';
import type { Logger } from './observability/logger';
import { createMetrics, type Metrics } from './observability/metrics';
import { Attempts, type Dialer } from './outbound/attempts';
import { QuestionnaireCatalog } from './questionnaire/catalog';
import { chooseQuestionnaire, reportQuestionnaireChoice } from './questionnaire/choose';
import type { LoadedQuestionnaire } from './questionnaire/load';
import { questionnaireKeyterms } from './questionnaire/speech-text';
import { type BuildIdentity, createApp } from './server/app';
import { configuredComponents } from './server/configured-components';
import { diagnosticTokenKey } from './server/diagnostic-token';
import { Readiness } from './server/readiness';
import { attachStreamRoutes } from './server/upgrade';
import type { SttProvider } from './speech/stt';
import type { TtsProvider } from './speech/tts';
import type { Store } from './store';
import type { Provider, StreamStart } from './telephony/events';
import { authenticateMaqsamUpgrade } from './telephony/maqsam/auth';
import { maqsamProtocol } from './telephony/maqsam/protocol';
import { twilioProtocol } from './telephony/twilio/protocol';
import { twilioStreamAuth } from './telephony/twilio/stream-auth';
import { STREAM_TOKEN_PARAMETER } from './telephony/twilio/stream-token';
import { STREAM_PATH, twilioWebhooks } from './telephony/twilio/webhook';
import { SERVICE_NAME, VERSION } from './version';

export const MAQSAM_PATH = '/ws/maqsam';

export interface BridgeOptions {
  config: Config;
  logger: Logger;
  questionnaires: ReadonlyMap<string, LoadedQuestionnaire>;
  prompts: PromptSource;
  /** Speech recognition, or null/absent: callers answer on the keypad. */
  stt?: SttProvider | null;
  /** The voice prompts are rendered with: only its key and voice id are checked (GET /api/v1/diagnostics). */
  tts?: TtsProvider;
  store: CallStore;
  /** The database, for the clinic API (/api/v1); absent: no API routes. */
  database?: Store;
  /** Places outbound calls (POST /api/v1/calls); absent: outbound calls are off. */
  dialer?: Dialer;
  /** Renders and caches static prompts of a questionnaire uploaded through the API, before it goes live. */
  warmPrompts?: (texts: string[]) => Promise<void>;
  metrics?: Metrics;
  /** Audio kept queued at the provider ahead of playback (≤ 100 ms). */
  leadMs?: number;
  keepaliveMs?: number;
  /** A stream that has not started by then is closed with 1008 (default 15 s). */
  startTimeoutMs?: number;
  /**
   * Several instances over one database: whether the service as a whole has room for a call,
   * asked when this instance is full (or draining). Absent: this instance's limit is the service's.
   */
  serviceRoom?: ServiceRoom;
}

export interface Bridge {
  server: Server;
  registry: CallRegistry;
  metrics: Metrics;
  readiness: Readiness;
  /** The questionnaires new calls get (the API activates uploaded versions here). */
  catalog: QuestionnaireCatalog;
  /** Every call's writes to the store; main.ts reports the heartbeat's result to it. */
  recorder: CallRecorder;
  listen(port: number, host?: string): Promise<number>;
  /** Turns speech recognition off for new calls (a rejected key): they answer on the keypad. */
  disableSpeech(): void;
  /**
   * Drains: /ready 503, no new calls, waits up to `graceMs` for calls to end, then closes the rest,
   * then up to `storeFlushMs` for every call's final record to be committed.
   */
  close(graceMs?: number, storeFlushMs?: number): Promise<void>;
}

/** Wires the service together from parts it is given; only main.ts picks the concrete parts. */
export function createBridge(options: BridgeOptions): Bridge {
  const { config, logger } = options;
  const catalog = new QuestionnaireCatalog(options.questionnaires.values());
  const attempts = options.database ? new Attempts(options.database.db) : undefined;
  const metrics = options.metrics ?? createMetrics();
  const readiness = new Readiness();
  // The voice is held while calls are in progress: a read-back never waits for its worker to start,
  // and an idle bridge lets that worker go.
  let releaseVoice: (() => void) | undefined;
  const registry = new CallRegistry(config.maxConcurrentCalls, undefined, (busy) => {
    releaseVoice?.();
    releaseVoice = busy ? options.tts?.hold?.() : undefined;
  });
  const recorder = new CallRecorder(options.store, {
    metrics,
    logger,
    onHealth: (health) => readiness.setComponent('store', health),
  });
  readiness.setComponent('store', { status: 'ok' });
  for (const [name, status] of Object.entries(configuredComponents(config))) readiness.setComponent(name, status);
  const clock = new PlayoutClock();
  // Caller audio to recognition, 8 → 16 kHz: one half-band kernel (WASM SIMD) shared by every call's upsampler.
  const upsamplingKernel = createHalfbandKernel(designHalfband());
  const signature = { authToken: config.twilioAuthToken, publicUrl: config.publicUrl, trustProxy: config.trustProxy };
  let speechEnabled = true;
  const identity: BuildIdentity = { service: SERVICE_NAME, version: VERSION, build: config.buildId };
  const database = options.database;
  const diagnose = createDiagnostics({
    identity,
    instanceId: config.instanceId,
    publicUrl: config.publicUrl,
    sttLanguage: config.sttLanguage,
    stt: options.stt ?? null,
    tts: options.tts,
    storeCheck: database ? () => database.selfCheck() : undefined,
    dataDir: config.dataDir,
    clockSources: clockSources(config),
    webhookReceivers: async () => (database ? (await database.webhooks.list()).map((w) => w.url) : []),
  });

  const app = createApp({
    trustProxy: config.trustProxy,
    logger,
    metrics,
    readiness,
    identity,
    routers: [
      ...(options.database ? [apiRouter({ store: options.database, bootstrapKey: config.bridgeApiKey, publicUrl: config.publicUrl, logger, catalog, dialer: options.dialer, warmPrompts: options.warmPrompts ?? (async () => undefined), questionnairesDir: config.questionnairesDir, consoleDigits: config.consoleDigits, consoleTimeZone: config.consoleTimeZone, instanceStaleSeconds: config.instanceHeartbeat.staleSeconds, diagnose })] : []),
      twilioWebhooks({
        signature,
        registry,
        questionnaireIds: catalog.ids,
        defaultQuestionnaire: config.defaultQuestionnaire,
        questionnaireByNumber: config.questionnaireByNumber,
        onUnknownQuestionnaire: config.unknownQuestionnaire,
        draining: () => readiness.current === 'draining',
        ...(options.serviceRoom ? { serviceRoom: options.serviceRoom } : {}),
        ...(attempts ? { attempts } : {}),
        campaignLeaseSeconds: config.campaignLeaseSeconds,
        ...(options.database ? { storedOutcome: storedOutcome(options.database) } : {}),
        onAnsweringMachine: (callSid) => {
          const local = registry.get('twilio', callSid);
          if (local) return local.onVoicemail();
          // Several instances: the call's stream may run on another one; every instance hears this.
          if (options.database?.engine !== 'postgres') return;
          logger.info({ callSid }, 'answering machine on a call whose stream is not here: telling the other instances');
          options.database.signals.publish('bridge_voicemail', callSid).catch((error: unknown) => {
            metrics.storeErrors.inc({ operation: 'signal' });
            logger.warn({ callSid, reason: maskedReason(error) }, 'could not tell the other instances that a call reached voicemail');
          });
        },
        metrics,
        logger,
      }),
    ],
  });
  const server = createServer(app);
  // Machine detection's callback that reached another instance, for a call whose stream runs here.
  const stopVoicemailSignals = options.database?.signals.subscribe('bridge_voicemail', (callSid) => registry.get('twilio', callSid)?.onVoicemail());
  // The Twilio stream's start names the attempt of a call we placed, or of a matched call-back (our TwiML <Parameter>).
  const attemptContext = async (store: Attempts, id: string, callSid: string) => {
    const found = await store.context(id);
    // Bound to the call Twilio placed for it: another call naming this attempt gets nothing of it.
    if (!found || found.providerCallId !== callSid) throw new Error('the stream names an unknown attempt, or one placed for another call');
    return { context: found.custom, patientReference: found.patientReference, direction: found.direction, attemptId: id, voicemail: found.voicemail };
  };

  // A Maqsam campaign call: matched to its campaign patient and attempt, so the call's end settles them as a Twilio call's does.
  const maqsamContext = async (patientReference: string, start: StreamStart, log: Logger) => {
    const unlinked = { context: start.context, patientReference, direction: 'outbound' as const, attemptId: null };
    if (!attempts) return unlinked;
    try {
      const matched = await attempts.matchMaqsam({ patientReference, callId: start.callId, leaseSeconds: config.campaignLeaseSeconds });
      if (!matched) return unlinked;
      log.info({ attempt: matched.attemptId }, 'maqsam campaign call matched to its campaign patient');
      // The patient's campaign variables, then what Maqsam sent for this call.
      return { ...unlinked, context: { ...matched.custom, ...start.context }, attemptId: matched.attemptId };
    } catch (error) {
      log.warn({ reason: maskedReason(error) }, 'could not match a maqsam campaign call to its patient: the call runs linked by reference only');
      return unlinked;
    }
  };

  const createSession = (provider: Provider, link: ConstructorParameters<typeof CallSession>[0], start: StreamStart, log: Logger) => {
    // The stream's parameters (Twilio <Parameter>, Maqsam URL query), then campaign variables.
    const choice = chooseQuestionnaire({
      named: start.parameters['questionnaire'] ?? start.context['questionnaire'],
      known: catalog.ids,
      defaultId: config.defaultQuestionnaire,
      policy: config.unknownQuestionnaire,
    });
    reportQuestionnaireChoice(choice, provider === 'twilio' ? 'twilio_stream' : 'maqsam_stream', { metrics, logger: log });
    if (choice.outcome === 'rejected') {
      return { refused: { reason: 'unknown_questionnaire', detail: 'unknown questionnaire: the stream names a questionnaire this bridge does not have' } };
    }
    const questionnaire = catalog.get(choice.id) as LoadedQuestionnaire;
    const stt = speechEnabled ? (options.stt ?? null) : null;
    const keyterms = questionnaireKeyterms(questionnaire.definition);
    const attemptId = provider === 'twilio' ? start.parameters['attempt'] : undefined;
    const session: CallSession = new CallSession(link, {
      provider,
      callId: start.callId,
      questionnaire,
      context: start.context,
      ...(attemptId && attempts ? { prepare: attemptContext(attempts, attemptId, start.callId) } : {}),
      // A Maqsam campaign dials from Maqsam's side; its `custom.patient_reference` links the result to the patient (and their campaign, when one has them).
      ...(provider === 'maqsam' && PATIENT_REFERENCE.test(start.context['patient_reference'] ?? '') ? { prepare: maqsamContext(start.context['patient_reference'] as string, start, log) } : {}),
      prompts: options.prompts,
      speech: stt && {
        open: (onEvent) => stt.open(start.callId, onEvent, { keyterms }),
        bargeInMinMs: config.bargeInMinMs,
        bargeInMinWords: config.bargeInMinWords, noWordsMs: config.speechNoWordsMs,
        degradedAfterMs: config.sttDegradedAfterMs,
      },
      upsampler: new HalfbandUpsampler(upsamplingKernel),
      recorder,
      metrics,
      logger: log,
      logHealthData: config.logHealthData,
      clock,
      leadMs: options.leadMs ?? 80,
      frameMs: config.outboundFrameMs,
      earlyMs: clock.tickMs / 2,
      onEnded: (s) => registry.ended(s),
    });
    return session;
  };

  const streamDeps = {
    registry,
    metrics,
    logger,
    ...(options.keepaliveMs ? { keepaliveMs: options.keepaliveMs } : {}),
    ...(options.startTimeoutMs ? { startTimeoutMs: options.startTimeoutMs } : {}),
    ...(options.serviceRoom ? { serviceRoom: options.serviceRoom } : {}),
  };
  const wss = attachStreamRoutes(
    server,
    [
      {
        path: STREAM_PATH,
        provider: 'twilio',
        authenticate: twilioStreamAuth(signature),
        onConnection: (ws, _req, admission) => {
          new MediaStream(ws, {
            ...streamDeps,
            adapter: twilioProtocol,
            checkStart: admission.checkStart,
            onSettled: admission.started,
            secretParameters: [STREAM_TOKEN_PARAMETER],
            createSession: (link, start, log) => createSession('twilio', link, start, log),
          });
        },
      },
      {
        path: MAQSAM_PATH,
        provider: 'maqsam',
        // A wrong Auth header is refused here (401); without one, session.setup must carry apiKey.
        authenticate: (req) => authenticateMaqsamUpgrade(config.maqsamToken, req.headers),
        onConnection: (ws, req, admission) => {
          new MediaStream(ws, {
            ...streamDeps,
            adapter: maqsamProtocol,
            query: queryOf(req.url),
            checkStart: admission.checkStart,
            onSettled: admission.started,
            createSession: (link, start, log) => createSession('maqsam', link, start, log),
          });
        },
      },
    ],
    {
      logger,
      metrics,
      readiness,
      trustProxy: config.trustProxy,
      limits: { maxPending: config.maxPendingStreams, maxPendingPerAddress: config.maxPendingStreamsPerAddress },
      diagnostics: { key: config.bridgeApiKey ? diagnosticTokenKey(config.bridgeApiKey) : null, identity, ...(options.keepaliveMs ? { keepaliveMs: options.keepaliveMs } : {}) },
    },
  );

  return {
    server,
    registry,
    metrics,
    readiness,
    catalog,
    recorder,
    disableSpeech: () => {
      speechEnabled = false;
    },
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve((server.address() as AddressInfo).port);
        });
      }),
    close: async (graceMs = 30_000, storeFlushMs = 10_000) => {
      // /ready answers 503 from now on, and keeps answering it during the grace period, so a load
      // balancer sees the instance leave; new streams get 503 and new calls "all lines busy".
      readiness.markDraining();
      let timer: NodeJS.Timeout | undefined;
      const waited = await Promise.race([
        registry.drained().then(() => true),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(false), graceMs);
        }),
      ]);
      clearTimeout(timer);
      if (!waited) logger.warn({ active: registry.active }, 'drain timeout: ending the remaining calls (their answers are saved)');
      // Each remaining call ends as if the caller hung up: status and end time are written now.
      for (const session of registry.live()) session.onStreamEnded();
      for (const ws of wss.clients) ws.close(CLOSE.goingAway, 'bridge shutting down');
      // A store that is down gets a last window to come back; what still fails is logged call by call.
      const unsaved = await recorder.flush(storeFlushMs);
      if (unsaved > 0) logger.error({ unsaved }, 'some final call records could not be written before shutdown');
      clock.stop();
      stopVoicemailSignals?.();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await closed;
    },
  };
}

/** The configured vendors whose HTTP Date the clock check compares with (nothing unconfigured is asked). */
function clockSources(config: Config): string[] {
  const sources: string[] = [];
  if (config.deepgram) sources.push((config.deepgram.url ?? 'https://api.deepgram.com').replace(/^ws(s?):/i, 'http$1:'));
  if (config.ttsProvider === 'elevenlabs' && config.elevenLabs) sources.push(config.elevenLabs.url ?? 'https://api.elevenlabs.io');
  if (config.twilioRest) sources.push(config.twilioRest.baseUrl ?? 'https://api.twilio.com');
  return sources;
}

/** `?name=value` pairs of a stream URL (Maqsam may name the questionnaire there); never throws. */
function queryOf(url: string | undefined): Record<string, string> {
  const query = url?.split('?')[1];
  if (!query) return {};
  const values: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(query)) {
    if (name.length <= 64 && value.length <= 200 && name !== '__proto__') values[name] = value;
  }
  return values;
}

/**
 * A Twilio call's outcome as stored: its latest call row, once the instance that ran it has saved
 * its end (waited for up to 3 s, as that save follows the stream's close). Undefined when the
 * store has no such call, or it is still in progress after the wait.
 */
function storedOutcome(database: Store) {
  return async (callSid: string): Promise<{ transferTo: string | null } | undefined> => {
    const deadline = Date.now() + 3000;
    for (;;) {
      const calls = await database.calls.findByProviderCallId('twilio', callSid);
      const latest = calls.sort((a, b) => (a.startedAt < b.startedAt ? 1 : -1))[0];
      if (latest && latest.status !== 'in_progress') return { transferTo: latest.transferredTo ?? null };
      if (!latest || Date.now() > deadline) return undefined;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
}
