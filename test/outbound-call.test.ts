import { readFile } from 'node:fs/promises';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/observability/logger';
import { Attempts, twilioDialer } from '../src/outbound/attempts';
import { CampaignScheduler } from '../src/outbound/campaigns';
import { purgeExpired } from '../src/store/retention';
import { AUTH_TOKEN, type TestBridge, startBridge } from './helpers/bridge';
import { twoQuestionYaml } from './helpers/questionnaires';
import { RawStream } from './helpers/raw-stream';
import { waitFor } from './helpers/wait';
import { type PlacedCall, type TwilioRestStandIn, startTwilioRest } from './stand-ins/twilio-rest';

/**
 * One outbound call through the real `twilio` package against a stand-in of Twilio's REST API:
 * the request Twilio gets, the status callbacks, the answered call's webhook and stream, and the
 * patient's variables reaching the prompts, bound to that call only.
 */
const ADMIN_KEY = 'admin-key-outbound-0123456789-0123456789';
const ACCOUNT_SID = `AC${'a1'.repeat(16)}`;
const API_KEY = `SK${'b2'.repeat(16)}`;
const API_SECRET = 'api-secret-0123456789abcdef';
let rest: TwilioRestStandIn;
/** Awaited by the stand-in before it answers a dial (a test's hook). */
let beforeAnswer: (call: PlacedCall) => Promise<void> = async () => undefined;
let t: TestBridge;
let key: string;

type Json = Record<string, unknown>;
async function api(path: string, body?: unknown, bearer = key): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${t.base}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Json };
}

