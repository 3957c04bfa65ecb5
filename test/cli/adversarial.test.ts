import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { createPlanService } from '../../server/src/service';
import { ADVERSARIAL_DIR, corpusFiles, GENERATED, readCorpusFile, type GeneratedCase } from '../helpers/adversarialCorpus';
import { repoRoot } from '../helpers/fixtures';

// The adversarial corpus (test/unit/adversarial.test.ts has each case's
// expected outcome) through the built CLI, one process per file, the way CI
// runs it: it never crashes (exit 2), exits 1 exactly when there are errors,
// and reports what the service reports, at the same 1-based lines and
// columns (UTF-16), except that a byte order mark is not counted, as editors
// do not show it.

const cli = path.join(repoRoot, 'dist', 'cli.js');
const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'blueprint-adversarial-'));
/** A hang guard for one CLI run (process start included), not a performance test. */
const GUARD_MS = 30_000;

after(() => fs.rmSync(temp, { recursive: true, force: true }));

interface JsonOutput {
  files: { path: string; diagnostics: { rule: string; severity: string; message: string; range: { start: { line: number; column: number }; end: { line: number; column: number } } }[] }[];
  summary: { errors: number; warnings: number; infos: number };
}

function check(cwd: string, file: string): { status: number | null; output: JsonOutput } {
  const started = Date.now();
  const result = spawnSync(process.execPath, [cli, 'check', file, '--format', 'json'], { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: GUARD_MS });
  assert.ok(Date.now() - started < GUARD_MS, `${file}: hang guard`);
  assert.notEqual(result.status, 2, `${file}: ${result.stderr}`);
  assert.equal(result.stderr, '', file);
  return { status: result.status, output: JSON.parse(result.stdout) as JsonOutput };
}

/** What the service says about the text, in the CLI's JSON terms. */
function expected(name: string, text: string) {
  const diagnostics = createPlanService().getDiagnostics({ uri: `file:///workspace/${name}`, version: 1, text });
  return diagnostics.map((diagnostic) => ({
    rule: diagnostic.code,
    message: diagnostic.message,
    range: {
      start: { line: diagnostic.range.start.line + 1, column: diagnostic.range.start.character + 1 },
      end: { line: diagnostic.range.end.line + 1, column: diagnostic.range.end.character + 1 },
    },
  }));
}

function withoutSeverity(output: JsonOutput) {
  return output.files[0].diagnostics.map(({ rule, message, range }) => ({ rule, message, range }));
}

describe('the CLI on the adversarial corpus', () => {
  for (const name of corpusFiles()) {
    test(name, () => {
      const { status, output } = check(ADVERSARIAL_DIR, name);
      assert.equal(status, output.summary.errors > 0 ? 1 : 0);
      assert.equal(status, 1, 'every corpus file has an error');
      const text = readCorpusFile(name);
      // The CLI drops a byte order mark (columns as an editor shows them); the service counts what it is given.
      assert.deepEqual(withoutSeverity(output), expected(name, text.replace(/^\ufeff/, '')));
    });
  }

  test('bom.plan.yaml: the first line\'s columns do not count the byte order mark', () => {
    const { output } = check(ADVERSARIAL_DIR, 'bom.plan.yaml');
    assert.deepEqual(output.files[0].diagnostics[0].range, { start: { line: 1, column: 7 }, end: { line: 1, column: 20 } });
  });

  const exits: Record<GeneratedCase, 0 | 1> = {
    'deep-flow-seq': 1,
    'deep-flow-map': 1,
    'deep-block-seq': 1,
    'deep-block-map': 1,
    'one-line-10mb': 1,
    'many-aliases': 0,
    'many-tasks': 0,
    'wide-inheritance': 1,
  };
  for (const [name, exit] of Object.entries(exits) as [GeneratedCase, 0 | 1][]) {
    test(`${name} (generated)`, () => {
      const text = GENERATED[name]();
      fs.writeFileSync(path.join(temp, `${name}.plan.yaml`), text);
      const { status, output } = check(temp, `${name}.plan.yaml`);
      assert.equal(status, exit);
      // Where the YAML reader runs out of stack depends on the process: compare rule ids and messages.
      const summary = (list: { rule: string; message: string }[]) => list.map(({ rule, message }) => `${rule}: ${message}`).sort();
      assert.deepEqual(summary(withoutSeverity(output)), summary(expected(`${name}.plan.yaml`, text)));
    });
  }

  // That nothing outside is read is shown with a spy on the file system in test/unit/crossFileHardening.test.ts.
  test('a reference out of the current folder is reported', () => {
    const workspace = path.join(temp, 'ws');
    fs.mkdirSync(workspace, { recursive: true });
    fs.writeFileSync(path.join(temp, 'secret.plan.yaml'), 'plan: Secret\nowner: ana\nstart: 2026-03-02\n');
    fs.writeFileSync(path.join(workspace, 'a.plan.yaml'), readCorpusFile('crlf.plan.yaml').replace('    owner: bob\r\n', '    owner: ana\r\n    depends_on: ["../secret.plan.yaml#x", /etc/passwd.plan.yaml#x]\r\n'));
    const { status, output } = check(workspace, 'a.plan.yaml');
    assert.equal(status, 1);
    assert.deepEqual(output.files[0].diagnostics.filter((diagnostic) => diagnostic.rule === 'unknown-reference').map(({ message, range }) => [message, range.start.line, range.start.column]), [
      ['`../secret.plan.yaml` is outside the workspace folder, and Blueprint reads no plan there; move that plan into the workspace, or fix the path (it is relative to this file).', 14, 18],
      ['`/etc/passwd.plan.yaml` is an absolute path; name another plan by its path relative to this file, with forward slashes (e.g. `../platform.plan.yaml#x`).', 14, 43],
    ]);
  });
});
