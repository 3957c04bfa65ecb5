import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createPlanService, parseIsoDate, type PlanWorkspace } from '../../server/src/service';
import { getCompletions, type CompletionItem, type CompletionList } from '../../server/src/service/completion';
import { applyEdits, fixedToday, planDocument, readFixture, textAt } from '../helpers/fixtures';

// Completion at a cursor marked `|` in the text. The fixture holds no `|`;
// each test edits it (anchor → replacement) to put the cursor somewhere, often
// breaking the file on the way, as people do while typing.

const FIXTURE = readFixture('completion/launch.plan.yaml');

interface Result {
  list: CompletionList;
  text: string;
  labels: string[];
  item(label: string): CompletionItem;
  /** The text each item's edit replaces (all the same). */
  replaced: string;
  /** The document after accepting the item. */
  accept(label: string): string;
}

function complete(marked: string, options: { today?: string; workspace?: PlanWorkspace; name?: string } = {}): Result {
  const cursor = marked.indexOf('|');
  assert.ok(cursor !== -1 && marked.indexOf('|', cursor + 1) === -1, 'exactly one cursor');
  const text = marked.slice(0, cursor) + marked.slice(cursor + 1);
  const before = text.slice(0, cursor).split('\n');
  const position = { line: before.length - 1, character: before[before.length - 1].length };
  const service = createPlanService({ today: fixedToday('2026-03-02'), workspace: options.workspace });
  const analysis = service.analyze(planDocument(text, options.name));
  const list = getCompletions(analysis, position, options.today ? parseIsoDate(options.today) : undefined, service.environment);
  const ranges = new Set(list.items.map((item) => JSON.stringify(item.textEdit?.range)));
  assert.ok(ranges.size <= 1, 'every item replaces the same word');
  for (const item of list.items) {
    const range = item.textEdit!.range;
    assert.equal(range.start.line, position.line, 'the replaced range is on the cursor line');
    assert.ok(range.start.character <= position.character && position.character <= range.end.character, 'the replaced range contains the cursor');
  }
  const find = (label: string) => {
    const item = list.items.find((candidate) => candidate.label === label);
    assert.ok(item, `no item ${label} among ${list.items.map((candidate) => candidate.label).join(', ')}`);
    return item;
  };
  return {
    list,
    text,
    labels: list.items.map((item) => item.label),
    item: find,
    replaced: list.items.length > 0 ? textAt(text, list.items[0].textEdit!.range) : '',
    accept: (label) => applyEdits(text, [find(label).textEdit!]),
  };
}

/** The fixture with each anchor (which must occur exactly once) replaced. */
function edit(...replacements: [anchor: string, replacement: string][]): string {
  let text = FIXTURE;
  for (const [anchor, replacement] of replacements) {
    assert.equal(text.split(anchor).length, 2, `anchor occurs once: ${anchor}`);
    text = text.replace(anchor, replacement);
  }
  return text;
}

const ROLLOUT_DEPENDS = '        depends_on: [checkout-ui]\n';
const PEOPLE = ['alice', 'bob', 'carol', 'dan'];
const ALL_ITEMS = ['beta', 'payment-api', 'checkout-ui', 'address-form', 'card-form', 'launch', 'rollout', 'help-docs', 'hardening', 'load-test', 'pen-test'];

