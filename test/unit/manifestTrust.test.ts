import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { repoRoot } from '../helpers/fixtures';

// package.json declares full support for untrusted workspaces and limited
// support for virtual ones (SECURITY.md says why). These tests keep the
// declarations and the reasons for them true: no setting names a program,
// nothing in the extension or its server starts a process (but the server
// itself) or opens a connection, and the client syncs only `file` and
// `untitled` documents (which is what makes virtual workspaces "limited").

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
  test('package.json declares untrusted workspaces supported and virtual workspaces limited, with a reason', () => {
    assert.deepEqual(manifest.capabilities.untrustedWorkspaces, { supported: true });
    const virtual = manifest.capabilities.virtualWorkspaces;
    assert.equal(virtual.supported, 'limited');
    assert.match(virtual.description, /reads .* from disk/);
    assert.match(virtual.description, /local folder/);
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
    assert.match(languageClient, /run: \{ module: serverModule, transport: TransportKind\.ipc \}/);
    assert.doesNotMatch(languageClient, /command:/);
  });

  test('no network: no http, https, net, tls, dgram, fetch, XMLHttpRequest or WebSocket in the extension or its server', () => {
    assert.deepEqual(matches(/from '(node:)?(http|https|http2|net|tls|dgram)'|require\('(node:)?(http|https|http2|net|tls|dgram)'\)|\bfetch\(|XMLHttpRequest|WebSocket|EventSource|sendBeacon/), []);
  });

  test('no code is made from text: no eval or Function constructor (the schema validators are compiled at build time)', () => {
    assert.deepEqual(matches(/\beval\(|new Function\(|\bFunction\(\s*['"`]/), []);
  });

  test('the client syncs only file and untitled documents with the server', () => {
    const languageClient = fs.readFileSync(path.join(repoRoot, 'client', 'src', 'languageClient.ts'), 'utf8');
    const schemes = [...languageClient.matchAll(/scheme: '([^']+)'/g)].map((match) => match[1]);
    assert.ok(schemes.length > 0);
    assert.deepEqual([...new Set(schemes)].sort(), ['file', 'untitled']);
  });
});
