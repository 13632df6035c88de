import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeMulaw } from '../src/audio/mulaw';
import { placeCall } from '../src/cli/caller/twilio-caller';
import { bandEnergyRatio, rms } from './helpers/audio-checks';
import { MINIMAL_YAML } from './helpers/questionnaires';
import { failedStart, startService } from './helpers/service';
import { DeepgramStandIn } from './stand-ins/deepgram';

type LogLine = { msg: string; level: number; [key: string]: unknown };
const parsed = (lines: string[]) => lines.map((l) => JSON.parse(l) as LogLine);

describe('the service as started by npm start (embedded voice, no keys)', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'bridge-data-'));

  test('renders every static prompt, speaks Arabic to a caller, and drains on SIGTERM', async () => {
    const service = await startService({ DATA_DIR: dataDir });
    expect((await fetch(`${service.base}/health`)).status).toBe(200);
    expect((await fetch(`${service.base}/ready`)).status).toBe(200);
    const logs = parsed(service.lines);
    expect(logs.find((l) => l.msg === 'questionnaires loaded')?.['questionnaires']).toEqual(['post-discharge', 'pre-visit-screening']);
    const rendered = logs.find((l) => l.msg === 'prompts rendered');
    expect(rendered?.['fresh']).toBe(rendered?.['prompts']);
    expect(rendered?.['prompts']).toBeGreaterThan(40);
    expect(logs.some((l) => l.msg.startsWith('DEVELOPMENT MODE: TWILIO_AUTH_TOKEN is not set'))).toBe(true);

    // A caller who listens to four seconds of the greeting, in real time, then hangs up.
    const report = await placeCall({ baseUrl: service.base, hangUpAfterMs: 4000 });
    expect(report.timeline.find((e) => e.type === 'hangup')).toMatchObject({ by: 'caller', reason: 'stream stopped' });
    // 40 ms messages (OUTBOUND_FRAME_MS); a prompt with an odd number of 20 ms frames ends on a 20 ms one.
    expect(report.payloadSizes.every((n) => n === 320 || n === 160)).toBe(true);
    expect(report.payloadSizes.filter((n) => n === 320).length).toBeGreaterThan(report.payloadSizes.filter((n) => n === 160).length);
    const heard = decodeMulaw(report.heard);
    // Paced in real time: about four seconds heard (plus at most the 100 ms lead), not the whole greeting at once.
    expect(heard.length / 8000).toBeGreaterThan(3.5);
    expect(heard.length / 8000).toBeLessThan(4.3);
    expect(rms(heard)).toBeGreaterThan(300); // speech, not silence
    expect(bandEnergyRatio(heard, 8000, 200, 3400)).toBeGreaterThan(0.8); // voice-band energy

    service.child.kill('SIGTERM');
    expect((await service.exited).code).toBe(0);
    const messages = parsed(service.lines).map((l) => l.msg);
    expect(messages).toEqual(expect.arrayContaining(['draining: no new calls; live calls get the grace period', 'server closed, exiting']));
    // Health data stays out of info-level logs: no transcripts, values or phone numbers.
    const info = parsed(service.lines).filter((l) => l.level <= 30);
    expect(JSON.stringify(info)).not.toMatch(/"value"|"transcript"|\+9665/);
  }, 90_000);

  test('a restart reads every prompt from the disk cache instead of synthesizing', async () => {
    const service = await startService({ DATA_DIR: dataDir });
    const rendered = parsed(service.lines).find((l) => l.msg === 'prompts rendered');
    expect(rendered?.['fresh']).toBe(0);
    expect(rendered?.['fromDisk']).toBe(rendered?.['prompts']);
    service.child.kill('SIGTERM');
    expect((await service.exited).code).toBe(0);
  });
});

