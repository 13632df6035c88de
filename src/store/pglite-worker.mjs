// The embedded database's own thread. PGlite runs Postgres compiled to WebAssembly, and a query
// runs synchronously inside the thread that calls it: on the bridge's main thread, a burst of
// commits (300 callers answering at once) stalled the audio path for over a second. Here it
// blocks only this thread. Plain JavaScript, so the same file runs from src/ (tsx, jest) and dist/.
//
// workerData: { folder: string } or { loadDataDir: Blob } (an in-memory copy, for tests);
// { folder, initOnly: true } creates the folder's database (initdb), closes it and posts { id: 0 }.
// Messages in:  { id, op: 'query', sql, params } | { id, op: 'batch', queries: [{ sql, params }] } | { id, op: 'close' }
// Messages out: { id, ok: true, result } | { id, ok: false, error: { message, code, severity } }
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';

// int8 (counts, identities) as a number, as the pg pool is configured: both engines agree.
const parsers = { 20: (text) => Number(text) };

// Postgres' buffer pool. initdb writes 128MB into postgresql.conf, and PGlite touches all of it at
// start: 128 MB of the idle process's RSS (measured: 329 → 205 MB for this thread at 32MB, 190 at
// 16MB). The bridge's working set (today's calls, their answers, the indexes the console reads)
// is a few MB, and a page not in the pool is one read from the OS page cache, not the disk.
// A start parameter, not the conf file: the data folder is left as initdb wrote it.
const startParams = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];

const pglite = workerData.folder
  ? new PGlite(workerData.folder, { parsers, startParams })
  : new PGlite({ loadDataDir: workerData.loadDataDir, parsers, startParams });

pglite.waitReady.then(
  async () => {
    if (workerData.initOnly) await pglite.close();
    parentPort.postMessage({ id: 0, ok: true, result: null });
  },
  (error) => parentPort.postMessage({ id: 0, ok: false, error: describe(error) }),
);

// One message at a time, in arrival order: the main thread may post a batch while the previous
// one runs (it does not wait for each reply), and statements of different messages never interleave.
// (An initOnly thread gets no messages, but listening keeps it alive until the parent ends it.)
let turn = Promise.resolve();
parentPort.on('message', (message) => {
  turn = turn.then(() => handle(message));
});

async function handle(message) {
  try {
    if (message.op === 'query') {
      const { rows, affectedRows, command } = await pglite.query(message.sql, message.params);
      parentPort.postMessage({ id: message.id, ok: true, result: { rows, affectedRows, command } });
    } else if (message.op === 'batch') {
      // One transaction, one round trip: a call's save does not wait for the main thread between statements.
      await pglite.transaction(async (tx) => {
        for (const query of message.queries) await tx.query(query.sql, query.params);
      });
      parentPort.postMessage({ id: message.id, ok: true, result: null });
    } else if (message.op === 'close') {
      if (!pglite.closed) await pglite.close();
      parentPort.postMessage({ id: message.id, ok: true, result: null });
    } else {
      parentPort.postMessage({ id: message.id, ok: false, error: { message: `unknown operation ${String(message.op)}` } });
    }
  } catch (error) {
    parentPort.postMessage({ id: message.id, ok: false, error: describe(error) });
  }
}

/** What crosses the thread boundary of an error: Postgres' code and severity, never the row it quotes. */
function describe(error) {
  return {
    message: error instanceof Error ? error.message : String(error),
    code: typeof error?.code === 'string' ? error.code : undefined,
    severity: typeof error?.severity === 'string' ? error.severity : undefined,
  };
}
