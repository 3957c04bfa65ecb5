import * as vscode from 'vscode';
import type { PlanViewStatus } from '../../../server/src/protocol/planView';
import type { MilestoneTreeProvider, MilestoneNode, PlanNode, TaskNode } from './milestoneTreeProvider';

const STATUSES: PlanViewStatus[] = ['planned', 'in-progress', 'blocked', 'done', 'dropped'];

/** Registers the tree view, its filters, context-menu commands and cursor following. */
export function registerMilestoneTree(provider: MilestoneTreeProvider): vscode.Disposable[] {
  const view = vscode.window.createTreeView('blueprint.milestones', { treeDataProvider: provider, showCollapseAll: true });
  const describeFilter = () => {
    const { owner, statuses, hideDone } = provider.getFilter();
    const parts = [owner ? `owner: ${owner}` : undefined, statuses ? `status: ${[...statuses].join(', ')}` : undefined, hideDone ? 'done hidden' : undefined].filter(Boolean);
    view.description = parts.join(' · ') || undefined;
    void vscode.commands.executeCommand('setContext', 'blueprint.treeFiltered', parts.length > 0);
    void vscode.commands.executeCommand('setContext', 'blueprint.hideDone', hideDone);
  };

  const locationsOf = async (node: MilestoneNode | TaskNode, ids: string[]): Promise<vscode.Location[]> => {
    const locations: vscode.Location[] = [];
    for (const id of ids) {
      const target = await provider.findNodeById(node.uri, id);
      if (!target) continue;
      const range = target.kind === 'milestone' ? target.milestone.selectionRange : target.task.selectionRange;
      locations.push(new vscode.Location(node.uri, new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character)));
    }
    return locations;
  };

  const peek = async (node: MilestoneNode | TaskNode, locations: vscode.Location[], empty: string) => {
    const range = node.kind === 'milestone' ? node.milestone.selectionRange : node.task.selectionRange;
    await vscode.commands.executeCommand('editor.action.peekLocations', node.uri, new vscode.Position(range.start.line, range.start.character), locations, 'peek', empty);
  };

  const disposables: vscode.Disposable[] = [
    view,
    vscode.commands.registerCommand('blueprint.filterByOwner', async () => {
      const everyone = '$(clear-all) Everyone';
      const picked = await vscode.window.showQuickPick([everyone, ...(await provider.owners())], { placeHolder: 'Show the work of…' });
      if (picked === undefined) return;
      provider.setFilter({ ...provider.getFilter(), owner: picked === everyone ? undefined : picked });
      describeFilter();
    }),
    vscode.commands.registerCommand('blueprint.filterByStatus', async () => {
      const current = provider.getFilter().statuses;
      const picked = await vscode.window.showQuickPick(
        STATUSES.map((status) => ({ label: status, picked: current ? current.has(status) : true })),
        { canPickMany: true, placeHolder: 'Show tasks with these statuses' },
      );
      if (!picked) return;
      const statuses = picked.length === 0 || picked.length === STATUSES.length ? undefined : new Set(picked.map((item) => item.label as PlanViewStatus));
      provider.setFilter({ ...provider.getFilter(), statuses });
      describeFilter();
    }),
    vscode.commands.registerCommand('blueprint.hideDone', () => {
      provider.setFilter({ ...provider.getFilter(), hideDone: true });
      describeFilter();
    }),
    vscode.commands.registerCommand('blueprint.showDone', () => {
      provider.setFilter({ ...provider.getFilter(), hideDone: false });
      describeFilter();
    }),
    vscode.commands.registerCommand('blueprint.clearFilters', () => {
      provider.setFilter({ hideDone: false });
      describeFilter();
    }),
    vscode.commands.registerCommand('blueprint.refreshTree', () => provider.refresh()),
    vscode.commands.registerCommand('blueprint.goToDependencies', async (node: PlanNode) => {
      if (!node || node.kind === 'plan' || node.kind === 'file') return;
      const ids = (node.kind === 'milestone' ? node.milestone.dependsOn : node.task.dependsOn).filter((id) => !id.includes('#'));
      await peek(node, await locationsOf(node, ids), 'No dependencies');
    }),
    vscode.commands.registerCommand('blueprint.showDependents', async (node: PlanNode) => {
      if (!node || node.kind === 'plan' || node.kind === 'file') return;
      const id = node.kind === 'milestone' ? node.milestone.id : node.task.id;
      const dependents: string[] = [];
      const visit = (tasks: typeof node.plan.milestones[number]['tasks']) => {
        for (const task of tasks) {
          if (task.dependsOn.includes(id)) dependents.push(task.id);
          visit(task.tasks);
        }
      };
      for (const milestone of node.plan.milestones) {
        if (milestone.dependsOn.includes(id)) dependents.push(milestone.id);
        visit(milestone.tasks);
      }
      await peek(node, await locationsOf(node, dependents), 'Nothing depends on it');
    }),
    // The tree follows the cursor in a plan editor, while the tree is visible.
    vscode.window.onDidChangeTextEditorSelection(async (event) => {
      if (!view.visible || event.textEditor.document.languageId !== 'plan-yaml') return;
      const node = await provider.findNodeAt(event.textEditor.document.uri, event.selections[0].active);
      if (node && view.selection[0] !== node) await view.reveal(node, { select: true, focus: false, expand: true });
    }),
  ];
  describeFilter();
  return disposables;
}
