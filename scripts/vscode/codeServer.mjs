// code-server on demand: install it into .vscode-test/code-server/ (once),
// start it on 127.0.0.1 in its own process group, stop it by killing that group.
//
// Used by scripts/vscode/code-server-host.mjs (the in-VS-Code tests) and
// scripts/start.mjs (`npm start`). It downloads nothing but npm packages; when
// something it needs is missing (Node 20, chromium, ripgrep, a working npm
// install) it throws a CodeServerError with a message that says what to do.
// Nothing here ever skips quietly.

import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3';
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const installDir = path.join(repoRoot, '.vscode-test', 'code-server');
const entryPath = path.join(installDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const markerPath = path.join(installDir, `.installed-${CODE_SERVER_VERSION}`);
const lockDir = path.join(repoRoot, '.vscode-test', 'code-server.lock');

export class CodeServerError extends Error {
  constructor(message) {
    super(message);
    this.name = 'CodeServerError';
  }
}

/** Debian's Chromium and playwright-core, or a CodeServerError saying how to get them. */
export async function loadBrowserDriver() {
  const chromiumPath = findChromium();
  try {
    return { chromiumPath, playwright: await import('playwright-core') };
  } catch {
    throw new CodeServerError('playwright-core is not installed: run `npm ci`.');
  }
}

/** Path of the chromium to drive, or throw with the apt command that provides it. */
export function findChromium() {
  const candidates = process.env.CHROMIUM_PATH ? [process.env.CHROMIUM_PATH] : ['/usr/bin/chromium', '/usr/bin/chromium-browser'];
  for (const candidate of candidates) {
    if (isExecutable(candidate)) return candidate;
  }
  throw new CodeServerError(
    `chromium not found (looked at ${candidates.join(', ')}). ` +
      'Install it with `apt-get install -y chromium` (or set CHROMIUM_PATH).',
  );
}

function isExecutable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function which(command) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, command))) return path.join(dir, command);
  }
  return undefined;
}

function requireNode20() {
  const major = Number(process.versions.node.split('.')[0]);
  if (major !== 20) {
    throw new CodeServerError(
      `code-server ${CODE_SERVER_VERSION} runs only on Node 20; this is Node ${process.versions.node}.`,
    );
  }
}

export function isCodeServerInstalled() {
  return fs.existsSync(markerPath) && fs.existsSync(entryPath);
}

/**
 * Install code-server into .vscode-test/code-server/ unless it is already there.
 * About 90 s and 300 MB the first time; a no-op afterwards.
 * @param {{ log?: (line: string) => void }} [options]
 * @returns {Promise<string>} the path of code-server's entry script
 */
export async function ensureCodeServer({ log = (line) => console.log(line) } = {}) {
  requireNode20();
  if (isCodeServerInstalled()) return entryPath;
  const release = await acquireLock(log);
  try {
    if (isCodeServerInstalled()) return entryPath; // another run installed it meanwhile
    await install(log);
    return entryPath;
  } finally {
    release();
  }
}

