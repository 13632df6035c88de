import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

/**
 * A Postgres for tests: TEST_DATABASE_URL when set (its user needs CREATEDB), otherwise a
 * throwaway cluster in a temp folder (initdb + pg_ctl on a free port, owned by the `postgres`
 * user when we run as root, since initdb refuses root). Each `createDatabase()` is a fresh,
 * empty database, so suites start from nothing.
 */
export interface TestPostgres {
  /** postgres:// URL of a new, empty database. */
  createDatabase(): Promise<string>;
  /** How it was provided, for the test log. */
  readonly description: string;
  stop(): Promise<void>;
}

export type PostgresAvailability = { available: true; url: string } | { available: true; binDir: string } | { available: false; reason: string };

const run = promisify(execFile);

/** Synchronous, so a suite can decide `describe` vs `describe.skip` while jest collects tests. */
export function findPostgres(testDatabaseUrl: string | undefined): PostgresAvailability {
  if (testDatabaseUrl) return { available: true, url: testDatabaseUrl };
  const binDir = findBinDir();
  if (!binDir) return { available: false, reason: 'no Postgres: set TEST_DATABASE_URL or install postgresql (initdb and pg_ctl not found)' };
  if (process.getuid?.() === 0 && !userExists('postgres')) {
    return { available: false, reason: 'no Postgres: running as root and there is no postgres user to run initdb as' };
  }
  return { available: true, binDir };
}

export async function startPostgres(found: Exclude<PostgresAvailability, { available: false }>): Promise<TestPostgres> {
  if ('url' in found) return databasesOn(found.url, 'TEST_DATABASE_URL', async () => undefined);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bridge-pg-'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) chownSync(dir, uid('postgres'), gid('postgres'));
  const pgCtl = path.join(found.binDir, 'pg_ctl');
  const data = path.join(dir, 'data');
  const as = (file: string, args: string[]) => (asRoot ? run('runuser', ['-u', 'postgres', '--', file, ...args]) : run(file, args));
  await as(path.join(found.binDir, 'initdb'), ['-D', data, '-U', 'bridge', '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-sync']);
  const port = await freePort();
  const settings = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
  await as(pgCtl, ['-D', data, '-o', settings, '-l', path.join(dir, 'log'), '-w', '-t', '60', 'start']);
  // If the test process dies without stop(), do not leave a server running.
  const stopNow = () => {
    try {
      const args = ['-D', data, '-m', 'immediate', 'stop'];
      execFileSync(asRoot ? 'runuser' : pgCtl, asRoot ? ['-u', 'postgres', '--', pgCtl, ...args] : args, { stdio: 'ignore' });
    } catch {
      // already stopped
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stopNow);
  return databasesOn(`postgres://bridge@127.0.0.1:${port}/postgres`, `a throwaway cluster (${found.binDir}, port ${port})`, async () => {
    process.removeListener('exit', stopNow);
    stopNow();
  });
}

function databasesOn(adminUrl: string, description: string, stop: () => Promise<void>): TestPostgres {
  let count = 0;
  return {
    description,
    async createDatabase() {
      const name = `bridge_test_${process.pid}_${Date.now().toString(36)}_${count++}`;
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`create database ${name}`);
      } finally {
        await client.end();
      }
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      return url.toString();
    },
    stop,
  };
}

function findBinDir(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, 'initdb')) && existsSync(path.join(dir, 'pg_ctl'))) return dir;
  }
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  for (const version of versions) {
    const dir = path.join(root, version, 'bin');
    if (existsSync(path.join(dir, 'initdb')) && existsSync(path.join(dir, 'pg_ctl'))) return dir;
  }
  return undefined;
}

function userExists(name: string): boolean {
  try {
    uid(name);
    return true;
  } catch {
    return false;
  }
}

function uid(name: string): number {
  return Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
}

function gid(name: string): number {
  return Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
