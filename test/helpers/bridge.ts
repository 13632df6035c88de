import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { type Bridge, createBridge } from '../../src/bridge';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/observability/logger';
import { loadQuestionnaireDir } from '../../src/questionnaire/load';
import { staticPromptTexts } from '../../src/questionnaire/static-prompts';
import type { SttProvider } from '../../src/speech/stt';
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
  close(): Promise<void>;
}

/** The real bridge on port 0 with tone prompts and a temporary DATA_DIR. */
export async function startBridge(
  env: Record<string, string> = {},
  options: { keepaliveMs?: number; startTimeoutMs?: number; stt?: SttProvider } = {},
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
  const bridge = createBridge({ config, logger, questionnaires, prompts, keepaliveMs: options.keepaliveMs ?? 60_000, stt: options.stt ?? null, startTimeoutMs: options.startTimeoutMs ?? 15_000 });
  const port = await bridge.listen(0, '127.0.0.1');
  bridge.readiness.markReady();
  return { bridge, base: `http://127.0.0.1:${port}`, dataDir, prompts, logs, close: () => bridge.close(2000) };
}
