import * as vscode from 'vscode';
import type { BaseLanguageClient } from 'vscode-languageclient';
import { CoveringTasksRequest, type CoveringTaskView } from '../../server/src/protocol/requests';
import type { PlanStore } from './planStore';
import { revealInSource } from './revealInSource';

/**
 * For a source file that tasks' `links` cover, a status bar entry names the
 * work (id, owner, status, computed end); a click opens the task in its plan.
 */
export function registerCoveringTasks(client: BaseLanguageClient, store: PlanStore): vscode.Disposable[] {
  const item = vscode.window.createStatusBarItem('blueprint.covering', vscode.StatusBarAlignment.Left, 49);
  item.name = 'Blueprint: tasks covering this file';
  let tasks: CoveringTaskView[] = [];
  let generation = 0;

  const update = async () => {
    const editor = vscode.window.activeTextEditor;
    const current = ++generation;
    // A file of the workspace, in any scheme (vscode-vfs on github.dev): links are relative to a workspace folder.
    if (!editor || !vscode.workspace.getWorkspaceFolder(editor.document.uri) || editor.document.languageId === 'plan-yaml') {
      item.hide();
      return;
    }
    let found: CoveringTaskView[] = [];
    try {
      found = await client.sendRequest(CoveringTasksRequest.type, { uri: editor.document.uri.toString() });
    } catch {
      found = [];
    }
    if (current !== generation) return;
    tasks = found;
    if (tasks.length === 0) {
      item.hide();
      return;
    }
    const first = tasks[0];
    item.text = tasks.length === 1 ? `$(checklist) ${first.id} · ${first.owner ?? 'no owner'} · ${first.status} · ends ${first.end}` : `$(checklist) ${tasks.length} tasks`;
    const tooltip = new vscode.MarkdownString();
    tooltip.appendText(tasks.map((task) => `${task.id}: ${task.title ?? ''} (${task.owner ?? 'no owner'}, ${task.status}, ends ${task.end}) via ${task.link}`).join('\n'));
    item.tooltip = tooltip;
    item.accessibilityInformation = { label: `Covered by ${tasks.map((task) => `${task.id}, ${task.status}, ends ${task.end}`).join('; ')}` };
    item.command = { command: 'blueprint.openCoveringTask', title: 'Open the task' };
    item.show();
  };

  void update();
  return [
    item,
    vscode.commands.registerCommand('blueprint.openCoveringTask', async () => {
      // Ask afresh: the status bar may not have caught up with the active editor yet.
      const editor = vscode.window.activeTextEditor;
      if (editor && editor.document.languageId !== 'plan-yaml') {
        tasks = await client.sendRequest(CoveringTasksRequest.type, { uri: editor.document.uri.toString() }).then((found) => found, () => tasks);
      }
      if (tasks.length === 0) {
        void vscode.window.showInformationMessage("No task's links cover this file.");
        return;
      }
      const pick =
        tasks.length === 1
          ? tasks[0]
          : (
              await vscode.window.showQuickPick(
                tasks.map((task) => ({ label: task.id, description: `${task.owner ?? 'no owner'} · ${task.status} · ends ${task.end}`, detail: `${task.title ?? ''} — ${task.planTitle ?? vscode.Uri.parse(task.planUri).path}`, task })),
                { placeHolder: 'Tasks whose links cover this file' },
              )
            )?.task;
      if (pick) await revealInSource(vscode.Uri.parse(pick.planUri), pick.selectionRange);
    }),
    vscode.window.onDidChangeActiveTextEditor(() => void update()),
    store.onDidChangePlan(() => void update()),
  ];
}
