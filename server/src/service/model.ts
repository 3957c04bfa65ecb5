import { isMap, isScalar, isSeq, type Node as YamlNode, type Pair, type Scalar, type YAMLMap } from 'yaml';
import { parseDuration, parseIsoDate, type Day, WEEKDAY_NAMES } from './calendar';
import { AliasResolver, MAX_DEPTH, scalarText, spanOf, type ParsedPlan } from './parse';
import type { Span } from './types';

// The typed plan: every entity, field and reference keeps the span of its
// source text, so rules and editor features can point at exactly what they mean.

export interface TextValue {
  text: string;
  span: Span;
}

export interface DateValue extends TextValue {
  /** Undefined when the text is not a real YYYY-MM-DD date (the schema check reports it). */
  day: Day | undefined;
}

export interface NumberValue {
  value: number;
  span: Span;
}

export interface BooleanValue {
  value: boolean | undefined;
  span: Span;
}

export interface DurationValue extends TextValue {
  keySpan: Span;
  workingDays: number | undefined;
}

export type ReferenceKind = 'person' | 'item' | 'goal';

/** A place in the file that names a person, a task or milestone, or a goal. */
export interface Reference {
  kind: ReferenceKind;
  /** The key it appears under: owner, depends_on, … */
  property: string;
  /** Source text of the entry, e.g. `payment-api` or `../api.plan.yaml#auth`. */
  text: string;
  span: Span;
  /** The id part (after `#` for a cross-file reference). */
  id: string;
  /** Relative path of another plan file, for `path#id` references. */
  file?: string;
  /** The entity whose field holds this reference (undefined at plan level, tools, changes). */
  holder?: Entity;
}

export interface FieldIndex {
  node: YAMLMap;
  pairs: Map<string, Pair>;
  keySpans: Map<string, Span>;
  /** Where diagnostics about the object as a whole go when it has no id. */
  firstKeySpan: Span;
}

export type EntityKind = 'goal' | 'milestone' | 'task' | 'risk';

export interface EntityBase {
  kind: EntityKind;
  id: TextValue | undefined;
  title: TextValue | undefined;
  fields: FieldIndex;
  owner: Reference | undefined;
  /** Set when `owner` is a list (the multiple-owners rule). */
  ownerList: { span: Span; references: Reference[] } | undefined;
  /** The span entity-level findings point at: the id value, else the first key. */
  anchor: Span;
}

export interface Goal extends EntityBase {
  kind: 'goal';
  hasTargetMetric: boolean;
}

export interface Milestone extends EntityBase {
  kind: 'milestone';
  due: DateValue | undefined;
  goals: Reference[];
  dependsOn: Reference[];
  /** Direct tasks, nested as in the file. */
  tasks: Task[];
  /** Every task under this milestone, subtasks included, in document order. */
  allTasks: Task[];
}

export interface Task extends EntityBase {
  kind: 'task';
  start: DateValue | undefined;
  end: DateValue | undefined;
  duration: DurationValue | undefined;
  dependsOn: Reference[];
  contributors: Reference[];
  status: TextValue | undefined;
  progress: NumberValue | undefined;
  load: NumberValue | undefined;
  goals: Reference[];
  links: TextValue[];
  baseline: { start: DateValue | undefined; end: DateValue | undefined } | undefined;
  tasks: Task[];
  parent: Task | undefined;
  milestone: Milestone;
}

export interface Risk extends EntityBase {
  kind: 'risk';
  response: TextValue | undefined;
  affects: Reference[];
  status: TextValue | undefined;
  likelihood: TextValue | undefined;
  impact: TextValue | undefined;
}

export type Entity = Goal | Milestone | Task | Risk;
export type WorkItem = Milestone | Task;

export interface Person {
  key: TextValue;
  name: TextValue | undefined;
  role: TextValue | undefined;
  /** dedicated = 100, shared = 50, or the percentage given; 100 when absent or invalid. */
  allocation: number;
  fields: FieldIndex | undefined;
}

export interface Tool {
  name: TextValue | undefined;
  confirmed: BooleanValue | undefined;
  neededBy: Reference | undefined;
  fields: FieldIndex;
}

