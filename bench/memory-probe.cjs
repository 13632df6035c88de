// Preloaded (`node --require`) into the bridge that `npm run bench -- --idle` starts: on SIGUSR2
// the main thread writes its process.memoryUsage() (heap, external, array buffers) as JSON to
// MEMORY_PROBE_FILE. Plain CommonJS, so plain node preloads it before dist/main.js. Nothing else.
const { writeFileSync } = require('node:fs');
const { isMainThread } = require('node:worker_threads');

const file = process.env.MEMORY_PROBE_FILE;
if (file && isMainThread) {
  process.on('SIGUSR2', () => writeFileSync(file, JSON.stringify(process.memoryUsage())));
}
