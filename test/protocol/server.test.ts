import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { PlanViewRequest } from '../../server/src/protocol/requests';
import type { PlanView } from '../../server/src/protocol/planView';
import { readFixture, textAt } from '../helpers/fixtures';
import { LspSession } from '../helpers/lspSession';

describe('language server over stdio', () => {
  let session: LspSession;
  before(async () => {
    session = new LspSession();
    await session.initialize();
  });
  after(async () => {
    await session.dispose();
  });

  test('publishes diagnostics with rule id, source, severity, exact range and a docs link', async () => {
    const text = readFixture('rules/missing-owner.plan.yaml');
    const uri = 'file:///workspace/missing-owner.plan.yaml';
    await session.open(uri, text);
    const published = await session.waitForDiagnostics(uri);
    assert.equal(published.version, 1);
    assert.equal(published.diagnostics.length, 1);
    const [diagnostic] = published.diagnostics;
    assert.equal(diagnostic.code, 'missing-owner');
    assert.equal(diagnostic.source, 'blueprint');
    assert.equal(diagnostic.severity, 2);
    assert.equal(textAt(text, diagnostic.range), 't2');
    assert.deepEqual(diagnostic.range, { start: { line: 26, character: 12 }, end: { line: 26, character: 14 } });
    assert.match(diagnostic.codeDescription?.href ?? '', /^file:\/\/.*README\.md#missing-owner$/);
  });

  test('re-validates after an incremental edit', async () => {
    const text = readFixture('rules/missing-owner.plan.yaml');
    const uri = 'file:///workspace/edited.plan.yaml';
    await session.open(uri, text);
    await session.waitForDiagnostics(uri, (params) => params.version === 1);
    const line = text.split('\n').findIndex((candidate) => candidate.includes('title: Task two'));
    await session.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: line + 1, character: 0 }, end: { line: line + 1, character: 0 } }, text: '        owner: ben\n' }],
    });
    const fixed = await session.waitForDiagnostics(uri, (params) => params.version === 2);
    assert.deepEqual(fixed.diagnostics, []);
  });

  test('blueprint/planView returns the computed plan with ranges', async () => {
    const text = readFixture('valid/checkout.plan.yaml');
    const uri = 'file:///workspace/checkout.plan.yaml';
    await session.open(uri, text);
    await session.waitForDiagnostics(uri);
    const view = (await session.connection.sendRequest(PlanViewRequest.method, { uri })) as PlanView;
    assert.equal(view.title, 'Checkout v2 rollout');
    assert.equal(view.version, 1);
    assert.deepEqual(view.milestones.map((milestone) => milestone.id), ['beta', 'launch']);
    const checkoutUi = view.milestones[0].tasks[1];
    assert.equal(checkoutUi.id, 'checkout-ui');
    assert.deepEqual(
      { start: checkoutUi.start, end: checkoutUi.end, slack: checkoutUi.slack, critical: checkoutUi.critical, status: checkoutUi.status, progress: checkoutUi.progress, owner: checkoutUi.owner },
      { start: '2026-01-27', end: '2026-02-16', slack: 0, critical: true, status: 'in-progress', progress: 60, owner: 'carol' },
    );
    assert.equal(textAt(text, checkoutUi.selectionRange), 'checkout-ui');
    assert.equal(checkoutUi.tasks[0].id, 'address-form');
    assert.equal(checkoutUi.tasks[0].slack, 11);
    assert.deepEqual(view.criticalPath, ['payment-api', 'checkout-ui', 'rollout']);
    assert.deepEqual(view.problems, { errors: 0, warnings: 0, infos: 0 });
  });

  test('planView of an unknown document is null', async () => {
    const view = await session.connection.sendRequest(PlanViewRequest.method, { uri: 'file:///nowhere/missing.plan.yaml' });
    assert.equal(view, null);
  });

  test('malformed and hostile input gives diagnostics and never kills the server', async () => {
    const inputs: Record<string, string> = {
      'junk.plan.yaml': '\u0000\u0001\u00ff{{{[[[::: \t\t- - -',
      'list.plan.yaml': '- a\n- b\n',
      'scalar.plan.yaml': 'just words\n',
      'tabs.plan.yaml': 'plan: x\nowner: a\n\tstart: 2026-01-01\n',
      'two-docs.plan.yaml': 'plan: x\n---\nplan: y\n',
      'bomb.plan.yaml': ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...Array.from({ length: 9 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`)].join('\n'),
      'deep.plan.yaml': `${'['.repeat(5000)}${']'.repeat(5000)}\n`,
      'empty.plan.yaml': '',
    };
    for (const [name, text] of Object.entries(inputs)) {
      const uri = `file:///workspace/${name}`;
      await session.open(uri, text);
      const published = await session.waitForDiagnostics(uri);
      assert.ok(published.diagnostics.length > 0, `${name} gets at least one diagnostic`);
      for (const diagnostic of published.diagnostics) {
        assert.ok(diagnostic.range.start.line >= 0 && diagnostic.range.end.line <= text.split('\n').length, `${name}: range inside the document`);
      }
    }
    // Still alive and correct afterwards.
    const uri = 'file:///workspace/after.plan.yaml';
    await session.open(uri, readFixture('rules/no-buffer.plan.yaml'));
    const published = await session.waitForDiagnostics(uri);
    assert.deepEqual(published.diagnostics.map((diagnostic) => diagnostic.code), ['no-buffer']);
    assert.equal(session.exitCode, undefined);
  });
});

