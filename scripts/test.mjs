// The one test command (npm test): build, type-check and compile the tests,
// then unit, protocol and in-VS-Code suites, failing on the first red layer.
import { spawnSync } from 'node:child_process';

const steps = [
  ['build', 'node', ['esbuild.mjs']],
  ['compile tests', 'npx', ['tsc', '-p', '.']],
  ['type-check the webview', 'npx', ['tsc', '-p', 'client/src/webview', '--noEmit']],
  ['unit tests', 'node', ['--test', 'out/test/unit/']],
  ['timeline page tests (layout, and the page in headless Chromium)', 'node', ['--test', 'out/test/webview/']],
  ['protocol tests', 'node', ['--test', 'out/test/protocol/']],
  ['command-line tests', 'node', ['--test', 'out/test/cli/']],
  // code-server is installed into .vscode-test/ once (60–170 s on a fresh machine), before the
  // in-VS-Code runs start their own deadlines.
  ['install code-server for the in-VS-Code tests', 'node', ['--input-type=module', '-e', "const { ensureCodeServer } = await import('./scripts/vscode/codeServer.mjs'); await ensureCodeServer();"]],
  ['in-VS-Code tests', 'node', ['out/test/vscode/runTest.js']],
  ['UI tests in VS Code (real mouse and keyboard)', 'node', ['test/ui/run.mjs']],
  ['web extension in VS Code (browser build in the web worker extension host)', 'node', ['test/web/run.mjs']],
];

for (const [name, command, args] of steps) {
  console.log(`\n== ${name}: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`\n${name} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status || 1);
  }
}
