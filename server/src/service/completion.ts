import planSchema from '../../../schemas/plan.schema.json';
import { resolveRelative, type PlanAnalysis } from './analysis';
import { formatDay, weekdayOf, type Day } from './calendar';
import { isScalar, isSeq } from 'yaml';
import { analyzeCursor, type CursorContext, type CursorLines, type PathSegment, type TextOutline } from './cursorContext';
import type { FeatureEnvironment } from './environment';
import { descendantsOf, type Entity, type Goal, type PlanModel, type Person, type Reference, type Task, type WorkItem } from './model';
import { isClosed, progressOf, statusOf } from './rules/context';
import { resolveLocalItem } from './scheduler';
import type { Position, TextEdit } from './types';

// Completion for plan files: people, task and milestone ids (never one that
// would close a dependency cycle), goals, enum values, dates, the keys the
// schema allows at the cursor, and snippets for new entries. The cursor's
// place comes from the text (cursorContext.ts), so half-typed and broken
// files complete as well as valid ones; what the items say (names, computed
// dates, load) comes from the analysis.

// ── LSP-shaped types (structurally identical to the protocol's) ────────

/** LSP CompletionItemKind numbers. */
export const CompletionItemKind = {
  Text: 1,
  Function: 3,
  Field: 5,
  Variable: 6,
  Property: 10,
  Value: 12,
  Keyword: 14,
  Snippet: 15,
  Reference: 18,
  EnumMember: 20,
  Constant: 21,
  Event: 23,
} as const;

/** LSP InsertTextFormat: 1 plain text, 2 snippet. */
export const InsertTextFormat = { PlainText: 1, Snippet: 2 } as const;

export interface MarkupContent {
  kind: 'markdown';
  value: string;
}

export interface Command {
  title: string;
  command: string;
  arguments?: unknown[];
}

/** The LSP CompletionItemKind range (1–25). */
export type CompletionItemKindNumber = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12 | 13 | 14 | 15 | 16 | 17 | 18 | 19 | 20 | 21 | 22 | 23 | 24 | 25;

export interface CompletionItem {
  label: string;
  kind?: CompletionItemKindNumber;
  detail?: string;
  documentation?: MarkupContent;
  sortText?: string;
  filterText?: string;
  textEdit?: TextEdit;
  insertTextFormat?: 1 | 2;
  /** LSP InsertTextMode: 1 = as is (multi-line texts carry their own indentation). */
  insertTextMode?: 1 | 2;
  /** LSP CompletionItemTag: 1 = deprecated. */
  tags?: 1[];
  /** Run after inserting, e.g. to suggest the value right after a key. */
  command?: Command;
  /** What completionItem/resolve needs to fill in the documentation later. */
  data?: unknown;
}

export interface CompletionList {
  isIncomplete: boolean;
  items: CompletionItem[];
}

const TRIGGER_SUGGEST: Command = { title: 'Suggest', command: 'editor.action.triggerSuggest' };

// ── the schema ─────────────────────────────────────────────────────────

interface JsonSchema {
  $ref?: string;
  description?: string;
  'x-expected'?: string;
  type?: string;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  enum?: string[];
  required?: string[];
}

const SCHEMA = planSchema as unknown as JsonSchema & { definitions: Record<string, JsonSchema> };

interface SchemaNode {
  schema: JsonSchema;
  /** The definition the node refers to (`task`, `personRef`, …); `plan` for the root. */
  def: string | undefined;
  /** The property's own description, else its definition's. */
  description: string | undefined;
  expected: string | undefined;
}

function resolveSchema(schema: JsonSchema): SchemaNode {
  let target = schema;
  let def: string | undefined;
  if (schema.$ref) {
    def = schema.$ref.replace('#/definitions/', '');
    target = SCHEMA.definitions[def] ?? {};
  }
  return { schema: target, def, description: schema.description ?? target.description, expected: schema['x-expected'] ?? target['x-expected'] };
}

const ROOT: SchemaNode = { schema: SCHEMA, def: 'plan', description: SCHEMA.description, expected: SCHEMA['x-expected'] };

function childNode(node: SchemaNode, segment: PathSegment): SchemaNode | undefined {
  if (segment.kind === 'key') {
    const property = node.schema.properties?.[segment.name];
    if (property) return resolveSchema(property);
    const additional = node.schema.additionalProperties;
    return typeof additional === 'object' ? resolveSchema(additional) : undefined;
  }
  const items = node.schema.items ?? node.schema.anyOf?.find((branch) => branch.items)?.items;
  return items ? resolveSchema(items) : undefined;
}

/** The schema node at each step of the path, the root first; undefined past an unknown key. */
function walkSchema(path: PathSegment[]): SchemaNode[] | undefined {
  const nodes = [ROOT];
  for (const segment of path) {
    const next = childNode(nodes[nodes.length - 1], segment);
    if (!next) return undefined;
    nodes.push(next);
  }
  return nodes;
}

const isObject = (node: SchemaNode) => node.schema.type === 'object';
const isArray = (node: SchemaNode) => node.schema.type === 'array';

type ValueKind = { kind: 'person' | 'item' | 'goal' | 'date' | 'boolean' } | { kind: 'enum'; def: string; values: string[] };

function valueKindOf(node: SchemaNode): ValueKind | undefined {
  switch (node.def) {
    case 'personRef':
      return { kind: 'person' };
    case 'itemRef':
      return { kind: 'item' };
    case 'goalRef':
      return { kind: 'goal' };
    case 'date':
      return { kind: 'date' };
  }
  if (node.schema.enum) return { kind: 'enum', def: node.def ?? '', values: node.schema.enum };
  if (node.schema.type === 'boolean') return { kind: 'boolean' };
  for (const branch of node.schema.anyOf ?? []) {
    if (branch.enum && branch.type === 'string') return { kind: 'enum', def: node.def ?? '', values: branch.enum };
    if (branch.$ref) {
      const kind = valueKindOf(resolveSchema(branch));
      if (kind) return kind;
    }
  }
  return undefined;
}

