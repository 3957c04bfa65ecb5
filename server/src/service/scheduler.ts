import { type Day, WorkCalendar } from './calendar';
import type { Milestone, PlanModel, Reference, Task, WorkItem } from './model';

// Computes every task's and milestone's dates, then a backward pass for slack.
// Each item has two nodes: its own start/end ("S") and its finish including
// all work below it ("F"). Dependencies point at F nodes, so depending on a
// milestone or a parent task means waiting for everything inside it.

export interface ScheduledItem {
  item: WorkItem;
  /** Computed start (first working day). */
  start: Day;
  /** Computed inclusive end: the item's own end, or the span of its subtasks. */
  end: Day;
  /** Total float in working days; undefined for milestones. Negative when a constraint is already broken. */
  slack: number | undefined;
  critical: boolean;
  /** True when start came from the file rather than being computed. */
  explicitStart: boolean;
  /** The task's own working-day duration (undefined for tasks spanning subtasks, and milestones). */
  workingDays: number | undefined;
  /**
   * False when a date or length in the file is unusable (the schema check reports it)
   * and the schedule assumed one day: date rules stay quiet rather than report noise.
   */
  datesKnown: boolean;
}

export interface Schedule {
  calendar: WorkCalendar;
  planStart: Day;
  /** The latest computed end of all work. */
  planEnd: Day;
  items: Map<WorkItem, ScheduledItem>;
  /** Zero-slack tasks with their own duration, in schedule order. */
  criticalPath: Task[];
  /** Expanded dependencies of each task: local items (own, inherited from parents and milestone). */
  dependencies: Map<Task, WorkItem[]>;
}

export interface ScheduleOptions {
  /** Resolves a dependency on another plan file to that item's computed finish. */
  externalFinish?: (reference: Reference) => Day | undefined;
  /** The day used as plan start when the plan has none (today). */
  fallbackStart: Day;
}

/** Tasks with subtasks and no end/duration of their own span them. */
export function isSpanning(task: Task): boolean {
  return task.tasks.length > 0 && !task.duration && !task.end;
}

/** The task or milestone a local reference names, when it names one. */
export function resolveLocalItem(model: PlanModel, reference: Reference): WorkItem | undefined {
  if (reference.file !== undefined) return undefined;
  const entity = model.entitiesById.get(reference.id)?.[0];
  return entity && (entity.kind === 'task' || entity.kind === 'milestone') ? entity : undefined;
}

/** A task's own depends_on plus those inherited from parent tasks and its milestone. */
export function effectiveDependencyReferences(task: Task): Reference[] {
  const references = [...task.dependsOn];
  for (let parent = task.parent; parent; parent = parent.parent) references.push(...parent.dependsOn);
  references.push(...task.milestone.dependsOn);
  return references;
}

/**
 * The dependency graph in compressed form (successors of node n are
 * `targets[offsets[n]..offsets[n + 1]]`, in the order they were linked):
 * a plan of 5,000 tasks has 10,000 nodes, and a pair of arrays per node
 * was most of the scheduler's time and garbage.
 */
class Graph {
  private readonly from: number[] = [];
  private readonly to: number[] = [];
  offsets = new Int32Array(0);
  targets = new Int32Array(0);
  predecessorCounts = new Int32Array(0);

  constructor(readonly size: number) {}

  link(from: number, to: number): void {
    this.from.push(from);
    this.to.push(to);
  }

  seal(): void {
    const offsets = new Int32Array(this.size + 1);
    const predecessorCounts = new Int32Array(this.size);
    for (let edge = 0; edge < this.from.length; edge++) {
      offsets[this.from[edge] + 1]++;
      predecessorCounts[this.to[edge]]++;
    }
    for (let node = 0; node < this.size; node++) offsets[node + 1] += offsets[node];
    const next = offsets.slice(0, this.size);
    const targets = new Int32Array(this.from.length);
    for (let edge = 0; edge < this.from.length; edge++) targets[next[this.from[edge]]++] = this.to[edge];
    this.offsets = offsets;
    this.targets = targets;
    this.predecessorCounts = predecessorCounts;
  }
}

