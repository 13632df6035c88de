import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WaveFile } from 'wavefile';
import { decodeMulaw } from '../src/audio/mulaw';
import { createBridge } from '../src/bridge';
import { CachedPrompts } from '../src/call/cached-prompts';
import { loadRecordings } from '../src/call/load-recordings';
import { placeCall } from '../src/cli/caller/twilio-caller';
import { loadConfig } from '../src/config';
import { isBridgeError } from '../src/errors';
import { createLogger } from '../src/observability/logger';
import { createMetrics } from '../src/observability/metrics';
import { loadQuestionnaireDir } from '../src/questionnaire/load';
import { PromptCache } from '../src/speech/prompt-cache';
import { FakeTtsProvider } from '../src/speech/testing/fake-tts';
import { DatabaseCallStore } from '../src/store/database-call-store';
import { openTemplateStore } from '../src/store/testing/pglite-template';
import { MINIMAL_YAML } from './helpers/questionnaires';

/** A tone WAV at the given rate and channel count, as a clinic might record it. */
function toneWav(file: string, hz: number, seconds: number, rateHz: number, channels: number): void {
  const n = Math.round(seconds * rateHz);
  const mono = Array.from({ length: n }, (_, i) => Math.round(9000 * Math.sin((2 * Math.PI * hz * i) / rateHz)));
  const wav = new WaveFile();
  wav.fromScratch(channels, rateHz, '16', channels === 1 ? mono : mono.flatMap((s) => [s, s]));
  writeFileSync(file, wav.toBuffer());
}

function powerAt(samples: Int16Array, hz: number): number {
  let re = 0;
  let im = 0;
  for (let i = 0; i < samples.length; i++) {
    re += (samples[i] ?? 0) * Math.cos((2 * Math.PI * hz * i) / 8000);
    im -= (samples[i] ?? 0) * Math.sin((2 * Math.PI * hz * i) / 8000);
  }
  return (re * re + im * im) / samples.length ** 2;
}

function questionnaireDir(extra: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'rec-q-'));
  toneWav(path.join(dir, 'greeting.wav'), 2000, 0.5, 44100, 2);
  toneWav(path.join(dir, 'q1.wav'), 600, 0.3, 16000, 1);
  writeFileSync(path.join(dir, 'mini.yaml'), `${MINIMAL_YAML.replace('    text: question one', '    text: question one\n    audio: q1.wav')}${extra}`);
  return dir;
}

describe("clinics' recorded prompts", () => {
  test('a recorded greeting and question replace the voice on the call', async () => {
    const dir = questionnaireDir('prompt_audio:\n  greeting: greeting.wav\n');
    const config = loadConfig({ QUESTIONNAIRES_DIR: dir, DEFAULT_QUESTIONNAIRE: 'mini', DATA_DIR: mkdtempSync(path.join(tmpdir(), 'rec-data-')) });
    const questionnaires = loadQuestionnaireDir(dir);
    const tts = new FakeTtsProvider({ msPerChar: 10, maxMs: 400 });
    const cache = new PromptCache({ provider: tts, dir: path.join(config.dataDir, 'prompt-cache') });
    expect(await loadRecordings(cache, questionnaires)).toBe(2);
    const metrics = createMetrics();
    const prompts = new CachedPrompts(cache, (origin, s) => metrics.ttsSeconds.observe({ provider: 'fake', cache: origin }, s));
    const logger = createLogger({ level: 'silent' });
    const database = await openTemplateStore({ dataDir: config.dataDir, logger });
    const bridge = createBridge({ config, logger, questionnaires, prompts, metrics, store: new DatabaseCallStore(database.calls, 'test') });
    const port = await bridge.listen(0, '127.0.0.1');
    try {
      const report = await placeCall({ baseUrl: `http://127.0.0.1:${port}`, dtmf: ['1'] });
      const segments = report.timeline.filter((e) => e.type === 'prompt').map((e) => (e.type === 'prompt' ? e.frames : 0));
      // greeting (recorded, 0.5 s), keypad notice (voice), question one (recorded, 0.3 s), keypad hint (voice), goodbye (voice)
      expect(segments.slice(0, 5)).toEqual([25, expect.any(Number), 15, expect.any(Number), expect.any(Number)]);
      const heard = decodeMulaw(report.heard);
      const greeting = heard.subarray(0, 4000);
      expect(powerAt(greeting, 2000)).toBeGreaterThan(100 * powerAt(greeting, 1000));
      const q1Start = (segments[0]! + segments[1]!) * 160;
      const q1 = heard.subarray(q1Start, q1Start + 2400);
      expect(powerAt(q1, 600)).toBeGreaterThan(100 * powerAt(q1, 1000));
      // The voice was never asked for the recorded prompts.
      expect(tts.texts).not.toContain('hello');
      expect(tts.texts).not.toContain('question one');
      expect(await metrics.registry.getSingleMetricAsString('bridge_tts_seconds')).toMatch(/bridge_tts_seconds_count\{provider="fake",cache="recording"\} 2/);
    } finally {
      await bridge.close(1000).finally(() => database.close());
    }
  }, 30_000);

  test('a recording that is not a WAV stops startup naming the file and the key', async () => {
    const dir = questionnaireDir('prompt_audio:\n  goodbye: goodbye.wav\n');
    writeFileSync(path.join(dir, 'goodbye.wav'), 'this is not audio');
    const cache = new PromptCache({ provider: new FakeTtsProvider(), dir: mkdtempSync(path.join(tmpdir(), 'rec-c-')) });
    const error = await loadRecordings(cache, loadQuestionnaireDir(dir)).catch((e: unknown) => e);
    expect(isBridgeError(error, 'QUESTIONNAIRE_INVALID')).toBe(true);
    expect((error as Error).message).toMatch(/^mini\.yaml: prompt_audio\.goodbye: /);
    expect((error as Error).message).toContain('goodbye.wav');
  });

  test('a recording for a prompt that says call values is refused at load', () => {
    expect(() => loadQuestionnaireDir(questionnaireDir('prompt_audio:\n  confirm: confirm.wav\n'))).toThrow(
      'mini.yaml: prompt_audio.confirm: this prompt says values known only during the call, which a recording cannot say',
    );
  });
});
