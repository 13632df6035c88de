import type { RawData, WebSocket } from 'ws';
import { CLOSE } from '../call/media-stream';
import { clip } from '../observability/clip';
import type { Logger } from '../observability/logger';
import type { Provider } from '../telephony/events';
import type { BuildIdentity } from './app';

/**
 * A diagnostic stream: a WebSocket on a provider's path (/ws/telephony, /ws/maqsam) opened with
 * a valid `X-Bridge-Diagnostic` token (diagnostic-token.ts) instead of the provider's
 * credentials. It proves the path works through whatever is in front of the bridge without
 * starting a call: no call session, no registry entry, no store access, nothing about a patient.
 * Its vocabulary (JSON text frames):
 *
 * - bridge → `{"type":"diagnostic.ready", provider, service, version, build}` once open;
 * - `{"type":"diagnostic.ping","id"}` → `{"type":"diagnostic.pong","id"}` at once;
 * - `{"type":"diagnostic.frames","count","intervalMs"}` → `count` frames
 *   `{"type":"diagnostic.frame","seq","sentAtMs","padding"}`, `intervalMs` apart, each the size of
 *   a 20 ms media message; `sentAtMs` is the bridge's clock since the first frame, so a receiver
 *   can tell frames that were held back (a buffering proxy) from frames that travelled at once.
 *
 * Anything else (a Twilio `start`, a Maqsam `session.setup`, any other text) closes it with 1008,
 * a binary frame with 1003: a diagnostic stream never carries a call.
 */
export const DIAGNOSTIC_MAX_FRAMES = 50;
/** A diagnostic stream is closed (1000) after this long, whatever it is doing. */
const MAX_LIFETIME_MS = 10 * 60_000;
/** The padding of each frame: as long as the base64 payload of a 20 ms μ-law media message. */
const PADDING = 'A'.repeat(216);

export interface DiagnosticStreamDeps {
  provider: Provider;
  identity: BuildIdentity;
  logger: Logger;
  keepaliveMs?: number;
  onClosed(): void;
}

export class DiagnosticStream {
  private alive = true;
  private closing = false;
  private readonly timers = new Set<NodeJS.Timeout>();
  private sendingFrames = false;

  constructor(
    private readonly ws: WebSocket,
    private readonly deps: DiagnosticStreamDeps,
  ) {
    ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    ws.on('pong', () => {
      this.alive = true;
    });
    ws.on('error', () => undefined);
    ws.on('close', (code) => this.onClose(code));
    const keepalive = setInterval(() => this.ping(), deps.keepaliveMs ?? 15_000);
    keepalive.unref();
    this.timers.add(keepalive);
    const lifetime = setTimeout(() => this.close(CLOSE.normal, 'diagnostic stream lifetime over'), MAX_LIFETIME_MS);
    lifetime.unref();
    this.timers.add(lifetime);
    deps.logger.info({ provider: deps.provider }, 'diagnostic stream opened');
    this.send({ type: 'diagnostic.ready', provider: deps.provider, ...deps.identity });
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    if (this.closing) return;
    if (isBinary) return this.close(CLOSE.unsupportedData, 'binary frames are not accepted: send JSON text frames');
    const message = parse(data.toString());
    if (message?.type === 'diagnostic.ping' && typeof message.id === 'string' && message.id.length <= 64) {
      return this.send({ type: 'diagnostic.pong', id: message.id });
    }
    if (message?.type === 'diagnostic.frames' && !this.sendingFrames) {
      const count = Number(message.count);
      const intervalMs = Number(message.intervalMs);
      if (Number.isInteger(count) && count >= 1 && count <= DIAGNOSTIC_MAX_FRAMES && Number.isInteger(intervalMs) && intervalMs >= 10 && intervalMs <= 1000) {
        return this.sendFrames(count, intervalMs);
      }
    }
    const what = message === null ? 'not JSON' : clip(String(message.type ?? '(no type)'), 40);
    this.deps.logger.warn({ provider: this.deps.provider, message: what }, 'diagnostic stream closed: a message outside its vocabulary');
    this.close(CLOSE.policyViolation, 'a diagnostic stream carries no calls: only diagnostic.ping and diagnostic.frames');
  }

  private sendFrames(count: number, intervalMs: number): void {
    this.sendingFrames = true;
    const firstMs = performance.now();
    let seq = 0;
    const next = () => {
      if (this.closing) return;
      this.send({ type: 'diagnostic.frame', seq, sentAtMs: Math.round((performance.now() - firstMs) * 10) / 10, padding: PADDING });
      seq++;
      if (seq >= count) {
        this.sendingFrames = false;
        return;
      }
      // Scheduled against the first frame's time, so the intervals do not drift.
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        next();
      }, Math.max(0, firstMs + seq * intervalMs - performance.now()));
      this.timers.add(timer);
    };
    next();
  }

  private send(message: Record<string, unknown>): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(message));
  }

  private ping(): void {
    if (!this.alive) return void this.ws.terminate();
    this.alive = false;
    this.ws.ping();
  }

  private close(code: number, reason: string): void {
    this.closing = true;
    if (this.ws.readyState === this.ws.OPEN) this.ws.close(code, reason);
    const cutoff = setTimeout(() => this.ws.terminate(), 2000);
    cutoff.unref();
    this.timers.add(cutoff);
  }

  private onClose(code: number): void {
    this.closing = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.deps.logger.info({ provider: this.deps.provider, code }, 'diagnostic stream closed');
    this.deps.onClosed();
  }
}

function parse(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
