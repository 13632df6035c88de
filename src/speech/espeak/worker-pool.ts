import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { SpeechError, abortError } from '../errors';

/**
 * A small pool of worker threads running one script, with a FIFO queue, one job per worker at a
 * time, per-job abort and time limit, and replacement of workers that die.
 *
 * Protocol with the script: it posts `{ type: 'ready' }` once started; the pool then posts
 * `{ type: 'job', id, payload }` and expects `{ type: 'done', id, result }` or
 * `{ type: 'failed', id, message }`. Idle workers are unref'd, so an idle pool never keeps the
 * process alive; `close()` terminates them. With `idleExitMs`, a worker idle that long exits (its
 * thread, heap and engine memory go back to the system) unless the pool is held (`hold()`).
 */
export interface WorkerPoolOptions {
  /** Absolute path of the worker script. */
  script: string;
  /** Worker threads at most (started on demand, or all at once by `start()`). */
  size: number;
  /** A job running longer than this is failed with TTS_TIMEOUT and its worker replaced. */
  jobTimeoutMs: number;
  /** A worker not ready after this long is terminated; its jobs fail with TTS_WORKER_START_FAILED. */
  startupTimeoutMs: number;
  /** Used in error messages (`espeak worker exited with code 1`). */
  name: string;
  /**
   * A worker with no job for this long exits, while nobody holds the pool; the next job starts
   * one again. Unset: workers live until `close()`.
   */
  idleExitMs?: number | undefined;
}

export interface WorkerPoolStats {
  workers: number;
  busy: number;
  queued: number;
  /** Workers started since construction (replacements included). */
  started: number;
  /** Workers that died unexpectedly. */
  crashed: number;
  /** Workers that exited after `idleExitMs` without a job. */
  idleExits: number;
}

interface Job {
  id: number;
  payload: unknown;
  resolve: (result: unknown) => void;
  reject: (error: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
  settled: boolean;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  job: Job | null;
  /** Set when the pool ends the worker on purpose (close, timeout, idle): its exit is not a crash. */
  retiring: boolean;
  /** Ended for having been idle: not replaced. */
  idleExit: boolean;
  idleTimer: NodeJS.Timeout | null;
  error: Error | null;
  timer: NodeJS.Timeout | null;
  readyWaiters: Array<(error?: Error) => void>;
}

export class WorkerPool {
  private readonly options: WorkerPoolOptions;
  private readonly slots = new Set<Slot>();
  private readonly queue: Job[] = [];
  private nextId = 1;
  private started = 0;
  private crashed = 0;
  private idleExits = 0;
  private holds = 0;
  private closing: Promise<void> | null = null;

  constructor(options: WorkerPoolOptions) {
    if (!Number.isInteger(options.size) || options.size < 1) {
      throw new SpeechError('TTS_INVALID_OPTIONS', `worker pool size must be a whole number ≥ 1, got ${options.size}`);
    }
    for (const key of ['jobTimeoutMs', 'startupTimeoutMs'] as const) {
      if (!(options[key] > 0)) throw new SpeechError('TTS_INVALID_OPTIONS', `${key} must be > 0, got ${options[key]}`);
    }
    if (options.idleExitMs !== undefined && !(options.idleExitMs > 0)) {
      throw new SpeechError('TTS_INVALID_OPTIONS', `idleExitMs must be > 0 when set, got ${options.idleExitMs}`);
    }
    if (!existsSync(options.script)) {
      throw new SpeechError(
        'TTS_WORKER_START_FAILED',
        `${options.name} worker script not found at ${options.script} (a build must copy it next to the compiled code)`,
      );
    }
    this.options = options;
  }

  /** Starts every worker now; resolves when all are ready, rejects if one fails to start. */
  async start(): Promise<void> {
    if (this.closing) throw new SpeechError('TTS_CLOSED', `${this.options.name} is closed`);
    while (this.slots.size < this.options.size) this.spawn();
    const waits = [...this.slots].map((slot) =>
      slot.ready
        ? undefined
        : new Promise<void>((resolve, reject) => slot.readyWaiters.push((e) => (e ? reject(e) : resolve()))),
    );
    await Promise.all(waits);
  }