export interface Budget {
  keySpan: Span;
  approved: BooleanValue | undefined;
}

export interface Change {
  date: DateValue | undefined;
  summary: TextValue | undefined;
  approvedBy: Reference[];
  affects: Reference[];
}

export interface PlanHeader {
  title: TextValue | undefined;
  owner: Reference | undefined;
  ownerList: { span: Span; references: Reference[] } | undefined;
  start: DateValue | undefined;
  end: DateValue | undefined;
  asOf: DateValue | undefined;
  fields: FieldIndex | undefined;
}

export interface CalendarModel {
  /** Weekday numbers, 0 = Sunday. */
  workdays: number[];
  holidays: Set<Day>;
}

export interface PlanModel {
  header: PlanHeader;
  calendar: CalendarModel;
  goals: Goal[];
  milestones: Milestone[];
  /** Every task, subtasks included, in document order. */
  tasks: Task[];
  risks: Risk[];
  people: Map<string, Person>;
  tools: Tool[];
  budget: Budget | undefined;
  /** The change log, in file order. */
  changes: Change[];
  /** Every reference site in the file, in document order. */
  references: Reference[];
  /** Goals, milestones, tasks and risks by id; the first is the definition, later ones duplicates. */
  entitiesById: Map<string, Entity[]>;
  /** Spans where the model gave up walking (nesting deeper than MAX_DEPTH). */
  tooDeep: Span[];
  /** Each milestone's part of the model by its YAML node, for reuse by the next version (see incremental.ts). */
  milestoneParts: Map<YamlNode, MilestonePart>;
}

/**
 * A milestone with everything built from its text. Milestones reference each
 * other only through ids, so an unchanged milestone's part is reused as is;
 * `spans` lists every span array it owns, to move them when text before it changes.
 */
export interface MilestonePart {
  milestone: Milestone;
  tasks: Task[];
  references: Reference[];
  tooDeep: Span[];
  spans: Span[];
  /** Offset of the milestone's node when this part was built or last moved. */
  start: number;
}

/** Moves the parts that lie at or after `from` (previous text) by `delta`. */
export function moveMilestoneParts(parts: Iterable<MilestonePart>, from: number, delta: number): void {
  if (delta === 0) return;
  for (const part of parts) {
    if (part.start < from) continue;
    part.start += delta;
    for (const span of part.spans as unknown as number[][]) {
      span[0] += delta;
      span[1] += delta;
    }
  }
}

const CROSS_FILE_REFERENCE = /^(.+\.plan\.ya?ml)#(.+)$/;

/** Builds the model; milestones whose node is in `reuse` are taken from there instead of rebuilt. */
export function buildModel(parsed: ParsedPlan, reuse?: ReadonlyMap<YamlNode, MilestonePart>): PlanModel {
  return new ModelBuilder(parsed, reuse).build();
}

class ModelBuilder {
  private readonly aliases: AliasResolver;
  private references: Reference[] = [];
  private tasks: Task[] = [];
  private tooDeep: Span[] = [];
  /** Collects the spans created while building one milestone's part. */
  private spans: Span[] | undefined;
  private readonly parts = new Map<YamlNode, MilestonePart>();

  constructor(private readonly parsed: ParsedPlan, private readonly reuse: ReadonlyMap<YamlNode, MilestonePart> | undefined) {
    this.aliases = new AliasResolver(parsed.document);
  }

  private span(node: YamlNode | null | undefined): Span | undefined {
    const span = spanOf(node);
    if (span) this.spans?.push(span);
    return span;
  }

