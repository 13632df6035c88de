import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Webhook } from 'standardwebhooks';

/**
 * A clinic's webhook receiver, as the Standard Webhooks specification asks one to be: plain HTTP,
 * each request verified with the `standardwebhooks` package (signature and timestamp). `behaviour`
 * decides each answer, so a test can make it slow, fail with 500, or go down (`stop()`) and come
 * back on the same port (`start()`).
 */
export interface ReceivedWebhook {
  id: string;
  type: string;
  callId: string | undefined;
  body: Record<string, unknown>;
  /** performance.now() when the request arrived. */
  atMs: number;
  valid: boolean;
  /** What the receiver answered. */
  answered: number | 'slow';
}

export type Behaviour = (request: { id: string; type: string; attempt: number }) => number | 'slow';

export class WebhookReceiver {
  /** Every request, in arrival order (failed attempts included). */
  readonly requests: ReceivedWebhook[] = [];
  behaviour: Behaviour = () => 204;
  private server: http.Server | undefined;
  private port = 0;
  private readonly sockets = new Set<import('node:net').Socket>();
  private readonly waiters: Array<() => void> = [];

  constructor(private readonly secret: string) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks`;
  }

  /** Requests answered 2xx with a valid signature: what the clinic has accepted, in order. */
  get accepted(): ReceivedWebhook[] {
    return this.requests.filter((r) => r.valid && typeof r.answered === 'number' && r.answered < 300);
  }

  async start(): Promise<void> {
    const verifier = new Webhook(this.secret);
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
        let valid = true;
        try {
          verifier.verify(text, headers);
        } catch {
          valid = false;
        }
        const body = JSON.parse(text) as { type: string; data: { call?: { id?: string } } };
        const id = headers['webhook-id'] ?? '';
        const attempt = this.requests.filter((r) => r.id === id).length + 1;
        const answer = valid ? this.behaviour({ id, type: body.type, attempt }) : 401;
        this.requests.push({ id, type: body.type, callId: body.data.call?.id, body, atMs: performance.now(), valid, answered: answer });
        for (const wake of this.waiters.splice(0)) wake();
        if (answer === 'slow') return; // never answers: the sender's timeout must end it
        res.writeHead(answer).end();
      });
    });
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Goes down: refuses connections until `start()` again (same port). */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Resolves when `predicate` holds, checked at each request. */
  async until(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (!predicate()) {
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what} (${this.requests.length} requests so far)`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}