/** What each enum value means, shown beside it. */
const VALUE_NOTES: Record<string, Record<string, string>> = {
  taskStatus: {
    planned: 'Not started (the same as no status).',
    'in-progress': 'Work has started.',
    blocked: 'Work cannot go on until something else happens.',
    done: 'Finished; carries no load.',
    dropped: 'Will not be done; carries no load and counts as closed.',
  },
  riskStatus: {
    open: 'May still happen.',
    mitigated: 'The response has made it unlikely or harmless.',
    occurred: 'It has happened.',
    closed: 'No longer applies.',
  },
  level: { low: 'Low.', medium: 'Medium.', high: 'High.' },
  weekday: { mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday', sun: 'Sunday' },
  allocation: { dedicated: 'All of their time (100%).', shared: 'Half of their time (50%).' },
};

const WEEKDAY_LONG = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** Definitions of list entries that get a "new entry" snippet. */
const ENTRY_DEFS = new Set(['goal', 'milestone', 'task', 'risk', 'metric', 'tool', 'change']);

// ── entry point ────────────────────────────────────────────────────────

/**
 * Completions at `position`. `today` is the real today (for date
 * suggestions); it defaults to the analysis' status date. `environment`
 * (optional) lets `other.plan.yaml#…` complete the other plan's ids.
 */
export function getCompletions(
  analysis: PlanAnalysis,
  position: Position,
  today: Day = analysis.asOf,
  environment?: FeatureEnvironment,
  options: { deferDocumentation?: boolean } = {},
): CompletionList {
  const text = analysis.document.text;
  const offset = analysis.lines.offsetAt(position);
  const { context, outline } = analyzeCursor(text, offset, { index: analysis.lines, feed: milestoneLinesAround(analysis, offset) });
  if (!context) return { isIncomplete: false, items: [] };
  const nodes = walkSchema(context.path);
  if (!nodes) return { isIncomplete: false, items: [] };
  const completer = new Completer(analysis, context, outline, nodes, offset, today, environment, options.deferDocumentation === true);
  const items = completer.complete();
  items.forEach((item, index) => (item.sortText = String(index).padStart(5, '0')));
  return { isIncomplete: completer.truncated, items };
}

/**
 * In a plan that parsed cleanly, the context of a cursor inside a milestone
 * depends on the lines before `milestones:` and on that milestone's own lines
 * only: the other milestones (most of a big plan) need not be read again.
 */
export function milestoneLinesAround(analysis: PlanAnalysis, offset: number): CursorLines['feed'] {
  const root = analysis.parsed.root;
  if (!root || analysis.parsed.problems.length > 0) return undefined;
  const pair = root.items.find((item) => isScalar(item.key) && item.key.value === 'milestones');
  const list = pair?.value;
  if (!pair || !isScalar(pair.key) || !list || !isSeq(list) || list.flow || !pair.key.range) return undefined;
  const items = list.items as { range?: number[] | null }[];
  let index = -1;
  for (let candidate = 0; candidate < items.length; candidate++) {
    const start = items[candidate]?.range?.[0];
    if (start === undefined) return undefined;
    if (start <= offset) index = candidate;
    else break;
  }
  if (index < 0) return undefined;
  const lines = analysis.lines;
  const keyLine = lines.positionAt(pair.key.range[0]).line;
  const itemLine = lines.positionAt(items[index].range![0]).line;
  const nextStart = items[index + 1]?.range?.[0];
  // The item ends before the line the next item starts on; the last one runs to the next root key.
  const endLine = nextStart !== undefined ? lines.positionAt(nextStart).line : lines.positionAt(list.range?.[1] ?? analysis.document.text.length).line + 1;
  const cursorLine = lines.positionAt(offset).line;
  if (cursorLine < itemLine || cursorLine >= endLine) return undefined;
  return [
    [0, keyLine + 1],
    [itemLine, endLine],
  ];
}

interface Holder {
  /** The definition of the entry holding the cursor (task, milestone, risk, tool, change, …). */
  def: string | undefined;
  id: string | undefined;
  entity: Entity | undefined;
  /** Milestone and parent tasks around it, from the text (ids), outermost first. */
  ancestorIds: string[];
  descendantIds: string[];
}

/** Records that `from` waits for `to`. */
function addWaiter(waitingFor: Map<WaitNode, WaitNode[]>, from: WaitNode | undefined, to: WaitNode | undefined): void {
  if (from === undefined || to === undefined) return;
  // A list, not a set: a repeat costs the search one more look-up, and sets cost far more to build.
  const waiters = waitingFor.get(to);
  if (waiters) waiters.push(from);
  else waitingFor.set(to, [from]);
}

const waitersOfModel = new WeakMap<PlanModel, Map<WaitNode, WaitNode[]>>();

/**
 * A node standing for what the items below one item inherit (its entries and
 * what it inherits itself): subtasks wait for it rather than for each entry,
 * so a parent with thousands of entries over thousands of subtasks costs
 * thousands of edges, not millions.
 */
class InheritsNode {}

/** An item by its id, or what the items below one item inherit (an object: no id can be mistaken for it). */
type WaitNode = string | InheritsNode;

/** Id → the ids that wait for it (dependencies, parents, milestones, and what subtasks inherit), built once per model. */
function modelWaiters(model: PlanModel): Map<WaitNode, WaitNode[]> {
  const cached = waitersOfModel.get(model);
  if (cached) return cached;
  const waitingFor = new Map<WaitNode, WaitNode[]>();
  const edge = (from: WaitNode | undefined, to: WaitNode | undefined) => addWaiter(waitingFor, from, to);
  const target = (reference: Reference) => (reference.file === undefined ? resolveLocalItem(model, reference)?.id?.text : undefined);
  // By item, not id: a task without an id still passes its entries down. Only items with
  // something below them have one (nothing would wait for a leaf's).
  const inherits = new Map<WorkItem, InheritsNode>();
  for (const item of [...model.milestones, ...model.tasks]) if (item.tasks.length > 0) inherits.set(item, new InheritsNode());
  const holds = (holder: WorkItem, references: readonly Reference[]) => {
    for (const reference of references) {
      edge(holder.id?.text, target(reference));
      edge(inherits.get(holder), target(reference));
    }
  };
  for (const milestone of model.milestones) {
    holds(milestone, milestone.dependsOn);
    for (const task of milestone.tasks) edge(milestone.id?.text, task.id?.text);
  }
  for (const task of model.tasks) {
    holds(task, task.dependsOn);
    const above = inherits.get(task.parent ?? task.milestone);
    edge(task.id?.text, above);
    edge(inherits.get(task), above);
    for (const child of task.tasks) edge(task.id?.text, child.id?.text);
  }
  waitersOfModel.set(model, waitingFor);
  return waitingFor;
}

const itemsInOrderOfModel = new WeakMap<PlanModel, readonly WorkItem[]>();

/** The milestones and tasks that have an id, in the order of the text (built once per model). */
function itemsInTextOrder(model: PlanModel): readonly WorkItem[] {
  let items = itemsInOrderOfModel.get(model);
  if (!items) {
    items = [...model.milestones, ...model.tasks].filter((item) => item.id).sort((a, b) => a.anchor[0] - b.anchor[0]);
    itemsInOrderOfModel.set(model, items);
  }
  return items;
}

/** More candidates than this are cut to the best matches, and the list is marked incomplete (the editor asks again as you type). */
const MAX_ITEMS = 150;

class Completer {
  private readonly model: PlanModel;
  private readonly node: SchemaNode;
  /** Set when candidates were left out: the client re-asks as the user types. */
  truncated = false;
  private ownedTasks: Map<string, Task[]> | undefined;

  constructor(
    private readonly analysis: PlanAnalysis,
    private readonly context: CursorContext,
    private readonly outline: TextOutline,
    private readonly nodes: SchemaNode[],
    private readonly offset: number,
    private readonly today: Day,
    private readonly environment: FeatureEnvironment | undefined,
    private readonly deferDocumentation: boolean,
  ) {
    this.model = analysis.model;
    this.node = nodes[nodes.length - 1];
  }

  complete(): CompletionItem[] {
    const { context, node } = this;
    const last = context.path[context.path.length - 1];
    if (context.mode === 'key' || (context.mode === 'block' && isObject(node))) {
      if (node.schema.properties) return this.keys(node);
      // `people` is keyed by id: nothing to list, but a new person to add.
      return node === this.nodes[1] && last?.kind === 'key' && last.name === 'people' && !context.flow ? this.personSnippet() : [];
    }
    if (context.mode === 'block') {
      if (isArray(node)) {
        const entry = childNode(node, { kind: 'item', fields: new Map(), descendantIds: [] });
        return entry ? this.entryValue(entry, 'dash') : [];
      }
      return this.values(node, 'plain');
    }
    if (isArray(node)) {
      // `depends_on: |`: an entry, written as a one-entry flow list.
      const entry = childNode(node, { kind: 'item', fields: new Map(), descendantIds: [] });
      return entry && !isObject(entry) && !context.flow ? this.values(entry, 'brackets') : [];
    }
    if (last?.kind === 'item') return this.entryValue(node, context.needsDash ? 'dash' : 'plain');
    return isObject(node) ? [] : this.values(node, 'plain');
  }

  /** A list entry: a new mapping (snippet, or its first key) or a scalar. */
  private entryValue(entry: SchemaNode, wrap: 'plain' | 'dash'): CompletionItem[] {
    if (!isObject(entry)) return this.values(entry, wrap);
    if (this.context.flow) return [];
    const items = this.snippets(entry, wrap);
    if (wrap === 'plain') items.push(...this.keys(entry));
    return items;
  }

  // ── edits ──

  private edit(newText: string): TextEdit {
    return { range: this.analysis.lines.rangeOf(this.context.replace), newText: (this.context.needsSpace ? ' ' : '') + newText };
  }

  private scalarEdit(text: string, wrap: 'plain' | 'dash' | 'brackets'): TextEdit {
    return this.edit(wrap === 'brackets' ? `[${text}]` : wrap === 'dash' ? `- ${text}` : text);
  }

  // ── values ──

  private values(node: SchemaNode, wrap: 'plain' | 'dash' | 'brackets'): CompletionItem[] {
    const kind = valueKindOf(node);
    if (!kind) return [];
    switch (kind.kind) {
      case 'person':
        return this.people(wrap);
      case 'item':
        return this.workItems(wrap);
      case 'goal':
        return this.goals(wrap);
      case 'date':
        return this.dates(wrap);
      case 'enum':
        return this.enumValues(kind.def, kind.values, wrap);
      case 'boolean':
        return ['true', 'false'].map((value) => ({ label: value, kind: CompletionItemKind.Keyword, detail: this.node.expected, documentation: markdown(this.propertyDoc()), textEdit: this.scalarEdit(value, wrap) }));
    }
  }

  /** The key whose value is completed (`depends_on` for an entry of its list). */
  private property(): string | undefined {
    for (let index = this.context.path.length - 1; index >= 0; index--) {
      const segment = this.context.path[index];
      if (segment.kind === 'key') return segment.name;
    }
    return undefined;
  }

  private propertyNode(): SchemaNode {
    for (let index = this.context.path.length - 1; index >= 0; index--) if (this.context.path[index].kind === 'key') return this.nodes[index + 1];
    return this.node;
  }

  private propertyDoc(): string {
    const property = this.property();
    const description = this.propertyNode().description ?? '';
    return property ? `\`${property}\`: ${description}` : description;
  }

  private people(wrap: 'plain' | 'dash' | 'brackets'): CompletionItem[] {
    const listed = new Set(this.context.listEntries);
    const items: CompletionItem[] = [];
    for (const [id, person] of this.model.people) {
      if (listed.has(id)) continue;
      const detail = [person.name?.text, person.role?.text].filter((part) => part).join(' · ');
      items.push({
        label: id,
        kind: CompletionItemKind.Reference,
        detail: detail || undefined,
        ...(this.deferDocumentation ? { data: { blueprint: 'person', id, uri: this.analysis.document.uri } } : { documentation: markdown(personDoc(this.analysis, this.today, id, person, this.tasksOwnedBy(id))) }),
        textEdit: this.scalarEdit(id, wrap),
      });
    }
    for (const person of this.outline.people) {
      if (this.model.people.has(person.id) || listed.has(person.id)) continue;
      items.push({ label: person.id, kind: CompletionItemKind.Reference, textEdit: this.scalarEdit(person.id, wrap) });
    }
    return items;
  }



  /** Tasks by owner, grouped once per request rather than once per person. */
  private tasksOwnedBy(id: string): Task[] {
    if (!this.ownedTasks) {
      this.ownedTasks = new Map();
      for (const task of this.model.tasks) {
        const owner = task.owner?.text;
        if (owner === undefined) continue;
        const list = this.ownedTasks.get(owner);
        if (list) list.push(task);
        else this.ownedTasks.set(owner, [task]);
      }
    }
    return this.ownedTasks.get(id) ?? [];
  }

  /**
   * In a big plan, the ids that match what is typed (letters in order, as the
   * editor filters), nearest to the cursor first, at most MAX_ITEMS of them.
   */
  private bestCandidates(all: WorkItem[]): WorkItem[] {
    if (all.length <= MAX_ITEMS) return all;
    const typed = this.context.prefix.toLowerCase();
    const matches = (id: string) => {
      let at = 0;
      for (const ch of id.toLowerCase()) if (ch === typed[at]) at++;
      return at === typed.length;
    };
    const candidates = all.filter((item) => item.id && matches(item.id.text));
    // Filtered by what is typed: deleting a letter must ask again.
    this.truncated = candidates.length < all.length;
    if (candidates.length <= MAX_ITEMS) return candidates;
    this.truncated = true;
    const distance = (item: WorkItem) => Math.abs(item.anchor[0] - this.offset);
    return candidates.sort((a, b) => distance(a) - distance(b)).slice(0, MAX_ITEMS).sort((a, b) => a.anchor[0] - b.anchor[0]);
  }

  private workItems(wrap: 'plain' | 'dash' | 'brackets'): CompletionItem[] {
    const { model, context } = this;
    const property = this.property();
    const listed = new Set(context.listEntries);
    const hashAt = context.prefix.lastIndexOf('#');
    if (hashAt !== -1) return this.crossFileItems(context.prefix.slice(0, hashAt), listed, wrap);
    const excludedIds = new Set(listed);
    if (property === 'depends_on') for (const id of this.cycleMakers(this.holder())) excludedIds.add(id);
    const items: CompletionItem[] = [];
    const seen = new Set<string>();
    const all = this.bestCandidates(itemsInTextOrder(model).filter((item) => !excludedIds.has(item.id!.text)));
    for (const item of all) {
      const id = item.id?.text;
      if (!id || seen.has(id)) continue;
      seen.add(id);
      items.push({
        label: id,
        kind: item.kind === 'milestone' ? CompletionItemKind.Event : CompletionItemKind.Function,
        detail: this.itemDetail(item),
        ...(this.deferDocumentation ? { data: { blueprint: 'item', id, uri: this.analysis.document.uri } } : { documentation: markdown(itemDoc(this.analysis, item)) }),
        textEdit: this.scalarEdit(id, wrap),
      });
    }
    // Entries the parser lost in a broken file are still in the text.
    for (const entry of this.outline.items) {
      if ((entry.kind !== 'task' && entry.kind !== 'milestone') || seen.has(entry.id) || model.entitiesById.has(entry.id)) continue;
      seen.add(entry.id);
      if (excludedIds.has(entry.id)) continue;
      items.push({
        label: entry.id,
        kind: entry.kind === 'milestone' ? CompletionItemKind.Event : CompletionItemKind.Function,
        detail: [entry.kind === 'milestone' ? 'Milestone' : undefined, entry.title].filter(Boolean).join(': ') || undefined,
        textEdit: this.scalarEdit(entry.id, wrap),
      });
    }
    return items;
  }

  private crossFileItems(path: string, listed: Set<string>, wrap: 'plain' | 'dash' | 'brackets'): CompletionItem[] {
    if (!this.environment || !/\.plan\.ya?ml$/.test(path)) return [];
    const uri = resolveRelative(this.analysis.document.uri, path);
    const other = uri ? this.environment.analyzeUri(uri) : undefined;
    if (!other) return [];
    const items: CompletionItem[] = [];
    const all: WorkItem[] = [...other.model.milestones, ...other.model.tasks].sort((a, b) => a.anchor[0] - b.anchor[0]);
    for (const item of all) {
      const label = `${path}#${item.id?.text ?? ''}`;
      if (!item.id || listed.has(label) || items.some((existing) => existing.label === label)) continue;
      const scheduled = other.schedule.items.get(item);
      const dates = scheduled ? `${formatDay(scheduled.start)} → ${formatDay(scheduled.end)}` : undefined;
      items.push({
        label,
        kind: item.kind === 'milestone' ? CompletionItemKind.Event : CompletionItemKind.Function,
        detail: [item.kind === 'milestone' ? `Milestone: ${item.title?.text ?? ''}` : item.title?.text, dates].filter(Boolean).join(' · ') || undefined,
        filterText: label,
        textEdit: this.scalarEdit(label, wrap),
      });
    }
    return items;
  }

  private itemDetail(item: WorkItem): string | undefined {
    const scheduled = this.analysis.schedule.items.get(item);
    const dates = scheduled ? `${formatDay(scheduled.start)} → ${formatDay(scheduled.end)}` : undefined;
    if (item.kind === 'milestone') {
      const due = item.due?.day !== undefined ? `due ${formatDay(item.due.day)}` : undefined;
      return [`Milestone: ${item.title?.text ?? item.id?.text ?? ''}`, dates, due].filter(Boolean).join(' · ');
    }
    return [item.title?.text, dates].filter(Boolean).join(' · ') || undefined;
  }



  /** The entry holding the cursor, in the text and, when the parser read it, in the model. */
  private holder(): Holder {
    const entries: { def: string; segment: Extract<PathSegment, { kind: 'item' }> }[] = [];
    this.context.path.forEach((segment, index) => {
      const def = this.nodes[index + 1].def;
      if (segment.kind === 'item' && def && ENTRY_DEFS.has(def)) entries.push({ def, segment });
    });
    const own = entries[entries.length - 1];
    if (!own) return { def: undefined, id: undefined, entity: undefined, ancestorIds: [], descendantIds: [] };
    const id = own.segment.fields.get('id');
    const ancestorIds = entries
      .slice(0, -1)
      .filter((entry) => entry.def === 'milestone' || entry.def === 'task')
      .flatMap((entry) => (entry.segment.fields.get('id') ? [entry.segment.fields.get('id')!] : []));
    return { def: own.def, id, entity: this.findEntity(own.def, id), ancestorIds, descendantIds: own.segment.descendantIds };
  }

  private findEntity(kind: string, id: string | undefined): Entity | undefined {
    if (kind !== 'goal' && kind !== 'milestone' && kind !== 'task' && kind !== 'risk') return undefined;
    const contains = (entity: Entity) => {
      const range = entity.fields.node.range;
      return range !== undefined && range !== null && range[0] <= this.offset && this.offset <= range[2];
    };
    if (id !== undefined) {
      const candidates = (this.model.entitiesById.get(id) ?? []).filter((entity) => entity.kind === kind);
      return candidates.find(contains) ?? candidates[0];
    }
    // No id typed yet: the innermost entity of that kind around the cursor.
    const pool: Entity[] = kind === 'task' ? this.model.tasks : kind === 'milestone' ? this.model.milestones : kind === 'goal' ? this.model.goals : this.model.risks;
    let best: Entity | undefined;
    for (const entity of pool) if (contains(entity) && (!best || entity.fields.node.range![0] >= best.fields.node.range![0])) best = entity;
    return best;
  }

  /**
   * Ids of items that would close a cycle if added to the holder's
   * depends_on. As in the dependency-cycle rule, A → B when A waits for B:
   * its own and inherited depends_on entries, and containment (a milestone or
   * parent task waits for what it holds). The holder's subtasks inherit the
   * new entry, so X closes a cycle when X reaches the holder, anything inside
   * it, or anything around it. Edges come from the model and from the text,
   * so that a file the parser reads only in part still says what waits for
   * what. (Edges out of the holder never matter here, so the entry being
   * typed cannot skew the answer.)
   */
  private cycleMakers(holder: Holder): Set<string> {
    const { model } = this;
    const targets = new Set<string>([...holder.ancestorIds, ...holder.descendantIds]);
    if (holder.id) targets.add(holder.id);
    const entity = holder.entity;
    if (entity?.kind === 'task' || entity?.kind === 'milestone') {
      const around: WorkItem[] = [entity, ...(entity.kind === 'task' ? [...descendantsOf(entity), ...ancestorsOf(entity)] : entity.allTasks)];
      for (const item of around) if (item.id) targets.add(item.id.text);
    }
    if (targets.size === 0) return targets;
    const fromModel = modelWaiters(model);
    const waitingFor = new Map<WaitNode, WaitNode[]>();
    const edge = (from: WaitNode | undefined, to: WaitNode | undefined) => addWaiter(waitingFor, from, to);
    const outlineInherits = new Map<string, InheritsNode>();
    const inheritedFrom = (id: string) => {
      let node = outlineInherits.get(id);
      if (!node) outlineInherits.set(id, (node = new InheritsNode()));
      return node;
    };
    const outline = new Map(this.outline.items.filter((item) => item.kind === 'task' || item.kind === 'milestone').map((item) => [item.id, item]));
    const parents = new Set<string | undefined>();
    for (const item of outline.values()) parents.add(item.parentId);
    for (const item of outline.values()) {
      edge(item.parentId, item.id);
      // What an item inherits goes through the node of its parent, as in modelWaiters (only items with something below have one).
      const passesDown = item.id !== undefined && parents.has(item.id);
      for (const dependency of item.dependsOn) {
        edge(item.id, dependency);
        if (passesDown) edge(inheritedFrom(item.id!), dependency);
      }
      if (item.id !== undefined && item.parentId !== undefined) {
        edge(item.id, inheritedFrom(item.parentId));
        if (passesDown) edge(inheritedFrom(item.id), inheritedFrom(item.parentId));
      }
    }
    const reached = new Set<WaitNode>(targets);
    const queue: WaitNode[] = [...targets];
    const reach = (waiters: readonly WaitNode[] | undefined) => {
      if (waiters === undefined) return;
      for (const waiter of waiters) {
        if (!reached.has(waiter)) {
          reached.add(waiter);
          queue.push(waiter);
        }
      }
    };
    while (queue.length > 0) {
      const next = queue.pop()!;
      reach(fromModel.get(next));
      reach(waitingFor.get(next));
    }
    const ids = new Set<string>();
    for (const node of reached) if (typeof node === 'string') ids.add(node);
    return ids;
  }

  private goals(wrap: 'plain' | 'dash' | 'brackets'): CompletionItem[] {
    const listed = new Set(this.context.listEntries);
    const items: CompletionItem[] = [];
    const seen = new Set<string>();
    for (const goal of this.model.goals) {
      const id = goal.id?.text;
      if (!id || seen.has(id)) continue;
      seen.add(id);
      if (listed.has(id)) continue;
      items.push({ label: id, kind: CompletionItemKind.Constant, detail: goal.title?.text, documentation: markdown(goalDoc(this.analysis, goal)), textEdit: this.scalarEdit(id, wrap) });
    }
    for (const entry of this.outline.items) {
      if (entry.kind !== 'goal' || seen.has(entry.id) || this.model.entitiesById.has(entry.id)) continue;
      seen.add(entry.id);
      if (!listed.has(entry.id)) items.push({ label: entry.id, kind: CompletionItemKind.Constant, detail: entry.title, textEdit: this.scalarEdit(entry.id, wrap) });
    }
    return items;
  }

  private enumValues(def: string, values: string[], wrap: 'plain' | 'dash' | 'brackets'): CompletionItem[] {
    const listed = new Set(this.context.listEntries);
    const notes = VALUE_NOTES[def] ?? {};
    return values
      .filter((value) => !listed.has(value))
      .map((value) => ({
        label: value,
        kind: CompletionItemKind.EnumMember,
        detail: notes[value],
        documentation: markdown(this.propertyDoc()),
        textEdit: this.scalarEdit(value, wrap),
      }));
  }

  private dates(wrap: 'plain' | 'dash' | 'brackets'): CompletionItem[] {
    const { model, analysis, today } = this;
    const key = this.property();
    const container = this.containerDef();
    const candidates: { day: Day; why: string }[] = [];
    const add = (day: Day | undefined, why: string) => {
      if (day !== undefined) candidates.push({ day, why });
    };
    add(today, 'today');
    if (!(container === 'plan' && key === 'start')) add(model.header.start?.day, 'plan start');
    const holder = this.holder();
    const entity = holder.entity;
    const milestone = entity?.kind === 'task' ? entity.milestone : undefined;
    if (milestone && milestone.due?.day !== undefined) add(milestone.due.day, `due of milestone \`${milestone.id?.text ?? '?'}\``);
    else if (!milestone && holder.def === 'task' && holder.ancestorIds.length > 0) {
      const textMilestone = model.entitiesById.get(holder.ancestorIds[0])?.[0];
      if (textMilestone?.kind === 'milestone') add(textMilestone.due?.day, `due of milestone \`${holder.ancestorIds[0]}\``);
    }
    const scheduled = entity && (entity.kind === 'task' || entity.kind === 'milestone') ? analysis.schedule.items.get(entity) : undefined;
    if (scheduled && entity?.kind === 'task') {
      if (key === 'start') add(scheduled.start, 'computed start');
      if (key === 'end') add(scheduled.end, 'computed end');
    }
    if (scheduled && entity?.kind === 'milestone' && key === 'due' && entity.tasks.length > 0) add(scheduled.end, 'computed end of its tasks');
    if (!(container === 'plan' && key === 'end')) add(model.header.end?.day, 'plan end');

    const merged = new Map<Day, string[]>();
    for (const candidate of candidates) {
      const reasons = merged.get(candidate.day);
      if (reasons) reasons.push(candidate.why);
      else merged.set(candidate.day, [candidate.why]);
    }
    const listed = new Set(this.context.listEntries);
    const items: CompletionItem[] = [];
    for (const [day, reasons] of merged) {
      const iso = formatDay(day);
      if (listed.has(iso)) continue;
      const working = analysis.schedule.calendar.isWorkingDay(day) ? 'a working day' : 'not a working day';
      items.push({
        label: iso,
        kind: CompletionItemKind.Value,
        detail: reasons.join(' · '),
        documentation: markdown(`${WEEKDAY_LONG[weekdayOf(day)]} ${iso} (${working})\n\n${this.propertyDoc()}`),
        textEdit: this.scalarEdit(iso, wrap),
      });
    }
    return items;
  }

  /** The definition of the mapping that holds the key being completed. */
  private containerDef(): string | undefined {
    for (let index = this.context.path.length - 1; index >= 0; index--) {
      if (this.context.path[index].kind === 'key') return this.nodes[index].def;
    }
    return undefined;
  }

  // ── keys ──

  private keys(node: SchemaNode): CompletionItem[] {
    const { context } = this;
    const present = context.presentKeys;
    const required = new Set(node.schema.required ?? []);
    const items: CompletionItem[] = [];
    for (const [name, property] of Object.entries(node.schema.properties ?? {})) {
      if (present.has(name)) continue;
      // A task has `end` or `duration`, never both.
      if (node.def === 'task' && ((name === 'end' && present.has('duration')) || (name === 'duration' && present.has('end')))) continue;
      const propertyNode = resolveSchema(property);
      const insert = this.keyInsert(name, propertyNode);
      items.push({
        label: name,
        kind: CompletionItemKind.Property,
        detail: `${propertyNode.expected ?? ''}${required.has(name) ? ' (required)' : ''}`.trim() || undefined,
        documentation: markdown(propertyNode.description ?? ''),
        textEdit: this.edit(insert.text),
        insertTextFormat: insert.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
        ...(insert.text.includes('\n') ? { insertTextMode: 1 as const } : {}),
        ...(insert.suggest ? { command: TRIGGER_SUGGEST } : {}),
      });
    }
    return items;
  }

  private keyInsert(name: string, property: SchemaNode): { text: string; snippet: boolean; suggest: boolean } {
    const { context } = this;
    if (context.colonFollows) return { text: name, snippet: false, suggest: false };
    const indent = ' '.repeat(context.column + 2);
    if (isArray(property)) {
      const entry = childNode(property, { kind: 'item', fields: new Map(), descendantIds: [] });
      if (entry && isObject(entry)) {
        return context.flow ? { text: `${name}: [{ $1 }]`, snippet: true, suggest: true } : { text: `${name}:\n${indent}- $0`, snippet: true, suggest: true };
      }
      return { text: `${name}: [$1]`, snippet: true, suggest: entry !== undefined && valueKindOf(entry) !== undefined };
    }
    if (isObject(property)) {
      return context.flow ? { text: `${name}: { $1 }`, snippet: true, suggest: true } : { text: `${name}:\n${indent}$0`, snippet: true, suggest: true };
    }
    return { text: `${name}: `, snippet: false, suggest: valueKindOf(property) !== undefined };
  }

  // ── snippets for new entries ──

  private snippets(entry: SchemaNode, wrap: 'plain' | 'dash'): CompletionItem[] {
    const body = this.snippetBody(entry.def);
    if (!body) return [];
    const column = this.context.column + (wrap === 'dash' ? 2 : 0);
    const text = (wrap === 'dash' ? '- ' : '') + body.lines.join(`\n${' '.repeat(column)}`);
    return [
      {
        label: entry.def!,
        kind: CompletionItemKind.Snippet,
        detail: body.detail,
        documentation: markdown(`${entry.description ?? ''}\n\n\`\`\`yaml\n${body.lines.map(plainSnippet).join('\n')}\n\`\`\``),
        textEdit: this.edit(text),
        insertTextFormat: InsertTextFormat.Snippet,
        insertTextMode: 1,
      },
    ];
  }

  private personSnippet(): CompletionItem[] {
    let id = 'new-person';
    for (let count = 2; this.model.people.has(id); count++) id = `new-person-${count}`;
    const text = `\${1:${id}}: { name: \${2:Full Name}, role: \${3:Role}, allocation: \${4|dedicated,shared,50%|} }$0`;
    return [
      {
        label: 'person',
        kind: CompletionItemKind.Snippet,
        detail: 'New person: id, name, role, allocation',
        documentation: markdown(`${SCHEMA.definitions.person.description ?? ''}\n\n\`\`\`yaml\n${plainSnippet(text)}\n\`\`\``),
        textEdit: this.edit(text),
        insertTextFormat: InsertTextFormat.Snippet,
      },
    ];
  }

  private snippetBody(def: string | undefined): { detail: string; lines: string[] } | undefined {
    const { model } = this;
    const people = [...model.people.keys()];
    const choice = (index: number, values: string[], fallback: string) =>
      values.length > 0 ? `\${${index}|${values.map(escapeChoice).join(',')}|}` : `\${${index}:${fallback}}`;
    const freeId = (base: string) => {
      let id = base;
      for (let count = 2; model.entitiesById.has(id) || this.outline.items.some((item) => item.id === id); count++) id = `${base}-${count}`;
      return id;
    };
    const planEnd = model.header.end?.day !== undefined ? formatDay(model.header.end.day) : formatDay(this.today);
    const goalIds = model.goals.flatMap((goal) => (goal.id ? [goal.id.text] : []));
    switch (def) {
      case 'task':
        return {
          detail: 'New task: id, title, owner, duration',
          lines: [`id: \${1:${freeId('new-task')}}`, 'title: ${2:Title}', `owner: ${choice(3, people, 'owner')}`, 'duration: ${4:5d}$0'],
        };
      case 'milestone':
        return {
          detail: 'New milestone: id, title, due, owner, goals and a first task',
          lines: [
            `id: \${1:${freeId('new-milestone')}}`,
            'title: ${2:Title}',
            `due: \${3:${planEnd}}`,
            `owner: ${choice(4, people, 'owner')}`,
            `goals: [${goalIds.length > 0 ? choice(5, goalIds, '') : '$5'}]`,
            'tasks:',
            `  - id: \${6:${freeId('new-task')}}`,
            '    title: ${7:Title}',
            `    owner: ${choice(8, people, 'owner')}`,
            '    duration: ${9:5d}$0',
          ],
        };
      case 'risk':
        return {
          detail: 'New risk: id, title, likelihood, impact, owner, response',
          lines: [
            `id: \${1:${freeId('new-risk')}}`,
            'title: ${2:What could go wrong}',
            'likelihood: ${3|low,medium,high|}',
            'impact: ${4|low,medium,high|}',
            `owner: ${choice(5, people, 'owner')}`,
            'response: ${6:What is done to prevent or absorb it}$0',
          ],
        };
      case 'goal':
        return {
          detail: 'New goal: id, title, owner and a metric with a target',
          lines: [`id: \${1:${freeId('new-goal')}}`, 'title: ${2:Outcome}', `owner: ${choice(3, people, 'owner')}`, 'metrics:', '  - name: ${4:What is measured}', '    target: ${5:Target}$0'],
        };
      case 'metric':
        return { detail: 'New metric: name, baseline, target, by', lines: ['name: ${1:What is measured}', 'baseline: ${2:Today}', 'target: ${3:Target}', `by: \${4:${planEnd}}$0`] };
      case 'tool':
        return { detail: 'New tool: name, confirmed, needed_by', lines: ['name: ${1:What is needed}', 'confirmed: ${2|false,true|}', 'needed_by: ${3}$0'] };
      case 'change':
        return {
          detail: 'New change: date, summary, approved_by, affects',
          lines: [`date: \${1:${formatDay(this.today)}}`, 'summary: ${2:What changed}', `approved_by: ${choice(3, people, 'person')}`, 'affects: [$4]$0'],
        };
      default:
        return undefined;
    }
  }
}

// ── helpers ────────────────────────────────────────────────────────────

/** The person's current load: allocation, the tasks they own, and what they are booked at today. */
function personDoc(analysis: PlanAnalysis, today: Day, id: string, person: Person, owned: Task[]): string {
  const lines: string[] = [];
  lines.push(`**${person.name?.text ?? id}**${person.role ? ` · ${person.role.text}` : ''}`);
  const allocationPair = person.fields?.pairs.get('allocation');
  const allocationText = allocationPair && person.fields ? textOf(analysis, allocationPair.value) : undefined;
  const percent = formatPercent(person.allocation);
  const allocation = !allocationText ? `dedicated (${percent}, the default)` : allocationText === percent ? percent : `${allocationText} (${percent})`;
  lines.push(`Allocation: ${allocation}`);
  if (owned.length === 0) {
    lines.push('Owns no tasks yet.');
    return lines.join('\n\n');
  }
  const open = owned.filter((task) => !isClosed(statusOf(task)));
  lines.push(`Owns ${plural(owned.length, 'task')}, ${open.length} open:`);
  const shown = owned.slice(0, 12).map((task) => {
    const scheduled = analysis.schedule.items.get(task);
    const dates = scheduled ? `, ${formatDay(scheduled.start)} → ${formatDay(scheduled.end)}` : '';
    return `- \`${task.id?.text ?? '?'}\` ${task.title?.text ?? ''} (${statusOf(task)}${dates})`;
  });
  if (owned.length > shown.length) shown.push(`- … and ${owned.length - shown.length} more`);
  lines.push(shown.join('\n'));
  const active = open.filter((task) => {
    const scheduled = analysis.schedule.items.get(task);
    return task.tasks.length === 0 && scheduled !== undefined && scheduled.start <= today && today <= scheduled.end;
  });
  const load = active.reduce((sum, task) => sum + (task.load?.value ?? person.allocation), 0);
  lines.push(
    active.length === 0
      ? `On ${formatDay(today)}: no task in progress.`
      : `On ${formatDay(today)}: booked at ${formatPercent(load)} of ${formatPercent(person.allocation)} (${active.map((task) => `\`${task.id?.text ?? '?'}\``).join(', ')})${load > person.allocation ? ' — over-allocated' : ''}.`,
  );
  return lines.join('\n\n');
}

/** A task's or milestone's computed dates, slack, status, progress and owner. */
function itemDoc(analysis: PlanAnalysis, item: WorkItem): string {
  const scheduled = analysis.schedule.items.get(item);
  const where =
    item.kind === 'milestone' ? 'milestone' : item.parent ? `subtask of \`${item.parent.id?.text ?? '?'}\`` : `task in milestone \`${item.milestone.id?.text ?? '?'}\``;
  const lines = [`**${item.title?.text ?? item.id?.text ?? ''}** — ${where}`];
  if (scheduled) {
    const length = scheduled.workingDays !== undefined ? ` (${plural(scheduled.workingDays, 'working day')})` : '';
    const slack = scheduled.slack !== undefined ? `, slack ${scheduled.slack}${scheduled.critical ? ' (critical)' : ''}` : '';
    lines.push(`Computed ${formatDay(scheduled.start)} → ${formatDay(scheduled.end)}${length}${slack}`);
  }
  const progress = progressOf(item, analysis.schedule);
  const facts = [`status ${statusOf(item)}`, progress !== undefined ? `progress ${Math.round(progress)}%` : undefined, item.owner ? `owner ${item.owner.text}` : undefined];
  lines.push(facts.filter(Boolean).join(' · '));
  return lines.join('\n\n');
}

