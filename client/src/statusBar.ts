import * as vscode from 'vscode';
import type { PlanView, PlanViewTask } from '../../server/src/protocol/planView';
import type { PlanStore } from './planStore';
import { isOverdue } from './tree/milestoneTreeProvider';

/** The active plan at a glance: errors, overdue work and open high risks; a click opens Problems. */
export function registerPlanStatusBar(store: PlanStore): vscode.Disposable[] {
  const item = vscode.window.createStatusBarItem('blueprint.status', vscode.StatusBarAlignment.Left, 50);
  item.name = 'Blueprint plan status';
  item.command = { command: 'workbench.actions.view.problems', title: 'Show problems' };
  let generation = 0;

  const update = async () => {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.languageId !== 'plan-yaml') {
      item.hide();
      return;
    }
    const current = ++generation;
    const uri = editor.document.uri;
    const plan = await store.get(uri.toString());
    if (current !== generation) return;
    if (!plan) {
      item.hide();
      return;
    }
    const errors = vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.severity === vscode.DiagnosticSeverity.Error).length;
    const overdue = countOverdue(plan);
    const highRisks = plan.risks.filter((risk) => risk.impact === 'high' && (risk.status === 'open' || risk.status === 'occurred')).length;
    item.text = `$(checklist) ${errors > 0 ? `$(error) ${errors}  ` : ''}${overdue > 0 ? `$(clock) ${overdue} overdue  ` : ''}${highRisks > 0 ? `$(warning) ${highRisks} high risk${highRisks === 1 ? '' : 's'}` : ''}`.trim();
    if (errors === 0 && overdue === 0 && highRisks === 0) item.text = '$(checklist) plan healthy';
    item.tooltip = `${plan.title ?? 'Plan'} (as of ${plan.asOf}): ${errors} error${errors === 1 ? '' : 's'}, ${overdue} overdue item${overdue === 1 ? '' : 's'}, ${highRisks} open high-impact risk${highRisks === 1 ? '' : 's'}. Click to show problems.`;
    item.accessibilityInformation = { label: item.tooltip };
    item.show();
  };

  const disposables: vscode.Disposable[] = [
    item,
    vscode.window.onDidChangeActiveTextEditor(() => void update()),
    store.onDidChangePlan((uri) => {
      if (uri === undefined || uri === vscode.window.activeTextEditor?.document.uri.toString()) void update();
    }),
    vscode.languages.onDidChangeDiagnostics((event) => {
      const active = vscode.window.activeTextEditor?.document.uri.toString();
      if (event.uris.some((uri) => uri.toString() === active)) void update();
    }),
  ];
  void update();
  return disposables;
}

function countOverdue(plan: PlanView): number {
  let count = 0;
  const visit = (tasks: PlanViewTask[]) => {
    for (const task of tasks) {
      if (task.tasks.length === 0 && isOverdue(plan, task)) count++;
      visit(task.tasks);
    }
  };
  for (const milestone of plan.milestones) {
    if (isOverdue(plan, milestone)) count++;
    visit(milestone.tasks);
  }
  return count;
}
