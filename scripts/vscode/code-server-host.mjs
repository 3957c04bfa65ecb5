#!/usr/bin/env node
// A stand-in for the `code` executable, for @vscode/test-electron's
// runTests({ vscodeExecutablePath }): it takes the arguments VS Code would
// (`--extensionDevelopmentPath=… --extensionTestsPath=… [folder]`, plus
// `--user-data-dir`/`--extensions-dir`), runs the tests in code-server's
// workbench opened by headless chromium, and exits with the suite's code.
//
// It fails the run when the browser asks for anything that is not on
// 127.0.0.1, and it stops every process it started (code-server's process
// group, chromium) on every way out: done, failure, deadline, Ctrl+C,
// SIGTERM, or its parent going away.
//
// Environment:
//   BLUEPRINT_VSCODE_TIMEOUT_MS  deadline for the whole run (default 150000)
//   BLUEPRINT_VSCODE_VERBOSE=1   print VS Code's own log lines, not only the tests' output
//   CHROMIUM_PATH                chromium to drive (default /usr/bin/chromium)
// Logs of the last run (code-server, workbench, VS Code's log files, a
// screenshot when it failed) are written to .vscode-test/last-run/.

import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CodeServerError,
  loadBrowserDriver,
  makeRunDir,
  remoteUri,
  repoRoot,
  startCodeServer,
  tail,
  workbenchUrl,
} from './codeServer.mjs';

const started = Date.now();
const timeoutMs = Number(process.env.BLUEPRINT_VSCODE_TIMEOUT_MS ?? 150_000);
const verbose = process.env.BLUEPRINT_VSCODE_VERBOSE === '1';
const lastRunDir = path.join(repoRoot, '.vscode-test', 'last-run');
// test/vscode/suite/index.ts marks the reporter's lines with it.
const MOCHA_MARK = '[mocha] ';

const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
const say = (line) => process.stdout.write(`[vscode-host ${elapsed()}] ${line}\n`);
// When the parent dies, writing to its pipes fails: keep cleaning up regardless.
process.stdout.on('error', () => {});
process.stderr.on('error', () => {});

// ---- arguments ------------------------------------------------------------

function parseArgs(argv) {
  const parsed = { developmentPaths: [], testsPath: undefined, userDataDir: undefined, extensionsDir: undefined, folder: undefined, ignored: [] };
  const valued = new Set(['--extensionDevelopmentPath', '--extensionTestsPath', '--user-data-dir', '--extensions-dir', '--locale', '--log']);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    let name = arg;
    let value;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      if (eq >= 0) {
        name = arg.slice(0, eq);
        value = arg.slice(eq + 1);
      } else if (valued.has(arg)) {
        value = argv[++i];
      }
    }
    switch (name) {
      case '--extensionDevelopmentPath': parsed.developmentPaths.push(path.resolve(value)); break;
      case '--extensionTestsPath': parsed.testsPath = path.resolve(value); break;
      case '--user-data-dir': parsed.userDataDir = path.resolve(value); break;
      case '--extensions-dir': parsed.extensionsDir = path.resolve(value); break;
      default:
        if (!arg.startsWith('-')) {
          if (parsed.folder) throw new CodeServerError(`only one folder can be opened; got ${parsed.folder} and ${arg}`);
          parsed.folder = path.resolve(arg);
        } else {
          parsed.ignored.push(arg);
        }
    }
  }
  if (!parsed.testsPath) throw new CodeServerError('missing --extensionTestsPath=<compiled suite folder>');
  if (parsed.developmentPaths.length === 0) throw new CodeServerError('missing --extensionDevelopmentPath=<extension folder>');
  if (!parsed.folder) throw new CodeServerError('missing the folder to open (the test workspace)');
  for (const [what, file] of [['suite', parsed.testsPath], ['workspace', parsed.folder], ...parsed.developmentPaths.map((p) => ['extension', p])]) {
    if (!fs.existsSync(file)) throw new CodeServerError(`${what} not found: ${file}`);
  }
  return parsed;
}

// ---- cleanup ----------------------------------------------------------------

const cleanups = []; // run in reverse order, once
let cleaning;
function cleanup() {
  cleaning ??= (async () => {
    while (cleanups.length) {
      const step = cleanups.pop();
      try {
        await step.run();
      } catch (error) {
        process.stderr.write(`[vscode-host] cleanup (${step.name}) failed: ${error?.message ?? error}\n`);
      }
    }
  })();
  return cleaning;
}
let syncKills = [];
process.on('exit', () => {
  for (const kill of syncKills) {
    try {
      kill();
    } catch {
      // already gone
    }
  }
});
async function finish(code) {
  await cleanup();
  process.exit(code);
}
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
  process.on(signal, () => {
    say(`${signal}: stopping`);
    void finish(code);
  });
}
// Spawned by runTests, stdin is a pipe (a socketpair) from the parent: its
// end means the parent is gone, and nobody would ever stop us.
try {
  const stdin = fs.fstatSync(0);
  if (stdin.isFIFO() || stdin.isSocket()) {
    process.stdin.on('end', () => {
      say('parent went away: stopping');
      void finish(1);
    });
    process.stdin.resume();
  }
} catch {
  // no stdin
}