describe('completion: people', () => {
  test('an empty owner value lists every person with name · role, and their load', () => {
    const result = complete(edit(['        owner: carol\n        depends_on: [payment-api]', '        owner: |\n        depends_on: [payment-api]']));
    assert.deepEqual(result.labels, PEOPLE);
    assert.deepEqual(result.list.items.map((item) => item.detail), ['Alice Chen · Product lead', 'Bob Diaz · Backend', 'Carol Ng · Frontend', 'Dan Ito']);
    assert.equal(result.replaced, '');
    assert.ok(result.list.items.every((item) => item.kind === 18));
    const bob = result.item('bob').documentation!.value;
    assert.match(bob, /^\*\*Bob Diaz\*\* · Backend/);
    assert.match(bob, /Allocation: 50%\n/);
    assert.match(bob, /Owns 3 tasks, 2 open:/);
    assert.match(bob, /- `rollout` Staged rollout \(planned, 2026-02-10 → 2026-02-23\)/);
    // The service's clock says 2026-03-02, but no today is passed: the plan's as_of day counts.
    assert.match(bob, /On 2026-02-10: booked at 50% of 50% \(`rollout`\)\./);
    assert.match(result.item('alice').documentation!.value, /Owns no tasks yet\./);
    assert.match(result.item('dan').documentation!.value, /Allocation: dedicated \(100%, the default\)/);
    assert.ok(result.accept('dan').includes('        owner: dan\n        depends_on: [payment-api]'));
  });

  test('the load on the given today: booked tasks and over-allocation', () => {
    const result = complete(edit(['    owner: bob\n    response', '    owner: |\n    response']), { today: '2026-02-26' });
    const bob = result.item('bob').documentation!.value;
    assert.match(bob, /On 2026-02-26: booked at 50% of 50% \(`load-test`\)\./);
    assert.match(complete(edit(['    owner: bob\n    response', '    owner: |\n    response']), { today: '2026-03-02' }).item('bob').documentation!.value, /On 2026-03-02: no task in progress\./);
    const carol = complete(edit(['    owner: bob\n    response', '    owner: |\n    response']), { today: '2026-02-09' }).item('carol').documentation!.value;
    assert.match(carol, /On 2026-02-09: booked at 50% of 50% \(`card-form`\)\./);
  });

  test('after a partial word the whole word is replaced', () => {
    const result = complete(edit(['        owner: carol\n        depends_on: [payment-api]', '        owner: ca|rol\n        depends_on: [payment-api]']));
    assert.deepEqual(result.labels, PEOPLE);
    assert.equal(result.replaced, 'carol');
  });

  test('right after the colon a space is inserted', () => {
    const result = complete(edit(['    owner: bob\n    response', '    owner:|\n    response']));
    assert.deepEqual(result.labels, PEOPLE);
    assert.equal(result.item('carol').textEdit!.newText, ' carol');
    assert.match(result.accept('carol'), /\n {4}owner: carol\n {4}response/);
  });

  test('contributors: block list, without the people already listed', () => {
    const result = complete(edit([ROLLOUT_DEPENDS, `${ROLLOUT_DEPENDS}        contributors:\n          - dan\n          - |\n`]));
    assert.deepEqual(result.labels, ['alice', 'bob', 'carol']);
    assert.equal(result.replaced, '');
  });

  test('contributors: flow list, entries before and after the cursor excluded', () => {
    const result = complete(edit([ROLLOUT_DEPENDS, `${ROLLOUT_DEPENDS}        contributors: [carol, a|, dan]\n`]));
    assert.deepEqual(result.labels, ['alice', 'bob']);
    assert.equal(result.replaced, 'a');
  });

  test('approved_by: a single person or a list', () => {
    assert.deepEqual(complete(edit(['approved_by: alice', 'approved_by: |'])).labels, PEOPLE);
    assert.deepEqual(complete(edit(['approved_by: alice', 'approved_by: [alice, |]'])).labels, ['bob', 'carol', 'dan']);
  });
});

