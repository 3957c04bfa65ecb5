import { formatDay, type Day } from '../calendar';
import type { Reference, Task, WorkItem } from '../model';
import { Graph, resolveLocalItem } from '../scheduler';
import { downTheTree, nameOf, type RuleContext } from './context';

// dependency-cycle, dependency-order

export function checkDependencies(context: RuleContext): void {
  checkCycles(context);
  checkOrder(context);
}

/**
 * Edges: each depends_on entry (holder → target); containment (a milestone or
 * parent task waits for what it contains); and what a task inherits from its
 * parents and milestone. Inherited entries go through one extra node per
 * item, "inherits": a task → the inherits node of its parent (or milestone),
 * which → that holder's targets and the inherits node above. A task reaches
 * exactly what it waits for, and the graph grows with the plan rather than
 * with entries × subtasks. A depends_on entry is part of a cycle exactly when
 * its two ends share a strongly connected component.
 * The graph is in compressed arrays: this runs on every edit of big plans.
 */
function checkCycles(context: RuleContext): void {
  const { model } = context;
  const items: WorkItem[] = [...model.milestones, ...model.tasks];
  const indexOf = new Map<WorkItem, number>();
  for (let index = 0; index < items.length; index++) indexOf.set(items[index], index);
  // Most plans have no cycle: prove that first from the schedule's resolved dependencies
  // (carried over from the previous version when unchanged), without resolving a reference.
  if (isAcyclic(context, items, indexOf)) return;
  const inherits = (index: number) => items.length + index;
  const graph = new Graph(2 * items.length);
  /** The depends_on entry of each edge by its number; undefined for containment and inheritance. */
  const edgeReferences: (Reference | undefined)[] = [];
  const addEdge = (from: number, to: number, reference: Reference | undefined) => {
    edgeReferences[graph.link(from, to)] = reference;
  };
  const addDependencies = (holder: number, references: readonly Reference[]) => {
    for (const reference of references) {
      const target = resolveLocalItem(model, reference);
      if (!target) continue;
      addEdge(holder, indexOf.get(target)!, reference);
      addEdge(inherits(holder), indexOf.get(target)!, reference);
    }
  };
  for (const milestone of model.milestones) {
    const from = indexOf.get(milestone)!;
    addDependencies(from, milestone.dependsOn);
    for (const task of milestone.tasks) addEdge(from, indexOf.get(task)!, undefined);
  }
  for (const task of model.tasks) {
    const from = indexOf.get(task)!;
    addDependencies(from, task.dependsOn);
    const above = indexOf.get(task.parent ?? task.milestone)!;
    addEdge(from, inherits(above), undefined);
    addEdge(inherits(from), inherits(above), undefined);
    for (const child of task.tasks) addEdge(from, indexOf.get(child)!, undefined);
  }
  graph.seal();

  const component = stronglyConnectedComponents(graph);
  const reported = new Set<Reference>();
  for (let from = 0; from < graph.size; from++) {
    for (let position = graph.offsets[from]; position < graph.offsets[from + 1]; position++) {
      const to = graph.targets[position];
      const reference = edgeReferences[graph.edgeIds[position]];
      if (!reference || reported.has(reference) || component[from] !== component[to]) continue;
      // An inherited edge is reported on the entry it came from, once.
      reported.add(reference);
      // Named as the task that inherits the entry would be: the last item before the path enters the inherits nodes.
      const back = pathWithin(graph, component, to, from, (node) => node >= items.length).filter((node) => node < items.length);
      const inherited = from >= items.length;
      const holder = inherited ? back[back.length - 1] : from;
      const path = to === holder ? [holder] : [holder, ...(inherited ? back.slice(0, -1) : back)];
      const names = [...path, holder].map((index) => nameOf(items[index]));
      context.report({
        rule: 'dependency-cycle',
        span: reference.span,
        message: `Dependency cycle: ${names.join(' → ')}; remove one of these dependencies.`,
      });
    }
  }
}

/**
 * Whether the graph checkCycles builds has no cycle, from the same edges but
 * with the dependencies the schedule resolved. Kahn's algorithm: acyclic when
 * every node is placed.
 */
