import { formatDay } from '../calendar';
import type { Reference, WorkItem } from '../model';
import { Graph, resolveLocalItem } from '../scheduler';
import { nameOf, type RuleContext } from './context';

// dependency-cycle, dependency-order

export function checkDependencies(context: RuleContext): void {
  checkCycles(context);
  checkOrder(context);
}

/**
 * Edges: each depends_on entry (holder → target); the entries a task inherits
 * from its parents and milestone (task → target); and containment (a milestone
 * or parent task waits for what it contains). A depends_on entry is part of a
 * cycle exactly when its two ends share a strongly connected component.
 * The graph is in compressed arrays: this runs on every edit of big plans.
 */
function checkCycles(context: RuleContext): void {
  const { model } = context;
  const items: WorkItem[] = [...model.milestones, ...model.tasks];
  const indexOf = new Map<WorkItem, number>(items.map((item, index) => [item, index]));
  // Most plans have no cycle: prove that first from the schedule's resolved dependencies
  // (carried over from the previous version when unchanged), without resolving a reference.
  if (isAcyclic(context, items, indexOf)) return;
  const graph = new Graph(items.length);
  /** The depends_on entry of each edge by its number; undefined for containment. */
  const edgeReferences: (Reference | undefined)[] = [];
  const addEdge = (from: number, to: number, reference: Reference | undefined) => {
    edgeReferences[graph.link(from, to)] = reference;
  };
  const addDependency = (from: number, reference: Reference) => {
    const target = resolveLocalItem(model, reference);
    if (target) addEdge(from, indexOf.get(target)!, reference);
  };
  for (const milestone of model.milestones) {
    const from = indexOf.get(milestone)!;
    for (const reference of milestone.dependsOn) addDependency(from, reference);
    for (const task of milestone.tasks) addEdge(from, indexOf.get(task)!, undefined);
  }
  for (const task of model.tasks) {
    const from = indexOf.get(task)!;
    for (const reference of task.dependsOn) addDependency(from, reference);
    for (let parent = task.parent; parent; parent = parent.parent) for (const reference of parent.dependsOn) addDependency(from, reference);
    for (const reference of task.milestone.dependsOn) addDependency(from, reference);
    for (const child of task.tasks) addEdge(from, indexOf.get(child)!, undefined);
  }
  graph.seal();

  const component = stronglyConnectedComponents(graph);
  const reported = new Set<Reference>();
  for (let from = 0; from < items.length; from++) {
    for (let position = graph.offsets[from]; position < graph.offsets[from + 1]; position++) {
      const to = graph.targets[position];
      const reference = edgeReferences[graph.edgeIds[position]];
      if (!reference || reported.has(reference) || component[from] !== component[to]) continue;
      // An inherited edge is reported on the entry it came from, once.
      reported.add(reference);
      const path = to === from ? [from] : [from, ...pathWithin(graph, component, to, from)];
      const names = [...path, from].map((index) => nameOf(items[index]));
      context.report({
        rule: 'dependency-cycle',
        span: reference.span,
        message: `Dependency cycle: ${names.join(' → ')}; remove one of these dependencies.`,
      });
    }
  }
}

/**
 * Whether the graph checkCycles builds has no cycle, from the same edges: a
 * task's resolved dependencies (own and inherited, as the schedule holds them),
 * a milestone's, and containment. Kahn's algorithm: acyclic when every node is placed.
 */
function isAcyclic(context: RuleContext, items: WorkItem[], indexOf: Map<WorkItem, number>): boolean {
  const { model, schedule } = context;
  const graph = new Graph(items.length);
  for (const milestone of model.milestones) {
    const from = indexOf.get(milestone)!;
    for (const reference of milestone.dependsOn) {
      const target = resolveLocalItem(model, reference);
      if (target) graph.link(from, indexOf.get(target)!);
    }
    for (const task of milestone.tasks) graph.link(from, indexOf.get(task)!);
  }
  for (const task of model.tasks) {
    const from = indexOf.get(task)!;
    const targets = schedule.dependencies.get(task);
    if (!targets) return false;
    for (const target of targets) {
      const to = indexOf.get(target);
      if (to === undefined) return false;
      graph.link(from, to);
    }
    for (const child of task.tasks) graph.link(from, indexOf.get(child)!);
  }
  graph.seal();
  const remaining = graph.predecessorCounts;
  const queue = new Int32Array(items.length);
  let tail = 0;
  for (let node = 0; node < items.length; node++) if (remaining[node] === 0) queue[tail++] = node;
  for (let head = 0; head < tail; head++) {
    const node = queue[head];
    for (let position = graph.offsets[node]; position < graph.offsets[node + 1]; position++) {
      if (--remaining[graph.targets[position]] === 0) queue[tail++] = graph.targets[position];
    }
  }
  return tail === items.length;
}