  build(): PlanModel {
    const root = this.parsed.root;
    const rootFields = root ? this.index(root) : undefined;
    const header: PlanHeader = {
      title: this.textField(rootFields, 'plan'),
      owner: undefined,
      ownerList: undefined,
      start: this.dateField(rootFields, 'start'),
      end: this.dateField(rootFields, 'end'),
      asOf: this.dateField(rootFields, 'as_of'),
      fields: rootFields,
    };
    const owner = this.ownerField(rootFields, undefined);
    header.owner = owner.single;
    header.ownerList = owner.list;

    const goals = this.mapList(rootFields, 'goals', (fields) => this.goal(fields));
    const milestones = this.milestones(rootFields);
    const risks = this.mapList(rootFields, 'risks', (fields) => this.risk(fields));
    const people = this.people(rootFields);
    const { tools, budget } = this.resources(rootFields);
    const changes = this.changes(rootFields);

    const entitiesById = new Map<string, Entity[]>();
    const all: Entity[] = [...goals, ...milestones, ...this.tasks, ...risks];
    all.sort((a, b) => a.anchor[0] - b.anchor[0]);
    for (const entity of all) {
      if (!entity.id) continue;
      const list = entitiesById.get(entity.id.text);
      if (list) list.push(entity);
      else entitiesById.set(entity.id.text, [entity]);
    }
    this.references.sort((a, b) => a.span[0] - b.span[0]);
    return {
      header,
      calendar: this.calendar(rootFields),
      goals,
      milestones,
      tasks: this.tasks.slice().sort((a, b) => a.anchor[0] - b.anchor[0]),
      risks,
      people,
      tools,
      budget,
      changes,
      references: this.references,
      entitiesById,
      tooDeep: this.tooDeep,
      milestoneParts: this.parts,
    };
  }

  private milestones(root: FieldIndex | undefined): Milestone[] {
    const node = this.value(root?.pairs.get('milestones'));
    if (!node || !isSeq(node)) return [];
    const milestones: Milestone[] = [];
    for (const item of node.items) {
      const resolved = this.aliases.resolve(item);
      if (!resolved || !isMap(resolved)) continue;
      const part = this.reuse?.get(resolved) ?? this.milestonePart(resolved);
      this.parts.set(resolved, part);
      // Loops, not push(...list): a milestone may hold more tasks than a call takes arguments.
      for (const reference of part.references) this.references.push(reference);
      for (const task of part.tasks) this.tasks.push(task);
      for (const span of part.tooDeep) this.tooDeep.push(span);
      milestones.push(part.milestone);
    }
    return milestones;
  }

  private milestonePart(node: YAMLMap): MilestonePart {
    const outer = { references: this.references, tasks: this.tasks, tooDeep: this.tooDeep, spans: this.spans };
    const part = { references: [] as Reference[], tasks: [] as Task[], tooDeep: [] as Span[], spans: [] as Span[] };
    Object.assign(this, part);
    try {
      const milestone = this.milestone(this.index(node));
      return { milestone, ...part, start: node.range?.[0] ?? 0 };
    } finally {
      Object.assign(this, outer);
    }
  }

  // ── entities ────────────────────────────────────────────────────────────
  // Entities are written out as literals, never spread: objects made by
  // spreading get a hidden class each, and every pass over 5,000 of them
  // then runs on megamorphic property lookups (several times slower).

  private base<K extends EntityKind>(kind: K, fields: FieldIndex) {
    const id = this.textField(fields, 'id');
    const owner = this.ownerField(fields, undefined);
    return {
      kind,
      id: id && id.text !== '' ? id : undefined,
      title: this.textField(fields, 'title'),
      fields,
      owner: owner.single,
      ownerList: owner.list,
      anchor: id && id.text !== '' ? id.span : fields.firstKeySpan,
    };
  }

  private goal(fields: FieldIndex): Goal {
    const base = this.base('goal', fields);
    const goal: Goal = { kind: base.kind, id: base.id, title: base.title, fields: base.fields, owner: base.owner, ownerList: base.ownerList, anchor: base.anchor, hasTargetMetric: false };
    this.adoptOwner(goal);
    goal.hasTargetMetric = this.mapList(fields, 'metrics', (metric) => {
      const target = this.value(metric.pairs.get('target'));
      return target !== undefined && !(isScalar(target) && (target.value === null || target.value === ''));
    }).some(Boolean);
    return goal;
  }

