import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { createPlanService, type PlanAnalysis } from '../../server/src/service';
import { fixedToday, repoRoot } from '../helpers/fixtures';
import { apply, randomEdit, treeDigest } from '../helpers/randomEdits';

// Incremental analysis must give exactly what a full analysis gives. Thousands
// of random edits — typing, deleting, pasting, breaking and repairing the
// YAML — are applied to plans one after another; after each, the analysis
// reused from the previous version is compared with a fresh one of the same
// text: the YAML tree node by node, every span in the model, the findings and
// the plan view. Most edits must be handled without a full re-parse.

/** The benchmark's generator, and its seeded PRNG so a failure can be replayed. */
type Generator = { generatePlan: (taskCount: number, seed?: number) => string; random: (seed: number) => () => number };

async function loadGenerator(): Promise<Generator> {
  const url = pathToFileURL(path.join(repoRoot, 'scripts', 'bench', 'generatePlan.mjs')).href;
  return (await import(url)) as Generator;
}

/** Every span the model holds, with what it belongs to. */
function modelDigest(analysis: PlanAnalysis): unknown[] {
  const model = analysis.model;
  const out: unknown[] = [];
  for (const entity of [...model.goals, ...model.milestones, ...model.tasks, ...model.risks]) {
    out.push([entity.kind, entity.id?.text, entity.id?.span, entity.title?.span, entity.anchor, entity.fields.firstKeySpan, [...entity.fields.keySpans]]);
    if (entity.kind === 'task') {
      out.push([entity.start, entity.end, entity.duration, entity.status, entity.progress, entity.load, entity.links, entity.baseline, entity.parent?.id?.text, entity.milestone.id?.text]);
    }
    if (entity.kind === 'milestone') out.push([entity.due, entity.allTasks.map((task) => task.anchor)]);
  }
  for (const reference of model.references) out.push([reference.kind, reference.property, reference.text, reference.span, reference.holder?.anchor]);
  out.push(model.tooDeep, [...model.entitiesById.keys()]);
  return out;
}

function findingsDigest(analysis: PlanAnalysis): unknown[] {
  return analysis.findings.map((finding) => [finding.rule, finding.span[0], finding.span[1], finding.message, finding.replacement]);
}

async function runEdits(base: string, edits: number, seed: number): Promise<{ incremental: number; total: number }> {
  const today = fixedToday('2026-03-02');
  const live = createPlanService({ today });
  const uri = 'file:///workspace/edited.plan.yaml';
  const next = (await loadGenerator()).random(seed);
  let text = base;
  let version = 1;
  let incremental = 0;
  let total = 0;
  /** Analyses the new text both ways and compares; returns whether it has YAML problems. */
  const check = (newText: string, why: () => string): boolean => {
    text = newText;
    version++;
    const reused = live.analyze({ uri, version, text });
    const fresh = createPlanService({ today, incremental: false }).analyze({ uri, version, text });
    assert.deepEqual(treeDigest(reused.parsed.document?.contents), treeDigest(fresh.parsed.document?.contents), `YAML tree differs after ${why()}`);
    assert.deepEqual(modelDigest(reused), modelDigest(fresh), `model differs after ${why()}`);
    assert.deepEqual(findingsDigest(reused), findingsDigest(fresh), `findings differ after ${why()}`);
    if (total % 25 === 0) {
      assert.deepEqual(live.getPlanView({ uri, version, text }), createPlanService({ today, incremental: false }).getPlanView({ uri, version, text }), `plan view differs after ${why()}`);
    }
    total++;
    if (reused.incremental) incremental++;
    return fresh.parsed.problems.length > 0;
  };
  live.analyze({ uri, version, text });
  let lastClean = text;
  let brokenFor = 0;
  for (let step = 0; step < edits; step++) {
    const edit = randomEdit(text, next);
    const before = text;
    const broken = check(apply(text, edit), () => `seed ${seed}, step ${step}: ${JSON.stringify(edit)} at …${JSON.stringify(before.slice(Math.max(0, edit.start - 40), edit.end + 40))}…`);
    if (!broken) {
      lastClean = text;
      brokenFor = 0;
      continue;
    }
    // People repair what they break: usually at once (undo), else soon after.
    brokenFor++;
    if (next() < 0.8) check(before, () => `seed ${seed}, step ${step}: undoing ${JSON.stringify(edit)}`);
    else if (brokenFor > 3) check(lastClean, () => `seed ${seed}, step ${step}: back to the last valid text`);
  }
  return { incremental, total };
}

