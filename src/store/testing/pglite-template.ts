import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { PGlite } from '@electric-sql/pglite';
import { createLogger, type Logger } from '../../observability/logger';
import { MIGRATIONS } from '../migrations';
import { openStore, type Store } from '../store';

/**
 * Stores for tests, fast. A PGlite made from nothing runs initdb: 4–5 s and ~250 MB per store.
 * Instead one migrated database is built once per machine (the template, a `dumpDataDir()` tar in
 * os.tmpdir()) and every test store is an in-memory copy of it (~0.7 s). The template's name
 * carries the PGlite version and a digest of the migrations (their names and their file), so a new
 * PGlite or a new or edited migration builds a new one instead of using a stale one; the store
 * still runs migrations at every open, as in production. Old templates are not removed (~40 MB
 * each).
 */

/** Where the template for this PGlite and these migrations is kept. */
export function templateFile(): string {
  const manifest = path.join(path.dirname(require.resolve('@electric-sql/pglite')), '..', 'package.json');
  const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
  // The module's own text, not the functions' (tsx and ts-jest compile them differently).
  const digest = createHash('sha256').update(Object.keys(MIGRATIONS).join('\n')).update(readFileSync(require.resolve('../migrations')));
  return path.join(os.tmpdir(), `bridge-test-db-pglite-${version}-${digest.digest('hex').slice(0, 16)}.tar`);
}

/** One read per test file (jest gives each file its own module registry). */
let template: Promise<Blob> | undefined;

/** A new, empty, migrated in-memory store; the caller closes it. `dataDir` is only passed along (nothing is written there). */
export async function openTemplateStore(options: { dataDir: string; logger: Logger }): Promise<Store> {
  template ??= loadTemplate().catch((error: unknown) => {
    template = undefined;
    throw error;
  });
  return openStore({ dataDir: options.dataDir, logger: options.logger, inMemoryFrom: await template });
}

async function loadTemplate(): Promise<Blob> {
  const file = templateFile();
  try {
    return new Blob([await readFile(file)]);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await buildTemplate(file);
  return new Blob([await readFile(file)]);
}

/**
 * Builds the template through the production path (openStore on a folder: lock, initdb,
 * migrations), then dumps the folder. Written to a temporary name and renamed into place, so a
 * reader never sees half a file; two jest workers racing both build, and either copy is whole.
 */
async function buildTemplate(file: string): Promise<void> {
  const started = performance.now();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bridge-test-db-build-'));
  const temp = `${file}.${process.pid}.${randomUUID()}.tmp`;
  try {
    const store = await openStore({ dataDir, logger: createLogger({ level: 'silent' }) });
    await store.close();
    const pglite = new PGlite(path.join(dataDir, 'db'));
    let tar: Blob;
    try {
      await pglite.waitReady;
      tar = await pglite.dumpDataDir('none');
    } finally {
      await pglite.close();
    }
    await writeFile(temp, Buffer.from(await tar.arrayBuffer()));
    await rename(temp, file);
  } finally {
    await rm(temp, { force: true });
    await rm(dataDir, { recursive: true, force: true });
  }
  process.stderr.write(`built the test database template ${file} in ${Math.round(performance.now() - started)} ms\n`);
}
