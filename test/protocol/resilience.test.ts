// The server under stress and abuse, over stdio as an editor drives it: a
// burst of edits is analysed once, for its last version (never an
// intermediate one published late); a request the client cancelled before it
// ran is not run; garbage on the wire and requests with bogus params get an
// error or an empty answer and the server keeps serving; and after 1,000
// random edits (scripts/soak.mjs, bounded) its diagnostics and planView equal
// a fresh server's on the same text.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { PlanViewRequest } from '../../server/src/protocol/requests';
import type { PlanView } from '../../server/src/protocol/planView';
import { readFixture, repoRoot } from '../helpers/fixtures';
import { frame, LspSession, RAW_ID_PREFIX } from '../helpers/lspSession';

type Generator = { generatePlan: (taskCount: number, seed?: number) => string };
interface SoakResult {
  alive: boolean;
  errors: string[];
  finalVersion: number;
  counts: Record<string, number>;
  requests: number;
  diagnostics: unknown[];
  freshDiagnostics: unknown[];
  planView: PlanView | null;
  freshPlanView: PlanView | null;
}
type Soak = { soak: (options: { tasks: number; edits: number; seed: number; sampleEvery?: number }) => Promise<SoakResult> };

/** An .mjs module from CommonJS: a dynamic import of a computed URL (not resolved by tsc). */
async function importScript<T>(...segments: string[]): Promise<T> {
  return (await import(pathToFileURL(path.join(repoRoot, 'scripts', ...segments)).href)) as T;
}

interface Position {
  line: number;
  character: number;
}

/** A didChange typing `character` at `position` (the document's next version). */
function typing(uri: string, version: number, position: Position, character: string) {
  return { jsonrpc: '2.0', method: 'textDocument/didChange', params: { textDocument: { uri, version }, contentChanges: [{ range: { start: position, end: position }, text: character }] } };
}

const REQUEST_CANCELLED = -32800;

