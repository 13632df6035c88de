import { statfs } from 'node:fs/promises';
import type { StoreSelfCheck } from '../store/self-check';
import type { InsideCheck } from './report';

/** Below this much free space under DATA_DIR the check fails (the embedded database and the prompt cache live there). */
export const MIN_FREE_BYTES = 512 * 1024 * 1024;
/** Clock offsets past these: a warning, then a failure (signatures carry timestamps; receivers allow ~5 minutes). */
const CLOCK_WARN_MS = 5_000;
const CLOCK_FAIL_MS = 60_000;

export async function probeStore(selfCheck: () => Promise<StoreSelfCheck>): Promise<InsideCheck> {
  const title = 'store writable and migrated';
  let result: StoreSelfCheck;
  try {
    result = await selfCheck();
  } catch (error) {
    return { id: 'store', title, status: 'fail', saw: `the database did not answer: ${(error as Error).message?.slice(0, 160)}`, fix: 'check DATABASE_URL and that Postgres is up (or the DATA_DIR volume, for the embedded database)' };
  }
  if (result.missingMigrations.length > 0) {
    return { id: 'store', title, status: 'fail', saw: `migrations not applied: ${result.missingMigrations.join(', ')}`, fix: 'restart the bridge: migrations run when it opens the store; look for store migration errors in its log' };
  }
  if (result.writeFailed !== null) {
    return { id: 'store', title, status: 'fail', saw: `a test write (rolled back) failed: ${result.writeFailed}`, fix: 'the database is read-only, full or refuses this user: check its disk, a read replica in DATABASE_URL, the user\'s grants' };
  }
  const newer = result.newerMigrations.length > 0 ? `; a newer version migrated it too (${result.newerMigrations.join(', ')}): upgrade this instance` : '';
  return { id: 'store', title, status: newer ? 'warn' : 'pass', saw: `${result.engine}: every migration applied, a test write (rolled back) took ${result.writeMs} ms${newer}` };
}

export async function probeDisk(dataDir: string): Promise<InsideCheck> {
  const title = 'disk room under DATA_DIR';
  try {
    const stats = await statfs(dataDir);
    const free = stats.bavail * stats.bsize;
    const total = stats.blocks * stats.bsize;
    const saw = `${formatBytes(free)} free of ${formatBytes(total)}`;
    if (free < MIN_FREE_BYTES) return { id: 'disk', title, status: 'fail', saw, fix: `free space on the DATA_DIR volume or make it larger (at least ${formatBytes(MIN_FREE_BYTES)} free)` };
    return { id: 'disk', title, status: 'pass', saw };
  } catch (error) {
    return { id: 'disk', title, status: 'fail', saw: `cannot read DATA_DIR: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, fix: 'check that DATA_DIR exists and is mounted' };
  }
}

/**
 * The clock against the HTTP Date of the first vendor that answers (Deepgram, ElevenLabs,
 * Twilio, a webhook receiver: whichever is configured). Date has one-second resolution, so only
 * offsets of seconds count. Unknown when none answers: nothing else is asked.
 */
export async function probeClock(sources: readonly string[], timeoutMs: number): Promise<InsideCheck> {
  const title = 'clock in sync';
  for (const source of sources) {
    const sentMs = Date.now();
    let date: string | null;
    try {
      const res = await fetch(source, { method: 'HEAD', redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
      date = res.headers.get('date');
    } catch {
      continue;
    }
    const theirs = date ? Date.parse(date) : Number.NaN;
    if (Number.isNaN(theirs)) continue;
    const receivedMs = Date.now();
    // Their second began somewhere in [theirs, theirs + 1000): compare with the middle of our wait.
    const offsetMs = Math.round((sentMs + receivedMs) / 2 - (theirs + 500));
    const saw = `${Math.abs(offsetMs) < 1000 ? 'within a second of' : `${(offsetMs / 1000).toFixed(1)} s off`} ${new URL(source).host}'s HTTP Date`;
    if (Math.abs(offsetMs) > CLOCK_FAIL_MS) return { id: 'clock', title, status: 'fail', saw, fix: 'synchronise the host clock (chrony or systemd-timesyncd with NTP): signed webhooks and tokens carry timestamps' };
    if (Math.abs(offsetMs) > CLOCK_WARN_MS) return { id: 'clock', title, status: 'warn', saw, fix: 'check the host clock\'s NTP synchronisation' };
    return { id: 'clock', title, status: 'pass', saw };
  }
  return { id: 'clock', title, status: 'skip', saw: sources.length === 0 ? 'unknown: no vendor is configured to compare with' : 'unknown: no configured vendor answered with a Date' };
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
  if (bytes >= 1024 ** 2) return `${Math.round(bytes / 1024 ** 2)} MiB`;
  return `${Math.round(bytes / 1024)} KiB`;
}
