import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createBridge } from '../src/bridge';
import { CachedPrompts } from '../src/call/cached-prompts';
import { placeMaqsamCall } from '../src/cli/caller/maqsam-caller';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/observability/logger';
import { createMetrics } from '../src/observability/metrics';
import { loadQuestionnaireDir } from '../src/questionnaire/load';
import { staticPromptTexts } from '../src/questionnaire/static-prompts';
import { PromptCache } from '../src/speech/prompt-cache';
import { DatabaseCallStore } from '../src/store/database-call-store';
import { openTemplateStore } from '../src/store/testing/pglite-template';
import type { TtsChunk, TtsProvider } from '../src/speech/tts';
import { MINIMAL_YAML } from './helpers/questionnaires';
import { waitFor } from './helpers/wait';

/** 200 ms of μ-law made of the text's own bytes: every text's audio differs, so a file can be traced to its text. */
function audioOf(text: string): Uint8Array {
  const utf8 = Buffer.from(text);
  return Uint8Array.from({ length: 1600 }, (_, i) => utf8[i % utf8.length] ?? 0xff);
}

/** A voice whose audio is audioOf(text). */
class PitchedTts implements TtsProvider {
  readonly name = 'pitched';
  readonly voice = 'tone';
  readonly texts: string[] = [];
  async *synthesize(text: string): AsyncGenerator<TtsChunk> {
    this.texts.push(text);
    yield { encoding: 'mulaw', sampleRateHz: 8000, bytes: audioOf(text) };
  }
  async close(): Promise<void> {}
}

const GREETING = 'مرحباً {custom.patient_name}، معك العيادة';
const YAML = MINIMAL_YAML.replace('id: mini', 'id: private')
  .replace('greeting: hello', `greeting: "${GREETING}"`)
  .replace('    type: boolean\n    text: question one', '    type: decimal\n    text: your temperature\n    min: 34\n    max: 43');

/**
 * Read-backs ("you said 38.5") and prompts with call values are health data: a call keeps them
 * for itself only. The shared prompt cache (memory and DATA_DIR/prompt-cache) holds static prompts.
 */
test('a call with a {custom.name} greeting and a read-back leaves neither in the prompt cache, on disk or in memory', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'private-q-'));
  writeFileSync(path.join(dir, 'private.yaml'), YAML);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'private-data-'));
  const config = loadConfig({ QUESTIONNAIRES_DIR: dir, DEFAULT_QUESTIONNAIRE: 'private', DATA_DIR: dataDir, MAQSAM_TOKEN: 'maqsam-token-0123456789' });
  const questionnaires = loadQuestionnaireDir(dir);
  const tts = new PitchedTts();
  const cacheDir = path.join(dataDir, 'prompt-cache');
  const cache = new PromptCache({ provider: tts, dir: cacheDir });
  const statics = [...questionnaires.values()].flatMap((q) => staticPromptTexts(q.definition));
  await cache.warm(statics);
  const metrics = createMetrics();
  const prompts = new CachedPrompts(cache, () => {});
  const logger = createLogger({ level: 'silent' });
  const database = await openTemplateStore({ dataDir, logger });
  const store = new DatabaseCallStore(database.calls, 'test');
  const bridge = createBridge({ config, logger, questionnaires, prompts, metrics, store });
  const port = await bridge.listen(0, '127.0.0.1');
  try {
    // 385# is read back as 38.5 (a keypad decimal is always confirmed); 1 confirms it.
    const report = await placeMaqsamCall({ baseUrl: `http://127.0.0.1:${port}`, token: 'maqsam-token-0123456789', direction: 'outbound', custom: { patient_name: 'فاطمة' }, dtmf: ['385#', '1'] });
    const { callId } = report;
    await waitFor(async () => (await store.findByProviderCallId('maqsam', callId))[0]?.endedAt != null, 5000, 'call record');
    expect((await store.findByProviderCallId('maqsam', callId))[0]?.answers['q1']?.value).toBe(38.5);
  } finally {
    await bridge.close(1000).finally(() => database.close());
  }

  // The call did say both: the voice was asked for them during the call.
  const greeting = 'مرحباً فاطمة، معك العيادة';
  const readBack = tts.texts.find((t) => t.startsWith('you said '));
  expect(tts.texts).toContain(greeting);
  expect(readBack).toBeDefined();
  const dynamic = [greeting, readBack as string];
  for (const text of dynamic) {
    expect(statics).not.toContain(text);
    // Not in the cache's memory…
    expect(cache.get(text)).toBeUndefined();
    // …and no file under DATA_DIR/prompt-cache holds its audio, by name or by content.
    expect(existsSync(cache.fileOf(text))).toBe(false);
    const audio = Buffer.from(audioOf(text));
    for (const file of readdirSync(cacheDir)) expect(readFileSync(path.join(cacheDir, file)).equals(audio)).toBe(false);
  }
  // Static prompts are still kept in both places, and nothing else is on disk.
  for (const text of statics) {
    expect(cache.get(text)).toBeDefined();
    expect(existsSync(cache.fileOf(text))).toBe(true);
  }
  expect(readdirSync(cacheDir).sort()).toEqual(statics.map((t) => path.basename(cache.fileOf(t))).sort());
}, 30_000);