  /** Runs one job; rejects with an AbortError when `signal` aborts (a queued job is dropped). */
  run(payload: unknown, signal?: AbortSignal): Promise<unknown> {
    if (this.closing) return Promise.reject(new SpeechError('TTS_CLOSED', `${this.options.name} is closed`));
    if (signal?.aborted) return Promise.reject(abortError());
    return new Promise((resolve, reject) => {
      const job: Job = { id: this.nextId++, payload, resolve, reject, signal, onAbort: () => {}, settled: false };
      job.onAbort = () => this.abort(job);
      signal?.addEventListener('abort', job.onAbort, { once: true });
      this.queue.push(job);
      this.pump();
    });
  }

  /**
   * Keeps the workers from exiting when idle, and starts one now if none is running (without
   * waiting for it), until the returned release is called (idempotent). Holds add up.
   */
  hold(): () => void {
    if (this.closing) return () => {};
    this.holds++;
    for (const slot of this.slots) this.clearIdleTimer(slot);
    let live = false;
    for (const slot of this.slots) if (!slot.retiring) live = true;
    if (!live) this.spawn();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds--;
      if (this.holds === 0) for (const slot of this.slots) if (slot.ready && !slot.job && !slot.retiring) this.armIdleTimer(slot);
    };
  }

  stats(): WorkerPoolStats {
    let busy = 0;
    for (const slot of this.slots) if (slot.job) busy++;
    return { workers: this.slots.size, busy, queued: this.queue.length, started: this.started, crashed: this.crashed, idleExits: this.idleExits };
  }

  /** Fails queued and running jobs with TTS_CLOSED and terminates the workers. Idempotent. */
  close(): Promise<void> {
    if (!this.closing) {
      const error = new SpeechError('TTS_CLOSED', `${this.options.name} was closed`);
      for (const job of this.queue.splice(0)) this.settle(job, error);
      const exits: Array<Promise<unknown>> = [];
      for (const slot of this.slots) {
        if (slot.job) this.settle(slot.job, error);
        exits.push(this.retire(slot));
      }
      this.closing = Promise.all(exits).then(() => undefined);
    }
    return this.closing;
  }

