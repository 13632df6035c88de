import path from 'node:path';
import { isAbortError, isSpeechError } from '../errors';
import { WorkerPool, type WorkerPoolOptions } from './worker-pool';

const FIXTURES = path.resolve(__dirname, '../../../fixtures/speech');

interface EchoResult {
  value: unknown;
  threadId: number;
  served: number;
}

const pools: WorkerPool[] = [];

function pool(options: Partial<WorkerPoolOptions> = {}): WorkerPool {
  const created = new WorkerPool({
    script: path.join(FIXTURES, 'echo-worker.mjs'),
    size: 1,
    jobTimeoutMs: 5000,
    startupTimeoutMs: 5000,
    name: 'test',
    ...options,
  });
  pools.push(created);
  return created;
}

async function run(p: WorkerPool, payload: unknown, signal?: AbortSignal): Promise<EchoResult> {
  return (await p.run(payload, signal)) as EchoResult;
}

afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

test('runs jobs in order and returns what the worker sent', async () => {
  const p = pool();
  const results = await Promise.all([1, 2, 3].map((value) => run(p, { op: 'echo', value })));
  expect(results.map((r) => r.value)).toEqual([1, 2, 3]);
  expect(results.map((r) => r.served)).toEqual([1, 2, 3]);
  expect(p.stats()).toMatchObject({ workers: 1, busy: 0, queued: 0, started: 1, crashed: 0 });
});

test('runs at most `size` jobs at once, one per worker', async () => {
  const p = pool({ size: 2 });
  const jobs = [1, 2, 3, 4].map((value) => run(p, { op: 'busy', ms: 150, value }));
  await new Promise((resolve) => setTimeout(resolve, 50));
  const during = p.stats();
  const results = await Promise.all(jobs);
  expect(during.workers).toBe(2);
  expect(during.busy + during.queued).toBeGreaterThanOrEqual(3);
  expect(new Set(results.map((r) => r.threadId)).size).toBe(2);
});

test('a job the engine fails rejects with TTS_SYNTHESIS_FAILED and the worker carries on', async () => {
  const p = pool();
  await expect(p.run({ op: 'fail' })).rejects.toMatchObject({ code: 'TTS_SYNTHESIS_FAILED', retryable: false });
  await expect(p.run({ op: 'fail' })).rejects.toThrow('the engine said no');
  expect((await run(p, { op: 'echo', value: 'after' })).value).toBe('after');
  expect(p.stats().started).toBe(1);
});

test('a worker that exits mid-job rejects that job with TTS_WORKER_CRASHED and is replaced', async () => {
  const p = pool();
  const before = await run(p, { op: 'echo', value: 0 });
  const queued = run(p, { op: 'echo', value: 'queued' });
  const crash = p.run({ op: 'exit' });
  // The queued job was sent first, so it completes; the crash takes only its own job down.
  expect((await queued).value).toBe('queued');
  const error = await crash.catch((e: unknown) => e);
  expect(isSpeechError(error, 'TTS_WORKER_CRASHED')).toBe(true);
  expect((error as Error).message).toContain('exited with code 3');
  expect((error as { retryable: boolean }).retryable).toBe(true);
  const after = await run(p, { op: 'echo', value: 'after' });
  expect(after.threadId).not.toBe(before.threadId);
  expect(p.stats()).toMatchObject({ crashed: 1, started: 2, workers: 1 });
});

test('an uncaught exception in the worker is reported with its message', async () => {
  const p = pool();
  await expect(p.run({ op: 'throw' })).rejects.toMatchObject({
    code: 'TTS_WORKER_CRASHED',
    message: expect.stringContaining('boom in worker'),
  });
  expect((await run(p, { op: 'echo', value: 1 })).value).toBe(1);
});

test('a job past its time limit fails with TTS_TIMEOUT and its worker is replaced', async () => {
  const p = pool({ jobTimeoutMs: 150 });
  const first = await run(p, { op: 'echo', value: 0 });
  await expect(p.run({ op: 'busy', ms: 3000 })).rejects.toMatchObject({ code: 'TTS_TIMEOUT' });
  const after = await run(p, { op: 'echo', value: 1 });
  expect(after.threadId).not.toBe(first.threadId);
  expect(p.stats().crashed).toBe(0);
});

test('aborting a queued job drops it: it rejects with AbortError and never reaches a worker', async () => {
  const p = pool();
  await run(p, { op: 'echo', value: 'warm' });
  const running = run(p, { op: 'busy', ms: 200, value: 'running' });
  const controller = new AbortController();
  const queued = p.run({ op: 'echo', value: 'queued' }, controller.signal);
  expect(p.stats().queued).toBe(1);
  controller.abort();
  const error = await queued.catch((e: unknown) => e);
  expect(isAbortError(error)).toBe(true);
  expect(p.stats().queued).toBe(0);
  expect((await running).served).toBe(2);
  // The worker served the warm-up, the running job and this one: never the dropped job.
  expect((await run(p, { op: 'echo', value: 'next' })).served).toBe(3);
});

