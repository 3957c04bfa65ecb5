import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ReadFileResult } from '../../server/src/protocol/requests';
import {
  createWorkspaceFileAccess,
  MAX_READ_BYTES,
  MAX_URIS_PER_REQUEST,
  OUTSIDE_WORKSPACE,
  TOO_MANY_URIS,
  type FileAccessHost,
  type FileStatus,
} from '../../client/src/workspaceFileAccess';

// The web extension's client reads files for the language server in the web
// worker (client/src/workspaceFileAccess.ts): only inside the workspace
// folders, and nothing at all is touched for a uri outside them.

const FOLDERS = ['file:///ws', 'vscode-vfs://github/owner/repo'];
const MTIME = 1_750_000_000_000;
const encode = (text: string) => new TextEncoder().encode(text);

interface FakeFile {
  status: FileStatus;
  bytes?: Uint8Array;
}

function fileSystemError(code: string, message = `${code} (FileSystemError)`): Error {
  return Object.assign(new Error(message), { code, name: `${code} (FileSystemError)` });
}

/** A host over an in-memory map of canonical uris, recording every call. */
function fakeHost(files: Record<string, FakeFile | Error>, options: { folders?: string[]; found?: string[]; delay?: (uri: string) => number } = {}) {
  const calls = { stat: [] as string[], readFile: [] as string[], findFiles: [] as unknown[][] };
  let inFlight = 0;
  let mostInFlight = 0;
  const pause = (uri: string) => new Promise((resolve) => setTimeout(resolve, options.delay?.(uri) ?? 0));
  const host: FileAccessHost = {
    workspaceFolders: () => options.folders ?? FOLDERS,
    stat: async (uri) => {
      calls.stat.push(uri);
      inFlight++;
      mostInFlight = Math.max(mostInFlight, inFlight);
      try {
        await pause(uri);
        const file = files[uri];
        if (file === undefined) throw fileSystemError('FileNotFound');
        if (file instanceof Error) throw file;
        return file.status;
      } finally {
        inFlight--;
      }
    },
    readFile: async (uri) => {
      calls.readFile.push(uri);
      const file = files[uri];
      if (!file || file instanceof Error || !file.bytes) throw fileSystemError('FileNotFound');
      return file.bytes;
    },
    findFiles: async (include, exclude, limit) => {
      calls.findFiles.push([include, exclude, limit]);
      return options.found ?? [];
    },
  };
  return { host, calls, mostInFlight: () => mostInFlight };
}

const textFile = (text: string | Uint8Array, mtime = MTIME): FakeFile => {
  const bytes = typeof text === 'string' ? encode(text) : text;
  return { status: { kind: 'file', size: bytes.byteLength, mtime }, bytes };
};

