import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { parseTarget, runDoctor } from '../../src/doctor/run';
import { DEFAULT_DOCTOR_OPTIONS, type DoctorCheck, type DoctorOptions, type DoctorReport } from '../../src/doctor/types';
import { DeepgramSttProvider } from '../../src/speech/deepgram/deepgram-stt';
import { jsonb } from '../../src/store/schema';
import { ElevenLabsTtsProvider } from '../../src/speech/elevenlabs/elevenlabs-tts';
import { AUTH_TOKEN, type TestBridge, startBridge } from '../helpers/bridge';
import { selfSignedCertificate } from '../helpers/certificates';
import { ROOT } from '../helpers/service';
import { DeepgramStandIn } from '../stand-ins/deepgram';
import { ElevenLabsStandIn } from '../stand-ins/elevenlabs';
import { type FrontProxy, startFrontProxy, startTestServer } from '../stand-ins/front-proxy';
import { startTwilioRest, type TwilioRestStandIn } from '../stand-ins/twilio-rest';

/**
 * The doctor against a correct setup (a real bridge behind a proxy that does everything right,
 * with Deepgram, ElevenLabs, Twilio REST and a webhook receiver as stand-ins) and against each
 * broken setup peers' deployments met: each must fail its own check, with the right fix.
 */
const ADMIN_KEY = 'doctor-admin-key-0123456789-0123456789';
const MAQSAM_TOKEN = 'maqsam-token-0123456789';
const ACCOUNT_SID = `AC${'d'.repeat(32)}`;
const NUMBER = '+966501234567';
const VOICE_ID = 'voice0123456789';

let deepgram: DeepgramStandIn;
let elevenlabs: ElevenLabsStandIn;
let front: FrontProxy;
let bridge: TestBridge;
let twilioRest: TwilioRestStandIn;
let receiver: http.Server;
/** A bridge whose PUBLIC_URL is not the URL it is reached by, and one whose Deepgram key is rejected (started with the others, in parallel). */
let wrongUrl: TestBridge;
let rejectedKey: TestBridge;

function options(overrides: Partial<DoctorOptions> = {}): DoctorOptions {
  return {
    ...DEFAULT_DOCTOR_OPTIONS,
    apiKey: ADMIN_KEY,
    twilioAuthToken: AUTH_TOKEN,
    maqsamToken: MAQSAM_TOKEN,
    twilioRest: undefined,
    ca: undefined,
    quick: true,
    holdMs: 1500,
    pingMs: 500,
    timeoutMs: 3000,
    ...overrides,
  };
}

const doctor = (url: string, overrides: Partial<DoctorOptions> = {}) => runDoctor(parseTarget(url), options(overrides));
const check = (report: DoctorReport, id: string): DoctorCheck => {
  const found = report.checks.find((c) => c.id === id);
  if (!found) throw new Error(`no check ${id} in ${report.checks.map((c) => c.id).join(', ')}`);
  return found;
};
const failed = (report: DoctorReport) => report.checks.filter((c) => c.status === 'fail').map((c) => c.id);