describe('completion: depends_on, affects, needed_by', () => {
  test('every task and milestone with title and computed dates, never itself, its milestone, a listed one or a cycle-maker', () => {
    const result = complete(edit(['depends_on: [checkout-ui]', 'depends_on: [checkout-ui, |]']));
    // launch: its own milestone; load-test and hardening wait for rollout.
    assert.deepEqual(result.labels, ['beta', 'payment-api', 'address-form', 'card-form', 'help-docs', 'pen-test']);
    assert.equal(result.item('beta').detail, 'Milestone: Private beta · 2026-01-05 → 2026-02-09 · due 2026-02-27');
    assert.equal(result.item('payment-api').detail, 'Payment API · 2026-01-05 → 2026-01-26');
    assert.equal(result.item('card-form').detail, 'Card form · 2026-02-02 → 2026-02-09');
    assert.equal(result.item('beta').kind, 23);
    assert.equal(result.item('payment-api').kind, 3);
    assert.match(result.item('payment-api').documentation!.value, /Computed 2026-01-05 → 2026-01-26 \(15 working days\), slack 0 \(critical\)/);
    assert.match(result.item('card-form').documentation!.value, /subtask of `checkout-ui`/);
    assert.equal(result.replaced, '');
  });

  test('a task that everything else waits for: only the unrelated task remains', () => {
    // Every other item depends on payment-api, contains it, or inherits a dependency on it.
    const result = complete(edit(['        duration: 3w\n', '        duration: 3w\n        depends_on: [|]\n']));
    assert.deepEqual(result.labels, ['pen-test']);
  });

  test('a parent task: never its subtasks, its milestone or what depends on it', () => {
    const result = complete(edit(['depends_on: [payment-api]', 'depends_on: [payment-api, |]']));
    assert.deepEqual(result.labels, ['pen-test']);
  });

  test('a subtask: never its parent, a sibling that depends on it, or its milestone', () => {
    assert.deepEqual(complete(edit(['            duration: 4d\n', '            duration: 4d\n            depends_on: [|]\n'])).labels, ['payment-api', 'pen-test']);
    assert.deepEqual(complete(edit(['depends_on: [address-form]', 'depends_on: [address-form, |]'])).labels, ['payment-api', 'pen-test']);
  });

  test('an id that could pass for an internal node (a NUL, as in `"\\0t0"`) is an id like any other', () => {
    // Completion's cycle check passes inherited entries through nodes of its own; no id may name one.
    const text = [
      'plan: P',
      'owner: ana',
      'start: 2026-03-02',
      'people:',
      '  ana: { name: Ana }',
      'milestones:',
      '  - id: m',
      '    title: M',
      '    owner: ana',
      '    due: 2026-06-01',
      '    tasks:',
      '      - id: p',
      '        title: P',
      '        owner: ana',
      '        tasks:',
      '          - { id: c, title: C, owner: ana, duration: 1d }',
      '      - { id: "\\0t0", title: X, owner: ana, duration: 1d, depends_on: [h] }',
      '      - { id: h, title: H, owner: ana, duration: 1d, depends_on: [|] }',
      '',
    ].join('\n');
    assert.deepEqual(complete(text).labels, ['p', 'c']);
  });

  test('a milestone: never its own tasks or what waits for it', () => {
    const result = complete(edit(['depends_on: [beta]', 'depends_on: [beta, |]']));
    assert.deepEqual(result.labels, ['payment-api', 'checkout-ui', 'address-form', 'card-form', 'pen-test']);
  });

  test('a block list, from a task nothing depends on', () => {
    const result = complete(edit(['        owner: dan\n        duration: 1w', '        owner: dan\n        depends_on:\n          - rollout\n          - |\n        duration: 1w']));
    assert.deepEqual(result.labels, ['beta', 'payment-api', 'checkout-ui', 'address-form', 'card-form', 'hardening', 'load-test', 'pen-test']);
  });

  test('a new task without an id yet: its milestone is excluded', () => {
    const result = complete(edit(['        duration: 5d\n\nrisks:', '        duration: 5d\n      - title: Retro\n        depends_on: [|]\n\nrisks:']));
    assert.deepEqual(result.labels, ALL_ITEMS.filter((id) => id !== 'hardening'));
  });

  test('an empty depends_on value inserts a one-entry list', () => {
    const result = complete(edit(['        owner: dan\n        duration: 1w', '        owner: dan\n        depends_on: |\n        duration: 1w']));
    assert.equal(result.item('rollout').textEdit!.newText, '[rollout]');
  });

  test('a partial id is replaced whole, dots and dashes included', () => {
    const result = complete(edit(['depends_on: [checkout-ui]', 'depends_on: [checkout-ui, pay|ment-a.x]']));
    assert.equal(result.replaced, 'payment-a.x');
    assert.deepEqual(result.labels, ['beta', 'payment-api', 'address-form', 'card-form', 'help-docs', 'pen-test']);
  });

  test('affects (risk, change) and needed_by list every item but those listed', () => {
    assert.deepEqual(complete(edit(['affects: [payment-api]', 'affects: [payment-api, |]'])).labels, ALL_ITEMS.filter((id) => id !== 'payment-api'));
    assert.deepEqual(complete(edit(['affects: [beta]', 'affects: [beta,|]'])).labels, ALL_ITEMS.filter((id) => id !== 'beta'));
    const tool = complete(edit(['needed_by: payment-api }', 'needed_by: payment-api }\n    - { name: Load cluster, confirmed: false, needed_by: lo| }']));
    assert.deepEqual(tool.labels, ALL_ITEMS);
    assert.equal(tool.replaced, 'lo');
  });

  test('cross-file references complete the other plan ids', () => {
    const other = 'plan: Platform\nowner: ops\nstart: 2026-01-05\npeople:\n  ops: { name: Ops }\nmilestones:\n  - id: runners\n    title: CI runners\n    due: 2026-02-27\n    tasks:\n      - id: provision\n        title: Provision runners\n        duration: 5d\n';
    const workspace: PlanWorkspace = {
      getDocument: (uri) => (uri === 'file:///workspace/platform.plan.yaml' ? planDocument(other, 'platform.plan.yaml') : undefined),
    };
    const result = complete(edit(['depends_on: [checkout-ui]', 'depends_on: [checkout-ui, platform.plan.yaml#|]']), { workspace });
    assert.deepEqual(result.labels, ['platform.plan.yaml#runners', 'platform.plan.yaml#provision']);
    assert.equal(result.replaced, 'platform.plan.yaml#');
    assert.equal(result.item('platform.plan.yaml#provision').detail, 'Provision runners · 2026-01-05 → 2026-01-09');
  });
});