describe('workspace file access: readFiles', () => {
  test('a file inside a workspace folder: its text, mtime and size', async () => {
    const { host, calls } = fakeHost({ 'file:///ws/plans/a.plan.yaml': textFile('plan: A\n') });
    assert.deepEqual(await createWorkspaceFileAccess(host).readFiles({ uris: ['file:///ws/plans/a.plan.yaml'] }), [
      { uri: 'file:///ws/plans/a.plan.yaml', text: 'plan: A\n', mtime: MTIME, size: 8 },
    ]);
    assert.deepEqual(calls.stat, ['file:///ws/plans/a.plan.yaml']);
    assert.deepEqual(calls.readFile, ['file:///ws/plans/a.plan.yaml']);
  });

  test('in any scheme the workspace has (github.dev)', async () => {
    const { host } = fakeHost({ 'vscode-vfs://github/owner/repo/q3.plan.yml': textFile('plan: Q3\n') });
    assert.deepEqual(await createWorkspaceFileAccess(host).readFiles({ uris: ['vscode-vfs://github/owner/repo/q3.plan.yml'] }), [
      { uri: 'vscode-vfs://github/owner/repo/q3.plan.yml', text: 'plan: Q3\n', mtime: MTIME, size: 9 },
    ]);
  });

  test('no such file: missing, whichever name the file system gives it', async () => {
    const { host } = fakeHost({
      'file:///ws/entry.plan.yaml': fileSystemError('EntryNotFound'),
      'file:///ws/notdir/x.plan.yaml': fileSystemError('FileNotADirectory'),
    });
    assert.deepEqual(await createWorkspaceFileAccess(host).readFiles({ uris: ['file:///ws/gone.plan.yaml', 'file:///ws/entry.plan.yaml', 'file:///ws/notdir/x.plan.yaml'] }), [
      { uri: 'file:///ws/gone.plan.yaml', missing: true },
      { uri: 'file:///ws/entry.plan.yaml', missing: true },
      { uri: 'file:///ws/notdir/x.plan.yaml', missing: true },
    ]);
  });

  test('a folder, a symbolic link, something else: why not, and nothing read', async () => {
    const { host, calls } = fakeHost({
      'file:///ws/dir.plan.yaml': { status: { kind: 'folder', size: 0, mtime: MTIME } },
      'file:///ws/link.plan.yaml': { status: { kind: 'symbolicLink', size: 10, mtime: MTIME }, bytes: encode('plan: x\n') },
      'file:///ws/fifo.plan.yaml': { status: { kind: 'other', size: 0, mtime: MTIME } },
    });
    assert.deepEqual(await createWorkspaceFileAccess(host).readFiles({ uris: ['file:///ws/dir.plan.yaml', 'file:///ws/link.plan.yaml', 'file:///ws/fifo.plan.yaml'] }), [
      { uri: 'file:///ws/dir.plan.yaml', failure: 'it is a folder' },
      { uri: 'file:///ws/link.plan.yaml', failure: 'it is a symbolic link, which is not followed here' },
      { uri: 'file:///ws/fifo.plan.yaml', failure: 'it is not a regular file' },
    ]);
    assert.deepEqual(calls.readFile, []);
  });

  test('larger than 20 MB by its stat: refused without reading; 20 MB exactly is read', async () => {
    const exactly = new Uint8Array(MAX_READ_BYTES).fill(0x61);
    const { host, calls } = fakeHost({
      'file:///ws/huge.plan.yaml': { status: { kind: 'file', size: 20 * 1024 * 1024 + 1, mtime: MTIME } },
      'file:///ws/limit.plan.yaml': textFile(exactly),
      // The stat said small, the read was not (it grew in between).
      'file:///ws/grew.plan.yaml': { status: { kind: 'file', size: 10, mtime: MTIME }, bytes: new Uint8Array(MAX_READ_BYTES + 1) },
    });
    const [huge, limit, grew] = await createWorkspaceFileAccess(host).readFiles({ uris: ['file:///ws/huge.plan.yaml', 'file:///ws/limit.plan.yaml', 'file:///ws/grew.plan.yaml'] });
    assert.deepEqual(huge, { uri: 'file:///ws/huge.plan.yaml', failure: 'it is larger than 20 MB' });
    assert.ok('text' in limit && limit.text.length === MAX_READ_BYTES && limit.size === MAX_READ_BYTES);
    assert.deepEqual(grew, { uri: 'file:///ws/grew.plan.yaml', failure: 'it is larger than 20 MB' });
    assert.deepEqual(calls.readFile, ['file:///ws/limit.plan.yaml', 'file:///ws/grew.plan.yaml']);
  });

  test('permission denied, and any other error by its message', async () => {
    const { host } = fakeHost({
      'file:///ws/secret.plan.yaml': fileSystemError('NoPermissions'),
      'file:///ws/offline.plan.yaml': fileSystemError('Unavailable', 'The GitHub API rate limit was reached'),
      'file:///ws/odd.plan.yaml': new Error('something odd'),
    });
    assert.deepEqual(await createWorkspaceFileAccess(host).readFiles({ uris: ['file:///ws/secret.plan.yaml', 'file:///ws/offline.plan.yaml', 'file:///ws/odd.plan.yaml'] }), [
      { uri: 'file:///ws/secret.plan.yaml', failure: 'permission denied' },
      { uri: 'file:///ws/offline.plan.yaml', failure: 'The GitHub API rate limit was reached' },
      { uri: 'file:///ws/odd.plan.yaml', failure: 'something odd' },
    ]);
  });

  test('UTF-8, without one leading byte order mark (as the desktop reads it)', async () => {
    const bom = [0xef, 0xbb, 0xbf];
    const { host } = fakeHost({
      'file:///ws/bom.plan.yaml': textFile(new Uint8Array([...bom, ...encode('plan: Café\n')])),
      'file:///ws/two.plan.yaml': textFile(new Uint8Array([...bom, ...bom, ...encode('x')])),
      'file:///ws/inner.plan.yaml': textFile(new Uint8Array([...encode('a'), ...bom])),
    });
    const results = await createWorkspaceFileAccess(host).readFiles({ uris: ['file:///ws/bom.plan.yaml', 'file:///ws/two.plan.yaml', 'file:///ws/inner.plan.yaml'] });
    assert.deepEqual(results, [
      { uri: 'file:///ws/bom.plan.yaml', text: 'plan: Café\n', mtime: MTIME, size: 15 },
      { uri: 'file:///ws/two.plan.yaml', text: '\ufeffx', mtime: MTIME, size: 7 },
      { uri: 'file:///ws/inner.plan.yaml', text: 'a\ufeff', mtime: MTIME, size: 4 },
    ]);
  });

  test('outside the workspace folders: refused, and the file system is never touched', async () => {
    const outside = [
      'file:///other/x.plan.yaml',
      'file:///wsx/x.plan.yaml',
      'file:///w/x.plan.yaml',
      'file:///',
      'file:///ws/../etc/x.plan.yaml',
      'file:///ws/a/../../etc/x.plan.yaml',
      'file:///ws/%2e%2e/etc/x.plan.yaml',
      'file:///ws/%2E%2E%2Fetc/x.plan.yaml',
      'file:///ws/..%2F..%2Fetc/x.plan.yaml',
      'file:///ws/../../../../x.plan.yaml',
      // Above the root is not the root again.
      'file:///../ws/x.plan.yaml',
      'file:///ws/..%5Cetc%5Cx.plan.yaml',
      'file:///ws/a%00.plan.yaml',
      'file://evil-host/ws/x.plan.yaml',
      'file:///ws/x.plan.yaml?raw',
      'file:///ws/x.plan.yaml#top',
      'memfs:/ws/x.plan.yaml',
      'vscode-remote://ssh-remote%2Bbox/ws/x.plan.yaml',
      'http://ws/x.plan.yaml',
      'untitled:/ws/x.plan.yaml',
      'vscode-vfs://gitlab/owner/repo/x.plan.yaml',
      'vscode-vfs://github/owner/repo2/x.plan.yaml',
      'vscode-vfs://github/owner/repo/../repo2/x.plan.yaml',
      'vscode-vfs://github/owner/x.plan.yaml',
      '/ws/x.plan.yaml',
      'ws/x.plan.yaml',
      '',
      'not a uri',
    ];
    // Every one of them would be readable if asked for.
    const everything = new Proxy({}, { get: () => textFile('plan: secret\n') }) as Record<string, FakeFile>;
    const { host, calls } = fakeHost(everything);
    const results = await createWorkspaceFileAccess(host).readFiles({ uris: outside });
    assert.deepEqual(results, outside.map((uri) => ({ uri, failure: OUTSIDE_WORKSPACE })));
    assert.deepEqual(calls.stat, []);
    assert.deepEqual(calls.readFile, []);
  });

  test('a `..` that stays inside is read at the path it names; a folder named like a prefix is not the folder', async () => {
    const { host, calls } = fakeHost({ 'file:///ws/a.plan.yaml': textFile('plan: A\n') }, { folders: ['file:///ws/'] });
    const [result] = await createWorkspaceFileAccess(host).readFiles({ uris: ['file:///ws/plans/../a.plan.yaml'] });
    assert.deepEqual(result, { uri: 'file:///ws/plans/../a.plan.yaml', text: 'plan: A\n', mtime: MTIME, size: 8 });
    assert.deepEqual(calls.stat, ['file:///ws/a.plan.yaml']);
  });

  test('a Windows drive letter in either case, and an upper-case scheme, are the same folder', async () => {
    const { host, calls } = fakeHost({ 'file:///c%3A/ws/a.plan.yaml': textFile('plan: A\n') }, { folders: ['file:///c%3A/ws'] });
    const results = await createWorkspaceFileAccess(host).readFiles({ uris: ['file:///C:/ws/a.plan.yaml', 'FILE:///c%3A/ws/a.plan.yaml', 'file:///d%3A/ws/a.plan.yaml'] });
    assert.deepEqual(results, [
      { uri: 'file:///C:/ws/a.plan.yaml', text: 'plan: A\n', mtime: MTIME, size: 8 },
      { uri: 'FILE:///c%3A/ws/a.plan.yaml', text: 'plan: A\n', mtime: MTIME, size: 8 },
      { uri: 'file:///d%3A/ws/a.plan.yaml', failure: OUTSIDE_WORKSPACE },
    ]);
    assert.deepEqual(calls.stat, ['file:///c%3A/ws/a.plan.yaml', 'file:///c%3A/ws/a.plan.yaml']);
  });

  test('no workspace folder: everything is outside', async () => {
    const { host, calls } = fakeHost({ 'file:///ws/a.plan.yaml': textFile('plan: A\n') }, { folders: [] });
    assert.deepEqual(await createWorkspaceFileAccess(host).readFiles({ uris: ['file:///ws/a.plan.yaml'] }), [{ uri: 'file:///ws/a.plan.yaml', failure: OUTSIDE_WORKSPACE }]);
    assert.deepEqual(calls.stat, []);
  });

  test('one answer per uri, in the order asked, however the reads finish', async () => {
    const uris = Array.from({ length: 20 }, (_, index) => `file:///ws/p${index}.plan.yaml`);
    const files = Object.fromEntries(uris.filter((_, index) => index % 3 !== 0).map((uri) => [uri, textFile(`plan: ${uri}\n`)]));
    // Later uris answer sooner.
    const { host, mostInFlight } = fakeHost(files, { delay: (uri) => 40 - Number(/p(\d+)/.exec(uri)![1]) * 2 });
    const asked = [...uris.slice(0, 10), 'file:///elsewhere/x.plan.yaml', ...uris.slice(10)];
    const results = await createWorkspaceFileAccess(host).readFiles({ uris: asked });
    assert.deepEqual(
      results.map((result) => result.uri),
      asked,
    );
    const expected = (uri: string): ReadFileResult => (uri.startsWith('file:///elsewhere') ? { uri, failure: OUTSIDE_WORKSPACE } : files[uri] ? { uri, text: `plan: ${uri}\n`, mtime: MTIME, size: encode(`plan: ${uri}\n`).byteLength } : { uri, missing: true });
    assert.deepEqual(results, asked.map(expected));
    assert.ok(mostInFlight() <= 8, `at most 8 reads at once, saw ${mostInFlight()}`);
    assert.ok(mostInFlight() > 1, 'reads overlap');
  });

  test(`at most ${MAX_URIS_PER_REQUEST} uris answered per request; the rest refused unread`, async () => {
    const uris = Array.from({ length: MAX_URIS_PER_REQUEST + 2 }, (_, index) => `file:///ws/p${index}.plan.yaml`);
    const { host, calls } = fakeHost({});
    const results = await createWorkspaceFileAccess(host).readFiles({ uris });
    assert.equal(results.length, uris.length);
    assert.deepEqual(results.slice(0, 2), [
      { uri: uris[0], missing: true },
      { uri: uris[1], missing: true },
    ]);
    assert.deepEqual(results.slice(MAX_URIS_PER_REQUEST), [
      { uri: uris[MAX_URIS_PER_REQUEST], failure: TOO_MANY_URIS },
      { uri: uris[MAX_URIS_PER_REQUEST + 1], failure: TOO_MANY_URIS },
    ]);
    assert.equal(calls.stat.length, MAX_URIS_PER_REQUEST);
  });

  test('malformed requests: no answers for no list, a failure for a uri that is not a string', async () => {
    const { host, calls } = fakeHost({});
    const access = createWorkspaceFileAccess(host);
    assert.deepEqual(await access.readFiles(undefined), []);
    assert.deepEqual(await access.readFiles(null), []);
    assert.deepEqual(await access.readFiles({ uris: 'file:///ws/a.plan.yaml' }), []);
    assert.deepEqual(await access.readFiles({ uris: [42] }), [{ uri: '42', failure: 'it is not a uri' }]);
    assert.deepEqual(calls.stat, []);
  });
});