describe('speech recognition at startup', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'bridge-data-'));
  let deepgram: DeepgramStandIn;
  beforeAll(async () => {
    deepgram = await DeepgramStandIn.start({ apiKey: 'the-right-key-123' });
  });
  afterAll(() => deepgram.close());

  test('a rejected key is one clear error at startup; /ready stays up and says recognition is degraded', async () => {
    const service = await startService({ DATA_DIR: dataDir, DEEPGRAM_API_KEY: 'a-wrong-key-456', DEEPGRAM_URL: deepgram.url });
    const ready = await fetch(`${service.base}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: 'ready',
      components: {
        speech: { status: 'degraded', code: 'rejected', reason: 'DEEPGRAM_API_KEY was rejected (401): check the key' },
        store: { status: 'ok' },
        // Not configured is information, not a fault: /ready stays 200.
        voice: { status: 'ok', code: 'embedded', reason: 'the embedded voice (espeak-ng)' },
        webhooks: { status: 'ok', code: 'not_configured', reason: 'WEBHOOK_URL is not set: only subscriptions made through the API are delivered' },
      },
    });
    const error = parsed(service.lines).find((l) => l.msg === 'speech recognition key rejected: callers answer on the keypad until it is fixed');
    expect(error).toMatchObject({ level: 50, reason: 'DEEPGRAM_API_KEY was rejected (401): check the key' });
    // Calls do not even try the rejected key: no live connection was attempted.
    await placeCall({ baseUrl: service.base, hangUpAfterMs: 500 });
    expect(deepgram.attempts).toHaveLength(0);
    service.child.kill('SIGTERM');
    expect((await service.exited).code).toBe(0);
  }, 60_000);

  test('a good key: recognition ready, and each call opens a live stream at once', async () => {
    const service = await startService({ DATA_DIR: dataDir, DEEPGRAM_API_KEY: 'the-right-key-123', DEEPGRAM_URL: deepgram.url });
    expect(await (await fetch(`${service.base}/ready`)).json()).toEqual({ status: 'ready', components: { speech: { status: 'ok' }, store: { status: 'ok' }, voice: expect.objectContaining({ status: 'ok' }), webhooks: expect.objectContaining({ status: 'ok' }) } });
    await placeCall({ baseUrl: service.base, hangUpAfterMs: 500 });
    expect(deepgram.connections.length).toBe(1);
    expect(deepgram.connections[0]?.authorization).toBe('Token the-right-key-123');
    service.child.kill('SIGTERM');
    expect((await service.exited).code).toBe(0);
  }, 60_000);
});

describe('startup refuses bad configuration with a precise reason', () => {
  test('a broken questionnaire', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bridge-q-'));
    writeFileSync(path.join(dir, 'post-discharge.yaml'), MINIMAL_YAML.replace('id: mini', 'id: post-discharge').replace('type: boolean', 'type: integer\n    min: 3\n    max: 1'));
    const { code, stderr } = await failedStart({ QUESTIONNAIRES_DIR: dir });
    expect(code).toBe(1);
    expect(stderr).toContain('[QUESTIONNAIRE_INVALID]');
    expect(stderr).toContain('post-discharge.yaml: items[0].max: must be ≥ min (3)');
  });

  test('a bad variable', async () => {
    const { code, stderr } = await failedStart({ PORT: 'abc' });
    expect(code).toBe(1);
    expect(stderr).toContain('[CONFIG_INVALID]');
    expect(stderr).toContain('PORT="abc": must be a port number');
  });

  test('a default questionnaire that does not exist', async () => {
    const { code, stderr } = await failedStart({ DEFAULT_QUESTIONNAIRE: 'nope' });
    expect(code).toBe(1);
    expect(stderr).toContain('DEFAULT_QUESTIONNAIRE="nope" is not among the questionnaires');
  });

  test('a number mapped to a questionnaire that does not exist', async () => {
    const { code, stderr } = await failedStart({ QUESTIONNAIRE_BY_NUMBER: '{"+966110000001":"typo-screening"}' });
    expect(code).toBe(1);
    expect(stderr).toContain('QUESTIONNAIRE_BY_NUMBER: +966110000001 → "typo-screening" is not among the questionnaires');
  });

  test('production without the Maqsam token', async () => {
    const { code, stderr } = await failedStart({ NODE_ENV: 'production', TWILIO_AUTH_TOKEN: 'abcdef123456' });
    expect(code).toBe(1);
    expect(stderr).toContain('MAQSAM_TOKEN="": is required when NODE_ENV=production');
  });

  test('production without the Twilio auth token', async () => {
    const { code, stderr } = await failedStart({ NODE_ENV: 'production' });
    expect(code).toBe(1);
    expect(stderr).toContain('TWILIO_AUTH_TOKEN="": is required when NODE_ENV=production');
  });
});
