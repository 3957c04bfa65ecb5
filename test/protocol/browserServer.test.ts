import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as vm from 'node:vm';
import { spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-languageserver-protocol/node';
import { LspSession, serverBundle } from '../helpers/lspSession';
import { startWorkerServer } from '../helpers/workerServer';

// A workspace that is not on any disk (github.dev's vscode-vfs), its files
// read only through the client's blueprint/readFiles, blueprint/findPlanFiles
// and blueprint/findFiles, served by the web extension's server
// (dist/browser/server.js in a worker-like context, test/helpers/workerServer.ts)
// and by the desktop's Node server in a virtual workspace
// (`dist/server.js --files-through-client`). Each must give the desktop
// server's diagnostics (files on disk) and features, and ask for nothing
// outside the workspace folder.

type Position = { line: number; character: number };
type Range = { start: Position; end: Position };
type Diagnostic = { code?: string; severity?: number; range: Range; source?: string; message: string; codeDescription?: { href: string } };
type Location = { uri: string; range: Range };

const FIXTURES = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'navigation');
const ROOT = 'vscode-vfs://github/acme/shop';
const PLANS = ['checkout.plan.yaml', 'mobile.plan.yaml', 'platform/infra.plan.yaml', 'broken.plan.yaml'];
/** The shared settings file: one rule turned off, one raised and stale-link (off by default) on, so a wrong or missing read shows. */
const CONFIG = JSON.stringify({ rules: { 'untraced-work': 'off', 'missing-owner': 'error', 'stale-link': 'warning' } });
const OUTSIDE = 'vscode-vfs://github/acme/secrets/hidden.plan.yaml';

/** The virtual workspace: the navigation fixtures, blueprint.json, a source file, and a plan outside the folder. */
const files = new Map<string, string>([
  ...PLANS.map((plan): [string, string] => [`${ROOT}/${plan}`, fs.readFileSync(path.join(FIXTURES, plan), 'utf8')]),
  [`${ROOT}/blueprint.json`, CONFIG],
  [`${ROOT}/src/payments/api.ts`, 'export const api = 1;\n'],
  [OUTSIDE, 'plan: Hidden\nowner: x\nstart: 2026-01-05\n'],
]);

/** A server that reads files through its client, started one of two ways. */
interface ServerUnderTest {
  connection: MessageConnection;
  /** What it logged, for failure messages. */
  logs: string[];
  /** The worker's global context (the web build only). */
  context?: vm.Context;
  dispose(): void;
}

const HOSTS: { name: string; start: () => ServerUnderTest }[] = [
  { name: 'the web extension server in a worker', start: startWorkerServer },
  {
    name: 'the Node server of a virtual workspace (--files-through-client)',
    start: () => {
      const child = spawn(process.execPath, [serverBundle, '--stdio', '--files-through-client'], { stdio: 'pipe' });
      const logs: string[] = [];
      child.stderr.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
      const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
      connection.onNotification('window/logMessage', (params: { message: string }) => {
        logs.push(params.message);
      });
      connection.listen();
      return {
        connection,
        logs,
        dispose: () => {
          connection.dispose();
          child.kill();
        },
      };
    },
  },
];

