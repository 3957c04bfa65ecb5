import { formatDay } from '../calendar';
import type { Reference, WorkItem } from '../model';
import { resolveLocalItem } from '../scheduler';
import { nameOf, type RuleContext } from './context';

// dependency-cycle, dependency-order

interface Edge {
  to: number;
  /** The depends_on entry that makes this edge (own or inherited); undefined for containment. */
  reference: Reference | undefined;
}

export function checkDependencies(context: RuleContext): void {
  checkCycles(context);
  checkOrder(context);
}

/**
 * Edges: each depends_on entry (holder → target); the entries a task inherits
 * from its parents and milestone (task → target); and containment (a milestone
 * or parent task waits for what it contains). A depends_on entry is part of a
 * cycle exactly when its two ends share a strongly connected component.
 */
function checkCycles(context: RuleContext): void {
  const { model } = context;
  const items: WorkItem[] = [...model.milestones, ...model.tasks];
  const indexOf = new Map<WorkItem, number>(items.map((item, index) => [item, index]));
  const edges: Edge[][] = items.map(() => []);
  const addDependency = (from: WorkItem, reference: Reference) => {
    const target = resolveLocalItem(model, reference);
    if (target) edges[indexOf.get(from)!].push({ to: indexOf.get(target)!, reference });
  };
  for (const milestone of model.milestones) {
    for (const reference of milestone.dependsOn) addDependency(milestone, reference);
    for (const task of milestone.tasks) edges[indexOf.get(milestone)!].push({ to: indexOf.get(task)!, reference: undefined });
  }
  for (const task of model.tasks) {
    for (const reference of task.dependsOn) addDependency(task, reference);
    for (let parent = task.parent; parent; parent = parent.parent) for (const reference of parent.dependsOn) addDependency(task, reference);
    for (const reference of task.milestone.dependsOn) addDependency(task, reference);
    for (const child of task.tasks) edges[indexOf.get(task)!].push({ to: indexOf.get(child)!, reference: undefined });
  }

  const component = stronglyConnectedComponents(edges);
  const reported = new Set<Reference>();
  for (let from = 0; from < items.length; from++) {
    for (const edge of edges[from]) {
      if (!edge.reference || reported.has(edge.reference) || component[from] !== component[edge.to]) continue;
      // An inherited edge is reported on the entry it came from, once.
      reported.add(edge.reference);
      const path = edge.to === from ? [from] : [from, ...pathWithin(edges, component, edge.to, from)];
      const names = [...path, from].map((index) => nameOf(items[index]));
      context.report({
        rule: 'dependency-cycle',
        span: edge.reference.span,
        message: `Dependency cycle: ${names.join(' → ')}; remove one of these dependencies.`,
      });
    }
  }
}

/** Shortest path from → to inside one component (both included, `to` excluded from the end). */
function pathWithin(edges: Edge[][], component: number[], from: number, to: number): number[] {
  const previous = new Map<number, number>([[from, -1]]);
  const queue = [from];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head];
    if (node === to) break;
    for (const edge of edges[node]) {
      if (component[edge.to] !== component[from] || previous.has(edge.to)) continue;
      previous.set(edge.to, node);
      queue.push(edge.to);
    }
  }
  const path: number[] = [];
  for (let node = previous.get(to) ?? -1; node !== -1 && node !== undefined; node = previous.get(node) ?? -1) path.unshift(node);
  return path;
}

/** Tarjan's algorithm, iterative so that long dependency chains cannot overflow the stack. */
function stronglyConnectedComponents(edges: Edge[][]): number[] {
  const count = edges.length;
  const index = new Array<number>(count).fill(-1);
  const low = new Array<number>(count).fill(0);
  const onStack = new Array<boolean>(count).fill(false);
  const component = new Array<number>(count).fill(-1);
  const stack: number[] = [];
  let nextIndex = 0;
  let nextComponent = 0;
  for (let root = 0; root < count; root++) {
    if (index[root] !== -1) continue;
    const work: [node: number, edge: number][] = [[root, 0]];
    index[root] = low[root] = nextIndex++;
    stack.push(root);
    onStack[root] = true;
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const [node, edgeIndex] = frame;
      if (edgeIndex < edges[node].length) {
        frame[1]++;
        const next = edges[node][edgeIndex].to;
        if (index[next] === -1) {
          index[next] = low[next] = nextIndex++;
          stack.push(next);
          onStack[next] = true;
          work.push([next, 0]);
        } else if (onStack[next]) {
          low[node] = Math.min(low[node], index[next]);
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1][0];
        low[parent] = Math.min(low[parent], low[node]);
      }
      if (low[node] === index[node]) {
        let member: number;
        do {
          member = stack.pop()!;
          onStack[member] = false;
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
  for (let parent = task.parent; parent; parent = parent.parent) references.push(...parent.dependsOn);
  references.push(...task.milestone.dependsOn);
  return references;
}