describe('incremental analysis', () => {
  test('random edits of a generated plan give exactly the full analysis, at least 90% without a full re-parse', async () => {
    const { generatePlan } = await loadGenerator();
    const base = generatePlan(40);
    const results = [await runEdits(base, 300, 11), await runEdits(base, 300, 12), await runEdits(base, 300, 14)];
    const incremental = results.reduce((sum, result) => sum + result.incremental, 0);
    const total = results.reduce((sum, result) => sum + result.total, 0);
    assert.ok(incremental / total >= 0.9, `${incremental} of ${total} edits were incremental (${((100 * incremental) / total).toFixed(1)}%); at least 90% must be`);
  });

  test('random edits of the format example give exactly the full analysis', async () => {
    const base = fs.readFileSync(path.join(repoRoot, 'examples', 'checkout.plan.yaml'), 'utf8');
    const result = await runEdits(base, 300, 22);
    // A small plan is mostly short top-level entries and has one list item per
    // milestone: more edits reach across chunks or break the YAML for good.
    assert.ok(result.incremental / result.total >= 0.7, `${result.incremental} of ${result.total} edits of the example were incremental`);
  });

  test('an edit inside one milestone re-parses only that milestone and keeps the others', () => {
    const text = fs.readFileSync(path.join(repoRoot, 'examples', 'checkout.plan.yaml'), 'utf8');
    const service = createPlanService({ today: fixedToday('2026-03-02') });
    const uri = 'file:///workspace/checkout.plan.yaml';
    const first = service.analyze({ uri, version: 1, text });
    const [beta, launch] = first.model.milestones;
    const at = text.indexOf('One-page checkout UI') + 'One-page'.length;
    const second = service.analyze({ uri, version: 2, text: `${text.slice(0, at)}r${text.slice(at)}` });
    assert.equal(second.incremental, true);
    assert.notEqual(second.model.milestones[0], beta, 'the edited milestone is rebuilt');
    assert.equal(second.model.milestones[1], launch, 'the other milestone is reused as it was');
    assert.equal(second.model.tasks.find((task) => task.id?.text === 'checkout-ui')?.title?.text, 'One-pager checkout UI');
    const rollout = second.model.tasks.find((task) => task.id?.text === 'rollout')!;
    assert.equal(second.document.text.slice(...rollout.id!.span), 'rollout', 'spans after the edit moved with the text');
  });

  test('anchors and aliases and a second document force a full analysis; a far-away error is kept as it was', () => {
    const service = createPlanService({ today: fixedToday('2026-03-02') });
    const text = fs.readFileSync(path.join(repoRoot, 'examples', 'checkout.plan.yaml'), 'utf8');
    const uri = 'file:///workspace/forced.plan.yaml';
    const edit = (source: string) => {
      const at = source.indexOf('Staged rollout') + 1;
      return `${source.slice(0, at)}x${source.slice(at)}`;
    };
    const cases = {
      anchor: text.replace('title: Private beta', 'title: &beta Private beta'),
      'second document': `${text}---\nplan: other\n`,
    };
    let version = 1;
    for (const [name, source] of Object.entries(cases)) {
      service.analyze({ uri, version: version++, text: source });
      assert.equal(service.analyze({ uri, version: version++, text: edit(source) }).incremental, false, name);
    }
    const broken = text.replace('summary: Replace', 'summary: "Replace');
    service.analyze({ uri, version: version++, text: broken });
    const reused = service.analyze({ uri, version: version++, text: edit(broken) });
    const fresh = createPlanService({ today: fixedToday('2026-03-02'), incremental: false }).analyze({ uri, version, text: edit(broken) });
    assert.deepEqual(findingsDigest(reused), findingsDigest(fresh));
    assert.ok(reused.findings.some((finding) => finding.rule === 'yaml-syntax'));
  });
});
