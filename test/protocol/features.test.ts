import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { readFixture, textAt } from '../helpers/fixtures';
import { LspSession } from '../helpers/lspSession';

// Editor features through the built server, as an editor would ask for them.

const mobilePlan = `plan: Mobile checkout
owner: dee
start: 2026-02-02
people:
  dee: { name: Dee }
milestones:
  - id: app
    title: App release
    due: 2026-05-01
    owner: dee
    tasks:
      - id: app-payments
        title: Payments in the app
        owner: dee
        depends_on: [../checkout.plan.yaml#payment-api]
        duration: 2w
`;

type Location = { uri: string; range: { start: { line: number; character: number }; end: { line: number; character: number } } };

function positionOf(source: string, needle: string): { line: number; character: number } {
  const offset = source.indexOf(needle);
  assert.ok(offset >= 0, needle);
  const before = source.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

describe('editor features over stdio', () => {
  let session: LspSession;
  let folder: string;
  let uri: string;
  let text: string;
  before(async () => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'blueprint-features-'));
    fs.mkdirSync(path.join(folder, 'src', 'payments'), { recursive: true });
    fs.writeFileSync(path.join(folder, 'src', 'payments', 'b.ts'), '');
    fs.writeFileSync(path.join(folder, 'src', 'payments', 'a.ts'), '');
    fs.writeFileSync(path.join(folder, 'src', 'notes.py'), 'def pay():\n    # TODO(plan:payment-api): retry on timeouts\n    return "plan:payment-api"  # a string, not a marker\n');
    text = readFixture('valid/checkout.plan.yaml');
    fs.writeFileSync(path.join(folder, 'checkout.plan.yaml'), text);
    fs.mkdirSync(path.join(folder, 'mobile'));
    fs.writeFileSync(path.join(folder, 'mobile', 'app.plan.yaml'), mobilePlan);
    uri = pathToFileURL(path.join(folder, 'checkout.plan.yaml')).href;
    session = new LspSession();
    await session.initialize({
      rootUri: pathToFileURL(folder).href,
      workspaceFolders: [{ uri: pathToFileURL(folder).href, name: 'features' }],
      // What VS Code declares for these features (a client that declares less: genericClient.test.ts).
      capabilities: {
        textDocument: {
          hover: { contentFormat: ['markdown', 'plaintext'] },
          completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'] } },
          documentSymbol: { hierarchicalDocumentSymbolSupport: true },
          codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } },
        },
      },
    });
    await session.open(uri, text);
    await session.waitForDiagnostics(uri);
  });
  after(async () => {
    await session.dispose();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  test('inlay hints', async () => {
    const hints = (await session.connection.sendRequest('textDocument/inlayHint', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 200, character: 0 } },
    })) as { label: string }[];
    assert.deepEqual(hints.map((hint) => hint.label), ['ends 2026-02-16', '→ 2026-01-26', '2026-01-27 → 2026-02-16', '2026-01-27 → 2026-01-30', 'ends 2026-03-02', '2026-02-17 → 2026-03-02']);
  });

  test('code lenses', async () => {
    const lenses = (await session.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } })) as { command: { title: string } }[];
    assert.equal(lenses.length, 6);
    // payment-api's links match src/payments/a.ts and b.ts, and src/notes.py refers to it in a comment.
    assert.equal(lenses[1].command.title, '2 dependents · critical path · 3 code files');
    assert.equal(lenses[2].command.title, '1 dependent · critical path');
  });

  test('document links: an existing path, and a glob resolved to its first match', async () => {
    const links = (await session.connection.sendRequest('textDocument/documentLink', { textDocument: { uri } })) as { range: never; target?: string; data?: unknown }[];
    // docs/adr/007-psp.md does not exist in this folder: only the glob is linked.
    assert.deepEqual(links.map((link) => textAt(text, link.range)), ['src/payments/**']);
    assert.equal(links[0].target, undefined);
    const resolved = (await session.connection.sendRequest('documentLink/resolve', links[0])) as { target?: string };
    assert.equal(resolved.target, pathToFileURL(path.join(folder, 'src', 'payments', 'a.ts')).href);
  });

  test('definition, references across files, and rename of both', async () => {
    const mobileUri = pathToFileURL(path.join(folder, 'mobile', 'app.plan.yaml')).href;
    const ownerPosition = positionOf(text, 'owner: carol\n        depends_on');
    const definition = (await session.connection.sendRequest('textDocument/definition', { textDocument: { uri }, position: { line: ownerPosition.line, character: ownerPosition.character + 8 } })) as Location[];
    assert.deepEqual(definition.map((location) => textAt(text, location.range)), ['carol']);
    assert.equal(definition[0].range.start.line, positionOf(text, 'carol: {').line);

    const referencePosition = positionOf(text, 'payment-api]');
    const references = (await session.connection.sendRequest('textDocument/references', { textDocument: { uri }, position: referencePosition, context: { includeDeclaration: true } })) as Location[];
    assert.deepEqual(
      references.map((location) => [location.uri === uri ? 'checkout' : location.uri === mobileUri ? 'mobile' : location.uri, location.range.start.line]),
      [['checkout', positionOf(text, 'id: payment-api').line], ['checkout', referencePosition.line], ['checkout', positionOf(text, 'affects: [payment-api').line], ['checkout', positionOf(text, 'needed_by: payment-api').line], ['mobile', positionOf(mobilePlan, '../checkout').line], [pathToFileURL(path.join(folder, 'src', 'notes.py')).href, 1]],
    );

    const rename = (await session.connection.sendRequest('textDocument/rename', { textDocument: { uri }, position: referencePosition, newName: 'psp-api' })) as { changes: Record<string, { newText: string }[]> };
    // The marker in src/notes.py follows too; the string literal beside it does not.
    assert.deepEqual(Object.keys(rename.changes).sort(), [mobileUri, uri, pathToFileURL(path.join(folder, 'src', 'notes.py')).href].sort());
    assert.equal(rename.changes[uri].length, 4);
    assert.deepEqual(rename.changes[mobileUri].map((edit) => edit.newText), ['psp-api']);
  });

  test('rename refuses a clashing name with a message', async () => {
    await assert.rejects(
      session.connection.sendRequest('textDocument/rename', { textDocument: { uri }, position: positionOf(text, 'payment-api]'), newName: 'rollout' }),
      (error: Error) => /rollout/.test(error.message),
    );
  });

  test('hover on a reference shows the task card', async () => {
    const hover = (await session.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: positionOf(text, 'payment-api]') })) as { contents: { kind: string; value: string }; range: Location['range'] };
    assert.equal(hover.contents.kind, 'markdown');
    assert.equal(textAt(text, hover.range), 'payment-api');
    assert.match(hover.contents.value, /Payment API/);
    assert.match(hover.contents.value, /2026-01-05/);
    assert.match(hover.contents.value, /critical path/);
  });

  test('document symbols: a hierarchical outline', async () => {
    const symbols = (await session.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri } })) as { name: string; children?: { name: string; children?: { name: string; children?: { name: string }[] }[] }[] }[];
    assert.deepEqual(symbols.map((symbol) => symbol.name), ['Goals', 'People', 'Milestones', 'Risks']);
    const milestones = symbols[2].children!;
    assert.deepEqual(milestones.map((milestone) => milestone.name), ['beta', 'launch']);
    assert.deepEqual(milestones[0].children!.map((task) => task.name), ['payment-api', 'checkout-ui']);
    assert.deepEqual(milestones[0].children![1].children!.map((task) => task.name), ['address-form']);
  });

  test('workspace symbols search every plan file', async () => {
    const symbols = (await session.connection.sendRequest('workspace/symbol', { query: 'payments' })) as { name: string; location: { uri: string } }[];
    assert.deepEqual(symbols.map((symbol) => symbol.name).sort(), ['app-payments: Payments in the app']);
  });

  test('a quick fix for an unknown owner, computed by the server and applied by the client', async () => {
    const broken = text.replace('owner: carol\n        depends_on', 'owner: carlo\n        depends_on');
    const brokenUri = uri.replace('checkout.plan.yaml', 'broken.plan.yaml');
    await session.open(brokenUri, broken);
    const published = await session.waitForDiagnostics(brokenUri);
    const diagnostic = published.diagnostics.find((candidate) => candidate.code === 'unknown-reference')!;
    assert.equal(textAt(broken, diagnostic.range), 'carlo');
    const actions = (await session.connection.sendRequest('textDocument/codeAction', { textDocument: { uri: brokenUri }, range: diagnostic.range, context: { diagnostics: [diagnostic] } })) as { title: string; isPreferred?: boolean; edit: { changes: Record<string, { newText: string }[]> } }[];
    assert.deepEqual(actions.map((action) => [action.title, action.isPreferred ?? false]), [['Change `carlo` to `carol`', true], ['Add `carlo` to people', false]]);
    assert.deepEqual(actions[0].edit.changes[brokenUri].map((edit) => edit.newText), ['carol']);
  });

  test('completion of owners and dependencies', async () => {
    const ownerLine = positionOf(text, 'owner: carol\n        depends_on');
    const owners = (await session.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line: ownerLine.line, character: ownerLine.character + 'owner: ca'.length } })) as { items: { label: string; textEdit: { range: Location['range'] } }[] };
    assert.deepEqual(owners.items.map((item) => item.label), ['alice', 'bob', 'carol']);
    // The whole word under the cursor is replaced.
    assert.equal(textAt(text, owners.items[0].textEdit.range), 'carol');

    const dependency = positionOf(text, 'depends_on: [checkout-ui]');
    const dependencies = (await session.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line: dependency.line, character: dependency.character + 'depends_on: ['.length } })) as { items: { label: string }[] };
    const labels = dependencies.items.map((item) => item.label);
    assert.ok(labels.includes('payment-api'));
    assert.ok(!labels.includes('rollout'), 'never the item itself');
    assert.ok(!labels.includes('launch'), 'never its own milestone');

    // Cards are filled in on completionItem/resolve, not sent with every item.
    const carol = (owners.items as { label: string; documentation?: unknown; data?: unknown }[]).find((item) => item.label === 'carol')!;
    assert.equal(carol.documentation, undefined);
    const resolved = (await session.connection.sendRequest('completionItem/resolve', carol)) as { documentation?: { kind: string; value: string } };
    assert.equal(resolved.documentation?.kind, 'markdown');
    assert.match(resolved.documentation!.value, /^\*\*Carol Ng\*\* · Frontend/);
    const payment = (dependencies.items as { label: string }[]).find((item) => item.label === 'payment-api')!;
    const paymentCard = (await session.connection.sendRequest('completionItem/resolve', payment)) as { documentation?: { value: string } };
    assert.match(paymentCard.documentation!.value, /^\*\*Payment API\*\* — task in milestone `beta`/);
  });

  test('the tasks covering a source file', async () => {
    const source = pathToFileURL(path.join(folder, 'src', 'payments', 'a.ts')).href;
    const covering = (await session.connection.sendRequest('blueprint/coveringTasks', { uri: source })) as { id: string; owner: string; status: string; end: string; planUri: string }[];
    // The plan on disk, and the broken copy opened by an earlier test: both link src/payments/**.
    assert.deepEqual(
      covering.map(({ id, owner, status, end, planUri }) => ({ id, owner, status, end, plan: path.basename(planUri) })).sort((a, b) => a.plan.localeCompare(b.plan)),
      [
        { id: 'payment-api', owner: 'bob', status: 'done', end: '2026-01-26', plan: 'broken.plan.yaml' },
        { id: 'payment-api', owner: 'bob', status: 'done', end: '2026-01-26', plan: 'checkout.plan.yaml' },
      ],
    );
  });

  test('plan: markers in code: unknown ids are reported with the nearest id as a fix; hover and definition lead to the plan', async () => {
    const source = pathToFileURL(path.join(folder, 'src', 'payments', 'open.ts')).href;
    const code = '// plan:payment-api and plan:checkout-iu\nconst s = "plan:nothing"; /* see plan:rollout. */\n';
    await session.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: source, languageId: 'typescript', version: 1, text: code } });
    const published = await session.waitForDiagnostics(source);
    assert.deepEqual(published.diagnostics.map((diagnostic) => [diagnostic.code, textAt(code, diagnostic.range), diagnostic.message]), [
      ['unknown-reference', 'checkout-iu', "No plan item `checkout-iu` in this workspace's plans; did you mean `checkout-ui`?"],
    ]);
    const actions = (await session.connection.sendRequest('textDocument/codeAction', { textDocument: { uri: source }, range: published.diagnostics[0].range, context: { diagnostics: published.diagnostics } })) as { title: string; edit: { changes: Record<string, { newText: string }[]> } }[];
    assert.deepEqual(actions.map((action) => [action.title, action.edit.changes[source][0].newText]), [['Change to `checkout-ui`', 'checkout-ui']]);

    const hover = (await session.connection.sendRequest('textDocument/hover', { textDocument: { uri: source }, position: { line: 0, character: 12 } })) as { contents: { value: string }; range: Location['range'] };
    assert.equal(textAt(code, hover.range), 'plan:payment-api');
    assert.match(hover.contents.value, /Payment API/);
    const definition = (await session.connection.sendRequest('textDocument/definition', { textDocument: { uri: source }, position: { line: 1, character: 40 } })) as Location[];
    assert.deepEqual(definition.map((location) => [location.uri, textAt(text, location.range)]), [[uri, 'rollout']]);
    // Plan features are not offered in code files.
    const completion = await session.connection.sendRequest('textDocument/completion', { textDocument: { uri: source }, position: { line: 0, character: 3 } });
    assert.deepEqual(completion, { isIncomplete: false, items: [] });
  });

  test('references of a task list the markers in code (open and on disk); rename updates them', async () => {
    const position = positionOf(text, 'id: rollout');
    const references = (await session.connection.sendRequest('textDocument/references', { textDocument: { uri }, position: { line: position.line, character: position.character + 5 }, context: { includeDeclaration: false } })) as Location[];
    const open = pathToFileURL(path.join(folder, 'src', 'payments', 'open.ts')).href;
    assert.deepEqual(references.filter((location) => !location.uri.endsWith('.plan.yaml')).map((location) => [path.basename(location.uri), location.range.start.line]), [['open.ts', 1]]);

    const paymentPosition = positionOf(text, 'id: payment-api');
    const payment = (await session.connection.sendRequest('textDocument/references', { textDocument: { uri }, position: { line: paymentPosition.line, character: paymentPosition.character + 5 }, context: { includeDeclaration: false } })) as Location[];
    assert.deepEqual(payment.filter((location) => !location.uri.endsWith('.plan.yaml')).map((location) => path.basename(location.uri)).sort(), ['notes.py', 'open.ts']);

    const hover = (await session.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: paymentPosition.line, character: paymentPosition.character + 5 } })) as { contents: { value: string } };
    // src/payments/a.ts and b.ts match `src/payments/**`; open.ts (not on disk) and notes.py hold markers.
    assert.match(hover.contents.value, /Code: 2 files matched by `links`; 2 `plan:` markers in 2 files\.$/);

    const rename = (await session.connection.sendRequest('textDocument/rename', { textDocument: { uri }, position: { line: paymentPosition.line, character: paymentPosition.character + 5 }, newName: 'psp-api' })) as { changes: Record<string, { range: Location['range']; newText: string }[]> };
    const notes = pathToFileURL(path.join(folder, 'src', 'notes.py')).href;
    assert.deepEqual(rename.changes[notes], [{ range: { start: { line: 1, character: 16 }, end: { line: 1, character: 27 } }, newText: 'psp-api' }]);
    assert.equal(rename.changes[open].length, 1);
  });
});

