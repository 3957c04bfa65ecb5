// npm run bench: our language server and Red Hat's yaml-language-server side
// by side on the same generated plans, plus the floor (a bare `yaml` parse)
// and our analysis in-process; prints a Markdown table, writes JSON, and
// evaluates the targets of issue 7. It reports missed targets; it fails only
// when a server cannot be installed, started, or does not do its job.
//
//   node scripts/bench/run.mjs [--sizes 100,1000,5000,20000] [--quick] [--out bench/results.json]
//
// See measureServer() for what each number counts.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generatePlan } from './generatePlan.mjs';
import { LspClient } from './lspClient.mjs';
import { ensurePeer, run } from './peer.mjs';
import { brokenPlan, completionPositions, EditedText, editLines, statusCheckLine } from './workload.mjs';
import { yamlWithoutEnvironmentLookups } from '../nodeBuilds.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const benchDir = path.join(repoRoot, '.bench');

// ---------------------------------------------------------------- options

const USAGE = `usage: node scripts/bench/run.mjs [--sizes 100,1000,5000,20000] [--quick] [--out bench/results.json]
  --sizes   task counts to generate and measure (default 100,1000,5000,20000)
  --quick   fewer repetitions (1 open per server, 8 edits per sync mode, 3 completions)
  --out     where to write the JSON results (default bench/results.json)
  --no-timeline  skip scripts/bench/timeline.mjs even if it exists`;

/** @typedef {{ sizes: number[], quick: boolean, out: string, timeline: boolean }} Options */

