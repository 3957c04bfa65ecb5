import fc from 'fast-check';

// fast-check arbitraries for the property-based tests (test/unit/fuzz.test.ts):
// small valid plans built from a structure (people, goals, milestones with
// tasks and subtasks, depends_on on earlier work only, risks, tools, changes)
// so that shrinking yields small plans, and random mutations of their text
// (what typing, pasting and bad encodings do to a file).

/** The second plan of the fuzz workspace: cross-file references (`other.plan.yaml#ext-1`) resolve against it. */
export const OTHER_PLAN_NAME = 'other.plan.yaml';
export const OTHER_PLAN = [
  'plan: Other',
  'owner: zoe',
  'start: 2026-01-05',
  'people:',
  '  zoe: { name: Zoe }',
  'milestones:',
  '  - id: ext-m',
  '    title: External',
  '    due: 2026-03-02',
  '    owner: zoe',
  '    tasks:',
  '      - { id: ext-1, title: External work, owner: zoe, duration: 3d }',
  '      - { id: ext-2, title: More external work, owner: zoe, depends_on: [ext-1], duration: 2d }',
  '',
].join('\n');

// ── plan structure ───────────────────────────────────────────────────────

interface Style {
  /** Spaces per level: 2 or 4. */
  indent: number;
  /** `key:\n- item` (true) or `key:\n  - item`. */
  compactSequences: boolean;
  /** Lists of references written `[a, b]` (true) or as block sequences. */
  flowLists: boolean;
  /** People as `{ name: … }` (true) or block mappings. */
  flowPeople: boolean;
  /** Quote reference and id scalars: none, single or double. */
  quote: 0 | 1 | 2;
  comments: boolean;
  crlf: boolean;
  bom: boolean;
}

interface TaskSpec {
  ownerIndex: number;
  /** 0: duration only, 1: start + duration, 2: start + end, 3: end only. */
  dates: number;
  length: number;
  /** Indexes into the earlier tasks (or earlier milestones, for negative values). */
  dependsOn: number[];
  contributors: number[];
  status: number;
  progress: number | undefined;
  link: number | undefined;
  goalIndex: number | undefined;
  subtasks: TaskSpec[];
  flow: boolean;
  idShape: number;
  /** A mistake with a quick fix, made only in faulty plans (see FAULTS). */
  fault: number | undefined;
}

interface MilestoneSpec {
  ownerIndex: number;
  due: number;
  goalIndex: number | undefined;
  dependsOnPrevious: boolean;
  tasks: TaskSpec[];
  idShape: number;
}

export interface PlanSpec {
  people: number;
  goals: { ownerIndex: number; metric: boolean; idShape: number }[];
  milestones: MilestoneSpec[];
  risks: { ownerIndex: number; response: boolean; affects: number[]; idShape: number }[];
  tools: { neededBy: number; confirmed: boolean }[];
  changes: { approvedBy: number; affects: number[] }[];
  end: number | undefined;
  crossFile: boolean;
  /** Whether tasks make their `fault`: the YAML stays valid, the plan does not. */
  faulty: boolean;
  style: Style;
}

const PEOPLE = ['alice', 'bob', 'carol', 'dan', 'erin', 'femi'];
const STATUSES = ['planned', 'in-progress', 'blocked', 'done', 'dropped'];
const LINKS = ['src/payments/**', 'docs/adr/007-psp.md', 'https://example.com/spec', '../outside.md', 'command:evil'];
/**
 * Mistakes that keep the YAML valid and have a quick fix: an owner list, an
 * unknown or misspelt owner, a self-dependency, a dependency on the task's own
 * milestone (a cycle), a misspelt key, a bad status, progress 100 while not done.
 */
const FAULTS = 8;
/** Id shapes: ids are read as their source text, so numbers and dates are ids too. */
const ID_SHAPES: ((kind: string, n: number) => string)[] = [
  (kind, n) => `${kind}-${n}`,
  (kind, n) => `${kind}_${n}`,
  (kind, n) => `${kind}.${n}`,
  (_kind, n) => `${n}`,
  (_kind, n) => `1.${n}`,
  (_kind, n) => `2026-02-${String(n % 28 + 1).padStart(2, '0')}x`,
  (kind, n) => `${kind.toUpperCase()}${n}`,
];

