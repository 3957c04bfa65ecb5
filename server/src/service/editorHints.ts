import { formatDay } from './calendar';
import type { PlanAnalysis } from './analysis';
import type { Milestone, Task, WorkItem } from './model';
import { isSpanning, type Schedule } from './scheduler';
import { nameOf } from './rules/context';
import type { Position, Range } from './types';

// Inlay hints and code lenses: the computed schedule shown where the file
// does not say it, so nobody has to count working days by hand.

/** LSP-shaped InlayHint (kind 1 = Type, 2 = Parameter). */
export interface PlanInlayHint {
  position: Position;
  label: string;
  kind?: 1 | 2;
  paddingLeft?: boolean;
  tooltip?: string;
}

/** LSP-shaped CodeLens; a lens with an empty command id is informational (not clickable). */
export interface PlanCodeLens {
  range: Range;
  command: { title: string; command: string; arguments?: unknown[] };
}

/**
 * After a task's `duration` (or its id, when it spans subtasks): its computed
 * dates, unless the file states both. After a milestone's `due`: its computed end.
 */
export function getInlayHints(analysis: PlanAnalysis, range?: Range): PlanInlayHint[] {
  const { model, schedule, lines } = analysis;
  const hints: PlanInlayHint[] = [];
  const from = range ? lines.offsetAt(range.start) : 0;
  const to = range ? lines.offsetAt(range.end) : Number.POSITIVE_INFINITY;
  const push = (offset: number, label: string, tooltip: string) => {
    if (offset >= from && offset <= to) hints.push({ position: lines.positionAt(offset), label, kind: 1, paddingLeft: true, tooltip });
  };

  for (const task of model.tasks) {
    const scheduled = schedule.items.get(task);
    if (!scheduled || !scheduled.datesKnown) continue;
    const start = formatDay(scheduled.start);
    const end = formatDay(scheduled.end);
    if (isSpanning(task)) {
      if (task.id) push(task.id.span[1], `${start} → ${end}`, 'Computed from its subtasks');
      continue;
    }
    if (task.duration && task.duration.workingDays !== undefined) {
      const label = task.start ? `→ ${end}` : `${start} → ${end}`;
      push(task.duration.span[1], label, task.start ? 'Computed end (inclusive)' : 'Computed start and end: the first working day after its dependencies');
    } else if (task.end && !task.start) {
      push(task.end.span[1], `from ${start}`, 'Computed start: the first working day after its dependencies');
    }
  }
  for (const milestone of model.milestones) {
    const scheduled = schedule.items.get(milestone);
    if (!scheduled || !milestone.due || milestone.tasks.length === 0) continue;
    push(milestone.due.span[1], `ends ${formatDay(scheduled.end)}`, 'Computed end: the latest end of its tasks');
  }
  return hints.sort((a, b) => a.position.line - b.position.line || a.position.character - b.position.character);
}

/**
 * Above each task and milestone: how many depend on it, and its place on the
 * critical path; with `revealCommand` (a client that has a timeline), a second
 * lens that shows the item there.
 */
export function getCodeLenses(analysis: PlanAnalysis, revealCommand?: string, codeFilesOf?: (task: Task) => number): PlanCodeLens[] {
  const { model, schedule, lines } = analysis;
  const dependents = dependentCounts(schedule);
  const lenses: PlanCodeLens[] = [];
  const items: WorkItem[] = [...model.milestones, ...model.tasks].filter((item) => item.id);
  for (const item of items) {
    const scheduled = schedule.items.get(item);
    if (!scheduled) continue;
    const count = dependents.get(item) ?? 0;
    const parts = [count === 1 ? '1 dependent' : `${count} dependents`];
    if (item.kind === 'task') {
      parts.push(scheduled.critical ? 'critical path' : `slack ${scheduled.slack} working day${scheduled.slack === 1 ? '' : 's'}`);
      // How much code links or refers to it, when the host can tell.
      const files = codeFilesOf?.(item) ?? 0;
      if (files > 0) parts.push(`${files} code file${files === 1 ? '' : 's'}`);
    } else if (item.due?.day !== undefined) {
      const buffer = schedule.calendar.workingDaysBetween(scheduled.end, item.due.day);
      parts.push(buffer >= 0 ? `${buffer} working day${buffer === 1 ? '' : 's'} before due` : `${-buffer} working day${buffer === -1 ? '' : 's'} late`);
    }
    const line = lines.positionAt(item.anchor[0]).line;
    const range = { start: { line, character: 0 }, end: { line, character: 0 } };
    lenses.push({ range, command: { title: parts.join(' · '), command: '', arguments: [nameOf(item)] } });
    if (revealCommand && item.id) lenses.push({ range, command: { title: 'Show in timeline', command: revealCommand, arguments: [analysis.document.uri, item.id.text] } });
  }
  return lenses.sort((a, b) => a.range.start.line - b.range.start.line);
}

/**
 * How many tasks wait for each item: those that list it, everything below
 * them (subtasks inherit their parents' dependencies), and every task of a
 * milestone that lists it. Subtrees are nested or apart, so the count is the
 * size of each listing subtree not inside another one that lists it too; no
 * set of tasks per item (a parent listing thousands of items over thousands
 * of subtasks would make millions).
 */
function dependentCounts(schedule: Schedule): Map<WorkItem, number> {
  const holders = new Map<WorkItem, Set<Task | Milestone>>();
  const note = (holder: Task | Milestone, targets: readonly WorkItem[]) => {
    for (const target of targets) {
      const set = holders.get(target) ?? new Set<Task | Milestone>();
      set.add(holder);
      holders.set(target, set);
    }
  };
  for (const [task, targets] of schedule.ownDependencies) note(task, targets);
  for (const [milestone, targets] of schedule.milestoneDependencies) note(milestone, targets);
  // Each task's subtree size, from the leaves up: allTasks lists a parent before its subtasks.
  const subtreeSizes = new Map<Task, number>();
  for (const milestone of schedule.milestoneDependencies.keys()) {
    for (let index = milestone.allTasks.length - 1; index >= 0; index--) {
      const task = milestone.allTasks[index];
      const size = (subtreeSizes.get(task) ?? 0) + 1;
      subtreeSizes.set(task, size);
      if (task.parent) subtreeSizes.set(task.parent, (subtreeSizes.get(task.parent) ?? 0) + size);
    }
  }
  const subtreeSize = (task: Task): number => subtreeSizes.get(task) ?? 1;
  const counts = new Map<WorkItem, number>();
  for (const [target, set] of holders) {
    let count = 0;
    for (const holder of set) {
      if (holder.kind === 'milestone') {
        count += holder.allTasks.length;
        continue;
      }
      if (set.has(holder.milestone)) continue;
      let covered = false;
      for (let parent = holder.parent; parent && !covered; parent = parent.parent) covered = set.has(parent);
      if (!covered) count += subtreeSize(holder);
    }
    counts.set(target, count);
  }
  return counts;
}

