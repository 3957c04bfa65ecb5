// Mocha runner inside VS Code's extension host: VS Code requires this module
// (the `extensionTestsPath`) and calls run(); the promise settling ends the
// test instance, and its outcome becomes the exit code of the run.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import Mocha from 'mocha';

// The extension host's console reaches the runner (scripts/vscode/
// code-server-host.mjs) mixed with VS Code's own log lines; this mark is how
// it picks out the reporter's output to print.
const MARK = '[mocha] ';

export function run(): Promise<void> {
  Mocha.reporters.Base.consoleLog = (...args: unknown[]) => console.log(MARK + format(...args));
  const mocha = new Mocha({
    ui: 'tdd',
    reporter: 'spec',
    color: false,
    // Each test waits on events with its own deadline; this is only the backstop.
    timeout: 60_000,
    // A grep for one test: BLUEPRINT_VSCODE_GREP reaches the extension host
    // through code-server's environment.
    grep: process.env.BLUEPRINT_VSCODE_GREP,
  });
  const files = fs
    .readdirSync(__dirname)
    .filter((name) => name.endsWith('.test.js'))
    .sort();
  for (const name of files) mocha.addFile(path.join(__dirname, name));
  return new Promise((resolve, reject) => {
    if (files.length === 0) {
      reject(new Error(`no *.test.js beside ${__filename}`));
      return;
    }
    try {
      mocha.run((failures) => {
        if (failures > 0) reject(new Error(`${failures} test(s) failed`));
        else resolve();
      });
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}