const taskArb: fc.Memo<TaskSpec> = fc.memo((depth) =>
  fc.record({
    ownerIndex: fc.nat(5),
    dates: fc.nat(3),
    length: fc.integer({ min: 1, max: 15 }),
    dependsOn: fc.array(fc.integer({ min: -2, max: 30 }), { maxLength: 3 }),
    contributors: fc.array(fc.nat(5), { maxLength: 2 }),
    status: fc.nat(STATUSES.length),
    progress: fc.option(fc.constantFrom(0, 40, 100), { nil: undefined }),
    link: fc.option(fc.nat(LINKS.length - 1), { nil: undefined, freq: 4 }),
    goalIndex: fc.option(fc.nat(2), { nil: undefined }),
    subtasks: depth <= 1 ? fc.constant([]) : fc.array(taskArb(depth - 1), { maxLength: 2 }),
    flow: fc.boolean(),
    idShape: fc.nat(ID_SHAPES.length - 1),
    fault: fc.option(fc.nat(FAULTS - 1), { nil: undefined }),
  }),
);

export const planSpecArb: fc.Arbitrary<PlanSpec> = fc.record({
  people: fc.integer({ min: 1, max: PEOPLE.length }),
  goals: fc.array(fc.record({ ownerIndex: fc.nat(5), metric: fc.boolean(), idShape: fc.nat(ID_SHAPES.length - 1) }), { maxLength: 2 }),
  milestones: fc.array(
    fc.record({
      ownerIndex: fc.nat(5),
      due: fc.integer({ min: 5, max: 80 }),
      goalIndex: fc.option(fc.nat(2), { nil: undefined }),
      dependsOnPrevious: fc.boolean(),
      tasks: fc.array(taskArb(2), { maxLength: 3 }),
      idShape: fc.nat(ID_SHAPES.length - 1),
    }),
    { maxLength: 3 },
  ),
  risks: fc.array(fc.record({ ownerIndex: fc.nat(5), response: fc.boolean(), affects: fc.array(fc.nat(30), { maxLength: 2 }), idShape: fc.nat(ID_SHAPES.length - 1) }), { maxLength: 2 }),
  tools: fc.array(fc.record({ neededBy: fc.nat(30), confirmed: fc.boolean() }), { maxLength: 1 }),
  changes: fc.array(fc.record({ approvedBy: fc.nat(5), affects: fc.array(fc.nat(30), { maxLength: 2 }) }), { maxLength: 1 }),
  end: fc.option(fc.integer({ min: 40, max: 120 }), { nil: undefined }),
  crossFile: fc.boolean(),
  faulty: fc.boolean(),
  style: fc.record({
    indent: fc.constantFrom(2, 4),
    compactSequences: fc.boolean(),
    flowLists: fc.boolean(),
    flowPeople: fc.boolean(),
    quote: fc.constantFrom(0 as const, 1 as const, 2 as const),
    comments: fc.boolean(),
    crlf: fc.boolean(),
    bom: fc.boolean(),
  }),
});

/** 2026-01-05 plus `days` calendar days, as YYYY-MM-DD. */
function dateAfter(days: number): string {
  const day = new Date(Date.UTC(2026, 0, 5 + days));
  return day.toISOString().slice(0, 10);
}

