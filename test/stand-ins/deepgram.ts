import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import { concat } from './deepgram-audio';
import { ScriptedRecognizer } from './deepgram-recognizer';

/**
 * A local stand-in for Deepgram's live API (`wss://api.deepgram.com/v1/listen`), speaking its
 * wire protocol so the real `@deepgram/sdk` runs against it: `Authorization: Token <key>` on the
 * upgrade (401 otherwise), query parameters, binary linear16 audio in, JSON control messages
 * (KeepAlive, Finalize, CloseStream) in, JSON Results / SpeechStarted / UtteranceEnd / Metadata
 * out, and the 10 s idle close (1011, NET-0001). `GET /v1/projects` validates a key like the
 * management API. Transcripts are scripted per test (see ScriptedRecognizer).
 */
export interface DeepgramStandInOptions {
  /** The only key accepted. */
  apiKey: string;
  /** Closes a connection (1011) that received neither audio nor a text message for this long. */
  idleTimeoutMs: number;
  rmsThreshold: number;
  interimEveryMs: number;
  /** false: no management API (GET /v1/projects is 404), like a self-hosted server. */
  projectsApi: boolean;
  /** Accept the client's permessage-deflate offer (off by default). */
  perMessageDeflate: boolean;
  /** What GET /v1/models lists as speech-to-text models (Deepgram's shape); by default nova-3 with Arabic, nova-2 without. */
  sttModels: ReadonlyArray<{ name: string; canonical_name: string; architecture: string; languages: string[]; streaming: boolean; batch: boolean }>;
  /** Keep every connection's audio for received() (on by default; a long load bench turns it off). */
  keepAudio: boolean;
  /** Called with every WebSocket message as it arrives, before it is handled (the bench times audio with it). */
  onMessage: ((connection: StandInConnection, data: Buffer, isBinary: boolean) => void) | null;
}

const STT_MODELS: DeepgramStandInOptions['sttModels'] = [
  { name: 'general', canonical_name: 'nova-3', architecture: 'nova-3', languages: ['ar', 'ar-AE', 'ar-SA', 'ar-EG', 'en', 'en-US'], streaming: true, batch: true },
  { name: 'general', canonical_name: 'nova-2', architecture: 'nova-2', languages: ['en', 'en-US', 'es'], streaming: true, batch: true },
];

export interface StandInConnection {
  index: number;
  /** The upgrade's query string (repeated keys such as `keyterm` with getAll). */
  params: URLSearchParams;
  authorization: string | undefined;
  keepAlives: number;
  finalizes: number;
  closeStreams: number;
  /** Text messages that were not one of the three control messages. */
  unknownMessages: string[];
  /** Everything sent to the client, in order. */
  sent: Array<Record<string, unknown>>;
  /** The close code once closed, and who started the close. */
  closed: { code: number; by: 'client' | 'server' } | null;
  openedAt: number;
}

export interface UpgradeAttempt {
  at: number;
  /** 101 accepted, the HTTP status refused with, or 0 for a connection left hanging. */
  status: number;
}

type RefuseMode = 'http-503' | 'accept-and-close' | 'hang';

export class DeepgramStandIn {
  readonly connections: StandInConnection[] = [];
  readonly attempts: UpgradeAttempt[] = [];
  private readonly options: DeepgramStandInOptions;
  private readonly server: http.Server;
  private readonly wss: WebSocketServer;
  private readonly sockets = new Map<StandInConnection, WebSocket>();
  private readonly audio = new Map<StandInConnection, Int16Array[]>();
  private readonly hanging = new Set<Socket>();
  private readonly texts: string[] = [];
  private refusing: { mode: RefuseMode; until: number } | null = null;
  private port = 0;

  private constructor(options: Partial<DeepgramStandInOptions>) {
    this.options = { apiKey: 'test-key', idleTimeoutMs: 10_000, rmsThreshold: 500, interimEveryMs: 200, projectsApi: true, perMessageDeflate: false, sttModels: STT_MODELS, keepAudio: true, onMessage: null, ...options };
    this.wss = new WebSocketServer({ noServer: true, perMessageDeflate: this.options.perMessageDeflate });
    this.server = http.createServer((req, res) => this.onRequest(req, res));
    this.server.on('upgrade', (req: http.IncomingMessage, socket: Socket, head: Buffer) => this.onUpgrade(req, socket, head));
  }

