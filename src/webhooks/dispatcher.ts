import { Webhook } from 'standardwebhooks';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import type { ClaimedDelivery, Settlement, WebhookQueue } from '../store/webhook-queue';
import { type BackoffPolicy, DEFAULT_BACKOFF, nextAttempt } from './backoff';

export interface DispatcherOptions {
  queue: WebhookQueue;
  metrics: Metrics;
  logger: Logger;
  /** Names this instance's leases (INSTANCE_ID plus a per-process suffix). */
  owner: string;
  /** One POST's limit, connection to response headers. Default 10 s. */
  timeoutMs?: number;
  /** How often to look for other instances' events and due retries. Default 1 s. */
  pollMs?: number;
  /** How long a claim is ours; longer than a POST can take. Default 60 s. */
  leaseMs?: number;
  /** POSTs in flight at once. Default 16. */
  maxInFlight?: number;
  backoff?: BackoffPolicy;
  /** How often the oldest-undelivered-age gauge is refreshed. Default 5 s. */
  ageEveryMs?: number;
  /** Hears the oldest pending delivery's age (seconds) each time it is measured. */
  onOldestPending?: (seconds: number) => void;
  random?: () => number;
}

/**
 * Delivers the outbox: claims due deliveries (a lease, so instances share the work and none is
 * sent by two at once), POSTs each signed per Standard Webhooks (webhook-id is the event's id, the
 * same on every attempt), and settles it: delivered on 2xx, otherwise retried with backoff and
 * jitter until 24 h after it was queued, then failed. It wakes on `notify()` (a local save wrote an
 * event) and every `pollMs` (other instances' events, retries coming due). Bodies carry health
 * data: they are never logged, and neither are receivers' answers.
 */
export class WebhookDispatcher {
  private readonly log: Logger;
  private readonly timeoutMs: number;
  private readonly pollMs: number;
  private readonly leaseMs: number;
  private readonly maxInFlight: number;
  private readonly backoff: BackoffPolicy;
  private readonly ageEveryMs: number;
  private readonly random: () => number;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly abort = new AbortController();
  private pumping = false;
  private again = false;
  private running = false;
  private pollTimer: NodeJS.Timeout | undefined;
  private ageTimer: NodeJS.Timeout | undefined;
  private storeFailing = false;

  constructor(private readonly options: DispatcherOptions) {
    this.log = options.logger.child({ component: 'webhooks' });
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.pollMs = options.pollMs ?? 1000;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.maxInFlight = options.maxInFlight ?? 16;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.ageEveryMs = options.ageEveryMs ?? 5000;
    this.random = options.random ?? Math.random;
    if (this.leaseMs <= this.timeoutMs) throw new Error('leaseMs must be longer than timeoutMs: a lease must outlast the POST it covers');
  }

  start(): void {
    if (this.running || this.abort.signal.aborted) return;
    this.running = true;
    this.pollTimer = setInterval(() => this.notify(), this.pollMs);
    this.pollTimer.unref();
    this.ageTimer = setInterval(() => this.refreshAge(), this.ageEveryMs);
    this.ageTimer.unref();
    this.refreshAge();
    this.notify();
  }

  /** Something was written: look for work now. Cheap to call often (calls coalesce). */
  notify(): void {
    if (!this.running) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    void this.pump();
  }

