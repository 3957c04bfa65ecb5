// The peer: Red Hat's yaml-language-server, installed on demand with npm into
// .bench/peer/ (gitignored) at a pinned version, started with --stdio.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

export const PEER_PACKAGE = 'yaml-language-server';
/**
 * Pinned. 2.x declares `engines.node >= 22.13`; this project supports Node 20, so the
 * benchmark uses the last 1.x release (same validation engine).
 */
export const PEER_VERSION = '1.25.0';
const INSTALL_TIMEOUT_MS = 300_000;

/**
 * @param {string} repoRoot
 * @param {(line: string) => void} log
 * @returns {Promise<{ version: string, serverScript: string }>}
 */
export async function ensurePeer(repoRoot, log) {
  const folder = path.join(repoRoot, '.bench', 'peer');
  const manifest = path.join(folder, 'node_modules', PEER_PACKAGE, 'package.json');
  const serverScript = path.join(folder, 'node_modules', PEER_PACKAGE, 'bin', PEER_PACKAGE);
  const installedVersion = () => {
    try {
      return /** @type {{ version: string }} */ (JSON.parse(readFileSync(manifest, 'utf8'))).version;
    } catch {
      return undefined;
    }
  };
  if (installedVersion() !== PEER_VERSION || !existsSync(serverScript)) {
    log(`installing ${PEER_PACKAGE}@${PEER_VERSION} into ${path.relative(repoRoot, folder)}/ (npm, once)`);
    mkdirSync(folder, { recursive: true });
    writeFileSync(
      path.join(folder, 'package.json'),
      `${JSON.stringify({ name: 'blueprint-bench-peer', private: true, description: 'The peer language server of npm run bench (scripts/bench/peer.mjs).', dependencies: { [PEER_PACKAGE]: PEER_VERSION } }, null, 2)}\n`,
    );
    const { code, output } = await run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--omit=dev', '--loglevel=error'], folder, INSTALL_TIMEOUT_MS);
    if (code !== 0) throw new Error(`could not install ${PEER_PACKAGE}@${PEER_VERSION} with npm (exit ${code}):\n${output.slice(-3000)}`);
    if (installedVersion() !== PEER_VERSION || !existsSync(serverScript)) {
      throw new Error(`npm finished but ${path.relative(repoRoot, manifest)} is not version ${PEER_VERSION} or ${path.relative(repoRoot, serverScript)} is missing`);
    }
  }
  return { version: PEER_VERSION, serverScript };
}

/**
 * @param {string} command @param {string[]} args @param {string} cwd @param {number} timeoutMs
 * @returns {Promise<{ code: number | null, output: string }>}
 */
export function run(command, args, cwd, timeoutMs) {
  return new Promise((resolve) => {
    let output = '';
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => {
      output += `\n(killed after ${timeoutMs / 1000} s)`;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ code: -1, output: `${output}\n${error.message}` });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}
