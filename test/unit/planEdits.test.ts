import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createPlanService, parseIsoDate } from '../../server/src/service';
import { getBaselineEdit, getRecordChangeEdit } from '../../server/src/service/planEdits';
import { applyEdits, fixedToday, planDocument, readFixture } from '../helpers/fixtures';

const service = createPlanService({ today: fixedToday('2026-02-10') });
const example = readFixture('valid/checkout.plan.yaml');

function apply(text: string, edit: { changes: Record<string, { range: never; newText: string }[]> } | { changes: Record<string, unknown[]> }, uri: string): string {
  return applyEdits(text, ((edit.changes[uri] ?? []) as never[]));
}

describe('set baseline', () => {
  test('writes computed dates into baselines, inserting them before nested tasks, and leaves a clean plan', () => {
    const document = planDocument(example, 'checkout.plan.yaml');
    const { edit, tasks } = getBaselineEdit(service.analyze(document));
    // checkout-ui's baseline already matches; address-form, payment-api and rollout get new ones.
    assert.equal(tasks, 3);
    const result = apply(example, edit, document.uri);
    assert.match(result, /        links: \[src\/payments\/\*\*, docs\/adr\/007-psp\.md\]\n        baseline: \{ start: 2026-01-05, end: 2026-01-26 \}\n {6}- id: checkout-ui/);
    assert.match(result, /            progress: 100\n            baseline: \{ start: 2026-01-27, end: 2026-01-30 \}\n/);
    assert.match(result, /        duration: 2w\n        baseline: \{ start: 2026-02-17, end: 2026-03-02 \}\n\nrisks:/);
    assert.deepEqual(service.getDiagnostics({ ...document, version: 2, text: result }), []);
    // Idempotent: a second run changes nothing.
    assert.equal(getBaselineEdit(service.analyze({ ...document, version: 3, text: result })).tasks, 0);
  });

  test('updates baseline values that differ, nothing else', () => {
    const text = example.replace('baseline: { start: 2026-01-27, end: 2026-02-16 }', 'baseline: { start: 2026-01-27, end: 2026-02-10 }');
    const document = planDocument(text, 'moved.plan.yaml');
    const result = apply(text, getBaselineEdit(service.analyze(document)).edit, document.uri);
    assert.ok(result.includes('baseline: { start: 2026-01-27, end: 2026-02-16 }'));
  });
});

describe('record change', () => {
  test('appends to the changes list, quoting the summary when needed', () => {
    const document = planDocument(example, 'checkout.plan.yaml');
    const edit = getRecordChangeEdit(service.analyze(document), { date: parseIsoDate('2026-02-10')!, summary: 'Rollout: two weeks later # PSP', affects: ['rollout', 'launch'] });
    const result = apply(example, edit, document.uri);
    assert.ok(result.endsWith(`    affects: [beta]\n  - date: 2026-02-10\n    summary: "Rollout: two weeks later # PSP"\n    affects: [rollout, launch]\n`));
    assert.deepEqual(service.getDiagnostics({ ...document, version: 2, text: result }), []);
  });

  test('creates the changes section when there is none', () => {
    const text = example.slice(0, example.indexOf('changes:'));
    const document = planDocument(text, 'nochanges.plan.yaml');
    const edit = getRecordChangeEdit(service.analyze(document), { date: parseIsoDate('2026-02-11')!, summary: 'Scope cut', affects: [] });
    assert.ok(apply(text, edit, document.uri).endsWith('\nchanges:\n  - date: 2026-02-11\n    summary: Scope cut\n'));
  });
});
