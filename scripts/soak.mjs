// Soak test of the language server (npm run soak): one server process over
// stdio, many random edits to a generated plan — typing, deleting, pasting,
// cutting, breaking the YAML and fixing it, undoing, and every 1,000 edits a
// revert to the original text (so the workload stays the same over a long
// run) — with completion, hover and planView requests in between. Every 100
// edits it waits for the diagnostics of the current version, has the server
// run a full garbage collection (scripts/soak-gc-probe.cjs, preloaded) and
// samples its resident memory (/proc/<pid>/status VmRSS) and heap in use. At
// the end the diagnostics and the planView must equal those of a fresh server
// opened on the final text, and RSS at the end must be within 10% of RSS
// after the first 1,000 edits; both sides are medians of 10 samples (edits
// 1,000–1,900 and the last 1,000), since RSS also moves with what the
// allocator keeps after a collection. It also prints the heap of the soaked
// server and of a fresh one on the final text: a leak shows as a difference.
//
//   node scripts/soak.mjs [--edits 10000] [--tasks 1000] [--seed 1] [--server dist/server.js]
//
// The bounded version (1,000 edits, correctness only) runs in the protocol
// tests (test/protocol/resilience.test.ts), which import soak() from here.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generatePlan, random } from './bench/generatePlan.mjs';
import { LspClient } from './bench/lspClient.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const serverIndex = process.argv.indexOf('--server');
const serverBundle = serverIndex >= 0 ? path.resolve(process.argv[serverIndex + 1]) : path.join(repoRoot, 'dist', 'server.js');
const gcProbe = path.join(repoRoot, 'scripts', 'soak-gc-probe.cjs');
const REQUEST_TIMEOUT_MS = 60_000;

/** @typedef {{ line: number, character: number }} Position */
/** @typedef {{ range: { start: Position, end: Position }, text: string }} Change */

/** Characters someone types; most are plain, some are YAML's own. */
const TYPED = 'abcdefghijklmnopqrstuvwxyz-_ 0123456789:,[]';
/** Snippets that break YAML (or the schema) where they land; undo fixes them. */
const BREAKERS = ['\t', ': :', '[', ']', '"', "'", '{', '- ', '&a ', '*nowhere ', '? ', '|\n', '\n  x', '\n- id:', '#'];

/**
 * A document being edited at random, reproducibly (seeded): its lines, its
 * version, a cursor that typing follows, and an undo stack. Every edit is one
 * incremental change, as an editor sends it.
 */
export class RandomEditor {
  /** @param {string} text @param {number} seed */
  constructor(text, seed) {
    this.lines = text.split('\n');
    this.version = 1;
    this.next = random(seed);
    /** @type {Change[]} inverses of the edits made, newest last */
    this.undoStack = [];
    this.originalLines = this.lines.length;
    this.original = [...this.lines];
    this.cursor = { line: Math.floor(this.lines.length / 2), character: 0 };
    /** Edits of each kind, for the report. */
    this.counts = { type: 0, delete: 0, paste: 0, cut: 0, break: 0, fix: 0, undo: 0, revert: 0 };
    /** A break waiting for its fix: the undo depth before it, and how many edits until the fix starts. */
    this.pendingBreak = undefined;
  }

  get text() {
    return this.lines.join('\n');
  }

  /** @param {number} n */
  int(n) {
    return Math.floor(this.next() * n);
  }

  randomPosition() {
    const line = this.int(this.lines.length);
    return { line, character: this.int(this.lines[line].length + 1) };
  }

  /**
   * Applies a change and returns its inverse.
   * @param {Change} change @returns {Change}
   */
  apply(change) {
    const { start, end } = change.range;
    const before = this.lines[start.line].slice(0, start.character);
    const after = this.lines[end.line].slice(end.character);
    const removed = start.line === end.line ? this.lines[start.line].slice(start.character, end.character) : [this.lines[start.line].slice(start.character), ...this.lines.slice(start.line + 1, end.line), this.lines[end.line].slice(0, end.character)].join('\n');
    const inserted = change.text.split('\n');
    const replacement = inserted.length === 1 ? [before + inserted[0] + after] : [before + inserted[0], ...inserted.slice(1, -1), inserted[inserted.length - 1] + after];
    this.lines.splice(start.line, end.line - start.line + 1, ...replacement);
    this.version++;
    const endLine = start.line + inserted.length - 1;
    const endCharacter = inserted.length === 1 ? start.character + inserted[0].length : inserted[inserted.length - 1].length;
    return { range: { start, end: { line: endLine, character: endCharacter } }, text: removed };
  }

