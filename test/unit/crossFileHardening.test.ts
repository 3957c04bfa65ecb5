import assert from 'node:assert/strict';
import * as fs from 'node:fs';
// The module object itself (not a namespace of getters), so that its functions can be spied on.
import nodeFs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { URI } from 'vscode-uri';
import { checkFiles } from '../../server/src/cli';
import { NodePlanWorkspace } from '../../server/src/nodeWorkspace';
import { createPlanService, type PlanDiagnostic, type PlanTextDocument, type PlanWorkspace } from '../../server/src/service';
import { getCompletions } from '../../server/src/service/completion';
import { getHover } from '../../server/src/service/hover';
import { findDefinition, findReferences } from '../../server/src/service/navigation';
import { PlanFileReader } from '../../server/src/workspaceFiles';
import { fixedToday, textAt } from '../helpers/fixtures';

// Cross-file references (`path/to/other.plan.yaml#id`) under attack: cycles
// across files, a file naming itself, missing and unreadable files, and
// paths that leave the workspace (`..`, absolute paths, URIs, backslashes,
// URL escapes). Each gets an unknown-reference (or dependency-cycle) with
// the exact range of the entry and a message that says the fix; nothing
// outside the workspace folder is asked for by the service, nor read (nor
// even looked at) by the Node hosts (the server's NodePlanWorkspace and the
// CLI's DiskWorkspace, both through workspaceFiles.ts).

const today = fixedToday('2026-03-02');

const plan = (name: string, dependency: string, extra = '') => `plan: ${name}
owner: ana
start: 2026-03-02
as_of: 2026-02-27
people:
  ana: { name: Ana }
  bob: { name: Bob }
goals:
  - { id: g, title: G, owner: ana, metrics: [{ name: m, target: 1 }] }
milestones:
  - id: ship
    title: Ship
    due: 2026-04-30
    owner: ana
    goals: [g]
    tasks:
      - id: build
        title: Build
        owner: bob
        duration: 2d
      - id: deploy
        title: Deploy
        owner: ana
        depends_on: [${dependency}]
        duration: 3d
${extra}`;

/** An in-memory workspace under file:///ws/ that records every uri the service asks for. */
function stubWorkspace(files: Record<string, string>, failures: Record<string, string> = {}) {
  const requested: string[] = [];
  const documents = new Map<string, PlanTextDocument>(Object.entries(files).map(([name, text]) => [`file:///ws/${name}`, { uri: `file:///ws/${name}`, version: 1, text }]));
  // A plan just outside the workspace, which must never be asked for.
  documents.set('file:///outside.plan.yaml', { uri: 'file:///outside.plan.yaml', version: 1, text: plan('Outside', 'build') });
  const workspace: PlanWorkspace & { requested: string[] } = {
    requested,
    getDocument: (uri) => {
      requested.push(uri);
      return documents.get(uri);
    },
    listPlanUris: () => [...documents.keys()].filter((uri) => uri.startsWith('file:///ws/')),
    isInside: (uri) => uri.startsWith('file:///ws/'),
    readFailure: (uri) => failures[uri],
  };
  const service = createPlanService({ today, workspace });
  const diagnose = (name: string, text = files[name]) => service.getDiagnostics({ uri: `file:///ws/${name}`, version: 1, text });
  return { workspace, service, requested, diagnose };
}

/** [rule, text under the range, message] */
function rows(text: string, diagnostics: PlanDiagnostic[]): [string, string, string][] {
  return diagnostics.map((diagnostic) => [diagnostic.code, textAt(text, diagnostic.range), diagnostic.message]);
}

function assertNothingOutside(requested: string[]): void {
  assert.ok(requested.length > 0, 'the workspace was asked for something');
  assert.deepEqual(requested.filter((uri) => !uri.startsWith('file:///ws/')), [], 'asked for a uri outside the workspace');
}

