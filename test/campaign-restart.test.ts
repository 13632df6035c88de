import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inWindow, campaignSettingsSchema } from '../src/outbound/campaigns';
import { twoQuestionYaml } from './helpers/questionnaires';
import { RawStream } from './helpers/raw-stream';
import { type RunningService, startService } from './helpers/service';
import { waitFor } from './helpers/wait';
import { type PlacedCall, type TwilioRestStandIn, startTwilioRest } from './stand-ins/twilio-rest';
import { WebhookReceiver } from './stand-ins/webhook-receiver';
import { freePort } from './helpers/free-port';

/**
 * A campaign of 200 patients run by the real service against the Twilio REST stand-in, which
 * plays the phone network: some patients answer and complete the questionnaire on the keypad,
 * some have voicemail, some are busy, some never answer, some numbers fail. Halfway through, the
 * service is killed (-9) and started again on the same data. Callbacks Twilio sends while it is
 * down are lost, as they would be. Every patient must still end in the state their call earned,
 * no number rung twice, every dial inside the window, and every dial reported once.
 */
const AUTH_TOKEN = 'restart-auth-token-0123456789';
const ACCOUNT_SID = `AC${'c3'.repeat(16)}`;
const ADMIN_KEY = 'admin-key-restart-0123456789-0123456789';
const WEBHOOK_SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
const PATIENTS = 200;
const KINDS = ['human', 'voicemail', 'busy', 'no-answer', 'failed'] as const;
const phoneOf = (i: number) => `+96650770${String(i).padStart(4, '0')}`;
const kindOf = (phone: string) => KINDS[Number(phone.slice(-4)) % KINDS.length] as (typeof KINDS)[number];


