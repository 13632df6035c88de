import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { placeCall } from '../src/cli/caller/twilio-caller';
import { createLogger } from '../src/observability/logger';
import { campaignSettingsSchema, inWindow } from '../src/outbound/campaigns';
import { openStore, type Store } from '../src/store';
import { findPostgres, startPostgres, type TestPostgres } from '../src/store/testing/postgres';
import { RawStream } from './helpers/raw-stream';
import { type RoundRobinProxy, startRoundRobinProxy } from './helpers/round-robin-proxy';
import { type RunningService, startService } from './helpers/service';
import { postTwilioForm } from './helpers/twilio-form';
import { waitFor } from './helpers/wait';
import { type PlacedCall, type TwilioRestStandIn, startTwilioRest } from './stand-ins/twilio-rest';
import { WebhookReceiver } from './stand-ins/webhook-receiver';
import { freePort } from './helpers/free-port';

/**
 * Three real bridge processes (the entry point, as `npm start` runs it) over one real Postgres,
 * behind a round-robin proxy that sends every request and every stream upgrade to the next
 * instance in turn, so a call's webhook, its stream and Twilio's "what next" usually land on
 * different instances. Nothing a call needs may live in one instance's memory.
 */
const AUTH_TOKEN = 'cluster-auth-token-0123456789';
const ACCOUNT_SID = `AC${'c4'.repeat(16)}`;
const ADMIN_KEY = 'admin-key-cluster-0123456789-0123456789';
const WEBHOOK_SECRET = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;
const INSTANCES = 3;
const HEARTBEAT_SECONDS = 1;
const STALE_SECONDS = 3;

const QUESTIONNAIRE = `id: cluster-check
version: 1
language: ar
title: متابعة
settings: { emergency_number: "997", transfer_number: "+966110000000" }
prompts:
  greeting: "مرحباً."
  goodbye: "شكراً. مع السلامة."
  no_input: "لم أسمعك."
  no_match: "لم أفهم."
  dtmf_hint: "استخدم لوحة المفاتيح."
  confirm: "قلت {answer}؟"
  emergency: "اتصل بتسعة تسعة سبعة."
  transfer: "سأحوّلك الآن."
  opted_out: "مع السلامة."
  voicemail: "اتصلنا من العيادة."
items:
  - { id: consent, type: boolean, required: true, text: "هل توافق؟", confirm: never, opt_out_when: { operator: "=", answer: false } }
  - { id: feeling_well, type: boolean, required: true, text: "هل تشعر بتحسن؟", confirm: never }
  - id: chest_pain
    type: boolean
    required: true
    text: "هل عندك ألم في الصدر؟"
    confirm: never
    red_flag:
      - when: { operator: "=", answer: true }
        action: transfer
`;

const found = findPostgres(process.env.TEST_DATABASE_URL);
// Skipped only where no Postgres server can be had (the reason is in the title); .ci/run installs postgresql.
const suite = found.available ? describe : describe.skip; // reason: needs a PostgreSQL server, which .ci/run installs
const title = found.available ? 'several instances over one Postgres' : `several instances over one Postgres [skipped: ${found.reason}]`;


const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The instance (0-based) whose log has `msg` for `callSid`. */
function instanceWith(services: RunningService[], msg: string, callSid: string): number {
  return services.findIndex((s) => s.lines.some((line) => line.includes(`"msg":"${msg}"`) && line.includes(`"callSid":"${callSid}"`)));
}