describe('cross-file references: cycles', () => {
  test('a cycle between two plans is reported on the entry in each, naming the whole cycle', () => {
    const files = { 'a.plan.yaml': plan('A', 'b.plan.yaml#ship'), 'b.plan.yaml': plan('B', 'a.plan.yaml#deploy') };
    const { diagnose, requested } = stubWorkspace(files);
    assert.deepEqual(rows(files['a.plan.yaml'], diagnose('a.plan.yaml')), [
      ['dependency-cycle', 'b.plan.yaml#ship', 'Dependency cycle across plans: deploy → b.plan.yaml#ship → b.plan.yaml#deploy → deploy; remove one of these dependencies.'],
    ]);
    assert.deepEqual(rows(files['b.plan.yaml'], diagnose('b.plan.yaml')), [
      ['dependency-cycle', 'a.plan.yaml#deploy', 'Dependency cycle across plans: deploy → a.plan.yaml#deploy → ship → deploy; remove one of these dependencies.'],
    ]);
    assertNothingOutside(requested);
  });

  test('through three plans in different folders, with paths relative to the reporting file', () => {
    const files = {
      'apps/a.plan.yaml': plan('A', '../infra/b.plan.yaml#deploy'),
      'infra/b.plan.yaml': plan('B', 'c.plan.yaml#deploy'),
      'infra/c.plan.yaml': plan('C', '../apps/a.plan.yaml#ship'),
    };
    const { diagnose } = stubWorkspace(files);
    assert.deepEqual(rows(files['apps/a.plan.yaml'], diagnose('apps/a.plan.yaml')), [
      ['dependency-cycle', '../infra/b.plan.yaml#deploy', 'Dependency cycle across plans: deploy → ../infra/b.plan.yaml#deploy → ../infra/c.plan.yaml#deploy → ship → deploy; remove one of these dependencies.'],
    ]);
    assert.equal(diagnose('infra/c.plan.yaml')[0].message, 'Dependency cycle across plans: deploy → ../apps/a.plan.yaml#ship → ../apps/a.plan.yaml#deploy → b.plan.yaml#deploy → deploy; remove one of these dependencies.');
  });

  test('plans that refer to each other without a cycle of items are not a cycle', () => {
    // a#deploy waits for b#build; b#deploy waits for a#build: the files loop, the work does not.
    const files = { 'a.plan.yaml': plan('A', 'b.plan.yaml#build'), 'b.plan.yaml': plan('B', 'a.plan.yaml#build') };
    const { diagnose } = stubWorkspace(files);
    assert.deepEqual(diagnose('a.plan.yaml'), []);
    assert.deepEqual(diagnose('b.plan.yaml'), []);
  });

  test('a cycle is seen to go when the other plan changes', () => {
    const files = { 'a.plan.yaml': plan('A', 'b.plan.yaml#ship'), 'b.plan.yaml': plan('B', 'a.plan.yaml#deploy') };
    const documents = new Map<string, PlanTextDocument>(Object.entries(files).map(([name, text]) => [`file:///ws/${name}`, { uri: `file:///ws/${name}`, version: 1, text }]));
    const service = createPlanService({ today, workspace: { getDocument: (uri) => documents.get(uri), isInside: (uri) => uri.startsWith('file:///ws/') } });
    const a = documents.get('file:///ws/a.plan.yaml')!;
    assert.equal(service.getDiagnostics(a)[0]?.code, 'dependency-cycle');
    documents.set('file:///ws/b.plan.yaml', { uri: 'file:///ws/b.plan.yaml', version: 2, text: plan('B', 'build') });
    assert.deepEqual(service.getDiagnostics(a), []);
  });

  test('ids named after Object.prototype members resolve like any id, across files too', () => {
    const other = plan('Other', 'build').replace(/\bbuild\b/g, 'toString').replace(/\bdeploy\b/g, '__proto__');
    const files = { 'other.plan.yaml': other, 'a.plan.yaml': plan('A', 'other.plan.yaml#toString, other.plan.yaml#__proto__, other.plan.yaml#valueOf, other.plan.yaml#constructor') };
    const { diagnose } = stubWorkspace(files);
    assert.deepEqual(rows(files['a.plan.yaml'], diagnose('a.plan.yaml')), [
      ['unknown-reference', 'other.plan.yaml#valueOf', '`other.plan.yaml` has no task or milestone `valueOf`; check the ids in other.plan.yaml.'],
      ['unknown-reference', 'other.plan.yaml#constructor', '`other.plan.yaml` has no task or milestone `constructor`; check the ids in other.plan.yaml.'],
    ]);
    assert.equal(({} as Record<string, unknown>).toString, Object.prototype.toString);
  });
});

