import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, ResponseError, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-languageserver-protocol/node';
import { readFixture, textAt } from '../helpers/fixtures';
import { serverBundle } from '../helpers/lspSession';

// `node dist/server.js --stdio` as Neovim, Helix or Zed start it: a client that
// declares only the basics. The server must answer in plain text, without
// snippets or VS Code commands, take its settings from initializationOptions
// and didChangeConfiguration, and send no request the client did not declare.

type Position = { line: number; character: number };
type Range = { start: Position; end: Position };
type Diagnostic = { code?: string; severity?: number; range: Range; source?: string; message: string };
type PublishDiagnosticsParams = { uri: string; version?: number; diagnostics: Diagnostic[] };

/** What a basic editor declares: document sync, diagnostics, completion without snippets, plain-text hover, definition, rename without prepare. */
const BASIC_CAPABILITIES = {
  textDocument: {
    synchronization: { dynamicRegistration: false, willSave: false, willSaveWaitUntil: false, didSave: false },
    publishDiagnostics: { relatedInformation: false },
    completion: { dynamicRegistration: false, completionItem: { snippetSupport: false } },
    hover: { dynamicRegistration: false, contentFormat: ['plaintext'] },
    definition: { dynamicRegistration: false },
    rename: { dynamicRegistration: false },
  },
  workspace: { applyEdit: false },
};

/**
 * A client of its own (not LspSession): it records every request and
 * notification the server sends, and answers requests the way a client
 * that does not know them does (MethodNotFound), unless a handler is given.
 */
class MinimalClient {
  readonly connection: MessageConnection;
  /** Every server→client request, in order: method and params. */
  readonly serverRequests: { method: string; params: unknown }[] = [];
  /** Every server→client notification method, in order. */
  readonly serverNotifications: string[] = [];
  readonly stderr: string[] = [];
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly diagnostics = new Map<string, PublishDiagnosticsParams[]>();
  private readonly waiters: (() => void)[] = [];
  private exited = false;