describe('completion: goals and enum values', () => {
  test('goals: ids with titles, the listed ones left out', () => {
    const result = complete(edit(['    goals: [lower-abandonment]\n    depends_on: [beta]', '    goals: [lower-abandonment, |]\n    depends_on: [beta]']));
    assert.deepEqual(result.labels, ['faster-payments']);
    assert.equal(result.item('faster-payments').detail, 'Faster payments');
    assert.equal(result.item('faster-payments').kind, 21);
    const both = complete(edit([ROLLOUT_DEPENDS, `${ROLLOUT_DEPENDS}        goals:\n          - |\n`]));
    assert.deepEqual(both.list.items.map((item) => [item.label, item.detail]), [
      ['lower-abandonment', 'Cut checkout abandonment'],
      ['faster-payments', 'Faster payments'],
    ]);
    assert.match(both.item('lower-abandonment').documentation!.value, /A one-page checkout that most users finish\./);
  });

  test('task status and risk status differ', () => {
    const task = complete(edit(['status: in-progress', 'status: |']));
    assert.deepEqual(task.labels, ['planned', 'in-progress', 'blocked', 'done', 'dropped']);
    assert.equal(task.item('blocked').detail, 'Work cannot go on until something else happens.');
    assert.match(task.item('done').documentation!.value, /^`status`: Where the task stands/);
    assert.ok(task.list.items.every((item) => item.kind === 20));
    const risk = complete(edit(['    affects: [payment-api]\n', '    affects: [payment-api]\n    status: o|\n']));
    assert.deepEqual(risk.labels, ['open', 'mitigated', 'occurred', 'closed']);
    assert.equal(risk.replaced, 'o');
    assert.match(risk.item('open').documentation!.value, /^`status`: Where the risk stands/);
  });

  test('likelihood, impact and allocation', () => {
    const likelihood = complete(edit(['likelihood: medium', 'likelihood: me|dium']));
    assert.deepEqual(likelihood.labels, ['low', 'medium', 'high']);
    assert.equal(likelihood.replaced, 'medium');
    assert.match(likelihood.item('low').documentation!.value, /How likely the risk is/);
    assert.match(complete(edit(['impact: high', 'impact: |'])).item('low').documentation!.value, /How bad it would be/);
    const allocation = complete(edit(['dan:   { name: Dan Ito }', 'dan:   { name: Dan Ito, allocation: | }']));
    assert.deepEqual(allocation.labels, ['dedicated', 'shared']);
    assert.equal(allocation.item('shared').detail, 'Half of their time (50%).');
  });

  test('workdays: the days not listed yet, in flow and block lists', () => {
    const flow = complete(edit(['workdays: [mon, tue, wed, thu, fri]', 'workdays: [mon, tue, wed, thu, fri, |]']));
    assert.deepEqual(flow.list.items.map((item) => [item.label, item.detail]), [['sat', 'Saturday'], ['sun', 'Sunday']]);
    const block = complete(edit(['workdays: [mon, tue, wed, thu, fri]', 'workdays:\n    - mon\n    - tue\n    - |']));
    assert.deepEqual(block.labels, ['wed', 'thu', 'fri', 'sat', 'sun']);
  });

  test('booleans for confirmed and approved', () => {
    assert.deepEqual(complete(edit(['confirmed: true, needed_by', 'confirmed: |, needed_by'])).labels, ['true', 'false']);
  });
});