describe('cross-file references: wide plans', () => {
  test('a parent with 1,000 entries in another plan that each wait back for it: every entry reported', () => {
    // Each entry's walk covers the parent's whole subtree; walked once per entry it took over a minute at 300.
    const count = 1_000;
    const header = ['plan: P', 'owner: ana', 'start: 2026-03-02', 'as_of: 2026-02-27', 'people:', '  ana: { name: Ana }', 'milestones:'];
    const main = [...header, '  - id: m1', '    title: M', '    owner: ana', '    tasks:', '      - id: p', '        title: P', '        owner: ana', `        depends_on: [${Array.from({ length: count }, (_, index) => `other.plan.yaml#o${index}`).join(', ')}]`, '        tasks:'];
    for (let index = 0; index < count; index++) main.push(`          - { id: s${index}, title: S, owner: ana, duration: 1d }`);
    const other = [...header, '  - id: om', '    title: M', '    owner: ana', '    tasks:'];
    for (let index = 0; index < count; index++) other.push(`      - { id: o${index}, title: O, owner: ana, duration: 1d, depends_on: [main.plan.yaml#m1] }`);
    const files = { 'main.plan.yaml': `${main.join('\n')}\n`, 'other.plan.yaml': `${other.join('\n')}\n` };
    const { diagnose } = stubWorkspace(files);
    const started = performance.now();
    const cycles = rows(files['main.plan.yaml'], diagnose('main.plan.yaml')).filter(([rule]) => rule === 'dependency-cycle');
    assert.ok(performance.now() - started < 20_000, 'hang guard');
    assert.equal(cycles.length, count);
    assert.deepEqual(cycles[0], ['dependency-cycle', 'other.plan.yaml#o0', 'Dependency cycle across plans: p → other.plan.yaml#o0 → m1 → p; remove one of these dependencies.']);
  });
});

describe('cross-file references: paths', () => {
  const cases: [dependency: string, message: string, replacement?: string][] = [
    ['a.plan.yaml#build', '`a.plan.yaml` is this file itself; write just `build`.', 'build'],
    ['./a.plan.yaml#nope', '`./a.plan.yaml` is this file itself, which has no task or milestone `nope`; name a local id without the path, or fix the path.'],
    ['../ws/a.plan.yaml#build', '`../ws/a.plan.yaml` is this file itself; write just `build`.', 'build'],
    ['nowhere.plan.yaml#x', 'No plan file `nowhere.plan.yaml` next to this one; fix the path (it is relative to this file).'],
    ['..%2foutside.plan.yaml#x', 'No plan file `..%2foutside.plan.yaml` next to this one; fix the path (it is relative to this file; `%` escapes are not decoded, so write it as plain text).'],
    ['%2e%2e/outside.plan.yaml#x', 'No plan file `%2e%2e/outside.plan.yaml` next to this one; fix the path (it is relative to this file; `%` escapes are not decoded, so write it as plain text).'],
    ['folder.plan.yaml#x', '`folder.plan.yaml` cannot be read (it is a folder); make it a readable plan file, or fix the path (it is relative to this file).'],
    ['../outside.plan.yaml#build', '`../outside.plan.yaml` is outside the workspace folder, and Blueprint reads no plan there; move that plan into the workspace, or fix the path (it is relative to this file).'],
    ['../../../../etc/passwd.plan.yaml#x', '`../../../../etc/passwd.plan.yaml` is outside the workspace folder, and Blueprint reads no plan there; move that plan into the workspace, or fix the path (it is relative to this file).'],
    ['sub/../../outside.plan.yaml#build', '`sub/../../outside.plan.yaml` is outside the workspace folder, and Blueprint reads no plan there; move that plan into the workspace, or fix the path (it is relative to this file).'],
    ['/etc/passwd.plan.yaml#x', '`/etc/passwd.plan.yaml` is an absolute path; name another plan by its path relative to this file, with forward slashes (e.g. `../platform.plan.yaml#x`).'],
    ['/ws/b.plan.yaml#build', '`/ws/b.plan.yaml` is an absolute path; name another plan by its path relative to this file, with forward slashes (e.g. `../platform.plan.yaml#build`).'],
    ['C:/Windows/x.plan.yaml#x', '`C:/Windows/x.plan.yaml` is an absolute path; name another plan by its path relative to this file, with forward slashes (e.g. `../platform.plan.yaml#x`).'],
    ['file:///etc/passwd.plan.yaml#x', '`file:///etc/passwd.plan.yaml` is a URI; name another plan by its path relative to this file, with forward slashes (e.g. `../platform.plan.yaml#x`).'],
    ['https://example.com/x.plan.yaml#x', '`https://example.com/x.plan.yaml` is a URI; name another plan by its path relative to this file, with forward slashes (e.g. `../platform.plan.yaml#x`).'],
    ['..\\outside.plan.yaml#x', '`..\\outside.plan.yaml` is a path with backslashes; name another plan by its path relative to this file, with forward slashes (e.g. `../platform.plan.yaml#x`).'],
  ];

  for (const [dependency, message, replacement] of cases) {
    test(dependency, () => {
      const text = plan('A', JSON.stringify(dependency));
      const { diagnose, requested } = stubWorkspace({ 'a.plan.yaml': text, 'b.plan.yaml': plan('B', 'build') }, { 'file:///ws/folder.plan.yaml': 'it is a folder' });
      const diagnostics = diagnose('a.plan.yaml');
      assert.deepEqual(rows(text, diagnostics), [['unknown-reference', JSON.stringify(dependency), message]]);
      assert.deepEqual(diagnostics[0].data, replacement === undefined ? undefined : { replacement });
      assert.deepEqual(requested.filter((uri) => !uri.startsWith('file:///ws/')), []);
    });
  }

  test('completion, definition, references and hover never ask for a plan outside the workspace', () => {
    const text = plan('A', '"../outside.plan.yaml#build"');
    const { service, requested } = stubWorkspace({ 'a.plan.yaml': text, 'b.plan.yaml': plan('B', 'build') });
    const analysis = service.analyze({ uri: 'file:///ws/a.plan.yaml', version: 1, text });
    const on = analysis.lines.positionAt(text.indexOf('../outside.plan.yaml#build') + '../outside.plan.yaml#b'.length);
    assert.deepEqual(findDefinition(analysis, on, service.environment), []);
    findReferences(analysis, on, service.environment, true);
    const hover = getHover(analysis, on, service.environment);
    assert.ok(!hover || !hover.contents.value.includes('Outside'));
    getCompletions(analysis, on, undefined, service.environment);
    assert.equal(service.environment.analyzeUri('file:///outside.plan.yaml'), undefined);
    assertNothingOutside(requested);
  });
});

describe('cross-file references: the Node hosts read nothing outside the workspace', () => {
  let temp: string;
  let workspaceDir: string;
  let outsideDir: string;
  const touched: string[] = [];
  const originals = new Map<string, unknown>();
  const SPIED = ['readFileSync', 'statSync', 'lstatSync', 'realpathSync', 'existsSync', 'openSync', 'readdirSync', 'accessSync'] as const;

  before(() => {
    temp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'blueprint-boundary-')));
    workspaceDir = path.join(temp, 'ws');
    outsideDir = path.join(temp, 'outside');
    fs.mkdirSync(path.join(workspaceDir, 'sub'), { recursive: true });
    fs.mkdirSync(path.join(workspaceDir, 'folder.plan.yaml'));
    fs.mkdirSync(outsideDir);
    fs.writeFileSync(path.join(outsideDir, 'secret.plan.yaml'), plan('Secret', 'build'));
    fs.writeFileSync(path.join(workspaceDir, 'sub', 'b.plan.yaml'), `\ufeff${plan('B', 'build')}`);
    fs.symlinkSync(path.join(outsideDir, 'secret.plan.yaml'), path.join(workspaceDir, 'link.plan.yaml'));
    fs.symlinkSync(outsideDir, path.join(workspaceDir, 'linked-folder'));
    // Record every path the file system is asked about from here on.
    for (const name of SPIED) {
      const original = (nodeFs as unknown as Record<string, (...args: unknown[]) => unknown>)[name];
      originals.set(name, original);
      const spy = (...args: unknown[]) => {
        touched.push(String(args[0]));
        return original(...args);
      };
      if (name === 'realpathSync') Object.assign(spy, { native: (nodeFs.realpathSync as unknown as { native: unknown }).native });
      (nodeFs as unknown as Record<string, unknown>)[name] = spy;
    }
  });

  after(() => {
    for (const [name, original] of originals) (nodeFs as unknown as Record<string, unknown>)[name] = original;
    fs.rmSync(temp, { recursive: true, force: true });
  });

  const dependencies = ['"../outside/secret.plan.yaml#build"', 'link.plan.yaml#build', 'linked-folder/secret.plan.yaml#build', 'folder.plan.yaml#build', 'sub/b.plan.yaml#deploy'].join(', ');
  const expected: [string, string, string][] = [
    ['unknown-reference', '"../outside/secret.plan.yaml#build"', '`../outside/secret.plan.yaml` is outside the workspace folder, and Blueprint reads no plan there; move that plan into the workspace, or fix the path (it is relative to this file).'],
    ['unknown-reference', 'link.plan.yaml#build', '`link.plan.yaml` cannot be read (it links to a file outside the workspace folder, which is never read); make it a readable plan file, or fix the path (it is relative to this file).'],
    ['unknown-reference', 'linked-folder/secret.plan.yaml#build', '`linked-folder/secret.plan.yaml` cannot be read (it links to a file outside the workspace folder, which is never read); make it a readable plan file, or fix the path (it is relative to this file).'],
    ['unknown-reference', 'folder.plan.yaml#build', '`folder.plan.yaml` cannot be read (it is a folder); make it a readable plan file, or fix the path (it is relative to this file).'],
  ];

  function assertOutsideUntouched(): void {
    assert.ok(touched.some((file) => file.startsWith(workspaceDir)), 'the spy sees the reads inside');
    assert.deepEqual(touched.filter((file) => file.startsWith(outsideDir)), [], 'a path outside the workspace was read or looked at');
  }

  test('the language server (NodePlanWorkspace)', () => {
    touched.length = 0;
    const workspace = new NodePlanWorkspace({ get: () => undefined, all: () => [] });
    workspace.folders = [URI.file(workspaceDir).toString()];
    const service = createPlanService({ today, workspace });
    const text = plan('A', dependencies);
    const diagnostics = service.getDiagnostics({ uri: URI.file(path.join(workspaceDir, 'a.plan.yaml')).toString(), version: 1, text });
    assert.deepEqual(rows(text, diagnostics), expected);
    // Asked directly, outside uris give nothing.
    assert.equal(workspace.getDocument(URI.file(path.join(outsideDir, 'secret.plan.yaml')).toString()), undefined);
    assert.equal(workspace.getDocument(URI.file(path.join(workspaceDir, 'link.plan.yaml')).toString()), undefined);
    // The plan inside was read, without its byte order mark.
    assert.equal(workspace.getDocument(URI.file(path.join(workspaceDir, 'sub', 'b.plan.yaml')).toString())?.text.startsWith('plan: B'), true);
    assertOutsideUntouched();
  });

  test('with no workspace folder, the folders of the open plans are the boundary', () => {
    touched.length = 0;
    const uri = URI.file(path.join(workspaceDir, 'a.plan.yaml')).toString();
    const text = plan('A', dependencies);
    const open = { uri, getText: () => text, version: 1 };
    const workspace = new NodePlanWorkspace({ get: (asked: string) => (asked === uri ? open : undefined), all: () => [open] } as never);
    const service = createPlanService({ today, workspace });
    assert.deepEqual(rows(text, service.getDiagnostics({ uri, version: 1, text })), expected);
    assertOutsideUntouched();
  });

  test('the CLI (DiskWorkspace): the current folder is the boundary', () => {
    touched.length = 0;
    const text = plan('A', dependencies);
    fs.writeFileSync(path.join(workspaceDir, 'a.plan.yaml'), text);
    const [result] = checkFiles(workspaceDir, ['a.plan.yaml'], {}, today);
    assert.deepEqual(rows(text, result.diagnostics), expected);
    assertOutsideUntouched();
    fs.rmSync(path.join(workspaceDir, 'a.plan.yaml'));
  });

  test('the reader refuses files too big, and says so', () => {
    const reader = new PlanFileReader(() => [workspaceDir], 10);
    const uri = URI.file(path.join(workspaceDir, 'sub', 'b.plan.yaml')).toString();
    assert.equal(reader.read(uri), undefined);
    assert.equal(reader.failure(uri), 'it is larger than 10 bytes');
    assert.equal(reader.read(URI.file(path.join(workspaceDir, 'nowhere.plan.yaml')).toString()), undefined);
    assert.equal(reader.failure(URI.file(path.join(workspaceDir, 'nowhere.plan.yaml')).toString()), undefined, 'missing is not unreadable');
    assert.equal(reader.isInside(URI.file(path.join(workspaceDir, '..', 'ws-other', 'x.plan.yaml')).toString()), false, 'a sibling with the same prefix is outside');
    assert.equal(reader.isInside('untitled:Untitled-1'), false);
  });
});