suite(title, () => {
  let postgres: TestPostgres;
  let store: Store;
  let proxy: RoundRobinProxy;
  let rest: TwilioRestStandIn;
  let receiver: WebhookReceiver;
  const services: RunningService[] = [];
  const envs: Array<Record<string, string>> = [];
  const streams = new Set<RawStream>();
  /** What the network does with a dialled call (the campaign test sets it). */
  let network: (call: PlacedCall) => Promise<void> = async () => undefined;

  beforeAll(async () => {
    if (!found.available) return;
    postgres = await startPostgres(found);
    const databaseUrl = await postgres.createDatabase();
    rest = await startTwilioRest({
      accountSid: ACCOUNT_SID,
      credentials: { username: ACCOUNT_SID, password: AUTH_TOKEN },
      authToken: AUTH_TOKEN,
      onCall: (call) => void network(call),
    });
    receiver = new WebhookReceiver(WEBHOOK_SECRET);
    await receiver.start();
    const ports = await Promise.all(Array.from({ length: INSTANCES }, () => freePort()));
    proxy = await startRoundRobinProxy(ports);
    const questionnairesDir = mkdtempSync(path.join(tmpdir(), 'bridge-cluster-q-'));
    writeFileSync(path.join(questionnairesDir, 'cluster-check.yaml'), QUESTIONNAIRE);
    for (const [i, port] of ports.entries()) {
      envs.push({
        PORT: String(port),
        INSTANCE_ID: `bridge-${i}`,
        DATA_DIR: mkdtempSync(path.join(tmpdir(), `bridge-cluster-${i}-`)),
        DATABASE_URL: databaseUrl,
        QUESTIONNAIRES_DIR: questionnairesDir,
        DEFAULT_QUESTIONNAIRE: 'cluster-check',
        PUBLIC_URL: proxy.url,
        TWILIO_AUTH_TOKEN: AUTH_TOKEN,
        BRIDGE_API_KEY: ADMIN_KEY,
        TWILIO_ACCOUNT_SID: ACCOUNT_SID,
        TWILIO_FROM_NUMBER: '+966112345678',
        TWILIO_API_BASE_URL: rest.url,
        CAMPAIGN_LEASE_SECONDS: '5',
        WEBHOOK_URL: receiver.url,
        WEBHOOK_SECRET,
        WEBHOOK_EVENTS: 'call.ended,call.transferred,attempt.ended,campaign.completed',
        INSTANCE_HEARTBEAT_SECONDS: String(HEARTBEAT_SECONDS),
        INSTANCE_STALE_SECONDS: String(STALE_SECONDS),
      });
    }
    // All at once, as a deployment starts them: the first to take Postgres' advisory lock migrates.
    services.push(...(await Promise.all(envs.map((env) => startService(env, { direct: true })))));
    store = await openStore({ databaseUrl, dataDir: '/nonexistent', logger: createLogger({ level: 'silent' }) });
    await waitFor(async () => (await store.instances.load(STALE_SECONDS)).instances === INSTANCES, 10_000, 'every instance beating');
  }, 180_000);

  afterAll(async () => {
    for (const s of streams) s.ws.terminate();
    for (const service of services) if (service.child.exitCode === null) service.child.kill('SIGTERM');
    await Promise.all(services.map((service) => service.exited));
    await store?.close();
    await proxy?.close();
    await rest?.close();
    await receiver?.stop();
    await postgres?.stop();
  }, 60_000);

  test('100 keypad calls, each webhook, stream and "what next" sent round-robin: all complete with the answers given, each call.ended delivered once', async () => {
    // The database's cost of a call: statements counted by every instance, less what they send idle.
    const statements = async () => {
      let total = 0;
      for (const service of services) {
        const text = await (await fetch(`${service.base}/metrics`)).text();
        for (const m of text.matchAll(/^bridge_store_statements_total\{kind="[a-z]+"\} (\d+)$/gm)) total += Number(m[1]);
      }
      return { total, at: performance.now() };
    };
    const idleFrom = await statements();
    await sleep(5000);
    const idleTo = await statements();
    const idlePerMs = (idleTo.total - idleFrom.total) / (idleTo.at - idleFrom.at);
    const reports = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        placeCall({ baseUrl: proxy.url, authToken: AUTH_TOKEN, callSid: `CAcluster${String(i).padStart(3, '0')}`, dtmf: ['1', i % 2 === 0 ? '1' : '2', '2'], quietMs: 50 }),
      ),
    );
    expect(reports.filter((r) => r.busy)).toEqual([]);
    for (const [i, report] of reports.entries()) {
      const [call] = await store.calls.findByProviderCallId('twilio', report.callSid);
      expect([report.callSid, call?.status]).toEqual([report.callSid, 'completed']);
      expect(Object.fromEntries(Object.entries(call?.answers ?? {}).map(([item, a]) => [item, a.value]))).toEqual({ consent: true, feeling_well: i % 2 === 0, chest_pain: false });
      expect(report.afterStream?.hangup).toBe(true);
    }
    // Where each call's webhook and stream ran (from the instances' own logs).
    const crossed = reports.filter((r) => {
      const webhook = instanceWith(services, 'incoming call: stream requested', r.callSid);
      const stream = instanceWith(services, 'call started', r.callSid);
      expect(webhook).toBeGreaterThanOrEqual(0);
      expect(stream).toBeGreaterThanOrEqual(0);
      return webhook !== stream;
    }).length;
    // Round-robin over three instances: about two calls in three cross; every instance carried calls.
    expect(crossed).toBeGreaterThanOrEqual(40);
    for (const service of services) expect(service.lines.filter((l) => l.includes('"msg":"call started"')).length).toBeGreaterThan(0);
    const after = await statements();
    const perCall = (after.total - idleTo.total - idlePerMs * (after.at - idleTo.at)) / reports.length;
    console.log(`cluster: ${crossed} of 100 calls had their webhook and their stream on different instances; ${perCall.toFixed(1)} database statements per call (3 answers), idle ${(idlePerMs * 1000).toFixed(1)} per second for ${INSTANCES} instances`);
    // A call lasts several seconds (hundreds of audio frames each way): a statement per frame would show here.
    expect(perCall).toBeLessThan(60);

    // Each call.ended raised once, delivered once though three dispatchers share the queue.
    await waitFor(() => receiver.accepted.filter((r) => r.type === 'call.ended' && reports.some((x) => JSON.stringify(r.body).includes(x.callSid))).length >= 100, 30_000, 'call.ended for every call');
    const ended = receiver.accepted.filter((r) => r.type === 'call.ended');
    expect(new Set(ended.map((r) => r.id)).size).toBe(ended.length);
    expect(receiver.requests.filter((r) => r.type === 'call.ended').length).toBe(ended.length);
  }, 120_000);

  test('a transfer decided where the stream ran is dialled by whichever instance Twilio asks next', async () => {
    // Nothing else is in flight: strict turns put the webhook, the stream and "what next" on three different instances.
    const report = await placeCall({ baseUrl: proxy.url, authToken: AUTH_TOKEN, callSid: 'CAcluster-transfer', dtmf: ['1', '1', '1', '1'], quietMs: 50 }); // a red-flag answer is confirmed first
    const turns = proxy.routed.filter((r) => r.path.startsWith('/twilio/voice') || r.path.startsWith('/ws/') || r.path.startsWith('/twilio/stream-ended')).slice(-3);
    expect(turns.map((t) => t.kind)).toEqual(['http', 'upgrade', 'http']);
    expect(new Set(turns.map((t) => t.backend)).size).toBe(3);
    expect(report.afterStream?.dial).toBe('+966110000000');
    const [call] = await store.calls.findByProviderCallId('twilio', report.callSid);
    expect(call).toMatchObject({ status: 'transferred', transferredTo: '+966110000000' });
    await waitFor(() => receiver.accepted.filter((r) => r.type === 'call.transferred' && JSON.stringify(r.body).includes('CAcluster-transfer')).length === 1, 10_000, 'call.transferred');
  }, 60_000);

  test('a campaign of 200 patients dialled by every instance: nobody dialled twice, nobody lost, every dial in the window, every attempt reported once', async () => {
    const PATIENTS = 200;
    const kinds = ['human', 'voicemail', 'busy', 'no-answer', 'failed'] as const;
    /** Voicemail calls whose stream the bridge ended after the machine's beep (it left its message). */
    let messagesLeft = 0;
    const kindOf = (phone: string) => kinds[Number(phone.slice(-4)) % kinds.length] as (typeof kinds)[number];
    const dialledBefore = rest.calls.length;
    network = async (call) => {
      const kind = kindOf(String(call.params['To']));
      await sleep(20 + Math.random() * 60);
      await rest.status(call, { CallStatus: 'ringing' });
      if (kind !== 'human' && kind !== 'voicemail') {
        await rest.status(call, { CallStatus: kind });
        return;
      }
      const twiml = await rest.answer(call).catch(() => undefined);
      if (kind === 'human') await rest.status(call, { AnsweredBy: 'human' });
      if (twiml?.includes('<Stream')) {
        const parameters = Object.fromEntries([...twiml.matchAll(/<Parameter name="([^"]+)" value="([^"]*)"\/>/g)].map((m) => [m[1], m[2]]));
        const s = await RawStream.open(proxy.url, AUTH_TOKEN);
        streams.add(s);
        s.start(call.sid, parameters['questionnaire'], undefined, parameters['token'], { attempt: parameters['attempt'] as string });
        if (kind === 'voicemail') {
          // Machine detection's verdict reaches whichever instance the proxy picks, not necessarily the stream's.
          await s.until((r) => r.some((m) => m['event'] === 'media'), 10_000);
          await rest.status(call, { AnsweredBy: 'machine_end_beep' });
          const echo = setInterval(() => s.echoMarks(), 50);
          const ended = await Promise.race([s.closed.then(() => true), sleep(10_000).then(() => false)]);
          clearInterval(echo);
          if (ended) messagesLeft++;
          else s.ws.close();
          streams.delete(s);
          await rest.status(call, { CallStatus: 'completed' });
          return;
        }
        let marks = 0;
        const press = setInterval(() => {
          s.echoMarks();
          if (s.count('mark') > marks) {
            marks = s.count('mark');
            s.dtmf(marks === 1 ? '1' : '2');
          }
        }, 50);
        await s.closed;
        clearInterval(press);
        streams.delete(s);
      }
      await rest.status(call, { CallStatus: 'completed' });
    };
    const hour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', hour: '2-digit', hourCycle: 'h23' }).format(new Date()));
    // A window around now, in a zone where "now ± 1 h" does not cross midnight.
    const zone = hour >= 2 && hour <= 21 ? 'UTC' : 'Asia/Tokyo';
    const local = Number(new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', hourCycle: 'h23' }).format(new Date()));
    const hh = (h: number) => `${String(h).padStart(2, '0')}:00`;
    const window = { timeZone: zone, days: [1, 2, 3, 4, 5, 6, 7], start: hh(local - 1), end: hh(local + 2), excludedDates: [] };
    const api = async (route: string, body?: unknown) => {
      const res = await fetch(`${proxy.url}${route}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const phoneOf = (i: number) => `+96650880${String(i).padStart(4, '0')}`;
    const created = await api('/api/v1/campaigns', {
      name: 'cluster',
      questionnaire: 'cluster-check',
      window,
      maxAttempts: 1,
      concurrency: 30,
      callsPerSecond: 30,
      patients: Array.from({ length: PATIENTS }, (_, i) => ({ phone: phoneOf(i), reference: `Patient/c${i}` })),
    });
    expect([created.status, created.status === 201 ? '' : JSON.stringify(created.body)]).toEqual([201, '']);
    const id = created.body['id'] as string;
    await waitFor(async () => (await api(`/api/v1/campaigns/${id}`)).body['status'] === 'completed', 150_000, 'campaign completed');
    await waitFor(() => new Set(receiver.accepted.filter((r) => r.type === 'attempt.ended').map((r) => r.id)).size >= PATIENTS, 30_000, 'attempt.ended for every dial');

    const dialled = rest.calls.slice(dialledBefore);
    const perNumber = new Map<string, number>();
    for (const call of dialled) perNumber.set(String(call.params['To']), (perNumber.get(String(call.params['To'])) ?? 0) + 1);
    expect(perNumber.size).toBe(PATIENTS);
    expect([...perNumber.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    const settings = campaignSettingsSchema.parse({ window });
    expect(dialled.filter((c) => !inWindow(settings.window, c.createdAt))).toEqual([]);
    // Every instance dialled: the scheduler runs on each, coordinated by claims in the database.
    const dialledBy = services.map((s) => s.lines.filter((l) => l.includes('"msg":"campaign attempt dialled"')).length);
    console.log(`cluster campaign: dials per instance ${dialledBy.join(' / ')}`);

    const view = await api(`/api/v1/campaigns/${id}`);
    const patients = view.body['patients'] as Array<{ position: number; state: string; lastOutcome: string; attempts: number }>;
    expect(patients).toHaveLength(PATIENTS);
    const expected: Record<string, [string, string]> = { human: ['done', 'completed'], voicemail: ['gave_up', 'voicemail'], busy: ['gave_up', 'busy'], 'no-answer': ['gave_up', 'no_answer'], failed: ['gave_up', 'failed'] };
    for (const p of patients) expect([p.position, p.state, p.lastOutcome, p.attempts]).toEqual([p.position, ...(expected[kindOf(phoneOf(p.position - 1))] as [string, string]), 1]);
    const attemptEnded = receiver.accepted.filter((r) => r.type === 'attempt.ended');
    expect(new Set(attemptEnded.map((r) => ((r.body['data'] as Record<string, unknown>)['attempt'] as { id: string }).id)).size).toBe(PATIENTS);
    expect(new Set(attemptEnded.map((r) => r.id)).size).toBe(attemptEnded.length);
    expect(receiver.accepted.filter((r) => r.type === 'campaign.completed')).toHaveLength(1);
    // Every machine got the message and the call ended, also where its verdict reached another instance.
    expect(messagesLeft).toBe(PATIENTS / kinds.length);
    const relayed = services.reduce((n, s) => n + s.lines.filter((l) => l.includes('"msg":"answering machine on a call whose stream is not here: telling the other instances"')).length, 0);
    expect(relayed).toBeGreaterThanOrEqual(10);
    console.log(`cluster campaign: ${relayed} of ${messagesLeft} machine verdicts reached an instance other than the stream's`);
    network = async () => undefined;
  }, 240_000);

  test('a questionnaire version uploaded through one instance is live on every instance within a heartbeat', async () => {
    const v2 = QUESTIONNAIRE.replace('version: 1', 'version: 2').replace('greeting: "مرحباً."', 'greeting: "أهلاً."');
    const res = await fetch(`${proxy.url}/api/v1/questionnaires`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/yaml' }, body: v2 });
    expect(res.status).toBe(201);
    // The instance's log line reaches this process through its stdout pipe, possibly after the HTTP answer.
    const activatedOn = () => services.findIndex((s) => s.lines.some((l) => l.includes('"msg":"questionnaire version activated for new calls"')));
    await waitFor(() => activatedOn() >= 0, 5000, 'the upload logged by the instance that took it');
    const uploadedOn = activatedOn();
    const others = services.filter((_, i) => i !== uploadedOn);
    await waitFor(() => others.every((s) => s.lines.some((l) => l.includes('"msg":"questionnaire version stored by another instance is live here for new calls"') && l.includes('"version":2'))), (HEARTBEAT_SECONDS + 5) * 1000, 'version 2 live on the other instances');
    // Three calls in turn, each asked version 2, their streams on three different instances: a call
    // takes three turns of the proxy (webhook, stream, what next), so one more request between calls
    // moves the next stream on by one instance.
    for (let i = 0; i < INSTANCES; i++) {
      await placeCall({ baseUrl: proxy.url, authToken: AUTH_TOKEN, callSid: `CAcluster-v2-${i}`, hangUpAfterMs: 1500 });
      expect((await fetch(`${proxy.url}/health`)).status).toBe(200);
    }
    const versions = await store.db.selectFrom('calls').select(['questionnaire_version']).where('provider_call_id', 'like', 'CAcluster-v2-%').execute();
    expect(versions.map((v) => v.questionnaire_version)).toEqual([2, 2, 2]);
    expect(new Set(Array.from({ length: INSTANCES }, (_, i) => instanceWith(services, 'call started', `CAcluster-v2-${i}`))).size).toBe(INSTANCES);
  }, 60_000);

  test('kill -9 of one instance carrying live calls: another closes them as interrupted within the heartbeat bound, answers kept; the others\' calls go on', async () => {
    const live: Array<{ sid: string; stream: RawStream }> = [];
    for (let i = 0; i < 30; i++) {
      const sid = `CAcluster-live-${i}`;
      const stream = await RawStream.open(proxy.url, AUTH_TOKEN);
      streams.add(stream);
      stream.start(sid, 'cluster-check');
      live.push({ sid, stream });
    }
    // Each caller gives consent (answer saved), then stays on the line.
    for (const { stream } of live) await stream.until((r) => r.some((m) => m['event'] === 'mark'), 15_000);
    for (const { stream } of live) {
      stream.echoMarks();
      stream.dtmf('1');
    }
    await waitFor(async () => {
      const calls = await Promise.all(live.map(({ sid }) => store.calls.findByProviderCallId('twilio', sid)));
      return calls.every(([c]) => c?.answers['consent']?.value === true);
    }, 20_000, 'consent saved on every live call');
    const carriedBy = live.map(({ sid }) => instanceWith(services, 'call started', sid));
    const victim = 1;
    const victims = live.filter((_, i) => carriedBy[i] === victim);
    const survivors = live.filter((_, i) => carriedBy[i] !== victim);
    expect(victims.length).toBeGreaterThanOrEqual(5);
    expect(survivors.length).toBeGreaterThanOrEqual(5);

    const killedAt = performance.now();
    services[victim]!.child.kill('SIGKILL');
    await services[victim]!.exited;
    await waitFor(
      async () => {
        const calls = await Promise.all(victims.map(({ sid }) => store.calls.findByProviderCallId('twilio', sid)));
        return calls.every(([c]) => c?.status === 'interrupted');
      },
      (STALE_SECONDS * 1.5 + HEARTBEAT_SECONDS * 2 + 5) * 1000,
      'the killed instance\'s calls closed as interrupted',
    );
    const closedAfterS = (performance.now() - killedAt) / 1000;
    // The bound: stale after INSTANCE_STALE_SECONDS, seen at the next sweep (every half of it), plus a heartbeat.
    expect(closedAfterS).toBeLessThanOrEqual(STALE_SECONDS * 1.5 + HEARTBEAT_SECONDS * 2 + 1);
    console.log(`cluster kill -9: ${victims.length} calls of the killed instance closed as interrupted ${closedAfterS.toFixed(1)} s after the kill (stale bound ${STALE_SECONDS} s)`);
    for (const { sid } of victims) {
      const [call] = await store.calls.findByProviderCallId('twilio', sid);
      expect(call?.answers['consent']?.value).toBe(true);
      expect(call?.endedAt).not.toBeNull();
    }
    // The survivors' calls are still in progress, and still answer: the next question is taken.
    for (const { sid } of survivors) expect((await store.calls.findByProviderCallId('twilio', sid))[0]?.status).toBe('in_progress');
    for (const { stream } of survivors) {
      stream.echoMarks();
      stream.dtmf('2');
    }
    await waitFor(async () => {
      const calls = await Promise.all(survivors.map(({ sid }) => store.calls.findByProviderCallId('twilio', sid)));
      return calls.every(([c]) => c?.answers['feeling_well']?.value === false && c.status === 'in_progress');
    }, 20_000, 'the survivors answered the next question');
    // The killed instance's capacity left the service with its heartbeat.
    await waitFor(async () => (await store.instances.load(STALE_SECONDS)).instances === INSTANCES - 1, 10_000, 'the killed instance no longer counted');
    for (const { stream } of live) stream.ws.close();
  }, 120_000);

  test('SIGTERM drains: the instance is marked draining, its webhook sends callers on while the others have room, its row goes when it exits', async () => {
    const stopping = services[0]!;
    // Streams are signed for the public URL (the proxy): open them there until one lands on this instance.
    let held: RawStream | undefined;
    for (let i = 0; i < 6 && !held; i++) {
      const s = await RawStream.open(proxy.url, AUTH_TOKEN);
      streams.add(s);
      s.start(`CAcluster-drain-${i}`);
      await s.until((r) => r.some((m) => m['event'] === 'media'), 10_000);
      await waitFor(() => instanceWith(services, 'call started', `CAcluster-drain-${i}`) >= 0, 5000, 'the call-started line');
      if (instanceWith(services, 'call started', `CAcluster-drain-${i}`) === 0) held = s;
      else s.ws.close();
    }
    expect(held).toBeDefined();
    stopping.child.kill('SIGTERM');
    await waitFor(async () => (await store.db.selectFrom('instances').select('draining').where('id', '=', 'bridge-0').executeTakeFirst())?.draining === true, 3000, 'bridge-0 marked draining'); // at once (main.ts beats on SIGTERM), or at the next 1 s heartbeat here
    expect((await store.instances.load(STALE_SECONDS)).instances).toBe(1);
    // Twilio's webhook reaching the draining instance: the caller is sent on, not told all lines are busy.
    const sentOn = await postTwilioForm(`${stopping.base}/twilio/voice`, { CallSid: 'CAcluster-drain-webhook', AccountSid: 'AC1', From: '+966501112222', To: '+966112345678', Direction: 'inbound' }, AUTH_TOKEN, `${proxy.url}/twilio/voice`);
    expect(sentOn.text).toContain('<Stream url=');
    // Its call goes on until the caller hangs up; then the instance leaves and exits cleanly.
    expect(stopping.child.exitCode).toBeNull();
    held!.ws.close();
    expect((await stopping.exited).code).toBe(0);
    expect(await store.db.selectFrom('instances').select('id').where('id', '=', 'bridge-0').executeTakeFirst()).toBeUndefined();
  }, 60_000);
});