describe('completion: keys', () => {
  test('task keys not present yet, with the schema description; end or duration, not both', () => {
    const result = complete(edit([ROLLOUT_DEPENDS, `${ROLLOUT_DEPENDS}        |\n`]));
    assert.deepEqual(result.labels, ['contributors', 'start', 'status', 'progress', 'load', 'goals', 'links', 'baseline', 'notes', 'tasks']);
    const contributors = result.item('contributors');
    assert.equal(contributors.detail, 'a list of person ids, e.g. [bob, carol]');
    assert.equal(contributors.documentation!.value, 'People who help with the task besides its owner.');
    assert.equal(contributors.kind, 10);
    assert.equal(contributors.textEdit!.newText, 'contributors: [$1]');
    assert.equal(contributors.insertTextFormat, 2);
    assert.equal(contributors.command?.command, 'editor.action.triggerSuggest');
    assert.equal(result.item('status').textEdit!.newText, 'status: ');
    assert.equal(result.item('status').insertTextFormat, 1);
    assert.equal(result.item('notes').command, undefined);
    assert.equal(result.item('tasks').textEdit!.newText, 'tasks:\n          - $0');
    assert.equal(result.item('baseline').textEdit!.newText, 'baseline:\n          $0');
    assert.equal(result.item('baseline').insertTextMode, 1);
  });

  test('a half-typed key (the file no longer parses there) replaces the word', () => {
    const result = complete(edit([ROLLOUT_DEPENDS, `${ROLLOUT_DEPENDS}        sta|\n`]));
    assert.equal(result.replaced, 'sta');
    assert.deepEqual(result.labels, ['contributors', 'start', 'status', 'progress', 'load', 'goals', 'links', 'baseline', 'notes', 'tasks']);
  });

  test('renaming a key keeps its value: only the key is inserted', () => {
    const result = complete(edit(['    owner: bob\n    response', '    ow|ner: bob\n    response']));
    assert.equal(result.replaced, 'owner');
    assert.deepEqual(result.labels, ['owner', 'trigger', 'status']);
    assert.equal(result.item('trigger').textEdit!.newText, 'trigger');
  });

  test('plan top level', () => {
    const result = complete('plan: X\nowner: ana\n|\n');
    assert.deepEqual(result.labels, ['version', 'summary', 'start', 'end', 'as_of', 'calendar', 'goals', 'scope', 'people', 'milestones', 'risks', 'resources', 'constraints', 'changes']);
    assert.equal(result.item('start').detail, 'a real calendar date written YYYY-MM-DD, e.g. 2026-03-02 (required)');
    assert.equal(result.item('milestones').textEdit!.newText, 'milestones:\n  - $0');
    assert.equal(result.item('people').textEdit!.newText, 'people:\n  $0');
    assert.deepEqual(complete('|').labels.slice(0, 3), ['plan', 'version', 'owner']);
  });

  test('goal, metric, milestone, risk, person, tool, budget, change', () => {
    assert.deepEqual(complete(edit(['    title: Faster payments\n', '    title: Faster payments\n    |\n'])).labels, ['problem', 'outcome']);
    assert.deepEqual(complete(edit(['        target: 300ms\n', '        target: 300ms\n        |\n'])).labels, ['baseline', 'unit', 'by']);
    assert.deepEqual(complete(edit(['    goals: [faster-payments]\n', '    goals: [faster-payments]\n    |\n'])).labels, ['depends_on', 'description']);
    assert.deepEqual(complete(edit(['    response: Start certification in week 1.\n', '    response: Start certification in week 1.\n    |\n'])).labels, ['trigger', 'status']);
    assert.deepEqual(complete(edit(['dan:   { name: Dan Ito }', 'dan:   { name: Dan Ito, | }'])).labels, ['role', 'email', 'allocation']);
    assert.deepEqual(complete(edit(['dan:   { name: Dan Ito }', 'dan:\n    name: Dan Ito\n    |'])).labels, ['role', 'email', 'allocation']);
    assert.deepEqual(complete(edit(['{ name: PSP sandbox account, confirmed: true, needed_by: payment-api }', '{ name: PSP sandbox account, | }'])).labels, ['confirmed', 'needed_by']);
    const budget = complete(edit(['budget: { amount: 120000, currency: USD, approved: true }', 'budget: { amount: 120000, | }']));
    assert.deepEqual(budget.labels, ['currency', 'approved']);
    assert.equal(budget.item('currency').textEdit!.newText, 'currency: ');
    assert.deepEqual(complete(`${FIXTURE}    |`).labels, ['reason', 'impact']);
  });

  test('calendar, baseline, scope', () => {
    assert.deepEqual(complete(edit(['  holidays: [2026-01-19]\n', '  holidays: [2026-01-19]\n  |\n'])).labels, []);
    assert.deepEqual(complete(edit(['  holidays: [2026-01-19]\n', '|\n'])).labels.includes('calendar'), false);
    assert.deepEqual(complete(edit(['  workdays: [mon, tue, wed, thu, fri]\n', '  |\n'])).labels, ['workdays']);
    assert.deepEqual(complete(edit([ROLLOUT_DEPENDS, `${ROLLOUT_DEPENDS}        baseline: { start: 2026-02-10, | }\n`])).labels, ['end']);
    assert.deepEqual(complete(edit([ROLLOUT_DEPENDS, `${ROLLOUT_DEPENDS}        baseline:\n          |\n`])).labels, ['start', 'end']);
    const scope = complete(edit(['\npeople:', '\nscope:\n  in: [web checkout]\n  |\npeople:']));
    assert.deepEqual(scope.labels, ['out']);
    assert.equal(scope.item('out').textEdit!.newText, 'out: [$1]');
  });
});