beforeAll(async () => {
  deepgram = await DeepgramStandIn.start();
  elevenlabs = await ElevenLabsStandIn.start({ voices: [VOICE_ID] });
  receiver = http.createServer((_req, res) => res.writeHead(401).end());
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  // The proxy first: the bridge behind it is told the proxy's URL as its PUBLIC_URL.
  front = await startFrontProxy();
  twilioRest = await startTwilioRest({
    accountSid: ACCOUNT_SID,
    credentials: { username: ACCOUNT_SID, password: AUTH_TOKEN },
    authToken: AUTH_TOKEN,
    numbers: [{ phoneNumber: NUMBER, voiceUrl: `${front.url}/twilio/voice?questionnaire=post-discharge`, statusCallback: `${front.url}/twilio/status` }],
  });
  [bridge, wrongUrl, rejectedKey] = await Promise.all([
    startBridge(
      { BRIDGE_API_KEY: ADMIN_KEY, MAQSAM_TOKEN, PUBLIC_URL: front.url, DEEPGRAM_API_KEY: deepgram.apiKey, DEEPGRAM_URL: deepgram.url },
      {
        stt: new DeepgramSttProvider({ apiKey: deepgram.apiKey, baseUrl: deepgram.url }),
        tts: new ElevenLabsTtsProvider({ apiKey: elevenlabs.options.apiKey, voiceId: VOICE_ID, baseUrl: elevenlabs.url }),
      },
    ),
    startBridge({ BRIDGE_API_KEY: ADMIN_KEY, PUBLIC_URL: 'https://old-bridge.example.com' }),
    startBridge({ BRIDGE_API_KEY: ADMIN_KEY }, { stt: new DeepgramSttProvider({ apiKey: 'not-the-key-0123', baseUrl: deepgram.url }) }),
  ]);
  front.target = bridge.base;
  // A clinic's receiver (http: the test store accepts only https through its API, so straight into the table).
  await bridge.database.db
    .insertInto('webhook_subscriptions')
    .values({ id: randomUUID(), url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`, events: jsonb(['call.flagged']), secret: `whsec_${Buffer.alloc(32, 1).toString('base64')}` })
    .execute();
}, 45_000);

afterAll(async () => {
  await Promise.all([bridge?.close(), wrongUrl?.close(), rejectedKey?.close()]);
  await front?.close();
  await twilioRest?.close();
  await deepgram?.close();
  await elevenlabs?.close();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});

test('a correct setup passes every check (TLS skipped on a local http URL) and prints no phone number', async () => {
  const report = await doctor(front.url, { quick: false, twilioNumbers: true, twilioRest: { accountSid: ACCOUNT_SID, username: ACCOUNT_SID, password: AUTH_TOKEN, baseUrl: twilioRest.url, number: undefined } });
  const notPassed = report.checks.filter((c) => c.status !== 'pass').map((c) => `${c.id}: ${c.status} ${c.saw}`);
  expect(notPassed).toEqual([`tls: skip ${check(report, 'tls').saw}`]);
  expect(report.ok).toBe(true);
  const ids = report.checks.map((c) => c.id);
  for (const id of ['dns', 'http1', 'health', 'ready', 'ws.telephony', 'ws.maqsam', 'twilio.signed-upgrade', 'maqsam.auth-upgrade', 'stream.round-trip.telephony', 'stream.round-trip.maqsam', 'stream.unbuffered', 'stream.hold', 'stream.burst', 'inside.speech.key', 'inside.speech.model', 'inside.voice', 'inside.store', 'inside.disk', 'inside.clock', 'inside.webhooks', 'inside.public-url', 'twilio.number']) {
    expect(ids).toContain(id);
  }
  expect(check(report, 'health').saw).toMatch(/^telephony-bridge \d+\.\d+\.\d+, build dev/);
  expect(check(report, 'twilio.number').title).toBe('number ***4567 points at this bridge');
  const text = JSON.stringify(report);
  expect(text).not.toContain('501234567');
  expect(text).not.toContain(ADMIN_KEY);
  // Nothing the doctor did became a call, and the store's test write was rolled back.
  expect(await bridge.database.db.selectFrom('calls').select('id').execute()).toEqual([]);
  expect(await bridge.database.db.selectFrom('instances').select('id').where('id', 'like', 'diagnostics-%').execute()).toEqual([]);
}, 30_000);

test('a proxy that strips Upgrade: the upgrade check fails with the Upgrade/Connection fix', async () => {
  const stripping = await startFrontProxy({ stripUpgrade: true });
  stripping.target = bridge.base;
  try {
    const report = await doctor(stripping.url);
    const ws = check(report, 'ws.telephony');
    expect(ws.status).toBe('fail');
    expect(ws.saw).toContain('reached the bridge without its Upgrade header');
    expect(ws.fix).toContain('proxy_set_header Upgrade $http_upgrade');
    expect(check(report, 'health').status).toBe('pass');
  } finally {
    await stripping.close();
  }
});

test('a proxy that buffers: frames held back, the proxy_buffering fix', async () => {
  const buffering = await startFrontProxy({ bufferMs: 300 });
  buffering.target = bridge.base;
  try {
    const report = await doctor(buffering.url, { providers: { twilio: true, maqsam: false } });
    const unbuffered = check(report, 'stream.unbuffered');
    expect(unbuffered.status).toBe('fail');
    expect(unbuffered.saw).toMatch(/held back up to \d+ ms/);
    expect(unbuffered.fix).toContain('proxy_buffering off');
    expect(check(report, 'ws.telephony').status).toBe('pass');
  } finally {
    await buffering.close();
  }
});

test('a proxy that answers 429 from the third upgrade: refused upgrades and the burst fail with the rate-limit fix', async () => {
  const limited = await startFrontProxy({ upgradeLimit: { count: 2, windowMs: 60_000 } });
  limited.target = bridge.base;
  try {
    const report = await doctor(limited.url);
    expect(check(report, 'ws.telephony').status).toBe('pass');
    expect(check(report, 'ws.maqsam').status).toBe('pass');
    const third = check(report, 'twilio.signed-upgrade');
    expect(third.status).toBe('fail');
    expect(third.saw).toContain('answered 429');
    const burst = check(report, 'stream.burst');
    expect(burst.status).toBe('fail');
    expect(burst.saw).toBe('20 of 20 refused (20× 429)');
    expect(burst.fix).toContain('exempt /ws/');
  } finally {
    await limited.close();
  }
});

test('a proxy that closes idle connections after 5 s: the hold fails with the timeout fix', async () => {
  const idle = await startFrontProxy({ idleTimeoutMs: 5000 });
  idle.target = bridge.base;
  try {
    // No Twilio token: this proxy is not the bridge's PUBLIC_URL, which is another test's business.
    const report = await doctor(idle.url, { quick: false, holdMs: 6500, pingMs: 15_000, twilioAuthToken: undefined });
    const hold = check(report, 'stream.hold');
    expect(hold.status).toBe('fail');
    expect(hold.saw).toMatch(/^closed after 5\.\d s/);
    expect(hold.fix).toContain('proxy_read_timeout 3600s');
    expect(failed(report)).toEqual(['stream.hold']);
  } finally {
    await idle.close();
  }
}, 20_000);

test('a bridge with a wrong PUBLIC_URL: the signed upgrade fails and names the URL to set', async () => {
  const report = await doctor(wrongUrl.base, { providers: { twilio: true, maqsam: false } });
  const signed = check(report, 'twilio.signed-upgrade');
  expect(signed.status).toBe('fail');
  expect(signed.saw).toContain("The bridge's PUBLIC_URL is https://old-bridge.example.com.");
  expect(signed.fix).toContain(`set PUBLIC_URL=${wrongUrl.base} on the bridge`);
  expect(failed(report)).toEqual(['twilio.signed-upgrade']);
});

test('a test server answering /health with no WebSocket routes: not this bridge, no upgrade', async () => {
  const server = await startTestServer();
  try {
    const report = await doctor(server.url, { apiKey: undefined });
    const health = check(report, 'health');
    expect(health.status).toBe('fail');
    expect(health.fix).toContain('a test server or another app is deployed instead of the bridge');
    const ws = check(report, 'ws.telephony');
    expect(ws.status).toBe('fail');
    expect(ws.saw).toContain('no WebSocket route here');
  } finally {
    await server.close();
  }
});

test('an expired self-signed certificate: TLS fails with the renewal fix, and nothing after it runs', async () => {
  const certificate = selfSignedCertificate(new Date('2020-01-01T00:00:00Z'), new Date('2020-02-01T00:00:00Z'));
  // Skipped without /usr/bin/openssl: the certificate cannot be made.
  if (!certificate) return;
  const tlsFront = await startFrontProxy({ tls: certificate });
  tlsFront.target = bridge.base;
  try {
    const report = await doctor(tlsFront.url);
    const tls = check(report, 'tls');
    expect(tls.status).toBe('fail');
    expect(tls.saw).toContain('the certificate expired on 2020-02-01');
    expect(tls.fix).toContain('renew the certificate');
    expect(report.checks.map((c) => c.id)).toEqual(['dns', 'tls', 'not-run']);
  } finally {
    await tlsFront.close();
  }
});

test('a rejected recognition key: the inside check fails with the DEEPGRAM_API_KEY fix', async () => {
  const report = await doctor(rejectedKey.base, { providers: { twilio: true, maqsam: false } });
  const key = check(report, 'inside.speech.key');
  expect(key).toMatchObject({ status: 'fail', saw: 'DEEPGRAM_API_KEY was rejected (401): check the key' });
  expect(key.fix).toContain('set DEEPGRAM_API_KEY to a valid key');
  expect(check(report, 'inside.speech.model').status).toBe('skip');
  expect(failed(report)).toEqual(['inside.speech.key']);
});

/** `npm run doctor` itself (through tsx): its exit code and output, with the environment it would have. */
function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), [path.join(ROOT, 'src/cli/doctor.ts'), ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

test('the CLI: exit 0 and one line per pass on a correct setup; exit 1 and a JSON report for CI on a broken one; 2 on a usage error', async () => {
  const server = await startTestServer();
  try {
    const [good, broken, usage] = await Promise.all([
      runCli(['--url', front.url, '--quick'], { BRIDGE_API_KEY: ADMIN_KEY, TWILIO_AUTH_TOKEN: AUTH_TOKEN, MAQSAM_TOKEN }),
      runCli(['--url', server.url, '--json', '--quick'], {}),
      runCli(['--url', 'ftp://bridge.example.com'], {}),
    ]);
    expect({ code: good.code, stderr: good.stderr }).toEqual({ code: 0, stderr: '' });
    expect(good.stdout).toContain('PASS  WebSocket upgrade to /ws/telephony: 101 Switching Protocols');
    expect(good.stdout).toMatch(/0 failed, \d+ skipped — no failures\n$/);
    expect(broken.code).toBe(1);
    const report = JSON.parse(broken.stdout) as DoctorReport;
    expect(report.ok).toBe(false);
    expect(report.checks.find((c) => c.id === 'health')).toMatchObject({ status: 'fail', section: '#troubleshooting' });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--url must be http:// or https://, not ftp:');
  } finally {
    await server.close();
  }
}, 30_000);
