import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { mulaw } from 'alawmulaw';

/**
 * A local stand-in for ElevenLabs' text-to-speech HTTP API, close enough that the real SDK runs
 * against it: `POST /v1/text-to-speech/{voice_id}/stream` (and the non-streaming
 * `/v1/text-to-speech/{voice_id}`), key in the `xi-api-key` header, `output_format` in the query,
 * a JSON body (`text`, `model_id`, …), errors as JSON `{"detail": {"status", "message"}}` (or
 * FastAPI's `{"detail": [{loc, msg}]}` for an invalid body).
 *
 * The audio is μ-law at 8 kHz (the only `output_format` it speaks) of a sine tone lasting
 * `msPerChar` per character, encoded with alawmulaw (independent of our codec), sent with chunked
 * transfer in `chunks` pieces, `chunkDelayMs` apart, so a test can see the first chunk arrive
 * long before the last one is sent. Every request and every chunk sent is recorded with its time
 * (`performance.now()`, the same clock the test reads).
 */
export interface ElevenLabsStandInOptions {
  /** The key it accepts. */
  apiKey: string;
  /** Voice ids it knows; any id when undefined. An unknown one gets a 404 `voice_not_found`. */
  voices: readonly string[] | undefined;
  frequencyHz: number;
  /** Peak amplitude in int16 units. */
  amplitude: number;
  msPerChar: number;
  maxMs: number;
  chunks: number;
  /** Wait between two chunks of one response. */
  chunkDelayMs: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  voiceId: string;
  query: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  /** The parsed JSON body (undefined if it was not JSON). */
  body: unknown;
  atMs: number;
}

export interface SentAudio {
  /** Index into `requests`. */
  request: number;
  chunks: { atMs: number; bytes: Uint8Array }[];
  /** When the response was ended (all chunks sent), or undefined if it never was. */
  endedAtMs: number | undefined;
  /** The client went away (or the connection was cut on purpose) before the end. */
  cut: boolean;
}

const DEFAULTS: ElevenLabsStandInOptions = {
  apiKey: 'test-elevenlabs-key',
  voices: undefined,
  frequencyHz: 440,
  amplitude: 8000,
  msPerChar: 40,
  maxMs: 5000,
  chunks: 4,
  chunkDelayMs: 0,
};

const ROUTE = /^\/v1\/text-to-speech\/([^/]+)(\/stream)?\/?$/;
const VOICE_ROUTE = /^\/v1\/voices\/([^/]+)\/?$/;

export class ElevenLabsStandIn {
  readonly options: ElevenLabsStandInOptions;
  readonly requests: RecordedRequest[] = [];
  readonly sent: SentAudio[] = [];
  /** Wait before answering at all (headers included): a slow or hung vendor. */
  firstByteDelayMs = 0;
  /** With `firstByteDelayMs`: send the 200 and headers at once, and only the audio late. */
  headersBeforeDelay = false;
  /** Cut the connection after this many audio chunks (a stream that breaks mid-sentence). */
  cutAfterChunks: number | undefined;
  private readonly failures: { status: number; body: unknown }[] = [];
  private readonly server: http.Server;
  private baseUrl = '';

