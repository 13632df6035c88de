import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { readWav, writeWavPcm16 } from '../src/audio/wav';
import type { CallSnapshot } from '../src/store';
import { AUTH_TOKEN, type TestBridge, startBridge } from './helpers/bridge';
import { frequencyFor } from './helpers/tone-prompts';
import { ROOT } from './helpers/service';

let t: TestBridge;
beforeAll(async () => {
  t = await startBridge();
});
afterAll(() => t.close());

const haveSox = spawnSync('sox', ['--version']).status === 0;
// sox comes from Debian's package, which .ci/run installs; without it the format check is skipped.
const withSox = haveSox ? test : test.skip; // reason: needs sox, which .ci/run installs

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), [path.join(ROOT, 'src/cli/call.ts'), ...args], {
    env: { PATH: process.env.PATH ?? '', TWILIO_AUTH_TOKEN: AUTH_TOKEN },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

describe('npm run call', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'call-cli-'));
  const out = path.join(dir, 'heard.wav');
  let result: Awaited<ReturnType<typeof runCli>>;

  beforeAll(async () => {
    // The caller's own voice: one second of a 440 Hz tone at 16 kHz (converted to 8 kHz mu-law by the tool).
    const voice = Int16Array.from({ length: 16000 }, (_, i) => Math.round(6000 * Math.sin((2 * Math.PI * 440 * i) / 16000)));
    writeFileSync(path.join(dir, 'caller.wav'), writeWavPcm16(voice, 16000));
    result = await runCli(['--url', t.base, '--questionnaire', 'post-discharge', '--dtmf', '1,2,2,3#', '--audio', path.join(dir, 'caller.wav'), '--out', out, '--json']);
  }, 60_000);

  test('signs with TWILIO_AUTH_TOKEN, answers by keypad and prints a JSON timeline', async () => {
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; [k: string]: unknown });
    expect(lines[0]).toMatchObject({ type: 'webhook', status: 200, busy: false });
    expect(lines.filter((l) => l.type === 'dtmf').map((l) => l['digits'])).toEqual(['1', '2', '2', '3#']);
    expect(lines.filter((l) => l.type === 'reply')).toHaveLength(4);
    expect(lines.at(-1)).toMatchObject({ type: 'summary', busy: false, replies: 4, oddPayloads: 0 });
    const saved = await onlyCall(t);
    expect(Object.keys(saved.answers)).toEqual(['consent', 'chest_pain', 'breathless_at_rest', 'pain_score']);
  });

  test('--out writes what the caller heard: 8 kHz audio whose first prompt is the greeting tone', () => {
    const wav = readWav(readFileSync(out));
    expect(wav.sampleRateHz).toBe(8000);
    const greeting = wav.samples.subarray(0, 1600); // 200 ms
    const f = frequencyFor('مرحباً، معك المساعد الآلي للعيادة. نتصل بك للاطمئنان على صحتك بعد خروجك من المستشفى. سأطرح عليك بعض الأسئلة القصيرة.');
    expect(dominantFrequency(greeting, 8000)).toBeCloseTo(f, -1);
  });

  withSox('sox reads the --out file as 8 kHz mono 16-bit', () => {
    const info = spawnSync('sox', ['--i', out], { encoding: 'utf8' }).stdout;
    expect(info).toMatch(/Channels\s+: 1/);
    expect(info).toMatch(/Sample Rate\s+: 8000/);
    expect(info).toMatch(/Precision\s+: 16-bit/);
  });

  test('the caller audio reached the bridge as inbound frames', async () => {
    const metrics = await (await fetch(`${t.base}/metrics`)).text();
    const frames = Number(/^bridge_inbound_frame_seconds_count (\d+)$/m.exec(metrics)?.[1]);
    expect(frames).toBeGreaterThan(50); // one second of voice alone is 50 frames
  });

  test('--provider maqsam speaks the Maqsam protocol to /ws/maqsam', async () => {
    const maqsam = await runCli(['--provider', 'maqsam', '--url', t.base, '--dtmf', '2', '--json']);
    expect(maqsam.code).toBe(0);
    const lines = maqsam.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string });
    expect(lines.map((l) => l.type)).toEqual(expect.arrayContaining(['ready', 'dtmf', 'reply', 'bridge-hangup']));
  });

  test('an unknown provider exits 2 with the usage', async () => {
    const bad = await runCli(['--provider', 'sip']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('usage: npm run call');
  });

  test('a bad flag exits 2 with the usage', async () => {
    const bad = await runCli(['--dtfm', '1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('usage: npm run call');
  });
});

describe('npm run call when no bridge answers', () => {
  let closedPort = 0;
  beforeAll(async () => {
    // A port that was just free: nothing listens there.
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    closedPort = (probe.address() as net.AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
  });

  test.each(['twilio', 'maqsam'])('--provider %s names the URL it tried, the reason, and --url', async (provider) => {
    const url = `http://127.0.0.1:${closedPort}`;
    const result = await runCli(['--provider', provider, '--url', url, '--dtmf', '1']);
    expect(result.code).toBe(1);
    const tried = provider === 'twilio' ? `${url}/twilio/voice` : `ws://127.0.0.1:${closedPort}/ws/maqsam`;
    expect(result.stderr).toContain(`cannot reach the bridge at ${tried}`);
    expect(result.stderr).toContain('(ECONNREFUSED): is it running? pass --url');
    expect(result.stderr).not.toMatch(/^call failed: fetch failed$/m);
  });

  test('--help says the call plays in real time', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('usage: npm run call');
    expect(help.stdout).toContain('real time');
    expect(help.stdout).toContain('about two minutes');
  });
});

/** The one call in the bridge's database (the CLI does not print its CallSid). */
async function onlyCall(bridge: TestBridge): Promise<CallSnapshot> {
  const rows = await bridge.database.db.selectFrom('calls').select('id').execute();
  if (rows.length !== 1) throw new Error(`expected one call record, found ${rows.length}`);
  const call = await bridge.database.calls.get(rows[0]!.id);
  if (!call) throw new Error('the call record went away');
  return call;
}

/** The strongest frequency (10 Hz resolution) by direct DFT over candidate bins. */
function dominantFrequency(samples: Int16Array, rateHz: number): number {
  let best = 0;
  let bestPower = -1;
  for (let hz = 200; hz <= 3500; hz += 10) {
    let re = 0;
    let im = 0;
    for (let i = 0; i < samples.length; i++) {
      re += (samples[i] ?? 0) * Math.cos((2 * Math.PI * hz * i) / rateHz);
      im -= (samples[i] ?? 0) * Math.sin((2 * Math.PI * hz * i) / rateHz);
    }
    if (re * re + im * im > bestPower) {
      bestPower = re * re + im * im;
      best = hz;
    }
  }
  return best;
}
