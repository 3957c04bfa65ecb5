// The milestone tree shows the server's computed plan: plan → milestones → tasks.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { BlueprintApi } from '../../../client/src/extension';
import type { PlanNode } from '../../../client/src/tree/milestoneTreeProvider';
import { workspaceFile } from './helpers';

const EXTENSION_ID = 'blueprint.blueprint-plans';

async function describeTree(api: BlueprintApi, element?: PlanNode, depth = 0): Promise<string[]> {
  const rows: string[] = [];
  for (const child of await api.milestoneTree.getChildren(element)) {
    const item = api.milestoneTree.getTreeItem(child);
    // Linked files are labelled by VS Code from their resource (the file name).
    const label = (typeof item.label === 'string' ? item.label : item.label?.label) ?? item.resourceUri?.path.split('/').pop();
    rows.push(`${'  '.repeat(depth)}${label} | ${item.description}`);
    rows.push(...(await describeTree(api, child, depth + 1)));
  }
  return rows;
}

suite('milestone tree', () => {
  test('lists the fixture\'s milestones and tasks with owners and computed dates', async () => {
    const extension = vscode.extensions.getExtension<BlueprintApi>(EXTENSION_ID);
    assert.ok(extension);
    const api = await extension.activate();
    assert.deepEqual(await describeTree(api), [
      'Search revamp | tasks.plan.yaml',
      '  Ranked search beta | dana · 03-04 → 03-29',
      '    Build the search index | eli · 03-04 → 03-15 · critical',
      '    Ranking API | 03-18 → 03-29 · critical',
      '      api.ts | src/ranking/api.ts',
    ]);
  });

  test('selecting a task reveals its id in the editor', async () => {
    const api = (await vscode.extensions.getExtension<BlueprintApi>(EXTENSION_ID)!.activate());
    const [plan] = await api.milestoneTree.getChildren();
    const [milestone] = await api.milestoneTree.getChildren(plan);
    const [, rankingApi] = await api.milestoneTree.getChildren(milestone);
    const command = api.milestoneTree.getTreeItem(rankingApi).command!;
    await vscode.commands.executeCommand(command.command, ...(command.arguments ?? []));
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor);
    assert.equal(editor.document.uri.toString(), workspaceFile('tasks.plan.yaml').toString());
    assert.equal(editor.document.getText(editor.selection), 'ranking-api');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});

suite('navigation', () => {
  test('go to definition from a dependency lands on the task id', async () => {
    const uri = workspaceFile('tasks.plan.yaml');
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
    const reference = document.getText().indexOf('[index-builder]') + 3;
    const locations = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', uri, document.positionAt(reference));
    assert.equal(locations.length, 1);
    const location = locations[0];
    const range = 'targetRange' in location ? location.targetRange : location.range;
    assert.equal(document.getText(range), 'index-builder');
    assert.equal(document.lineAt(range.start.line).text.trim(), '- id: index-builder');
  });
});

suite('completion', () => {
  test('owners at `owner:` and dependencies at `depends_on: [`', async () => {
    const uri = workspaceFile('tasks.plan.yaml');
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
    const ownerValue = document.getText().indexOf('owner: eli') + 'owner: '.length;
    const owners = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, document.positionAt(ownerValue));
    const ownerLabels = owners.items.map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
    assert.deepEqual(ownerLabels.filter((label) => ['dana', 'eli'].includes(label)).sort(), ['dana', 'eli']);

    const dependency = document.getText().indexOf('depends_on: [') + 'depends_on: ['.length;
    const dependencies = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, document.positionAt(dependency));
    const labels = dependencies.items.map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
    assert.ok(labels.includes('index-builder'), labels.join(', '));
    assert.ok(!labels.includes('ranking-api'), 'not the task itself');
    assert.ok(!labels.includes('ranked-beta'), 'not its own milestone');
  });
});

suite('plans alongside code', () => {
  test('a source file linked by a task: the covering task, followed to the plan', async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
    const source = await vscode.workspace.openTextDocument(workspaceFile('src/ranking/api.ts'));
    await vscode.window.showTextDocument(source);
    await vscode.commands.executeCommand('blueprint.openCoveringTask');
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor);
    assert.equal(editor.document.uri.toString(), workspaceFile('tasks.plan.yaml').toString());
    assert.equal(editor.document.getText(editor.selection), 'ranking-api');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('a plan: marker in a comment leads to the task', async () => {
    const uri = workspaceFile('src/ranking/api.ts');
    const source = await vscode.workspace.openTextDocument(uri);
    const marker = source.getText().indexOf('plan:ranking-api') + 7;
    const locations = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', uri, source.positionAt(marker));
    assert.equal(locations.length, 1);
    const location = locations[0];
    const target = 'targetUri' in location ? location.targetUri : location.uri;
    const range = 'targetRange' in location ? location.targetRange : location.range;
    assert.equal(target.toString(), workspaceFile('tasks.plan.yaml').toString());
    const plan = await vscode.workspace.openTextDocument(target);
    assert.equal(plan.getText(range), 'ranking-api');
  });
});
