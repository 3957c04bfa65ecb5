import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { createPlanService } from '../../server/src/service';
import type { PlanViewTask } from '../../server/src/protocol/planView';
import { fixedToday, fixturesDir, planDocument, readFixture } from '../helpers/fixtures';

// The expected dates were worked out by hand from the format before the
// scheduler existed (test/fixtures/schedule/README.md shows the counting).

interface Expected {
  items: Record<string, { start?: string; end?: string; slack?: number; critical?: boolean }>;
  criticalPath: string[];
  planEnd: string;
}

describe('scheduler against hand-derived fixtures', () => {
  const files = fs.readdirSync(path.join(fixturesDir, 'schedule')).filter((file) => file.endsWith('.plan.yaml'));
  assert.ok(files.length >= 9);
  for (const file of files) {
    test(file, () => {
      const expected = JSON.parse(readFixture(`schedule/${file.replace('.plan.yaml', '.expected.json')}`)) as Expected;
      const service = createPlanService({ today: fixedToday('2026-01-01') });
      const view = service.getPlanView(planDocument(readFixture(`schedule/${file}`), file));
      const actual: Record<string, Record<string, unknown>> = {};
      const visit = (tasks: PlanViewTask[]) => {
        for (const task of tasks) {
          actual[task.id] = { start: task.start, end: task.end, slack: task.slack, critical: task.critical };
          visit(task.tasks);
        }
      };
      for (const milestone of view.milestones) {
        actual[milestone.id] = { start: milestone.start, end: milestone.end };
        visit(milestone.tasks);
      }
      for (const [id, item] of Object.entries(expected.items)) {
        const picked = Object.fromEntries(Object.keys(item).map((key) => [key, actual[id]?.[key]]));
        assert.deepEqual(picked, item, `item ${id}`);
      }
      assert.deepEqual(view.criticalPath, expected.criticalPath);
      assert.equal(view.computedEnd, expected.planEnd);
    });
  }
});

describe('the format\'s full example', () => {
  const text = readFixture('valid/checkout.plan.yaml');

  test('has no diagnostics at all with its as_of', () => {
    const service = createPlanService({ today: fixedToday('2030-01-01') });
    assert.deepEqual(service.getDiagnostics(planDocument(text, 'checkout.plan.yaml')), []);
  });

  test('computed schedule, slack and critical path, task by task', () => {
    const service = createPlanService({ today: fixedToday('2030-01-01') });
    const view = service.getPlanView(planDocument(text, 'checkout.plan.yaml'));
    const rows: string[] = [];
    const visit = (tasks: PlanViewTask[], depth: number) => {
      for (const task of tasks) {
        rows.push(`${'  '.repeat(depth)}${task.id} ${task.start}..${task.end} slack=${task.slack}${task.critical ? ' critical' : ''} ${task.status} ${task.progress}%`);
        visit(task.tasks, depth + 1);
      }
    };
    for (const milestone of view.milestones) {
      rows.push(`${milestone.id} ${milestone.start}..${milestone.end} due=${milestone.due} ${milestone.status}`);
      visit(milestone.tasks, 1);
    }
    assert.deepEqual(rows, [
      'beta 2026-01-05..2026-02-16 due=2026-02-27 in-progress',
      '  payment-api 2026-01-05..2026-01-26 slack=0 critical done 100%',
      '  checkout-ui 2026-01-27..2026-02-16 slack=0 critical in-progress 60%',
      '    address-form 2026-01-27..2026-01-30 slack=11 done 100%',
      'launch 2026-02-17..2026-03-02 due=2026-04-10 planned',
      '  rollout 2026-02-17..2026-03-02 slack=0 critical planned 0%',
    ]);
    assert.deepEqual(view.criticalPath, ['payment-api', 'checkout-ui', 'rollout']);
    assert.equal(view.computedEnd, '2026-03-02');
    assert.equal(view.asOf, '2026-02-10');
  });
});

describe('as_of defaults to the injected today', () => {
  test('overdue follows the clock when the plan has no as_of', () => {
    const text = readFixture('valid/checkout.plan.yaml').replace('as_of: 2026-02-10                # optional status date; defaults to today\n', '');
    const early = createPlanService({ today: fixedToday('2026-02-10') }).getDiagnostics(planDocument(text));
    assert.deepEqual(early, []);
    const late = createPlanService({ today: fixedToday('2026-03-10') }).getDiagnostics(planDocument(text));
    assert.deepEqual(late.map((diagnostic) => diagnostic.code).sort(), ['behind-schedule', 'behind-schedule', 'overdue', 'overdue', 'overdue']);
  });
});