/** @param {string[]} argv @returns {Options} */
function parseOptions(argv) {
  /** @type {Options} */
  const options = { sizes: [100, 1000, 5000, 20000], quick: false, out: path.join(repoRoot, 'bench', 'results.json'), timeline: true };
  for (let index = 0; index < argv.length; index++) {
    const [flag, inline] = argv[index].split('=', 2);
    const value = () => inline ?? argv[++index];
    if (flag === '--sizes') {
      options.sizes = String(value() ?? '')
        .split(',')
        .map((part) => Number(part.replace(/_/g, '').trim()));
      if (options.sizes.length === 0 || options.sizes.some((size) => !Number.isInteger(size) || size < 10)) fail(`--sizes wants task counts of 10 or more, e.g. 100,1000\n${USAGE}`);
    } else if (flag === '--quick') options.quick = true;
    else if (flag === '--out') options.out = path.resolve(String(value()));
    else if (flag === '--no-timeline') options.timeline = false;
    else if (flag === '--help' || flag === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else fail(`unknown option ${argv[index]}\n${USAGE}`);
  }
  return options;
}

/** @param {string} message @returns {never} */
function fail(message) {
  console.error(`\nbench FAILED: ${message}`);
  process.exit(1);
}

const log = (/** @type {string} */ line) => console.error(`[bench] ${line}`);
/** The 1-minute load average when the run started: other work on the machine skews every number. */
const loadAtStart = Math.round(os.loadavg()[0] * 100) / 100;

// ---------------------------------------------------------------- numbers

/** @param {number[]} values */
function median(values) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** @param {number[]} values */
const summary = (values) => ({ medianMs: round(median(values)), minMs: round(Math.min(...values)), maxMs: round(Math.max(...values)), samples: values.length });

const round = (/** @type {number} */ value) => (Number.isFinite(value) ? Math.round(value * 10) / 10 : value);

/** Milliseconds for the table: 0.4 ms, 12 ms, 1,234 ms. */
function ms(/** @type {number | undefined} */ value) {
  if (value === undefined || !Number.isFinite(value)) return '–';
  return value < 10 ? `${value.toFixed(1)} ms` : `${Math.round(value).toLocaleString('en-US')} ms`;
}
const mb = (/** @type {number | undefined} */ kib) => (kib === undefined || !Number.isFinite(kib) ? '–' : `${Math.round(kib / 1024)} MB`);
const kb = (/** @type {number} */ bytes) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.round(bytes / 1024)} KB`);
const count = (/** @type {number} */ value) => value.toLocaleString('en-US');

// ---------------------------------------------------------------- our server's build

function newestMtime(/** @type {string} */ folder) {
  let newest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** Builds dist/server.js (npm run build) when it is missing or older than any server source. */
async function ensureServerBuilt() {
  const bundle = path.join(repoRoot, 'dist', 'server.js');
  const sources = Math.max(newestMtime(path.join(repoRoot, 'server', 'src')), statSync(path.join(repoRoot, 'esbuild.mjs')).mtimeMs);
  if (existsSync(bundle) && statSync(bundle).mtimeMs >= sources) return bundle;
  log(`dist/server.js is ${existsSync(bundle) ? 'older than server/src' : 'missing'}: building (node esbuild.mjs)`);
  const { code, output } = await run(process.execPath, ['esbuild.mjs'], repoRoot, 180_000);
  if (code !== 0 || !existsSync(bundle)) fail(`building the server failed (exit ${code}):\n${output.slice(-3000)}`);
  return bundle;
}

/** server/src/service bundled from the current sources, for the in-process measurements. */
async function bundleService() {
  const outfile = path.join(benchDir, 'build', 'service.cjs');
  const esbuild = await import('esbuild');
  try {
    // Bundled as the server bundles it (yaml's browser build: see scripts/nodeBuilds.mjs).
    await esbuild.build({ ...yamlWithoutEnvironmentLookups, absWorkingDir: repoRoot, entryPoints: [path.join(repoRoot, 'server', 'src', 'service', 'index.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile, logLevel: 'silent' });
  } catch (error) {
    fail(`bundling server/src/service for the in-process measurements failed: ${/** @type {Error} */ (error).message}`);
  }
  return outfile;
}

// ---------------------------------------------------------------- in-process floor

/**
 * @param {string} serviceBundle @param {string} planFile @param {string[]} args @param {number} timeoutMs
 * @returns {Promise<Record<string, number>>}
 */
function inProcess(serviceBundle, planFile, args, timeoutMs) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', path.join(repoRoot, 'scripts', 'bench', 'inprocess.mjs'), args[0], serviceBundle, planFile, ...args.slice(1)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`in-process ${args[0]} of ${path.basename(planFile)} took longer than ${timeoutMs / 1000} s`));
    }, timeoutMs);
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`in-process ${args[0]} failed (exit ${code}): ${stderr.slice(-2000)}`));
      try {
        resolve(JSON.parse(stdout));
      } catch {
        reject(new Error(`in-process ${args[0]} printed no JSON: ${stdout.slice(0, 500)} ${stderr.slice(-1000)}`));
      }
    });
  });
}

// ---------------------------------------------------------------- servers

/**
 * @typedef {object} ServerKind
 * @property {'blueprint' | 'yaml-language-server'} id
 * @property {string} label
 * @property {string[]} args node arguments that start it over stdio
 * @property {string} languageId
 * @property {boolean} versioned whether its publishDiagnostics carry the document version
 * @property {(section: string | undefined) => unknown} configuration answers workspace/configuration
 * @property {unknown} [pushSettings] sent with workspace/didChangeConfiguration after initialized
 * @property {(diagnostic: any, line: number) => boolean} schemaFinding what counts as "reported the schema defect"
 * @property {number} msPerTask for deadlines: a generous upper bound of its cost per task
 */

/** @returns {ServerKind} */
function ourServer(/** @type {string} */ bundle) {
  return {
    id: 'blueprint',
    label: 'Blueprint',
    args: [bundle, '--stdio'],
    languageId: 'plan-yaml',
    versioned: true,
    configuration: () => ({}),
    schemaFinding: (diagnostic, line) => diagnostic.code === 'schema' && diagnostic.range.start.line === line,
    msPerTask: 5,
  };
}

/** @returns {ServerKind} */
function peerServer(/** @type {string} */ serverScript) {
  const schemaUri = pathToFileURL(path.join(repoRoot, 'schemas', 'plan.schema.json')).href;
  const yamlSettings = {
    schemas: { [schemaUri]: ['*.plan.yaml', '*.plan.yml'] },
    validate: true,
    completion: true,
    hover: true,
    format: { enable: false },
    // No network here: without this it would fetch the schema store's catalogue.
    schemaStore: { enable: false },
    kubernetesCRDStore: { enable: false },
  };
  return {
    id: 'yaml-language-server',
    label: 'yaml-language-server',
    args: [serverScript, '--stdio'],
    languageId: 'yaml',
    versioned: false,
    configuration: (section) => (section === 'yaml' ? yamlSettings : section === 'http' ? { proxy: '', proxyStrictSSL: false } : {}),
    pushSettings: { yaml: yamlSettings },
    schemaFinding: (diagnostic, line) => diagnostic.range.start.line === line,
    msPerTask: 15,
  };
}

/** Deadlines: generous, scaled by the plan's size, never below a floor. */
const deadline = (/** @type {ServerKind} */ kind, /** @type {number} */ tasks, floorMs = 30_000) => Math.max(floorMs, tasks * kind.msPerTask);

/**
 * Starts a server, initializes it with a workspace folder, and proves it validates: a small plan
 * with a schema defect must come back with a diagnostic on the defect's line. The check also loads
 * the schema and warms the server up the same way for both servers, before any plan is timed.
 * @param {ServerKind} kind @param {string} folder
 */
async function startServer(kind, folder) {
  const client = new LspClient({
    name: kind.label,
    command: process.execPath,
    args: kind.args,
    cwd: folder,
    onRequest: (method, params) => (method === 'workspace/configuration' ? (params?.items ?? []).map((/** @type {{ section?: string }} */ item) => kind.configuration(item.section)) : null),
  });
  const folderUri = pathToFileURL(folder).href;
  try {
    const initialized = await client.initialize(
      {
        processId: process.pid,
        clientInfo: { name: 'blueprint-bench' },
        rootUri: folderUri,
        workspaceFolders: [{ uri: folderUri, name: path.basename(folder) }],
        capabilities: {
          workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true }, workspaceFolders: true },
          textDocument: {
            synchronization: { dynamicRegistration: false, didSave: true },
            publishDiagnostics: { versionSupport: true, relatedInformation: true, codeDescriptionSupport: true, dataSupport: true },
            completion: { completionItem: { snippetSupport: true } },
          },
        },
      },
      30_000,
    );
    if (kind.pushSettings) client.notify('workspace/didChangeConfiguration', { settings: kind.pushSettings });
    const sync = initialized?.capabilities?.textDocumentSync;
    const syncKind = typeof sync === 'number' ? sync : sync?.change;
    const broken = brokenPlan();
    const uri = `${folderUri}/broken-on-purpose.plan.yaml`;
    const sentAt = client.seq;
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: kind.languageId, version: 1, text: broken.text } });
    try {
      await client.waitForPublication((publication) => publication.seq > sentAt && publication.params.uri === uri && publication.params.diagnostics.some((diagnostic) => kind.schemaFinding(diagnostic, broken.line)), 30_000, 'schema diagnostic on a deliberately broken plan');
    } catch (error) {
      const got = client.publications.filter((publication) => publication.params.uri === uri).map((publication) => publication.params.diagnostics);
      throw new Error(`${kind.label} does not validate plans with schemas/plan.schema.json: ${/** @type {Error} */ (error).message}; it published ${JSON.stringify(got).slice(0, 800)}`);
    }
    if (kind.versioned) {
      const checked = client.publications.find((publication) => publication.seq > sentAt && publication.params.uri === uri);
      if (checked?.params.version !== 1) throw new Error(`${kind.label} publishes diagnostics without the document version (got ${JSON.stringify(checked?.params.version)}), so they cannot be matched to an edit`);
    }
    const closedAt = client.seq;
    client.notify('textDocument/didClose', { textDocument: { uri } });
    // Both servers clear a closed file's diagnostics; waiting for that leaves them idle.
    await client.waitForPublication((publication) => publication.seq > closedAt && publication.params.uri === uri, 10_000, 'diagnostics cleared on close');
    return { client, syncKind, serverInfo: initialized?.serverInfo };
  } catch (error) {
    await client.stop();
    throw error;
  }
}

/**
 * Sends a change and waits for the diagnostics of the new version.
 * Ours publishes `version`: the first publication with that version counts (and, when the plan has
 * findings, a non-empty one: an empty list published ahead of the analysis would not count).
 * yaml-language-server publishes no version: the first publication after the change counts (it
 * publishes once per validation, of the latest text).
 * @param {LspClient} client @param {ServerKind} kind @param {string} uri @param {number} version
 * @param {any[]} contentChanges @param {number} timeoutMs @param {string} what @param {number} expectedFindings
 */
async function changeAndWait(client, kind, uri, version, contentChanges, timeoutMs, what, expectedFindings) {
  const sentAt = client.seq;
  const start = performance.now();
  client.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges });
  const publication = await client.waitForPublication(matcher(kind, uri, version, sentAt, expectedFindings), timeoutMs, what);
  return { ms: publication.at - start, publication };
}

/** @param {ServerKind} kind @param {string} uri @param {number} version @param {number} sentAt @param {number} expectedFindings */
function matcher(kind, uri, version, sentAt, expectedFindings) {
  return (/** @type {import('./lspClient.mjs').Publication} */ publication) =>
    publication.seq > sentAt &&
    publication.params.uri === uri &&
    (!kind.versioned || (publication.params.version === version && (expectedFindings === 0 || publication.params.diagnostics.length > 0)));
}

/**
 * One server on one plan. Every run starts a fresh server; the first run measures everything,
 * the others only open → diagnostics and memory after open.
 * @param {ServerKind} kind @param {{ tasks: number, folder: string, file: string, text: string, expectedFindings: number }} plan
 * @param {{ runs: number, edits: number, completions: number, planViews: number }} counts repetitions
 */
async function measureServer(kind, plan, { runs, edits, completions, planViews }) {
  const uri = pathToFileURL(plan.file).href;
  const timeoutMs = deadline(kind, plan.tasks);
  /** @type {Record<string, any>} */
  const result = { opens: [], rssAfterOpenKiB: [], notes: [] };
  for (let runIndex = 0; runIndex < runs; runIndex++) {
    const { client, syncKind, serverInfo } = await startServer(kind, plan.folder);
    try {
      result.textDocumentSync = syncKind === 2 ? 'incremental' : syncKind === 1 ? 'full' : String(syncKind);
      result.serverInfo = serverInfo;
      // Open: from writing didOpen (the whole text) to the diagnostics of version 1.
      const sentAt = client.seq;
      const start = performance.now();
      client.notify('textDocument/didOpen', { textDocument: { uri, languageId: kind.languageId, version: 1, text: plan.text } });
      const opened = await client.waitForPublication(matcher(kind, uri, 1, sentAt, plan.expectedFindings), timeoutMs, `diagnostics after opening the ${count(plan.tasks)}-task plan (deadline scales with size)`);
      result.opens.push(opened.at - start);
      const before = client.publications.filter((publication) => publication.seq > sentAt && publication.seq < opened.seq && publication.params.uri === uri);
      if (before.length > 0) result.notes.push(`published ${before.length} list(s) (${before.map((publication) => `${publication.params.diagnostics.length} items, version ${publication.params.version}`).join('; ')}) before the one counted`);
      result.rssAfterOpenKiB.push(client.memory().rssKiB);
      if (runIndex === 0) {
        result.diagnosticsAtOpen = opened.params.diagnostics.length;
        if (kind.versioned && opened.params.diagnostics.length !== plan.expectedFindings) result.notes.push(`published ${opened.params.diagnostics.length} diagnostics at open; the in-process analysis finds ${plan.expectedFindings}`);
        await measureSession(client, kind, plan, uri, timeoutMs, { edits, completions, planViews }, result);
        result.peakRssKiB = client.memory().hwmKiB;
      }
    } finally {
      await client.stop();
    }
  }
  result.opens = result.opens.map(round);
  result.open = summary(result.opens);
  result.rssAfterOpenMiB = Math.round(median(result.rssAfterOpenKiB) / 1024);
  result.peakRssMiB = Math.round(result.peakRssKiB / 1024);
  return result;
}

/**
 * Completion, planView and edits on an open plan whose diagnostics have arrived.
 * @param {LspClient} client @param {ServerKind} kind @param {{ tasks: number, text: string, expectedFindings: number }} plan
 * @param {string} uri @param {number} timeoutMs
 * @param {{ edits: number, completions: number, planViews: number }} counts @param {Record<string, any>} result
 */
async function measureSession(client, kind, plan, uri, timeoutMs, { edits, completions, planViews }, result) {
  // Completion: request → response, at distinct places (median).
  const positions = completionPositions(plan.text, completions);
  for (const [name, list] of /** @type {const} */ ([
    ['owner', positions.owner],
    ['dependsOn', positions.dependsOn],
  ])) {
    const samples = [];
    let items = 0;
    let bytes = 0;
    for (const position of list) {
      const { ms: took, result: answer, bytes: size } = await client.timedRequest('textDocument/completion', { textDocument: { uri }, position, context: { triggerKind: 1 } }, timeoutMs);
      samples.push(took);
      items = Math.max(items, Array.isArray(answer) ? answer.length : (answer?.items?.length ?? 0));
      bytes = Math.max(bytes, size);
    }
    result[`completion_${name}`] = { ...summary(samples), items, bytes };
  }

  // blueprint/planView: ours only (median; the analysis is already cached for this version).
  if (kind.id === 'blueprint') {
    const samples = [];
    let bytes = 0;
    for (let index = 0; index < planViews; index++) {
      const { ms: took, result: view, bytes: size } = await client.timedRequest('blueprint/planView', { uri }, timeoutMs);
      if (view?.version !== 1) throw new Error(`blueprint/planView answered ${view === null ? 'null' : `version ${view?.version}`} for the opened plan (version 1)`);
      samples.push(took);
      bytes = size;
    }
    result.planView = { ...summary(samples), bytes };
  }

  // Edits: one character appended to a task title (the plan stays valid), 20 places, in both sync modes.
  const edited = new EditedText(plan.text);
  for (const [mode, phase] of /** @type {const} */ ([
    ['full', 0],
    ['incremental', 1],
  ])) {
    const samples = [];
    for (const line of editLines(plan.text, edits, phase)) {
      const change = edited.insertAtLineEnd(line, 'x');
      const contentChanges = mode === 'full' ? [{ text: edited.text }] : [change];
      const { ms: took } = await changeAndWait(client, kind, uri, edited.version, contentChanges, timeoutMs, `diagnostics after a one-character edit (${mode} sync, version ${edited.version})`, plan.expectedFindings);
      samples.push(took);
    }
    result[`edit_${mode}`] = summary(samples);
  }

  // Did the incremental changes land where they were meant to? One more (not timed) makes a
  // status value the schema rejects; the server must report it on that very line.
  const checkLine = statusCheckLine(plan.text);
  const change = edited.insertAtLineEnd(checkLine, 'z');
  const { publication } = await changeAndWait(client, kind, uri, edited.version, [change], timeoutMs, 'diagnostics after the incremental-sync check edit', plan.expectedFindings);
  if (!publication.params.diagnostics.some((diagnostic) => kind.schemaFinding(diagnostic, checkLine))) {
    throw new Error(`${kind.label} did not report the bad status value on line ${checkLine + 1} after incremental edits: its copy of the document differs from ours (incremental sync broken?)`);
  }
  result.incrementalCheck = 'passed';

  // One publication per change is what both servers promise; more would mean some were partial.
  const published = client.publications.filter((publication) => publication.params.uri === uri).length;
  const changes = 1 + result.edit_full.samples + result.edit_incremental.samples + 1;
  if (published !== changes) result.notes.push(`published ${published} diagnostics lists for ${changes} versions (open, edits, check)`);
  if (kind.versioned) {
    const perVersion = new Map();
    for (const publication of client.publications) if (publication.params.uri === uri) perVersion.set(publication.params.version, (perVersion.get(publication.params.version) ?? 0) + 1);
    const repeated = [...perVersion.entries()].filter(([, times]) => times > 1);
    if (repeated.length > 0) result.notes.push(`published some versions more than once: ${repeated.map(([version, times]) => `v${version}×${times}`).join(', ')}`);
  }
}

// ---------------------------------------------------------------- timeline

/** @param {boolean} enabled */
async function measureTimelineIfPresent(enabled) {
  const file = path.join(repoRoot, 'scripts', 'bench', 'timeline.mjs');
  if (!enabled) return { measured: false, reason: 'skipped (--no-timeline)' };
  if (!existsSync(file)) return { measured: false, reason: 'scripts/bench/timeline.mjs does not exist' };
  let module;
  try {
    module = await import(pathToFileURL(file).href);
  } catch (error) {
    return { measured: false, reason: `scripts/bench/timeline.mjs could not be loaded: ${/** @type {Error} */ (error).message}` };
  }
  if (typeof module.measureTimeline !== 'function') return { measured: false, reason: 'scripts/bench/timeline.mjs does not export measureTimeline' };
  const taskCounts = [2000, 5000];
  const limitMs = 300_000;
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  try {
    const rows = await Promise.race([
      module.measureTimeline({ taskCounts }),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no result within ${limitMs / 1000} s`)), limitMs);
      }),
    ]);
    if (!Array.isArray(rows)) return { measured: false, reason: 'measureTimeline did not return a list' };
    return { measured: true, rows };
  } catch (error) {
    return { measured: false, reason: `measureTimeline failed: ${/** @type {Error} */ (error).message}` };
  } finally {
    clearTimeout(timer);
  }
}