describe('completion: dates', () => {
  test('a task start: today, plan start, milestone due, computed start, plan end', () => {
    const result = complete(edit([ROLLOUT_DEPENDS, `${ROLLOUT_DEPENDS}        start: |\n`]), { today: '2026-02-12' });
    assert.deepEqual(result.list.items.map((item) => [item.label, item.detail]), [
      ['2026-02-12', 'today'],
      ['2026-01-05', 'plan start'],
      ['2026-04-10', 'due of milestone `launch`'],
      ['2026-02-10', 'computed start'],
      ['2026-04-30', 'plan end'],
    ]);
    assert.match(result.item('2026-02-12').documentation!.value, /^Thursday 2026-02-12 \(a working day\)/);
    assert.equal(result.item('2026-02-12').kind, 12);
  });

  test('today defaults to the analysis day (as_of); equal dates merge', () => {
    const result = complete(edit(['    due: 2026-04-24', '    due: 2026-|']));
    assert.equal(result.replaced, '2026-');
    assert.deepEqual(result.list.items.map((item) => [item.label, item.detail]), [
      ['2026-02-10', 'today'],
      ['2026-01-05', 'plan start'],
      ['2026-02-26', 'computed end of its tasks'],
      ['2026-04-30', 'plan end'],
    ]);
    const merged = complete(edit(['as_of: 2026-02-10', 'as_of: |']), { today: '2026-01-05' });
    assert.deepEqual(merged.list.items.map((item) => [item.label, item.detail]), [['2026-01-05', 'today · plan start'], ['2026-04-30', 'plan end']]);
  });

  test('baseline dates in a flow mapping, holidays, metric by, change date', () => {
    const baseline = complete(edit(['            depends_on: [address-form]\n', '            depends_on: [address-form]\n            baseline: { start: 2026-02-03, end: | }\n']), { today: '2026-02-12' });
    assert.deepEqual(baseline.list.items.map((item) => [item.label, item.detail]), [
      ['2026-02-12', 'today'],
      ['2026-01-05', 'plan start'],
      ['2026-02-27', 'due of milestone `beta`'],
      ['2026-02-09', 'computed end'],
      ['2026-04-30', 'plan end'],
    ]);
    assert.deepEqual(complete(edit(['holidays: [2026-01-19]', 'holidays: [2026-01-19, |]'])).labels, ['2026-02-10', '2026-01-05', '2026-04-30']);
    assert.deepEqual(complete(edit(['        by: 2026-04-30', '        by: |'])).labels, ['2026-02-10', '2026-01-05', '2026-04-30']);
    assert.deepEqual(complete(edit(['  - date: 2026-02-02', '  - date: |'])).labels, ['2026-02-10', '2026-01-05', '2026-04-30']);
    assert.equal(complete(edit(['holidays: [2026-01-19]', 'holidays: [2026-01-19, |]'])).item('2026-01-05').detail, 'plan start');
  });
});

