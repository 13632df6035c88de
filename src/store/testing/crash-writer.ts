/**
 * A child process for the crash test: opens the store in the folder given, then saves calls
 * until it is killed, printing `saved <id>` after each save has committed. Run with tsx.
 */
import { createLogger } from '../../observability/logger';
import { openStore } from '../store';
import { EVERY_ANSWER_TYPE, snapshot } from './calls-contract';

async function main(dataDir: string): Promise<void> {
  const store = await openStore({ dataDir, logger: createLogger({ level: 'silent' }) });
  process.stdout.write(`ready ${process.pid}\n`);
  for (;;) {
    const call = snapshot({ answers: EVERY_ANSWER_TYPE, flags: [{ item: 'fever', action: 'flag', value: true, raisedAt: '2025-03-01T08:00:30.000Z' }] });
    await store.calls.save(call, 'crash-writer');
    process.stdout.write(`saved ${call.id}\n`);
  }
}

main(process.argv[2] ?? '').catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