// ---------------------------------------------------------------- machine

function machine() {
  const cpuModel = (() => {
    try {
      return /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? os.cpus()[0]?.model;
    } catch {
      return os.cpus()[0]?.model;
    }
  })();
  const git = (/** @type {string[]} */ args) => {
    try {
      return execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return undefined;
    }
  };
  const status = git(['status', '--porcelain']);
  return {
    cpu: cpuModel ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    date: new Date().toISOString(),
    commit: git(['rev-parse', '--short', 'HEAD']),
    uncommittedChanges: status === undefined ? undefined : status.length > 0,
    loadAverageAtStart: loadAtStart,
    loadAverageAtEnd: round(os.loadavg()[0] * 100) / 100,
  };
}

// ---------------------------------------------------------------- report

/** @param {any} results */
function markdown(results) {
  const { machine: m, sizes, timeline, targets, settings } = results;
  const lines = [];
  lines.push(`Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}, ${m.os}; ${m.date.slice(0, 10)}; commit ${m.commit ?? '?'}${m.uncommittedChanges ? ' (with uncommitted changes)' : ''}; load average ${m.loadAverageAtStart} at start, ${m.loadAverageAtEnd} at end${m.loadAverageAtStart > m.cores / 2 ? ' (busy machine: numbers are noisy)' : ''}.`);
  lines.push(`Peer: yaml-language-server ${results.peer.version} with schemas/plan.schema.json (yaml.schemas, validation on; checked on a broken plan). Medians; opens over ${settings.runs} fresh server(s), ${settings.edits} edits per sync mode, ${settings.completions} completions per place${settings.reducedAt ? `; at ${count(settings.reducedAt)}+ tasks ${settings.reduced.edits} edits and ${settings.reduced.completions} completions, 1 open` : ''}.`);
  const first = sizes[0]?.servers;
  if (first) lines.push(`Both servers advertise textDocumentSync ${first.blueprint.textDocumentSync} (Blueprint) / ${first.peer.textDocumentSync} (yaml-language-server); after the incremental edits each reported a deliberately bad value on the right line (check ${first.blueprint.incrementalCheck} / ${first.peer.incrementalCheck}).`);
  lines.push('');
  lines.push('| tasks | file | server | open → diagnostics | edit → diagnostics (full sync) | edit → diagnostics (incremental) | completion `owner: ` | completion `depends_on: [` | `blueprint/planView` | RSS after open | peak RSS |');
  lines.push('| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const size of sizes) {
    for (const [index, server] of [size.servers.blueprint, size.servers.peer].entries()) {
      lines.push(
        `| ${index === 0 ? count(size.tasks) : ''} | ${index === 0 ? kb(size.bytes) : ''} | ${index === 0 ? 'Blueprint' : 'yaml-language-server'} | ${ms(server.open.medianMs)} | ${ms(server.edit_full?.medianMs)} | ${ms(server.edit_incremental?.medianMs)} | ${ms(server.completion_owner?.medianMs)} | ${ms(server.completion_dependsOn?.medianMs)} | ${index === 0 ? ms(server.planView?.medianMs) : 'n/a'} | ${mb(server.rssAfterOpenMiB * 1024)} | ${mb(server.peakRssMiB * 1024)} |`,
      );
    }
  }
  lines.push('');
  lines.push('In-process (no protocol), each "first" in a fresh Node process:');
  lines.push('');
  lines.push('| tasks | `yaml` parseDocument first / warm | the same, `yaml`\'s browser build (ours) | our analysis cold / warm | our re-analysis after an edit (title / duration) | Blueprint open ÷ warm parse | Blueprint edit (incr.) ÷ yaml-language-server edit (incr.) |');
  lines.push('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const size of sizes) {
    const f = size.floor;
    const ours = size.servers.blueprint;
    const peer = size.servers.peer;
    lines.push(
      `| ${count(size.tasks)} | ${ms(f.coldParseMs)} / ${ms(f.warmParseMs)} | ${ms(f.coldBrowserBuildParseMs)} / ${ms(f.warmBrowserBuildParseMs)} | ${ms(f.coldAnalysisMs)} / ${ms(f.warmAnalysisMs)} | ${ms(f.editAnalysisMs)} / ${ms(f.rescheduleEditAnalysisMs)} | ${(ours.open.medianMs / f.warmParseMs).toFixed(2)} × | ${(ours.edit_incremental.medianMs / peer.edit_incremental.medianMs).toFixed(2)} × |`,
    );
  }
  lines.push('');
  if (timeline.measured) {
    lines.push('Timeline webview (scripts/bench/timeline.mjs):');
    lines.push('');
    lines.push('| tasks | layout | first paint | scroll frame p50 | scroll frame p95 |');
    lines.push('| ---: | ---: | ---: | ---: | ---: |');
    for (const row of timeline.rows) lines.push(`| ${count(row.tasks)} | ${ms(row.layoutMs)} | ${ms(row.firstPaintMs)} | ${ms(row.scrollFrameP50Ms)} | ${ms(row.scrollFrameP95Ms)} |`);
  } else {
    lines.push(`Timeline webview: not measured (${timeline.reason}).`);
  }
  lines.push('');
  lines.push('Targets (issue 7), each from this run:');
  lines.push('');
  for (const target of targets) lines.push(`- ${target.status === 'met' ? '✅ met' : target.status === 'not met' ? '❌ not met' : '➖ not evaluated'}: ${target.name}: ${target.detail}`);
  const notes = sizes.flatMap((/** @type {any} */ size) => Object.entries(size.servers).flatMap(([name, server]) => (/** @type {any} */ (server).notes ?? []).map((/** @type {string} */ note) => `- ${count(size.tasks)} tasks, ${name === 'peer' ? 'yaml-language-server' : 'Blueprint'}: ${note}`)));
  if (notes.length > 0) {
    lines.push('');
    lines.push('Notes:');
    lines.push(...notes);
  }
  return lines.join('\n');
}

