import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { R4Validator } from '../src/fhir/testing/r4-validator';
import { snapshot } from '../src/store/testing/calls-contract';
import { AUTH_TOKEN, type TestBridge, startBridge } from './helpers/bridge';
import { RawStream } from './helpers/raw-stream';
import { waitFor } from './helpers/wait';

/**
 * The clinic API from outside, as a clinic's script and an attacker would use it: keys and
 * scopes, every refusal with its stable code, results of a real call, acknowledging a red flag,
 * pages, and the audit of who read what.
 */
const ADMIN_KEY = 'admin-key-0123456789-0123456789-0123456789';
let t: TestBridge;
beforeAll(async () => {
  t = await startBridge({ BRIDGE_API_KEY: ADMIN_KEY });
}, 60_000);
afterAll(() => t.close());

// biome-ignore lint/suspicious/noExplicitAny: responses are read as untyped JSON, then checked by the assertions
type Json = Record<string, any>;

async function api(path: string, init: { key?: string | null; method?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...init.headers };
  if (init.key !== null) headers['authorization'] = `Bearer ${init.key ?? ADMIN_KEY}`;
  if (init.body !== undefined) headers['content-type'] ??= 'application/json';
  const res = await fetch(`${t.base}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers,
    ...(init.body === undefined ? {} : { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : {}) as Json };
}

async function createKey(name: string, scopes: string[]): Promise<string> {
  const created = await api('/api/v1/keys', { body: { name, scopes } });
  expect(created.status).toBe(201);
  return created.body['key'] as string;
}

/** A real call through the bridge: consent, then "yes" to chest pain (an emergency red flag). */
async function flaggedCall(callSid: string): Promise<string> {
  const s = await RawStream.open(t.base, AUTH_TOKEN);
  s.start(callSid);
  const echo = setInterval(() => s.echoMarks(), 20);
  try {
    await s.until((r) => r.some((m) => m['event'] === 'mark'), 10_000);
    s.dtmf('1');
    await waitFor(async () => 'consent' in (await t.saved(callSid)).answers, 5000, 'consent');
    // "Yes" to chest pain is read back for confirmation before it is acted on: "1" again confirms.
    for (let press = 0; press < 3 && (await t.saved(callSid)).flags.length === 0; press++) {
      s.dtmf('1');
      await waitFor(async () => (await t.saved(callSid)).flags.length === 1, 1500, 'red flag stored').catch(() => undefined);
    }
    expect((await t.saved(callSid)).flags).toHaveLength(1);
  } finally {
    clearInterval(echo);
    s.ws.close();
  }
  await waitFor(async () => (await t.saved(callSid)).endedAt !== null, 5000, 'call ended');
  return (await t.saved(callSid)).id;
}

describe('access', () => {
  test('no key, a malformed header, a wrong key: 401 with a stable code and a Bearer challenge', async () => {
    const none = await api('/api/v1/calls', { key: null });
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({ error: 'api_key_missing' });
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer realm="bridge"/);
    const basic = await api('/api/v1/calls', { key: null, headers: { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` } });
    expect(basic).toMatchObject({ status: 401, body: { error: 'api_key_missing' } });
    const wrong = await api('/api/v1/calls', { key: `${ADMIN_KEY.slice(0, -1)}X` });
    expect(wrong).toMatchObject({ status: 401, body: { error: 'api_key_invalid' } });
    const made = await api('/api/v1/calls', { key: 'brk_not-a-key-anyone-issued' });
    expect(made).toMatchObject({ status: 401, body: { error: 'api_key_invalid' } });
    // Other versions and typos are behind the key too: nothing about the API leaks unauthenticated.
    expect((await api('/api/v2/calls', { key: null })).status).toBe(401);
    expect(await api('/api/v2/calls')).toMatchObject({ status: 404, body: { error: 'not_found' } });
  });

  test('a key is shown once, stored hashed, limited to its scopes, and dead once revoked', async () => {
    const created = await api('/api/v1/keys', { body: { name: 'results reader', scopes: ['results:read'] } });
    expect(created.status).toBe(201);
    const key = created.body['key'] as string;
    expect(key).toMatch(/^brk_[A-Za-z0-9_-]{43}$/);
    const listed = await api('/api/v1/keys');
    expect(JSON.stringify(listed.body)).not.toContain(key);
    expect(listed.body['keys']).toContainEqual(expect.objectContaining({ name: 'results reader', scopes: ['results:read'], prefix: key.slice(0, 10), revokedAt: null }));
    const rows = await t.database.db.selectFrom('api_keys').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(key); // only its hash is kept

    expect((await api('/api/v1/calls', { key })).status).toBe(200);
    expect(await api('/api/v1/keys', { key })).toMatchObject({ status: 403, body: { error: 'scope_missing' } });
    expect(await api('/api/v1/keys', { key, body: { name: 'escalate', scopes: ['admin'] } })).toMatchObject({ status: 403, body: { error: 'scope_missing' } });
    expect(await api('/api/v1/audit', { key })).toMatchObject({ status: 403, body: { error: 'scope_missing' } });

    const revoked = await api(`/api/v1/keys/${created.body['id']}`, { method: 'DELETE' });
    expect(revoked.status).toBe(200);
    expect(revoked.body['revokedAt']).not.toBeNull();
    expect(await api('/api/v1/calls', { key })).toMatchObject({ status: 401, body: { error: 'api_key_invalid' } });
    expect(await api(`/api/v1/keys/${randomUUID()}`, { method: 'DELETE' })).toMatchObject({ status: 404, body: { error: 'key_not_found' } });
  });

  test('bad key requests are 400 with what is wrong', async () => {
    const noScopes = await api('/api/v1/keys', { body: { name: 'x', scopes: [] } });
    expect(noScopes).toMatchObject({ status: 400, body: { error: 'invalid_body' } });
    expect(noScopes.body['message']).toContain('scopes');
    expect(await api('/api/v1/keys', { body: { name: 'x', scopes: ['root'] } })).toMatchObject({ status: 400, body: { error: 'invalid_body' } });
    const broken = await api('/api/v1/keys', { body: '{"name":"x","phone":+966501234567}' });
    expect(broken).toMatchObject({ status: 400, body: { error: 'malformed_body', message: 'the request body is not valid JSON' } });
    expect(JSON.stringify(t.logs)).not.toContain('966501234567'); // the parser's message quoted the body
    expect(await api('/api/v1/keys', { body: { name: 'x'.repeat(70_000), scopes: ['admin'] } })).toMatchObject({ status: 413, body: { error: 'body_too_large' } });
  });
});

