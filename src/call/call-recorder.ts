import { performance } from 'node:perf_hooks';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import type { CallEvent, CallRecord, CallStore } from './call-store';

export interface CallRecorderOptions {
  metrics: Metrics;
  logger: Logger;
  /** Told whenever the store's health changes (wired to /ready's `store` component). */
  onHealth?: (health: StoreHealth) => void;
  /** First retry delay after a failed write; doubles up to `maxRetryMs`. */
  retryMs?: number;
  maxRetryMs?: number;
}

export type StoreHealth = { status: 'ok' } | { status: 'degraded'; reason: string };

interface Waiter {
  version: number;
  resolve: () => void;
  reject: (error: Error) => void;
}

/** One call's writes: at most one in flight, the newest state waiting behind it. */
interface CallWrites {
  /** The newest state not yet handed to the store (it includes everything older). */
  pending: CallRecord | null;
  /** Timeline events not yet committed, oldest first; written with the next save. */
  events: CallEvent[];
  version: number;
  writing: boolean;
  waiters: Waiter[];
  failures: number;
  retryTimer: NodeJS.Timeout | null;
}

/**
 * Every call's record on its way to the store. A call hands over its whole state after each
 * change; the recorder writes one state per call at a time (a newer one replaces a state still
 * waiting, since it holds everything the older one did), and keeps retrying a failed write with
 * backoff until it lands, so a database that is down for a minute loses nothing that calls
 * still hold in memory. `save` resolves when that state (or a newer one) is committed.
 */
export class CallRecorder {
  private readonly calls = new Map<string, CallWrites>();
  private readonly log: Logger;
  private readonly retryMs: number;
  private readonly maxRetryMs: number;
  /** Calls whose last write failed; with a failing probe, the store is degraded. */
  private readonly failing = new Set<string>();
  private probeError: string | null = null;
  /** Why the most recent failing write failed, for /ready. */
  private lastError = '';
  private health: StoreHealth = { status: 'ok' };
  private abandoned = false;

  constructor(
    private readonly store: CallStore,
    private readonly options: CallRecorderOptions,
  ) {
    this.log = options.logger.child({ component: 'store' });
    this.retryMs = options.retryMs ?? 250;
    this.maxRetryMs = options.maxRetryMs ?? 5000;
  }

  /**
   * Queues the call's current state (and appends `events` to its timeline). Resolves once it is
   * committed; rejects only if the process gives up on it at shutdown (`abandon`).
   */
  save(record: CallRecord, events: CallEvent[] = []): Promise<void> {
    if (this.abandoned) return Promise.reject(new Error('the recorder has stopped: the process is exiting'));
    let writes = this.calls.get(record.id);
    if (!writes) {
      writes = { pending: null, events: [], version: 0, writing: false, waiters: [], failures: 0, retryTimer: null };
      this.calls.set(record.id, writes);
      this.options.metrics.storePendingCalls.set(this.calls.size);
    }
    writes.pending = record;
    writes.events.push(...events);
    const version = ++writes.version;
    const queued = performance.now();
    const committed = new Promise<void>((resolve, reject) => writes.waiters.push({ version, resolve, reject }));
    committed.then(
      () => this.options.metrics.storeCommitSeconds.observe((performance.now() - queued) / 1000),
      () => undefined,
    );
    if (!writes.writing && !writes.retryTimer) this.write(record.id, writes);
    return committed;
  }

  findByProviderCallId(...args: Parameters<CallStore['findByProviderCallId']>): ReturnType<CallStore['findByProviderCallId']> {
    return this.store.findByProviderCallId(...args);
  }

  /** Calls with a state not yet committed. */
  get unsaved(): number {
    return this.calls.size;
  }

  /** A periodic check of the store (the heartbeat): a failure degrades /ready even with no call writing. */
  reportProbe(error: unknown): void {
    this.probeError = error ? describe(error) : null;
    this.updateHealth();
  }

