import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { createPlanService } from '../../server/src/service';
import { braceAlternatives, getLinkCandidates, isWorkspaceRelative } from '../../server/src/service/documentLinks';
import { fixedToday, planDocument, textAt } from '../helpers/fixtures';
import { LspSession, serverBundle } from '../helpers/lspSession';

// A task's `links:` never become a link that runs a command or opens a file
// outside the workspace folder: the service keeps only web addresses and
// workspace-relative paths and globs (server/src/service/documentLinks.ts),
// and the server opens only files really inside the folder (server.ts:
// symbolic links out of it are not followed).

/** Each link written as a YAML single-quoted scalar (no escapes to get wrong). */
function planWithLinks(links: string[]): string {
  return `plan: Links
start: 2026-01-05
milestones:
  - id: m
    title: M
    due: 2026-03-02
    tasks:
      - id: t
        title: T
        duration: 1w
        links:
${links.map((link) => `          - '${link.replace(/'/g, "''")}'`).join('\n')}
`;
}

/** [link, why it is refused] */
const REFUSED: [string, string][] = [
  ['command:workbench.action.quit', 'command: runs a command'],
  ['command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22rm%22%7D', 'command: with arguments'],
  ['COMMAND:workbench.action.quit', 'scheme in capitals'],
  ['vscode://settings/security.workspace.trust', 'vscode: opens the editor\'s own handlers'],
  ['vscode-insiders://x', 'another editor scheme'],
  ['javascript:alert(1)', 'javascript:'],
  ['data:text/html,<script>alert(1)</script>', 'data:'],
  ['file:///etc/passwd', 'file: uri'],
  ['file://host/share/x', 'file: uri to a host'],
  ['ftp://example.com/x', 'another web-ish scheme'],
  ['mailto:a@example.com', 'mailto:'],
  ['untitled:x', 'untitled:'],
  ['vscode-remote://ssh-remote+box/etc/passwd', 'remote files'],
  ['../../outside', 'parent folders'],
  ['../secret.txt', 'the parent folder'],
  ['docs/../../outside', '.. in the middle'],
  ['docs/..', '.. at the end'],
  ['..', '.. alone'],
  ['docs\\..\\..\\outside', '.. with backslashes'],
  ['docs/.. /x', '.. with a trailing space (Windows drops it)'],
  ['docs/.../x', '... (Windows reads it as ..)'],
  ['/etc/passwd', 'an absolute path'],
  ['//etc/passwd', 'a doubled slash'],
  ['\\etc\\passwd', 'an absolute Windows path without a drive'],
  ['\\\\host\\share\\secret.txt', 'a UNC path'],
  ['//host/share/secret.txt', 'a UNC path with slashes'],
  ['\\\\?\\C:\\Windows\\win.ini', 'a Win32 device path'],
  ['C:\\Windows\\win.ini', 'a drive'],
  ['c:/Windows/win.ini', 'a drive with slashes'],
  ['C:secret.txt', 'a drive-relative path'],
  ['~/.ssh/id_rsa', 'home'],
  ['~root/.ssh', 'another user\'s home'],
  ['{..,src}/secret.txt', '.. in a brace alternative'],
  ['src/{a,../../b}/x', '.. in a later alternative'],
  ['{src,{docs,..}}/x', '.. in a nested alternative'],
  ['{/etc/passwd,src/a.ts}', 'an absolute alternative'],
  ['{~/.ssh/id_rsa,x}', 'home in an alternative'],
  ['{C:/x,y}', 'a drive in an alternative'],
  ['{command:x,y}', 'a scheme in an alternative'],
  ['{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}', 'more alternatives than a link needs'],
  ['src/a\u0000.ts', 'a NUL'],
  ['src/\na.ts', 'a newline'],
  ['x'.repeat(1025), 'over 1,024 characters'],
];

const KEPT = ['src/a.ts', 'src/payments/**', 'docs/adr/007-psp.md', './docs/readme.md', 'src/**/*.{ts,tsx}', 'docs/adr/00{1..9}.md', 'notes..md', 'src/@(a|b).ts', 'src/..hidden/x'];

describe('document links: what the service makes a link of', () => {
  test('nothing refused becomes a link', () => {
    for (const [link, why] of REFUSED) {
      if (link.includes('\n') || link.includes('\u0000')) continue; // not writable in a YAML scalar as is; checked below
      const text = planWithLinks([link]);
      const candidates = getLinkCandidates(createPlanService({ today: fixedToday('2026-02-10') }).analyze(planDocument(text)));
      assert.deepEqual(candidates, [], `${why}: ${link}`);
    }
  });

  test('every refused text is refused by isWorkspaceRelative', () => {
    for (const [link, why] of REFUSED) {
      assert.equal(isWorkspaceRelative(link), false, `${why}: ${JSON.stringify(link)}`);
    }
  });

  test('workspace paths and globs, and web addresses, are kept as written', () => {
    const text = planWithLinks([...KEPT, 'https://example.com/adr?x=1', 'http://example.com']);
    const candidates = getLinkCandidates(createPlanService({ today: fixedToday('2026-02-10') }).analyze(planDocument(text)));
    assert.deepEqual(
      candidates.map((candidate) => [textAt(text, candidate.range).replace(/^'|'$/g, ''), candidate.pattern ?? candidate.url]),
      [...KEPT.map((link) => [link, link]), ['https://example.com/adr?x=1', 'https://example.com/adr?x=1'], ['http://example.com', 'http://example.com']],
    );
    for (const link of KEPT) assert.ok(isWorkspaceRelative(link), link);
  });

  test('web addresses are http and https only, without spaces', () => {
    const text = planWithLinks(['https://example.com/a b', 'https:/example.com', 'https://']);
    const candidates = getLinkCandidates(createPlanService({ today: fixedToday('2026-02-10') }).analyze(planDocument(text)));
    assert.deepEqual(candidates.map((candidate) => candidate.url ?? candidate.pattern), []);
  });

  test('brace alternatives as glob expansion spells them', () => {
    assert.deepEqual(braceAlternatives('src/**/*.{ts,tsx}'), ['src/**/*.ts', 'src/**/*.tsx']);
    assert.deepEqual(braceAlternatives('{a,{b,c}}/x'), ['a/x', 'b/x', 'c/x']);
    assert.deepEqual(braceAlternatives('.{.,}/etc'), ['../etc', './etc']);
    assert.deepEqual(braceAlternatives('00{1..9}.md'), ['00{1..9}.md']);
    assert.deepEqual(braceAlternatives('a{b'), ['a{b']);
    assert.equal(braceAlternatives('{a,b}'.repeat(9)), undefined);
    assert.equal(isWorkspaceRelative('.{.,}/etc/passwd'), false);
    assert.equal(isWorkspaceRelative('{.,x}./etc'), false);
  });
});

describe('document links through the server: only files really inside the workspace folder', { skip: !fs.existsSync(serverBundle) && 'build dist/server.js first (node esbuild.mjs)' }, () => {
  let session: LspSession;
  let base: string;
  let folder: string;
  let uri: string;
  let text: string;
  const linked = [
    'src/a.ts',
    'docs/readme.md',
    'src/*.ts',
    'command:workbench.action.quit',
    'vscode://settings',
    'javascript:alert(1)',
    'file:///etc/passwd',
    '../outside/secret.txt',
    '/etc/passwd',
    '\\\\host\\share\\secret.txt',
    '{..,src}/secret.txt',
    'out-dir/secret.txt',
    'out-file.md',
    'out-dir/*.txt',
    '*.md',
    'https://example.com/adr',
  ];

  before(async () => {
    base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'blueprint-links-')));
    folder = path.join(base, 'workspace');
    const outside = path.join(base, 'outside');
    fs.mkdirSync(path.join(folder, 'src'), { recursive: true });
    fs.mkdirSync(path.join(folder, 'docs'));
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(folder, 'src', 'a.ts'), '');
    fs.writeFileSync(path.join(folder, 'docs', 'readme.md'), '');
    fs.writeFileSync(path.join(outside, 'secret.txt'), 'secret');
    fs.writeFileSync(path.join(base, 'secret.txt'), 'secret');
    // Symbolic links in the workspace that lead out of it.
    fs.symlinkSync(outside, path.join(folder, 'out-dir'), 'dir');
    fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(folder, 'out-file.md'), 'file');
    text = planWithLinks(linked);
    fs.writeFileSync(path.join(folder, 'links.plan.yaml'), text);
    uri = pathToFileURL(path.join(folder, 'links.plan.yaml')).href;
    session = new LspSession();
    await session.initialize({ rootUri: pathToFileURL(folder).href, workspaceFolders: [{ uri: pathToFileURL(folder).href, name: 'links' }] });
    await session.open(uri, text);
    await session.waitForDiagnostics(uri);
  });
  after(async () => {
    await session?.dispose();
    if (base) fs.rmSync(base, { recursive: true, force: true });
  });

  test('links: files inside, globs to resolve, the web address; nothing else', async () => {
    const links = (await session.connection.sendRequest('textDocument/documentLink', { textDocument: { uri } })) as { range: never; target?: string; data?: unknown }[];
    const shown = links.map((link) => [textAt(text, link.range).replace(/^'|'$/g, ''), link.target]);
    assert.deepEqual(shown, [
      ['src/a.ts', pathToFileURL(path.join(folder, 'src', 'a.ts')).href],
      ['docs/readme.md', pathToFileURL(path.join(folder, 'docs', 'readme.md')).href],
      ['src/*.ts', undefined],
      // out-dir/secret.txt and out-file.md are files only through a symbolic link out of the workspace: no link.
      ['out-dir/*.txt', undefined],
      ['*.md', undefined],
      ['https://example.com/adr', 'https://example.com/adr'],
    ]);
    for (const link of links) if (link.target) assert.match(link.target, /^(https:\/\/example\.com\/adr|file:\/\/)/);

    const resolved: Record<string, string | undefined> = {};
    for (const link of links.filter((candidate) => candidate.target === undefined)) {
      const answer = (await session.connection.sendRequest('documentLink/resolve', link)) as { target?: string };
      resolved[textAt(text, link.range).replace(/^'|'$/g, '')] = answer.target;
    }
    assert.deepEqual(resolved, {
      'src/*.ts': pathToFileURL(path.join(folder, 'src', 'a.ts')).href,
      // Matches only through the symbolic links: resolved to nothing.
      'out-dir/*.txt': undefined,
      '*.md': undefined,
    });
  });

  test('a resolve request naming a pattern out of the workspace is not followed', async () => {
    for (const pattern of ['../outside/*.txt', '{..,src}/*.txt', '/etc/*', '../**/secret.txt']) {
      const answer = (await session.connection.sendRequest('documentLink/resolve', { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, data: { root: folder, pattern } })) as { target?: string };
      assert.equal(answer.target, undefined, pattern);
    }
  });

  test('a resolve request naming another root is not followed, even for a pattern that matches there', async () => {
    // `base` holds secret.txt and is not the workspace folder; the server never handed it out.
    for (const root of [base, path.join(folder, 'out-dir'), '/etc']) {
      const answer = (await session.connection.sendRequest('documentLink/resolve', { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, data: { root, pattern: '*' } })) as { target?: string };
      assert.equal(answer.target, undefined, root);
    }
  });
});