describe('settings: blueprint.json and the blueprint.rules setting', () => {
  let session: LspSession;
  let folder: string;
  before(async () => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'blueprint-config-'));
    fs.writeFileSync(path.join(folder, 'blueprint.json'), JSON.stringify({ rules: { 'missing-owner': 'error', 'no-buffer': 'off' } }));
    session = new LspSession();
    await session.initialize({
      rootUri: pathToFileURL(folder).href,
      workspaceFolders: [{ uri: pathToFileURL(folder).href, name: 'config' }],
      initializationOptions: { rules: { 'no-buffer': 'warning' } },
    });
  });
  after(async () => {
    await session.dispose();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  test('blueprint.json changes a severity; the user setting overrides it', async () => {
    const missingOwner = `${pathToFileURL(folder).href}/a.plan.yaml`;
    await session.open(missingOwner, readFixture('rules/missing-owner.plan.yaml'));
    const first = await session.waitForDiagnostics(missingOwner);
    assert.deepEqual(first.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.severity]), [['missing-owner', 1]]);

    const noBuffer = `${pathToFileURL(folder).href}/b.plan.yaml`;
    await session.open(noBuffer, readFixture('rules/no-buffer.plan.yaml'));
    const second = await session.waitForDiagnostics(noBuffer);
    assert.deepEqual(second.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.severity]), [['no-buffer', 2]]);
  });

  test('editing blueprint.json applies without a restart', async () => {
    fs.writeFileSync(path.join(folder, 'blueprint.json'), JSON.stringify({ rules: { 'missing-owner': 'off' } }));
    await session.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: `${pathToFileURL(folder).href}/blueprint.json`, type: 2 }] });
    const uri = `${pathToFileURL(folder).href}/a.plan.yaml`;
    const cleared = await session.waitForDiagnostics(uri, (params) => params.diagnostics.length === 0);
    assert.deepEqual(cleared.diagnostics, []);
  });
});

describe('settings: the blueprint.rules setting changes without a restart', () => {
  let session: LspSession;
  let rules: Record<string, string> = {};
  before(async () => {
    session = new LspSession();
    session.connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) => params.items.map((item) => (item.section === 'blueprint' ? { rules } : null)));
    session.connection.onRequest('client/registerCapability', () => null);
    await session.initialize({ capabilities: { workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } } } });
  });
  after(async () => {
    await session.dispose();
  });

  test('workspace/configuration is read per document, and didChangeConfiguration re-validates', async () => {
    const uri = 'file:///settings/missing-owner.plan.yaml';
    await session.open(uri, readFixture('rules/missing-owner.plan.yaml'));
    const first = await session.waitForDiagnostics(uri);
    assert.deepEqual(first.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.severity]), [['missing-owner', 2]]);
    rules = { 'missing-owner': 'info' };
    await session.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const second = await session.waitForDiagnostics(uri, (params) => params.diagnostics.some((diagnostic) => diagnostic.severity === 3));
    assert.deepEqual(second.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.severity]), [['missing-owner', 3]]);
  });
});