  /** Stops claiming; waits up to `graceMs` for POSTs in flight, then aborts them (their leases lapse and another attempt resends). Safe to call twice. */
  async stop(graceMs = 5000): Promise<void> {
    this.running = false;
    clearInterval(this.pollTimer);
    clearInterval(this.ageTimer);
    if (this.inFlight.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, graceMs);
      });
      await Promise.race([Promise.allSettled([...this.inFlight]), grace]);
      clearTimeout(timer);
    }
    this.abort.abort();
    await Promise.allSettled([...this.inFlight]);
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      do {
        this.again = false;
        const room = this.maxInFlight - this.inFlight.size;
        if (room <= 0 || !this.running) break;
        const claimed = await this.options.queue.claim(this.options.owner, room, this.leaseMs);
        this.storeHealthy();
        for (const delivery of claimed) this.track(this.deliver(delivery));
        if (claimed.length === room) this.again = true;
      } while (this.again && this.running);
    } catch (error) {
      this.storeFailed(error);
    } finally {
      this.pumping = false;
    }
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => {
      this.inFlight.delete(work);
      // A slot is free, and this call's next event may now be claimable.
      this.notify();
    });
  }

  private async deliver(d: ClaimedDelivery): Promise<void> {
    const attempt = await this.post(d);
    let settlement: Settlement;
    let outcome: 'delivered' | 'retried' | 'failed';
    if (attempt.ok) {
      settlement = { outcome: 'delivered', status: attempt.status };
      outcome = 'delivered';
    } else {
      const next = nextAttempt(d.attempt, new Date(), d.giveUpAt, this.backoff, this.random);
      settlement = next.retry
        ? { outcome: 'retry', nextAttemptAt: next.at, status: attempt.status, error: attempt.error }
        : { outcome: 'failed', status: attempt.status, error: attempt.error };
      outcome = next.retry ? 'retried' : 'failed';
    }
    try {
      const settled = await this.options.queue.settle(d.id, this.options.owner, settlement);
      if (!settled) this.log.warn({ deliveryId: d.id, eventId: d.eventId }, 'webhook delivery lease lost before its outcome was recorded; it may be sent again (same webhook-id)');
    } catch (error) {
      // The lease runs out and the delivery is sent again with the same webhook-id: at least once.
      this.storeFailed(error);
      return;
    }
    this.options.metrics.webhookDeliveries.inc({ event: d.eventType, outcome });
    if (outcome === 'delivered') {
      this.options.metrics.webhookDeliverySeconds.observe({ event: d.eventType }, Math.max(0, Date.now() - d.eventCreatedAt.getTime()) / 1000);
    } else {
      const fields = { deliveryId: d.id, eventId: d.eventId, event: d.eventType, attempt: d.attempt, status: attempt.status, reason: attempt.ok ? null : attempt.error };
      if (outcome === 'failed') this.log.error(fields, 'webhook delivery given up: the receiver did not accept it within 24 h (replay it through the API)');
      else if (d.attempt === 1) this.log.warn(fields, 'webhook delivery failed; retrying with backoff');
      else this.log.debug(fields, 'webhook delivery failed again; retrying with backoff');
    }
  }

  private async post(d: ClaimedDelivery): Promise<{ ok: true; status: number } | { ok: false; status: number | null; error: string }> {
    const timestamp = new Date();
    let signature: string;
    try {
      signature = new Webhook(d.secret).sign(d.eventId, timestamp, d.body);
    } catch (error) {
      return { ok: false, status: null, error: `cannot sign: ${(error as Error).message}` };
    }
    try {
      const response = await fetch(d.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'telephony-bridge-webhooks',
          'webhook-id': d.eventId,
          'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
          'webhook-signature': signature,
        },
        body: d.body,
        redirect: 'manual',
        signal: AbortSignal.any([AbortSignal.timeout(this.timeoutMs), this.abort.signal]),
      });
      // The receiver's answer is not read (nor kept): only its status counts.
      await response.body?.cancel().catch(() => undefined);
      if (response.status >= 200 && response.status < 300) return { ok: true, status: response.status };
      return { ok: false, status: response.status, error: `HTTP ${response.status}` };
    } catch (error) {
      return { ok: false, status: null, error: describe(error) };
    }
  }

  private refreshAge(): void {
    this.options.queue.oldestPendingAgeSeconds().then(
      (seconds) => {
        this.options.metrics.webhookOldestPendingSeconds.set(seconds);
        this.options.onOldestPending?.(seconds);
      },
      (error: unknown) => this.storeFailed(error),
    );
  }

  private storeHealthy(): void {
    if (!this.storeFailing) return;
    this.storeFailing = false;
    this.log.info('webhook dispatcher reaches the store again');
  }

  private storeFailed(error: unknown): void {
    if (this.storeFailing) return;
    this.storeFailing = true;
    this.log.warn({ reason: describe(error) }, 'webhook dispatcher cannot reach the store; retrying at each poll');
  }
}

/** A network error as an operator can read it (undici puts the useful part in `cause`). */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error).slice(0, 200);
  if (error.name === 'TimeoutError') return 'timed out';
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  const detail = typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : '';
  return (detail ? `${error.message} (${detail})` : error.message).slice(0, 200);
}
