// Worker thread that runs the espeak-ng WebAssembly build, one sentence per job, off the main
// event loop. Plain ESM JavaScript on purpose: it loads unchanged from src/ (jest, tsx) and from
// dist/ (copied there by the build), with no TypeScript loader in the worker.
//
// Protocol (see worker-pool.ts):
//   worker → parent  { type: 'ready', startupMs }
//   parent → worker  { type: 'job', id, payload: { text, voice } }
//   worker → parent  { type: 'done', id, result: { wav: Uint8Array, synthMs } }   (wav transferred)
//                    { type: 'failed', id, message }
//
// Speed (one Arabic sentence of 6 s of audio, medians on a loaded 2-core machine):
// - The 18 MB module is read and compiled once per worker; each job instantiates it afresh
//   (espeak's main() runs once per instance) through Emscripten's `instantiateWasm` hook.
//   Alone this gains little (~250 → ~200 ms): V8 already reuses compiled code for identical bytes.
// - This is an ASSERTIONS build: its FS error objects capture and demangle a stack trace, and
//   start-up registers ~450 embedded files, throwing EEXIST once per file. Stack traces are off
//   while a job runs (Error.stackTraceLimit = 0): ~200 → ~120 ms. The embedded files are
//   registered by a loader that creates each directory once: ~120 → ~80 ms.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parentPort } from 'node:worker_threads';

if (!parentPort) throw new Error('espeak-worker.mjs must run in a worker thread');
const port = parentPort;

const startedAt = performance.now();
const require = createRequire(import.meta.url);
const entryPath = require.resolve('espeak-ng');
const wasmPath = path.join(path.dirname(entryPath), 'espeak-ng.wasm');
const { default: ESpeakNg } = await import(pathToFileURL(entryPath).href);
// The 18 MB of bytes are not kept: only the compiled module is.
const wasmModule = await WebAssembly.compile(await readFile(wasmPath));
const decoder = new TextDecoder();

const IN_PATH = '/tmp/in.txt';
const OUT_PATH = '/tmp/out.wav';

/**
 * Registers the files embedded in the wasm data segment in the in-memory FS. Same effect as
 * Emscripten's own `_emscripten_fs_load_embedded_files`: a table of {name, size, data} pointers,
 * each file a view of wasm memory (never written), but each directory is created only once.
 */
function embeddedFileLoader(getModule, getMemory) {
  return (tablePointer) => {
    const FS = getModule().FS;
    const buffer = getMemory().buffer;
    const u32 = new Uint32Array(buffer);
    const u8 = new Uint8Array(buffer);
    const i8 = new Int8Array(buffer);
    const directories = new Set(['/']);
    let ptr = tablePointer;
    do {
      const nameAddress = u32[ptr >> 2];
      const size = u32[(ptr + 4) >> 2];
      const content = u32[(ptr + 8) >> 2];
      ptr += 12;
      let end = nameAddress;
      while (u8[end] !== 0) end++;
      const name = decoder.decode(u8.subarray(nameAddress, end));
      const directory = path.posix.dirname(name);
      if (!directories.has(directory)) {
        let current = '';
        for (const part of directory.split('/')) {
          if (!part) continue;
          current += `/${part}`;
          if (directories.has(current)) continue;
          try {
            FS.mkdir(current);
          } catch {
            // exists already (created by the runtime, e.g. /tmp)
          }
          directories.add(current);
        }
      }
      FS.createDataFile(name, null, i8.subarray(content, content + size), true, true, true);
    } while (u32[ptr >> 2] !== 0);
  };
}

async function synthesize(text, voice) {
  const messages = [];
  let fail;
  const failed = new Promise((_, reject) => {
    fail = reject;
  });
  const moduleArgs = {
    arguments: ['-v', voice, '-b', '1', '-w', OUT_PATH, '-f', IN_PATH],
    preRun: [(module) => module.FS.writeFile(IN_PATH, text)],
    print: () => {},
    printErr: (line) => messages.push(String(line)),
    // Never touch process.exitCode when espeak calls exit(); just unwind.
    quit: (_status, toThrow) => {
      throw toThrow;
    },
    instantiateWasm(imports, receiveInstance) {
      let memory;
      if (typeof imports.env?._emscripten_fs_load_embedded_files === 'function') {
        imports.env._emscripten_fs_load_embedded_files = embeddedFileLoader(
          () => moduleArgs,
          () => memory,
        );
      }
      WebAssembly.instantiate(wasmModule, imports)
        .then((instance) => {
          memory = instance.exports.memory;
          // Runs the runtime's start-up and espeak's main() synchronously.
          receiveInstance(instance, wasmModule);
        })
        .catch(fail);
      return {};
    },
  };
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  let instance;
  try {
    instance = await Promise.race([ESpeakNg(moduleArgs), failed]);
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  const info = instance.FS.analyzePath(OUT_PATH);
  if (!info.exists) {
    const detail = messages.filter((m) => !m.startsWith('program exited')).join(' ').trim();
    throw new Error(detail || 'espeak-ng produced no output');
  }
  // readFile copies into a fresh Uint8Array: nothing keeps this instance's 32 MB memory alive.
  return instance.FS.readFile(OUT_PATH);
}

// Jobs run one at a time (the pool sends one at a time; this chain keeps it true regardless).
let chain = Promise.resolve();
port.on('message', (message) => {
  if (message?.type !== 'job') return;
  const { id, payload } = message;
  chain = chain.then(async () => {
    const t0 = performance.now();
    try {
      const wav = await synthesize(String(payload.text), String(payload.voice));
      port.postMessage({ type: 'done', id, result: { wav, synthMs: performance.now() - t0 } }, [wav.buffer]);
    } catch (error) {
      port.postMessage({ type: 'failed', id, message: error instanceof Error ? error.message : String(error) });
    }
  });
});

port.postMessage({ type: 'ready', startupMs: performance.now() - startedAt });