for (const { name, start } of HOSTS) {
  const readRequests: string[][] = [];
  const findFilesRequests: unknown[] = [];
  let findPlanRequests = 0;
  let worker: ServerUnderTest;
  const published = new Map<string, Diagnostic[][]>();

  function answerReadFiles(params: { uris: string[] }) {
    readRequests.push(params.uris);
    return params.uris.map((uri) => {
      const text = files.get(uri);
      return text === undefined ? { uri, missing: true } : { uri, text, mtime: 1_780_000_000_000, size: text.length };
    });
  }

  async function diagnosticsOf(uri: string, timeoutMs = 10_000): Promise<Diagnostic[]> {
    const deadline = Date.now() + timeoutMs;
    while (!published.get(uri)?.length) {
      if (Date.now() > deadline) throw new Error(`no diagnostics for ${uri}; worker logs: ${worker.logs.join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return published.get(uri)!.at(-1)!;
  }

  async function open(relative: string): Promise<void> {
    const uri = `${ROOT}/${relative}`;
    await worker.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'plan-yaml', version: 1, text: files.get(uri) } });
  }

  /** What is compared with the desktop: everything but the documentation link (its base differs by design). */
  const comparable = (diagnostics: Diagnostic[]) =>
    diagnostics.map(({ code, severity, range, source, message }) => ({ code, severity, range, source, message })).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

  describe(`${name}, on a virtual workspace`, () => {
    before(async () => {
      worker = start();
      const connection = worker.connection;
      connection.onRequest('blueprint/readFiles', answerReadFiles);
      connection.onRequest('blueprint/findPlanFiles', () => {
        findPlanRequests++;
        return [...files.keys()].filter((uri) => uri.startsWith(`${ROOT}/`) && /\.plan\.ya?ml$/.test(uri));
      });
      connection.onRequest('blueprint/findFiles', (params: { base: string; pattern: string; limit: number }) => {
        findFilesRequests.push(params);
        // The two shapes of pattern the tests use: `folder/**` and a plain path.
        const below = params.pattern.endsWith('/**') ? `${params.base}/${params.pattern.slice(0, -2)}` : undefined;
        return [...files.keys()].filter((file) => (below ? file.startsWith(below) : file === `${params.base}/${params.pattern}`)).sort().slice(0, params.limit);
      });
      connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => null));
      connection.onRequest('client/registerCapability', () => null);
      connection.onNotification('textDocument/publishDiagnostics', (params: { uri: string; diagnostics: Diagnostic[] }) => {
        published.set(params.uri, [...(published.get(params.uri) ?? []), params.diagnostics]);
      });
      await connection.sendRequest('initialize', {
        processId: null,
        rootUri: null,
        capabilities: { workspace: { configuration: true, workspaceFolders: true }, textDocument: { rename: { prepareSupport: true } } },
        workspaceFolders: [{ uri: ROOT, name: 'shop' }],
        initializationOptions: { docsBase: 'https://extension.test/README.md' },
      });
      await connection.sendNotification('initialized', {});
    });

    after(() => worker?.dispose());

    if (name.includes('worker')) test('the worker has no Node globals, and loading it threw nothing', () => {
      assert.ok(worker.context);
      assert.equal(vm.runInContext('[typeof require, typeof process, typeof Buffer, typeof module, typeof global, typeof __dirname].join()', worker.context), 'undefined,undefined,undefined,undefined,undefined,undefined');
      assert.deepEqual(worker.logs.filter((line) => line.startsWith('error')), []);
    });

    test('diagnostics equal the desktop server\'s for every plan, with files read through the client', async () => {
      // The desktop: the same files on disk, the Node server over stdio.
      const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'bp-web-'));
      const desktop = new LspSession();
      try {
        for (const plan of PLANS) {
          fs.mkdirSync(path.dirname(path.join(folder, plan)), { recursive: true });
          fs.copyFileSync(path.join(FIXTURES, plan), path.join(folder, plan));
        }
        fs.writeFileSync(path.join(folder, 'blueprint.json'), CONFIG);
        const folderUri = pathToFileURL(folder).toString();
        await desktop.initialize({ workspaceFolders: [{ uri: folderUri, name: 'shop' }] });
        for (const plan of PLANS) {
          await open(plan);
          const inWorker = await diagnosticsOf(`${ROOT}/${plan}`);
          await desktop.open(`${folderUri}/${plan}`, files.get(`${ROOT}/${plan}`)!);
          const onDesktop = (await desktop.waitForDiagnostics(`${folderUri}/${plan}`)).diagnostics as Diagnostic[];
          assert.deepEqual(comparable(inWorker), comparable(onDesktop), plan);
          assert.ok(inWorker.every((diagnostic) => diagnostic.codeDescription?.href === `https://extension.test/README.md#${diagnostic.code}`), 'documentation links use the client\'s docsBase');
        }
      } finally {
        await desktop.dispose();
        fs.rmSync(folder, { recursive: true, force: true });
      }
      const checkout = await diagnosticsOf(`${ROOT}/checkout.plan.yaml`);
      const mobile = await diagnosticsOf(`${ROOT}/mobile.plan.yaml`);
      // blueprint.json was read: untraced-work is off, missing-owner raised to an error.
      assert.deepEqual([...checkout, ...mobile].filter((diagnostic) => diagnostic.code === 'untraced-work'), []);
      // Cross-file references resolved: none of mobile's three references to other plans is reported.
      assert.deepEqual(mobile.filter((diagnostic) => diagnostic.code === 'unknown-reference'), []);
      // Only files inside the folder were asked for, each plan once at most, and blueprint.json.
      const asked = readRequests.flat();
      assert.ok(asked.every((uri) => uri.startsWith(`${ROOT}/`)), JSON.stringify(asked));
      assert.ok(asked.includes(`${ROOT}/blueprint.json`));
      assert.equal(new Set(asked).size, asked.length, `no file read twice: ${JSON.stringify(asked)}`);
    });

    test('a reference that leaves the folder is reported and never read', async () => {
      const uri = `${ROOT}/escape.plan.yaml`;
      const text = files.get(`${ROOT}/broken.plan.yaml`)!.replace('checkout.plan.yaml#beta', '../secrets/hidden.plan.yaml#x');
      await worker.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'plan-yaml', version: 1, text } });
      const diagnostics = await diagnosticsOf(uri);
      const line = text.split('\n').findIndex((candidate) => candidate.includes('../secrets/hidden.plan.yaml#x'));
      const escape = diagnostics.filter((diagnostic) => diagnostic.code === 'unknown-reference' && diagnostic.range.start.line === line);
      assert.equal(escape.length, 1, JSON.stringify(diagnostics));
      assert.match(escape[0].message, /outside the workspace/);
      assert.ok(!readRequests.flat().includes(OUTSIDE));
    });

    test('completion, definition, references and rename across plans', async () => {
      const checkoutUri = `${ROOT}/checkout.plan.yaml`;
      const checkout = files.get(checkoutUri)!.split('\n');
      const ownerLine = checkout.findIndex((line) => line.includes('owner: bob'));
      const completion = (await worker.connection.sendRequest('textDocument/completion', { textDocument: { uri: checkoutUri }, position: { line: ownerLine, character: checkout[ownerLine].indexOf('bob') } })) as { items: { label: string }[] };
      assert.deepEqual(completion.items.map((item) => item.label).sort(), ['alice', 'bob', 'carol']);

      const runnersLine = checkout.findIndex((line) => line.includes('platform/infra.plan.yaml#runners'));
      const definition = (await worker.connection.sendRequest('textDocument/definition', { textDocument: { uri: checkoutUri }, position: { line: runnersLine, character: checkout[runnersLine].indexOf('#runners') + 2 } })) as Location[];
      const infra = files.get(`${ROOT}/platform/infra.plan.yaml`)!.split('\n');
      const runnersId = infra.findIndex((line) => line.includes('- id: runners'));
      assert.deepEqual(definition, [{ uri: `${ROOT}/platform/infra.plan.yaml`, range: { start: { line: runnersId, character: infra[runnersId].indexOf('runners') }, end: { line: runnersId, character: infra[runnersId].indexOf('runners') + 'runners'.length } } }]);

      const apiLine = checkout.findIndex((line) => line.includes('- id: payment-api'));
      const position = { line: apiLine, character: checkout[apiLine].indexOf('payment-api') };
      const references = (await worker.connection.sendRequest('textDocument/references', { textDocument: { uri: checkoutUri }, position, context: { includeDeclaration: false } })) as Location[];
      assert.ok(findPlanRequests >= 1, 'the plans of the workspace were listed through the client');
      const referringFiles = [...new Set(references.map((location) => location.uri))].sort();
      assert.deepEqual(referringFiles, [checkoutUri, `${ROOT}/mobile.plan.yaml`, `${ROOT}/platform/infra.plan.yaml`]);

      const rename = (await worker.connection.sendRequest('textDocument/rename', { textDocument: { uri: checkoutUri }, position, newName: 'psp-api' })) as { changes: Record<string, { newText: string }[]> };
      assert.deepEqual(Object.keys(rename.changes).sort(), referringFiles);
      assert.ok(Object.values(rename.changes).flat().every((edit) => edit.newText === 'psp-api' || edit.newText.endsWith('#psp-api')));
    });

    test('the plan view for the timeline and tree, and a glob link resolved through the client', async () => {
      const view = (await worker.connection.sendRequest('blueprint/planView', { uri: `${ROOT}/platform/infra.plan.yaml` })) as { title?: string; milestones: { id: string; tasks: { id: string; start?: string; end?: string }[] }[] };
      assert.equal(view.title, 'Platform runners');
      assert.deepEqual(view.milestones.map((milestone) => [milestone.id, milestone.tasks.map((task) => task.id)]), [['capacity', ['runners', 'payment-api']]]);

      const uri = `${ROOT}/linked.plan.yaml`;
      const text = 'plan: Linked\nowner: a\nstart: 2026-01-05\npeople:\n  a: { name: A }\nmilestones:\n  - id: m\n    title: M\n    due: 2026-03-01\n    owner: a\n    tasks:\n      - id: t\n        title: T\n        owner: a\n        duration: 5d\n        links: [src/payments/**, docs/guide.md]\n';
      await worker.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'plan-yaml', version: 1, text } });
      // stale-link: the client was asked for each link; only the one that matches nothing is reported.
      const stale = (await diagnosticsOf(uri)).filter((diagnostic) => diagnostic.code === 'stale-link');
      const linksLine = text.split('\n').findIndex((line) => line.includes('links:'));
      const guideAt = text.split('\n')[linksLine].indexOf('docs/guide.md');
      assert.deepEqual(stale.map((diagnostic) => [diagnostic.range, diagnostic.severity]), [[{ start: { line: linksLine, character: guideAt }, end: { line: linksLine, character: guideAt + 'docs/guide.md'.length } }, 2]]);
      const links = (await worker.connection.sendRequest('textDocument/documentLink', { textDocument: { uri } })) as { target?: string; data?: unknown; range: Range }[];
      assert.deepEqual(links.map((link) => link.target ?? null), [null, `${ROOT}/docs/guide.md`]);
      const resolved = (await worker.connection.sendRequest('documentLink/resolve', links[0])) as { target?: string };
      assert.equal(resolved.target, `${ROOT}/src/payments/api.ts`);
      // Two lookups for the stale-link rule (a plain path is also tried as a folder), and the link's resolve.
      assert.deepEqual((findFilesRequests as { base: string; pattern: string; limit: number }[]).map((request) => `${request.base} ${request.pattern} ${request.limit}`).sort(), [
        `${ROOT} docs/guide.md 1`,
        `${ROOT} docs/guide.md/** 1`,
        `${ROOT} src/payments/** 1`,
        `${ROOT} src/payments/** 1`,
      ]);

      // The missing file is created: the server hears it (a watched-file event), asks again, and the finding goes.
      files.set(`${ROOT}/docs/guide.md`, '# Guide\n');
      const before = published.get(uri)!.length;
      await worker.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: `${ROOT}/docs/guide.md`, type: 1 }] });
      const deadline = Date.now() + 10_000;
      while (published.get(uri)!.length === before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      assert.deepEqual((await diagnosticsOf(uri)).filter((diagnostic) => diagnostic.code === 'stale-link'), []);
      files.delete(`${ROOT}/docs/guide.md`); // The next host's suite starts from the same workspace.
    });
  });
}