/** @param {any[]} sizes @param {any} timeline */
function evaluateTargets(sizes, timeline) {
  const at = sizes.find((size) => size.tasks === 5000);
  const targets = [];
  const missing = (/** @type {string} */ name) => ({ name, status: 'not evaluated', detail: 'the 5,000-task plan was not measured in this run (use --sizes with 5000)' });
  const verdict = (/** @type {boolean} */ ok) => (ok ? 'met' : 'not met');
  for (const mode of ['full', 'incremental']) {
    const name = `edit → diagnostics at 5,000 tasks (${mode} sync) ≤ 1/10 of yaml-language-server's and < 100 ms`;
    if (!at) {
      targets.push(missing(name));
      continue;
    }
    const ours = at.servers.blueprint[`edit_${mode}`].medianMs;
    const peer = at.servers.peer[`edit_${mode}`].medianMs;
    const ratio = ours / peer;
    targets.push({ name, status: verdict(ratio <= 0.1 && ours < 100), ours, peer, ratio: round(ratio * 1000) / 1000, detail: `${ms(ours)} vs ${ms(peer)} = ${(ratio * 100).toFixed(1)} % (needs ≤ 10 % and < 100 ms)` });
  }
  {
    const name = 'open → diagnostics ≤ 1.3 × bare `yaml` parse (warm parseDocument of the same text)';
    if (!at) targets.push(missing(name));
    else {
      const ours = at.servers.blueprint.open.medianMs;
      const parse = at.floor.warmParseMs;
      const ratio = ours / parse;
      const perSize = sizes.map((size) => `${count(size.tasks)}: ${(size.servers.blueprint.open.medianMs / size.floor.warmParseMs).toFixed(2)} ×`).join(', ');
      targets.push({ name, status: verdict(ratio <= 1.3), ours, parse, ratio: round(ratio * 100) / 100, detail: `at 5,000 tasks ${ms(ours)} vs ${ms(parse)} = ${ratio.toFixed(2)} × (against the first parse in a fresh process, ${ms(at.floor.coldParseMs)}: ${(ours / at.floor.coldParseMs).toFixed(2)} ×; against a warm parse with \`yaml\`'s browser build, the one our bundles use, ${ms(at.floor.warmBrowserBuildParseMs)}: ${(ours / at.floor.warmBrowserBuildParseMs).toFixed(2)} ×; per size: ${perSize})` });
    }
  }
  {
    const name = 'completion at 5,000 tasks < 20 ms';
    if (!at) targets.push(missing(name));
    else {
      const owner = at.servers.blueprint.completion_owner.medianMs;
      const dependsOn = at.servers.blueprint.completion_dependsOn.medianMs;
      targets.push({ name, status: verdict(Math.max(owner, dependsOn) < 20), owner, dependsOn, detail: `\`owner: \` ${ms(owner)}, \`depends_on: [\` ${ms(dependsOn)} (yaml-language-server: ${ms(at.servers.peer.completion_owner.medianMs)}, ${ms(at.servers.peer.completion_dependsOn.medianMs)})` });
    }
  }
  {
    const name = "RSS after open at 5,000 tasks ≤ yaml-language-server's";
    if (!at) targets.push(missing(name));
    else {
      const ours = at.servers.blueprint.rssAfterOpenMiB;
      const peer = at.servers.peer.rssAfterOpenMiB;
      targets.push({ name, status: verdict(ours <= peer), ours, peer, ratio: round((ours / peer) * 100) / 100, detail: `${ours} MB vs ${peer} MB = ${(ours / peer).toFixed(2)} ×` });
    }
  }
  {
    const name = 'timeline with 2,000 tasks: first paint < 500 ms and p95 scroll frame < 16.7 ms';
    const row = timeline.measured ? timeline.rows.find((/** @type {any} */ candidate) => candidate.tasks === 2000) : undefined;
    if (!row) targets.push({ name, status: 'not evaluated', detail: timeline.measured ? 'no 2,000-task row' : `not measured (${timeline.reason})` });
    else targets.push({ name, status: verdict(row.firstPaintMs < 500 && row.scrollFrameP95Ms < 16.7), firstPaintMs: row.firstPaintMs, scrollFrameP95Ms: row.scrollFrameP95Ms, detail: `first paint ${ms(row.firstPaintMs)}, p95 frame ${ms(row.scrollFrameP95Ms)}` });
  }
  return targets;
}