async function install(log) {
  const rg = which('rg');
  if (!rg) {
    throw new CodeServerError(
      'ripgrep (`rg`) not found on PATH: code-server needs it and its own download cannot work offline. ' +
        'Install it with `apt-get install -y ripgrep`.',
    );
  }
  const started = Date.now();
  log(`code-server ${CODE_SERVER_VERSION}: installing into ${path.relative(repoRoot, installDir)}/ (about 90 s, once)`);
  fs.rmSync(installDir, { recursive: true, force: true });
  fs.mkdirSync(installDir, { recursive: true });
  fs.writeFileSync(
    path.join(installDir, 'package.json'),
    JSON.stringify({ name: 'blueprint-code-server', private: true, description: 'installed by scripts/vscode/codeServer.mjs' }, null, 2),
  );
  // The install's TMPDIR: @vscode/ripgrep's postinstall looks for its download
  // there, so pre-filling it with Debian's rg keeps it from going to GitHub.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bp-cs-install-'));
  const logFile = path.join(installDir, 'install.log');
  try {
    const env = {
      ...process.env,
      TMPDIR: tmp,
      npm_config_unsafe_perm: 'true',
      npm_config_yes: 'true',
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      npm_config_update_notifier: 'false',
      // Native modules (kerberos, argon2, …) build against the local headers.
      npm_config_nodedir: process.env.npm_config_nodedir ?? nodeDir(),
    };
    // 1. Fetch code-server without running scripts, to learn which ripgrep it wants.
    run('npm', ['install', '--prefix', installDir, '--ignore-scripts', `code-server@${CODE_SERVER_VERSION}`], env, logFile);
    const codeServerDir = path.join(installDir, 'node_modules', 'code-server');
    const versions = ripgrepVersions(codeServerDir);
    if (versions.length === 0) throw new CodeServerError(`no @vscode/ripgrep found in ${codeServerDir}'s shrinkwraps`);
    for (const version of versions) prefillRipgrepCache(version, rg, tmp, env, logFile, log);
    // 2. Run the install scripts: code-server's dependency argon2, then
    //    code-server's postinstall (it installs VS Code's own dependencies and
    //    builds their native modules). The two modules that would first try
    //    GitHub for a prebuilt binary (argon2 through node-pre-gyp, kerberos
    //    through prebuild-install) are told to compile instead; only those,
    //    since `build_from_source=true` would also compile @parcel/watcher,
    //    whose prebuilt binary comes from npm (30 s more).
    const scripts = readJson(path.join(installDir, 'package-lock.json'))?.packages ?? {};
    const withScripts = Object.entries(scripts)
      .filter(([, value]) => value.hasInstallScript)
      .map(([key]) => key.replace(/^.*node_modules\//, ''));
    const known = ['argon2', 'code-server'];
    const unknown = withScripts.filter((name) => !known.includes(name));
    if (unknown.length) throw new CodeServerError(`unexpected install scripts in ${unknown.join(', ')}: review codeServer.mjs`);
    run('npm', ['rebuild', '--prefix', installDir, '--foreground-scripts', 'argon2'], { ...env, npm_config_build_from_source: 'argon2' }, logFile);
    run('npm', ['rebuild', '--prefix', installDir, '--foreground-scripts', 'code-server'], { ...env, npm_config_build_from_source: 'kerberos' }, logFile);
    for (const bin of ['lib/vscode/node_modules/@vscode/ripgrep/bin/rg']) {
      if (!isExecutable(path.join(codeServerDir, bin))) throw new CodeServerError(`install incomplete: ${bin} missing`);
    }
    if (!fs.existsSync(entryPath)) throw new CodeServerError(`install incomplete: ${entryPath} missing`);
    fs.writeFileSync(markerPath, `${new Date().toISOString()}\n`);
    log(`code-server ${CODE_SERVER_VERSION}: installed in ${Math.round((Date.now() - started) / 1000)} s`);
  } catch (error) {
    const detail = error instanceof CodeServerError ? error.message : String(error);
    throw new CodeServerError(`installing code-server ${CODE_SERVER_VERSION} failed: ${detail}\n(full log: ${logFile})`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function nodeDir() {
  // /usr/bin/node → /usr (holds include/node); node-gyp must not download headers.
  const dir = path.resolve(path.dirname(process.execPath), '..');
  if (!fs.existsSync(path.join(dir, 'include', 'node', 'node.h'))) {
    throw new CodeServerError(
      `Node headers not found under ${dir}/include/node: set npm_config_nodedir to a Node 20 tree that has them.`,
    );
  }
  return dir;
}

function run(command, args, env, logFile) {
  fs.appendFileSync(logFile, `\n$ ${command} ${args.join(' ')}\n`);
  const out = fs.openSync(logFile, 'a');
  try {
    const result = spawnSync(command, args, { cwd: installDir, env, stdio: ['ignore', out, out] });
    if (result.error) throw new CodeServerError(`${command} could not start: ${result.error.message}`);
    if (result.status !== 0) {
      const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n');
      throw new CodeServerError(`\`${command} ${args.join(' ')}\` exited with ${result.status ?? result.signal}:\n${tail}`);
    }
  } finally {
    fs.closeSync(out);
  }
}

/** The @vscode/ripgrep versions VS Code's shrinkwraps inside code-server pin. */
function ripgrepVersions(codeServerDir) {
  const versions = new Set();
  for (const file of ['lib/vscode/npm-shrinkwrap.json', 'lib/vscode/extensions/npm-shrinkwrap.json']) {
    const full = path.join(codeServerDir, file);
    if (!fs.existsSync(full)) continue;
    const packages = JSON.parse(fs.readFileSync(full, 'utf8')).packages ?? {};
    for (const [key, value] of Object.entries(packages)) {
      if (key.endsWith('node_modules/@vscode/ripgrep') && value.version) versions.add(value.version);
    }
  }
  return [...versions];
}

/**
 * Put `ripgrep-<VERSION>-<target>.tar.gz` holding Debian's rg where the
 * package's postinstall looks first: $TMPDIR/vscode-ripgrep-cache-<pkgver>/.
 * <VERSION> is read from the package's own postinstall script (npm pack of the
 * exact version, from the registry, into the install's temp folder).
 */
function prefillRipgrepCache(pkgVersion, rg, tmp, env, logFile, log) {
  const packDir = fs.mkdtempSync(path.join(tmp, 'rg-pack-'));
  run('npm', ['pack', `@vscode/ripgrep@${pkgVersion}`, '--pack-destination', packDir, '--silent'], env, logFile);
  const tarball = fs.readdirSync(packDir).find((name) => name.endsWith('.tgz'));
  if (!tarball) throw new CodeServerError(`npm pack @vscode/ripgrep@${pkgVersion} produced no tarball`);
  const extracted = spawnSync('tar', ['-xzf', tarball, '-O', 'package/lib/postinstall.js'], { cwd: packDir, encoding: 'utf8' });
  const match = /const VERSION = '([^']+)'/.exec(extracted.stdout ?? '');
  if (!match) throw new CodeServerError(`could not read VERSION from @vscode/ripgrep@${pkgVersion}'s postinstall`);
  const target = process.arch === 'arm64' ? 'aarch64-unknown-linux-musl' : 'x86_64-unknown-linux-musl';
  const cacheDir = path.join(tmp, `vscode-ripgrep-cache-${pkgVersion}`);
  fs.mkdirSync(cacheDir, { recursive: true });
  const stage = fs.mkdtempSync(path.join(tmp, 'rg-stage-'));
  fs.copyFileSync(rg, path.join(stage, 'rg'));
  fs.chmodSync(path.join(stage, 'rg'), 0o755);
  const asset = path.join(cacheDir, `ripgrep-${match[1]}-${target}.tar.gz`);
  const tar = spawnSync('tar', ['-czf', asset, '-C', stage, 'rg']);
  if (tar.status !== 0) throw new CodeServerError(`could not create ${asset}`);
  log(`code-server: ripgrep cache for @vscode/ripgrep@${pkgVersion} (${match[1]}) filled with ${rg}`);
}

async function acquireLock(log) {
  fs.mkdirSync(path.dirname(lockDir), { recursive: true });
  const deadline = Date.now() + 10 * 60 * 1000;
  let told = false;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
      return () => fs.rmSync(lockDir, { recursive: true, force: true });
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
    const owner = Number(readOr(path.join(lockDir, 'pid'), '0'));
    if (owner && !isAlive(owner)) {
      fs.rmSync(lockDir, { recursive: true, force: true }); // stale: its installer died
      continue;
    }
    if (Date.now() > deadline) throw new CodeServerError(`timed out waiting for the install lock ${lockDir}`);
    if (!told) log(`code-server: another process (pid ${owner}) is installing it; waiting`);
    told = true;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function readOr(file, fallback) {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return fallback;
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * A fresh, short run folder (unix socket paths must stay under 107 bytes):
 * XDG folders, TMPDIR, user data and extensions of one code-server.
 */
export function makeRunDir(prefix = 'bp-vsc-') {
  const base = os.tmpdir().length < 40 ? os.tmpdir() : '/tmp';
  return fs.mkdtempSync(path.join(base, prefix));
}

/**
 * Start code-server on 127.0.0.1, in its own session and process group, and
 * wait until /healthz answers.
 * @param {{
 *   runDir: string,
 *   folder?: string,
 *   userDataDir?: string,
 *   extensionsDir?: string,
 *   env?: Record<string, string>,
 *   port?: number,
 *   log?: (line: string) => void,
 *   timeoutMs?: number,
 *   onSpawn?: (server: CodeServer) => void,
 * }} options
 * @returns {Promise<CodeServer>}
 */
export async function startCodeServer(options) {
  const entry = await ensureCodeServer({ log: options.log });
  const { runDir, log = () => {} } = options;
  let lastError;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = options.port ?? (await freePort());
    try {
      return await startOnce(entry, port, runDir, options, log);
    } catch (error) {
      lastError = error;
      if (options.port || !/EADDRINUSE/.test(String(error.message))) break;
    }
  }
  throw lastError;
}

/**
 * @typedef {{
 *   port: number, url: string, pid: number, logFile: string,
 *   exited: Promise<{ code: number | null, signal: string | null }>,
 *   stop: () => Promise<void>,
 *   stopSync: () => void,
 * }} CodeServer
 */

async function startOnce(entry, port, runDir, options, log) {
  const dirs = {
    XDG_CONFIG_HOME: path.join(runDir, 'config'),
    XDG_DATA_HOME: path.join(runDir, 'data'),
    XDG_CACHE_HOME: path.join(runDir, 'cache'),
    XDG_RUNTIME_DIR: path.join(runDir, 'run'),
    TMPDIR: path.join(runDir, 'tmp'),
  };
  for (const dir of Object.values(dirs)) fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const userDataDir = options.userDataDir ?? path.join(runDir, 'user-data');
  const extensionsDir = options.extensionsDir ?? path.join(runDir, 'extensions');
  fs.mkdirSync(userDataDir, { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  const args = [
    entry,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
  ];
  if (options.folder) args.push(options.folder);
  const env = {
    ...process.env,
    ...dirs,
    EXTENSIONS_GALLERY: '{}', // no marketplace calls
    ...(options.env ?? {}),
  };
  // code-server reads a config file from XDG_CONFIG_HOME; keep it from writing a password one.
  fs.mkdirSync(path.join(dirs.XDG_CONFIG_HOME, 'code-server'), { recursive: true });
  fs.writeFileSync(path.join(dirs.XDG_CONFIG_HOME, 'code-server', 'config.yaml'), 'auth: none\ncert: false\n');
  const logFile = path.join(runDir, 'code-server.log');
  const out = fs.openSync(logFile, 'a');
  // detached = setsid: a new session and process group, so that stopping it
  // reaches the extension hosts and language servers it spawns.
  const child = spawn(process.execPath, args, { cwd: runDir, env, detached: true, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  const pid = child.pid;
  if (!pid) throw new CodeServerError('code-server did not start');
  let exitInfo;
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      exitInfo = { code, signal };
      resolve(exitInfo);
    });
  });
  const stopSync = () => killGroup(pid, 'SIGKILL');
  const stop = async () => {
    if (!killGroup(pid, 'SIGTERM')) return;
    const gone = await Promise.race([
      waitGroupGone(pid, 5000),
      new Promise((resolve) => setTimeout(() => resolve(false), 5000)),
    ]);
    if (!gone) {
      killGroup(pid, 'SIGKILL');
      await waitGroupGone(pid, 5000);
    }
  };
  const server = { port, url: `http://127.0.0.1:${port}`, pid, logFile, exited, stop, stopSync };
  options.onSpawn?.(server); // so that a caller stopped during the wait can still stop it
  log(`code-server: pid ${pid} (process group), port ${port}, log ${logFile}`);
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    if (exitInfo) {
      throw new CodeServerError(
        `code-server exited (${exitInfo.code ?? exitInfo.signal}) before it answered:\n${tail(logFile, 30)}`,
      );
    }
    if (await healthy(server.url)) return server;
    if (Date.now() > deadline) {
      await stop();
      throw new CodeServerError(`code-server did not answer ${server.url}/healthz in time:\n${tail(logFile, 30)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

async function healthy(url) {
  try {
    const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
    return response.ok;
  } catch {
    return false;
  }
}

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
    return true;
  } catch (error) {
    if (error.code === 'ESRCH') return false;
    throw error;
  }
}

async function waitGroupGone(pid, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      process.kill(-pid, 0);
    } catch (error) {
      if (error.code === 'ESRCH') return true;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

export function tail(file, lines) {
  return readOr(file, '').split('\n').slice(-lines).join('\n');
}

/** The workbench URL that opens `folder` (and, with a payload, loads an extension in development mode). */
export function workbenchUrl(server, folder, payload) {
  const params = new URLSearchParams();
  if (folder) params.set('folder', folder);
  if (payload) params.set('payload', JSON.stringify(payload));
  return `${server.url}/?${params.toString()}`;
}

/** `vscode-remote://` form of a path on the code-server machine, for payload entries. */
export function remoteUri(server, file) {
  return `vscode-remote://127.0.0.1:${server.port}${file.split(path.sep).map(encodeURIComponent).join('/')}`;
}