  private constructor(options: Partial<ElevenLabsStandInOptions>) {
    this.options = { ...DEFAULTS, ...options };
    this.server = http.createServer({ noDelay: true }, (req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        res.destroy(error instanceof Error ? error : new Error(String(error)));
      });
    });
  }

  static async start(options: Partial<ElevenLabsStandInOptions> = {}): Promise<ElevenLabsStandIn> {
    const standIn = new ElevenLabsStandIn(options);
    await new Promise<void>((resolve) => standIn.server.listen(0, '127.0.0.1', resolve));
    const { port } = standIn.server.address() as AddressInfo;
    standIn.baseUrl = `http://127.0.0.1:${port}`;
    return standIn;
  }

  /** The base URL to give the SDK (`baseUrl`), e.g. `http://127.0.0.1:41234`. */
  get url(): string {
    return this.baseUrl;
  }

  /** The next `count` requests are answered with `status` and an ElevenLabs-shaped error body. */
  failNext(count: number, status: number, body: unknown = errorBodyFor(status)): void {
    for (let i = 0; i < count; i++) this.failures.push({ status, body });
  }

  /** The μ-law bytes a request for `text` is answered with, all chunks together. */
  audioFor(text: string): Uint8Array {
    const { frequencyHz, amplitude, msPerChar, maxMs } = this.options;
    const durationMs = Math.min(maxMs, Math.max(1, text.length) * msPerChar);
    const samples = new Int16Array(Math.round(durationMs * 8));
    const step = (2 * Math.PI * frequencyHz) / 8000;
    for (let n = 0; n < samples.length; n++) samples[n] = Math.round(amplitude * Math.sin(step * n));
    return mulaw.encode(samples);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const atMs = performance.now();
    const url = new URL(req.url ?? '/', this.baseUrl);
    const raw = await readBody(req);
    const route = ROUTE.exec(url.pathname);
    let body: unknown;
    try {
      body = raw.length > 0 ? JSON.parse(raw) : undefined;
    } catch {
      body = undefined;
    }
    const voiceId = route ? decodeURIComponent(route[1]!) : '';
    const index = this.requests.push({
      method: req.method ?? '',
      path: url.pathname,
      voiceId,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body,
      atMs,
    }) - 1;

    // A voice's settings (GET /v1/voices/{voice_id}): what a key-and-voice check reads.
    const voice = VOICE_ROUTE.exec(url.pathname);
    if (voice && req.method === 'GET') {
      const key = req.headers['xi-api-key'];
      if (key !== this.options.apiKey) return sendJson(res, 401, errorBodyFor(401, key === undefined ? 'needs_authorization' : undefined));
      const id = decodeURIComponent(voice[1]!);
      if (this.options.voices && !this.options.voices.includes(id)) {
        return sendJson(res, 404, { detail: { status: 'voice_not_found', message: `A voice with voice_id ${id} was not found.` } });
      }
      return sendJson(res, 200, { voice_id: id, name: 'Stand-in voice', category: 'premade', labels: {} });
    }
    if (!route || req.method !== 'POST') return sendJson(res, 404, { detail: 'Not Found' });
    const failure = this.failures.shift();
    if (failure) return sendJson(res, failure.status, failure.body);
    const key = req.headers['xi-api-key'];
    if (key === undefined) return sendJson(res, 401, errorBodyFor(401, 'needs_authorization'));
    if (key !== this.options.apiKey) return sendJson(res, 401, errorBodyFor(401));
    const text = (body as { text?: unknown } | undefined)?.text;
    if (typeof text !== 'string') {
      return sendJson(res, 422, { detail: [{ type: 'missing', loc: ['body', 'text'], msg: 'Field required' }] });
    }
    const format = url.searchParams.get('output_format');
    if (format !== 'ulaw_8000') {
      return sendJson(res, 400, {
        detail: { status: 'invalid_output_format', message: `this stand-in only speaks ulaw_8000, not ${format}` },
      });
    }
    if (this.options.voices && !this.options.voices.includes(voiceId)) {
      return sendJson(res, 404, {
        detail: { status: 'voice_not_found', message: `A voice with voice_id ${voiceId} was not found.` },
      });
    }
    await this.stream(res, index, this.audioFor(text));
  }

  private async stream(res: http.ServerResponse, request: number, audio: Uint8Array): Promise<void> {
    const record: SentAudio = { request, chunks: [], endedAtMs: undefined, cut: false };
    this.sent.push(record);
    const gone = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) record.cut = true;
      gone.abort();
    });
    const head = () => {
      res.writeHead(200, { 'Content-Type': 'audio/basic', 'request-id': randomBytes(10).toString('hex') });
      res.flushHeaders();
    };
    try {
      if (this.headersBeforeDelay) head();
      if (this.firstByteDelayMs > 0) await sleep(this.firstByteDelayMs, undefined, { signal: gone.signal });
      if (!res.headersSent) head();
      const { chunks, chunkDelayMs } = this.options;
      for (let c = 0; c < chunks; c++) {
        if (c > 0 && chunkDelayMs > 0) await sleep(chunkDelayMs, undefined, { signal: gone.signal });
        if (this.cutAfterChunks !== undefined && c >= this.cutAfterChunks) {
          res.socket?.destroy();
          return;
        }
        const bytes = audio.subarray(Math.floor((c * audio.length) / chunks), Math.floor(((c + 1) * audio.length) / chunks));
        record.chunks.push({ atMs: performance.now(), bytes });
        res.write(bytes);
      }
      res.end();
      record.endedAtMs = performance.now();
    } catch (error) {
      if (!gone.signal.aborted) throw error; // else the client went away: nothing more to send
    }
  }
}

/** ElevenLabs-shaped error bodies for the statuses tests use. */
export function errorBodyFor(status: number, reason?: string): unknown {
  const statusName =
    reason ??
    (status === 401
      ? 'invalid_api_key'
      : status === 429
        ? 'too_many_concurrent_requests'
        : status >= 500
          ? 'internal_server_error'
          : 'invalid_request');
  const messages: Record<string, string> = {
    invalid_api_key: 'Invalid API key',
    needs_authorization: 'Neither authorization header nor xi-api-key received, please provide one.',
    too_many_concurrent_requests: 'Too many concurrent requests for your subscription.',
    internal_server_error: 'An internal server error occurred.',
  };
  return { detail: { status: statusName, message: messages[statusName] ?? 'Request rejected.' } };
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts).toString('utf8');
}
