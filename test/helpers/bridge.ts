import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { type Bridge, createBridge } from '../../src/bridge';
import type { CallRecord, CallStore } from '../../src/call/call-store';
import type { ServiceRoom } from '../../src/call/service-room';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/observability/logger';
import { twilioDialer } from '../../src/outbound/attempts';
import { loadQuestionnaireDir } from '../../src/questionnaire/load';
import { staticPromptTexts } from '../../src/questionnaire/static-prompts';
import type { SttProvider } from '../../src/speech/stt';
import type { TtsProvider } from '../../src/speech/tts';
import type { Store } from '../../src/store';
import { DatabaseCallStore } from '../../src/store/database-call-store';
import { openTemplateStore } from '../../src/store/testing/pglite-template';
import { QUESTIONNAIRES_DIR } from './questionnaires';
import { TonePrompts } from './tone-prompts';

export const AUTH_TOKEN = 'test-auth-token-0123456789';

export interface TestBridge {
  bridge: Bridge;
  base: string;
  dataDir: string;
  prompts: TonePrompts;
  /** Every log line written, parsed. */
  logs: Array<Record<string, unknown>>;
  /** The call path's store (the database's calls, as instance `test`). */
  store: CallStore;
  /** The database itself (an in-memory copy of the test template), to query its tables. */
  database: Store;
  /** The newest stored call with this provider id (Twilio by default), or undefined. */
  recordOf(providerCallId: string, provider?: 'twilio' | 'maqsam'): Promise<CallRecord | undefined>;
  /** The same, throwing while there is none yet (waitFor treats a throw as "not yet"). */
  saved(providerCallId: string, provider?: 'twilio' | 'maqsam'): Promise<CallRecord>;
  /** Closes the bridge (its drain writes every call's end), then the database. */
  close(): Promise<void>;
}

/** The real bridge on port 0 with tone prompts, a temporary DATA_DIR and its own in-memory database. */
export async function startBridge(
  env: Record<string, string> = {},
  options: {
    keepaliveMs?: number;
    startTimeoutMs?: number;
    stt?: SttProvider;
    /** The voice whose key and voice id GET /api/v1/diagnostics checks (prompts stay tones). */
    tts?: TtsProvider;
    /** A database the test opened (and closes itself); by default the bridge gets its own in-memory one. */
    database?: Store;
    /** Several instances: whether the service has room (as main.ts wires it over Postgres). */
    serviceRoom?: ServiceRoom;
  } = {},
): Promise<TestBridge> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'bridge-'));
  const config = loadConfig({ DATA_DIR: dataDir, QUESTIONNAIRES_DIR, TWILIO_AUTH_TOKEN: AUTH_TOKEN, ...env });
  const logs: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n')) if (line) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const logger = createLogger({ level: 'debug', destination });
  const questionnaires = loadQuestionnaireDir(config.questionnairesDir);
  const prompts = new TonePrompts();
  for (const q of questionnaires.values()) prompts.warm(staticPromptTexts(q.definition));
  const database = options.database ?? (await openTemplateStore({ dataDir, logger }));
  // As main.ts does at startup: every version loaded is kept, so results can name the exact one asked.
  for (const q of questionnaires.values()) await database.calls.saveQuestionnaire(q.definition.id, q.definition.version, q.definition);
  const store = new DatabaseCallStore(database.calls, config.instanceId);
  const recordOf = async (providerCallId: string, provider: 'twilio' | 'maqsam' = 'twilio') => (await store.findByProviderCallId(provider, providerCallId))[0];
  const saved = async (providerCallId: string, provider: 'twilio' | 'maqsam' = 'twilio') => {
    const record = await recordOf(providerCallId, provider);
    if (!record) throw new Error(`no record yet for ${provider} call ${providerCallId}`);
    return record;
  };
  const bridge = createBridge({ config, logger, questionnaires, prompts, store, database, warmPrompts: async (texts) => prompts.warm(texts), ...(config.twilioRest ? { dialer: twilioDialer(config.twilioRest) } : {}), keepaliveMs: options.keepaliveMs ?? 60_000, stt: options.stt ?? null, ...(options.tts ? { tts: options.tts } : {}), startTimeoutMs: options.startTimeoutMs ?? 15_000, ...(options.serviceRoom ? { serviceRoom: options.serviceRoom } : {}) });
  const close = async () => {
    try {
      await bridge.close(2000);
    } finally {
      if (!options.database) await database.close();
    }
  };
  const port = await bridge.listen(0, '127.0.0.1');
  bridge.readiness.markReady();
  return { bridge, base: `http://127.0.0.1:${port}`, dataDir, prompts, logs, store, database, recordOf, saved, close };
}