/** Shortest path from → to inside one component (both included, `to` excluded from the end). */
function pathWithin(graph: Graph, component: Int32Array, from: number, to: number): number[] {
  const previous = new Map<number, number>([[from, -1]]);
  const queue = [from];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head];
    if (node === to) break;
    for (let position = graph.offsets[node]; position < graph.offsets[node + 1]; position++) {
      const next = graph.targets[position];
      if (component[next] !== component[from] || previous.has(next)) continue;
      previous.set(next, node);
      queue.push(next);
    }
  }
  const path: number[] = [];
  for (let node = previous.get(to) ?? -1; node !== -1 && node !== undefined; node = previous.get(node) ?? -1) path.unshift(node);
  return path;
}

/** Tarjan's algorithm, iterative so that long dependency chains cannot overflow the stack. */
function stronglyConnectedComponents(graph: Graph): Int32Array {
  const count = graph.size;
  const index = new Int32Array(count).fill(-1);
  const low = new Int32Array(count);
  const onStack = new Uint8Array(count);
  const component = new Int32Array(count).fill(-1);
  const stack = new Int32Array(count);
  let stackSize = 0;
  // The depth-first walk: each frame is a node and the position of the next edge to follow.
  const frameNode = new Int32Array(count);
  const frameEdge = new Int32Array(count);
  let nextIndex = 0;
  let nextComponent = 0;
  for (let root = 0; root < count; root++) {
    if (index[root] !== -1) continue;
    let depth = 0;
    frameNode[0] = root;
    frameEdge[0] = graph.offsets[root];
    index[root] = low[root] = nextIndex++;
    stack[stackSize++] = root;
    onStack[root] = 1;
    while (depth >= 0) {
      const node = frameNode[depth];
      const position = frameEdge[depth];
      if (position < graph.offsets[node + 1]) {
        frameEdge[depth]++;
        const next = graph.targets[position];
        if (index[next] === -1) {
          index[next] = low[next] = nextIndex++;
          stack[stackSize++] = next;
          onStack[next] = 1;
          depth++;
          frameNode[depth] = next;
          frameEdge[depth] = graph.offsets[next];
        } else if (onStack[next]) {
          low[node] = Math.min(low[node], index[next]);
        }
        continue;
      }
      depth--;
      if (depth >= 0) {
        const parent = frameNode[depth];
        low[parent] = Math.min(low[parent], low[node]);
      }
      if (low[node] === index[node]) {
        let member: number;
        do {
          member = stack[--stackSize];
          onStack[member] = 0;
          component[member] = nextComponent;
        } while (member !== node);
        nextComponent++;
      }
    }
  }
  return component;
}

/** Only explicit starts can break the order: computed starts never do. */
function checkOrder(context: RuleContext): void {
  const { model, schedule } = context;
  for (const task of model.tasks) {
    if (!task.start || task.start.day === undefined) continue;
    const start = schedule.items.get(task)!.start;
    let latest: { name: string; end: number } | undefined;
    for (const dependency of schedule.dependencies.get(task) ?? []) {
      const end = schedule.items.get(dependency)?.end;
      if (end !== undefined && end >= start && (!latest || end > latest.end)) latest = { name: nameOf(dependency), end };
    }
    for (const reference of [...task.dependsOn, ...inheritedReferences(task)]) {
      if (reference.file === undefined) continue;
      const resolution = context.resolveExternal(reference);
      if (resolution.status === 'found' && resolution.finish !== undefined && resolution.finish >= start && (!latest || resolution.finish > latest.end)) {
        latest = { name: reference.text, end: resolution.finish };
      }
    }
    if (!latest) continue;
    const earliest = formatDay(schedule.calendar.after(latest.end));
    context.report({
      rule: 'dependency-order',
      span: task.start.span,
      message: `Task \`${nameOf(task)}\` starts ${formatDay(start)}, on or before the end of its dependency \`${latest.name}\` (${formatDay(latest.end)}); start on ${earliest} or later, or remove \`start\` to have it computed.`,
    });
  }
}

function inheritedReferences(task: import('../model').Task): Reference[] {
  const references: Reference[] = [];
  for (let parent = task.parent; parent; parent = parent.parent) for (const reference of parent.dependsOn) references.push(reference);
  for (const reference of task.milestone.dependsOn) references.push(reference);
  return references;
}