/**
 * Fills in the documentation left out of a list made with `deferDocumentation`
 * (LSP completionItem/resolve): a big plan lists many people and tasks, and
 * only the one the user looks at needs its card.
 */
export function resolveCompletionItem(analysis: PlanAnalysis, item: CompletionItem, today: Day = analysis.asOf): CompletionItem {
  const data = item.data as { blueprint?: string; id?: string } | undefined;
  if (!data?.id) return item;
  if (data.blueprint === 'person') {
    const person = analysis.model.people.get(data.id);
    const owned = analysis.model.tasks.filter((task) => task.owner?.text === data.id);
    if (person) return { ...item, documentation: markdown(personDoc(analysis, today, data.id, person, owned)) };
  }
  if (data.blueprint === 'item') {
    const entity = analysis.model.entitiesById.get(data.id)?.[0];
    if (entity && (entity.kind === 'task' || entity.kind === 'milestone')) return { ...item, documentation: markdown(itemDoc(analysis, entity)) };
  }
  return item;
}

function markdown(value: string): MarkupContent {
  return { kind: 'markdown', value };
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function formatPercent(value: number): string {
  return `${Math.round(value * 10) / 10}%`;
}

function escapeChoice(value: string): string {
  return value.replace(/[\\$}|,]/g, (ch) => `\\${ch}`);
}