/** A plan's YAML text from its structure: valid YAML, ids unique, references resolve, no cycles. */
export function renderPlan(spec: PlanSpec): string {
  const { style } = spec;
  const unit = ' '.repeat(style.indent);
  const lines: string[] = [];
  const people = PEOPLE.slice(0, spec.people);
  const person = (index: number) => people[index % people.length];
  const q = (text: string) => (style.quote === 1 ? `'${text}'` : style.quote === 2 ? `"${text}"` : text);
  const comment = (text: string) => (style.comments ? `  # ${text}` : '');
  /** `key: [a, b]` or a block sequence, at `level`. */
  const list = (level: number, key: string, items: string[]) => {
    if (items.length === 0) return;
    const pad = unit.repeat(level);
    if (style.flowLists) lines.push(`${pad}${key}: [${items.map(q).join(', ')}]`);
    else {
      lines.push(`${pad}${key}:`);
      const itemPad = style.compactSequences ? pad : pad + unit;
      for (const item of items) lines.push(`${itemPad}- ${q(item)}`);
    }
  };
  /** Opens the sequence `key` at `level`; returns the level of its items' keys. */
  const sequence = (level: number, key: string) => {
    lines.push(`${unit.repeat(level)}${key}:`);
    return style.compactSequences ? level : level + 1;
  };
  /** One sequence entry: its first line is `- key: value`, then the other keys. */
  const entry = (level: number, pairs: [string, string][]) => {
    const pad = unit.repeat(level);
    pairs.forEach(([key, value], index) => lines.push(`${index === 0 ? `${pad}- ` : `${pad}  `}${key}: ${value}`));
  };

  lines.push(`plan: Fuzzed plan${comment('the title')}`);
  lines.push(`owner: ${q(person(0))}`);
  lines.push('start: 2026-01-05');
  if (spec.end !== undefined) lines.push(`end: ${dateAfter(spec.end)}`);
  lines.push('as_of: 2026-02-10');
  lines.push('calendar:', `${unit}workdays: [mon, tue, wed, thu, fri]`, `${unit}holidays: [2026-01-19]`);
  lines.push('');

  let counter = 0;
  const goalIds = spec.goals.map((goal) => ID_SHAPES[goal.idShape]('goal', ++counter));
  if (spec.goals.length > 0) {
    const level = sequence(0, 'goals');
    spec.goals.forEach((goal, index) => {
      entry(level, [
        ['id', q(goalIds[index])],
        ['title', `Goal ${index + 1}`],
        ['owner', q(person(goal.ownerIndex))],
      ]);
      if (goal.metric) lines.push(`${unit.repeat(level)}  metrics: [{ name: rate, baseline: 60%, target: 50%, by: 2026-04-30 }]`);
    });
  }

  lines.push('people:');
  for (const name of people) {
    if (spec.style.flowPeople) lines.push(`${unit}${name}: { name: ${name[0].toUpperCase()}${name.slice(1)}, allocation: 50% }${comment('person')}`);
    else lines.push(`${unit}${name}:`, `${unit}${unit}name: ${name[0].toUpperCase()}${name.slice(1)}`, `${unit}${unit}role: Engineer`);
  }

  // Work items in the order they are written; a task may depend on any earlier one that is not its ancestor.
  const items: string[] = [];
  const milestoneIds: string[] = [];
  const goalOf = (index: number | undefined) => (index !== undefined && goalIds.length > 0 ? [goalIds[index % goalIds.length]] : []);

  const renderTask = (task: TaskSpec, level: number, ancestors: string[], ownMilestone: string) => {
    const id = ID_SHAPES[task.idShape]('task', ++counter);
    const candidates = items.filter((item) => !ancestors.includes(item) && item !== ownMilestone);
    const earlierMilestones = milestoneIds.filter((item) => item !== ownMilestone);
    const dependsOn = [
      ...new Set(
        task.dependsOn
          .map((index) => (index < 0 ? earlierMilestones[-index - 1] : candidates.length > 0 ? candidates[index % candidates.length] : undefined))
          .filter((item): item is string => item !== undefined),
      ),
    ];
    if (spec.crossFile && task.dependsOn.length === 1) dependsOn.push(`${OTHER_PLAN_NAME}#ext-1`);
    const fault = spec.faulty ? task.fault : undefined;
    const owner = fault === 0 ? `[${q(person(task.ownerIndex))}, ${q(person(task.ownerIndex + 1))}]` : fault === 1 ? 'zed' : fault === 2 ? `${person(task.ownerIndex)}x` : q(person(task.ownerIndex));
    if (fault === 3) dependsOn.push(id);
    if (fault === 4) dependsOn.push(ownMilestone);
    const pairs: [string, string][] = [
      ['id', q(id)],
      [fault === 5 ? 'titel' : 'title', `Task ${counter}${comment('a task')}`],
      ['owner', owner],
    ];
    const ownDates = task.subtasks.length === 0 || task.dates === 3;
    if (ownDates) {
      if (task.dates === 1 || task.dates === 2) pairs.push(['start', dateAfter(task.length)]);
      if (task.dates === 2 || task.dates === 3) pairs.push(['end', dateAfter(task.length * 3 + 7)]);
      else pairs.push(['duration', task.length % 3 === 0 ? `${task.length / 3}w` : `${task.length}d`]);
    }
    if (fault === 6) pairs.push(['status', 'finished']);
    else if (task.status < STATUSES.length && fault !== 7) pairs.push(['status', STATUSES[task.status]]);
    if (task.progress !== undefined || fault === 7) pairs.push(['progress', fault === 7 ? '100' : String(task.progress)]);
    const contributors = [...new Set(task.contributors.map(person))];
    const goals = goalOf(task.goalIndex);
    const link = task.link === undefined ? [] : [LINKS[task.link]];
    if (task.flow && task.subtasks.length === 0) {
      const flowPairs = [...pairs];
      if (dependsOn.length > 0) flowPairs.push(['depends_on', `[${dependsOn.map(q).join(', ')}]`]);
      if (contributors.length > 0) flowPairs.push(['contributors', `[${contributors.map(q).join(', ')}]`]);
      if (goals.length > 0) flowPairs.push(['goals', `[${goals.map(q).join(', ')}]`]);
      if (link.length > 0) flowPairs.push(['links', `[${link.map((text) => `"${text}"`).join(', ')}]`]);
      lines.push(`${unit.repeat(level)}- { ${flowPairs.map(([key, value]) => `${key}: ${value.replace(/ {2}#.*$/, '')}`).join(', ')} }`);
    } else {
      entry(level, pairs);
      // Keys after the first sit two columns in, whatever the indent unit: align lists with them.
      const sub = (key: string, values: string[]) => {
        if (values.length === 0) return;
        const pad = `${unit.repeat(level)}  `;
        if (style.flowLists) lines.push(`${pad}${key}: [${values.map(q).join(', ')}]`);
        else {
          lines.push(`${pad}${key}:`);
          for (const value of values) lines.push(`${pad}${style.compactSequences ? '' : unit}- ${q(value)}`);
        }
      };
      sub('depends_on', dependsOn);
      sub('contributors', contributors);
      sub('goals', goals);
      if (link.length > 0) lines.push(`${unit.repeat(level)}  links: ["${link[0]}"]`);
    }
    items.push(id);
    if (task.subtasks.length > 0) {
      const pad = `${unit.repeat(level)}  `;
      lines.push(`${pad}tasks:`);
      const childPad = style.compactSequences ? pad : pad + unit;
      for (const subtask of task.subtasks) {
        const start = lines.length;
        renderTask(subtask, 0, [...ancestors, id], ownMilestone);
        for (let index = start; index < lines.length; index++) lines[index] = childPad + lines[index];
      }
    }
  };

  if (spec.milestones.length > 0) {
    const level = sequence(0, 'milestones');
    spec.milestones.forEach((milestone) => {
      const id = ID_SHAPES[milestone.idShape]('ms', ++counter);
      const pairs: [string, string][] = [
        ['id', q(id)],
        ['title', `Milestone ${counter}`],
        ['due', dateAfter(milestone.due)],
        ['owner', q(person(milestone.ownerIndex))],
      ];
      entry(level, pairs);
      const pad = `${unit.repeat(level)}  `;
      const goals = goalOf(milestone.goalIndex);
      if (goals.length > 0) lines.push(`${pad}goals: [${goals.map(q).join(', ')}]`);
      if (milestone.dependsOnPrevious && milestoneIds.length > 0) lines.push(`${pad}depends_on: [${q(milestoneIds[milestoneIds.length - 1])}]`);
      if (milestone.tasks.length > 0) {
        lines.push(`${pad}tasks:`);
        const childPad = style.compactSequences ? pad : pad + unit;
        for (const task of milestone.tasks) {
          const start = lines.length;
          renderTask(task, 0, [], id);
          for (let index = start; index < lines.length; index++) lines[index] = childPad + lines[index];
        }
      }
      milestoneIds.push(id);
      items.push(id);
    });
  }

  const anyItem = (index: number) => (items.length > 0 ? items[index % items.length] : undefined);
  const itemsOf = (indexes: number[]) => [...new Set(indexes.map(anyItem).filter((item): item is string => item !== undefined))];

  if (spec.risks.length > 0) {
    const level = sequence(0, 'risks');
    for (const risk of spec.risks) {
      const pairs: [string, string][] = [
        ['id', q(ID_SHAPES[risk.idShape]('risk', ++counter))],
        ['title', 'Something slips'],
        ['likelihood', 'medium'],
        ['impact', 'high'],
        ['owner', q(person(risk.ownerIndex))],
      ];
      if (risk.response) pairs.push(['response', 'Start early; keep a fallback.']);
      entry(level, pairs);
      const affects = itemsOf(risk.affects);
      if (affects.length > 0) lines.push(`${unit.repeat(level)}  affects: [${affects.map(q).join(', ')}]`);
    }
  }

  const tools = spec.tools.filter((tool) => anyItem(tool.neededBy) !== undefined);
  if (tools.length > 0) {
    lines.push('resources:', `${unit}budget: { amount: 1000, currency: USD, approved: true }`);
    const level = sequence(1, 'tools');
    for (const tool of tools) lines.push(`${unit.repeat(level)}- { name: Sandbox, confirmed: ${tool.confirmed}, needed_by: ${q(anyItem(tool.neededBy)!)} }`);
  }

  if (spec.changes.length > 0) {
    const level = sequence(0, 'changes');
    for (const change of spec.changes) {
      entry(level, [
        ['date', '2026-02-02'],
        ['summary', 'Moved a milestone.'],
        ['approved_by', q(person(change.approvedBy))],
      ]);
      const affects = itemsOf(change.affects);
      if (affects.length > 0) lines.push(`${unit.repeat(level)}  affects: [${affects.map(q).join(', ')}]`);
    }
  }
  list(0, 'constraints', ['No changes during the freeze.']);

  let text = `${lines.join('\n')}\n`;
  if (style.crlf) text = text.replace(/\n/g, '\r\n');
  if (style.bom) text = `\uFEFF${text}`;
  return text;
}

// ── mutations ────────────────────────────────────────────────────────────

/** What typing, pasting and bad encodings put into a file: YAML punctuation, unicode, line ends. */
const INSERTED = [
  ':', ': ', '-', '- ', '[', ']', '{', '}', ',', '"', "'", '#', ' #', '&a', '*a', '!', '!!str ', '|', '>', '%', '@', '`', '?', '<<: ',
  ' ', '  ', '\t', '\n', '\r\n', '\r', '\n  ', '\n- ',
  '😀', '👩‍💻', 'e\u0301', '\u0301', '\u200b', '\uFEFF', '\u2028', 'ü', '中文', '\u0000', '\\', '\\u', 'null', '~', 'true', '2026-13-45', '1e9', '-1', '.5',
  'depends_on: [', 'owner: ', 'id: ', 'tasks:\n', '- id: x\n', 'task-1', 'alice', '#ext-1', 'other.plan.yaml#',
];

/** Whole lines a paste or a bad merge puts into a plan. */
const INSERTED_LINES = [
  '  - id: pasted',
  '    title: Pasted',
  '      - { id: pasted-2, title: P, duration: 2d }',
  'tasks:',
  '  tasks:',
  'milestones:',
  '    depends_on: [task-1, ms-9, nobody]',
  '    owner: [alice, bob]',
  '    owner: zed',
  '    depends_on: [',
  '    start: 2026-02-30',
  '    duration: 0d',
  '---',
  '...',
  '# blueprint-disable-next-line',
  '    status: finished',
  '<<<<<<< HEAD',
  '=======',
  '  zed: { name: Zed }',
  '    - "unterminated',
  '    links: [command:x, "../../etc/passwd", "*.ts"]',
  '',
];

/** Words typed over a word of the plan: typos of keys, values and names, and names that exist elsewhere. */
const WORDS = [
  'ownr', 'titel', 'depend_on', 'statuss', 'finished', 'hihg', 'alcie', 'zed', 'task-1', 'task-2', 'ms-1', 'goal-1', 'ext-1', 'other.plan.yaml#ext-9',
  'done', 'planned', 'in-progress', 'blocked', '100', '3d', '0d', '2w', '2026-02-30', '2026-03-04', 'alice', 'bob', '50%', 'dedicated', 'title', 'owner',
  'depends_on', 'contributors', 'affects', 'needed_by', 'approved_by', 'goals', 'tasks', 'progress', 'duration', 'end', 'start', 'due', 'links',
];

export type Mutation =
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'replaceWord'; at: number; text: string }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'swapChars'; at: number }
  | { kind: 'deleteLine'; line: number }
  | { kind: 'duplicateLine'; line: number }
  | { kind: 'swapLines'; line: number; other: number }
  | { kind: 'indent'; line: number; delta: number }
  | { kind: 'insertLine'; line: number; text: string }
  | { kind: 'crlf' }
  | { kind: 'bom' };

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom(...INSERTED) }), weight: 6 },
  { arbitrary: fc.record({ kind: fc.constant('replaceWord' as const), at: fc.nat(), text: fc.constantFrom(...WORDS) }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 12 }) }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('swapChars' as const), at: fc.nat() }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('deleteLine' as const), line: fc.nat() }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('duplicateLine' as const), line: fc.nat() }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('swapLines' as const), line: fc.nat(), other: fc.nat() }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('indent' as const), line: fc.nat(), delta: fc.constantFrom(-4, -2, -1, 1, 2, 4) }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('insertLine' as const), line: fc.nat(), text: fc.constantFrom(...INSERTED_LINES) }), weight: 2 },
  { arbitrary: fc.constant({ kind: 'crlf' as const }), weight: 1 },
  { arbitrary: fc.constant({ kind: 'bom' as const }), weight: 1 },
);