describe('workspace file access: findPlanFiles', () => {
  test('every plan file of the workspace folders, node_modules and .git left out, sorted', async () => {
    const { host, calls } = fakeHost({}, { found: ['file:///ws/z.plan.yaml', 'file:///ws/a/b.plan.yml', 'file:///ws/a.plan.yaml'] });
    assert.deepEqual(await createWorkspaceFileAccess(host).findPlanFiles(), ['file:///ws/a.plan.yaml', 'file:///ws/a/b.plan.yml', 'file:///ws/z.plan.yaml']);
    assert.deepEqual(calls.findFiles, [[{ pattern: '**/*.plan.{yaml,yml}' }, '{**/node_modules/**,**/.git/**}', 10000]]);
  });
});

describe('workspace file access: findFiles', () => {
  test('a link glob in a workspace folder: its matches there, sorted, at most the limit (clamped to 1..100)', async () => {
    const found = ['file:///ws/src/b.ts', 'file:///ws/src/a.ts', 'file:///elsewhere/c.ts', 'file:///wsx/d.ts'];
    const { host, calls } = fakeHost({}, { found });
    const access = createWorkspaceFileAccess(host);
    assert.deepEqual(await access.findFiles({ base: 'file:///ws', pattern: 'src/**/*.ts', limit: 10 }), ['file:///ws/src/a.ts', 'file:///ws/src/b.ts']);
    assert.deepEqual(await access.findFiles({ base: 'file:///ws', pattern: 'src/**/*.ts', limit: 1 }), ['file:///ws/src/a.ts']);
    await access.findFiles({ base: 'file:///ws', pattern: 'src/**/*.ts', limit: 5000 });
    await access.findFiles({ base: 'file:///ws', pattern: 'src/**/*.ts', limit: 0 });
    await access.findFiles({ base: 'file:///ws', pattern: 'src/**/*.ts', limit: -3 });
    await access.findFiles({ base: 'file:///ws', pattern: 'src/**/*.ts', limit: 2.9 });
    assert.deepEqual(
      calls.findFiles.map(([, , limit]) => limit),
      [10, 1, 100, 1, 1, 2],
    );
    assert.deepEqual(calls.findFiles[0], [{ base: 'file:///ws', pattern: 'src/**/*.ts' }, '{**/node_modules/**,**/.git/**}', 10]);
  });

  test('the folder is searched by its own uri, however the base writes it; a plain path is a pattern too', async () => {
    const { host, calls } = fakeHost({}, { found: ['vscode-vfs://github/owner/repo/README.md'] });
    const access = createWorkspaceFileAccess(host);
    assert.deepEqual(await access.findFiles({ base: 'vscode-vfs://GitHub/owner/repo/', pattern: 'README.md', limit: 1 }), ['vscode-vfs://github/owner/repo/README.md']);
    assert.deepEqual(calls.findFiles, [[{ base: 'vscode-vfs://github/owner/repo', pattern: 'README.md' }, '{**/node_modules/**,**/.git/**}', 1]]);
  });

  test('refused, without a search: a base that is not a workspace folder, a pattern that leaves it, a malformed request', async () => {
    const { host, calls } = fakeHost({}, { found: ['file:///ws/a.ts'] });
    const access = createWorkspaceFileAccess(host);
    const refused: unknown[] = [
      { base: 'file:///ws/src', pattern: '*.ts', limit: 5 },
      { base: 'file:///', pattern: 'ws/*.ts', limit: 5 },
      { base: 'file:///other', pattern: '*.ts', limit: 5 },
      { base: 'file:///ws/..', pattern: 'ws/*.ts', limit: 5 },
      { base: 'memfs:/ws', pattern: '*.ts', limit: 5 },
      { base: 'file://host/ws', pattern: '*.ts', limit: 5 },
      { base: 'vscode-vfs://github/owner', pattern: 'repo/*.ts', limit: 5 },
      { base: 'file:///ws', pattern: '../other/*.ts', limit: 5 },
      { base: 'file:///ws', pattern: 'src/../../other/*.ts', limit: 5 },
      { base: 'file:///ws', pattern: '{src,..}/*.ts', limit: 5 },
      { base: 'file:///ws', pattern: '/etc/*', limit: 5 },
      { base: 'file:///ws', pattern: '\\\\host\\share\\*', limit: 5 },
      { base: 'file:///ws', pattern: '~/.ssh/*', limit: 5 },
      { base: 'file:///ws', pattern: 'file:///etc/*', limit: 5 },
      { base: 'file:///ws', pattern: 'C:/Windows/*', limit: 5 },
      { base: 'file:///ws', pattern: '', limit: 5 },
      { base: 'file:///ws', pattern: 'a\nb', limit: 5 },
      { base: 'file:///ws', pattern: '*.ts', limit: '5' },
      { base: 'file:///ws', pattern: '*.ts', limit: NaN },
      { base: 'file:///ws', pattern: '*.ts' },
      { base: 42, pattern: '*.ts', limit: 5 },
      { base: 'file:///ws', pattern: ['*.ts'], limit: 5 },
      null,
      undefined,
    ];
    for (const params of refused) assert.deepEqual(await access.findFiles(params), [], JSON.stringify(params));
    assert.deepEqual(calls.findFiles, []);
  });
});
