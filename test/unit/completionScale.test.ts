import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { createPlanService } from '../../server/src/service';
import { getCompletions, milestoneLinesAround, resolveCompletionItem } from '../../server/src/service/completion';
import { analyzeCursor } from '../../server/src/service/cursorContext';
import { fixedToday, planDocument, repoRoot } from '../helpers/fixtures';

// Completion in a big plan reads only the milestone around the cursor and
// lists at most 150 dependencies, nearest first, marked incomplete so the
// editor asks again as the user types.

async function bigPlan(): Promise<string> {
  const url = pathToFileURL(path.join(repoRoot, 'scripts', 'bench', 'generatePlan.mjs')).href;
  return ((await import(url)) as { generatePlan: (count: number) => string }).generatePlan(1000);
}

describe('completion in a plan of 1,000 tasks', () => {
  test('the cursor context from the milestone alone equals the one from the whole text', async () => {
    const text = await bigPlan();
    const analysis = createPlanService({ today: fixedToday('2026-03-02') }).analyze(planDocument(text, 'big.plan.yaml'));
    const probes = ['owner: ', 'depends_on: [', 'status: ', 'duration: ', '  title: ', '- id: task-5'];
    let compared = 0;
    for (const probe of probes) {
      for (let at = text.indexOf(probe); at !== -1 && compared < 60; at = text.indexOf(probe, at + 5000)) {
        const offset = at + probe.length;
        const filter = milestoneLinesAround(analysis, offset);
        if (!filter) continue;
        assert.deepEqual(analyzeCursor(text, offset, { feed: filter }).context, analyzeCursor(text, offset).context, `at ${offset} after ${JSON.stringify(probe)}`);
        compared++;
      }
    }
    assert.ok(compared >= 30, `compared ${compared} positions`);
  });

  test('the cursor line is read even outside the spans fed, in its place among them', () => {
    const text = ['plan: P', 'owner: ana', 'people:', '  ana: { name: Ana }', 'milestones:', '  - id: m', '    tasks:', '      - id: t', '        owner: ', '        title: T', 'risks: []'].join('\n');
    const offset = text.indexOf('owner: ', text.indexOf('- id: t')) + 'owner: '.length;
    // People (lines 2–3) and line 9 left out, and the cursor's line (8) outside every span: the same as those lines blank (same offsets).
    // [10, 11] checks that the cursor's line is read before a later span: `risks:` would otherwise close the milestone.
    const fed = new Set([0, 1, 4, 5, 6, 7, 8, 10]);
    const blanked = text.split('\n').map((line, index) => (fed.has(index) ? line : ' '.repeat(line.length))).join('\n');
    const expected = analyzeCursor(blanked, offset);
    assert.equal(expected.context?.mode, 'value');
    assert.deepEqual(expected.context?.path.map((segment) => segment.kind), ['key', 'item', 'key', 'item', 'key']);
    for (const feed of [[[0, 2], [4, 8]], [[0, 2], [4, 8], [10, 11]], [[0, 1], [1, 2], [4, 6], [6, 8], [12, 20]]] as [number, number][][]) {
      assert.deepEqual(analyzeCursor(text, offset, { feed: [...feed] }).context, expected.context, JSON.stringify(feed));
    }
  });

  test('depends_on lists the 150 nearest matching ids and says the list is incomplete', async () => {
    const text = await bigPlan();
    const analysis = createPlanService({ today: fixedToday('2026-03-02') }).analyze(planDocument(text, 'big.plan.yaml'));
    const offset = text.indexOf('depends_on: [', text.length / 2) + 'depends_on: ['.length;
    const all = getCompletions(analysis, analysis.lines.positionAt(offset));
    assert.equal(all.isIncomplete, true);
    assert.equal(all.items.length, 150);
    const holder = text.lastIndexOf('- id: ', offset);
    const holderId = /- id: (\S+)/.exec(text.slice(holder))![1];
    assert.ok(!all.items.some((item) => item.label === holderId), 'never the task itself');
    const typedAt = offset;
    const typed = `${text.slice(0, typedAt)}task-99${text.slice(typedAt)}`;
    const retyped = createPlanService({ today: fixedToday('2026-03-02') }).analyze(planDocument(typed, 'big.plan.yaml', 2));
    const narrowed = getCompletions(retyped, retyped.lines.positionAt(typedAt + 'task-99'.length));
    const labels = narrowed.items.map((item) => item.label);
    // Letters in order, as the editor's own filter matches (task-99, task-199, …); later tasks that wait for this one would make a cycle.
    assert.ok(labels.includes('task-99') && labels.includes('task-199'), labels.join(' '));
    assert.ok(labels.every((label) => /t.*a.*s.*k.*-.*9.*9/.test(label)), labels.join(' '));
    assert.ok(labels.length < 150);
    assert.equal(narrowed.isIncomplete, true, 'filtered by what is typed: deleting a letter asks again');
  });

  test('deferred documentation, resolved, is the documentation given at once', async () => {
    const text = await bigPlan();
    const analysis = createPlanService({ today: fixedToday('2026-03-02') }).analyze(planDocument(text, 'big.plan.yaml'));
    for (const probe of ['owner: ', 'depends_on: [']) {
      const position = analysis.lines.positionAt(text.indexOf(probe, text.length / 3) + probe.length);
      const eager = getCompletions(analysis, position, analysis.asOf);
      const deferred = getCompletions(analysis, position, analysis.asOf, undefined, { deferDocumentation: true });
      assert.equal(deferred.items.length, eager.items.length);
      assert.ok(deferred.items.every((item) => item.documentation === undefined && item.data !== undefined), probe);
      assert.deepEqual(
        deferred.items.map((item) => resolveCompletionItem(analysis, item).documentation),
        eager.items.map((item) => item.documentation),
        probe,
      );
    }
  });
});