describe('results', () => {
  let callId: string;
  let reader: string;
  beforeAll(async () => {
    reader = await createKey('nurse station', ['results:read', 'flags:write']);
    callId = await flaggedCall('CAapi-flag');
  }, 60_000);

  test('a flagged call is listed with its flag count, and read whole: answers, flags, timeline', async () => {
    const list = await api('/api/v1/calls?flagged=true', { key: reader });
    expect(list.status).toBe(200);
    const summary = (list.body['calls'] as Array<Record<string, unknown>>).find((c) => c['id'] === callId);
    expect(summary).toEqual({
      id: callId,
      provider: 'twilio',
      providerCallId: 'CAapi-flag',
      direction: 'inbound',
      status: 'escalated',
      questionnaire: { id: 'post-discharge', version: expect.any(Number) },
      patient: null,
      startedAt: expect.any(String),
      endedAt: expect.any(String),
      flags: 1,
    });
    const call = await api(`/api/v1/calls/${callId}`, { key: reader });
    expect(call.status).toBe(200);
    expect(call.body['answers']['chest_pain']).toMatchObject({ question: 'هل تشعر بألم في الصدر الآن؟', value: true, method: 'dtmf', transcript: null, attempts: 1 });
    expect(call.body['flags']).toEqual([
      { id: expect.any(Number), item: 'chest_pain', action: 'emergency', value: true, raisedAt: expect.any(String), acknowledgedAt: null, acknowledgedBy: null },
    ]);
    const types = (call.body['events'] as Array<{ type: string }>).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['started', 'prompt', 'input', 'answer', 'flag', 'ended']));
    expect((await api('/api/v1/calls?flagged=false', { key: reader })).body['calls'].some((c: { id: string }) => c.id === callId)).toBe(false);
  });

  test('acknowledging a red flag records who; the first acknowledgement stands', async () => {
    const flagId = (await api(`/api/v1/calls/${callId}`, { key: reader })).body['flags'][0].id as number;
    const first = await api(`/api/v1/flags/${flagId}/acknowledge`, { key: reader, body: { by: 'Nurse Sara' } });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ id: flagId, callId, acknowledgedBy: 'Nurse Sara (nurse station)' });
    const second = await api(`/api/v1/flags/${flagId}/acknowledge`, { body: {} });
    expect(second.body).toMatchObject({ acknowledgedBy: 'Nurse Sara (nurse station)', acknowledgedAt: first.body['acknowledgedAt'] });
    expect(await api('/api/v1/flags/999999/acknowledge', { key: reader, body: {} })).toMatchObject({ status: 404, body: { error: 'flag_not_found' } });
    expect(await api('/api/v1/flags/abc/acknowledge', { key: reader, body: {} })).toMatchObject({ status: 404, body: { error: 'flag_not_found' } });
    expect(await api(`/api/v1/flags/${flagId}/acknowledge`, { key: reader, body: { by: 5 } })).toMatchObject({ status: 400, body: { error: 'invalid_body' } });
    // Reading results is not taking care of an emergency: a read-only key cannot acknowledge.
    const dashboard = await createKey('bi dashboard', ['results:read']);
    expect(await api(`/api/v1/flags/${flagId}/acknowledge`, { key: dashboard, body: {} })).toMatchObject({ status: 403, body: { error: 'scope_missing' } });
  });

  test('unknown and malformed call ids are 404; bad filters are 400 naming the parameter', async () => {
    expect(await api(`/api/v1/calls/${randomUUID()}`, { key: reader })).toMatchObject({ status: 404, body: { error: 'call_not_found' } });
    expect(await api("/api/v1/calls/1' or '1'='1", { key: reader })).toMatchObject({ status: 404, body: { error: 'call_not_found' } });
    const hostileCursor = Buffer.from(`1|${'0'.repeat(36)}`).toString('base64url'); // passes Date.parse; not a timestamptz
    for (const query of ['status=done', 'limit=0', 'limit=201', 'since=yesterday', 'flagged=yes', 'cursor=bm9wZQ', `cursor=${hostileCursor}`, 'questionnaire=../etc', 'colour=red']) {
      const res = await api(`/api/v1/calls?${query}`, { key: reader });
      expect({ query, status: res.status, error: res.body['error'] }).toEqual({ query, status: 400, error: 'invalid_query' });
      expect(res.body['message']).toContain(query.split('=')[0] === 'colour' ? 'colour' : query.split('=')[0]);
    }
  });

  test('pages: newest first, every call once, filters combine', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const call = snapshot({ questionnaire: 'pager', patientReference: 'Patient/77', startedAt: new Date(Date.UTC(2026, 0, 1, 8, i)).toISOString(), status: 'completed', endedAt: new Date(Date.UTC(2026, 0, 1, 9)).toISOString() });
      await t.database.calls.save(call, 'test');
      ids.push(call.id);
    }
    const seen: string[] = [];
    let next: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof api>> = await api(`/api/v1/calls?questionnaire=pager&limit=2${next ? `&cursor=${next}` : ''}`, { key: reader });
      expect(page.status).toBe(200);
      seen.push(...(page.body['calls'] as Array<{ id: string }>).map((c) => c.id));
      next = page.body['next'] as string | null;
    } while (next);
    expect(seen).toEqual([...ids].reverse());
    const patient = await api('/api/v1/calls?patient=Patient/77&since=2026-01-01T08:02:00Z&until=2026-01-01T08:04:00Z', { key: reader });
    expect((patient.body['calls'] as Array<{ id: string }>).map((c) => c.id)).toEqual([ids[3], ids[2]]);
  });

  test('every read of health data is audited with the key name and the address; admins read the audit', async () => {
    const audit = await api('/api/v1/audit?limit=500');
    expect(audit.status).toBe(200);
    const entries = audit.body['entries'] as Array<Record<string, unknown>>;
    expect(entries).toContainEqual(expect.objectContaining({ keyName: 'nurse station', action: 'call.read', resource: `call/${callId}`, source: expect.stringMatching(/127\.0\.0\.1/) }));
    expect(entries).toContainEqual(expect.objectContaining({ keyName: 'nurse station', action: 'flag.acknowledge' }));
    expect(entries).toContainEqual(expect.objectContaining({ keyName: 'nurse station', action: 'calls.list' }));
    expect(entries).toContainEqual(expect.objectContaining({ keyName: 'bootstrap (BRIDGE_API_KEY)', action: 'key.create' }));
    const onlyReads = await api('/api/v1/audit?action=call.read&limit=1');
    expect(onlyReads.body['entries']).toHaveLength(1);
    expect(onlyReads.body['next']).not.toBeNull();
  });
});

