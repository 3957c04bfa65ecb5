// Diagnostics reach VS Code: the language server's missing-owner warning on a
// task's id, and its disappearance once the task gets an owner.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { describeDiagnostics, ruleId, waitForDiagnostics, workspaceFile } from './helpers';

const EXTENSION_ID = 'blueprint.blueprint-plans';

suite('diagnostics', () => {
  teardown(async () => {
    // Leave the fixture on disk as it was: drop the unsaved edit.
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('missing-owner on a task without owner, gone once it has one', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `extension ${EXTENSION_ID} is not loaded`);

    const uri = workspaceFile('tasks.plan.yaml');
    const onDisk = Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
    assert.match(onDisk, /- id: ranking-api\n\s+title:/, 'the fixture on disk must start without an owner for ranking-api (a previous run saved its edit?)');
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    assert.equal(document.languageId, 'plan-yaml');
    await extension.activate();

    const isMissingOwner = (d: vscode.Diagnostic) => d.source === 'blueprint' && ruleId(d) === 'missing-owner';
    const diagnostics = await waitForDiagnostics(uri, (all) => all.some(isMissingOwner), 'a missing-owner diagnostic');
    const ours = diagnostics.filter((d) => d.source === 'blueprint');
    assert.equal(ours.length, 1, `expected only missing-owner, got:\n  ${describeDiagnostics(ours)}`);
    const [diagnostic] = ours;
    assert.equal(diagnostic.source, 'blueprint');
    assert.equal(ruleId(diagnostic), 'missing-owner');
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(document.getText(diagnostic.range), 'ranking-api');

    // Give the task an owner from `people`, on the line after its id.
    const idLine = diagnostic.range.start.line;
    const indent = document.lineAt(idLine).text.indexOf('id:');
    assert.ok(indent >= 0, `no "id:" on line ${idLine}: ${document.lineAt(idLine).text}`);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, new vscode.Position(idLine + 1, 0), `${' '.repeat(indent)}owner: eli\n`);
    assert.ok(await vscode.workspace.applyEdit(edit), 'the edit was not applied');

    const after = await waitForDiagnostics(uri, (all) => !all.some(isMissingOwner), 'missing-owner to disappear');
    assert.deepEqual(after.filter((d) => d.source === 'blueprint'), [],
      `expected no diagnostics once the task has an owner, got:\n  ${describeDiagnostics(after)}`);
  });
});