// ---- the run ----------------------------------------------------------------

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const { chromiumPath, playwright } = await loadBrowserDriver();

  fs.rmSync(lastRunDir, { recursive: true, force: true });
  fs.mkdirSync(lastRunDir, { recursive: true });
  const runDir = makeRunDir();
  cleanups.push({ name: 'run folder', run: () => fs.rmSync(runDir, { recursive: true, force: true }) });

  const server = await startCodeServer({
    runDir,
    userDataDir: args.userDataDir,
    extensionsDir: args.extensionsDir,
    log: say,
    onSpawn: (spawned) => syncKills.push(spawned.stopSync),
  });
  cleanups.push({
    name: 'code-server',
    run: async () => {
      await server.stop();
      fs.copyFileSync(server.logFile, path.join(lastRunDir, 'code-server.log'));
      // The remote extension host's logs (our extension's output channel among them).
      const serverLogs = path.join(args.userDataDir ?? path.join(runDir, 'user-data'), 'logs');
      if (fs.existsSync(serverLogs)) fs.cpSync(serverLogs, path.join(lastRunDir, 'server-logs'), { recursive: true });
    },
  });
  const serverReady = Date.now();
  say(`code-server ready at ${server.url}`);

  const browser = await playwright.chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
  cleanups.push({ name: 'chromium', run: () => browser.close() });

  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const workbenchLog = fs.createWriteStream(path.join(lastRunDir, 'workbench.log'));
  cleanups.push({ name: 'workbench log', run: () => new Promise((resolve) => workbenchLog.end(resolve)) });

  // Only 127.0.0.1: record and block everything else.
  const foreign = [];
  const isLocal = (url) => {
    const parsed = new URL(url);
    if (!['http:', 'https:', 'ws:', 'wss:'].includes(parsed.protocol)) return true; // data:, blob:, about: – no network
    return parsed.hostname === '127.0.0.1';
  };
  const noteForeign = (url, how) => {
    if (!foreign.includes(url)) {
      foreign.push(url);
      say(`FOREIGN REQUEST (${how}) blocked: ${url}`);
    }
  };
  await context.route((url) => !isLocal(url.href), async (route) => {
    noteForeign(route.request().url(), 'route');
    await route.abort('blockedbyclient');
  });
  context.on('request', (request) => {
    if (!isLocal(request.url())) noteForeign(request.url(), 'request');
  });
  page.on('websocket', (socket) => {
    if (!isLocal(socket.url())) noteForeign(socket.url(), 'websocket');
  });

  // What VS Code reports back. codeAutomationLog carries VS Code's own log
  // lines and, from the extension host, the tests' console output.
  let settle;
  const outcome = new Promise((resolve) => (settle = resolve));
  await page.exposeFunction('codeAutomationLog', (level, message) => {
    const text = String(message);
    workbenchLog.write(`${elapsed()} [log:${level}] ${text}\n`);
    if (text.startsWith(MOCHA_MARK)) process.stdout.write(`${text.slice(MOCHA_MARK.length)}\n`);
    else if (verbose || level === 'error') process.stdout.write(`[vscode ${level}] ${text}\n`);
  });
  await page.exposeFunction('codeAutomationExit', (code, logs) => {
    if (Array.isArray(logs)) saveVsCodeLogs(logs);
    settle({ kind: 'exit', code: Number(code) });
  });
  page.on('console', (message) => workbenchLog.write(`${elapsed()} [console:${message.type()}] ${message.text()}\n`));
  page.on('pageerror', (error) => workbenchLog.write(`${elapsed()} [pageerror] ${error.stack ?? error.message}\n`));
  page.on('crash', () => settle({ kind: 'error', message: 'the workbench page crashed' }));
  server.exited.then(({ code, signal }) => settle({ kind: 'error', message: `code-server exited (${code ?? signal}) during the run:\n${tail(server.logFile, 30)}` }));
  // The deadline covers the run, not a first install of code-server.
  const remaining = Math.max(10_000, timeoutMs - (Date.now() - serverReady));
  const timer = setTimeout(() => settle({ kind: 'error', message: `no result within ${Math.round(timeoutMs / 1000)} s (BLUEPRINT_VSCODE_TIMEOUT_MS)` }), remaining);

  const url = workbenchUrl(server, args.folder, [
    ...args.developmentPaths.map((p) => ['extensionDevelopmentPath', remoteUri(server, p)]),
    ['extensionTestsPath', remoteUri(server, args.testsPath)],
  ]);
  say(`opening the workbench: ${url}`);
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  page
    .locator('.monaco-workbench')
    .first()
    .waitFor({ timeout: remaining })
    .then(() => say('workbench loaded; running the suite'), () => {});

  const result = await outcome;
  clearTimeout(timer);
  let code;
  if (result.kind === 'exit') {
    say(`suite finished with exit code ${result.code}`);
    code = result.code;
  } else {
    say(`FAILED: ${result.message}`);
    code = 1;
  }
  if (foreign.length) {
    say(`FAILED: the browser requested ${foreign.length} address(es) outside 127.0.0.1:\n  ${foreign.join('\n  ')}`);
    code = code || 1;
  }
  if (code !== 0 && !page.isClosed()) {
    await page.screenshot({ path: path.join(lastRunDir, 'failure.png') }).catch(() => {});
    say(`logs and a screenshot: ${path.relative(process.cwd(), lastRunDir)}/`);
  }
  return code;
}


function saveVsCodeLogs(logs) {
  for (const entry of logs) {
    if (!entry || typeof entry.relativePath !== 'string') continue;
    const target = path.join(lastRunDir, 'vscode-logs', path.normalize(entry.relativePath).replace(/^(\.\.(\/|$))+/, ''));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, String(entry.contents ?? ''));
  }
}

main().then(
  (code) => finish(code),
  async (error) => {
    // Once stopping (a signal, the parent gone), the run's own errors are only echoes of it.
    if (!cleaning) process.stderr.write(`[vscode-host] ${error instanceof CodeServerError ? error.message : error?.stack ?? error}\n`);
    await finish(1);
  },
);
