import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { adaptCompletionItem, adaptDocumentSymbols, adaptHover, clientSupportOf, markdownToPlainText, rootFoldersOf, settingsFrom, snippetToPlainText } from '../../server/src/clientSupport';

describe('answers shaped to what the client declared', () => {
  test('nothing declared: nothing assumed', () => {
    assert.deepEqual(clientSupportOf({}), {
      configurationRequest: false,
      configurationRegistration: false,
      watchedFilesRegistration: false,
      hoverMarkdown: false,
      completionMarkdown: false,
      snippets: false,
      completionDeprecatedTag: false,
      prepareRename: false,
      codeActionLiterals: false,
      hierarchicalSymbols: false,
    });
    assert.equal(clientSupportOf(null).snippets, false);
  });

  test('what VS Code declares', () => {
    const support = clientSupportOf({
      workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true }, didChangeWatchedFiles: { dynamicRegistration: true } },
      textDocument: {
        hover: { contentFormat: ['markdown', 'plaintext'] },
        completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'], tagSupport: { valueSet: [1] } } },
        rename: { prepareSupport: true },
        codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: [] } } },
        documentSymbol: { hierarchicalDocumentSymbolSupport: true },
      },
    });
    assert.ok(Object.values(support).every((value) => value === true));
  });

  test('Markdown as plain text', () => {
    const markdown = [
      '**Task** `payment-api`: Payment API \\(v2\\)',
      '',
      '- **Owner:** Bob Diaz (`bob`), Backend',
      '- **Risks:** *none*',
      '- `` a`b ``, [the docs](https://example.com/docs) and [https://x.y](https://x.y)',
      '## Heading',
      '```yaml',
      'id: **not** bold',
      '```',
    ].join('\n');
    assert.equal(
      markdownToPlainText(markdown),
      ['Task payment-api: Payment API (v2)', '', '- Owner: Bob Diaz (bob), Backend', '- Risks: none', '- a`b, the docs (https://example.com/docs) and https://x.y', 'Heading', 'id: **not** bold'].join('\n'),
    );
  });

  test('snippets as the text they insert by default', () => {
    assert.equal(snippetToPlainText('id: ${1:new-task}'), 'id: new-task');
    assert.equal(snippetToPlainText('owner: ${3|ana,ben|}'), 'owner: ana');
    assert.equal(snippetToPlainText('owner: ${3|a\\,b,c|}'), 'owner: a,b');
    assert.equal(snippetToPlainText('depends_on: [$1]'), 'depends_on: []');
    assert.equal(snippetToPlainText('tasks:\n  - $0'), 'tasks:\n  - ');
    assert.equal(snippetToPlainText('goals: [{ $1 }]'), 'goals: [{  }]');
    assert.equal(snippetToPlainText('${1:outer ${2:inner}}'), 'outer inner');
    assert.equal(snippetToPlainText('cost: \\$5 \\} \\\\'), 'cost: $5 } \\');
    assert.equal(snippetToPlainText('${1}${TM_FILENAME}x${2:}'), 'x');
  });

  test('completion items: documentation, snippets, tags and commands', () => {
    const basic = clientSupportOf({});
    const item = {
      label: 'depends_on',
      documentation: { kind: 'markdown', value: 'Ids of **work** that must end first.' },
      textEdit: { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: 'depends_on: [$1]' },
      insertTextFormat: 2,
      tags: [1],
      command: { title: 'Suggest', command: 'editor.action.triggerSuggest' },
    };
    assert.deepEqual(adaptCompletionItem(item, basic, undefined), {
      label: 'depends_on',
      documentation: { kind: 'plaintext', value: 'Ids of work that must end first.' },
      textEdit: { range: item.textEdit.range, newText: 'depends_on: []' },
      insertTextFormat: 1,
    });
    assert.equal(item.insertTextFormat, 2, 'the original is not changed');
    const vscode = clientSupportOf({ textDocument: { completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown'], tagSupport: { valueSet: [1] } } } } });
    assert.deepEqual(adaptCompletionItem(item, vscode, 'editor.action.triggerSuggest'), item);
    assert.equal(adaptCompletionItem(item, vscode, 'my.suggest').command?.command, 'my.suggest');
  });

  test('hover and symbols', () => {
    const hover = { contents: { kind: 'markdown', value: '**Person** `bob`' }, range: undefined };
    assert.deepEqual(adaptHover(hover, clientSupportOf({})).contents, { kind: 'plaintext', value: 'Person bob' });
    assert.equal(adaptHover(null, clientSupportOf({})), null);
    const range = { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } };
    const tree = [{ name: 'Milestones', kind: 2, range, children: [{ name: 'beta', kind: 24, range, children: [{ name: 'payment-api', kind: 12, range, children: [] }] }] }];
    assert.deepEqual(adaptDocumentSymbols(tree, 'file:///p.plan.yaml', clientSupportOf({})), [
      { name: 'Milestones', kind: 2, location: { uri: 'file:///p.plan.yaml', range } },
      { name: 'beta', kind: 24, location: { uri: 'file:///p.plan.yaml', range }, containerName: 'Milestones' },
      { name: 'payment-api', kind: 12, location: { uri: 'file:///p.plan.yaml', range }, containerName: 'beta' },
    ]);
  });
});

describe('settings and roots from the client', () => {
  test('settings as they are or nested in their section; anything else is none', () => {
    assert.deepEqual(settingsFrom({ rules: { 'untraced-work': 'off' } }), { rules: { 'untraced-work': 'off' } });
    assert.deepEqual(settingsFrom({ blueprint: { rules: { a: 'off' }, codeReferences: { enabled: false } } }), { rules: { a: 'off' }, codeReferences: { enabled: false } });
    assert.deepEqual(settingsFrom({ rules: { a: 'off' }, revealInTimelineCommand: 'x' }), { rules: { a: 'off' } });
    for (const none of [null, undefined, [], 'rules', {}, { yaml: { validate: true } }]) assert.equal(settingsFrom(none), undefined, JSON.stringify(none));
  });

  test('workspaceFolders, else rootUri, else rootPath, else none', () => {
    assert.deepEqual(rootFoldersOf({ workspaceFolders: [{ uri: 'file:///a', name: 'a' }], rootUri: 'file:///b' }), ['file:///a']);
    assert.deepEqual(rootFoldersOf({ workspaceFolders: null, rootUri: 'file:///b', rootPath: '/c' }), ['file:///b']);
    assert.deepEqual(rootFoldersOf({ workspaceFolders: [], rootUri: null, rootPath: '/c d' }), ['file:///c%20d']);
    assert.deepEqual(rootFoldersOf({ rootUri: null, rootPath: null }), []);
    assert.deepEqual(rootFoldersOf({}), []);
  });
});