export function computeSchedule(model: PlanModel, options: ScheduleOptions): Schedule {
  const calendar = new WorkCalendar(model.calendar.workdays, model.calendar.holidays);
  const planStart = calendar.onOrAfter(model.header.start?.day ?? options.fallbackStart);
  const items: WorkItem[] = [...model.milestones, ...model.tasks];
  const indexOf = new Map<WorkItem, number>(items.map((item, index) => [item, index]));
  const startNode = (index: number) => 2 * index;
  const finishNode = (index: number) => 2 * index + 1;
  const graph = new Graph(2 * items.length);
  const link = (from: number, to: number) => graph.link(from, to);

  const dependencies = new Map<Task, WorkItem[]>();
  const externalDays = new Map<Task, Day[]>();
  // Per-item facts looked up in the passes below, computed once (the passes visit each item several times).
  const spanning = items.map((item) => item.kind === 'task' && isSpanning(item));
  const parentIndex = items.map((item) => (item.kind === 'task' && item.parent ? indexOf.get(item.parent)! : -1));
  const localDependencies: number[][] = items.map(() => []);
  const externalDependencies: Day[][] = items.map(() => []);
  for (const task of model.tasks) {
    const index = indexOf.get(task)!;
    const local: WorkItem[] = [];
    const external = externalDependencies[index];
    for (const reference of effectiveDependencyReferences(task)) {
      if (reference.file !== undefined) {
        const day = options.externalFinish?.(reference);
        if (day !== undefined) external.push(day);
        continue;
      }
      const target = resolveLocalItem(model, reference);
      if (target && !local.includes(target)) local.push(target);
    }
    dependencies.set(task, local);
    externalDays.set(task, external);
    for (const target of local) {
      const targetIndex = indexOf.get(target)!;
      localDependencies[index].push(targetIndex);
      link(finishNode(targetIndex), startNode(index));
    }
    if (task.parent) link(startNode(parentIndex[index]), startNode(index));
    link(startNode(index), finishNode(index));
    if (task.parent) link(finishNode(index), finishNode(parentIndex[index]));
    else link(finishNode(index), finishNode(indexOf.get(task.milestone)!));
  }

  graph.seal();
  const order = topologicalOrder(graph);
  const earlyStart = new Array<Day>(items.length).fill(planStart);
  const earlyEnd = new Array<Day>(items.length).fill(planStart);
  const finish = new Array<Day>(items.length).fill(planStart);
  const explicitStart = new Array<boolean>(items.length).fill(false);
  const workingDays = new Array<number | undefined>(items.length).fill(undefined);
  const datesKnown = new Array<boolean>(items.length).fill(true);
  const done = new Uint8Array(graph.size);

  for (const nodeIndex of order) {
    const index = nodeIndex >> 1;
    const item = items[index];
    const isFinish = (nodeIndex & 1) === 1;
    if (item.kind === 'milestone') {
      if (isFinish) computeMilestone(item, index);
    } else if (isFinish) {
      computeTaskFinish(item, index);
    } else {
      computeTaskStart(item, index);
    }
    done[nodeIndex] = 1;
  }

  function computeTaskStart(task: Task, index: number): void {
    let earliest = planStart;
    for (const targetIndex of localDependencies[index]) {
      if (done[finishNode(targetIndex)]) earliest = Math.max(earliest, calendar.after(finish[targetIndex]));
    }
    for (const day of externalDependencies[index]) earliest = Math.max(earliest, calendar.after(day));
    const parent = parentIndex[index];
    if (parent >= 0 && done[startNode(parent)] && (!spanning[parent] || explicitStart[parent])) {
      earliest = Math.max(earliest, earlyStart[parent]);
    }
    const given = task.start?.day;
    explicitStart[index] = given !== undefined;
    if (task.start && given === undefined) datesKnown[index] = false;
    const start = given !== undefined ? calendar.onOrAfter(given) : calendar.onOrAfter(earliest);
    earlyStart[index] = start;
    if (spanning[index]) {
      earlyEnd[index] = start;
      return;
    }
    if (task.duration?.workingDays !== undefined) {
      workingDays[index] = task.duration.workingDays;
      earlyEnd[index] = calendar.endOf(start, task.duration.workingDays);
    } else if (task.end?.day !== undefined) {
      earlyEnd[index] = task.end.day;
      workingDays[index] = Math.max(1, calendar.countWorkingDays(start, task.end.day));
    } else {
      // No usable length (the schema check reports it): hold one day so dependents still schedule.
      earlyEnd[index] = start;
      workingDays[index] = 1;
      datesKnown[index] = false;
    }
  }

  function computeTaskFinish(task: Task, index: number): void {
    const childIndexes = task.tasks.map((child) => indexOf.get(child)!).filter((child) => done[finishNode(child)]);
    if (spanning[index]) {
      if (childIndexes.length > 0) {
        if (!explicitStart[index]) earlyStart[index] = Math.min(...childIndexes.map((child) => earlyStart[child]));
        earlyEnd[index] = Math.max(...childIndexes.map((child) => finish[child]));
      }
      finish[index] = earlyEnd[index];
      return;
    }
    finish[index] = Math.max(earlyEnd[index], ...childIndexes.map((child) => finish[child]));
  }

  function computeMilestone(milestone: Milestone, index: number): void {
    const taskIndexes = milestone.tasks.map((task) => indexOf.get(task)!).filter((task) => done[finishNode(task)]);
    if (taskIndexes.length === 0) {
      const due = milestone.due?.day ?? planStart;
      earlyStart[index] = due;
      earlyEnd[index] = due;
    } else {
      earlyStart[index] = Math.min(...taskIndexes.map((task) => earlyStart[task]));
      earlyEnd[index] = Math.max(...taskIndexes.map((task) => finish[task]));
    }
    finish[index] = earlyEnd[index];
  }

  // Milestones without tasks are events on their due date, not work: they do not extend the plan.
  let planEnd = planStart;
  for (let index = 0; index < items.length; index++) if (items[index].kind === 'task') planEnd = Math.max(planEnd, finish[index]);

  // Backward pass: the latest finish each item can have without moving planEnd.
  const lateFinish = new Array<Day>(items.length).fill(planEnd);
  const lateStart = new Array<Day>(items.length).fill(planEnd);
  for (let position = order.length - 1; position >= 0; position--) {
    const nodeIndex = order[position];
    const index = nodeIndex >> 1;
    const item = items[index];
    if ((nodeIndex & 1) === 1) {
      let latest = planEnd;
      for (let edge = graph.offsets[nodeIndex]; edge < graph.offsets[nodeIndex + 1]; edge++) {
        const successor = graph.targets[edge];
        const successorIndex = successor >> 1;
        if (successor === startNode(successorIndex)) latest = Math.min(latest, calendar.before(lateStart[successorIndex]));
        else latest = Math.min(latest, lateFinish[successorIndex]);
      }
      lateFinish[index] = latest;
    } else if (item.kind === 'task' && !spanning[index]) {
      lateStart[index] = calendar.startFor(lateFinish[index], workingDays[index] ?? 1);
    }
  }

  const scheduled = new Map<WorkItem, ScheduledItem>();
  const slackOf = (task: Task): number => {
    const index = indexOf.get(task)!;
    if (spanning[index]) {
      const childSlacks = task.tasks.map(slackOf);
      return childSlacks.length > 0 ? Math.min(...childSlacks) : 0;
    }
    return calendar.workingDaysBetween(earlyStart[index], lateStart[index]);
  };
  for (const [index, item] of items.entries()) {
    const slack = item.kind === 'task' ? slackOf(item) : undefined;
    scheduled.set(item, {
      item,
      start: earlyStart[index],
      end: item.kind === 'task' && !spanning[index] ? earlyEnd[index] : finish[index],
      slack,
      critical: slack !== undefined && slack <= 0,
      explicitStart: explicitStart[index],
      workingDays: workingDays[index],
      datesKnown: datesKnown[index],
    });
  }
  const criticalPath = model.tasks
    .filter((task) => !isSpanning(task) && scheduled.get(task)!.critical)
    .sort((a, b) => scheduled.get(a)!.start - scheduled.get(b)!.start || a.anchor[0] - b.anchor[0]);

  return { calendar, planStart, planEnd, items: scheduled, criticalPath, dependencies };
}

/** Kahn's algorithm; nodes caught in a cycle are appended in index order so every node is computed once. */
function topologicalOrder(graph: Graph): number[] {
  const remaining = graph.predecessorCounts.slice();
  const queue: number[] = [];
  for (let index = 0; index < graph.size; index++) if (remaining[index] === 0) queue.push(index);
  const order: number[] = [];
  const placed = new Uint8Array(graph.size);
  const drain = () => {
    for (let head = 0; head < queue.length; head++) {
      const index = queue[head];
      order.push(index);
      placed[index] = 1;
      for (let edge = graph.offsets[index]; edge < graph.offsets[index + 1]; edge++) {
        const successor = graph.targets[edge];
        if (--remaining[successor] === 0) queue.push(successor);
      }
    }
    queue.length = 0;
  };
  drain();
  for (let index = 0; index < graph.size; index++) {
    if (!placed[index] && remaining[index] > 0) {
      // Break the cycle here: schedule this node with what is known so far.
      remaining[index] = 0;
      queue.push(index);
      drain();
    }
  }
  return order;
}