  private milestone(fields: FieldIndex): Milestone {
    const base = this.base('milestone', fields);
    const milestone: Milestone = {
      kind: base.kind,
      id: base.id,
      title: base.title,
      fields: base.fields,
      owner: base.owner,
      ownerList: base.ownerList,
      anchor: base.anchor,
      due: this.dateField(fields, 'due'),
      goals: [],
      dependsOn: [],
      tasks: [],
      allTasks: [],
    };
    this.adoptOwner(milestone);
    milestone.goals = this.referenceList(fields, 'goals', 'goal', milestone);
    milestone.dependsOn = this.referenceList(fields, 'depends_on', 'item', milestone);
    milestone.tasks = this.taskList(fields, milestone, undefined, 1);
    return milestone;
  }

  private taskList(fields: FieldIndex, milestone: Milestone, parent: Task | undefined, depth: number): Task[] {
    const pair = fields.pairs.get('tasks');
    if (pair && depth > MAX_DEPTH) {
      this.tooDeep.push(fields.keySpans.get('tasks') ?? fields.firstKeySpan);
      return [];
    }
    return this.mapList(fields, 'tasks', (taskFields) => this.task(taskFields, milestone, parent, depth));
  }

  private task(fields: FieldIndex, milestone: Milestone, parent: Task | undefined, depth: number): Task {
    const baselineFields = this.mapField(fields, 'baseline');
    const base = this.base('task', fields);
    const task: Task = {
      kind: base.kind,
      id: base.id,
      title: base.title,
      fields: base.fields,
      owner: base.owner,
      ownerList: base.ownerList,
      anchor: base.anchor,
      start: this.dateField(fields, 'start'),
      end: this.dateField(fields, 'end'),
      duration: undefined,
      dependsOn: [],
      contributors: [],
      status: this.textField(fields, 'status'),
      progress: this.percentField(fields, 'progress'),
      load: this.percentField(fields, 'load'),
      goals: [],
      links: this.textList(fields, 'links'),
      baseline: baselineFields ? { start: this.dateField(baselineFields, 'start'), end: this.dateField(baselineFields, 'end') } : undefined,
      tasks: [],
      parent,
      milestone,
    };
    const duration = this.textField(fields, 'duration');
    if (duration) {
      task.duration = { text: duration.text, span: duration.span, keySpan: fields.keySpans.get('duration') ?? duration.span, workingDays: parseDuration(duration.text) };
    }
    this.adoptOwner(task);
    task.dependsOn = this.referenceList(fields, 'depends_on', 'item', task);
    task.contributors = this.referenceList(fields, 'contributors', 'person', task);
    task.goals = this.referenceList(fields, 'goals', 'goal', task);
    this.tasks.push(task);
    milestone.allTasks.push(task);
    task.tasks = this.taskList(fields, milestone, task, depth + 1);
    return task;
  }

  private risk(fields: FieldIndex): Risk {
    const base = this.base('risk', fields);
    const risk: Risk = {
      kind: base.kind,
      id: base.id,
      title: base.title,
      fields: base.fields,
      owner: base.owner,
      ownerList: base.ownerList,
      anchor: base.anchor,
      response: this.textField(fields, 'response'),
      affects: [],
      status: this.textField(fields, 'status'),
      likelihood: this.textField(fields, 'likelihood'),
      impact: this.textField(fields, 'impact'),
    };
    this.adoptOwner(risk);
    risk.affects = this.referenceList(fields, 'affects', 'item', risk);
    return risk;
  }

  private adoptOwner(entity: Entity): void {
    for (const reference of [entity.owner, ...(entity.ownerList?.references ?? [])]) {
      if (reference) reference.holder = entity;
    }
  }

  // ── plan-level sections ────────────────────────────────────────────────

  private people(root: FieldIndex | undefined): Map<string, Person> {
    const people = new Map<string, Person>();
    const map = this.mapField(root, 'people');
    if (!map) return people;
    for (const item of map.node.items) {
      const key = this.aliases.resolve(item.key);
      if (!key || !isScalar(key)) continue;
      const keyText = { text: scalarText(key, this.parsed.text), span: this.span(key)! };
      const value = this.value(item);
      const fields = value && isMap(value) ? this.index(value) : undefined;
      const allocation = this.textOrNumber(fields?.pairs.get('allocation'));
      if (!people.has(keyText.text)) {
        people.set(keyText.text, {
          key: keyText,
          name: this.textField(fields, 'name'),
          role: this.textField(fields, 'role'),
          allocation: allocationPercent(allocation),
          fields,
        });
      }
    }
    return people;
  }