/** A window open now, whatever the hour: the zone where it is mid-day, from an hour ago to two hours on, every day. */
function windowAroundNow() {
  const zones = ['Asia/Riyadh', 'UTC', 'America/New_York', 'Asia/Tokyo', 'Pacific/Honolulu'];
  for (const timeZone of zones) {
    const hour = Number(new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23' }).format(new Date()));
    if (hour >= 2 && hour <= 20) {
      const hh = (h: number) => `${String(h).padStart(2, '0')}:00`;
      return { timeZone, days: [1, 2, 3, 4, 5, 6, 7], start: hh(hour - 1), end: hh(hour + 2), excludedDates: [] };
    }
  }
  throw new Error('no zone found');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let rest: TwilioRestStandIn;
let receiver: WebhookReceiver;
let service: RunningService | undefined;
const streams = new Set<RawStream>();

afterAll(async () => {
  for (const s of streams) s.ws.terminate();
  // A failed run: SIGTERM reaches the bridge through tsx, which forwards it.
  service?.child.kill('SIGTERM');
  await service?.exited;
  await rest?.close();
  await receiver?.stop();
});

test('a 200-patient campaign killed halfway (kill -9) and restarted: every patient ends right, nobody is rung twice, every dial is reported once', async () => {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  /** The keypad caller: presses 1 after each prompt until the bridge hangs up. */
  const answerByKeypad = async (call: PlacedCall, twiml: string) => {
    const parameters = Object.fromEntries([...twiml.matchAll(/<Parameter name="([^"]+)" value="([^"]*)"\/>/g)].map((m) => [m[1], m[2]]));
    const s = await RawStream.open(base, AUTH_TOKEN);
    streams.add(s);
    s.start(call.sid, parameters['questionnaire'], undefined, parameters['token'], { attempt: parameters['attempt'] as string });
    let marks = 0;
    const press = setInterval(() => {
      s.echoMarks();
      const now = s.count('mark');
      if (now > marks) {
        marks = now;
        s.dtmf('1');
      }
    }, 50);
    await s.closed;
    clearInterval(press);
    streams.delete(s);
  };
  /** The phone network, per patient: Twilio's callbacks in the order it sends them. A callback sent while the bridge is down is lost. */
  const network = async (call: PlacedCall) => {
    const kind = kindOf(String(call.params['To']));
    await sleep(20 + Math.random() * 80);
    await rest.status(call, { CallStatus: 'ringing' });
    await sleep(50 + Math.random() * 200);
    if (kind === 'busy' || kind === 'failed' || kind === 'no-answer') {
      await rest.status(call, { CallStatus: kind });
      return;
    }
    let twiml: string | undefined;
    try {
      twiml = await rest.answer(call);
    } catch {
      // The bridge is down: Twilio plays its application error and hangs up.
    }
    if (kind === 'voicemail') {
      await rest.status(call, { AnsweredBy: 'machine_end_beep' });
      await sleep(100);
      await rest.status(call, { CallStatus: 'completed' });
      return;
    }
    await rest.status(call, { AnsweredBy: 'human' });
    if (twiml?.includes('<Stream')) await answerByKeypad(call, twiml).catch(() => undefined);
    await rest.status(call, { CallStatus: 'completed' });
  };
  rest = await startTwilioRest({
    accountSid: ACCOUNT_SID,
    credentials: { username: ACCOUNT_SID, password: AUTH_TOKEN },
    authToken: AUTH_TOKEN,
    onCall: (call) => void network(call),
    // The middle call is placed, but its 201 never reaches the bridge: it is killed meanwhile.
    beforeAnswer: (call) => (rest.calls.indexOf(call) === PATIENTS / 2 - 1 ? new Promise<void>(() => undefined) : Promise.resolve()),
  });
  receiver = new WebhookReceiver(WEBHOOK_SECRET);
  await receiver.start();
  const env = {
    PORT: String(port),
    PUBLIC_URL: base,
    DATA_DIR: mkdtempSync(path.join(tmpdir(), 'bridge-campaign-restart-')),
    BRIDGE_API_KEY: ADMIN_KEY,
    TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    TWILIO_ACCOUNT_SID: ACCOUNT_SID,
    TWILIO_FROM_NUMBER: '+966112345678',
    TWILIO_API_BASE_URL: rest.url,
    CAMPAIGN_LEASE_SECONDS: '5',
    WEBHOOK_URL: receiver.url,
    WEBHOOK_SECRET,
    WEBHOOK_EVENTS: 'attempt.ended,campaign.completed',
  };
  service = await startService(env);
  const api = async (route: string, body?: unknown) => {
    const res = await fetch(`${base}${route}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': body === undefined || typeof body === 'string' ? 'application/yaml' : 'application/json' },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const yaml = twoQuestionYaml('restart-check', 'مرحباً.');
  expect((await api('/api/v1/questionnaires', yaml)).status).toBe(201);
  const window = windowAroundNow();
  const created = await api('/api/v1/campaigns', {
    name: 'restart',
    questionnaire: 'restart-check',
    window,
    maxAttempts: 1,
    concurrency: 25,
    callsPerSecond: 30,
    patients: Array.from({ length: PATIENTS }, (_, i) => ({ phone: phoneOf(i), reference: `Patient/r${i}` })),
  });
  expect(created.status).toBe(201);
  const id = created.body['id'] as string;

  // Halfway, while Twilio holds its answer to the 100th dial: kill -9, and start again on the same
  // data and port while the network carries on.
  await waitFor(() => rest.calls.length >= PATIENTS / 2, 120_000, 'half the patients dialled');
  await sleep(50);
  // The bridge itself (tsx runs it in a child process), then its launcher.
  process.kill((JSON.parse(readFileSync(path.join(env.DATA_DIR, 'db.lock', 'owner.json'), 'utf8')) as { pid: number }).pid, 'SIGKILL');
  service.child.kill('SIGKILL');
  await service.exited;
  const dialledBeforeKill = rest.calls.length;
  await sleep(500);
  service = await startService(env);

  await waitFor(async () => (await api(`/api/v1/campaigns/${id}`)).body['status'] === 'completed', 150_000, 'campaign completed');
  // Every dial is reported: one attempt.ended per attempt (deliveries may repeat a webhook-id; the event is one).
  await waitFor(() => new Set(receiver.accepted.filter((r) => r.type === 'attempt.ended').map((r) => r.id)).size >= PATIENTS, 60_000, 'attempt.ended for every dial');

  // Nobody rung twice, and every attempt dialled once.
  const perNumber = new Map<string, number>();
  for (const call of rest.calls) perNumber.set(String(call.params['To']), (perNumber.get(String(call.params['To'])) ?? 0) + 1);
  expect(perNumber.size).toBe(PATIENTS);
  expect([...perNumber.values()].every((n) => n === 1)).toBe(true);
  expect(new Set(rest.calls.map((c) => String(c.params['Url']))).size).toBe(PATIENTS);
  // Every dial inside the calling window.
  const settings = campaignSettingsSchema.parse({ window });
  expect(rest.calls.filter((c) => !inWindow(settings.window, c.createdAt))).toEqual([]);

  // Every patient in the state their call earned.
  const view = await api(`/api/v1/campaigns/${id}`);
  const patients = view.body['patients'] as Array<{ position: number; state: string; lastOutcome: string; attempts: number; calls: Array<{ providerCallId: string; status: string }> }>;
  expect(patients).toHaveLength(PATIENTS);
  const byPosition = new Map(rest.calls.map((c) => [Number(String(c.params['To']).slice(-4)) + 1, c]));
  const expected: Record<string, [string, string]> = { voicemail: ['gave_up', 'voicemail'], busy: ['gave_up', 'busy'], 'no-answer': ['gave_up', 'no_answer'], failed: ['gave_up', 'failed'] };
  let completed = 0;
  for (const p of patients) {
    const call = byPosition.get(p.position);
    expect(p.calls.filter((c) => c.status !== 'abandoned').map((c) => c.providerCallId)).toEqual([call?.sid]);
    expect(p.attempts).toBe(1);
    const kind = kindOf(phoneOf(p.position - 1));
    if (kind === 'human') {
      // Done when the questionnaire was completed; a call the kill cut short, given up (one attempt allowed).
      if (p.state === 'done') completed++;
      else expect([p.state, p.lastOutcome]).toEqual(['gave_up', 'incomplete']);
    } else {
      expect([p.position, p.state, p.lastOutcome]).toEqual([p.position, ...(expected[kind] as [string, string])]);
    }
  }
  expect(completed).toBeGreaterThanOrEqual(20); // of 40: most humans finished, the kill cut at most a wave
  const counts = view.body['progress'] as Record<string, number>;
  expect(counts).toEqual({ done: completed, gave_up: PATIENTS - completed });

  // The attempt.ended events agree with the patients, one per attempt.
  const ended = new Map<string, Record<string, unknown>>();
  for (const r of receiver.accepted.filter((x) => x.type === 'attempt.ended')) ended.set(r.id, r.body['data'] as Record<string, unknown>);
  const attemptIds = [...ended.values()].map((d) => (d['attempt'] as { id: string }).id);
  expect(new Set(attemptIds).size).toBe(PATIENTS);
  expect(receiver.accepted.filter((r) => r.type === 'campaign.completed')).toHaveLength(1);
  // The restarted instance had to ask Twilio about calls whose callbacks were lost while it was down.
  expect(service.lines.some((l) => l.includes('asked Twilio'))).toBe(true);
  expect(dialledBeforeKill).toBe(PATIENTS / 2);
  // The 100th call reached Twilio but not the database: found at Twilio and adopted, not dialled again.
  expect(service.lines.filter((l) => l.includes('adopted, not dialled again'))).toHaveLength(1);
  // The figures for the notes: what the kill left behind and how the restarted instance took it up.
  const count = (text: string) => service?.lines.filter((l) => l.includes(text)).length ?? 0;
  console.log(
    `campaign restart: ${dialledBeforeKill} dialled before the kill; after it ${count('asked Twilio')} asked about at Twilio, ${count('adopted, not dialled again')} adopted, ${count('Twilio has no call for it') + count('before making an attempt')} re-queued, ${count('closed as interrupted')} interrupted-call line(s); ${completed} of ${PATIENTS / KINDS.length} answering patients completed`,
  );
  service.child.kill('SIGTERM');
  await service.exited;
  service = undefined;
}, 300_000);
