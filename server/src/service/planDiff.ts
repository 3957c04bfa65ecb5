import type { PlanView, PlanViewMilestone, PlanViewTask } from '../protocol/planView';

// What changed between two versions of a plan, in computed terms: a slip that
// ripples through dependencies shows where it lands, not only where it was typed.

export interface PlanDiff {
  added: { id: string; title?: string }[];
  removed: { id: string; title?: string }[];
  /** Tasks whose computed end moved: positive days = later. */
  moved: { id: string; before: string; after: string; days: number }[];
  owners: { id: string; before?: string; after?: string }[];
  /** Milestones whose computed end is now past their due (and was not before). */
  pastDue: { id: string; due: string; before: string; after: string }[];
  criticalPath: { before: string[]; after: string[] } | undefined;
}

function tasksOf(plan: PlanView): Map<string, PlanViewTask> {
  const tasks = new Map<string, PlanViewTask>();
  const visit = (list: PlanViewTask[]) => {
    for (const task of list) {
      if (!tasks.has(task.id)) tasks.set(task.id, task);
      visit(task.tasks);
    }
  };
  for (const milestone of plan.milestones) visit(milestone.tasks);
  return tasks;
}

function calendarDays(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export function diffPlans(before: PlanView, after: PlanView): PlanDiff {
  const old = tasksOf(before);
  const now = tasksOf(after);
  const diff: PlanDiff = { added: [], removed: [], moved: [], owners: [], pastDue: [], criticalPath: undefined };
  for (const [id, task] of now) if (!old.has(id)) diff.added.push({ id, title: task.title });
  for (const [id, task] of old) if (!now.has(id)) diff.removed.push({ id, title: task.title });
  for (const [id, task] of now) {
    const previous = old.get(id);
    if (!previous) continue;
    if (previous.end !== task.end) diff.moved.push({ id, before: previous.end, after: task.end, days: calendarDays(previous.end, task.end) });
    if (previous.owner !== task.owner) diff.owners.push({ id, before: previous.owner, after: task.owner });
  }
  const oldMilestones = new Map<string, PlanViewMilestone>(before.milestones.map((milestone) => [milestone.id, milestone]));
  for (const milestone of after.milestones) {
    const previous = oldMilestones.get(milestone.id);
    if (!milestone.due || milestone.end <= milestone.due) continue;
    if (previous && previous.due && previous.end > previous.due) continue;
    diff.pastDue.push({ id: milestone.id, due: milestone.due, before: previous?.end ?? '', after: milestone.end });
  }
  if (before.criticalPath.join() !== after.criticalPath.join()) diff.criticalPath = { before: before.criticalPath, after: after.criticalPath };
  return diff;
}

export function isEmptyDiff(diff: PlanDiff): boolean {
  return !diff.added.length && !diff.removed.length && !diff.moved.length && !diff.owners.length && !diff.pastDue.length && !diff.criticalPath;
}

/** Markdown (for a pull request comment) or plain text. */
export function formatPlanDiff(diff: PlanDiff, heading: string, format: 'markdown' | 'text'): string {
  const code = (text: string) => (format === 'markdown' ? `\`${text.replace(/`/g, '')}\`` : text);
  const safe = (text: string | undefined) => (text ?? '').replace(/\r?\n/g, ' ').replace(/[<>|]/g, (character) => (format === 'markdown' ? `\\${character}` : character));
  const lines = [format === 'markdown' ? `### ${safe(heading)}` : heading, ''];
  if (isEmptyDiff(diff)) {
    lines.push('No change to tasks, computed dates, owners or the critical path.');
    return `${lines.join('\n')}\n`;
  }
  for (const task of diff.added) lines.push(`- Added ${code(task.id)}${task.title ? ` (${safe(task.title)})` : ''}`);
  for (const task of diff.removed) lines.push(`- Removed ${code(task.id)}${task.title ? ` (${safe(task.title)})` : ''}`);
  for (const move of diff.moved.filter((entry) => entry.days > 0)) lines.push(`- Slipped: ${code(move.id)} now ends ${move.after} (was ${move.before}, ${move.days} day${move.days === 1 ? '' : 's'} later)`);
  for (const move of diff.moved.filter((entry) => entry.days < 0)) lines.push(`- Moved in: ${code(move.id)} now ends ${move.after} (was ${move.before}, ${-move.days} day${move.days === -1 ? '' : 's'} earlier)`);
  for (const owner of diff.owners) lines.push(`- Owner of ${code(owner.id)}: ${owner.before ?? 'none'} → ${owner.after ?? 'none'}`);
  for (const milestone of diff.pastDue) lines.push(`- Milestone ${code(milestone.id)} now ends ${milestone.after}, after its due ${milestone.due}${milestone.before ? ` (was ${milestone.before})` : ''}`);
  if (diff.criticalPath) {
    const path = (ids: string[]) => (ids.length ? ids.map(code).join(' → ') : 'none');
    lines.push(`- Critical path: ${path(diff.criticalPath.after)} (was ${path(diff.criticalPath.before)})`);
  }
  return `${lines.join('\n')}\n`;
}