  private pump(): void {
    if (this.closing) return;
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (slot.ready && !slot.job && !slot.retiring) this.dispatch(slot, this.queue.shift()!);
    }
    // Start workers for what is still queued, counting those already starting.
    let starting = 0;
    for (const slot of this.slots) if (!slot.ready && !slot.retiring) starting++;
    while (this.queue.length > starting && this.slots.size < this.options.size) {
      this.spawn();
      starting++;
    }
  }

  private spawn(): void {
    const worker = new Worker(this.options.script);
    const slot: Slot = { worker, ready: false, job: null, retiring: false, idleExit: false, idleTimer: null, error: null, timer: null, readyWaiters: [] };
    this.slots.add(slot);
    this.started++;
    slot.timer = setTimeout(() => {
      slot.error = new Error(`not ready after ${this.options.startupTimeoutMs} ms`);
      void worker.terminate();
    }, this.options.startupTimeoutMs);
    slot.timer.unref();
    worker.on('message', (message: unknown) => this.onMessage(slot, message));
    worker.on('error', (error) => {
      slot.error = error;
    });
    worker.on('exit', (code) => this.onExit(slot, code));
  }

  private dispatch(slot: Slot, job: Job): void {
    this.clearIdleTimer(slot);
    slot.job = job;
    slot.worker.ref();
    slot.timer = setTimeout(() => {
      this.settle(
        job,
        new SpeechError('TTS_TIMEOUT', `${this.options.name} job ran longer than ${this.options.jobTimeoutMs} ms`),
      );
      slot.job = null;
      void this.retire(slot);
    }, this.options.jobTimeoutMs);
    slot.worker.postMessage({ type: 'job', id: job.id, payload: job.payload });
  }

  private onMessage(slot: Slot, message: unknown): void {
    if (typeof message !== 'object' || message === null) return;
    const m = message as { type?: unknown; id?: unknown; result?: unknown; message?: unknown };
    if (m.type === 'ready') {
      slot.ready = true;
      this.clearTimer(slot);
      for (const waiter of slot.readyWaiters.splice(0)) waiter();
      this.idle(slot);
      return;
    }
    const job = slot.job;
    if (!job || m.id !== job.id) return;
    this.clearTimer(slot);
    slot.job = null;
    if (m.type === 'done') this.settle(job, null, m.result);
    else this.settle(job, new SpeechError('TTS_SYNTHESIS_FAILED', `${this.options.name}: ${String(m.message)}`));
    this.idle(slot);
  }

  private onExit(slot: Slot, code: number): void {
    this.clearTimer(slot);
    this.slots.delete(slot);
    const reason = slot.error ? `: ${slot.error.message}` : '';
    if (!slot.ready) {
      const error = new SpeechError(
        'TTS_WORKER_START_FAILED',
        `${this.options.name} worker failed to start (exit code ${code})${reason}`,
        { cause: slot.error },
      );
      for (const waiter of slot.readyWaiters.splice(0)) waiter(error);
      if (slot.retiring || this.closing) return;
      this.crashed++;
      // Dying before ready is a setup problem that a retry loop would not fix: fail what is
      // queued unless another worker can still take it. The next `run` tries again.
      let others = false;
      for (const other of this.slots) if (!other.retiring) others = true;
      if (!others) for (const job of this.queue.splice(0)) this.settle(job, error);
      return;
    }
    if (this.closing) return;
    if (slot.idleExit) {
      this.pump();
      return;
    }
    if (!slot.retiring) {
      this.crashed++;
      if (slot.job) {
        this.settle(
          slot.job,
          new SpeechError(
            'TTS_WORKER_CRASHED',
            `${this.options.name} worker exited with code ${code} while running a job${reason}`,
            { cause: slot.error },
          ),
        );
        slot.job = null;
      }
    }
    // Replace the worker now, so the next job does not pay for its start-up.
    if (this.slots.size < this.options.size) this.spawn();
    this.pump();
  }

  private idle(slot: Slot): void {
    if (this.queue.length > 0 && !this.closing) this.dispatch(slot, this.queue.shift()!);
    else {
      slot.worker.unref();
      if (this.holds === 0) this.armIdleTimer(slot);
    }
  }

  private armIdleTimer(slot: Slot): void {
    const idleExitMs = this.options.idleExitMs;
    if (idleExitMs === undefined || this.closing) return;
    this.clearIdleTimer(slot);
    slot.idleTimer = setTimeout(() => {
      slot.idleTimer = null;
      if (slot.job || slot.retiring || this.holds > 0 || this.closing) return;
      slot.idleExit = true;
      this.idleExits++;
      void this.retire(slot);
    }, idleExitMs);
    slot.idleTimer.unref();
  }

  private clearIdleTimer(slot: Slot): void {
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    slot.idleTimer = null;
  }

  private abort(job: Job): void {
    const index = this.queue.indexOf(job);
    if (index >= 0) this.queue.splice(index, 1);
    // A running job cannot be interrupted inside the engine: the caller is released now and the
    // worker's result, when it comes, is dropped. The job time limit bounds how long that takes.
    this.settle(job, abortError());
  }

  private settle(job: Job, error: unknown, result?: unknown): void {
    if (job.settled) return;
    job.settled = true;
    job.signal?.removeEventListener('abort', job.onAbort);
    if (error) job.reject(error);
    else job.resolve(result);
  }

  private retire(slot: Slot): Promise<number> {
    slot.retiring = true;
    this.clearTimer(slot);
    this.clearIdleTimer(slot);
    return slot.worker.terminate();
  }

  private clearTimer(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
  }
}