  static async start(options: Partial<DeepgramStandInOptions> = {}): Promise<DeepgramStandIn> {
    const standIn = new DeepgramStandIn(options);
    await new Promise<void>((resolve) => standIn.server.listen(0, '127.0.0.1', resolve));
    standIn.port = (standIn.server.address() as AddressInfo).port;
    return standIn;
  }

  /** The base URL to give the SDK (DEEPGRAM_URL). */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get apiKey(): string {
    return this.options.apiKey;
  }

  /** Queues transcripts: each final takes the next one (shared by all connections, in order). */
  script(texts: readonly string[]): void {
    this.texts.push(...texts);
  }

  /** Closes every open connection: with `code` (a close frame), or abruptly (TCP reset, 1006). */
  dropConnections(code = 1011, options: { abrupt?: boolean } = {}): void {
    for (const [connection, ws] of this.sockets) {
      if (options.abrupt) {
        connection.closed = { code: 1006, by: 'server' };
        ws.terminate();
      } else {
        connection.closed ??= { code, by: 'server' };
        ws.close(code, 'stand-in drop');
      }
    }
  }

  /** Refuses upgrades for `forMs` (or until restore()): with 503, by accepting and closing at once, or by never answering. */
  refuseConnections(options: { forMs?: number; mode?: RefuseMode } = {}): void {
    this.refusing = { mode: options.mode ?? 'http-503', until: performance.now() + (options.forMs ?? Number.POSITIVE_INFINITY) };
  }

  restore(): void {
    this.refusing = null;
  }

  /** All audio samples received on connection `index`, in order. */
  received(index: number): Int16Array {
    const connection = this.connections[index];
    return concat((connection && this.audio.get(connection)) ?? []);
  }

  /** Messages of one type sent on connection `index`. */
  sentOfType(index: number, type: string): Array<Record<string, unknown>> {
    return (this.connections[index]?.sent ?? []).filter((m) => m.type === type);
  }

  async close(): Promise<void> {
    for (const ws of this.sockets.values()) ws.terminate();
    for (const socket of this.hanging) socket.destroy();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private authorized(req: http.IncomingMessage): boolean {
    return req.headers.authorization === `Token ${this.options.apiKey}`;
  }

  private onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (req.method === 'GET' && path === '/v1/projects' && this.options.projectsApi) {
      const ok = this.authorized(req);
      res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
      const body = ok
        ? { projects: [{ project_id: 'stand-in-project', name: 'Stand-in', mip_opt_out: false }] }
        : { err_code: 'INVALID_AUTH', err_msg: 'Invalid credentials.', request_id: randomUUID() };
      res.end(JSON.stringify(body));
      return;
    }
    // The public model list (GET /v1/models): the key is checked as the real API does.
    if (req.method === 'GET' && path === '/v1/models' && this.options.projectsApi) {
      const ok = this.authorized(req);
      res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
      res.end(JSON.stringify(ok ? { stt: this.options.sttModels, tts: [] } : { err_code: 'INVALID_AUTH', err_msg: 'Invalid credentials.', request_id: randomUUID() }));
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"err_code":"NOT_FOUND"}');
  }

