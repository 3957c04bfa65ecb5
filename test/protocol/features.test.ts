import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { readFixture, textAt } from '../helpers/fixtures';
import { LspSession } from '../helpers/lspSession';

// Editor features through the built server, as an editor would ask for them.

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
    text = readFixture('valid/checkout.plan.yaml');
    fs.writeFileSync(path.join(folder, 'checkout.plan.yaml'), text);
    uri = pathToFileURL(path.join(folder, 'checkout.plan.yaml')).href;
    session = new LspSession();
    await session.initialize({ rootUri: pathToFileURL(folder).href, workspaceFolders: [{ uri: pathToFileURL(folder).href, name: 'features' }] });
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
    assert.equal(lenses[1].command.title, '2 dependents · critical path');
  });

  test('document links: an existing path, and a glob resolved to its first match', async () => {
    const links = (await session.connection.sendRequest('textDocument/documentLink', { textDocument: { uri } })) as { range: never; target?: string; data?: unknown }[];
    // docs/adr/007-psp.md does not exist in this folder: only the glob is linked.
    assert.deepEqual(links.map((link) => textAt(text, link.range)), ['src/payments/**']);
    assert.equal(links[0].target, undefined);
    const resolved = (await session.connection.sendRequest('documentLink/resolve', links[0])) as { target?: string };
    assert.equal(resolved.target, pathToFileURL(path.join(folder, 'src', 'payments', 'a.ts')).href);
  });
});
