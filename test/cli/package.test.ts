import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../helpers/fixtures';

// The .vsix holds what ships and nothing else (allow-list in .vscodeignore).
test('npm run package builds a small .vsix with exactly the shipped files', () => {
  const build = spawnSync('npm', ['run', 'package'], { cwd: repoRoot, encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr + build.stdout);
  const vsix = path.join(repoRoot, 'blueprint.vsix');
  const size = fs.statSync(vsix).size;
  assert.ok(size < 1024 * 1024, `the .vsix is ${size} bytes; the target is under 1 MB`);
  // A .vsix is a zip: list it with Python's zipfile (on every machine of this project's kind).
  const list = spawnSync('python3', ['-c', 'import sys, zipfile; print("\\n".join(sorted(zipfile.ZipFile(sys.argv[1]).namelist())))', vsix], { encoding: 'utf8' });
  assert.equal(list.status, 0, list.stderr);
  assert.deepEqual(list.stdout.trim().split('\n'), [
    '[Content_Types].xml',
    'extension.vsixmanifest',
    'extension/LICENSE.txt',
    'extension/changelog.md',
    'extension/dist/extension.js',
    'extension/dist/server.js',
    'extension/dist/webview/timeline.css',
    'extension/dist/webview/timeline.js',
    'extension/images/plans.svg',
    'extension/language-configuration.json',
    'extension/package.json',
    'extension/readme.md',
    'extension/schemas/plan.schema.json',
    'extension/syntaxes/plan.tmLanguage.json',
  ]);
  fs.rmSync(vsix);
});