  private resources(root: FieldIndex | undefined): { tools: Tool[]; budget: Budget | undefined } {
    const resources = this.mapField(root, 'resources');
    if (!resources) return { tools: [], budget: undefined };
    const tools = this.mapList(resources, 'tools', (fields) => {
      const neededBy = this.referenceField(fields, 'needed_by', 'item', undefined);
      return { name: this.textField(fields, 'name'), confirmed: this.booleanField(fields, 'confirmed'), neededBy, fields };
    });
    const budgetKey = resources.keySpans.get('budget');
    const budgetFields = this.mapField(resources, 'budget');
    const budget = budgetKey ? { keySpan: budgetKey, approved: this.booleanField(budgetFields, 'approved') } : undefined;
    return { tools, budget };
  }

  private changes(root: FieldIndex | undefined): Change[] {
    return this.mapList(root, 'changes', (fields) => ({
      date: this.dateField(fields, 'date'),
      summary: this.textField(fields, 'summary'),
      approvedBy: this.referenceListOrSingle(fields, 'approved_by', 'person'),
      affects: this.referenceList(fields, 'affects', 'item', undefined),
    }));
  }

  private calendar(root: FieldIndex | undefined): CalendarModel {
    const calendar = this.mapField(root, 'calendar');
    const workdayNames = this.textList(calendar, 'workdays').map((value) => value.text.toLowerCase());
    const workdays = workdayNames.map((name) => (WEEKDAY_NAMES as readonly string[]).indexOf(name)).filter((day) => day >= 0);
    const holidays = new Set<Day>();
    for (const holiday of this.textList(calendar, 'holidays')) {
      const day = parseIsoDate(holiday.text);
      if (day !== undefined) holidays.add(day);
    }
    return { workdays: workdays.length > 0 ? workdays : [1, 2, 3, 4, 5], holidays };
  }

  // ── field readers ─────────────────────────────────────────────────────

  index(node: YAMLMap): FieldIndex {
    const pairs = new Map<string, Pair>();
    const keySpans = new Map<string, Span>();
    let firstKeySpan: Span | undefined;
    for (const item of node.items) {
      const key = this.aliases.resolve(item.key);
      const span = this.span(item.key as YamlNode);
      if (!span) continue;
      firstKeySpan ??= span;
      if (!key || !isScalar(key)) continue;
      const name = scalarText(key, this.parsed.text);
      if (!pairs.has(name)) {
        pairs.set(name, item as Pair);
        keySpans.set(name, span);
      }
    }
    if (!firstKeySpan) {
      const nodeSpan = spanOf(node) ?? [0, 0];
      firstKeySpan = [nodeSpan[0], Math.min(nodeSpan[1], nodeSpan[0] + 1)];
      this.spans?.push(firstKeySpan);
    }
    return { node, pairs, keySpans, firstKeySpan };
  }

  private value(pair: Pair | undefined): YamlNode | undefined {
    if (!pair) return undefined;
    return this.aliases.resolve(pair.value) ?? undefined;
  }

  private scalarValue(node: YamlNode | undefined): TextValue | undefined {
    if (!node || !isScalar(node) || node.value === null) return undefined;
    const span = this.span(node);
    if (!span) return undefined;
    return { text: scalarText(node as Scalar, this.parsed.text), span };
  }

  private textField(fields: FieldIndex | undefined, key: string): TextValue | undefined {
    return this.scalarValue(this.value(fields?.pairs.get(key)));
  }

  private textOrNumber(pair: Pair | undefined): string | number | undefined {
    const node = this.value(pair);
    if (!node || !isScalar(node)) return undefined;
    return typeof node.value === 'number' ? node.value : typeof node.value === 'string' ? node.value : undefined;
  }

  private dateField(fields: FieldIndex | undefined, key: string): DateValue | undefined {
    const value = this.textField(fields, key);
    return value ? { text: value.text, span: value.span, day: parseIsoDate(value.text) } : undefined;
  }

