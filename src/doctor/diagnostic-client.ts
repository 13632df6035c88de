import WebSocket from 'ws';
import { diagnosticHeaders } from './upgrade-checks';
import type { UpgradeOutcome } from './upgrade-probe';
import type { DoctorOptions, Target } from './types';

/** A diagnostic stream from the doctor's side: what the bridge sent (with arrival times), and how it ended. */
export class DiagnosticClient {
  readonly messages: Array<{ atMs: number; message: Record<string, unknown> }> = [];
  closedWith: { code: number; reason: string; atMs: number } | null = null;
  private readonly waiters = new Set<() => void>();

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const atMs = performance.now();
      try {
        this.messages.push({ atMs, message: JSON.parse(data.toString()) as Record<string, unknown> });
      } catch {
        this.messages.push({ atMs, message: { type: '(not JSON)' } });
      }
      this.wake();
    });
    ws.on('close', (code, reason) => {
      this.closedWith = { code, reason: reason.toString(), atMs: performance.now() };
      this.wake();
    });
    ws.on('error', () => undefined);
  }

  /** Opens one and waits for `diagnostic.ready`; a refusal or timeout comes back as the upgrade's outcome. */
  static open(target: Target, path: string, options: Pick<DoctorOptions, 'apiKey' | 'ca' | 'timeoutMs'>): Promise<{ client: DiagnosticClient; ready: Record<string, unknown> } | { refused: Exclude<UpgradeOutcome, { kind: 'switched' }> }> {
    const ws = new WebSocket(`${target.wsOrigin}${path}`, { headers: diagnosticHeaders(options.apiKey, path), handshakeTimeout: options.timeoutMs, ...(options.ca ? { ca: options.ca } : {}) });
    const client = new DiagnosticClient(ws);
    return new Promise((resolve) => {
      ws.once('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ refused: { kind: 'refused', status: res.statusCode ?? 0, headers: res.headers, body } }));
        res.on('error', () => resolve({ refused: { kind: 'refused', status: res.statusCode ?? 0, headers: res.headers, body } }));
      });
      ws.once('error', (error) => resolve({ refused: { kind: 'error', reason: error.message } }));
      ws.once('open', () => {
        client
          .next((m) => m['type'] === 'diagnostic.ready', options.timeoutMs)
          .then((ready) => resolve({ client, ready }))
          .catch(() => {
            client.close();
            resolve({ refused: { kind: 'error', reason: `the socket opened but no diagnostic.ready came within ${options.timeoutMs} ms: something else answers on this path` } });
          });
      });
    });
  }

  send(message: Record<string, unknown>): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(message));
  }

  /** The first message (from `from` on) matching, waiting up to `timeoutMs`; rejects when the socket closes first. */
  async next(match: (m: Record<string, unknown>) => boolean, timeoutMs: number, from = 0): Promise<Record<string, unknown>> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const found = this.messages.slice(from).find((m) => match(m.message));
      if (found) return found.message;
      if (this.closedWith) throw new Error(`closed (${this.closedWith.code})`);
      const left = deadline - performance.now();
      if (left <= 0) throw new Error('timed out');
      await this.wait(left);
    }
  }

  /** Resolves at the next message or close, or after `ms`. */
  wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.waiters.add(wake);
    });
  }

  close(): void {
    if (this.ws.readyState === this.ws.OPEN || this.ws.readyState === this.ws.CONNECTING) this.ws.terminate();
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}
