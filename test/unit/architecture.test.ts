import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { RULES } from '../../server/src/service';
import { repoRoot } from '../helpers/fixtures';

// The language service is pure: no editor, no protocol, no file system. The
// CLI, tests, the Node server and the web worker reuse it as it is.

const FORBIDDEN = [/^vscode$/, /^vscode-languageserver/, /^vscode-languageclient/, /^vscode-jsonrpc/, /^(node:)?fs(\/|$)/, /^(node:)?child_process$/, /^(node:)?(net|http|https|worker_threads)$/];

function sourceFiles(directory: string): string[] {
  return fs.readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:import|export)\s[^;]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)|require\(\s*'([^']+)'\s*\)/g)].map((match) => match[1] ?? match[2] ?? match[3]);
}

describe('architecture', () => {
  test('server/src/service imports nothing from VS Code, LSP or the file system', () => {
    const files = sourceFiles(path.join(repoRoot, 'server', 'src', 'service'));
    assert.ok(files.length > 10);
    const violations = files.flatMap((file) => importsOf(file).filter((name) => FORBIDDEN.some((pattern) => pattern.test(name))).map((name) => `${path.relative(repoRoot, file)} imports ${name}`));
    assert.deepEqual(violations, []);
  });

  test('the client never parses YAML: it imports neither yaml nor the service', () => {
    const files = sourceFiles(path.join(repoRoot, 'client', 'src'));
    const violations = files.flatMap((file) => importsOf(file).filter((name) => name === 'yaml' || name.includes('/service')).map((name) => `${path.relative(repoRoot, file)} imports ${name}`));
    assert.deepEqual(violations, []);
  });

  test('the fence itself catches a forbidden import', () => {
    assert.deepEqual(importsOf(path.join(repoRoot, 'server', 'src', 'nodeWorkspace.ts')).filter((name) => FORBIDDEN.some((pattern) => pattern.test(name))).sort(), ['node:fs', 'vscode-languageserver', 'vscode-languageserver-textdocument']);
  });

  test('the server glue shared with the web worker imports no Node module', () => {
    const shared = ['languageServer.ts', 'browserServer.ts', 'remoteHost.ts', 'remoteWorkspace.ts', 'clientSupport.ts', 'safeHandler.ts'];
    const nodeOnly = /^(node:|fs$|path$|os$|child_process$|fast-glob$|vscode-languageserver\/node$)/;
    const violations = shared.flatMap((file) => importsOf(path.join(repoRoot, 'server', 'src', file)).filter((name) => nodeOnly.test(name)).map((name) => `${file} imports ${name}`));
    assert.deepEqual(violations, []);
    // The glue takes the Node-only scanner of `plan:` markers as a type, never as code.
    assert.match(fs.readFileSync(path.join(repoRoot, 'server', 'src', 'languageServer.ts'), 'utf8'), /import type \{ CodeReferences \} from '\.\/codeReferences';/);
  });
});

describe('manifest and docs follow the rule table', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));

  test('the blueprint.rules setting lists every rule with its default severity', () => {
    const properties = manifest.contributes.configuration.properties['blueprint.rules'].properties as Record<string, { default: string; enum: string[] }>;
    assert.deepEqual(
      Object.entries(properties).map(([id, property]) => [id, property.default, property.enum.join(',')]),
      RULES.map((rule) => [rule.id, rule.severity, 'error,warning,info,off']),
    );
  });

  test('the README rule table lists every rule with its default severity and an anchor', () => {
    const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    const rows = [...readme.matchAll(/^\| <a id="([a-z-]+)"><\/a>`([a-z-]+)` \| (error|warning|info|off) \|/gm)].map((match) => [match[1], match[2], match[3]]);
    assert.deepEqual(rows, RULES.map((rule) => [rule.id, rule.id, rule.severity]));
  });

  test('the plan language and grammar are contributed for *.plan.yaml and *.plan.yml', () => {
    assert.deepEqual(manifest.contributes.languages[0].filenamePatterns, ['*.plan.yaml', '*.plan.yml']);
    assert.equal(manifest.contributes.grammars[0].language, 'plan-yaml');
    assert.ok(fs.existsSync(path.join(repoRoot, manifest.contributes.grammars[0].path)));
  });
});