  /** @param {Change} change @returns {Change} */
  edit(change) {
    this.undoStack.push(this.apply(change));
    if (this.undoStack.length > 400 && !this.pendingBreak) this.undoStack.shift();
    return change;
  }

  /** The next edit, applied here; returns the change to send. */
  nextEdit() {
    // A break is fixed a few edits later, as someone notices the red squiggle: undo back to before it, one step per edit.
    if (this.pendingBreak && --this.pendingBreak.wait <= 0) {
      this.counts.fix++;
      const change = this.undoOne();
      if (this.undoStack.length <= this.pendingBreak.depth) this.pendingBreak = undefined;
      return change;
    }
    if (this.next() < 0.1) this.cursor = this.randomPosition();
    const grown = this.lines.length / this.originalLines;
    const roll = this.next();
    // Keep the plan near its size: a long run of pastes or cuts is pulled back.
    if (grown > 1.3 || (roll < 0.05 && grown > 0.8)) return this.cut();
    if (grown < 0.8 || roll < 0.1) return this.paste();
    if (roll < 0.15 && !this.pendingBreak) return this.break();
    if (roll < 0.33 && this.undoStack.length > (this.pendingBreak?.depth ?? 0) + 1) {
      this.counts.undo++;
      return this.undoOne();
    }
    if (roll < 0.5) return this.backspace();
    return this.type();
  }

  type() {
    this.counts.type++;
    const at = this.clampCursor();
    const character = TYPED[this.int(TYPED.length)];
    const change = this.edit({ range: { start: at, end: at }, text: character });
    this.cursor = { line: at.line, character: at.character + 1 };
    return change;
  }

  backspace() {
    this.counts.delete++;
    const at = this.clampCursor();
    const start = at.character > 0 ? { line: at.line, character: at.character - 1 } : at.line > 0 ? { line: at.line - 1, character: this.lines[at.line - 1].length } : at;
    const change = this.edit({ range: { start, end: at }, text: '' });
    this.cursor = start;
    return change;
  }

  paste() {
    this.counts.paste++;
    // Lines copied from the original plan (a task or part of one), pasted at a line start.
    const length = 2 + this.int(8);
    const from = this.int(Math.max(1, this.original.length - length));
    const text = `${this.original.slice(from, from + length).join('\n')}\n`;
    const at = { line: this.int(this.lines.length), character: 0 };
    const change = this.edit({ range: { start: at, end: at }, text });
    this.cursor = { line: at.line + length, character: 0 };
    return change;
  }

  cut() {
    this.counts.cut++;
    const length = 1 + this.int(6);
    const start = { line: this.int(Math.max(1, this.lines.length - length - 1)), character: 0 };
    const end = { line: Math.min(this.lines.length - 1, start.line + length), character: 0 };
    const change = this.edit({ range: { start, end }, text: '' });
    this.cursor = start;
    return change;
  }

  break() {
    this.counts.break++;
    this.pendingBreak = { depth: this.undoStack.length, wait: 1 + this.int(20) };
    const at = this.clampCursor();
    return this.edit({ range: { start: at, end: at }, text: BREAKERS[this.int(BREAKERS.length)] });
  }

  undoOne() {
    const change = /** @type {Change} */ (this.undoStack.pop());
    this.apply(change);
    this.cursor = change.range.start;
    return change;
  }

