import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { probeClock, probeStore } from '../../src/diagnostics/host-probes';
import { probeSpeech, probeVoice } from '../../src/diagnostics/vendor-probes';
import { probeWebhooks } from '../../src/diagnostics/webhook-probe';
import { DeepgramSttProvider } from '../../src/speech/deepgram/deepgram-stt';
import { ElevenLabsTtsProvider } from '../../src/speech/elevenlabs/elevenlabs-tts';
import { freePort } from '../helpers/free-port';
import { DeepgramStandIn } from '../stand-ins/deepgram';
import { ElevenLabsStandIn } from '../stand-ins/elevenlabs';

/** The bridge's inside checks against vendor stand-ins that say no, each with its own fix. */
async function serveDate(offsetMs: number): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((_req, res) => res.writeHead(404, { date: new Date(Date.now() + offsetMs).toUTCString() }).end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

test('the cloud voice: a wrong voice id and a wrong key fail with their own fix; the right pair passes', async () => {
  const standIn = await ElevenLabsStandIn.start({ voices: ['knownvoice01'] });
  try {
    const voice = (apiKey: string, voiceId: string) => new ElevenLabsTtsProvider({ apiKey, voiceId, baseUrl: standIn.url });
    expect(await probeVoice(voice(standIn.options.apiKey, 'knownvoice01'))).toMatchObject({ status: 'pass' });
    const unknown = await probeVoice(voice(standIn.options.apiKey, 'missingvoice1'));
    expect(unknown).toMatchObject({ status: 'fail' });
    expect(unknown.fix).toContain('set ELEVENLABS_VOICE_ID');
    const rejected = await probeVoice(voice('wrong-key-012345', 'knownvoice01'));
    expect(rejected).toMatchObject({ status: 'fail' });
    expect(rejected.fix).toContain('set ELEVENLABS_API_KEY');
    expect(await probeVoice(undefined)).toMatchObject({ status: 'skip' });
  } finally {
    await standIn.close();
  }
});

test('recognition: a model list without Arabic on nova-3 fails the model check, the key still passes', async () => {
  const standIn = await DeepgramStandIn.start({ sttModels: [{ name: 'general', canonical_name: 'nova-3', architecture: 'nova-3', languages: ['en', 'es'], streaming: true, batch: true }] });
  try {
    const [key, model] = await probeSpeech(new DeepgramSttProvider({ apiKey: standIn.apiKey, baseUrl: standIn.url }), 'ar');
    expect(key).toMatchObject({ id: 'speech.key', status: 'pass' });
    expect(model).toMatchObject({ id: 'speech.model', status: 'fail', saw: `Deepgram at ${standIn.url} lists nova-3 without the language ar` });
  } finally {
    await standIn.close();
  }
});

test('the store: a write that fails and a missing migration fail with their fixes', async () => {
  const base = { engine: 'postgres' as const, missingMigrations: [], newerMigrations: [], writeFailed: null, writeMs: 3 };
  expect(await probeStore(async () => base)).toMatchObject({ status: 'pass' });
  const readOnly = await probeStore(async () => ({ ...base, writeFailed: 'cannot execute INSERT in a read-only transaction' }));
  expect(readOnly).toMatchObject({ status: 'fail' });
  expect(readOnly.fix).toContain('read replica');
  expect(await probeStore(async () => ({ ...base, missingMigrations: ['0012_x'] }))).toMatchObject({ status: 'fail', saw: 'migrations not applied: 0012_x' });
});

test('the clock: in sync passes, minutes off fails, no vendor is unknown', async () => {
  const inSync = await serveDate(0);
  const late = await serveDate(-5 * 60_000);
  try {
    expect(await probeClock([inSync.url], 2000)).toMatchObject({ status: 'pass' });
    const off = await probeClock([late.url], 2000);
    expect(off.status).toBe('fail');
    expect(off.saw).toMatch(/^(299|300|301)\.\d s off/);
    expect(await probeClock([], 2000)).toMatchObject({ status: 'skip', saw: 'unknown: no vendor is configured to compare with' });
    expect(await probeClock([`http://127.0.0.1:${await freePort()}`], 2000)).toMatchObject({ status: 'skip' });
  } finally {
    await inSync.close();
    await late.close();
  }
});

test('webhook receivers: one down fails, shown without its query string', async () => {
  const port = await freePort();
  const [down] = await probeWebhooks([`http://127.0.0.1:${port}/hooks?token=secret-in-query`], 2000);
  expect(down).toMatchObject({ status: 'fail', title: `webhook receiver http://127.0.0.1:${port}/hooks answers` });
  expect(JSON.stringify(down)).not.toContain('secret-in-query');
});
