import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger } from '../src/observability/logger';
import { openStore } from '../src/store';
import { RawStream } from './helpers/raw-stream';
import { failedStart, startService } from './helpers/service';
import { waitFor } from './helpers/wait';

/**
 * The real entry point on its embedded database: one process per DATA_DIR, and a call cut by
 * kill -9 is found at the next start and closed as `interrupted` with its answers intact.
 */
test('a second process is refused; after kill -9 the open call is closed as interrupted with its answer', async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'bridge-store-'));
  const first = await startService({ DATA_DIR: dataDir });
  const refused = await failedStart({ DATA_DIR: dataDir });
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain('use DATABASE_URL to run several instances');

  // A call (development mode: no token) answers consent, then hears the next question.
  const s = await RawStream.open(first.base);
  s.start('CAcrash');
  await s.until((r) => r.some((m) => m['event'] === 'mark'), 15_000);
  s.echoMarks();
  const before = s.count('media');
  s.dtmf('1');
  await s.until((r) => r.filter((m) => m['event'] === 'media').length > before + 10, 15_000);
  await waitFor(() => first.lines.some((l) => l.includes('"answer recorded"')), 5000, 'answer recorded');
  // The snapshot write follows the log line; give it a moment before the crash.
  await new Promise((r) => setTimeout(r, 1000));
  // kill -9 the bridge itself (tsx runs it in a child process: its pid is the lock's owner).
  const bridgePid = (JSON.parse(readFileSync(path.join(dataDir, 'db.lock', 'owner.json'), 'utf8')) as { pid: number }).pid;
  process.kill(bridgePid, 'SIGKILL');
  first.child.kill('SIGKILL');
  await first.exited;
  await waitFor(() => {
    try {
      process.kill(bridgePid, 0);
      return false;
    } catch {
      return true;
    }
  }, 5000, 'the bridge process is gone');

  const second = await startService({ DATA_DIR: dataDir });
  const closed = second.lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l['msg'] === 'calls left open by a previous run closed as interrupted (their answers are kept)');
  expect(closed?.['interrupted']).toBe(1);
  second.child.kill('SIGTERM');
  expect((await second.exited).code).toBe(0);

  const store = await openStore({ dataDir, logger: createLogger({ level: 'silent' }) });
  try {
    const [call] = await store.calls.findByProviderCallId('twilio', 'CAcrash');
    expect(call?.status).toBe('interrupted');
    expect(call?.endedAt).not.toBeNull();
    expect(call?.answers['consent']?.value).toBe(true);
  } finally {
    await store.close();
  }
}, 120_000);
