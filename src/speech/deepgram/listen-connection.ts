import type { DeepgramClient } from '@deepgram/sdk';

export type ListenSocket = Awaited<ReturnType<DeepgramClient['listen']['v1']['connect']>>;
export type ListenArgs = Parameters<DeepgramClient['listen']['v1']['connect']>[0];

/** Why a connection attempt failed or an open connection was lost. */
export interface ConnectionFailure {
  kind: 'timeout' | 'http' | 'closed' | 'error';
  /** The HTTP status that refused the WebSocket upgrade (kind `http`). */
  httpStatus?: number;
  /** The WebSocket close code (kind `closed`). */
  closeCode?: number;
  reason: string;
}

export interface ConnectionHandlers {
  open(): void;
  message(data: unknown): void;
  /** Called at most once, for a failed attempt or a lost connection; never after dispose(). */
  lost(failure: ConnectionFailure): void;
}

/**
 * The SDK surfaces an HTTP refusal of the upgrade only as the text of `ws`'s error
 * ("Unexpected server response: 401"): this is the one place that reads it.
 */
const UNEXPECTED_RESPONSE = /Unexpected server response: (\d{3})/;

/**
 * One attempt at one live connection through the SDK's socket (its own reconnection is off:
 * `reconnectAttempts: 0`). Reports open, messages, and exactly one `lost`; `dispose()` silences
 * it and closes the socket.
 *
 * SDK behaviours this relies on (v5.13): a failed attempt emits `close` (code 1000, even for a
 * refusal) and then, synchronously after it, `error`; so a `close` is judged one microtask later,
 * once any `error` that explains it has arrived. `close()` on the SDK socket emits a synthetic
 * `close` 1000 synchronously. `send*` throws unless the socket is OPEN.
 */
export class ListenConnection {
  private socket: ListenSocket | null = null;
  private finished = false;
  private opened = false;
  private copyOnSend = false;
  private timer: NodeJS.Timeout | null;

  constructor(
    private readonly handlers: ConnectionHandlers,
    timeoutMs: number,
  ) {
    this.timer = setTimeout(() => this.fail({ kind: 'timeout', reason: `not open within ${timeoutMs} ms` }), timeoutMs);
  }

  get isOpen(): boolean {
    return this.opened && !this.finished && this.socket?.readyState === 1;
  }

  async start(client: DeepgramClient, args: ListenArgs): Promise<void> {
    let socket: ListenSocket;
    try {
      socket = await client.listen.v1.connect(args);
    } catch (error) {
      this.fail({ kind: 'error', reason: error instanceof Error ? error.message : String(error) });
      return;
    }
    if (this.finished) return;
    this.socket = socket;
    socket.on('open', () => {
      if (this.finished) return;
      this.clearTimer();
      this.opened = true;
      this.copyOnSend = socket.socket.extensions !== '';
      this.handlers.open();
    });
    socket.on('message', (data) => {
      if (!this.finished) this.handlers.message(data);
    });
    socket.on('error', (error) => this.fail(classifyError(error)));
    socket.on('close', (event) => {
      const code = event.code;
      const reason = typeof event.reason === 'string' && event.reason !== '' ? `: ${event.reason}` : '';
      queueMicrotask(() => this.fail({ kind: 'closed', closeCode: code, reason: `closed ${code}${reason}` }));
    });
    socket.connect();
  }

  /**
   * Sends audio if the socket is open; false otherwise (the caller keeps the audio). `ws` copies
   * the bytes while masking the frame, so the caller may reuse `samples` at once; with
   * permessage-deflate negotiated it may queue a reference instead, so then we copy first.
   */
  sendMedia(samples: Int16Array): boolean {
    const socket = this.socket;
    if (!this.isOpen || socket === null) return false;
    try {
      socket.sendMedia(this.copyOnSend ? samples.slice() : samples);
      return true;
    } catch {
      return false;
    }
  }

  /** Sends a control message if the socket is open; false otherwise. */
  sendControl(type: 'KeepAlive' | 'Finalize' | 'CloseStream'): boolean {
    const socket = this.socket;
    if (!this.isOpen || socket === null) return false;
    try {
      if (type === 'KeepAlive') socket.sendKeepAlive({ type });
      else if (type === 'Finalize') socket.sendFinalize({ type });
      else socket.sendCloseStream({ type });
      return true;
    } catch {
      return false;
    }
  }

  /** Gives up on this connection: reports it lost with `reason` (unless already finished). */
  abandon(reason: string): void {
    this.fail({ kind: 'closed', reason });
  }

  /** Stops all callbacks and closes the socket (a normal 1000 close). Idempotent. */
  dispose(): void {
    this.finished = true;
    this.clearTimer();
    const socket = this.socket;
    this.socket = null;
    socket?.close();
  }

  private fail(failure: ConnectionFailure): void {
    if (this.finished) return;
    this.dispose();
    this.handlers.lost(failure);
  }

  private clearTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}

function classifyError(error: unknown): ConnectionFailure {
  const message = error instanceof Error ? error.message : String(error);
  const match = UNEXPECTED_RESPONSE.exec(message);
  if (match?.[1] !== undefined) {
    const httpStatus = Number(match[1]);
    return { kind: 'http', httpStatus, reason: `HTTP ${httpStatus} at the upgrade` };
  }
  if (message === 'TIMEOUT') return { kind: 'timeout', reason: 'SDK connection timeout' };
  return { kind: 'error', reason: message };
}
