import { URI } from 'vscode-uri';
import { descendantsOf, type PlanModel, type Reference, type WorkItem } from '../model';
import { resolveLocalItem } from '../scheduler';
import { nameOf, type RuleContext } from './context';

// dependency-cycle across plan files: `a.plan.yaml` depends on `b.plan.yaml#y`,
// which (through any number of files) depends back on it.

/** Other plans as the cycle walk sees them. */
export interface PlanLookup {
  /** The model of the plan at `uri` (this one included), or undefined when it cannot be read. */
  modelOf(uri: string): PlanModel | undefined;
  /** Where the path of a reference written in `fromUri` leads, when that is a plan inside the workspace. */
  target(fromUri: string, path: string): string | undefined;
}

/**
 * The walks of one check stop after this many steps (items visited and
 * entries followed), all walks together: cycles are between a few plans, not
 * across every item of a workspace, and a parent with thousands of entries
 * in other plans over thousands of subtasks would otherwise walk its subtree
 * once per entry (minutes). Past it, later entries are not checked.
 */
const MAX_STEPS = 5_000_000;

interface Visit {
  uri: string;
  item: WorkItem;
  previous: WorkItem | undefined;
}

/**
 * Each `path#id` entry of depends_on: when what it names waits, through any
 * files, for the item holding the entry (or work that inherits it), the entry
 * closes a cycle. Edges are those of the local check: depends_on (own and
 * inherited) and containment (a milestone or parent task waits for its tasks).
 */
export function checkCrossFileCycles(context: RuleContext, uri: string, plans: PlanLookup): void {
  const crossFile = context.model.references.filter((reference) => reference.property === 'depends_on' && reference.file !== undefined && reference.holder);
  if (crossFile.length === 0) return;
  const closures = new Map<WorkItem, Map<WorkItem, Visit>>();
  const budget = { steps: MAX_STEPS };
  // Where each `path` leads from each plan, worked out once per check (a walk follows the same entries many times).
  const targets = new Map<string, string | undefined>();
  const cachedPlans: PlanLookup = {
    modelOf: (other) => plans.modelOf(other),
    target: (fromUri, path) => {
      const key = `${fromUri}\n${path}`;
      if (!targets.has(key)) targets.set(key, plans.target(fromUri, path));
      return targets.get(key);
    },
  };
  const inheritingOf = new Map<WorkItem, WorkItem[]>();
  for (const reference of crossFile) {
    const targetUri = plans.target(uri, reference.file!);
    const entity = targetUri ? plans.modelOf(targetUri)?.entitiesById.get(reference.id)?.[0] : undefined;
    if (!targetUri || !entity || (entity.kind !== 'task' && entity.kind !== 'milestone')) continue;
    let closure = closures.get(entity);
    if (!closure) {
      closure = waitsFor(targetUri, entity, cachedPlans, budget);
      closures.set(entity, closure);
    }
    const holder = reference.holder as WorkItem;
    let inheriting = inheritingOf.get(holder);
    if (!inheriting) inheritingOf.set(holder, (inheriting = [holder, ...(holder.kind === 'milestone' ? holder.allTasks : descendantsOf(holder))]));
    const back = inheriting.find((item) => closure.has(item));
    if (!back) continue;
    const chain: Visit[] = [];
    for (let item: WorkItem | undefined = back; item; item = closure.get(item)!.previous) chain.unshift(closure.get(item)!);
    const names = [back, ...chain.map((visit) => visit.item)].map((item, index) => {
      const visit = index === 0 ? closure.get(back)! : chain[index - 1];
      return sameFile(visit.uri, uri) ? nameOf(item) : `${relativePath(uri, visit.uri)}#${nameOf(item)}`;
    });
    context.report({
      rule: 'dependency-cycle',
      span: reference.span,
      message: `Dependency cycle across plans: ${names.join(' → ')}; remove one of these dependencies.`,
    });
  }
}

/** Everything `start` waits for, across files, each with the item it was reached from. */
function waitsFor(startUri: string, start: WorkItem, plans: PlanLookup, budget: { steps: number }): Map<WorkItem, Visit> {
  const visited = new Map<WorkItem, Visit>([[start, { uri: startUri, item: start, previous: undefined }]]);
  const queue: Visit[] = [visited.get(start)!];
  const visit = (uri: string, item: WorkItem, from: WorkItem) => {
    if (visited.has(item) || budget.steps <= 0) return;
    budget.steps--;
    const entry = { uri, item, previous: from };
    visited.set(item, entry);
    queue.push(entry);
  };
  // Parents and milestones whose entries a visited task has already followed as inherited: a later
  // subtask would only find them visited (and so would everything above), so a parent's entries are
  // followed once, not once per subtask.
  const inheritedFollowed = new Set<WorkItem>();
  for (let head = 0; head < queue.length; head++) {
    const { uri, item } = queue[head];
    const model = plans.modelOf(uri);
    if (!model) continue;
    const follow = (references: readonly Reference[]) => {
      for (const reference of references) {
        if (--budget.steps < 0) return;
        if (reference.file === undefined) {
          const local = resolveLocalItem(model, reference);
          if (local) visit(uri, local, item);
          continue;
        }
        const otherUri = plans.target(uri, reference.file);
        const other = otherUri ? plans.modelOf(otherUri)?.entitiesById.get(reference.id)?.[0] : undefined;
        if (otherUri && other && (other.kind === 'task' || other.kind === 'milestone')) visit(otherUri, other, item);
      }
    };
    follow(item.dependsOn);
    if (item.kind === 'task') {
      const above: WorkItem[] = [];
      for (let parent = item.parent; parent; parent = parent.parent) above.push(parent);
      above.push(item.milestone);
      for (const holder of above) {
        if (inheritedFollowed.has(holder)) break;
        inheritedFollowed.add(holder);
        follow(holder.dependsOn);
      }
    }
    for (const child of item.tasks) visit(uri, child, item);
  }
  return visited;
}

function sameFile(a: string, b: string): boolean {
  try {
    return a === b || URI.parse(a).toString() === URI.parse(b).toString();
  } catch {
    return a === b;
  }
}

/** `to` as a path relative to the folder of `from` (both file URIs), as a reference would write it. */
function relativePath(from: string, to: string): string {
  try {
    const base = URI.parse(from);
    const target = URI.parse(to);
    if (base.scheme !== target.scheme || base.authority !== target.authority) return to;
    const folder = base.path.split('/').slice(0, -1);
    const segments = target.path.split('/');
    let common = 0;
    while (common < folder.length && common < segments.length - 1 && folder[common] === segments[common]) common++;
    return [...folder.slice(common).map(() => '..'), ...segments.slice(common)].join('/');
  } catch {
    return to;
  }
}