test('aborting a running job releases the caller at once; the worker stays usable', async () => {
  const p = pool();
  await run(p, { op: 'echo', value: 'warm' });
  const controller = new AbortController();
  const started = performance.now();
  const job = p.run({ op: 'busy', ms: 400 }, controller.signal);
  setTimeout(() => controller.abort(), 30);
  await expect(job).rejects.toMatchObject({ name: 'AbortError' });
  expect(performance.now() - started).toBeLessThan(300);
  expect((await run(p, { op: 'echo', value: 'next' })).value).toBe('next');
});

test('an already aborted signal rejects without queueing', async () => {
  const p = pool();
  await expect(p.run({ op: 'echo' }, AbortSignal.abort())).rejects.toMatchObject({ name: 'AbortError' });
  expect(p.stats()).toMatchObject({ started: 0, queued: 0 });
});

test('a worker that cannot start fails the queue with TTS_WORKER_START_FAILED, not a retry loop', async () => {
  const p = pool({ script: path.join(FIXTURES, 'broken-worker.mjs') });
  await expect(p.run({ op: 'echo' })).rejects.toMatchObject({
    code: 'TTS_WORKER_START_FAILED',
    message: expect.stringContaining('cannot load the engine'),
  });
  expect(p.stats()).toMatchObject({ workers: 0, started: 1 });
  await expect(p.start()).rejects.toMatchObject({ code: 'TTS_WORKER_START_FAILED' });
});

test('a worker that never becomes ready is stopped after startupTimeoutMs', async () => {
  const p = pool({ script: path.join(FIXTURES, 'silent-worker.mjs'), startupTimeoutMs: 200 });
  await expect(p.run({ op: 'echo' })).rejects.toMatchObject({
    code: 'TTS_WORKER_START_FAILED',
    message: expect.stringContaining('not ready after 200 ms'),
  });
});

test('a missing worker script is reported at construction, naming the path', () => {
  const script = path.join(FIXTURES, 'no-such-worker.mjs');
  expect(() => pool({ script })).toThrow(script);
});

test('invalid options are rejected', () => {
  expect(() => pool({ size: 0 })).toThrow(expect.objectContaining({ code: 'TTS_INVALID_OPTIONS' }));
  expect(() => pool({ jobTimeoutMs: 0 })).toThrow(expect.objectContaining({ code: 'TTS_INVALID_OPTIONS' }));
  expect(() => pool({ idleExitMs: 0 })).toThrow(expect.objectContaining({ code: 'TTS_INVALID_OPTIONS' }));
});

test('close fails running and queued jobs with TTS_CLOSED, terminates workers, and is idempotent', async () => {
  const p = pool();
  await p.start();
  const running = p.run({ op: 'busy', ms: 300 });
  const queued = p.run({ op: 'echo' });
  const first = p.close();
  const second = p.close();
  await expect(running).rejects.toMatchObject({ code: 'TTS_CLOSED' });
  await expect(queued).rejects.toMatchObject({ code: 'TTS_CLOSED' });
  await Promise.all([first, second]);
  await p.close();
  expect(p.stats().workers).toBe(0);
  await expect(p.run({ op: 'echo' })).rejects.toMatchObject({ code: 'TTS_CLOSED' });
  await expect(p.start()).rejects.toMatchObject({ code: 'TTS_CLOSED' });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('with idleExitMs, an idle worker exits and the next job starts another', async () => {
  const p = pool({ idleExitMs: 100 });
  const first = await run(p, { op: 'echo', value: 1 });
  expect(p.stats().workers).toBe(1);
  await sleep(300);
  expect(p.stats()).toMatchObject({ workers: 0, idleExits: 1, crashed: 0 });
  const second = await run(p, { op: 'echo', value: 2 });
  expect(second.value).toBe(2);
  expect(second.threadId).not.toBe(first.threadId);
  expect(p.stats()).toMatchObject({ started: 2, crashed: 0 });
});

test('a held pool starts a worker at once and keeps it past idleExitMs until released', async () => {
  const p = pool({ idleExitMs: 100 });
  const release = p.hold();
  expect(p.stats().workers).toBe(1);
  await sleep(300);
  const held = await run(p, { op: 'echo', value: 'held' });
  await sleep(300);
  expect(p.stats()).toMatchObject({ workers: 1, started: 1, idleExits: 0 });
  release();
  release();
  await sleep(300);
  expect(p.stats()).toMatchObject({ workers: 0, idleExits: 1 });
  expect(held.value).toBe('held');
});

test('without idleExitMs, idle workers stay', async () => {
  const p = pool();
  await run(p, { op: 'echo', value: 1 });
  await sleep(200);
  expect(p.stats()).toMatchObject({ workers: 1, idleExits: 0 });
});