  /** The whole document back to the plan it started as, in one edit (a revert, a checkout): keeps a long run stationary. */
  revertAll() {
    this.counts.revert++;
    const end = { line: this.lines.length - 1, character: this.lines[this.lines.length - 1].length };
    const change = { range: { start: { line: 0, character: 0 }, end }, text: this.original.join('\n') };
    this.apply(change);
    this.undoStack = [];
    this.pendingBreak = undefined;
    this.cursor = { line: Math.floor(this.lines.length / 2), character: 0 };
    return change;
  }

  clampCursor() {
    const line = Math.min(this.cursor.line, this.lines.length - 1);
    return { line, character: Math.min(this.cursor.character, this.lines[line].length) };
  }
}

/** An LspClient that also keeps the server's error log lines (an exception in a handler is logged, not thrown). */
class SoakClient extends LspClient {
  constructor(name) {
    // The probe answers SIGUSR2 with a full collection and the heap in use (see scripts/soak-gc-probe.cjs).
    super({ name, command: process.execPath, args: ['--expose-gc', '--require', gcProbe, serverBundle, '--stdio'], cwd: repoRoot });
    /** @type {string[]} */
    this.errors = [];
    /** The newest version sent to the server, and how many publications arrived for an older one. */
    this.sentVersion = 1;
    this.stalePublications = 0;
    /** @type {((memory: { heapUsed: number, external: number }) => void)[]} */
    this.heapWaiters = [];
    let partial = '';
    this.child.stderr.on('data', (chunk) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        const match = /^\[soak-heap\] (\d+) (\d+)/.exec(line);
        if (match) for (const waiter of this.heapWaiters.splice(0)) waiter({ heapUsed: Number(match[1]), external: Number(match[2]) });
      }
    });
  }

  /**
   * Memory after a full garbage collection in the server: its heap in use and
   * its resident set. One sample of RSS otherwise swings by tens of MB with
   * the collector's timing.
   * @returns {Promise<{ rssKiB: number, heapKiB: number, externalKiB: number }>}
   */
  async memoryAfterGc() {
    const { heapUsed, external } = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.name}: no answer to SIGUSR2 (the heap probe) within 30 s`)), 30_000);
      this.heapWaiters.push((value) => {
        clearTimeout(timer);
        resolve(value);
      });
      this.child.kill('SIGUSR2');
    });
    return { rssKiB: this.memory().rssKiB, heapKiB: Math.round(heapUsed / 1024), externalKiB: Math.round(external / 1024) };
  }

  onMessage(message, at, bytes) {
    if (message.method === 'window/logMessage' && message.params?.type === 1) this.errors.push(String(message.params.message));
    if (message.method === 'textDocument/publishDiagnostics' && (message.params?.version ?? 0) < this.sentVersion) this.stalePublications++;
    super.onMessage(message, at, bytes);
  }
}

const INITIALIZE = { processId: process.pid, rootUri: null, workspaceFolders: null, capabilities: { textDocument: { publishDiagnostics: { versionSupport: true } } } };

/** Diagnostics as comparable values (the server's order). */
function comparable(diagnostics) {
  return diagnostics.map(({ range, severity, code, source, message }) => ({ range, severity, code, source, message }));
}

/**
 * Runs the soak. Returns what it saw; throws if the server dies, a request
 * fails or times out, or the end state differs from a fresh server's.
 * @param {{ tasks?: number, edits?: number, seed?: number, sampleEvery?: number, revertEvery?: number, log?: (line: string) => void }} [options]
 */
export async function soak({ tasks = 1000, edits = 10_000, seed = 1, sampleEvery = 100, revertEvery = 1000, log = () => {} } = {}) {
  if (!existsSync(serverBundle)) throw new Error(`missing ${path.relative(repoRoot, serverBundle)}: run \`node esbuild.mjs\``);
  const started = performance.now();
  const text = generatePlan(tasks, seed);
  const uri = 'file:///soak/soak.plan.yaml';
  const editor = new RandomEditor(text, seed * 7919 + 1);
  const server = new SoakClient('soaked server');
  /** @type {{ edits: number, rssKiB: number, heapKiB: number, externalKiB: number, ms: number }[]} */
  const samples = [];
  let requests = 0;
  try {
    await server.initialize(INITIALIZE, 30_000);
    server.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'plan-yaml', version: 1, text } });
    await server.waitForPublication((publication) => publication.params.uri === uri && publication.params.version === 1, 60_000, 'diagnostics of version 1');
    samples.push({ edits: 0, ...(await server.memoryAfterGc()), ms: performance.now() - started });
    let untilRequest = 1 + editor.int(12);
    for (let index = 1; index <= edits; index++) {
      // Halfway through every `revertEvery` edits the plan goes back to where it started, so a long run is the same
      // workload over and over (broken YAML, pasted duplicates and cut tasks do not pile up): memory can then be compared.
      const change = index % revertEvery === revertEvery / 2 ? editor.revertAll() : editor.nextEdit();
      server.sentVersion = editor.version;
      server.notify('textDocument/didChange', { textDocument: { uri, version: editor.version }, contentChanges: [change] });
      if (--untilRequest === 0) {
        untilRequest = 1 + editor.int(12);
        requests++;
        const kind = editor.int(3);
        const position = kind === 0 ? editor.clampCursor() : editor.randomPosition();
        const method = kind === 0 ? 'textDocument/completion' : kind === 1 ? 'textDocument/hover' : 'blueprint/planView';
        const params = kind === 2 ? { uri } : { textDocument: { uri }, position };
        await server.request(method, params, REQUEST_TIMEOUT_MS);
      }
      if (index % sampleEvery === 0) {
        const version = editor.version;
        await server.waitForPublication((publication) => publication.params.uri === uri && publication.params.version === version, REQUEST_TIMEOUT_MS, `diagnostics of version ${version}`);
        const sample = { edits: index, ...(await server.memoryAfterGc()), ms: performance.now() - started };
        samples.push(sample);
        server.publications = server.publications.filter((publication) => (publication.params.version ?? 0) >= version); // keeps the client's own memory and searches small
        log(`${String(index).padStart(6)} edits  RSS ${(sample.rssKiB / 1024).toFixed(1).padStart(6)} MB  heap ${(sample.heapKiB / 1024).toFixed(1).padStart(6)} MB  external ${(sample.externalKiB / 1024).toFixed(1).padStart(5)} MB  ${(sample.ms / 1000).toFixed(1).padStart(6)} s`);
      }
    }
    const finalVersion = editor.version;
    const published = await server.waitForPublication((publication) => publication.params.uri === uri && publication.params.version === finalVersion, REQUEST_TIMEOUT_MS, 'diagnostics of the final version');
    const planView = await server.request('blueprint/planView', { uri }, REQUEST_TIMEOUT_MS);
    const errors = [...server.errors];
    const alive = server.exitCode === undefined;
    const soaked = await server.memoryAfterGc();
    await server.stop();

    // The same text in a fresh server.
    const fresh = new SoakClient('fresh server');
    let freshPublished;
    let freshPlanView;
    let freshMemory;
    try {
      await fresh.initialize(INITIALIZE, 30_000);
      fresh.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'plan-yaml', version: finalVersion, text: editor.text } });
      freshPublished = await fresh.waitForPublication((publication) => publication.params.uri === uri, 60_000, 'diagnostics of the final text');
      freshPlanView = await fresh.request('blueprint/planView', { uri }, REQUEST_TIMEOUT_MS);
      freshMemory = await fresh.memoryAfterGc();
    } finally {
      await fresh.stop();
    }
    return {
      tasks,
      edits,
      requests,
      counts: editor.counts,
      finalVersion,
      finalLines: editor.lines.length,
      originalLines: editor.originalLines,
      samples,
      // The soaked server and a fresh one on the same text, each after a full collection: a leak shows as a difference.
      soaked,
      fresh: freshMemory,
      durationMs: performance.now() - started,
      // Publications for an older version than the newest sent when they arrived (not an error: that edit may not have reached the server yet).
      stalePublications: server.stalePublications,
      errors,
      alive,
      diagnostics: comparable(published.params.diagnostics),
      freshDiagnostics: comparable(freshPublished.params.diagnostics),
      planView,
      freshPlanView,
    };
  } finally {
    await server.stop();
  }
}

