// Preloaded into the language server by scripts/soak.mjs (node --expose-gc
// --require this): on SIGUSR2 it runs a full garbage collection and writes
// the heap in use to stderr, so memory samples do not depend on when the
// collector last ran. Test tooling only: never shipped, never in dist/.
'use strict';
process.on('SIGUSR2', () => {
  if (typeof global.gc === 'function') global.gc();
  const { heapUsed, external, rss } = process.memoryUsage();
  process.stderr.write(`[soak-heap] ${heapUsed} ${external} ${rss}\n`);
});
