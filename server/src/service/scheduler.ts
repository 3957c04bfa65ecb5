import { type Day, WorkCalendar } from './calendar';
import type { Milestone, PlanModel, Reference, Task, WorkItem } from './model';

// Computes every task's and milestone's dates, then a backward pass for slack.
// Each item has three nodes: its own start/end ("S"), its finish including
// all work below it ("F"), and when what it waits for is done ("R", ready).
// Dependencies point from F nodes, so depending on a milestone or a parent
// task means waiting for everything inside it. A task waits for its own
// dependencies and for those of its parents and milestone; rather than an
// edge from each of those to each task below (a parent with 1,000 entries
// and 1,000 subtasks would make a million), R of a parent or milestone feeds
// R of each child, so the graph grows with the plan, not with the product.

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
  /** Each task's own `depends_on` items in this plan, resolved and without repeats; dependenciesOf adds the inherited ones. */
  ownDependencies: Map<Task, WorkItem[]>;
  /** Each milestone's `depends_on` items in this plan, resolved and without repeats (every task in it waits for them). */
  milestoneDependencies: Map<Milestone, WorkItem[]>;
  /** The plan start used when the file gives none (today when it was computed). */
  fallbackStart: Day;
  /** True when some dependency names another plan file (its dates can change without this file changing). */
  readsOtherPlans: boolean;
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

/**
 * Everything `task` waits for in this plan: its own dependencies, then its
 * parents' (nearest first), then its milestone's, without repeats. Costs the
 * number of entries up the tree: rules that look at every task use the
 * per-level lists instead.
 */
export function dependenciesOf(schedule: Schedule, task: Task): WorkItem[] {
  const result: WorkItem[] = [];
  const seen = new Set<WorkItem>();
  const add = (items: readonly WorkItem[] | undefined) => {
    for (const item of items ?? []) {
      if (seen.has(item)) continue;
      seen.add(item);
      result.push(item);
    }
  };
  for (let holder: Task | undefined = task; holder; holder = holder.parent) add(schedule.ownDependencies.get(holder));
  add(schedule.milestoneDependencies.get(task.milestone));
  return result;
}

/**
 * The dependency graph in compressed form (successors of node n are
 * `targets[offsets[n]..offsets[n + 1]]`, in the order they were linked):
 * a plan of 5,000 tasks has 10,000 nodes, and a pair of arrays per node
 * was most of the scheduler's time and garbage.
 */
export class Graph {
  private readonly from: number[] = [];
  private readonly to: number[] = [];
  offsets = new Int32Array(0);
  targets = new Int32Array(0);
  /** For each position in `targets`, the number `link` returned for that edge. */
  edgeIds = new Int32Array(0);
  predecessorCounts = new Int32Array(0);

  constructor(readonly size: number) {}

  /** Adds an edge; returns its number (edges are numbered in the order they are linked). */
  link(from: number, to: number): number {
    this.from.push(from);
    return this.to.push(to) - 1;
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
    const edgeIds = new Int32Array(this.from.length);
    for (let edge = 0; edge < this.from.length; edge++) {
      const position = next[this.from[edge]]++;
      targets[position] = this.to[edge];
      edgeIds[position] = edge;
    }
    this.offsets = offsets;
    this.targets = targets;
    this.edgeIds = edgeIds;
    this.predecessorCounts = predecessorCounts;
  }
}