describe('completion: snippets for new entries', () => {
  test('a new task at `- ` under tasks: a snippet, then the task keys', () => {
    const result = complete(edit(['        duration: 5d\n\nrisks:', '        duration: 5d\n      - |\n\nrisks:']));
    assert.equal(result.labels[0], 'task');
    assert.deepEqual(result.labels.slice(1, 4), ['id', 'title', 'owner']);
    const snippet = result.item('task');
    assert.equal(snippet.kind, 15);
    assert.equal(snippet.insertTextFormat, 2);
    assert.equal(snippet.textEdit!.newText, 'id: ${1:new-task}\n        title: ${2:Title}\n        owner: ${3|alice,bob,carol,dan|}\n        duration: ${4:5d}$0');
    assert.match(snippet.documentation!.value, /```yaml\nid: new-task\ntitle: Title\nowner: alice\nduration: 5d\n```/);
  });

  test('on a blank line at the entries column, the dash comes with it', () => {
    const result = complete(edit(['        duration: 5d\n\nrisks:', '        duration: 5d\n      |\n\nrisks:']));
    assert.deepEqual(result.labels, ['task']);
    assert.equal(result.item('task').textEdit!.newText.split('\n')[0], '- id: ${1:new-task}');
    assert.equal(result.item('task').textEdit!.newText.split('\n')[1], '        title: ${2:Title}');
  });

  test('milestone, risk and goal snippets', () => {
    const milestone = complete(edit(['        duration: 5d\n\nrisks:', '        duration: 5d\n  - |\n\nrisks:'])).item('milestone');
    assert.equal(
      milestone.textEdit!.newText,
      'id: ${1:new-milestone}\n    title: ${2:Title}\n    due: ${3:2026-04-30}\n    owner: ${4|alice,bob,carol,dan|}\n    goals: [${5|lower-abandonment,faster-payments|}]\n    tasks:\n      - id: ${6:new-task}\n        title: ${7:Title}\n        owner: ${8|alice,bob,carol,dan|}\n        duration: ${9:5d}$0',
    );
    const risk = complete(edit(['    affects: [payment-api]\n', '    affects: [payment-api]\n  - |\n'])).item('risk');
    assert.equal(
      risk.textEdit!.newText,
      'id: ${1:new-risk}\n    title: ${2:What could go wrong}\n    likelihood: ${3|low,medium,high|}\n    impact: ${4|low,medium,high|}\n    owner: ${5|alice,bob,carol,dan|}\n    response: ${6:What is done to prevent or absorb it}$0',
    );
    const goal = complete(edit(['        target: 300ms\n', '        target: 300ms\n  - |\n'])).item('goal');
    assert.equal(goal.textEdit!.newText, 'id: ${1:new-goal}\n    title: ${2:Outcome}\n    owner: ${3|alice,bob,carol,dan|}\n    metrics:\n      - name: ${4:What is measured}\n        target: ${5:Target}$0');
  });

  test('person, change, tool and metric snippets', () => {
    const person = complete(edit(['  dan:   { name: Dan Ito }\n', '  dan:   { name: Dan Ito }\n  |\n']));
    assert.deepEqual(person.labels, ['person']);
    assert.equal(person.item('person').textEdit!.newText, '${1:new-person}: { name: ${2:Full Name}, role: ${3:Role}, allocation: ${4|dedicated,shared,50%|} }$0');
    const change = complete(`${FIXTURE}  - |`, { today: '2026-02-12' });
    assert.equal(change.labels[0], 'change');
    assert.equal(change.item('change').textEdit!.newText, 'date: ${1:2026-02-12}\n    summary: ${2:What changed}\n    approved_by: ${3|alice,bob,carol,dan|}\n    affects: [$4]$0');
    const tool = complete(edit(['needed_by: payment-api }\n', 'needed_by: payment-api }\n    - |\n']));
    assert.equal(tool.item('tool').textEdit!.newText, 'name: ${1:What is needed}\n      confirmed: ${2|false,true|}\n      needed_by: ${3}$0');
    const metric = complete(edit(['        target: 300ms\n', '        target: 300ms\n      - |\n']));
    assert.equal(metric.item('metric').textEdit!.newText, 'name: ${1:What is measured}\n        baseline: ${2:Today}\n        target: ${3:Target}\n        by: ${4:2026-04-30}$0');
  });

  test('a milestone goals list holds goal ids, not new goals', () => {
    const result = complete(edit(['    goals: [faster-payments]\n', '    goals:\n      - |\n']));
    assert.deepEqual(result.labels, ['lower-abandonment', 'faster-payments']);
  });
});

