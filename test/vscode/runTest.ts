// In-VS-Code tests (npm run test:vscode, after tsc): @vscode/test-electron's
// runTests() with a VS Code of our own. There is no internet to download VS
// Code, so `vscodeExecutablePath` is scripts/vscode/code-server-host.mjs: it
// takes the same arguments, runs the suite in code-server + headless chromium
// and exits with the suite's code. BLUEPRINT_VSCODE_EXECUTABLE overrides it
// (e.g. a real `code` binary on a desktop).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

// out/test/vscode/runTest.js → the repository root.
const root = path.resolve(__dirname, '..', '..', '..');

async function main(): Promise<number> {
  const extensionDevelopmentPath = root;
  const extensionTestsPath = path.join(__dirname, 'suite');
  const workspace = path.join(root, 'test', 'vscode', 'workspace');
  const vscodeExecutablePath =
    process.env.BLUEPRINT_VSCODE_EXECUTABLE ?? path.join(root, 'scripts', 'vscode', 'code-server-host.mjs');

  const missing = [
    [path.join(root, 'dist', 'extension.js'), 'run `node esbuild.mjs`'],
    [path.join(root, 'dist', 'server.js'), 'run `node esbuild.mjs`'],
    [path.join(extensionTestsPath, 'index.js'), 'run `npx tsc -p .`'],
  ].filter(([file]) => !fs.existsSync(file));
  for (const [file, fix] of missing) console.error(`missing ${path.relative(root, file)}: ${fix}`);
  if (missing.length) return 1;

  try {
    await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath,
      extensionTestsPath,
      launchArgs: [workspace],
      // Our host, given no --user-data-dir/--extensions-dir, makes a fresh
      // profile inside its run folder and removes it with that folder (rather
      // than runTests' default under .vscode-test/, shared by every run). A
      // real `code` gets runTests' separate profile, not the user's own.
      reuseMachineInstall: !process.env.BLUEPRINT_VSCODE_EXECUTABLE,
    });
    return 0;
  } catch (error) {
    console.error(`in-VS-Code tests failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

void main().then((code) => process.exit(code));