describe('FHIR R4', () => {
  const validator = new R4Validator();
  let callId: string;
  let reader: string;
  beforeAll(async () => {
    reader = await createKey('fhir reader', ['results:read']);
    callId = await flaggedCall('CAfhir-flag');
  }, 60_000);

  test('a call as a QuestionnaireResponse: valid R4, the answers typed, the red flag carried, the read audited', async () => {
    const res = await fetch(`${t.base}/fhir/r4/QuestionnaireResponse/${callId}`, { headers: { authorization: `Bearer ${reader}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/fhir\+json/);
    const response = (await res.json()) as Json;
    expect(validator.problems(response as never)).toEqual([]);
    expect(response).toMatchObject({ resourceType: 'QuestionnaireResponse', id: callId, questionnaire: expect.stringMatching(/\/fhir\/r4\/Questionnaire\/post-discharge\|\d+$/) });
    const chest = (response['item'] as Json[]).find((i) => i['linkId'] === 'chest_pain');
    expect(chest?.['answer']).toEqual([expect.objectContaining({ valueBoolean: true })]);
    expect(JSON.stringify(chest)).toContain('red-flag');
    const audit = await api('/api/v1/audit?action=fhir.response.read');
    expect(audit.body['entries'][0]).toMatchObject({ keyName: 'fhir reader', resource: `call/${callId}` });
  });

  test('search: a searchset Bundle in pages, by questionnaire and status; refusals are OperationOutcomes', async () => {
    const first = await fetch(`${t.base}/fhir/r4/QuestionnaireResponse?questionnaire=post-discharge&_count=1`, { headers: { authorization: `Bearer ${reader}` } });
    expect(first.status).toBe(200);
    const bundle = (await first.json()) as Json;
    expect(validator.problems(bundle as never)).toEqual([]);
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'searchset' });
    expect(bundle['entry']).toHaveLength(1);
    const next = (bundle['link'] as Json[]).find((l) => l['relation'] === 'next')?.['url'] as string;
    expect(next).toContain('_cursor=');
    const second = (await (await fetch(next.replace(/^https?:\/\/[^/]+/, t.base), { headers: { authorization: `Bearer ${reader}` } })).json()) as Json;
    expect(second['entry'][0]['resource']['id']).not.toBe(bundle['entry'][0]['resource']['id']);
    const live = (await (await fetch(`${t.base}/fhir/r4/QuestionnaireResponse?status=in-progress&questionnaire=nothing-like-this`, { headers: { authorization: `Bearer ${reader}` } })).json()) as Json;
    expect(live).toMatchObject({ resourceType: 'Bundle', type: 'searchset' });
    expect(live['entry']).toBeUndefined();

    for (const [query, status] of [
      ['colour=red', 400],
      ['subject=123', 400],
      ['_lastUpdated=yesterday', 400],
      ['_count=1000', 400],
    ] as const) {
      const res = await fetch(`${t.base}/fhir/r4/QuestionnaireResponse?${query}`, { headers: { authorization: `Bearer ${reader}` } });
      expect({ query, status: res.status }).toEqual({ query, status });
      expect((await res.json()) as Json).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'invalid' }] });
    }
    const missing = await fetch(`${t.base}/fhir/r4/QuestionnaireResponse/${randomUUID()}`, { headers: { authorization: `Bearer ${reader}` } });
    expect(missing.status).toBe(404);
    expect((await missing.json()) as Json).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'not-found' }] });
  });

  test('the questionnaire as a FHIR Questionnaire; FHIR needs a key with results:read', async () => {
    const res = await fetch(`${t.base}/fhir/r4/Questionnaire/post-discharge`, { headers: { authorization: `Bearer ${reader}` } });
    expect(res.status).toBe(200);
    const questionnaire = (await res.json()) as Json;
    expect(validator.problems(questionnaire as never)).toEqual([]);
    expect(questionnaire).toMatchObject({ resourceType: 'Questionnaire', status: 'active' });
    expect((await fetch(`${t.base}/fhir/r4/Questionnaire/post-discharge`)).status).toBe(401);
    const writer = await createKey('questionnaire editor', ['questionnaires:write']);
    const refused = await fetch(`${t.base}/fhir/r4/QuestionnaireResponse/${callId}`, { headers: { authorization: `Bearer ${writer}` } });
    expect(refused.status).toBe(403);
  });
});

test('the OpenAPI document describes every route, and every route it names answers', async () => {
  const doc = await api('/api/v1/openapi.json');
  expect(doc.status).toBe(200);
  expect(doc.body['openapi']).toBe('3.1.0');
  for (const [path, methods] of Object.entries(doc.body['paths'] as Record<string, Record<string, unknown>>)) {
    for (const method of Object.keys(methods)) {
      const concrete = path.replace('{id}', method === 'post' ? '1' : randomUUID());
      const res = await api(`/api/v1${concrete}`, { method: method.toUpperCase(), ...(method === 'post' ? { body: {} } : {}) });
      // Routes exist: never the catch-all 404 (a 404 with a specific code is the route answering).
      expect({ path, method, error: res.body['error'] }).not.toEqual({ path, method, error: 'not_found' });
    }
  }
  expect((await api('/api/v1/openapi.json', { key: null })).status).toBe(401);
});

test('without BRIDGE_API_KEY the API is off and says so, for /api and /fhir alike', async () => {
  const off = await startBridge();
  try {
    for (const path of ['/api/v1/calls', '/fhir/r4/QuestionnaireResponse']) {
      const res = await fetch(`${off.base}${path}`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: 'api_disabled', message: 'the clinic API is off: set BRIDGE_API_KEY to turn it on' });
    }
  } finally {
    await off.close();
  }
});

describe('questionnaires without restarts', () => {
  let editor: string;
  let reader: string;
  const yamlOf = async (version: number, chest: string) => {
    const text = await readFile(`${__dirname}/../questionnaires/post-discharge.yaml`, 'utf8');
    return text.replace(/^version: 1$/m, `version: ${version}`).replace('هل تشعر بألم في الصدر الآن؟', chest);
  };
  const upload = (body: string, key: string, type = 'application/yaml') => api('/api/v1/questionnaires', { key, body, headers: { 'content-type': type } });
  beforeAll(async () => {
    editor = await createKey('clinic editor', ['questionnaires:write']);
    reader = await createKey('questionnaire reader', ['results:read']);
  });

  test('an upload goes live for new calls at once; a call in progress keeps the version it started on', async () => {
    const before = await RawStream.open(t.base, AUTH_TOKEN);
    before.start('CAq-before');
    await waitFor(async () => (await t.saved('CAq-before')).questionnaireVersion === 1, 5000, 'call on version 1');
    const res = await upload(await yamlOf(2, 'هل عندك ألم في صدرك الآن؟'), editor);
    expect(res).toMatchObject({ status: 201, body: { id: 'post-discharge', version: 2, active: true } });
    expect((await api('/api/v1/questionnaires', { key: reader })).body['questionnaires']).toContainEqual(expect.objectContaining({ id: 'post-discharge', version: 2 }));
    const versions = await api('/api/v1/questionnaires/post-discharge/versions', { key: reader });
    expect(versions.body['versions'].map((v: Json) => [v['version'], v['active']])).toEqual([
      [2, true],
      [1, false],
    ]);
    const after = await RawStream.open(t.base, AUTH_TOKEN);
    after.start('CAq-after');
    await waitFor(async () => (await t.saved('CAq-after')).questionnaireVersion === 2, 5000, 'new call on version 2');
    expect((await t.saved('CAq-before')).questionnaireVersion).toBe(1);
    // The same upload again is harmless; the same version with other content, or an older one, is refused.
    expect((await upload(await yamlOf(2, 'هل عندك ألم في صدرك الآن؟'), editor)).status).toBe(200);
    expect(await upload(await yamlOf(2, 'سؤال آخر؟'), editor)).toMatchObject({ status: 409, body: { error: 'questionnaire_version_exists' } });
    expect(await upload(await yamlOf(1, 'هل تشعر بألم في الصدر الآن؟'), editor)).toMatchObject({ status: 409, body: { error: 'questionnaire_version_older' } });
    for (const s of [before, after]) s.ws.close();
  });

  test('a broken questionnaire is refused with every problem at once, and nothing changes', async () => {
    const broken = (await yamlOf(3, 'x')).replace('type: boolean', 'type: yesno').replace('max_reprompts: 2', 'max_reprompt: 2');
    const res = await upload(broken, editor);
    expect(res.status).toBe(400);
    expect(res.body['error']).toBe('questionnaire_invalid');
    expect(res.body['problems'].length).toBeGreaterThanOrEqual(2);
    expect(res.body['problems'].join('\n')).toMatch(/max_reprompt/);
    expect((await api('/api/v1/questionnaires', { key: reader })).body['questionnaires']).toContainEqual(expect.objectContaining({ id: 'post-discharge', version: 2 }));
    const recording = (await yamlOf(3, 'x')).replace('    text: "هل تشعر', '    audio: prompts/x.wav\n    text: "هل تشعر');
    expect(await upload(`${recording}\n`, editor)).toMatchObject({ status: 400, body: { error: 'questionnaire_invalid' } });
    expect(await upload('<html/>', editor, 'text/html')).toMatchObject({ status: 415 });
    expect(await upload(await yamlOf(4, 'x'), reader)).toMatchObject({ status: 403, body: { error: 'scope_missing' } });
    expect(await upload(await yamlOf(4, 'x'), 'brk_nobody')).toMatchObject({ status: 401 });
  });

  test('a FHIR Questionnaire round trip: export, raise the version, import, live', async () => {
    const exported = (await (await fetch(`${t.base}/fhir/r4/Questionnaire/pre-visit-screening`, { headers: { authorization: `Bearer ${reader}` } })).json()) as Json;
    const res = await upload(JSON.stringify({ ...exported, version: '2' }), editor, 'application/fhir+json');
    expect(res).toMatchObject({ status: 201, body: { id: 'pre-visit-screening', version: 2 } });
  });

  test('the simulator over HTTP: turns in, what the bridge would say and record out', async () => {
    const res = await api('/api/v1/questionnaires/post-discharge/simulate', { key: reader, body: { turns: ['#1', '#2'] } });
    expect(res.status).toBe(200);
    const lines = res.body['lines'] as Json[];
    expect(lines).toContainEqual({ type: 'answer', item: 'consent', value: true, method: 'dtmf' });
    expect(lines).toContainEqual({ type: 'answer', item: 'chest_pain', value: false, method: 'dtmf' });
    expect(lines.some((l) => l['type'] === 'say' && String(l['text']).includes('هل عندك ألم في صدرك الآن؟'))).toBe(true); // the live version 2
    expect(await api('/api/v1/questionnaires/nope/simulate', { key: reader, body: { turns: [] } })).toMatchObject({ status: 404, body: { error: 'questionnaire_not_found' } });
    expect(await api('/api/v1/questionnaires/post-discharge/simulate', { key: reader, body: { turns: 'x' } })).toMatchObject({ status: 400, body: { error: 'invalid_body' } });
  });
});

describe('webhook subscriptions through the API', () => {
  test('subscribe (the secret shown once), list, deliveries of a real red flag, replay, remove; refusals with stable codes', async () => {
    const reader = await createKey('webhook peeker', ['results:read']);
    expect(await api('/api/v1/webhooks', { key: reader, body: { url: 'https://clinic.example/hooks', events: ['call.flagged'] } })).toMatchObject({ status: 403, body: { error: 'scope_missing' } });
    expect(await api('/api/v1/webhooks', { body: { url: 'ftp://clinic.example/hooks', events: ['call.flagged'] } })).toMatchObject({ status: 400, body: { error: 'webhook_url_invalid' } });
    expect(await api('/api/v1/webhooks', { body: { url: 'https://clinic.example/hooks', events: ['call.exploded'] } })).toMatchObject({ status: 400, body: { error: 'webhook_events_invalid' } });
    expect(await api('/api/v1/webhooks', { body: { url: 'https://clinic.example/hooks' } })).toMatchObject({ status: 400, body: { error: 'invalid_body' } });

    const created = await api('/api/v1/webhooks', { body: { url: 'https://clinic.example/hooks', events: ['call.flagged'] } });
    expect(created).toMatchObject({ status: 201, body: { url: 'https://clinic.example/hooks', events: ['call.flagged'], secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]+=*$/) } });
    const listed = await api('/api/v1/webhooks');
    expect(JSON.stringify(listed.body)).not.toContain(created.body['secret']);
    expect(listed.body['webhooks']).toContainEqual(expect.objectContaining({ id: created.body['id'], url: 'https://clinic.example/hooks' }));

    await flaggedCall('CAwebhook-flag');
    const deliveries = await api('/api/v1/webhooks/deliveries?status=pending');
    expect(deliveries.status).toBe(200);
    const flagged = (deliveries.body['deliveries'] as Json[]).find((d) => d['subscriptionId'] === created.body['id']);
    expect(flagged).toMatchObject({ eventType: 'call.flagged' });
    expect((await api(`/api/v1/webhooks/deliveries/${flagged?.['id']}/replay`, { body: {} })).status).toBe(200);
    expect(await api('/api/v1/webhooks/deliveries/999999/replay', { body: {} })).toMatchObject({ status: 404, body: { error: 'webhook_delivery_not_found' } });
    expect(await api('/api/v1/webhooks/deliveries?status=lost')).toMatchObject({ status: 400, body: { error: 'invalid_query' } });

    expect((await api(`/api/v1/webhooks/${created.body['id']}`, { method: 'DELETE' })).status).toBe(204);
    expect(await api(`/api/v1/webhooks/${created.body['id']}`, { method: 'DELETE' })).toMatchObject({ status: 404, body: { error: 'webhook_not_found' } });
  }, 60_000);
});

test('every documented route: 401 without a key, 403 with a key that lacks its scope', async () => {
  const callsOnly = await createKey('campaign robot', ['calls:write']);
  const readerOnly = await createKey('reader robot', ['results:read']);
  const doc = (await api('/api/v1/openapi.json')).body;
  let checked = 0;
  for (const [path, methods] of Object.entries(doc['paths'] as Record<string, Record<string, Json>>)) {
    for (const [method, operation] of Object.entries(methods)) {
      const concrete = `/api/v1${path.replace('{id}', method === 'delete' ? randomUUID() : '1')}`;
      const init = { method: method.toUpperCase(), ...(method === 'post' ? { body: {} } : {}) };
      const anonymous = await api(concrete, { ...init, key: null });
      expect({ path, method, status: anonymous.status }).toEqual({ path, method, status: 401 });
      if (!operation['x-scope']) continue; // openapi.json: any valid key
      // A key holding some scope, but not one this route accepts.
      const scope = String(operation['x-scope']);
      const outsider = scope.includes('calls:write') || scope === 'questionnaires:write' ? readerOnly : callsOnly;
      const refused = await api(concrete, { ...init, key: outsider });
      expect({ path, method, status: refused.status, error: refused.body['error'] }).toEqual({ path, method, status: 403, error: 'scope_missing' });
      checked++;
    }
  }
  expect(checked).toBeGreaterThanOrEqual(15);
});
