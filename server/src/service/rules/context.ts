import type { Day } from '../calendar';
import type { Entity, Milestone, PlanModel, Reference, Task, WorkItem } from '../model';
import type { ParsedPlan } from '../parse';
import type { Schedule } from '../scheduler';
import type { Span } from '../types';
import type { RuleId } from './ruleTable';

export interface Finding {
  rule: RuleId;
  span: Span;
  message: string;
  replacement?: string;
}

/** What a cross-file reference resolved to. */
export type ExternalResolution =
  | { status: 'found'; finish: Day | undefined; done: boolean; title: string | undefined }
  | { status: 'missing-file'; path: string }
  | { status: 'missing-id'; path: string; candidates: string[] }
  /** Not a path relative to this file: a URI (`file:`, `https:`), an absolute path, or one with backslashes. */
  | { status: 'not-relative'; path: string; form: 'uri' | 'absolute' | 'backslash' }
  /** The path leads back to this very file. */
  | { status: 'same-file'; path: string }
  /** The path leads outside the workspace folder(s): nothing there is read. */
  | { status: 'outside-workspace'; path: string }
  /** The file is there but cannot be read (`reason` says why, e.g. "it is a folder"). */
  | { status: 'unreadable'; path: string; reason: string };

export interface RuleContext {
  parsed: ParsedPlan;
  model: PlanModel;
  schedule: Schedule;
  asOf: Day;
  resolveExternal(reference: Reference): ExternalResolution;
  report(finding: Finding): void;
}

export type TaskStatus = 'planned' | 'in-progress' | 'blocked' | 'done' | 'dropped';
const TASK_STATUSES: readonly string[] = ['planned', 'in-progress', 'blocked', 'done', 'dropped'];

// A derived status depends on the item's own subtree only, which never
// changes once built (an edited milestone is built anew): remembered per item.
const derivedStatus = new WeakMap<WorkItem, TaskStatus>();

/** The explicit status, or for a task with subtasks and none of its own, the status derived from them. */
export function statusOf(item: WorkItem): TaskStatus {
  if (item.kind === 'task' && item.status && TASK_STATUSES.includes(item.status.text)) return item.status.text as TaskStatus;
  const children = item.tasks;
  if (item.kind === 'task' && children.length === 0) return 'planned';
  const known = derivedStatus.get(item);
  if (known) return known;
  const status = deriveStatus(children.map(statusOf), children.some((child) => (progressOf(child) ?? 0) > 0));
  derivedStatus.set(item, status);
  return status;
}

/** Milestones (and parent tasks without a status): done when all done or dropped, blocked when any blocked, … */
export function deriveStatus(statuses: TaskStatus[], anyProgress: boolean): TaskStatus {
  if (statuses.length === 0) return 'planned';
  if (statuses.every((status) => status === 'done' || status === 'dropped')) return statuses.every((status) => status === 'dropped') ? 'dropped' : 'done';
  if (statuses.includes('blocked')) return 'blocked';
  if (anyProgress || statuses.some((status) => status === 'in-progress' || status === 'done')) return 'in-progress';
  return 'planned';
}

/** Own progress for leaves; the duration-weighted mean of leaf progress for parents and milestones. */
export function progressOf(item: WorkItem, schedule?: Schedule): number | undefined {
  if (item.kind === 'task' && item.progress) return Math.max(0, Math.min(100, item.progress.value));
  if (item.kind === 'task' && item.tasks.length === 0) return statusOf(item) === 'done' ? 100 : 0;
  const leaves = leafTasks(item);
  if (leaves.length === 0) return undefined;
  let weighted = 0;
  let total = 0;
  for (const leaf of leaves) {
    const weight = schedule?.items.get(leaf)?.workingDays ?? 1;
    weighted += weight * (progressOf(leaf) ?? 0);
    total += weight;
  }
  return total > 0 ? weighted / total : 0;
}

export function leafTasks(item: WorkItem): Task[] {
  const leaves: Task[] = [];
  const stack: Task[] = [...item.tasks].reverse();
  while (stack.length > 0) {
    const task = stack.pop()!;
    if (task.tasks.length === 0) leaves.push(task);
    else for (let index = task.tasks.length - 1; index >= 0; index--) stack.push(task.tasks[index]);
  }
  return leaves;
}

export function isClosed(status: TaskStatus): boolean {
  return status === 'done' || status === 'dropped';
}

export function nameOf(entity: Entity | Milestone): string {
  return entity.id?.text ?? entity.title?.text ?? `(${entity.kind} without id)`;
}

export function kindLabel(entity: Entity): string {
  return entity.kind === 'task' && entity.parent ? 'subtask' : entity.kind;
}

/** Where a finding about the entity's status goes: the status value, else the id. */
export function statusAnchor(item: WorkItem): Span {
  return item.kind === 'task' && item.status ? item.status.span : item.anchor;
}

/**
 * A value for each task built down the tree: `ofMilestone` gives the
 * milestone's, `down` a task's from the value above it (its parent's, or its
 * milestone's for a top-level task). Each level is worked out once, however
 * many tasks sit below it, and without recursion (trees may be deep): what a
 * parent's thousands of subtasks inherit costs the parent's entries once.
 */
export function downTheTree<T>(ofMilestone: (milestone: Milestone) => T, down: (task: Task, above: T) => T): (task: Task) => T {
  const milestones = new Map<Milestone, T>();
  const tasks = new Map<Task, T>();
  return (task) => {
    const known = tasks.get(task);
    if (known !== undefined) return known;
    // Up to the nearest level already known, then down again.
    const chain: Task[] = [];
    let holder: Task | undefined = task;
    while (holder && !tasks.has(holder)) {
      chain.push(holder);
      holder = holder.parent;
    }
    let above: T;
    if (holder) above = tasks.get(holder)!;
    else if (milestones.has(task.milestone)) above = milestones.get(task.milestone)!;
    else milestones.set(task.milestone, (above = ofMilestone(task.milestone)));
    for (let index = chain.length - 1; index >= 0; index--) {
      above = down(chain[index], above);
      tasks.set(chain[index], above);
    }
    return above;
  };
}