function argument(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

async function main() {
  const edits = argument('edits', 10_000);
  const tasks = argument('tasks', 1000);
  const seed = argument('seed', 1);
  console.log(`soak: ${edits} random edits on a generated plan of ${tasks} tasks (seed ${seed}), one server over stdio`);
  const result = await soak({ tasks, edits, seed, log: (line) => console.log(line) });
  const mb = (kib) => `${(kib / 1024).toFixed(1)} MB`;
  const median = (samples, key = 'rssKiB') => {
    const sorted = samples.map((sample) => sample[key]).sort((a, b) => a - b);
    return sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  };
  const after1000 = result.samples.filter((sample) => sample.edits >= Math.min(1000, edits)).slice(0, 10);
  const atEnd = result.samples.slice(-10);
  const at1000 = result.samples.find((sample) => sample.edits === Math.min(1000, edits)) ?? result.samples[0];
  const last = result.samples[result.samples.length - 1];
  console.log('\nRSS every 1,000 edits:');
  const peak = Math.max(...result.samples.map((sample) => sample.rssKiB));
  for (const sample of result.samples.filter((candidate) => candidate.edits % 1000 === 0)) {
    console.log(`${String(sample.edits).padStart(6)}  RSS ${mb(sample.rssKiB).padStart(9)}  heap ${mb(sample.heapKiB).padStart(9)}  ${'#'.repeat(Math.round((sample.rssKiB / peak) * 50))}`);
  }
  console.log(`\nedits by kind: ${Object.entries(result.counts).map(([kind, count]) => `${kind} ${count}`).join(', ')}; ${result.requests} requests; plan ${result.originalLines} → ${result.finalLines} lines`);
  console.log(`publications older than an edit already sent: ${result.stalePublications}`);
  console.log(`duration: ${(result.durationMs / 1000).toFixed(1)} s`);
  const baseline = median(after1000);
  const end = median(atEnd);
  const growth = (end - baseline) / baseline;
  const percent = (value) => `${value >= 0 ? '+' : ''}${(value * 100).toFixed(1)}%`;
  console.log(`RSS after ${at1000.edits} edits ${mb(at1000.rssKiB)}, at the end ${mb(last.rssKiB)} (${percent((last.rssKiB - at1000.rssKiB) / at1000.rssKiB)}); peak ${mb(peak)}`);
  console.log(`median RSS over edits ${after1000[0].edits}–${after1000[after1000.length - 1].edits}: ${mb(baseline)}; over edits ${atEnd[0].edits}–${atEnd[atEnd.length - 1].edits}: ${mb(end)} (${percent(growth)})`);
  const heapBaseline = median(after1000, 'heapKiB');
  const heapEnd = median(atEnd, 'heapKiB');
  console.log(`median heap in use after a full collection: ${mb(heapBaseline)}, then ${mb(heapEnd)} (${percent((heapEnd - heapBaseline) / heapBaseline)})`);
  console.log(`on the final text, after a full collection: soaked server heap ${mb(result.soaked.heapKiB)}, RSS ${mb(result.soaked.rssKiB)}; fresh server heap ${mb(result.fresh.heapKiB)}, RSS ${mb(result.fresh.rssKiB)}`);

  const failures = [];
  if (!result.alive) failures.push('the server died');
  if (result.errors.length > 0) failures.push(`the server logged ${result.errors.length} error(s), the first:\n${result.errors[0]}`);
  if (JSON.stringify(result.diagnostics) !== JSON.stringify(result.freshDiagnostics)) failures.push('the final diagnostics differ from a fresh server\'s on the same text');
  if (JSON.stringify(result.planView) !== JSON.stringify(result.freshPlanView)) failures.push('the final planView differs from a fresh server\'s on the same text');
  if (Math.abs(growth) > 0.1) failures.push(`median RSS at the end is not within 10% of the median after ${at1000.edits} edits`);
  if (failures.length > 0) {
    console.error(`\nsoak FAILED:\n- ${failures.join('\n- ')}`);
    process.exit(1);
  }
  console.log('\nsoak passed: same diagnostics and planView as a fresh server; memory flat');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  });
}