  /**
   * Waits until every call's state is committed, or `deadlineMs` passes; then gives up on what is
   * left, logging each call that could not be written (the process is about to exit). Returns
   * how many calls were left unsaved.
   */
  async flush(deadlineMs: number): Promise<number> {
    const until = performance.now() + deadlineMs;
    while (this.calls.size > 0 && performance.now() < until) {
      // A retry waiting on its timer is brought forward: at shutdown there is no time to back off.
      for (const [id, writes] of this.calls) {
        if (writes.retryTimer && !writes.writing) {
          clearTimeout(writes.retryTimer);
          writes.retryTimer = null;
          this.write(id, writes);
        }
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(50, Math.max(1, until - performance.now()))));
    }
    const left = this.calls.size;
    if (left > 0) this.abandon();
    return left;
  }

  private abandon(): void {
    this.abandoned = true;
    for (const [id, writes] of this.calls) {
      if (writes.retryTimer) clearTimeout(writes.retryTimer);
      const answers = Object.keys(writes.pending?.answers ?? {}).length;
      this.log.error({ callId: id, answers, status: writes.pending?.status, failures: writes.failures }, 'call record lost at shutdown: the store did not accept it before the deadline');
      for (const waiter of writes.waiters) waiter.reject(new Error('call record not written before shutdown'));
    }
    this.calls.clear();
    this.failing.clear();
    this.options.metrics.storePendingCalls.set(0);
  }

  private write(id: string, writes: CallWrites): void {
    const record = writes.pending;
    if (!record) return;
    writes.pending = null;
    writes.writing = true;
    const version = writes.version;
    const events = writes.events.splice(0);
    const snapshot: CallRecord = { ...record, appendEvents: events };
    let saving: Promise<void>;
    try {
      saving = this.store.save(snapshot);
    } catch (error) {
      saving = Promise.reject(error);
    }
    saving.then(
      () => this.committed(id, writes, version),
      (error: unknown) => this.failed(id, writes, record, events, error),
    );
  }

  private committed(id: string, writes: CallWrites, version: number): void {
    writes.writing = false;
    if (writes.failures > 0) this.log.info({ callId: id, failures: writes.failures }, 'call record written after retries: nothing was lost');
    writes.failures = 0;
    if (this.failing.delete(id)) this.updateHealth();
    const done = writes.waiters.filter((w) => w.version <= version);
    writes.waiters = writes.waiters.filter((w) => w.version > version);
    for (const waiter of done) waiter.resolve();
    if (this.abandoned) return;
    if (writes.pending) this.write(id, writes);
    else {
      this.calls.delete(id);
      this.options.metrics.storePendingCalls.set(this.calls.size);
    }
  }

  private failed(id: string, writes: CallWrites, record: CallRecord, events: CallEvent[], error: unknown): void {
    writes.writing = false;
    if (this.abandoned) return;
    writes.failures += 1;
    this.options.metrics.storeErrors.inc({ operation: 'save' });
    // The failed events were not committed (one transaction): they go first in the next write.
    writes.events.unshift(...events);
    writes.pending ??= record;
    const delay = Math.min(this.maxRetryMs, this.retryMs * 2 ** Math.min(writes.failures - 1, 16));
    const message = 'call record not written: kept in memory and retried until the store accepts it';
    // Only the code and message: a driver error's detail can quote the failing row (answers, transcripts).
    if (writes.failures === 1) this.log.error({ callId: id, reason: describe(error), retryInMs: delay }, message);
    else this.log.debug({ callId: id, failures: writes.failures, retryInMs: delay, reason: describe(error) }, message);
    if (!this.failing.has(id)) {
      this.failing.add(id);
      this.lastError = describe(error);
      this.updateHealth();
    }
    writes.retryTimer = setTimeout(() => {
      writes.retryTimer = null;
      if (!writes.writing) this.write(id, writes);
    }, delay);
    writes.retryTimer.unref();
  }

  private updateHealth(): void {
    let next: StoreHealth;
    if (this.failing.size > 0) {
      next = { status: 'degraded', reason: `the database refuses writes (${this.lastError}); ${this.failing.size} call(s) held in memory and retried` };
    } else if (this.probeError) {
      next = { status: 'degraded', reason: `the database is not answering (${this.probeError})` };
    } else {
      next = { status: 'ok' };
    }
    const was = this.health;
    if (next.status === was.status && (next.status === 'ok' || (was.status === 'degraded' && next.reason === was.reason))) return;
    this.health = next;
    if (was.status !== next.status) {
      if (next.status === 'ok') this.log.info('store answers again: every held call record has been written');
      else this.log.error({ reason: next.reason }, 'store degraded: calls go on, their records are held in memory and retried');
    }
    this.options.onHealth?.(next);
  }
}

/** An error as an operator can read it in /ready, without any data from the failed statement. */
function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${error.message}`.slice(0, 200) : error.message.slice(0, 200);
  }
  return String(error).slice(0, 200);
}