  private onUpgrade(req: http.IncomingMessage, socket: Socket, head: Buffer): void {
    // The http server stops watching an upgrade's socket: a client that resets it while we answer
    // (the SDK giving up on a refused or hanging upgrade) must not become an uncaught ECONNRESET.
    socket.on('error', () => undefined);
    const url = new URL(req.url ?? '/', 'http://x');
    if (this.refusing !== null && performance.now() >= this.refusing.until) this.refusing = null;
    const refuse = (status: number, body: object): void => {
      this.attempts.push({ at: performance.now(), status });
      const text = JSON.stringify(body);
      socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(text)}\r\nconnection: close\r\n\r\n${text}`);
    };
    if (url.pathname !== '/v1/listen') return refuse(404, { err_code: 'NOT_FOUND' });
    if (!this.authorized(req)) return refuse(401, { err_code: 'INVALID_AUTH', err_msg: 'Invalid credentials.' });
    if (this.refusing?.mode === 'http-503') return refuse(503, { err_code: 'SERVICE_UNAVAILABLE' });
    if (this.refusing?.mode === 'hang') {
      this.attempts.push({ at: performance.now(), status: 0 });
      this.hanging.add(socket);
      socket.on('close', () => this.hanging.delete(socket));
      return;
    }
    const closeAtOnce = this.refusing?.mode === 'accept-and-close';
    this.attempts.push({ at: performance.now(), status: 101 });
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      if (closeAtOnce) {
        ws.close(1011, 'stand-in refusing');
        return;
      }
      this.accept(ws, req, url.searchParams);
    });
  }

  private accept(ws: WebSocket, req: http.IncomingMessage, params: URLSearchParams): void {
    const connection: StandInConnection = {
      index: this.connections.length,
      params,
      authorization: req.headers.authorization,
      keepAlives: 0,
      finalizes: 0,
      closeStreams: 0,
      unknownMessages: [],
      sent: [],
      closed: null,
      openedAt: performance.now(),
    };
    const requestId = randomUUID();
    this.connections.push(connection);
    this.sockets.set(connection, ws);
    this.audio.set(connection, []);
    const send = (message: Record<string, unknown>): void => {
      if (ws.readyState !== ws.OPEN) return;
      connection.sent.push(message);
      ws.send(JSON.stringify(message));
    };
    const recognizer = new ScriptedRecognizer(
      {
        endpointingMs: Number(params.get('endpointing') ?? 10),
        utteranceEndMs: Number(params.get('utterance_end_ms') ?? 1000),
        interimResults: params.get('interim_results') === 'true',
        vadEvents: params.get('vad_events') === 'true',
        rmsThreshold: this.options.rmsThreshold,
        interimEveryMs: this.options.interimEveryMs,
        requestId,
      },
      { peek: () => this.texts[0] ?? '', take: () => this.texts.shift() ?? '' },
      send,
    );
    const idle = setTimeout(() => {
      connection.closed ??= { code: 1011, by: 'server' };
      ws.close(1011, 'NET-0001: no audio or text message within the timeout window');
    }, this.options.idleTimeoutMs);
    let carry: number | null = null;
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      idle.refresh();
      this.options.onMessage?.(connection, data, isBinary);
      if (isBinary) {
        let bytes = carry === null ? data : Buffer.concat([Buffer.from([carry]), data]);
        carry = bytes.length % 2 === 1 ? (bytes[bytes.length - 1] ?? 0) : null;
        if (carry !== null) bytes = bytes.subarray(0, bytes.length - 1);
        const samples = new Int16Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
        if (this.options.keepAudio) this.audio.get(connection)?.push(samples);
        recognizer.push(samples);
        return;
      }
      const text = data.toString('utf8');
      let type: unknown;
      try {
        type = (JSON.parse(text) as { type?: unknown }).type;
      } catch {
        type = undefined;
      }
      if (type === 'KeepAlive') connection.keepAlives += 1;
      else if (type === 'Finalize') {
        connection.finalizes += 1;
        recognizer.finalize(true);
      } else if (type === 'CloseStream') {
        connection.closeStreams += 1;
        recognizer.finalize(false);
        send({ type: 'Metadata', transaction_key: 'deprecated', request_id: requestId, sha256: '', created: new Date().toISOString(), duration: recognizer.durationSeconds, channels: 1, models: ['stand-in'], model_info: {} });
        connection.closed ??= { code: 1000, by: 'server' };
        ws.close(1000);
      } else connection.unknownMessages.push(text);
    });
    ws.on('close', (code: number) => {
      clearTimeout(idle);
      connection.closed ??= { code, by: 'client' };
      this.sockets.delete(connection);
    });
  }
}