  constructor(private readonly answer: (method: string, params: unknown) => unknown = () => new ResponseError(-32601, 'Not supported by this client')) {
    this.child = spawn(process.execPath, [serverBundle, '--stdio'], { stdio: 'pipe' });
    this.child.stderr.on('data', (chunk: Buffer) => this.stderr.push(chunk.toString()));
    this.child.on('exit', () => {
      this.exited = true;
      this.wake();
    });
    this.connection = createMessageConnection(new StreamMessageReader(this.child.stdout), new StreamMessageWriter(this.child.stdin));
    this.connection.onRequest((method: string, params: unknown) => {
      this.serverRequests.push({ method, params });
      return this.answer(method, params);
    });
    this.connection.onNotification((method: string, params: unknown) => {
      this.serverNotifications.push(method);
      if (method === 'textDocument/publishDiagnostics') {
        const published = params as PublishDiagnosticsParams;
        this.diagnostics.set(published.uri, [...(this.diagnostics.get(published.uri) ?? []), published]);
        this.wake();
      }
    });
    this.connection.listen();
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  async initialize(params: Record<string, unknown>): Promise<{ capabilities: Record<string, unknown> }> {
    const result = (await this.connection.sendRequest('initialize', { processId: process.pid, capabilities: BASIC_CAPABILITIES, ...params })) as { capabilities: Record<string, unknown> };
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  async open(uri: string, text: string, languageId = 'plan-yaml'): Promise<void> {
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
  }

  published(uri: string): readonly PublishDiagnosticsParams[] {
    return this.diagnostics.get(uri) ?? [];
  }

  /** The first diagnostics published for `uri` after the `skip` earlier ones that satisfy `accept`. */
  async waitForDiagnostics(uri: string, accept: (params: PublishDiagnosticsParams) => boolean = () => true, skip = 0, timeoutMs = 10_000): Promise<PublishDiagnosticsParams> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.published(uri).slice(skip).find(accept);
      if (found) return found;
      if (this.exited) throw new Error(`server exited: ${this.stderr.join('')}`);
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`no matching diagnostics for ${uri} within ${timeoutMs} ms; got ${JSON.stringify(this.published(uri))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async dispose(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((resolve) => setTimeout(resolve, 2000))]);
      await this.connection.sendNotification('exit');
    } catch {
      // already gone
    }
    this.connection.dispose();
    if (!this.exited) this.child.kill();
  }
}

function positionOf(source: string, needle: string, offsetInNeedle = 0): Position {
  const offset = source.indexOf(needle);
  assert.ok(offset >= 0, needle);
  const before = source.slice(0, offset + offsetInNeedle).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

function rangeOf(source: string, needle: string, word: string): Range {
  const start = positionOf(source, needle, needle.indexOf(word));
  return { start, end: { line: start.line, character: start.character + word.length } };
}

/** The checkout example with an unknown owner (`carlo`, an error) and a task without owner (missing-owner, a warning by default). */
function brokenCheckout(): string {
  const text = readFixture('valid/checkout.plan.yaml')
    .replace('owner: carol\n        depends_on', 'owner: carlo\n        depends_on')
    .replace('title: Staged rollout\n        owner: bob\n', 'title: Staged rollout\n');
  assert.ok(text.includes('owner: carlo') && text.includes('title: Staged rollout\n        depends_on'));
  return text;
}

/** Notifications a basic client may get: diagnostics, log lines, and the plan-changed notification it can ignore. */
const EXPECTED_NOTIFICATIONS = new Set(['textDocument/publishDiagnostics', 'window/logMessage', 'blueprint/planChanged']);

describe('a client with only the basics (rootUri, initializationOptions)', () => {
  let client: MinimalClient;
  let folder: string;
  let uri: string;
  let text: string;
  let capabilities: Record<string, unknown>;
  before(async () => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'blueprint-generic-'));
    text = brokenCheckout();
    fs.writeFileSync(path.join(folder, 'checkout.plan.yaml'), text);
    uri = pathToFileURL(path.join(folder, 'checkout.plan.yaml')).href;
    client = new MinimalClient();
    // No workspaceFolders: rootUri only, as older clients send it.
    ({ capabilities } = await client.initialize({ rootUri: pathToFileURL(folder).href, initializationOptions: { rules: { 'missing-owner': 'off' } } }));
    await client.open(uri, text);
  });
  after(async () => {
    await client.dispose();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  test('the server offers only what the client can use', () => {
    assert.equal(capabilities.renameProvider, true, 'no prepareProvider without prepareSupport');
    assert.equal(capabilities.codeActionProvider, undefined, 'quick fixes are CodeAction literals, which the client did not declare');
    assert.ok(capabilities.completionProvider && capabilities.hoverProvider && capabilities.definitionProvider);
  });

  test('diagnostics: exact code and range; the rule initializationOptions turned off is absent', async () => {
    const published = await client.waitForDiagnostics(uri);
    assert.deepEqual(
      published.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.severity, diagnostic.source, diagnostic.range]),
      [['unknown-reference', 1, 'blueprint', rangeOf(text, 'owner: carlo', 'carlo')]],
    );
    assert.equal(textAt(text, published.diagnostics[0].range), 'carlo');
  });

  test('completion of owners and of depends_on: plain text, no snippets, no editor commands', async () => {
    const owner = positionOf(text, 'owner: carlo', 'owner: ca'.length);
    const owners = (await client.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: owner })) as { items: { label: string; insertTextFormat?: number; command?: unknown; textEdit: { range: Range; newText: string } }[] };
    assert.deepEqual(owners.items.map((item) => item.label), ['alice', 'bob', 'carol']);
    assert.equal(textAt(text, owners.items[2].textEdit.range), 'carlo');

    const dependency = positionOf(text, 'depends_on: [checkout-ui]', 'depends_on: ['.length);
    const dependencies = (await client.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: dependency })) as typeof owners;
    const labels = dependencies.items.map((item) => item.label);
    assert.ok(labels.includes('payment-api') && labels.includes('checkout-ui'), labels.join());
    assert.ok(!labels.includes('rollout'), 'never the item itself');

    for (const item of [...owners.items, ...dependencies.items]) {
      assert.notEqual(item.insertTextFormat, 2, `${item.label} is a snippet`);
      assert.equal(item.command, undefined, `${item.label} carries a command`);
    }

    // Resolved cards are plain text too.
    const carol = owners.items.find((item) => item.label === 'carol')!;
    const resolved = (await client.connection.sendRequest('completionItem/resolve', carol)) as { documentation?: { kind: string; value: string } };
    assert.equal(resolved.documentation?.kind, 'plaintext');
    assert.match(resolved.documentation!.value, /^Carol Ng · Frontend/);
    assert.doesNotMatch(resolved.documentation!.value, /\*\*|`|\\/);
  });

  test('completion where VS Code gets snippets: the snippet text as plain text', async () => {
    const draftUri = pathToFileURL(path.join(folder, 'draft.plan.yaml')).href;
    const draft = 'plan: Draft\nowner: ana\nstart: 2026-03-02\npeople:\n  ana: { name: Ana }\nmilestones:\n  - id: m1\n    tasks:\n      - id: t1\n        duration: 5d\n      \n        \n';
    await client.open(draftUri, draft);
    await client.waitForDiagnostics(draftUri);
    type Item = { label: string; kind?: number; insertTextFormat?: number; command?: unknown; textEdit: { newText: string } };
    const entry = (await client.connection.sendRequest('textDocument/completion', { textDocument: { uri: draftUri }, position: { line: 10, character: 6 } })) as { items: Item[] };
    const task = entry.items.find((item) => item.label === 'task');
    assert.ok(task, JSON.stringify(entry.items.map((item) => item.label)));
    assert.equal(task.insertTextFormat, 1);
    assert.equal(task.textEdit.newText, '- id: new-task\n        title: Title\n        owner: ana\n        duration: 5d');

    const keys = (await client.connection.sendRequest('textDocument/completion', { textDocument: { uri: draftUri }, position: { line: 11, character: 8 } })) as { items: Item[] };
    const dependsOn = keys.items.find((item) => item.label === 'depends_on');
    assert.ok(dependsOn, JSON.stringify(keys.items.map((item) => item.label)));
    assert.equal(dependsOn.textEdit.newText, 'depends_on: []');
    for (const item of [...entry.items, ...keys.items]) {
      assert.notEqual(item.insertTextFormat, 2, item.label);
      assert.doesNotMatch(item.textEdit.newText, /\$\d|\$\{/, item.label);
      assert.equal(item.command, undefined, item.label);
    }
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: draftUri } });
  });

  test('hover is plain text', async () => {
    const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: positionOf(text, 'depends_on: [payment-api]', 'depends_on: [pay'.length) })) as { contents: { kind: string; value: string }; range: Range };
    assert.equal(hover.contents.kind, 'plaintext');
    assert.equal(textAt(text, hover.range), 'payment-api');
    assert.match(hover.contents.value, /^Task payment-api: Payment API$/m);
    assert.match(hover.contents.value, /^- Owner: Bob Diaz \(bob\), Backend$/m);
    assert.doesNotMatch(hover.contents.value, /\*\*|`|\\/);
  });

  test('definition jumps to the id', async () => {
    const definition = (await client.connection.sendRequest('textDocument/definition', { textDocument: { uri }, position: positionOf(text, 'depends_on: [payment-api]', 'depends_on: [pay'.length) })) as { uri: string; range: Range }[];
    assert.deepEqual(definition, [{ uri, range: rangeOf(text, 'id: payment-api', 'payment-api') }]);
  });

  test('rename answers with `changes`, not documentChanges', async () => {
    const rename = (await client.connection.sendRequest('textDocument/rename', { textDocument: { uri }, position: positionOf(text, 'depends_on: [payment-api]', 'depends_on: [pay'.length), newName: 'psp-api' })) as Record<string, unknown>;
    assert.deepEqual(Object.keys(rename), ['changes']);
    const changes = rename.changes as Record<string, { range: Range; newText: string }[]>;
    assert.deepEqual(Object.keys(changes), [uri]);
    assert.deepEqual(
      changes[uri].map((edit) => [textAt(text, edit.range), edit.newText]),
      [['payment-api', 'psp-api'], ['payment-api', 'psp-api'], ['payment-api', 'psp-api'], ['payment-api', 'psp-api']],
    );
  });

  test('document symbols are flat SymbolInformation (no hierarchicalDocumentSymbolSupport)', async () => {
    const symbols = (await client.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri } })) as { name: string; location?: { uri: string }; containerName?: string; children?: unknown }[];
    assert.ok(symbols.length > 4);
    for (const symbol of symbols) {
      assert.equal(symbol.children, undefined);
      assert.equal(symbol.location?.uri, uri);
    }
    assert.equal(symbols.find((symbol) => symbol.name === 'address-form')?.containerName, 'checkout-ui');
  });

  test('the server sent no request the client did not declare, and only notifications it can ignore', () => {
    assert.deepEqual(client.serverRequests, []);
    assert.deepEqual([...new Set(client.serverNotifications)].filter((method) => !EXPECTED_NOTIFICATIONS.has(method)), []);
    assert.equal(client.stderr.join(''), '');
  });
});

describe('a single file: no rootUri, no rootPath, no workspaceFolders', () => {
  let client: MinimalClient;
  let folder: string;
  before(async () => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'blueprint-single-'));
    client = new MinimalClient();
    await client.initialize({ rootUri: null });
  });
  after(async () => {
    await client.dispose();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  test('diagnostics (default severities), definition and a plan beside it', async () => {
    const text = brokenCheckout();
    fs.writeFileSync(path.join(folder, 'checkout.plan.yaml'), text);
    const uri = pathToFileURL(path.join(folder, 'checkout.plan.yaml')).href;
    await client.open(uri, text);
    const published = await client.waitForDiagnostics(uri);
    assert.deepEqual(
      published.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.severity, textAt(text, diagnostic.range)]),
      [['unknown-reference', 1, 'carlo'], ['missing-owner', 2, 'rollout']],
    );
    const definition = (await client.connection.sendRequest('textDocument/definition', { textDocument: { uri }, position: positionOf(text, 'depends_on: [payment-api]', 'depends_on: [pay'.length) })) as { uri: string; range: Range }[];
    assert.deepEqual(definition, [{ uri, range: rangeOf(text, 'id: payment-api', 'payment-api') }]);

    // A plan in the same folder refers to it: the file on disk is read without any workspace folder.
    const mobile = 'plan: Mobile\nowner: dee\nstart: 2026-02-02\npeople:\n  dee: { name: Dee }\nmilestones:\n  - id: app\n    owner: dee\n    due: 2026-06-01\n    tasks:\n      - id: app-payments\n        owner: dee\n        depends_on: [checkout.plan.yaml#payment-api, checkout.plan.yaml#payment-apx]\n        duration: 2w\n';
    const mobileUri = pathToFileURL(path.join(folder, 'mobile.plan.yaml')).href;
    await client.open(mobileUri, mobile);
    const mobileDiagnostics = await client.waitForDiagnostics(mobileUri);
    const unknown = mobileDiagnostics.diagnostics.filter((diagnostic) => diagnostic.code === 'unknown-reference');
    assert.deepEqual(
      unknown.map((diagnostic) => [textAt(mobile, diagnostic.range), diagnostic.message]),
      [['checkout.plan.yaml#payment-apx', '`checkout.plan.yaml` has no task or milestone `payment-apx`; did you mean `payment-api`?']],
    );
    assert.deepEqual(client.serverRequests, []);
  });
});

describe('rootPath only', () => {
  let client: MinimalClient;
  let folder: string;
  before(async () => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'blueprint-rootpath-'));
    fs.writeFileSync(path.join(folder, 'blueprint.json'), JSON.stringify({ rules: { 'unknown-reference': 'warning' } }));
    client = new MinimalClient();
    await client.initialize({ rootPath: folder });
  });
  after(async () => {
    await client.dispose();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  test('the folder is the workspace: its blueprint.json applies', async () => {
    const text = brokenCheckout();
    const uri = pathToFileURL(path.join(folder, 'checkout.plan.yaml')).href;
    await client.open(uri, text);
    const published = await client.waitForDiagnostics(uri);
    assert.deepEqual(
      published.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.severity]),
      [['unknown-reference', 2], ['missing-owner', 2]],
    );
  });
});

describe('settings pushed with workspace/didChangeConfiguration', () => {
  let client: MinimalClient;
  let folder: string;
  before(async () => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'blueprint-push-'));
    client = new MinimalClient();
    await client.initialize({ rootUri: pathToFileURL(folder).href, workspaceFolders: [{ uri: pathToFileURL(folder).href, name: 'push' }] });
  });
  after(async () => {
    await client.dispose();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  test('switching a rule off re-publishes the diagnostics without it, and back on', async () => {
    const text = brokenCheckout();
    const uri = pathToFileURL(path.join(folder, 'checkout.plan.yaml')).href;
    await client.open(uri, text);
    const first = await client.waitForDiagnostics(uri);
    assert.deepEqual(first.diagnostics.map((diagnostic) => diagnostic.code), ['unknown-reference', 'missing-owner']);

    // Nested in the section, as Neovim (`settings = { blueprint = … }`) and Zed push it.
    let seen = client.published(uri).length;
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { blueprint: { rules: { 'missing-owner': 'off' } } } });
    const off = await client.waitForDiagnostics(uri, () => true, seen);
    assert.deepEqual(off.diagnostics.map((diagnostic) => diagnostic.code), ['unknown-reference']);

    // The settings object itself works too; a rule left out is back to its default.
    seen = client.published(uri).length;
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { rules: { 'unknown-reference': 'info' } } });
    const changed = await client.waitForDiagnostics(uri, () => true, seen);
    assert.deepEqual(changed.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.severity]), [['unknown-reference', 3], ['missing-owner', 2]]);

    // A payload without Blueprint settings (another server's) keeps them.
    seen = client.published(uri).length;
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { yaml: { validate: true } } });
    const kept = await client.waitForDiagnostics(uri, () => true, seen);
    assert.deepEqual(kept.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.severity]), [['unknown-reference', 3], ['missing-owner', 2]]);
    assert.deepEqual(client.serverRequests, []);
  });
});

describe('a client with workspace/configuration but no dynamic registration (Helix, Neovim)', () => {
  // Helix sends one `config` table as initializationOptions and answers workspace/configuration by looking the section up in it.
  const config: Record<string, unknown> = { rules: { 'missing-owner': 'off' } };
  let client: MinimalClient;
  before(async () => {
    client = new MinimalClient((method, params) => {
      if (method !== 'workspace/configuration') return new ResponseError(-32601, 'Not supported by this client');
      return (params as { items: { section?: string }[] }).items.map((item) => (item.section ? (config[item.section] ?? null) : config));
    });
    await client.initialize({
      rootUri: null,
      initializationOptions: config,
      capabilities: { ...BASIC_CAPABILITIES, workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: false } } },
    });
  });
  after(async () => {
    await client.dispose();
  });

  test('settings are pulled, never registered for; a section the client does not have falls back to initializationOptions', async () => {
    const text = brokenCheckout();
    const uri = 'file:///nowhere/helix.plan.yaml';
    await client.open(uri, text);
    // The pull for `blueprint` answers null: the flat initializationOptions apply.
    const first = await client.waitForDiagnostics(uri);
    assert.deepEqual(first.diagnostics.map((diagnostic) => diagnostic.code), ['unknown-reference']);

    // The user's config gains a `blueprint` section: pulled settings win over initializationOptions.
    config.blueprint = { rules: { 'unknown-reference': 'off' } };
    const seen = client.published(uri).length;
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const second = await client.waitForDiagnostics(uri, () => true, seen);
    assert.deepEqual(second.diagnostics.map((diagnostic) => diagnostic.code), ['missing-owner']);

    const methods = [...new Set(client.serverRequests.map((request) => request.method))];
    assert.deepEqual(methods, ['workspace/configuration']);
    for (const request of client.serverRequests) assert.deepEqual((request.params as { items: { section?: string }[] }).items.map((item) => item.section), ['blueprint']);
  });
});

describe('a client that can register file watchers (Neovim 0.9+)', () => {
  const watchedCapabilities = { ...BASIC_CAPABILITIES, workspace: { ...BASIC_CAPABILITIES.workspace, didChangeWatchedFiles: { dynamicRegistration: true } } };
  let folder: string;
  before(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'bp-watch-'));
  });
  after(() => fs.rmSync(folder, { recursive: true, force: true }));

  test('it is asked to watch plans and blueprint.json, and a changed blueprint.json applies without a restart', async () => {
    const client = new MinimalClient((method) => (method === 'client/registerCapability' ? null : new ResponseError(-32601, 'Not supported by this client')));
    try {
      const folderUri = pathToFileURL(folder).toString();
      await client.initialize({ rootUri: folderUri, capabilities: watchedCapabilities });
      const uri = `${folderUri}/watched.plan.yaml`;
      await client.open(uri, brokenCheckout());
      const first = await client.waitForDiagnostics(uri);
      assert.deepEqual(first.diagnostics.map((diagnostic) => diagnostic.code), ['unknown-reference', 'missing-owner']);
      assert.deepEqual(client.serverRequests, [
        {
          method: 'client/registerCapability',
          params: { registrations: [{ id: (client.serverRequests[0]?.params as { registrations: { id: string }[] }).registrations[0].id, method: 'workspace/didChangeWatchedFiles', registerOptions: { watchers: [{ globPattern: '**/*.plan.{yaml,yml}' }, { globPattern: '**/blueprint.json' }] } }] },
        },
      ]);
      // The editor saw blueprint.json appear and says so, as it was asked to.
      fs.writeFileSync(path.join(folder, 'blueprint.json'), JSON.stringify({ rules: { 'missing-owner': 'off' } }));
      const seen = client.published(uri).length;
      await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: `${folderUri}/blueprint.json`, type: 1 }] });
      const second = await client.waitForDiagnostics(uri, () => true, seen);
      assert.deepEqual(second.diagnostics.map((diagnostic) => diagnostic.code), ['unknown-reference']);
    } finally {
      await client.dispose();
    }
  });

  test('a client that watches on its own (the Blueprint extension says watchesFiles) is not asked to', async () => {
    const client = new MinimalClient(() => null);
    try {
      await client.initialize({ rootUri: null, capabilities: watchedCapabilities, initializationOptions: { watchesFiles: true } });
      const uri = 'file:///nowhere/own-watchers.plan.yaml';
      await client.open(uri, brokenCheckout());
      await client.waitForDiagnostics(uri);
      assert.deepEqual(client.serverRequests, []);
    } finally {
      await client.dispose();
    }
  });
});
