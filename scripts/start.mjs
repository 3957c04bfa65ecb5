// npm start: build the extension, start code-server on 127.0.0.1 and print
// the URL that opens examples/ with Blueprint loaded in development mode
// (an "Extension Development Host" in the browser). Runs until Ctrl+C, then
// stops code-server and everything it started.
//
//   npm start                  build once
//   npm start -- --watch       rebuild on change (reload the browser window to pick it up)
//   npm start -- --port 8080   a fixed port instead of a free one
//   npm start -- path/to/dir   open another folder instead of examples/
//   npm start -- --web         the web extension only (as in vscode.dev): the browser build in the
//                              web worker extension host, its language server in a web worker
//
// code-server 4.100.3 is installed into .vscode-test/code-server/ the first
// time (about 90 s). The profile (settings, open editors) is kept in
// .vscode-test/start/ between runs.

import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CODE_SERVER_VERSION,
  CodeServerError,
  ensureCodeServer,
  makeRunDir,
  remoteUri,
  repoRoot,
  startCodeServer,
  workbenchUrl,
} from './vscode/codeServer.mjs';
import { assembleWebExtension } from './vscode/webExtension.mjs';

const argv = process.argv.slice(2);
const watch = argv.includes('--watch');
const web = argv.includes('--web');
const portIndex = argv.indexOf('--port');
const port = portIndex >= 0 ? Number(argv[portIndex + 1]) : process.env.PORT ? Number(process.env.PORT) : undefined;
const positional = argv.filter((arg, i) => !arg.startsWith('--') && !(portIndex >= 0 && i === portIndex + 1));
const folder = path.resolve(repoRoot, positional[0] ?? 'examples');
if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
  console.error(`not a port: ${argv[portIndex + 1] ?? process.env.PORT}`);
  process.exit(2);
}

const cleanups = [];
let stopping;
function stop(code) {
  stopping ??= (async () => {
    while (cleanups.length) {
      try {
        await cleanups.pop()();
      } catch (error) {
        console.error(`cleanup failed: ${error?.message ?? error}`);
      }
    }
    process.exit(code);
  })();
  return stopping;
}
process.on('SIGINT', () => {
  console.log('\nstopping…');
  void stop(0);
});
process.on('SIGTERM', () => void stop(143));
process.on('SIGHUP', () => void stop(129));

async function main() {
  console.log('building: node esbuild.mjs');
  const build = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: repoRoot, stdio: 'inherit' });
  if (build.status !== 0) throw new CodeServerError(`the build failed (exit ${build.status ?? build.signal})`);

  if (!fs.existsSync(folder)) {
    if (positional[0]) throw new CodeServerError(`folder not found: ${folder}`);
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, '.gitkeep'), '');
  }

  await ensureCodeServer();

  if (watch) {
    // Its own process group, so that stopping reaches esbuild's service too.
    const watcher = spawn(process.execPath, ['esbuild.mjs', '--watch'], { cwd: repoRoot, stdio: 'inherit', detached: true });
    cleanups.push(() => {
      try {
        process.kill(-watcher.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    });
  }

  const runDir = makeRunDir('bp-start-');
  cleanups.push(() => fs.rmSync(runDir, { recursive: true, force: true }));
  const profile = path.join(repoRoot, '.vscode-test', 'start');
  const settings = path.join(profile, 'user-data', 'User', 'settings.json');
  if (!fs.existsSync(settings)) {
    // First run: no offer to open the repository's git root above examples/.
    fs.mkdirSync(path.dirname(settings), { recursive: true });
    fs.writeFileSync(settings, `${JSON.stringify({ 'git.openRepositoryInParentFolders': 'never' }, null, 2)}\n`);
  }
  const server = await startCodeServer({
    runDir,
    port,
    userDataDir: path.join(profile, 'user-data'),
    extensionsDir: path.join(profile, 'extensions'),
  });
  cleanups.push(() => server.stop());
  process.on('exit', () => server.stopSync());
  server.exited.then(({ code, signal }) => {
    if (stopping) return;
    console.error(`code-server exited (${code ?? signal}); its log: ${server.logFile}`);
    void stop(1);
  });

  // The web extension alone: package.json without `main` and copies of the browser build (code-server does not
  // serve an extension's files through symbolic links); with --watch, copied again after each rebuild.
  const extensionPath = web ? path.join(profile, 'web-extension') : repoRoot;
  if (web) {
    assembleWebExtension(extensionPath);
    if (watch) {
      let pending;
      const watcher = fs.watch(path.join(repoRoot, 'dist'), { recursive: true }, () => {
        clearTimeout(pending);
        pending = setTimeout(() => {
          try {
            assembleWebExtension(extensionPath);
          } catch (error) {
            console.error(`copying the web extension: ${error.message}`);
          }
        }, 300);
      });
      cleanups.push(() => watcher.close());
    }
  }
  const url = workbenchUrl(server, folder, [['extensionDevelopmentPath', remoteUri(server, extensionPath)]]);
  console.log(`
Blueprint${web ? "'s web extension (browser build only, in the web worker extension host)" : ''} is loaded in development mode in code-server ${CODE_SERVER_VERSION} (VS Code 1.100.3).
Open this URL in a browser on this machine (127.0.0.1 only: webviews need a secure context):

  ${url}

Folder: ${path.relative(process.cwd(), folder) || '.'}${watch ? '   (rebuilding on change: reload the window to pick it up)' : ''}
code-server log: ${server.logFile}
Press Ctrl+C to stop.`);
}

main().catch((error) => {
  console.error(error instanceof CodeServerError ? error.message : error?.stack ?? error);
  void stop(1);
});