/** Applies one mutation; positions are taken modulo the text's length or line count. */
export function mutate(text: string, mutation: Mutation): string {
  const lines = text.split('\n');
  const lineOf = (n: number) => n % lines.length;
  const withLines = (change: (copy: string[]) => void) => {
    const copy = [...lines];
    change(copy);
    return copy.join('\n');
  };
  switch (mutation.kind) {
    case 'insert': {
      const at = mutation.at % (text.length + 1);
      return text.slice(0, at) + mutation.text + text.slice(at);
    }
    case 'replaceWord': {
      if (text.length === 0) return mutation.text;
      let start = mutation.at % text.length;
      let end = start;
      while (start > 0 && /[\w.-]/.test(text[start - 1])) start--;
      while (end < text.length && /[\w.-]/.test(text[end])) end++;
      return text.slice(0, start) + mutation.text + text.slice(end);
    }
    case 'delete': {
      if (text.length === 0) return text;
      const at = mutation.at % text.length;
      return text.slice(0, at) + text.slice(at + mutation.length);
    }
    case 'swapChars': {
      if (text.length < 2) return text;
      const at = mutation.at % (text.length - 1);
      return text.slice(0, at) + text[at + 1] + text[at] + text.slice(at + 2);
    }
    case 'deleteLine':
      return withLines((copy) => copy.splice(lineOf(mutation.line), 1));
    case 'duplicateLine':
      return withLines((copy) => copy.splice(lineOf(mutation.line), 0, copy[lineOf(mutation.line)]));
    case 'swapLines':
      return withLines((copy) => {
        const a = lineOf(mutation.line);
        const b = lineOf(mutation.other);
        [copy[a], copy[b]] = [copy[b], copy[a]];
      });
    case 'indent':
      return withLines((copy) => {
        const line = copy[lineOf(mutation.line)];
        copy[lineOf(mutation.line)] = mutation.delta > 0 ? ' '.repeat(mutation.delta) + line : line.replace(new RegExp(`^ {0,${-mutation.delta}}`), '');
      });
    case 'insertLine':
      return withLines((copy) => copy.splice(lineOf(mutation.line), 0, mutation.text));
    case 'crlf':
      return text.replace(/\r?\n/g, '\r\n');
    case 'bom':
      return text.startsWith('\uFEFF') ? text : `\uFEFF${text}`;
  }
}