describe('resilience of the language server', () => {
  let session: LspSession;
  before(async () => {
    session = new LspSession();
    await session.initialize();
  });
  after(async () => {
    await session.dispose();
  });

  test('a burst of edits publishes diagnostics for its last version only; a request inside the burst is answered', async () => {
    const { generatePlan } = await importScript<Generator>('bench', 'generatePlan.mjs');
    const text = generatePlan(1500, 5);
    const uri = 'file:///workspace/burst.plan.yaml';
    await session.open(uri, text);
    await session.waitForDiagnostics(uri, (params) => params.version === 1, 60_000);
    const lines = text.split('\n');
    const line = lines.findIndex((candidate) => /^ {8,}title: /.test(candidate));
    // 40 keystrokes, a hover on the edited line, 40 more: one write, so the server has all of it before it analyses.
    const messages: unknown[] = [];
    let version = 1;
    let column = lines[line].length;
    const keystroke = () => messages.push(typing(uri, ++version, { line, character: column++ }, 'x'));
    for (let index = 0; index < 40; index++) keystroke();
    const hoverId = `${RAW_ID_PREFIX}burst-hover`;
    const idLine = line - 1;
    messages.push({ jsonrpc: '2.0', id: hoverId, method: 'textDocument/hover', params: { textDocument: { uri }, position: { line: idLine, character: lines[idLine].indexOf('id:') + 5 } } });
    for (let index = 0; index < 40; index++) keystroke();
    const publishedBefore = session.published(uri).length;
    session.writeRaw(frame(...messages));

    const hover = await session.waitForRawResponse(hoverId, 60_000);
    assert.equal(hover.error, undefined, JSON.stringify(hover.error));
    assert.ok(hover.result, 'the hover inside the burst has a card');
    const final = await session.waitForDiagnostics(uri, (params) => params.version === version, 60_000);
    // Give a late, stale publication the chance to show up: a round trip after the final one.
    await session.connection.sendRequest(PlanViewRequest.method, { uri });
    const afterBurst = session.published(uri).slice(publishedBefore).map((params) => params.version);
    assert.deepEqual([...new Set(afterBurst)], [version], `published versions after the burst: ${afterBurst.join(', ')}`);
    assert.equal(session.published(uri).at(-1), final, 'nothing published after the final version');

    // The final diagnostics are those of the final text, as a fresh server sees it.
    const fresh = new LspSession();
    try {
      await fresh.initialize();
      const finalText = [...lines.slice(0, line), lines[line] + 'x'.repeat(80), ...lines.slice(line + 1)].join('\n');
      await fresh.open(uri, finalText, version);
      const expected = await fresh.waitForDiagnostics(uri, () => true, 60_000);
      assert.deepEqual(final.diagnostics, expected.diagnostics);
    } finally {
      await fresh.dispose();
    }
  });

  test('two bursts with a request awaited between them: only the last version of each burst is ever published', async () => {
    const text = readFixture('valid/checkout.plan.yaml');
    const uri = 'file:///workspace/two-bursts.plan.yaml';
    await session.open(uri, text);
    await session.waitForDiagnostics(uri, (params) => params.version === 1);
    const lines = text.split('\n');
    const line = lines.findIndex((candidate) => /^ {6,}title: /.test(candidate));
    let version = 1;
    let column = lines[line].length;
    const burst = () => session.writeRaw(frame(...Array.from({ length: 30 }, () => typing(uri, ++version, { line, character: column++ }, 'y'))));
    burst();
    const middle = version;
    const completion = await session.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line: line + 1, character: 0 } });
    assert.ok(completion, 'completion answered between the bursts');
    burst();
    await session.waitForDiagnostics(uri, (params) => params.version === version);
    await session.connection.sendRequest(PlanViewRequest.method, { uri });
    const versions = session.published(uri).map((params) => params.version);
    assert.ok(versions.every((published) => published === 1 || published === middle || published === version), `published versions: ${versions.join(', ')}`);
    assert.equal(versions.at(-1), version);
  });

  test('a request cancelled before it ran is answered RequestCancelled without running', async () => {
    const text = readFixture('valid/checkout.plan.yaml');
    const uri = 'file:///workspace/cancelled.plan.yaml';
    await session.open(uri, text);
    await session.waitForDiagnostics(uri);
    const ids = ['hover', 'completion', 'planView'].map((name) => `${RAW_ID_PREFIX}cancel-${name}`);
    const position = { line: 10, character: 4 };
    session.writeRaw(
      frame(
        { jsonrpc: '2.0', id: ids[0], method: 'textDocument/hover', params: { textDocument: { uri }, position } },
        { jsonrpc: '2.0', id: ids[1], method: 'textDocument/completion', params: { textDocument: { uri }, position } },
        { jsonrpc: '2.0', id: ids[2], method: PlanViewRequest.method, params: { uri } },
        ...ids.map((id) => ({ jsonrpc: '2.0', method: '$/cancelRequest', params: { id } })),
      ),
    );
    for (const id of ids) {
      const response = await session.waitForRawResponse(id);
      assert.equal(response.error?.code, REQUEST_CANCELLED, `${id}: ${JSON.stringify(response)}`);
    }
    // An uncancelled one right after is answered normally.
    const view = (await session.connection.sendRequest(PlanViewRequest.method, { uri })) as PlanView;
    assert.equal(view.title, 'Checkout v2 rollout');
  });

  test('garbage on the wire and requests with bogus params get an error or an empty answer; the server keeps serving', async () => {
    const text = readFixture('valid/checkout.plan.yaml');
    const uri = 'file:///workspace/abused.plan.yaml';
    await session.open(uri, text);
    await session.waitForDiagnostics(uri);

    // Not JSON, JSON that is not JSON-RPC, a response to nothing, a notification nobody handles.
    const garbage = '{"jsonrpc": "2.0", "method": oops}}';
    session.writeRaw(`Content-Length: ${Buffer.byteLength(garbage)}\r\n\r\n${garbage}`);
    session.writeRaw(frame([1, 2, 3], 'hello', 42, null, {}, { jsonrpc: '2.0' }, { jsonrpc: '2.0', id: 999_999, result: 'for nothing' }, { jsonrpc: '2.0', method: 'blueprint/noSuchNotification', params: { x: 1 } }));

    const unknownUri = 'file:///nowhere/missing.plan.yaml';
    const farAway = { line: 1_000_000, character: 1_000_000 };
    const negative = { line: -5, character: -3 };
    const requests: [string, unknown][] = [
      ['blueprint/noSuchRequest', {}],
      ['textDocument/hover', 'not an object'],
      ['textDocument/hover', { textDocument: { uri: unknownUri }, position: { line: 0, character: 0 } }],
      ['textDocument/hover', { textDocument: { uri }, position: farAway }],
      ['textDocument/hover', { textDocument: { uri }, position: negative }],
      ['textDocument/hover', { textDocument: { uri }, position: { line: 'three', character: null } }],
      ['textDocument/hover', { textDocument: null, position: null }],
      ['textDocument/completion', { textDocument: { uri }, position: negative }],
      ['textDocument/completion', { textDocument: { uri }, position: farAway }],
      ['textDocument/completion', { textDocument: { uri: 42 }, position: { line: 1.5, character: Number.MAX_SAFE_INTEGER } }],
      ['completionItem/resolve', { label: 7, data: { uri: ['x'] } }],
      ['textDocument/definition', { textDocument: { uri }, position: negative }],
      ['textDocument/references', { textDocument: { uri }, position: farAway }],
      ['textDocument/references', { textDocument: { uri }, position: { line: 3, character: 3 } }],
      ['textDocument/documentHighlight', { textDocument: { uri }, position: negative }],
      ['textDocument/prepareRename', { textDocument: { uri }, position: farAway }],
      ['textDocument/rename', { textDocument: { uri }, position: negative, newName: 12 }],
      ['textDocument/rename', { textDocument: { uri: unknownUri }, position: { line: 0, character: 0 }, newName: 'x' }],
      ['textDocument/codeAction', { textDocument: { uri }, range: { start: negative, end: farAway } }],
      ['textDocument/codeAction', { textDocument: { uri: unknownUri }, range: { start: negative, end: farAway }, context: { diagnostics: 'none' } }],
      ['textDocument/documentSymbol', { textDocument: { uri: unknownUri } }],
      ['textDocument/documentLink', { textDocument: { uri: unknownUri } }],
      ['documentLink/resolve', { range: { start: negative, end: negative }, data: { root: 5, pattern: ['**'] } }],
      ['textDocument/inlayHint', { textDocument: { uri }, range: { start: farAway, end: negative } }],
      ['textDocument/codeLens', { textDocument: { uri: unknownUri } }],
      ['workspace/symbol', { query: { not: 'a string' } }],
      [PlanViewRequest.method, { uri: 42 }],
      [PlanViewRequest.method, { uri: unknownUri }],
      [PlanViewRequest.method, null],
      ['blueprint/reschedule', { uri, id: 'checkout-ui', version: -1, start: 'yesterday', end: 12 }],
      ['blueprint/reschedule', { uri: unknownUri, id: null }],
      ['blueprint/baselineEdit', { uri: unknownUri }],
      ['blueprint/recordChangeEdit', { uri, date: 'not a date', summary: 5, affects: 'all' }],
      ['blueprint/coveringTasks', { uri: 'not a uri at all' }],
    ];
    const empty = (result: unknown) =>
      result === null ||
      (Array.isArray(result) && result.length === 0) ||
      (typeof result === 'object' && result !== null && 'items' in result && Array.isArray(result.items) && result.items.length === 0);
    const unknownUriMethods = new Set(['textDocument/hover', 'textDocument/documentSymbol', 'textDocument/documentLink', 'textDocument/codeLens', PlanViewRequest.method, 'blueprint/baselineEdit']);
    const ids: string[] = [];
    session.writeRaw(
      frame(
        ...requests.map(([method, params], index) => {
          const id = `${RAW_ID_PREFIX}bogus-${index}`;
          ids.push(id);
          return { jsonrpc: '2.0', id, method, params };
        }),
      ),
    );
    for (const [index, id] of ids.entries()) {
      const [method, params] = requests[index];
      const response = await session.waitForRawResponse(id);
      assert.ok(response.error !== undefined || 'result' in response, `${method}: no error and no result`);
      if (method === 'blueprint/noSuchRequest') assert.equal(response.error?.code, -32601);
      if (unknownUriMethods.has(method) && JSON.stringify(params).includes(unknownUri)) assert.ok(response.error || empty(response.result), `${method} on an unknown uri: ${JSON.stringify(response.result)}`);
    }

    // Notifications with bogus params: nothing to answer, and nothing may break.
    session.writeRaw(
      frame(
        { jsonrpc: '2.0', method: 'textDocument/didChange', params: { textDocument: { uri: unknownUri, version: 2 }, contentChanges: [{ text: 'x' }] } },
        { jsonrpc: '2.0', method: 'textDocument/didChange', params: { textDocument: { uri, version: 'two' }, contentChanges: 'everything' } },
        { jsonrpc: '2.0', method: 'textDocument/didClose', params: { textDocument: { uri: unknownUri } } },
        { jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: null } },
        { jsonrpc: '2.0', method: 'workspace/didChangeWatchedFiles', params: { changes: [{ uri: 42, type: 'created' }] } },
        { jsonrpc: '2.0', method: 'workspace/didChangeConfiguration', params: { settings: { blueprint: { rules: 'all off' } } } },
      ),
    );

    // Still serving: the open plan's view, and diagnostics after a real edit (at the end of the file).
    const view = (await session.connection.sendRequest(PlanViewRequest.method, { uri })) as PlanView;
    assert.equal(view.title, 'Checkout v2 rollout');
    const lastLine = text.split('\n').length - 1;
    const version = 50;
    await session.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range: { start: { line: lastLine, character: 0 }, end: { line: lastLine, character: 0 } }, text: '\n' }] });
    const published = await session.waitForDiagnostics(uri, (params) => params.version === version);
    assert.ok(Array.isArray(published.diagnostics));
    assert.equal(session.exitCode, undefined, `the server exited: ${session.stderr.join('')}`);
  });

  test('closing an edited plan tells the views to ask again (the plan is the file on disk again)', async () => {
    const text = readFixture('valid/checkout.plan.yaml');
    const uri = 'file:///workspace/closed.plan.yaml';
    await session.open(uri, text);
    await session.waitForDiagnostics(uri);
    // A round trip: the planChanged that follows the diagnostics has arrived before this answer.
    await session.connection.sendRequest(PlanViewRequest.method, { uri });
    const changed = new Promise<{ uri: string }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no blueprint/planChanged within 10 s of didClose')), 10_000);
      const subscription = session.connection.onNotification('blueprint/planChanged', (params: { uri: string }) => {
        if (params.uri !== uri) return;
        clearTimeout(timer);
        subscription.dispose();
        resolve(params);
      });
    });
    await session.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    assert.equal((await changed).uri, uri);
  });

  test('after 1,000 random edits with requests in between, diagnostics and planView equal a fresh server\'s on the final text', async () => {
    const { soak } = await importScript<Soak>('soak.mjs');
    const result = await soak({ tasks: 150, edits: 1000, seed: 3 });
    assert.ok(result.alive, 'the server survived');
    assert.deepEqual(result.errors, [], 'no handler failed');
    assert.ok(result.counts.break > 10 && result.counts.fix > 10 && result.counts.undo > 10 && result.counts.paste > 10 && result.counts.revert === 1, JSON.stringify(result.counts));
    assert.ok(result.requests > 50, `${result.requests} requests`);
    assert.deepEqual(result.diagnostics, result.freshDiagnostics);
    assert.ok(result.planView, 'the final text is still a plan');
    assert.deepEqual(result.planView, result.freshPlanView);
  });
});
