import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createPlanService, type PlanAnalysis } from '../../server/src/service';
import { fixedToday, readFixture } from '../helpers/fixtures';
import { dependenciesOf } from '../../server/src/service/scheduler';

// An edit that touches nothing a schedule reads (a title, a status, an owner)
// carries the previous schedule over instead of computing it again. Every edit
// that does touch one of its inputs must be scheduled afresh: each case below
// changes one input and compares the result with a fresh analysis.

const uri = 'file:///workspace/checkout.plan.yaml';
const original = readFixture('valid/checkout.plan.yaml');

function replaceOnce(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  assert.ok(at >= 0 && text.indexOf(from, at + 1) < 0, `"${from}" occurs exactly once`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

/**
 * The analysis of `edited` made from the analysis of the original text, and whether the
 * schedule was carried over (a carried-over schedule keeps its calendar; a computed one
 * makes a new one).
 */
function analyseAfterEdit(edited: string, today = '2026-02-10'): { after: PlanAnalysis; carried: boolean } {
  const service = createPlanService({ today: fixedToday(today) });
  const before = service.analyze({ uri, version: 1, text: original });
  const calendarBefore = before.schedule.calendar;
  const after = service.analyze({ uri, version: 2, text: edited });
  return { after, carried: after.schedule.calendar === calendarBefore };
}

/** Dates, slack and critical flags by id, plus the critical path. */
function scheduleSummary(analysis: PlanAnalysis) {
  const items = [...analysis.schedule.items.values()].map((s) => [s.item.id?.text, s.start, s.end, s.slack, s.critical, s.explicitStart, s.workingDays, s.datesKnown]);
  const dependencies = analysis.model.tasks.map((task) => [task.id?.text, dependenciesOf(analysis.schedule, task).map((target) => target.id?.text)]);
  const milestoneDependencies = [...analysis.schedule.milestoneDependencies].map(([milestone, targets]) => [milestone.id?.text, targets.map((target) => target.id?.text)]);
  return { items, dependencies, milestoneDependencies, criticalPath: analysis.schedule.criticalPath.map((task) => task.id?.text), planEnd: analysis.schedule.planEnd };
}

function fresh(text: string, today = '2026-02-10'): PlanAnalysis {
  return createPlanService({ today: fixedToday(today), incremental: false }).analyze({ uri, version: 2, text });
}

describe('the schedule is carried over only when nothing it reads changed', () => {
  const carried: [name: string, edited: string][] = [
    ['a task title', replaceOnce(original, 'title: Payment API', 'title: Payment API v2')],
    ['a status', replaceOnce(original, 'status: in-progress', 'status: blocked')],
    ['an owner', replaceOnce(original, "        owner: bob\n        depends_on: [checkout-ui]", "        owner: carol\n        depends_on: [checkout-ui]")],
    ['a comment and a new line above the milestones', replaceOnce(original, 'milestones:\n', '# next quarter\nmilestones:\n')],
  ];
  for (const [name, edited] of carried) {
    test(`${name}: carried over, and equal to a fresh schedule`, () => {
      const { after, carried } = analyseAfterEdit(edited);
      assert.equal(carried, true);
      assert.deepEqual(scheduleSummary(after), scheduleSummary(fresh(edited)));
      // The carried-over schedule is keyed by this version's entities.
      for (const task of after.model.tasks) assert.equal(after.schedule.items.get(task)?.item, task);
      for (const task of after.model.tasks) for (const target of dependenciesOf(after.schedule, task)) assert.ok(after.schedule.items.has(target));
      for (const milestone of after.model.milestones) assert.ok(after.schedule.milestoneDependencies.has(milestone));
    });
  }

  const recomputed: [name: string, edited: string][] = [
    ['a duration', replaceOnce(original, 'duration: 4d', 'duration: 6d')],
    ['a duration that no longer parses', replaceOnce(original, 'duration: 4d', 'duration: 4dx')],
    ['a start date', replaceOnce(original, 'start: 2026-01-05\n        duration: 3w', 'start: 2026-01-07\n        duration: 3w')],
    ['an end instead of a duration', replaceOnce(original, 'duration: 2w', 'end: 2026-03-20')],
    ['a dependency', replaceOnce(original, 'depends_on: [checkout-ui]', 'depends_on: [address-form]')],
    ['a dependency removed', replaceOnce(original, 'depends_on: [checkout-ui]', 'depends_on: []')],
    ['a milestone dependency', replaceOnce(original, 'depends_on: [beta]', 'depends_on: []')],
    ['an id that others depend on', replaceOnce(original, 'id: payment-api', 'id: payments-api')],
    ['a goal id equal to a task id (the first entity with an id wins)', replaceOnce(original, 'id: lower-abandonment', 'id: payment-api')],
    ['a milestone due date', replaceOnce(original, 'due: 2026-04-10', 'due: 2026-04-17')],
    ['a holiday', replaceOnce(original, 'holidays: [2026-01-19]', 'holidays: [2026-01-19, 2026-01-28]')],
    ['the working week', replaceOnce(original, 'workdays: [mon, tue, wed, thu, fri]', 'workdays: [mon, tue, wed, thu]')],
    ['the plan start', replaceOnce(original, 'start: 2026-01-05\nend:', 'start: 2026-01-06\nend:')],
    ['a subtask moved up a level', replaceOnce(original, '        tasks:                     # optional breakdown (work breakdown structure)\n          - id: address-form\n            title: Address form\n            owner: carol\n            duration: 4d\n            status: done\n            progress: 100\n', '      - id: address-form\n        title: Address form\n        owner: carol\n        duration: 4d\n        status: done\n        progress: 100\n')],
    ['a task added', replaceOnce(original, '      - id: rollout\n', '      - id: docs\n        title: Docs\n        owner: bob\n        duration: 1w\n      - id: rollout\n')],
  ];
  for (const [name, edited] of recomputed) {
    test(`${name}: scheduled afresh, equal to a fresh schedule`, () => {
      const { after, carried } = analyseAfterEdit(edited);
      assert.equal(carried, false);
      assert.deepEqual(scheduleSummary(after), scheduleSummary(fresh(edited)));
    });
  }

  test('a new day moves a plan without a start: not carried over', () => {
    const noStart = replaceOnce(original, 'start: 2026-01-05\nend:', 'end:').replace(/\n        start: 2026-01-05\n/, '\n');
    const service = createPlanService({ today: (() => { let day = fixedToday('2026-02-10')(); return () => day++; })() });
    const first = service.analyze({ uri, version: 1, text: noStart });
    const firstStart = first.schedule.planStart;
    const second = service.analyze({ uri, version: 2, text: noStart.replace('title: Payment API', 'title: Payment API v2') });
    assert.notEqual(second.schedule.planStart, firstStart);
  });
});
