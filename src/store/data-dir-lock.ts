import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { BridgeError } from '../errors';

/**
 * PGlite opens its folder without locking it, and two processes on one folder corrupt it. This
 * lock is a directory (`db.lock`, made atomically by mkdir) whose mtime the holder refreshes every
 * few seconds; it holds `owner.json` (pid, host). A lock is stale when its mtime stopped moving
 * (the holder died, on any host sharing the volume), or at once when its owner is a process on
 * this host that no longer exists, so a restart after `kill -9` need not wait.
 */
export interface DataDirLock {
  /** Set when the lock was lost (its directory removed or not refreshed in time). */
  readonly lost: Error | undefined;
  release(): Promise<void>;
}

interface Owner {
  pid: number;
  hostname: string;
  /** Tells this process from an earlier one that had the same pid (pid 1 in a restarted container). */
  process: string;
  since: string;
}

/** This process, as written in owner.json. */
const THIS_PROCESS = randomUUID();
/** A busy event loop (PGlite's first initdb takes seconds) must not look like a dead holder. */
const STALE_MS = 20_000;
const OWNER_FILE = 'owner.json';

/** proper-lockfile removes a lock with rmdir; ours holds owner.json, so remove it recursively. */
const lockFs = {
  ...fs,
  rmdir: (target: string, callback: (error: NodeJS.ErrnoException | null) => void) => fs.rm(target, { recursive: true, force: true }, callback),
  rmdirSync: (target: string) => fs.rmSync(target, { recursive: true, force: true }),
};

export async function lockDataDir(target: string, onLost: (error: Error) => void, staleMs = STALE_MS): Promise<DataDirLock> {
  const lockPath = `${target}.lock`;
  let lost: Error | undefined;
  const options = {
    realpath: false,
    lockfilePath: lockPath,
    stale: staleMs,
    retries: 0,
    fs: lockFs,
    onCompromised: (error: Error) => {
      lost = error;
      onLost(error);
    },
  };
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(target, options);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
    const owner = await readOwner(lockPath);
    if (!owner || !ownerIsGone(owner)) throw inUse(target, owner);
    // The owner died on this host: take over now rather than when the mtime goes stale.
    await rm(lockPath, { recursive: true, force: true });
    try {
      release = await lockfile.lock(target, options);
    } catch (again) {
      if ((again as NodeJS.ErrnoException).code === 'ELOCKED') throw inUse(target, await readOwner(lockPath));
      throw again;
    }
  }
  const owner: Owner = { pid: process.pid, hostname: os.hostname(), process: THIS_PROCESS, since: new Date().toISOString() };
  // Writing into the directory moves its mtime, which proper-lockfile would take for another
  // process refreshing the lock: put the mtime back as it was.
  const before = await stat(lockPath);
  await writeFile(path.join(lockPath, OWNER_FILE), JSON.stringify(owner));
  await utimes(lockPath, before.atime, before.mtime);
  let released: Promise<void> | undefined;
  return {
    get lost() {
      return lost;
    },
    release() {
      released ??= lost ? Promise.resolve() : release().catch((error: unknown) => {
        if ((error as NodeJS.ErrnoException).code !== 'ERELEASED') throw error;
      });
      return released;
    },
  };
}

async function readOwner(lockPath: string): Promise<Owner | undefined> {
  try {
    const parsed = JSON.parse(await readFile(path.join(lockPath, OWNER_FILE), 'utf8')) as Partial<Owner>;
    if (typeof parsed.pid !== 'number' || typeof parsed.hostname !== 'string' || typeof parsed.process !== 'string') return undefined;
    return parsed as Owner;
  } catch {
    return undefined; // being written, or an older format: judge by mtime only
  }
}

function ownerIsGone(owner: Owner): boolean {
  if (owner.hostname !== os.hostname()) return false; // another host's pids mean nothing here
  if (owner.pid === process.pid) return owner.process !== THIS_PROCESS;
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
  // Killed but not yet reaped by its parent (a launcher killed with it, a slow init): a zombie
  // holds its pid but no longer the database. Linux only; elsewhere the pid counts as alive.
  return isZombie(owner.pid);
}

function isZombie(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state …": comm may hold spaces and parentheses, so the state follows the last ")".
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state === 'Z' || state === 'X';
  } catch {
    return false;
  }
}

function inUse(target: string, owner: Owner | undefined): BridgeError {
  const who = owner ? `pid ${owner.pid}${owner.hostname === os.hostname() ? '' : ` on ${owner.hostname}`}` : 'pid unknown';
  return new BridgeError(
    'STORE_LOCKED',
    `DATA_DIR/db is in use by another bridge process (${who}); use DATABASE_URL to run several instances (folder: ${target})`,
  );
}