beforeAll(async () => {
  rest = await startTwilioRest({ accountSid: ACCOUNT_SID, credentials: { username: API_KEY, password: API_SECRET }, authToken: AUTH_TOKEN, beforeAnswer: (call) => beforeAnswer(call) });
  t = await startBridge({
    BRIDGE_API_KEY: ADMIN_KEY,
    TWILIO_ACCOUNT_SID: ACCOUNT_SID,
    TWILIO_FROM_NUMBER: '+966112345678',
    TWILIO_API_KEY: API_KEY,
    TWILIO_API_SECRET: API_SECRET,
    TWILIO_API_BASE_URL: rest.url,
  });
  const created = await api('/api/v1/keys', { name: 'follow-up desk', scopes: ['calls:write', 'results:read', 'questionnaires:write'] }, ADMIN_KEY);
  key = created.body['key'] as string;
  // A greeting that names the patient, so the variables are seen reaching the call.
  const yaml = (await readFile(`${__dirname}/../questionnaires/post-discharge.yaml`, 'utf8'))
    .replace(/^version: 1$/m, 'version: 5')
    .replace('greeting: "مرحباً، معك', 'greeting: "مرحباً {custom.patient_name}، معك');
  const upload = await fetch(`${t.base}/api/v1/questionnaires`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/yaml' }, body: yaml });
  expect(upload.status).toBe(201);
}, 60_000);

afterAll(async () => {
  await t?.close();
  await rest?.close();
});

/**
 * Places a call through the API and plays Twilio answering it: the voice webhook, then the stream
 * its TwiML names (marks echoed as if heard). The caller closes `stream` and calls `stop()`.
 */
async function placeAndAnswer(body: Record<string, unknown>) {
  const placed = await api('/api/v1/calls', body);
  expect(placed.status).toBe(202);
  const attempt = placed.body['id'] as string;
  const call = rest.calls.at(-1)!;
  const parameters = streamParameters(await rest.answer(call));
  const stream = await RawStream.open(t.base, AUTH_TOKEN);
  const echo = setInterval(() => stream.echoMarks(), 20);
  stream.start(call.sid, parameters['questionnaire'], undefined, parameters['token'], { attempt });
  return {
    attempt,
    call,
    stream,
    stop: () => {
      clearInterval(echo);
      stream.ws.close();
    },
  };
}

/** post-discharge as shipped, plus a voicemail message naming the patient, as version `version`. */
async function uploadWithVoicemail(version: number) {
  const yaml = (await readFile(`${__dirname}/../questionnaires/post-discharge.yaml`, 'utf8'))
    .replace(/^version: 1$/m, `version: ${version}`)
    .replace('  opted_out: "', '  voicemail: "مرحباً {custom.patient_name}، اتصلنا بك من العيادة للاطمئنان عليك. سنعاود الاتصال لاحقاً."\n  opted_out: "');
  const upload = await fetch(`${t.base}/api/v1/questionnaires`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/yaml' }, body: yaml });
  expect(upload.status).toBe(201);
}

/** A campaign scheduler on the bridge's database, dialling the Twilio stand-in, its clock on a Sunday 10:00 in Riyadh (inside the default window). */
function campaignScheduler(at = new Date('2026-12-06T07:00:00Z')) {
  const config = loadConfig({ TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_FROM_NUMBER: '+966112345678', TWILIO_API_KEY: API_KEY, TWILIO_API_SECRET: API_SECRET, TWILIO_API_BASE_URL: rest.url });
  return new CampaignScheduler({ db: t.database.db, attempts: new Attempts(t.database.db), dialer: twilioDialer(config.twilioRest!), baseUrl: t.base, logger: createLogger({ level: 'silent' }), now: () => at });
}

/** The stream Twilio would open from the TwiML: its URL's parameters, as `start` carries them. */
function streamParameters(twiml: string): Record<string, string> {
  const parameters: Record<string, string> = {};
  for (const match of twiml.matchAll(/<Parameter name="([^"]+)" value="([^"]*)"\/>/g)) parameters[match[1] as string] = match[2] as string;
  return parameters;
}

test('POST /api/v1/calls dials through Twilio once, with the callbacks and machine detection the call needs', async () => {
  const placed = await api('/api/v1/calls', { phone: '+966501234567', questionnaire: 'post-discharge', patient: { reference: 'Patient/123', name: 'سارة' }, custom: { clinic: 'عيادة القلب' } });
  expect(placed.status).toBe(202);
  const call = rest.calls.at(-1);
  expect(call).toBeDefined();
  expect(placed.body).toMatchObject({ status: 'queued', providerCallId: call?.sid, questionnaire: 'post-discharge', patient: { reference: 'Patient/123' } });
  const attempt = placed.body['id'] as string;
  expect(call?.auth).toEqual({ username: API_KEY, password: API_SECRET });
  expect(call?.params).toMatchObject({
    To: '+966501234567',
    From: '+966112345678',
    Url: expect.stringMatching(new RegExp(`/twilio/voice\\?attempt=${attempt}$`)),
    StatusCallback: expect.stringMatching(new RegExp(`/twilio/status\\?attempt=${attempt}$`)),
    StatusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
    MachineDetection: 'DetectMessageEnd',
    AsyncAmd: 'true',
    Timeout: '30',
  });
  expect(rest.calls.filter((c) => String(c.params['Url']).endsWith(attempt))).toHaveLength(1);

  // The network: ringing, then machine detection's verdict, each kept on the attempt.
  expect(await rest.status(call!, { CallStatus: 'ringing' })).toBe(204);
  expect((await api(`/api/v1/attempts/${attempt}`)).body).toMatchObject({ status: 'ringing' });
  expect(await rest.status(call!, { AnsweredBy: 'human' })).toBe(204);
  expect((await api(`/api/v1/attempts/${attempt}`)).body).toMatchObject({ status: 'ringing', answeredBy: 'human' });

  // Answered: the webhook names the attempt in the stream; the call runs with the patient's variables.
  const twiml = await rest.answer(call!);
  const parameters = streamParameters(twiml);
  expect(parameters).toMatchObject({ questionnaire: 'post-discharge', attempt });
  const s = await RawStream.open(t.base, AUTH_TOKEN);
  s.start(call!.sid, parameters['questionnaire'], undefined, parameters['token'], { attempt });
  await waitFor(async () => (await t.saved(call!.sid)).patientReference === 'Patient/123', 5000, 'call linked to the patient');
  expect(await t.saved(call!.sid)).toMatchObject({ direction: 'outbound', patientReference: 'Patient/123', questionnaireVersion: 5 });
  await waitFor(() => t.prompts.rendered.some((text) => text.startsWith('مرحباً سارة')), 5000, 'greeting with the name');
  s.ws.close();
  // No log line carries the number or the name.
  expect(JSON.stringify(t.logs)).not.toMatch(/966501234567|سارة/);
});

test("another call naming an attempt gets nothing of it: the webhook hangs up, a stream runs without the patient's variables", async () => {
  const placed = await api('/api/v1/calls', { phone: '+966501234568', questionnaire: 'post-discharge', patient: { reference: 'Patient/456', name: 'خالد' } });
  const attempt = placed.body['id'] as string;
  const call = rest.calls.at(-1)!;
  const intruder = { ...call, sid: `CA${'f'.repeat(32)}` };
  expect(await rest.answer(intruder)).toContain('<Hangup/>');
  const s = await RawStream.open(t.base, AUTH_TOKEN);
  s.start(intruder.sid, 'post-discharge', undefined, undefined, { attempt });
  await waitFor(async () => (await t.saved(intruder.sid)).startedAt !== undefined, 5000, 'intruding call recorded');
  await new Promise((r) => setTimeout(r, 300));
  expect(await t.saved(intruder.sid)).toMatchObject({ direction: 'inbound', patientReference: null });
  expect(t.prompts.rendered.some((text) => text.includes('خالد'))).toBe(false);
  s.ws.close();
});

test('refusals: bad input 400, Twilio refusing 502 with its reason (the attempt kept as failed), scopes 403', async () => {
  for (const body of [
    { phone: '0501234567', questionnaire: 'post-discharge' },
    { phone: '+966501234567', questionnaire: 'no-such-questionnaire' },
    { phone: '+966501234567', questionnaire: 'post-discharge', patient: { reference: '123' } },
    { phone: '+966501234567', questionnaire: 'post-discharge', custom: { 'Bad-Name': 'x' } },
  ]) {
    expect((await api('/api/v1/calls', body)).body).toMatchObject({ error: 'invalid_body' });
  }
  const refused = await api('/api/v1/calls', { phone: '+15005550001', questionnaire: 'post-discharge' });
  expect(refused).toMatchObject({ status: 502, body: { error: 'twilio_refused' } });
  expect(refused.body['message']).toContain('21211');
  expect(JSON.stringify(t.logs)).not.toContain('15005550001'); // Twilio's message quotes the number: masked
  const reader = (await api('/api/v1/keys', { name: 'reader', scopes: ['results:read'] }, ADMIN_KEY)).body['key'] as string;
  expect(await api('/api/v1/calls', { phone: '+966501234567', questionnaire: 'post-discharge' }, reader)).toMatchObject({ status: 403, body: { error: 'scope_missing' } });
  expect(await api('/api/v1/attempts/not-an-id')).toMatchObject({ status: 404, body: { error: 'attempt_not_found' } });
});

test('no clear answer from Twilio: a call it placed anyway is found and adopted, never dialled twice; none found leaves the attempt open with a 502 that says so', async () => {
  const before = rest.calls.length;
  const lost = await api('/api/v1/calls', { phone: '+15006660001', questionnaire: 'post-discharge' });
  expect(lost.status).toBe(202);
  expect(rest.calls.length).toBe(before + 1);
  expect(lost.body).toMatchObject({ providerCallId: rest.calls.at(-1)?.sid });
  expect(t.logs.some((l) => l['msg'] === 'no clear answer from Twilio to an outbound call, but Twilio has it: adopted, not dialled again')).toBe(true);

  // Its status callback reaches the bridge before Twilio's (failed) answer to the dial: the call it
  // linked is this attempt's own, found and adopted all the same.
  beforeAnswer = async (call) => {
    expect(await rest.status(call, { CallStatus: 'ringing' })).toBe(204);
  };
  try {
    const raced = await api('/api/v1/calls', { phone: '+15006660002', questionnaire: 'post-discharge' });
    expect(raced).toMatchObject({ status: 202, body: { providerCallId: rest.calls.at(-1)?.sid, status: 'ringing' } });
  } finally {
    beforeAnswer = async () => undefined;
  }
  expect(rest.calls.length).toBe(before + 2);

  const down = await api('/api/v1/calls', { phone: '+15007770001', questionnaire: 'post-discharge' });
  expect(down).toMatchObject({ status: 502, body: { error: 'twilio_unclear' } });
  expect(rest.calls.length).toBe(before + 2);
  const id = /attempts\/([0-9a-f-]{36})/.exec(String(down.body['message']))?.[1];
  const attempt = await api(`/api/v1/attempts/${id}`);
  expect(attempt.status).toBe(200);
  expect(attempt.body['status']).not.toBe('failed');
  expect(JSON.stringify(t.logs)).not.toContain('15007770001');
});

test('a patient who declines is put on the do-not-call list with the call, and never dialled again; the clinic manages the list', async () => {
  const phone = '+966501239999';
  const { call, stream: s, stop } = await placeAndAnswer({ phone, questionnaire: 'post-discharge', patient: { reference: 'Patient/789' } });
  try {
    await s.until((r) => r.some((m) => m['event'] === 'mark'), 10_000);
    await waitFor(async () => (await t.saved(call.sid)).patientReference === 'Patient/789', 5000, 'attempt read');
    s.dtmf('2'); // "no" to consent: the patient declines the call
    await waitFor(async () => (await t.saved(call.sid)).status === 'opted_out', 5000, 'opted out');
  } finally {
    stop();
  }
  const list = await api('/api/v1/do-not-call');
  const savedCall = await t.saved(call.sid);
  expect((list.body['entries'] as Json[]).find((e) => e['phone'] === phone)).toMatchObject({ reason: 'opted_out', callId: savedCall.id });
  const dialsBefore = rest.calls.length;
  expect(await api('/api/v1/calls', { phone, questionnaire: 'post-discharge' })).toMatchObject({ status: 409, body: { error: 'do_not_call' } });
  expect(rest.calls.length).toBe(dialsBefore); // Twilio was never asked

  // The clinic adds a number by hand; only an admin takes one off.
  expect((await api('/api/v1/do-not-call', { phone: '+966501230000', reason: 'asked by phone' })).status).toBe(201);
  expect(await api('/api/v1/calls', { phone: '+966501230000', questionnaire: 'post-discharge' })).toMatchObject({ status: 409 });
  expect(await api('/api/v1/do-not-call', { phone: 'not-a-number' })).toMatchObject({ status: 400, body: { error: 'invalid_body' } });
  const removeAs = (bearer: string) => fetch(`${t.base}/api/v1/do-not-call/${encodeURIComponent('+966501230000')}`, { method: 'DELETE', headers: { authorization: `Bearer ${bearer}` } });
  expect((await removeAs(key)).status).toBe(403);
  expect((await removeAs(ADMIN_KEY)).status).toBe(204);
  expect((await removeAs(ADMIN_KEY)).status).toBe(404);
  expect(JSON.stringify(t.logs)).not.toContain('966501239999');
});

test('a campaign from a CSV upload: called in order through Twilio, progress per patient in the API, steered by pause and cancel', async () => {
  const csv = '\uFEFFphone,reference,name,clinic\r\n+966504440001,Patient/1,"سارة",القلب\r\n+966504440002,Patient/2,خالد,"العظام, الطابق 2"\r\n+966504440003,,,\r\n';
  const bad = await fetch(`${t.base}/api/v1/campaigns?name=x&questionnaire=post-discharge`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'text/csv' }, body: 'phone\n0501234567\n' });
  expect(bad.status).toBe(400);
  expect(((await bad.json()) as Json)['message']).toContain('CSV line 2');
  for (const [settings, message] of [
    ['{not json', 'settings: not valid JSON'],
    ['[1]', 'settings: must be a JSON object'],
    ['{"maxAttempts":99}', 'maxAttempts'],
  ]) {
    const refused = await fetch(`${t.base}/api/v1/campaigns?name=x&questionnaire=post-discharge&settings=${encodeURIComponent(settings as string)}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'text/csv' }, body: 'phone\n+966501234567\n' });
    expect({ status: refused.status, message: ((await refused.json()) as Json)['message'] }).toEqual({ status: 400, message: expect.stringContaining(message as string) });
  }
  const res = await fetch(`${t.base}/api/v1/campaigns?name=${encodeURIComponent('متابعة ديسمبر')}&questionnaire=post-discharge`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'text/csv' },
    body: csv,
  });
  expect(res.status).toBe(201);
  const created = (await res.json()) as Json;
  expect(created).toMatchObject({ status: 'active', questionnaire: 'post-discharge', progress: { pending: 3 } });
  const id = created['id'] as string;

  // One scheduler pass, inside the window, against the Twilio stand-in.
  const scheduler = campaignScheduler();
  const before = rest.calls.length;
  expect(await scheduler.tick()).toBe(1); // one call per second: Twilio's default
  expect(await scheduler.tick()).toBe(0); // the same second: the next call waits for its slot
  expect(await campaignScheduler(new Date('2026-12-06T07:00:01Z')).tick()).toBe(1);
  expect(rest.calls.slice(before).map((c) => c.params['To'])).toEqual(['+966504440001', '+966504440002']);
  // The first is busy: it waits for a retry; the progress says so.
  expect(await rest.status(rest.calls[before]!, { CallStatus: 'busy' })).toBe(204);
  const progress = await api(`/api/v1/campaigns/${id}`);
  expect((progress.body['patients'] as Json[])[0]).toMatchObject({ position: 1, reference: 'Patient/1', state: 'pending', lastOutcome: 'busy', attempts: 1 });
  expect((progress.body['patients'] as Json[])[1]).toMatchObject({ state: 'calling', calls: [expect.objectContaining({ providerCallId: rest.calls[before + 1]!.sid })] });
  expect(JSON.stringify(progress.body)).not.toContain('+96650444'); // numbers stay out of the progress view

  expect(await api(`/api/v1/campaigns/${id}/pause`, {})).toMatchObject({ status: 200, body: { status: 'paused' } });
  expect(await scheduler.tick()).toBe(0);
  expect(await api(`/api/v1/campaigns/${id}/cancel`, {})).toMatchObject({ status: 200, body: { status: 'cancelled' } });
  expect((await api(`/api/v1/campaigns/${id}`)).body['progress']).toMatchObject({ cancelled: 2 });
  expect(await api(`/api/v1/campaigns/${id}/resume`, {})).toMatchObject({ status: 400 });
  // The list, newest first, with the counts; an unknown id is a specific 404.
  const listed = (await api('/api/v1/campaigns')).body['campaigns'] as Json[];
  expect(listed.find((c) => c['id'] === id)).toMatchObject({ name: 'متابعة ديسمبر', status: 'cancelled', progress: { cancelled: 2, calling: 1 } });
  expect(await api(`/api/v1/campaigns/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}`)).toMatchObject({ status: 404, body: { error: 'campaign_not_found' } });
});

test('retention takes the patient variables and the number off the attempts of purged calls, but keeps a number the patient asked never to be called on', async () => {
  const far = new Date(Date.now() + 400 * 86_400_000);
  await purgeExpired(t.database.db, { olderThanDays: 365, now: far });
  const attempts = await t.database.db.selectFrom('call_attempts as a').innerJoin('calls as c', 'c.attempt_id', 'a.id').select(['a.phone', 'a.custom', 'a.patient_reference', 'c.status']).execute();
  expect(attempts.length).toBeGreaterThanOrEqual(2);
  for (const a of attempts) {
    expect(a.custom).toEqual({});
    expect(a.patient_reference).toBeNull();
    expect(a.phone).toBe(a.status === 'opted_out' ? '+966501239999' : '');
  }
});

test('an answering machine gets no questions: after its beep, the questionnaire’s voicemail message (with the patient’s name), then the call ends', async () => {
  await uploadWithVoicemail(6);
  const { attempt, call, stream: s, stop } = await placeAndAnswer({ phone: '+966501235555', questionnaire: 'post-discharge', patient: { reference: 'Patient/55', name: 'منى' } });
  try {
    await s.until((r) => r.some((m) => m['event'] === 'media'), 10_000); // the greeting, to the machine
    expect(await rest.status(call, { AnsweredBy: 'machine_end_beep' })).toBe(204);
    await waitFor(async () => (await t.saved(call.sid)).endedAt !== null, 10_000, 'call ended after the message');
  } finally {
    stop();
  }
  expect(t.prompts.rendered).toContain('مرحباً منى، اتصلنا بك من العيادة للاطمئنان عليك. سنعاود الاتصال لاحقاً.');
  const saved = await t.saved(call.sid);
  expect(saved).toMatchObject({ status: 'stopped', answers: {} });
  expect((await t.database.calls.events(saved.id)).map((e) => e.type)).toContain('voicemail');
  expect((await api(`/api/v1/attempts/${attempt}`)).body).toMatchObject({ answeredBy: 'machine_end_beep' });
});

test('a campaign that hangs up on answering machines leaves no message, and tries again later', async () => {
  // The questionnaire has a voicemail message; the campaign declines it.
  await uploadWithVoicemail(7);
  const created = await api('/api/v1/campaigns', { name: 'no messages', questionnaire: 'post-discharge', voicemail: 'hang_up', callsPerSecond: 10, maxAttempts: 2, patients: [{ phone: '+966507770001', reference: 'Patient/vm', name: 'لينا' }] });
  expect(created.status).toBe(201);
  const scheduler = campaignScheduler();
  expect(await scheduler.tick()).toBe(1);
  const call = rest.calls.at(-1)!;
  const parameters = streamParameters(await rest.answer(call));
  const s = await RawStream.open(t.base, AUTH_TOKEN);
  const echo = setInterval(() => s.echoMarks(), 20);
  try {
    s.start(call.sid, parameters['questionnaire'], undefined, parameters['token'], { attempt: parameters['attempt'] as string });
    await s.until((r) => r.some((m) => m['event'] === 'media'), 10_000);
    await waitFor(async () => (await t.saved(call.sid)).patientReference === 'Patient/vm', 5000, 'attempt read');
    expect(await rest.status(call, { AnsweredBy: 'machine_end_beep' })).toBe(204);
    await waitFor(async () => (await t.saved(call.sid)).endedAt !== null, 10_000, 'call ended');
  } finally {
    clearInterval(echo);
    s.ws.close();
  }
  expect(t.prompts.rendered.some((text) => text.includes('لينا') && text.includes('سنعاود'))).toBe(false); // the questionnaire has a message; the campaign declined it
  expect(await rest.status(call, { CallStatus: 'completed' })).toBe(204);
  const progress = await api(`/api/v1/campaigns/${created.body['id']}`);
  expect((progress.body['patients'] as Json[])[0]).toMatchObject({ state: 'pending', lastOutcome: 'voicemail', attempts: 1 });
  expect((await api(`/api/v1/campaigns/${created.body['id']}/cancel`, {})).status).toBe(200); // the next test's scheduler must not retry it
});

test("a patient ringing back after a missed campaign call gets that campaign's questionnaire, linked to them; their name only when their carrier vouched for the number", async () => {
  const yaml = twoQuestionYaml('callback-check', 'أهلاً {custom.patient_name}، شكراً لاتصالك بالعيادة.');
  const upload = await fetch(`${t.base}/api/v1/questionnaires`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/yaml' }, body: yaml });
  expect(upload.status).toBe(201);
  const created = await api('/api/v1/campaigns', {
    name: 'call-backs',
    questionnaire: 'callback-check',
    callsPerSecond: 10,
    patients: [
      { phone: '+966506660001', reference: 'Patient/cb-1', name: 'ريم' },
      { phone: '+966506660002', reference: 'Patient/cb-2', name: 'هدى' },
    ],
  });
  expect(created.status).toBe(201);
  const id = created.body['id'] as string;
  const scheduler = campaignScheduler();
  const before = rest.calls.length;
  expect(await scheduler.tick()).toBe(2);
  // Both missed the clinic's call.
  for (const call of rest.calls.slice(before)) expect(await rest.status(call, { CallStatus: 'no-answer' })).toBe(204);
  expect((await api(`/api/v1/campaigns/${id}`)).body['progress']).toEqual({ pending: 2 });

  // Ringing back without an attestation: the campaign's questionnaire, linked, but no name (a caller number can be spoofed).
  const first = await rest.incoming(`${t.base}/twilio/voice`, { from: '+966506660001', to: '+966112345678' });
  const parameters = streamParameters(first.twiml);
  expect(parameters).toMatchObject({ questionnaire: 'callback-check', attempt: expect.any(String) });
  const s1 = await RawStream.open(t.base, AUTH_TOKEN);
  const echo1 = setInterval(() => s1.echoMarks(), 20);
  try {
    s1.start(first.sid, parameters['questionnaire'], undefined, parameters['token'], { attempt: parameters['attempt'] as string });
    await waitFor(async () => (await t.saved(first.sid)).patientReference === 'Patient/cb-1', 5000, 'call-back linked to the patient');
    expect(await t.saved(first.sid)).toMatchObject({ direction: 'inbound', questionnaire: 'callback-check' });
    await waitFor(() => t.prompts.rendered.some((text) => text.includes('شكراً لاتصالك')), 5000, 'greeting');
    expect(t.prompts.rendered.some((text) => text.includes('ريم'))).toBe(false);
    expect((await api(`/api/v1/campaigns/${id}`)).body['progress']).toEqual({ calling: 1, pending: 1 }); // held: no campaign dials them meanwhile
  } finally {
    // They hang up before answering: the patient is given back to the campaign, the attempt ends with the call.
    clearInterval(echo1);
    s1.ws.close();
  }
  await waitFor(async () => ((await api(`/api/v1/campaigns/${id}`)).body['patients'] as Json[])[0]?.['lastOutcome'] === 'callback_incomplete', 5000, 'patient given back');
  expect(await api(`/api/v1/attempts/${parameters['attempt']}`)).toMatchObject({ body: { direction: 'inbound', status: 'completed', patient: { reference: 'Patient/cb-1' } } });

  // Ringing back with Twilio's SHAKEN/STIR attestation A: the greeting names them; answering everything completes them.
  const second = await rest.incoming(`${t.base}/twilio/voice`, { from: '+966506660002', to: '+966112345678' }, { StirVerstat: 'TN-Validation-Passed-A' });
  const p2 = streamParameters(second.twiml);
  const s2 = await RawStream.open(t.base, AUTH_TOKEN);
  const echo2 = setInterval(() => s2.echoMarks(), 20);
  try {
    s2.start(second.sid, p2['questionnaire'], undefined, p2['token'], { attempt: p2['attempt'] as string });
    await waitFor(() => t.prompts.rendered.some((text) => text.startsWith('أهلاً هدى')), 5000, 'greeting with the name');
    await s2.until((r) => r.some((m) => m['event'] === 'mark'), 10_000);
    s2.dtmf('1');
    await waitFor(async () => (await t.saved(second.sid)).answers['consent'] !== undefined, 5000, 'consent');
    s2.dtmf('1');
    await waitFor(async () => (await t.saved(second.sid)).status === 'completed', 10_000, 'completed');
  } finally {
    clearInterval(echo2);
    s2.ws.close();
  }
  const progress = await api(`/api/v1/campaigns/${id}`);
  expect((progress.body['patients'] as Json[])[1]).toMatchObject({ state: 'done', lastOutcome: 'completed', attempts: 1 });
  // A stranger, and a number not in any campaign, get the number's own questionnaire with no link.
  const stranger = await rest.incoming(`${t.base}/twilio/voice`, { from: '+966509999999', to: '+966112345678' });
  expect(streamParameters(stranger.twiml)).not.toHaveProperty('attempt');
  expect(JSON.stringify(t.logs)).not.toMatch(/96650666000|ريم|هدى/);
});

test('the columns of a CSV upload reach the call as its {custom.*} variables', async () => {
  const yaml = twoQuestionYaml('csv-columns', 'مرحباً {custom.patient_name} من عيادة {custom.clinic}، {custom.ward}.');
  const upload = await fetch(`${t.base}/api/v1/questionnaires`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/yaml' }, body: yaml });
  expect(upload.status).toBe(201);
  await t.database.db.updateTable('campaigns').set({ status: 'paused' }).where('status', '=', 'active').execute(); // earlier tests' patients wait
  const csv = 'phone,reference,name,clinic,ward\r\n+966504450001,Patient/csv-1,هند,القلب,"الجناح 3, الطابق 2"\r\n';
  const created = await fetch(`${t.base}/api/v1/campaigns?name=columns&questionnaire=csv-columns`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'text/csv' }, body: csv });
  expect(created.status).toBe(201);
  const id = ((await created.json()) as Json)['id'] as string;
  expect(await campaignScheduler(new Date('2026-12-06T08:00:00Z')).tick()).toBe(1);
  const call = rest.calls.find((c) => c.params['To'] === '+966504450001')!;
  const parameters = streamParameters(await rest.answer(call));
  const s = await RawStream.open(t.base, AUTH_TOKEN);
  const echo = setInterval(() => s.echoMarks(), 20);
  try {
    s.start(call.sid, parameters['questionnaire'], undefined, parameters['token'], { attempt: parameters['attempt'] as string });
    await waitFor(() => t.prompts.rendered.some((text) => text.startsWith('مرحباً هند')), 5000, 'greeting with the variables');
  } finally {
    clearInterval(echo);
    s.ws.close();
  }
  expect(t.prompts.rendered).toContain('مرحباً هند من عيادة القلب، الجناح 3, الطابق 2.');
  expect((await api(`/api/v1/campaigns/${id}/cancel`, {})).status).toBe(200);
});

test('a late "human" (or "unknown") verdict from machine detection, mid-questionnaire, leaves the questionnaire running', async () => {
  await t.database.db.updateTable('campaigns').set({ status: 'paused' }).where('status', '=', 'active').execute();
  const yaml = twoQuestionYaml('late-verdict', 'مرحباً، معك العيادة.');
  const upload = await fetch(`${t.base}/api/v1/questionnaires`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/yaml' }, body: yaml });
  expect(upload.status).toBe(201);
  const { attempt, call, stream: s, stop } = await placeAndAnswer({ phone: '+966501236666', questionnaire: 'late-verdict', patient: { reference: 'Patient/66' } });
  try {
    await s.until((r) => r.some((m) => m['event'] === 'mark'), 10_000); // the greeting and the first question, heard
    s.dtmf('1');
    await waitFor(async () => (await t.saved(call.sid)).answers['consent'] !== undefined, 5000, 'consent');
    // Machine detection decides only now (asyncAmd): a person. The call goes on as it was.
    expect(await rest.status(call, { AnsweredBy: 'human' })).toBe(204);
    expect(await rest.status(call, { AnsweredBy: 'unknown' })).toBe(204);
    const heard = s.count('media');
    await waitFor(() => s.count('media') > heard, 5000, 'the second question still playing');
    s.dtmf('1');
    await waitFor(async () => (await t.saved(call.sid)).endedAt !== null, 10_000, 'call ended');
  } finally {
    stop();
  }
  const saved = await t.saved(call.sid);
  expect(saved).toMatchObject({ status: 'completed', answers: { consent: expect.objectContaining({ value: true }), feeling_well: expect.objectContaining({ value: true }) } });
  expect((await t.database.calls.events(saved.id)).map((e) => e.type)).not.toContain('voicemail');
  expect((await api(`/api/v1/attempts/${attempt}`)).body).toMatchObject({ answeredBy: 'unknown' });
});