/** A generated valid plan's text. */
export const validPlanArb: fc.Arbitrary<string> = planSpecArb.map((spec) => renderPlan({ ...spec, faulty: false }));

/** Plans with mistakes a quick fix repairs, the YAML valid. */
export const faultyPlanArb: fc.Arbitrary<string> = planSpecArb.map((spec) => renderPlan({ ...spec, faulty: true }));

/** Edits that mostly keep the YAML valid: words typed over words, whole lines deleted, duplicated or swapped. */
const gentleMutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('replaceWord' as const), at: fc.nat(), text: fc.constantFrom(...WORDS) }), weight: 6 },
  { arbitrary: fc.record({ kind: fc.constant('deleteLine' as const), line: fc.nat() }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('duplicateLine' as const), line: fc.nat() }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('swapLines' as const), line: fc.nat(), other: fc.nat() }), weight: 1 },
);

/** Faulty or valid plans, edited a little: mostly valid YAML with broken references, keys and values. */
export const editedPlanArb: fc.Arbitrary<string> = fc
  .tuple(planSpecArb, fc.array(gentleMutationArb, { maxLength: 3 }))
  .map(([spec, mutations]) => mutations.reduce(mutate, renderPlan(spec)));

/** A generated plan with 1–6 mutations applied in turn (the text only, so a counterexample prints as the text). */
export const mutatedPlanArb: fc.Arbitrary<string> = fc.tuple(planSpecArb, fc.array(mutationArb, { minLength: 1, maxLength: 6 })).map(([spec, mutations]) => mutations.reduce(mutate, renderPlan(spec)));

/** Valid plans, plans with mistakes, and mutated ones (half of them). */
export const anyPlanArb: fc.Arbitrary<string> = fc.oneof({ arbitrary: validPlanArb, weight: 1 }, { arbitrary: editedPlanArb, weight: 1 }, { arbitrary: mutatedPlanArb, weight: 2 });