describe('completion: broken files', () => {
  test('an unclosed flow list at the cursor', () => {
    const result = complete(edit(['depends_on: [checkout-ui]', 'depends_on: [checkout-ui, |']));
    assert.deepEqual(result.labels, ['beta', 'payment-api', 'address-form', 'card-form', 'help-docs', 'pen-test']);
  });

  test('an unclosed flow list spanning lines', () => {
    const result = complete(edit(['depends_on: [checkout-ui]', 'depends_on: [\n          checkout-ui,\n          |']));
    assert.deepEqual(result.labels, ['beta', 'payment-api', 'address-form', 'card-form', 'help-docs', 'pen-test']);
  });

  test('an unclosed flow list elsewhere hides subtasks from the parser, not from completion', () => {
    const result = complete(edit(['depends_on: [payment-api]', 'depends_on: [payment-api'], ['        owner: dan\n        duration: 1w', '        owner: dan\n        depends_on: [|]\n        duration: 1w']));
    assert.ok(result.labels.includes('address-form') && result.labels.includes('card-form'), result.labels.join(', '));
    assert.equal(result.item('card-form').detail, 'Card form');
    assert.deepEqual(complete(edit(['depends_on: [payment-api]', 'depends_on: [payment-api'], ['    owner: bob\n    response', '    owner: |\n    response'])).labels, PEOPLE);
  });

  test('a missing value before the cursor line and after it', () => {
    const result = complete(edit(['    owner: alice\n    goals: [lower-abandonment]\n    depends_on: [beta]', '    owner:\n    goals: [lower-abandonment, |]\n    depends_on:']));
    assert.deepEqual(result.labels, ['faster-payments']);
    const keys = complete(edit(['        owner: bob\n        depends_on: [rollout]', '        owner:\n        |\n        depends_on: [rollout]']));
    assert.deepEqual(keys.labels, ['contributors', 'start', 'status', 'progress', 'load', 'goals', 'links', 'baseline', 'notes', 'tasks']);
  });

  test('a tab somewhere else in the file', () => {
    const tabbed: [string, string] = ['  holidays: [2026-01-19]', '\tholidays: [2026-01-19]'];
    assert.deepEqual(complete(edit(tabbed, ['depends_on: [checkout-ui]', 'depends_on: [checkout-ui, |]'])).labels, ['beta', 'payment-api', 'address-form', 'card-form', 'help-docs', 'pen-test']);
    assert.deepEqual(complete(edit(tabbed, ['    owner: bob\n    response', '    owner: |\n    response'])).labels, PEOPLE);
    assert.deepEqual(complete(edit(tabbed, ['status: in-progress', 'status: |'])).labels, ['planned', 'in-progress', 'blocked', 'done', 'dropped']);
  });

  test('a half-typed key elsewhere', () => {
    const result = complete(edit(['        status: done\n', '        stat\n'], ['status: in-progress', 'status: |']));
    assert.deepEqual(result.labels, ['planned', 'in-progress', 'blocked', 'done', 'dropped']);
    assert.deepEqual(complete(edit(['        status: done\n', '        stat\n'], [ROLLOUT_DEPENDS, '        depends_on: [checkout-ui, |]\n'])).labels, ['beta', 'payment-api', 'address-form', 'card-form', 'help-docs', 'pen-test']);
  });

  test('nothing in comments, free text or block text', () => {
    assert.deepEqual(complete(edit(['    owner: bob\n    response', '    owner: bob # b|\n    response'])).labels, []);
    assert.deepEqual(complete(edit(['title: Staged rollout', 'title: Staged ro|'])).labels, []);
    assert.deepEqual(complete(edit(['    response: Start certification in week 1.', '    response: >\n      Start certification\n      in week |'])).labels, []);
  });

  test('positions are UTF-16: a non-BMP character before the cursor', () => {
    const result = complete(edit(['needed_by: payment-api }', 'needed_by: payment-api }\n    - { name: 🚀 launch pad, needed_by: ro| }']));
    assert.deepEqual(result.labels, ALL_ITEMS);
    assert.equal(result.replaced, 'ro');
    const line = result.text.split('\n').find((text) => text.includes('🚀'))!;
    assert.equal(result.item('rollout').textEdit!.range.start.character, line.indexOf('ro }'));
  });
});
