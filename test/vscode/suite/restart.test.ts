// The language server crashes (killed with SIGKILL, with a plan request in
// flight): the client starts a new server, the open plan's diagnostics come
// back, edits reach the new server, and the views' shared plan data (the
// store behind the tree, the status bar and the timeline) is fetched afresh
// instead of keeping the failed request's answer.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { BlueprintApi } from '../../../client/src/extension';
import { describeDiagnostics, ruleId, waitForDiagnostics, workspaceFile } from './helpers';

const EXTENSION_ID = 'blueprint.blueprint-plans';

/** Asks `probe` every 100 ms until it gives a value (errors count as "not yet"); rejects after `timeoutMs`. */
async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `; last error: ${String(lastError)}` : ''}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

suite('server crash', () => {
  teardown(async () => {
    // Leave the fixture on disk as it was: drop the unsaved edit, and let the views see the plan on disk again.
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    const api = await vscode.extensions.getExtension<BlueprintApi>(EXTENSION_ID)!.activate();
    await eventually(async () => {
      const plan = await api.plans.get(workspaceFile('tasks.plan.yaml').toString());
      return plan && plan.milestones[0]?.tasks.find((task) => task.id === 'ranking-api')?.owner === undefined ? true : undefined;
    }, 'the plan without the edit');
  });

  test('a killed server is restarted: diagnostics come back, edits are checked, the tree gets its plan again', async () => {
    const api = await vscode.extensions.getExtension<BlueprintApi>(EXTENSION_ID)!.activate();
    const uri = workspaceFile('tasks.plan.yaml');
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const isMissingOwner = (d: vscode.Diagnostic) => d.source === 'blueprint' && ruleId(d) === 'missing-owner';
    await waitForDiagnostics(uri, (all) => all.some(isMissingOwner), 'missing-owner before the crash');

    const crashed = await api.serverProcessId();
    assert.ok(Number.isInteger(crashed) && crashed !== process.pid, `the server's pid: ${crashed}`);

    // Stop the server, ask it for the plan (the request cannot be answered), then kill it.
    process.kill(crashed, 'SIGSTOP');
    api.plans.invalidate(uri.toString());
    const cutOff = api.plans.get(uri.toString());
    // Let the request leave this process before the server dies (it then fails with the connection, whenever written).
    await new Promise((resolve) => setTimeout(resolve, 200));
    process.kill(crashed, 'SIGKILL');
    assert.equal(await cutOff, null, 'the request the crash cut off has no plan');

    const restarted = await eventually(async () => {
      const pid = await api.serverProcessId();
      return pid !== crashed ? pid : undefined;
    }, 'a new server process');
    assert.ok(isAlive(restarted), 'the new server runs');
    assert.ok(!isAlive(crashed), 'the old server is gone');

    // The client dropped the old server's diagnostics when the connection closed: these come from the new one.
    const diagnostics = await waitForDiagnostics(uri, (all) => all.some(isMissingOwner), 'missing-owner from the new server');
    assert.equal(diagnostics.filter((d) => d.source === 'blueprint').length, 1, describeDiagnostics(diagnostics));

    // The plan store asks again (the failed request's null was not kept), and the tree shows the plan.
    const plan = await api.plans.get(uri.toString());
    assert.ok(plan, 'the plan is fetched from the new server');
    assert.deepEqual(plan.milestones.map((milestone) => milestone.id), ['ranked-beta']);
    const [planNode] = await api.milestoneTree.getChildren();
    const [milestone] = await api.milestoneTree.getChildren(planNode);
    const tasks = await api.milestoneTree.getChildren(milestone);
    assert.deepEqual(tasks.map((node) => (node.kind === 'task' ? node.task.id : node.kind)), ['index-builder', 'ranking-api']);

    // Edits reach the new server: ranking-api gets an owner, the warning goes, the views hear of the change.
    const line = document.getText().split('\n').findIndex((text) => text.includes('- id: ranking-api'));
    const indent = document.lineAt(line).text.indexOf('id:');
    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, new vscode.Position(line + 1, 0), `${' '.repeat(indent)}owner: eli\n`);
    assert.ok(await vscode.workspace.applyEdit(edit), 'the edit was not applied');
    await waitForDiagnostics(uri, (all) => !all.some(isMissingOwner), 'missing-owner to disappear after the edit');
    await eventually(async () => {
      const [planRow] = await api.milestoneTree.getChildren();
      const [milestoneRow] = await api.milestoneTree.getChildren(planRow);
      const rows = await api.milestoneTree.getChildren(milestoneRow);
      const rankingApi = rows.find((node) => node.kind === 'task' && node.task.id === 'ranking-api');
      return rankingApi?.kind === 'task' && rankingApi.task.owner === 'eli' ? true : undefined;
    }, 'the tree to show ranking-api owned by eli');
  });
});
