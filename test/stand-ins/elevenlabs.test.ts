import { mulaw } from 'alawmulaw';
import { ElevenLabsStandIn } from './elevenlabs';

// The stand-in's own wire behaviour, checked with plain fetch (no SDK), so that a test passing
// against it means what it says.

let standIn: ElevenLabsStandIn;

beforeEach(async () => {
  standIn = await ElevenLabsStandIn.start({ chunks: 3, chunkDelayMs: 20 });
});

afterEach(async () => {
  await standIn.close();
});

function post(path: string, body: unknown, key: string | null = standIn.options.apiKey): Promise<Response> {
  return fetch(`${standIn.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(key === null ? {} : { 'xi-api-key': key }) },
    body: JSON.stringify(body),
  });
}

test('streams μ-law of a tone in several chunks, duration proportional to the text', async () => {
  const response = await post('/v1/text-to-speech/abc/stream?output_format=ulaw_8000', { text: 'مرحبا', model_id: 'm' });
  expect(response.status).toBe(200);
  expect(response.headers.get('transfer-encoding')).toBe('chunked');
  const bytes = new Uint8Array(await response.arrayBuffer());
  expect(bytes.length).toBe(5 * standIn.options.msPerChar * 8);
  expect(Buffer.from(bytes).equals(Buffer.from(standIn.audioFor('مرحبا')))).toBe(true);
  const samples = mulaw.decode(bytes);
  expect(Math.max(...samples)).toBeGreaterThan(standIn.options.amplitude * 0.9);
  const sent = standIn.sent[0]!;
  expect(sent.chunks).toHaveLength(3);
  expect(sent.chunks[2]!.atMs - sent.chunks[0]!.atMs).toBeGreaterThanOrEqual(35);
  expect(standIn.requests[0]).toMatchObject({
    voiceId: 'abc',
    query: { output_format: 'ulaw_8000' },
    body: { text: 'مرحبا', model_id: 'm' },
  });
});

test('answers like ElevenLabs when the key is wrong or missing, the body or format invalid', async () => {
  const wrong = await post('/v1/text-to-speech/abc/stream?output_format=ulaw_8000', { text: 'x' }, 'nope');
  expect(wrong.status).toBe(401);
  expect(await wrong.json()).toEqual({ detail: { status: 'invalid_api_key', message: 'Invalid API key' } });
  const missing = await post('/v1/text-to-speech/abc/stream?output_format=ulaw_8000', { text: 'x' }, null);
  expect(missing.status).toBe(401);
  expect(((await missing.json()) as { detail: { status: string } }).detail.status).toBe('needs_authorization');
  const noText = await post('/v1/text-to-speech/abc/stream?output_format=ulaw_8000', {});
  expect(noText.status).toBe(422);
  const mp3 = await post('/v1/text-to-speech/abc/stream?output_format=mp3_44100_128', { text: 'x' });
  expect(mp3.status).toBe(400);
  const elsewhere = await post('/v1/voices', { text: 'x' });
  expect(elsewhere.status).toBe(404);
});

test('failNext answers the next requests with a status, then recovers', async () => {
  standIn.failNext(2, 500);
  const path = '/v1/text-to-speech/abc?output_format=ulaw_8000';
  expect((await post(path, { text: 'x' })).status).toBe(500);
  const second = await post(path, { text: 'x' });
  expect(second.status).toBe(500);
  expect(((await second.json()) as { detail: { status: string } }).detail.status).toBe('internal_server_error');
  expect((await post(path, { text: 'x' })).status).toBe(200);
});
