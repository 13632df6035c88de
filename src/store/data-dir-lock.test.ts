import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '../observability/logger';
import { lockDataDir } from './data-dir-lock';
import { openStore } from './store';
import { EVERY_ANSWER_TYPE } from './testing/calls-contract';
import { waitFor } from '../../test/helpers/wait';

/** A process's state letter from /proc (R, S, Z…), or null when it is gone. */
function readState(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return null;
  }
}

const logger = createLogger({ level: 'silent' });
const ROOT = path.resolve(__dirname, '../..');
let dataDir: string;

beforeEach(() => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'bridge-store-'));
});
afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

describe('DATA_DIR/db: one process at a time', () => {
  test('a second open of the same folder is refused with a clear message; after the first closes it opens', async () => {
    const first = await openStore({ dataDir, logger });
    try {
      await expect(openStore({ dataDir, logger })).rejects.toMatchObject({
        code: 'STORE_LOCKED',
        message: expect.stringContaining(`DATA_DIR/db is in use by another bridge process (pid ${process.pid}); use DATABASE_URL to run several instances`),
      });
      await first.ping(); // the refused open did not disturb the first
    } finally {
      await first.close();
    }
    const second = await openStore({ dataDir, logger });
    await second.ping();
    await second.close();
  }, 60_000);

  test('a process killed with SIGKILL mid-writes: its lock is refused while it lives, then the folder reopens with every committed call', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'testing/crash-writer.ts'), dataDir], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      const saved = await readSaved(child, 40, 60_000);
      // While it runs, nobody else may open the folder; the message names its pid.
      await expect(openStore({ dataDir, logger })).rejects.toThrow(`DATA_DIR/db is in use by another bridge process (pid ${child.pid})`);
      const more = await readSaved(child, 10, 20_000);
      child.kill('SIGKILL');
      await exited;
      const committed = [...saved, ...more];

      const started = Date.now();
      const store = await openStore({ dataDir, logger }); // at once: the owner is gone, no waiting for staleness
      try {
        expect(Date.now() - started).toBeLessThan(8_000);
        const ids = new Set((await store.db.selectFrom('calls').select('id').execute()).map((r) => r.id));
        for (const id of committed) expect(ids.has(id)).toBe(true);
        const sample = await store.calls.get(committed[committed.length - 1]!);
        expect(sample?.answers).toStrictEqual(EVERY_ANSWER_TYPE);
        const orphans = await store.db.selectFrom('answers').leftJoin('calls', 'calls.id', 'answers.call_id').select('answers.item').where('calls.id', 'is', null).execute();
        expect(orphans).toEqual([]);
      } finally {
        await store.close();
      }
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
  }, 120_000);
});

/** Collects `saved <id>` lines from the child until `count` more have arrived. */
function readSaved(child: ChildProcess, count: number, timeoutMs: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const ids: string[] = [];
    let buffered = '';
    let errors = '';
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) if (line.startsWith('saved ')) ids.push(line.slice(6));
      if (ids.length >= count) finish();
    };
    const onError = (chunk: Buffer) => {
      errors += chunk.toString('utf8');
    };
    const onExit = () => reject(new Error(`the writer exited early: ${errors}`));
    const timer = setTimeout(() => reject(new Error(`the writer saved ${ids.length} of ${count} in ${timeoutMs} ms: ${errors}`)), timeoutMs);
    const finish = () => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onError);
      child.off('exit', onExit);
      resolve(ids);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onError);
    child.once('exit', onExit);
  });
}

describe('lockDataDir', () => {
  const target = () => path.join(dataDir, 'db');

  test('the holder keeps its lock through several refreshes (owner.json does not look like a rival)', async () => {
    const lost = jest.fn();
    const lock = await lockDataDir(target(), lost, 2_000); // refreshed every second
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    expect(lost).not.toHaveBeenCalled();
    expect(lock.lost).toBeUndefined();
    await expect(lockDataDir(target(), () => undefined, 2_000)).rejects.toMatchObject({ code: 'STORE_LOCKED' });
    await lock.release();
    await lock.release(); // idempotent
    const again = await lockDataDir(target(), () => undefined, 2_000);
    await again.release();
  }, 20_000);

  test('a lock from another host is refused while fresh, naming pid and host, and taken over once stale', async () => {
    const lockPath = `${target()}.lock`;
    mkdirSync(lockPath);
    writeFileSync(path.join(lockPath, 'owner.json'), JSON.stringify({ pid: 4242, hostname: 'other-host', process: 'x', since: new Date().toISOString() }));
    await expect(lockDataDir(target(), () => undefined, 2_000)).rejects.toThrow(
      'DATA_DIR/db is in use by another bridge process (pid 4242 on other-host); use DATABASE_URL to run several instances',
    );
    const old = new Date(Date.now() - 60_000);
    utimesSync(lockPath, old, old); // its holder stopped refreshing it
    const lock = await lockDataDir(target(), () => undefined, 2_000);
    await lock.release();
  });

  // Skipped off Linux: a process's state (a zombie) is read from /proc.
  // reason: /proc exists on Linux only
  const onLinux = process.platform === 'linux' ? test : test.skip; // reason: needs Linux's /proc
  onLinux('a lock whose owner was killed but not yet reaped (a zombie) is taken over at once', async () => {
    // The shell starts `sleep 1`, prints its pid, then becomes `sleep 10`, which never reaps it: a
    // zombie from 1 s to 10 s. (With `sleep 0` the child could end before the exec, and the shell
    // reap it: on a busy machine there was no zombie to see.)
    const shell = spawn('sh', ['-c', 'sleep 1 & echo $!; exec sleep 10'], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const pid = Number(await new Promise<string>((resolve) => shell.stdout?.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()))));
      await waitFor(() => readState(pid) === 'Z', 8000, 'the zombie');
      expect(() => process.kill(pid, 0)).not.toThrow(); // its pid still answers: the old check took it for alive
      const lockPath = `${target()}.lock`;
      mkdirSync(lockPath);
      writeFileSync(path.join(lockPath, 'owner.json'), JSON.stringify({ pid, hostname: os.hostname(), process: 'x', since: new Date().toISOString() }));
      const lock = await lockDataDir(target(), () => undefined);
      await lock.release();
    } finally {
      shell.kill('SIGKILL');
    }
  });

  test('a lock left by a dead process on this host is taken over at once', async () => {
    const lockPath = `${target()}.lock`;
    mkdirSync(lockPath);
    writeFileSync(path.join(lockPath, 'owner.json'), JSON.stringify({ pid: 2 ** 22 + 1, hostname: os.hostname(), process: 'x', since: new Date().toISOString() }));
    const lock = await lockDataDir(target(), () => undefined);
    await lock.release();
  });
});
