// The floor and our analysis without the protocol, each in a fresh Node
// process started by run.mjs (so "cold" really is the first call in a process):
//
//   node --expose-gc scripts/bench/inprocess.mjs cold-parse    <service.cjs> <plan file> [node|browser]
//   node --expose-gc scripts/bench/inprocess.mjs cold-analysis <service.cjs> <plan file>
//   node --expose-gc scripts/bench/inprocess.mjs warm          <service.cjs> <plan file> <repetitions> <edits>
//
// Prints one JSON object on stdout. <service.cjs> is server/src/service bundled
// by run.mjs from the current sources; `yaml` is the project's own dependency,
// its Node build (what `require('yaml')` gives) unless `browser` is asked for:
// the build our bundles use (scripts/nodeBuilds.mjs).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { EditedText, durationLines, editLines } from './workload.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(path.join(repoRoot, 'package.json'));
/** Whole-workload time cap for the repeated (warm) measurements of one size. */
const WARM_BUDGET_MS = 20_000;

/** @param {number[]} values */
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

const gc = /** @type {(() => void) | undefined} */ (globalThis.gc);

const WARM_UP_ITERATIONS = 6;
const WARM_UP_MS = 2_000;

/**
 * Runs `work` until the JIT has seen it enough: WARM_UP_ITERATIONS times, or fewer when that takes
 * longer than WARM_UP_MS (big plans), at least once. (A 100-task parse takes 160 ms the first time
 * and 12 ms from the fifth on.)
 * @param {() => unknown} work @param {number} [most]
 */
function warmUp(work, most = WARM_UP_ITERATIONS) {
  const start = performance.now();
  for (let index = 0; index < most && (index === 0 || performance.now() - start < WARM_UP_MS); index++) work();
}

/** @template T @param {() => T} work @returns {{ ms: number, value: T }} */
function time(work) {
  gc?.();
  const start = performance.now();
  const value = work();
  return { ms: performance.now() - start, value };
}

const [mode, bundle, planFile, repetitionsArg = '5', editsArg = '20'] = process.argv.slice(2);
const text = readFileSync(planFile, 'utf8');
const uri = `file:///bench/${path.basename(planFile)}`;
/** @typedef {{ parseDocument: (text: string) => unknown }} Yaml */
/** @type {Yaml} */
const yaml = require('yaml');
/** @returns {Promise<Yaml>} */
const yamlBrowserBuild = () => import(pathToFileURL(path.join(repoRoot, 'node_modules', 'yaml', 'browser', 'index.js')).href);

/** @returns {{ createPlanService: (options?: object) => { getDiagnostics: (document: { uri: string, version: number, text: string }, options?: object) => { code?: string }[] } } }} */
const loadService = () => require(path.resolve(bundle));

/** @type {Record<string, unknown>} */
let result;
if (mode === 'cold-parse') {
  const build = repetitionsArg === 'browser' ? await yamlBrowserBuild() : yaml;
  const { ms } = time(() => build.parseDocument(text));
  result = repetitionsArg === 'browser' ? { coldBrowserBuildParseMs: ms } : { coldParseMs: ms };
} else if (mode === 'cold-analysis') {
  const { createPlanService } = loadService();
  const { ms, value } = time(() => createPlanService().getDiagnostics({ uri, version: 1, text }));
  result = { coldAnalysisMs: ms, diagnostics: value.length };
} else if (mode === 'warm') {
  const repetitions = Math.max(1, Number(repetitionsArg));
  const editCount = Math.max(1, Number(editsArg));
  const { createPlanService } = loadService();
  const repeat = (/** @type {() => unknown} */ work) => {
    warmUp(work);
    const samples = [];
    const deadline = performance.now() + WARM_BUDGET_MS / 3;
    for (let index = 0; index < repetitions && (index === 0 || performance.now() < deadline); index++) samples.push(time(work).ms);
    return { medianMs: median(samples), samples: samples.length };
  };
  const parse = repeat(() => yaml.parseDocument(text));
  const browserBuild = await yamlBrowserBuild();
  const browserBuildParse = repeat(() => browserBuild.parseDocument(text));
  // A fresh service each time (no cached analysis), in a process whose JIT has seen this plan.
  let service = createPlanService();
  const analysis = repeat(() => {
    service = createPlanService();
    return service.getDiagnostics({ uri, version: 1, text });
  });
  // The last of those services (it has analysed version 1), then the same one-character edits as
  // over the protocol: what an edit costs the service.
  const edited = new EditedText(text);
  // Warm-up edits go to the other set of places (phase 1); the measured ones to phase 0, as over the protocol.
  const warmUpLines = editLines(text, WARM_UP_ITERATIONS, 1);
  warmUp(() => {
    const line = /** @type {number} */ (warmUpLines.shift());
    edited.insertAtLineEnd(line, 'x');
    return service.getDiagnostics({ uri, version: edited.version, text: edited.text });
  }, warmUpLines.length);
  const editSamples = [];
  const deadline = performance.now() + WARM_BUDGET_MS / 3;
  for (const line of editLines(text, editCount, 0)) {
    edited.insertAtLineEnd(line, 'x');
    const document = { uri, version: edited.version, text: edited.text };
    editSamples.push(time(() => service.getDiagnostics(document)).ms);
    if (performance.now() > deadline && editSamples.length >= 3) break;
  }
  // Edits that move dates (a duration one unit longer): the schedule cannot be carried over.
  const rescheduleSamples = [];
  const rescheduleDeadline = performance.now() + WARM_BUDGET_MS / 3;
  for (const line of durationLines(text, editCount, 0)) {
    edited.lengthenDuration(line);
    const document = { uri, version: edited.version, text: edited.text };
    rescheduleSamples.push(time(() => service.getDiagnostics(document)).ms);
    if (performance.now() > rescheduleDeadline && rescheduleSamples.length >= 3) break;
  }
  result = {
    warmParseMs: parse.medianMs,
    parseSamples: parse.samples,
    warmBrowserBuildParseMs: browserBuildParse.medianMs,
    warmAnalysisMs: analysis.medianMs,
    analysisSamples: analysis.samples,
    editAnalysisMs: median(editSamples),
    editSamples: editSamples.length,
    rescheduleEditAnalysisMs: median(rescheduleSamples),
    rescheduleEditSamples: rescheduleSamples.length,
  };
} else {
  process.stderr.write(`unknown mode ${mode}\n`);
  process.exit(2);
}
process.stdout.write(`${JSON.stringify(result)}\n`);
