import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { builtinModules } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { readFixture, repoRoot } from '../helpers/fixtures';

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
    'extension/dist/browser/extension.js',
    'extension/dist/browser/server.js',
    'extension/dist/extension.js',
    'extension/dist/server.js',
    'extension/dist/webview/timeline.css',
    'extension/dist/webview/timeline.js',
    'extension/images/icon.png',
    'extension/images/plans.svg',
    'extension/language-configuration.json',
    'extension/package.json',
    'extension/readme.md',
    'extension/schemas/plan.schema.json',
    'extension/syntaxes/plan.tmLanguage.json',
  ]);
  fs.rmSync(vsix);
});

// The marketplace icon: a PNG (the marketplace takes no SVG) rendered from images/icon.svg by scripts/render-icon.mjs.
test('the manifest names a square PNG icon of at least 128 pixels', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { icon: string; galleryBanner: { color: string; theme: string } };
  assert.equal(manifest.icon, 'images/icon.png');
  assert.match(manifest.galleryBanner.color, /^#[0-9a-f]{6}$/i);
  const png = fs.readFileSync(path.join(repoRoot, manifest.icon));
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG signature');
  assert.equal(png.subarray(12, 16).toString('latin1'), 'IHDR');
  const [width, height] = [png.readUInt32BE(16), png.readUInt32BE(20)];
  assert.equal(width, height);
  assert.ok(width >= 128, `the icon is ${width} pixels wide`);
  assert.ok(png.length < 32 * 1024, `the icon is ${png.length} bytes`);
});

// `npm pack` makes what `npm publish` would upload: the CLI bundle and nothing it does not need.
// Installed into another project it pulls no dependencies (everything is bundled) and runs offline.
test('npm pack: a package with the CLI and the language server, which installs without dependencies and runs as npx blueprint check', async () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'blueprint-pack-'));
  try {
    const pack = spawnSync('npm', ['pack', '--json', '--pack-destination', scratch], { cwd: repoRoot, encoding: 'utf8' });
    assert.equal(pack.status, 0, pack.stderr);
    const [{ filename, size }] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('['))) as { filename: string; size: number }[];
    const tarball = path.join(scratch, filename);
    const list = spawnSync('tar', ['-tzf', tarball], { encoding: 'utf8' });
    assert.equal(list.status, 0, list.stderr);
    assert.deepEqual(list.stdout.trim().split('\n').sort(), [
      'package/CHANGELOG.md',
      'package/LICENSE',
      'package/README.md',
      'package/dist/cli.js',
      'package/dist/server.js',
      'package/package.json',
      'package/schemas/plan.schema.json',
    ]);
    assert.ok(size < 512 * 1024, `the tarball is ${size} bytes`);
    const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { private?: boolean; dependencies?: object; bin: Record<string, string> };
    assert.equal(manifest.private, undefined, 'publishable');
    assert.deepEqual(manifest.dependencies ?? {}, {}, 'the bundles are self-contained: nothing to install at run time');
    assert.deepEqual(manifest.bin, { blueprint: 'dist/cli.js' });

    // The bundle requires nothing but Node's built-ins (ajv's `require("ajv/…")` strings are code
    // it would generate for standalone validators, never run).
    for (const file of ['cli.js', 'server.js']) {
      const bundle = fs.readFileSync(path.join(repoRoot, 'dist', file), 'utf8');
      const required = new Set([...bundle.matchAll(/\brequire\((["'])([^"']+)\1\)/g)].map((match) => match[2]));
      const builtins = new Set(builtinModules);
      const foreign = [...required].filter((name) => !builtins.has(name.replace(/^node:/, '')) && !/^ajv(-formats)?\/dist\//.test(name));
      assert.deepEqual(foreign, [], file);
    }

    const project = path.join(scratch, 'consumer');
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
    const install = spawnSync('npm', ['install', '--offline', '--no-audit', '--no-fund', tarball], { cwd: project, encoding: 'utf8' });
    assert.equal(install.status, 0, install.stderr);
    assert.deepEqual(fs.readdirSync(path.join(project, 'node_modules')).filter((name) => !name.startsWith('.')), ['blueprint-plans'], 'no dependencies installed');

    // The stand-alone language server other editors start: it answers initialize, and exits when told.
    const serverRun = await talkToServer(path.join(project, 'node_modules', 'blueprint-plans', 'dist', 'server.js'));
    assert.equal(serverRun.exitCode, 0, serverRun.stderr);
    assert.match(serverRun.stdout, /"id":1,"result":\{"capabilities":\{/);
    assert.match(serverRun.stdout, /"completionProvider"/);

    fs.mkdirSync(path.join(project, 'plans'));
    fs.writeFileSync(path.join(project, 'plans', 'checkout.plan.yaml'), readFixture('valid/checkout.plan.yaml'));
    const npx = (...args: string[]) => spawnSync('npx', ['--offline', ...args], { cwd: project, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    const clean = npx('blueprint', 'check');
    assert.equal(clean.status, 0, clean.stderr);
    assert.equal(clean.stdout, '✓ 0 errors, 0 warnings, 0 info in 1 plan file\n');

    fs.writeFileSync(path.join(project, 'plans', 'cycle.plan.yaml'), readFixture('rules/dependency-cycle.plan.yaml'));
    // By the package's name, the way a CI job without an install step runs it.
    const failing = npx('blueprint-plans', 'check', '--format', 'json');
    assert.equal(failing.status, 1, failing.stderr);
    assert.deepEqual((JSON.parse(failing.stdout) as { summary: object }).summary, { errors: 2, warnings: 0, infos: 0 });
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
});

/** Starts a language server over stdio, initializes it, shuts it down; what it wrote and its exit code. */
function talkToServer(serverFile: string): Promise<{ exitCode: number | null; stdout: string; stderr: string }> {
  const frame = (message: object) => {
    const body = JSON.stringify({ jsonrpc: '2.0', ...message });
    return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [serverFile, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`the server did not answer in 30 s: ${stdout} ${stderr}`));
    }, 30_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      // Once initialize is answered: initialized, shutdown, exit.
      if (stdout.includes('"id":1,') && !stdout.includes('"id":2,') && !child.stdin.writableEnded) {
        child.stdin.write(frame({ method: 'initialized', params: {} }) + frame({ id: 2, method: 'shutdown' }));
      }
      if (stdout.includes('"id":2,') && !child.stdin.writableEnded) child.stdin.end(frame({ method: 'exit' }));
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (exitCode) => {
      clearTimeout(timer);
      resolve({ exitCode, stdout, stderr });
    });
    child.stdin.write(frame({ id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } }));
  });
}
