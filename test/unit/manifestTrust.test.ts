import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { repoRoot } from '../helpers/fixtures';

// package.json declares full support for untrusted workspaces and for
// virtual ones (SECURITY.md says why). These tests keep the declarations and
// the reasons for them true: no setting names a program, nothing in the
// extension or its server starts a process (but the server itself) or opens a
// connection (but the web extension fetching its own server script), and
// documents of other schemes than `file` are synced only when they are plans
// (in a virtual workspace and on the web, whose servers read files through
// the client's file system API).

const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));

function sourceFiles(directory: string): string[] {
  return fs.readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|js|mjs)$/.test(entry.name) ? [full] : [];
  });
}

const shipped = [...sourceFiles(path.join(repoRoot, 'client', 'src')), ...sourceFiles(path.join(repoRoot, 'server', 'src'))];
const relative = (file: string) => path.relative(repoRoot, file).split(path.sep).join('/');

/** Lines of the shipped sources that match `pattern` (comments included: a mention is worth a look too). */
function matches(pattern: RegExp, except: (file: string) => boolean = () => false): string[] {
  return shipped
    .filter((file) => !except(relative(file)))
    .flatMap((file) =>
      fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, index) => (pattern.test(line) ? [`${relative(file)}:${index + 1}: ${line.trim()}`] : [])),
    );
}

describe('workspace trust and virtual workspaces', () => {
  test('package.json declares untrusted and virtual workspaces supported, and a browser entry', () => {
    assert.deepEqual(manifest.capabilities.untrustedWorkspaces, { supported: true });
    assert.equal(manifest.capabilities.virtualWorkspaces, true);
    assert.equal(manifest.browser, './dist/browser/extension.js');
    // A virtual workspace on the desktop starts the server reading files through the client.
    const languageClient = fs.readFileSync(path.join(repoRoot, 'client', 'src', 'languageClient.ts'), 'utf8');
    assert.match(languageClient, /const args = virtual \? \['--files-through-client'\] : \[\];/);
    assert.match(fs.readFileSync(path.join(repoRoot, 'server', 'src', 'server.ts'), 'utf8'), /process\.argv\.includes\('--files-through-client'\) \? filesThroughClient\(connection\) : localFiles/);
  });

  test('no setting can name a program, a path or a command: only rule severities and on/off switches', () => {
    const properties = manifest.contributes.configuration.properties as Record<string, { type: string; properties?: Record<string, { type: string; enum?: string[] }> }>;
    for (const [name, property] of Object.entries(properties)) {
      assert.doesNotMatch(name, /path|executable|command|program|binary|shell|args|env|url|server/i, name);
      if (property.type === 'object') {
        for (const [key, inner] of Object.entries(property.properties ?? {})) {
          assert.equal(inner.type, 'string', `${name}.${key}`);
          assert.deepEqual(inner.enum, ['error', 'warning', 'info', 'off'], `${name}.${key}`);
        }
        assert.equal((property as { additionalProperties?: unknown }).additionalProperties, false, name);
      } else {
        assert.equal(property.type, 'boolean', name);
      }
    }
  });

  test('no process is started but the language server, and only the CLI runs git', () => {
    assert.deepEqual(matches(/child_process|\b(spawn|spawnSync|execFile|execFileSync|execSync|fork)\(|createTerminal|ShellExecution|ProcessExecution/, (file) => file === 'server/src/cli.ts'), []);
    assert.ok(matches(/child_process/).some((line) => line.startsWith('server/src/cli.ts:')), 'the scan reads the sources (it sees the CLI import child_process)');
    const cli = fs.readFileSync(path.join(repoRoot, 'server', 'src', 'cli.ts'), 'utf8');
    assert.deepEqual([...cli.matchAll(/spawnSync\(\s*'([^']+)'/g)].map((match) => match[1]), ['git'], 'the CLI spawns git and nothing else');
    assert.doesNotMatch(cli, /shell:\s*true/, 'never through a shell');
    // The client starts the server as a Node module (VS Code's fork), never a command line.
    const languageClient = fs.readFileSync(path.join(repoRoot, 'client', 'src', 'languageClient.ts'), 'utf8');
    assert.match(languageClient, /run: \{ module: serverModule, transport: TransportKind\.ipc, args \}/);
    assert.doesNotMatch(languageClient, /command:/);
  });

  test('no network: no http, https, net, tls, dgram, fetch, XMLHttpRequest or WebSocket in the extension or its server', () => {
    assert.deepEqual(matches(/from '(node:)?(http|https|http2|net|tls|dgram)'|require\('(node:)?(http|https|http2|net|tls|dgram)'\)|\bfetch\(|XMLHttpRequest|WebSocket|EventSource|sendBeacon/, (file) => file === 'client/src/browserExtension.ts'), []);
    // The one fetch: the web extension's own server script, when the worker cannot be started from its address.
    const browser = fs.readFileSync(path.join(repoRoot, 'client', 'src', 'browserExtension.ts'), 'utf8');
    assert.deepEqual([...browser.matchAll(/\bfetch\(([^;]*)\);/g)].map((match) => match[1]), ['script.toString(true)']);
    assert.match(browser, /startServerWorker\(vscode\.Uri\.joinPath\(context\.extensionUri, 'dist\/browser\/server\.js'\)\)/);
    assert.doesNotMatch(browser, /XMLHttpRequest|WebSocket|http:|https:/);
  });

  test('no code is made from text: no eval or Function constructor (the schema validators are compiled at build time)', () => {
    assert.deepEqual(matches(/\beval\(|new Function\(|\bFunction\(\s*['"`]/), []);
  });

  test('the client syncs plans of any scheme, and other documents only from the local disk', () => {
    for (const file of ['languageClient.ts', 'browserExtension.ts']) {
      const source = fs.readFileSync(path.join(repoRoot, 'client', 'src', file), 'utf8');
      const selectors = [...source.matchAll(/\{ (?:scheme: '[^']+')?(?:, )?(?:language: PLAN_LANGUAGE_ID)? \}/g)].map((match) => match[0]);
      assert.ok(selectors.length > 0, file);
      // A selector without a language (all documents) is only ever the local disk's, for `plan:` markers in code.
      assert.deepEqual(selectors.filter((selector) => !selector.includes('language')), file === 'languageClient.ts' ? ["{ scheme: 'file' }"] : [], file);
    }
  });
});