export function computeSchedule(model: PlanModel, options: ScheduleOptions): Schedule {
  const calendar = new WorkCalendar(model.calendar.workdays, model.calendar.holidays);
  const planStart = calendar.onOrAfter(model.header.start?.day ?? options.fallbackStart);
  const items: WorkItem[] = [...model.milestones, ...model.tasks];
  // Loops rather than map/filter chains here: on opening a big plan this runs once, unoptimised, and each array made costs.
  const indexOf = new Map<WorkItem, number>();
  for (let index = 0; index < items.length; index++) indexOf.set(items[index], index);
  // R first: where a cycle is broken (at the lowest node still waiting), an item's R is computed from the
  // dependencies already done before its start is; S and F then follow in order.
  const readyNode = (index: number) => 3 * index;
  const startNode = (index: number) => 3 * index + 1;
  const finishNode = (index: number) => 3 * index + 2;
  const graph = new Graph(3 * items.length);
  const link = (from: number, to: number) => {
    graph.link(from, to);
  };

  const ownDependencies = new Map<Task, WorkItem[]>();
  const milestoneDependencies = new Map<Milestone, WorkItem[]>();
  // Per-item facts looked up in the passes below, computed once (the passes visit each item several times).
  const spanning: boolean[] = [];
  const parentIndex: number[] = [];
  for (const item of items) {
    spanning.push(item.kind === 'task' && isSpanning(item));
    parentIndex.push(item.kind === 'task' && item.parent ? indexOf.get(item.parent)! : -1);
  }
  /** Each item's own local dependencies (indexes) and the finish days of its own dependencies in other plans. */
  const localDependencies: number[][] = [];
  const externalDependencies: Day[][] = [];
  for (let index = 0; index < items.length; index++) {
    localDependencies.push([]);
    externalDependencies.push([]);
  }
  let readsOtherPlans = false;
  /** Resolves an item's own entries; each local one links its F to the item's R (when anything waits through that R). */
  const resolveOwn = (index: number, references: readonly Reference[], linked: boolean): WorkItem[] => {
    const local: WorkItem[] = [];
    for (const reference of references) {
      if (reference.file !== undefined) {
        // Another plan's dates matter only to an item something waits through (not a milestone without tasks).
        if (!linked) continue;
        readsOtherPlans = true;
        const day = options.externalFinish?.(reference);
        if (day !== undefined) externalDependencies[index].push(day);
        continue;
      }
      const target = resolveLocalItem(model, reference);
      if (target && !local.includes(target)) {
        local.push(target);
        const targetIndex = indexOf.get(target)!;
        localDependencies[index].push(targetIndex);
        if (linked) link(finishNode(targetIndex), readyNode(index));
      }
    }
    return local;
  };
  for (const milestone of model.milestones) {
    // A milestone's dependencies hold back its tasks; a milestone without tasks is an event on its due date.
    milestoneDependencies.set(milestone, resolveOwn(indexOf.get(milestone)!, milestone.dependsOn, milestone.tasks.length > 0));
  }
  for (const task of model.tasks) {
    const index = indexOf.get(task)!;
    ownDependencies.set(task, resolveOwn(index, task.dependsOn, true));
    const above = task.parent ? parentIndex[index] : indexOf.get(task.milestone)!;
    link(readyNode(above), readyNode(index));
    link(readyNode(index), startNode(index));
    if (task.parent) link(startNode(parentIndex[index]), startNode(index));
    link(startNode(index), finishNode(index));
    link(finishNode(index), finishNode(above));
  }

  graph.seal();
  const order = topologicalOrder(graph);
  const earlyStart = new Array<Day>(items.length).fill(planStart);
  const earlyEnd = new Array<Day>(items.length).fill(planStart);
  const finish = new Array<Day>(items.length).fill(planStart);
  const explicitStart = new Array<boolean>(items.length).fill(false);
  const workingDays = new Array<number | undefined>(items.length).fill(undefined);
  const datesKnown = new Array<boolean>(items.length).fill(true);
  /** The earliest start its dependencies allow (own, and inherited through R of its parent or milestone). */
  const ready = new Array<Day>(items.length).fill(planStart);
  const done = new Uint8Array(graph.size);

  for (const nodeIndex of order) {
    const index = (nodeIndex / 3) | 0;
    const item = items[index];
    if (nodeIndex === readyNode(index)) computeReady(item, index);
    else if (item.kind === 'milestone') {
      if (nodeIndex === finishNode(index)) computeMilestone(item, index);
    } else if (nodeIndex === finishNode(index)) {
      computeTaskFinish(item, index);
    } else {
      computeTaskStart(item, index);
    }
    done[nodeIndex] = 1;
  }

  function computeReady(item: WorkItem, index: number): void {
    let earliest = planStart;
    for (const targetIndex of localDependencies[index]) {
      if (done[finishNode(targetIndex)]) earliest = Math.max(earliest, calendar.after(finish[targetIndex]));
    }
    for (const day of externalDependencies[index]) earliest = Math.max(earliest, calendar.after(day));
    if (item.kind === 'task') {
      const above = item.parent ? parentIndex[index] : indexOf.get(item.milestone)!;
      if (done[readyNode(above)]) earliest = Math.max(earliest, ready[above]);
    }
    ready[index] = earliest;
  }

  function computeTaskStart(task: Task, index: number): void {
    let earliest = done[readyNode(index)] ? ready[index] : planStart;
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
    let earliestChildStart = Infinity;
    let latestChildFinish = -Infinity;
    let computedChildren = 0;
    for (const child of task.tasks) {
      const childIndex = indexOf.get(child)!;
      if (!done[finishNode(childIndex)]) continue;
      computedChildren++;
      earliestChildStart = Math.min(earliestChildStart, earlyStart[childIndex]);
      latestChildFinish = Math.max(latestChildFinish, finish[childIndex]);
    }
    if (spanning[index]) {
      if (computedChildren > 0) {
        if (!explicitStart[index]) earlyStart[index] = earliestChildStart;
        earlyEnd[index] = latestChildFinish;
      }
      finish[index] = earlyEnd[index];
      return;
    }
    finish[index] = Math.max(latestChildFinish, earlyEnd[index]);
  }

  function computeMilestone(milestone: Milestone, index: number): void {
    const taskIndexes = milestone.tasks.map((task) => indexOf.get(task)!).filter((task) => done[finishNode(task)]);
    if (taskIndexes.length === 0) {
      const due = milestone.due?.day ?? planStart;
      earlyStart[index] = due;
      earlyEnd[index] = due;
    } else {
      // reduce, not Math.min(...list): a milestone may hold more tasks than a call takes arguments.
      earlyStart[index] = taskIndexes.reduce((least, task) => Math.min(least, earlyStart[task]), Infinity);
      earlyEnd[index] = taskIndexes.reduce((most, task) => Math.max(most, finish[task]), -Infinity);
    }
    finish[index] = earlyEnd[index];
  }

  // Milestones without tasks are events on their due date, not work: they do not extend the plan.
  let planEnd = planStart;
  for (let index = 0; index < items.length; index++) if (items[index].kind === 'task') planEnd = Math.max(planEnd, finish[index]);

  // Backward pass: the latest finish each item can have without moving planEnd.
  const lateFinish = new Array<Day>(items.length).fill(planEnd);
  const lateStart = new Array<Day>(items.length).fill(planEnd);
  /** The latest day R may fall on: the least late start of the tasks that wait through it. */
  const lateReady = new Array<Day>(items.length).fill(planEnd);
  for (let position = order.length - 1; position >= 0; position--) {
    const nodeIndex = order[position];
    const index = (nodeIndex / 3) | 0;
    const item = items[index];
    if (nodeIndex === finishNode(index)) {
      let latest = planEnd;
      for (let edge = graph.offsets[nodeIndex]; edge < graph.offsets[nodeIndex + 1]; edge++) {
        const successor = graph.targets[edge];
        const successorIndex = (successor / 3) | 0;
        // A finish leads to the finish of what contains it, or to the R of what waits for it.
        if (successor === finishNode(successorIndex)) latest = Math.min(latest, lateFinish[successorIndex]);
        else latest = Math.min(latest, calendar.before(lateReady[successorIndex]));
      }
      lateFinish[index] = latest;
    } else if (nodeIndex === readyNode(index)) {
      let latest = Infinity;
      for (let edge = graph.offsets[nodeIndex]; edge < graph.offsets[nodeIndex + 1]; edge++) {
        const successor = graph.targets[edge];
        const successorIndex = (successor / 3) | 0;
        latest = Math.min(latest, successor === startNode(successorIndex) ? lateStart[successorIndex] : lateReady[successorIndex]);
      }
      lateReady[index] = latest === Infinity ? planEnd : latest;
    } else if (item.kind === 'task' && !spanning[index]) {
      lateStart[index] = calendar.startFor(lateFinish[index], workingDays[index] ?? 1);
    }
  }

  const scheduled = new Map<WorkItem, ScheduledItem>();
  const slackOf = (task: Task): number => {
    const index = indexOf.get(task)!;
    if (spanning[index]) {
      const childSlacks = task.tasks.map(slackOf);
      return childSlacks.length > 0 ? childSlacks.reduce((least, slack) => Math.min(least, slack)) : 0;
    }
    return calendar.workingDaysBetween(earlyStart[index], lateStart[index]);
  };
  for (let index = 0; index < items.length; index++) {
    const item = items[index];
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

  return { calendar, planStart, planEnd, items: scheduled, criticalPath, ownDependencies, milestoneDependencies, fallbackStart: options.fallbackStart, readsOtherPlans };
}

/**
 * The previous version's schedule, carried over to this version's model when
 * nothing a schedule reads has changed: typing in a title, a status, an owner
 * or a note costs no scheduling. Undefined when anything it reads differs
 * (dates, lengths, dependencies, ids, the task tree, the calendar, the plan
 * start, today) or when it read other plan files, whose dates may have moved.
 *
 * Unchanged milestones keep their entity objects from one version to the next
 * (model.ts), so most items compare by identity; the edited milestone's new
 * entities are compared field by field with the old ones at the same position.
 */
export function carryOverSchedule(previous: Schedule, previousModel: PlanModel, model: PlanModel, options: ScheduleOptions): Schedule | undefined {
  if (previous.readsOtherPlans || previous.fallbackStart !== options.fallbackStart) return undefined;
  if (previousModel.header.start?.day !== model.header.start?.day || !sameCalendar(previousModel, model)) return undefined;
  if (!sameIds(previousModel.goals, model.goals) || !sameIds(previousModel.risks, model.risks)) return undefined;
  const { milestones, tasks } = model;
  if (milestones.length !== previousModel.milestones.length || tasks.length !== previousModel.tasks.length) return undefined;
  const replaced = new Map<WorkItem, WorkItem>();
  for (let index = 0; index < milestones.length; index++) {
    const before = previousModel.milestones[index];
    const after = milestones[index];
    if (before === after) continue;
    if (!sameMilestoneSchedule(before, after)) return undefined;
    replaced.set(before, after);
  }
  for (let index = 0; index < tasks.length; index++) {
    const before = previousModel.tasks[index];
    const after = tasks[index];
    if (before === after) continue;
    if (!sameTaskSchedule(before, after)) return undefined;
    replaced.set(before, after);
  }
  if (replaced.size === 0) return previous;

  const current = <T extends WorkItem>(item: T): T => (replaced.get(item) as T | undefined) ?? item;
  const items = new Map<WorkItem, ScheduledItem>();
  for (const [item, scheduled] of previous.items) {
    const now = replaced.get(item);
    items.set(
      now ?? item,
      now === undefined
        ? scheduled
        : {
            item: now,
            start: scheduled.start,
            end: scheduled.end,
            slack: scheduled.slack,
            critical: scheduled.critical,
            explicitStart: scheduled.explicitStart,
            workingDays: scheduled.workingDays,
            datesKnown: scheduled.datesKnown,
          },
    );
  }
  const carry = <K extends WorkItem>(lists: Map<K, WorkItem[]>): Map<K, WorkItem[]> => {
    const carried = new Map<K, WorkItem[]>();
    for (const [holder, targets] of lists) carried.set(current(holder), targets.some((target) => replaced.has(target)) ? targets.map(current) : targets);
    return carried;
  };
  return {
    calendar: previous.calendar,
    planStart: previous.planStart,
    planEnd: previous.planEnd,
    items,
    criticalPath: previous.criticalPath.map(current),
    ownDependencies: carry(previous.ownDependencies),
    milestoneDependencies: carry(previous.milestoneDependencies),
    fallbackStart: previous.fallbackStart,
    readsOtherPlans: false,
  };
}

function sameCalendar(before: PlanModel, after: PlanModel): boolean {
  const a = before.calendar;
  const b = after.calendar;
  if (a === b) return true;
  if (a.workdays.length !== b.workdays.length || a.holidays.size !== b.holidays.size) return false;
  for (let index = 0; index < a.workdays.length; index++) if (a.workdays[index] !== b.workdays[index]) return false;
  for (const day of a.holidays) if (!b.holidays.has(day)) return false;
  return true;
}

/** Goals and risks take part in id lookups (the first entity with an id is its definition). */
function sameIds(before: readonly { id: { text: string } | undefined }[], after: readonly { id: { text: string } | undefined }[]): boolean {
  if (before.length !== after.length) return false;
  for (let index = 0; index < before.length; index++) if (before[index] !== after[index] && before[index].id?.text !== after[index].id?.text) return false;
  return true;
}

function sameReferences(before: Reference[], after: Reference[]): boolean {
  if (before.length !== after.length) return false;
  for (let index = 0; index < before.length; index++) {
    if (before[index].id !== after[index].id || before[index].file !== after[index].file) return false;
  }
  return true;
}

/** Presence and value of a date: a date that does not parse still counts as given (datesKnown). */
const sameDate = (a: { day: Day | undefined } | undefined, b: { day: Day | undefined } | undefined): boolean =>
  a === undefined ? b === undefined : b !== undefined && a.day === b.day;

function sameMilestoneSchedule(before: Milestone, after: Milestone): boolean {
  return (
    before.id?.text === after.id?.text &&
    before.due?.day === after.due?.day &&
    before.tasks.length === after.tasks.length &&
    before.allTasks.length === after.allTasks.length &&
    sameReferences(before.dependsOn, after.dependsOn)
  );
}

/** Tasks are listed in document order, so equal child counts at every position mean the same tree. */
function sameTaskSchedule(before: Task, after: Task): boolean {
  return (
    before.id?.text === after.id?.text &&
    sameDate(before.start, after.start) &&
    sameDate(before.end, after.end) &&
    (before.duration === undefined ? after.duration === undefined : after.duration !== undefined && before.duration.workingDays === after.duration.workingDays) &&
    before.tasks.length === after.tasks.length &&
    (before.parent === undefined) === (after.parent === undefined) &&
    sameReferences(before.dependsOn, after.dependsOn)
  );
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