// ---------------------------------------------------------------- main

async function main() {
  const options = parseOptions(process.argv.slice(2));
  const started = performance.now();
  if (loadAtStart > os.cpus().length / 2) log(`warning: load average ${loadAtStart} on ${os.cpus().length} cores: other work is running, the numbers will be noisy`);
  /** Sizes from here on get fewer repetitions unless --quick already asks for few: the peer is slow there. */
  const REDUCED_FROM = 20_000;
  const settings = options.quick
    ? { runs: 1, edits: 8, completions: 3, planViews: 3, inProcessRepetitions: 2 }
    : { runs: 3, edits: 20, completions: 5, planViews: 5, inProcessRepetitions: 5 };
  const reduced = { runs: 1, edits: Math.min(settings.edits, 5), completions: Math.min(settings.completions, 3), planViews: Math.min(settings.planViews, 3), inProcessRepetitions: 2 };

  const serverBundle = await ensureServerBuilt();
  let peer;
  try {
    peer = await ensurePeer(repoRoot, log);
  } catch (error) {
    fail(`the peer (yaml-language-server) could not be installed: ${/** @type {Error} */ (error).message}`);
  }
  const serviceBundle = await bundleService();
  const kinds = { blueprint: ourServer(serverBundle), peer: peerServer(peer.serverScript) };
  if (options.sizes.some((size) => size >= REDUCED_FROM)) {
    log(`note: ${count(REDUCED_FROM)}+ tasks: yaml-language-server takes seconds per edit there; deadlines are up to ${Math.round(deadline(kinds.peer, Math.max(...options.sizes)) / 1000)} s per step and repetitions are fewer (${reduced.edits} edits per sync mode, ${reduced.completions} completions, 1 open)`);
  }

  // The plans live in a temporary folder, not under .bench/: yaml-language-server's `yaml.schemas`
  // globs (`*.plan.yaml`) do not match files inside dot-folders, so it would silently not validate.
  const workspaceRoot = mkdtempSync(path.join(os.tmpdir(), 'blueprint-bench-'));
  process.on('exit', () => rmSync(workspaceRoot, { recursive: true, force: true }));
  const sizes = [];
  for (const tasks of options.sizes) {
    const text = generatePlan(tasks);
    const folder = path.join(workspaceRoot, String(tasks));
    mkdirSync(folder, { recursive: true });
    const file = path.join(folder, `generated-${tasks}.plan.yaml`);
    writeFileSync(file, text);
    const counts = tasks >= REDUCED_FROM ? reduced : settings;
    const sizeStarted = performance.now();
    log(`${count(tasks)} tasks (${kb(Buffer.byteLength(text))}): in-process floor`);
    const floorTimeout = Math.max(60_000, tasks * 30);
    const coldParse = await inProcess(serviceBundle, file, ['cold-parse'], floorTimeout);
    const coldBrowserBuildParse = await inProcess(serviceBundle, file, ['cold-parse', 'browser'], floorTimeout);
    const coldAnalysis = await inProcess(serviceBundle, file, ['cold-analysis'], floorTimeout);
    const warm = await inProcess(serviceBundle, file, ['warm', String(counts.inProcessRepetitions), String(counts.edits)], floorTimeout * 4);
    const floor = { ...coldParse, ...coldBrowserBuildParse, ...coldAnalysis, ...warm };
    for (const key of Object.keys(floor)) if (key.endsWith('Ms')) floor[key] = round(floor[key]);
    const plan = { tasks, folder, file, text, expectedFindings: coldAnalysis.diagnostics };
    /** @type {Record<string, any>} */
    const servers = {};
    for (const [key, kind] of Object.entries(kinds)) {
      log(`${count(tasks)} tasks: ${kind.label} (${counts.runs} open${counts.runs > 1 ? 's' : ''}, ${counts.edits} edits × 2 sync modes, ${counts.completions} completions × 2)`);
      try {
        const serverStarted = performance.now();
        servers[key] = await measureServer(kind, plan, counts);
        servers[key].durationS = Math.round((performance.now() - serverStarted) / 1000);
      } catch (error) {
        fail(`${kind.label} on the ${count(tasks)}-task plan: ${/** @type {Error} */ (error).message}`);
      }
    }
    sizes.push({ tasks, bytes: Buffer.byteLength(text), lines: text.split('\n').length, floor, servers, durationS: Math.round((performance.now() - sizeStarted) / 1000) });
  }

  if (options.timeline) log('timeline (scripts/bench/timeline.mjs)');
  const timelineStarted = performance.now();
  const timeline = { ...(await measureTimelineIfPresent(options.timeline)), durationS: Math.round((performance.now() - timelineStarted) / 1000) };
  const targets = evaluateTargets(sizes, timeline);
  const results = {
    machine: machine(),
    peer: { package: 'yaml-language-server', version: peer.version },
    settings: { ...settings, reducedAt: options.sizes.some((size) => size >= REDUCED_FROM) ? REDUCED_FROM : undefined, reduced, quick: options.quick },
    method: {
      open: 'didOpen written → first publishDiagnostics of version 1 (ours: publication.version === 1, non-empty when the in-process analysis has findings; yaml-language-server: first publication after didOpen, it sends no version). Fresh server per run, already initialized and warmed by validating one small broken plan. Includes each server\'s own debounce (yaml-language-server 1.25.0: 200 ms, on open too; ours: see server/src/server.ts).',
      edit: 'one character appended to a task title at distinct, spread places; didChange written → diagnostics of that version (same matching as open); full sync sends the whole text, incremental sends only the range change. Includes each server\'s own debounce. After the incremental edits one more (untimed) edit makes a bad status value; each server must report it on that line, which proves it applied the range changes where they belong.',
      completion: 'textDocument/completion request → response, just after `owner: ` of tasks and just after `depends_on: [`, distinct places.',
      planView: 'blueprint/planView request → response on the opened version.',
      memory: 'VmRSS of the server process right after the open diagnostics (median over runs); VmHWM at the end of the first run (after completions and edits).',
      floor: 'in a fresh Node process: first yaml.parseDocument (the Node build require(\'yaml\') gives; the browser build, which our bundles use, separately); warm = median after one warm-up; our analysis = createPlanService().getDiagnostics, cold = first call in a fresh process, warm = fresh service instance after a warm-up; re-analysis after an edit = getDiagnostics of the next version on the same service.',
    },
    sizes,
    timeline,
    targets,
    durationS: Math.round((performance.now() - started) / 1000),
  };
  mkdirSync(path.dirname(options.out), { recursive: true });
  writeFileSync(options.out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(markdown(results));
  console.log(`\nJSON: ${path.relative(process.cwd(), options.out) || options.out} (${results.durationS} s)`);
}

main().then(
  () => process.exit(0),
  (error) => fail(error instanceof Error ? (error.stack ?? error.message) : String(error)),
);
