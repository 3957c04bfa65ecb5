import * as vscode from 'vscode';
import type { BaseLanguageClient } from 'vscode-languageclient';
import type { PlanView, PlanViewMilestone, PlanViewTask } from '../../server/src/protocol/planView';
import { BaselineEditRequest, RecordChangeEditRequest } from '../../server/src/protocol/requests';
import { planTemplate } from './planTemplate';

// Commands that change a plan on the user's request: each computes its edit on
// the server and applies it as one undoable WorkspaceEdit.

function localIsoDate(date = new Date()): string {
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}

/**
 * Applies an edit the user asked for; when VS Code refuses it (a read-only
 * file system, such as a repository opened read-only on the web, or a file
 * changed meanwhile) says so, rather than failing silently.
 */
export async function applyPlanEdit(edit: vscode.WorkspaceEdit, what: string): Promise<boolean> {
  let applied = false;
  let reason = '';
  try {
    applied = await vscode.workspace.applyEdit(edit);
  } catch (error) {
    reason = ` (${error instanceof Error ? error.message : String(error)})`;
  }
  if (!applied) {
    const readOnly = edit.entries().some(([uri]) => vscode.workspace.fs.isWritableFileSystem(uri.scheme) === false);
    void vscode.window.showWarningMessage(`${what} was not applied${reason}: ${readOnly ? 'the plan is on a read-only file system.' : 'is the plan read-only, or did it change meanwhile?'}`);
  }
  return applied;
}

function activePlanEditor(): vscode.TextEditor | undefined {
  const editor = vscode.window.activeTextEditor;
  if (editor?.document.languageId === 'plan-yaml') return editor;
  void vscode.window.showInformationMessage('Open a *.plan.yaml file first.');
  return undefined;
}

export function registerPlanCommands(client: BaseLanguageClient, planOf: (uri: string) => Promise<PlanView | null>): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('blueprint.newPlan', async () => {
      const folder = vscode.workspace.workspaceFolders?.[0];
      const name = await vscode.window.showInputBox({
        prompt: 'Name of the new plan file',
        value: 'new.plan.yaml',
        validateInput: (value) => (/^[\w.-]+\.plan\.ya?ml$/.test(value) ? undefined : 'A plan file is named like rollout.plan.yaml'),
      });
      if (!name) return;
      const owner = (await vscode.window.showInputBox({ prompt: 'Who is accountable for this plan? (a short id, e.g. alice)', value: 'owner', validateInput: (value) => (/^[A-Za-z0-9_.-]+$/.test(value) ? undefined : 'Letters, digits, - _ . only') })) ?? undefined;
      if (!owner) return;
      const text = planTemplate(name.replace(/\.plan\.ya?ml$/, '').replace(/[-_.]/g, ' '), owner, new Date());
      if (!folder) {
        const document = await vscode.workspace.openTextDocument({ language: 'plan-yaml', content: text });
        await vscode.window.showTextDocument(document);
        return;
      }
      const target = vscode.Uri.joinPath(folder.uri, name);
      if (vscode.workspace.fs.isWritableFileSystem(target.scheme) === false) {
        // A read-only workspace (e.g. a repository opened read-only on the web): the plan opens unsaved.
        const document = await vscode.workspace.openTextDocument({ language: 'plan-yaml', content: text });
        await vscode.window.showTextDocument(document);
        void vscode.window.showInformationMessage(`${folder.name} is read-only: the new plan is open unsaved; save it where you can write.`);
        return;
      }
      const edit = new vscode.WorkspaceEdit();
      edit.createFile(target, { ignoreIfExists: false, contents: new TextEncoder().encode(text) });
      if (!(await vscode.workspace.applyEdit(edit))) {
        void vscode.window.showWarningMessage(`Could not create ${name}; does it exist already?`);
        return;
      }
      await vscode.window.showTextDocument(target);
    }),

    vscode.commands.registerCommand('blueprint.setBaseline', async () => {
      const editor = activePlanEditor();
      if (!editor) return;
      const result = await client.sendRequest(BaselineEditRequest.type, { uri: editor.document.uri.toString() });
      if (!result || result.tasks === 0) {
        void vscode.window.showInformationMessage('Every baseline already matches the computed dates.');
        return;
      }
      const confirm = await vscode.window.showWarningMessage(
        `Write the computed dates of ${result.tasks} task${result.tasks === 1 ? '' : 's'} into their baselines? Variance is then measured from today's schedule.`,
        { modal: true },
        'Set Baseline',
      );
      if (confirm !== 'Set Baseline') return;
      await applyPlanEdit(await client.protocol2CodeConverter.asWorkspaceEdit(result.edit), 'The baseline');
    }),

    vscode.commands.registerCommand('blueprint.recordChange', async () => {
      const editor = activePlanEditor();
      if (!editor) return;
      const plan = await planOf(editor.document.uri.toString());
      const affects = plan ? idsInSelection(plan, editor.selections) : [];
      const summary = await vscode.window.showInputBox({
        prompt: affects.length > 0 ? `What changed, and why? (affects ${affects.join(', ')})` : 'What changed, and why?',
        validateInput: (value) => (value.trim() === '' ? 'Say what changed' : undefined),
      });
      if (!summary) return;
      const edit = await client.sendRequest(RecordChangeEditRequest.type, { uri: editor.document.uri.toString(), date: localIsoDate(), summary, affects });
      if (edit) await applyPlanEdit(await client.protocol2CodeConverter.asWorkspaceEdit(edit), 'The change record');
    }),
  ];
}

/** Tasks and milestones whose id lies inside the selections (or the innermost one at the cursor). */
function idsInSelection(plan: PlanView, selections: readonly vscode.Selection[]): string[] {
  const items: (PlanViewMilestone | PlanViewTask)[] = [];
  const visit = (tasks: PlanViewTask[]) => {
    for (const task of tasks) {
      items.push(task);
      visit(task.tasks);
    }
  };
  for (const milestone of plan.milestones) {
    items.push(milestone);
    visit(milestone.tasks);
  }
  const toRange = (item: PlanViewMilestone | PlanViewTask, which: 'range' | 'selectionRange') =>
    new vscode.Range(item[which].start.line, item[which].start.character, item[which].end.line, item[which].end.character);
  const ids = new Set<string>();
  for (const selection of selections) {
    if (selection.isEmpty) {
      const containing = items.filter((item) => toRange(item, 'range').contains(selection.active));
      const innermost = containing.sort((a, b) => b.range.start.line - a.range.start.line)[0];
      if (innermost) ids.add(innermost.id);
    } else {
      for (const item of items) if (selection.intersection(toRange(item, 'selectionRange'))) ids.add(item.id);
    }
  }
  return [...ids];
}