  private percentField(fields: FieldIndex | undefined, key: string): NumberValue | undefined {
    const pair = fields?.pairs.get(key);
    const node = this.value(pair);
    const raw = this.textOrNumber(pair);
    const value = parsePercent(raw);
    const span = this.span(node);
    return value !== undefined && span ? { value, span } : undefined;
  }

  private booleanField(fields: FieldIndex | undefined, key: string): BooleanValue | undefined {
    const node = this.value(fields?.pairs.get(key));
    const span = this.span(node);
    if (!node || !span || !isScalar(node)) return undefined;
    return { value: typeof node.value === 'boolean' ? node.value : undefined, span };
  }

  private mapField(fields: FieldIndex | undefined, key: string): FieldIndex | undefined {
    const node = this.value(fields?.pairs.get(key));
    return node && isMap(node) ? this.index(node) : undefined;
  }

  private mapList<T>(fields: FieldIndex | undefined, key: string, read: (fields: FieldIndex) => T): T[] {
    const node = this.value(fields?.pairs.get(key));
    if (!node || !isSeq(node)) return [];
    const result: T[] = [];
    for (const item of node.items) {
      const resolved = this.aliases.resolve(item);
      if (resolved && isMap(resolved)) result.push(read(this.index(resolved)));
    }
    return result;
  }

  private textList(fields: FieldIndex | undefined, key: string): TextValue[] {
    const node = this.value(fields?.pairs.get(key));
    if (!node || !isSeq(node)) return [];
    const result: TextValue[] = [];
    for (const item of node.items) {
      const value = this.scalarValue(this.aliases.resolve(item) ?? undefined);
      if (value) result.push(value);
    }
    return result;
  }

  private reference(value: TextValue, kind: ReferenceKind, property: string, holder: Entity | undefined): Reference {
    const crossFile = kind === 'item' ? CROSS_FILE_REFERENCE.exec(value.text) : null;
    const reference: Reference = crossFile
      ? { kind, property, text: value.text, span: value.span, id: crossFile[2], file: crossFile[1], holder }
      : { kind, property, text: value.text, span: value.span, id: value.text, holder };
    this.references.push(reference);
    return reference;
  }

  private referenceList(fields: FieldIndex, key: string, kind: ReferenceKind, holder: Entity | undefined): Reference[] {
    return this.textList(fields, key).map((value) => this.reference(value, kind, key, holder));
  }

  private referenceField(fields: FieldIndex, key: string, kind: ReferenceKind, holder: Entity | undefined): Reference | undefined {
    const value = this.textField(fields, key);
    return value ? this.reference(value, kind, key, holder) : undefined;
  }

  private referenceListOrSingle(fields: FieldIndex, key: string, kind: ReferenceKind): Reference[] {
    const node = this.value(fields.pairs.get(key));
    if (node && isSeq(node)) return this.referenceList(fields, key, kind, undefined);
    const single = this.referenceField(fields, key, kind, undefined);
    return single ? [single] : [];
  }

  private ownerField(fields: FieldIndex | undefined, holder: Entity | undefined): { single?: Reference; list?: { span: Span; references: Reference[] } } {
    if (!fields) return {};
    const node = this.value(fields.pairs.get('owner'));
    if (node && isSeq(node)) {
      const span = this.span(node);
      const references = this.referenceList(fields, 'owner', 'person', holder);
      return span ? { list: { span, references } } : {};
    }
    return { single: this.referenceField(fields, 'owner', 'person', holder) };
  }
}

/** `40`, `40%` → 40; anything else undefined. */
export function parsePercent(raw: string | number | undefined): number | undefined {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : undefined;
  if (typeof raw !== 'string') return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(raw);
  return match ? Number(match[1]) : undefined;
}

export function allocationPercent(raw: string | number | undefined): number {
  if (raw === 'dedicated') return 100;
  if (raw === 'shared') return 50;
  const percent = parsePercent(raw);
  return percent !== undefined && percent > 0 ? percent : 100;
}

/** Every task below `task`, at any depth. */
export function descendantsOf(task: Task): Task[] {
  const result: Task[] = [];
  const stack = [...task.tasks];
  while (stack.length > 0) {
    const next = stack.pop()!;
    result.push(next);
    for (const child of next.tasks) stack.push(child);
  }
  return result;
}