function isAcyclic(context: RuleContext, items: WorkItem[], indexOf: Map<WorkItem, number>): boolean {
  const { model, schedule } = context;
  const inherits = (index: number) => items.length + index;
  const graph = new Graph(2 * items.length);
  const link = (holder: number, targets: readonly WorkItem[] | undefined): boolean => {
    if (!targets) return false;
    for (const target of targets) {
      const to = indexOf.get(target);
      if (to === undefined) return false;
      graph.link(holder, to);
      graph.link(inherits(holder), to);
    }
    return true;
  };
  for (const milestone of model.milestones) {
    const from = indexOf.get(milestone)!;
    if (!link(from, schedule.milestoneDependencies.get(milestone))) return false;
    for (const task of milestone.tasks) graph.link(from, indexOf.get(task)!);
  }
  for (const task of model.tasks) {
    const from = indexOf.get(task)!;
    if (!link(from, schedule.ownDependencies.get(task))) return false;
    const above = indexOf.get(task.parent ?? task.milestone)!;
    graph.link(from, inherits(above));
    graph.link(inherits(from), inherits(above));
    for (const child of task.tasks) graph.link(from, indexOf.get(child)!);
  }
  graph.seal();
  const remaining = graph.predecessorCounts;
  const queue = new Int32Array(graph.size);
  let tail = 0;
  for (let node = 0; node < graph.size; node++) if (remaining[node] === 0) queue[tail++] = node;
  for (let head = 0; head < tail; head++) {
    const node = queue[head];
    for (let position = graph.offsets[node]; position < graph.offsets[node + 1]; position++) {
      if (--remaining[graph.targets[position]] === 0) queue[tail++] = graph.targets[position];
    }
  }
  return tail === graph.size;
}

/**
 * Shortest path from → to inside one component (`from` included, `to` left
 * out). Steps into a `free` node (an inherits node) count as none, so a path
 * through inherited entries is as long as the direct edges they stand for.
 * 0-1 breadth-first search: free steps go to the front of the queue.
 */
function pathWithin(graph: Graph, component: Int32Array, from: number, to: number, free: (node: number) => boolean): number[] {
  const distance = new Map<number, number>([[from, 0]]);
  const previous = new Map<number, number>([[from, -1]]);
  const done = new Set<number>();
  const front: number[] = [];
  const back = [from];
  let head = 0;
  while (front.length > 0 || head < back.length) {
    const node = front.length > 0 ? front.pop()! : back[head++];
    if (done.has(node)) continue;
    done.add(node);
    if (node === to) break;
    const steps = distance.get(node)!;
    for (let position = graph.offsets[node]; position < graph.offsets[node + 1]; position++) {
      const next = graph.targets[position];
      if (component[next] !== component[from]) continue;
      const cost = free(next) ? 0 : 1;
      const known = distance.get(next);
      if (known !== undefined && known <= steps + cost) continue;
      distance.set(next, steps + cost);
      previous.set(next, node);
      if (cost === 0) front.push(next);
      else back.push(next);
    }
  }
  const path: number[] = [];
  for (let node = previous.get(to) ?? -1; node !== -1 && node !== undefined; node = previous.get(node) ?? -1) path.push(node);
  return path.reverse();
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
  const latestOf = latestDependencyEnds(context);
  for (const task of model.tasks) {
    if (!task.start || task.start.day === undefined) continue;
    const start = schedule.items.get(task)!.start;
    // The dependency that ends last, local ones first, then other plans' (which win only when later still).
    const { local, external } = latestOf(task);
    const latest = external && (!local || external.end > local.end) ? external : local;
    if (!latest || latest.end < start) continue;
    const earliest = formatDay(schedule.calendar.after(latest.end));
    context.report({
      rule: 'dependency-order',
      span: task.start.span,
      message: `Task \`${nameOf(task)}\` starts ${formatDay(start)}, on or before the end of its dependency \`${latest.name}\` (${formatDay(latest.end)}); start on ${earliest} or later, or remove \`start\` to have it computed.`,
    });
  }
}

interface LatestEnd {
  name: string;
  end: Day;
}

/**
 * For each task, the dependency that ends last among everything it waits for
 * (own, then parents', then its milestone's: the first of equal ends), kept
 * apart for this plan's items and other plans'. Each level is worked out once
 * from the one above, so inherited entries cost nothing per subtask.
 */
function latestDependencyEnds(context: RuleContext): (task: Task) => { local?: LatestEnd; external?: LatestEnd } {
  const { schedule } = context;
  const later = (current: LatestEnd | undefined, candidate: LatestEnd | undefined) => (candidate && (!current || candidate.end > current.end) ? candidate : current);
  const ownLatest = (references: readonly Reference[], targets: readonly WorkItem[] | undefined) => {
    let local: LatestEnd | undefined;
    for (const target of targets ?? []) {
      const end = schedule.items.get(target)?.end;
      if (end !== undefined) local = later(local, { name: nameOf(target), end });
    }
    let external: LatestEnd | undefined;
    for (const reference of references) {
      if (reference.file === undefined) continue;
      const resolution = context.resolveExternal(reference);
      if (resolution.status === 'found' && resolution.finish !== undefined) external = later(external, { name: reference.text, end: resolution.finish });
    }
    return { local, external };
  };
  return downTheTree(
    (milestone) => ownLatest(milestone.dependsOn, schedule.milestoneDependencies.get(milestone)),
    (task, above) => {
      const own = ownLatest(task.dependsOn, schedule.ownDependencies.get(task));
      return { local: later(own.local, above.local), external: later(own.external, above.external) };
    },
  );
}