describe('stale-link, when switched on', () => {
  let session: LspSession;
  let folder: string;
  before(async () => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'blueprint-stale-'));
    fs.mkdirSync(path.join(folder, 'src', 'payments'), { recursive: true });
    fs.writeFileSync(path.join(folder, 'src', 'payments', 'a.ts'), '');
    fs.writeFileSync(path.join(folder, 'src', 'notes.py'), 'def pay():\n    # TODO(plan:payment-api): retry on timeouts\n    return "plan:payment-api"  # a string, not a marker\n');
    fs.writeFileSync(path.join(folder, 'blueprint.json'), JSON.stringify({ rules: { 'stale-link': 'warning' } }));
    session = new LspSession();
    await session.initialize({ rootUri: pathToFileURL(folder).href, workspaceFolders: [{ uri: pathToFileURL(folder).href, name: 'stale' }] });
  });
  after(async () => {
    await session.dispose();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  test('reports links that match no file, and clears when the file appears', async () => {
    const text = readFixture('valid/checkout.plan.yaml');
    const uri = pathToFileURL(path.join(folder, 'checkout.plan.yaml')).href;
    await session.open(uri, text);
    const first = await session.waitForDiagnostics(uri);
    assert.deepEqual(first.diagnostics.map((diagnostic) => [diagnostic.code, textAt(text, diagnostic.range)]), [['stale-link', 'docs/adr/007-psp.md']]);
    fs.mkdirSync(path.join(folder, 'docs', 'adr'), { recursive: true });
    fs.writeFileSync(path.join(folder, 'docs', 'adr', '007-psp.md'), '# ADR');
    await session.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(path.join(folder, 'docs', 'adr', '007-psp.md')).href, type: 1 }] });
    const cleared = await session.waitForDiagnostics(uri, (params) => params.diagnostics.length === 0);
    assert.deepEqual(cleared.diagnostics, []);
  });
});