/** A snippet line as the text it inserts by default, for documentation. */
function plainSnippet(line: string): string {
  return line
    .replace(/\$\{\d+\|([^|]*)\|\}/g, (_match, choices: string) => choices.split(',')[0])
    .replace(/\$\{\d+:([^}]*)\}/g, '$1')
    .replace(/\$\{\d+\}|\$\d+/g, '');
}

function textOf(analysis: PlanAnalysis, node: unknown): string | undefined {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range ? analysis.document.text.slice(range[0], range[1]) : undefined;
}

function ancestorsOf(task: Task): WorkItem[] {
  const result: WorkItem[] = [];
  for (let parent = task.parent; parent; parent = parent.parent) result.push(parent);
  result.push(task.milestone);
  return result;
}

function goalDoc(analysis: PlanAnalysis, goal: Goal): string {
  const lines = [`**${goal.title?.text ?? goal.id?.text ?? ''}**`];
  const outcome = goal.fields.pairs.get('outcome');
  const outcomeText = outcome ? textOf(analysis, outcome.value) : undefined;
  if (outcomeText) lines.push(outcomeText);
  const facts = [goal.owner ? `owner ${goal.owner.text}` : undefined, goal.hasTargetMetric ? 'has a metric with a target' : 'no metric with a target yet'];
  lines.push(facts.filter(Boolean).join(' · '));
  return lines.join('\n\n');
}
