import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createPlanService, type PlanTextDocument, type PlanWorkspace } from '../../server/src/service';
import { fixedToday, textAt } from '../helpers/fixtures';

// `path/other.plan.yaml#id` resolves relative to the referencing file, and the
// other plan's computed dates move this plan's like any local dependency.

const platform = `plan: Platform
owner: ana
start: 2026-03-02
people:
  ana: { name: Ana }
goals:
  - { id: g, title: G, owner: ana, metrics: [{ name: m, target: 1 }] }
milestones:
  - id: runners
    title: Runners
    due: 2026-04-30
    owner: ana
    goals: [g]
    tasks:
      - { id: image, title: Image, owner: ana, duration: 2w }
`;

const app = (dependency: string) => `plan: App
owner: ana
start: 2026-03-02
as_of: 2026-02-27
people:
  ana: { name: Ana }
goals:
  - { id: g, title: G, owner: ana, metrics: [{ name: m, target: 1 }] }
milestones:
  - id: ship
    title: Ship
    due: 2026-04-30
    owner: ana
    goals: [g]
    tasks:
      - id: deploy
        title: Deploy on the new runners
        owner: ana
        depends_on: [${dependency}]
        duration: 3d
`;

function workspaceOf(files: Record<string, string>): PlanWorkspace {
  const documents = new Map<string, PlanTextDocument>(Object.entries(files).map(([uri, text]) => [uri, { uri, version: 1, text }]));
  return { getDocument: (uri) => documents.get(uri), listPlanUris: () => [...documents.keys()] };
}

describe('cross-file references', () => {
  test('another plan\'s computed end moves this plan\'s dates', () => {
    const files = { 'file:///ws/infra/platform.plan.yaml': platform, 'file:///ws/apps/app.plan.yaml': app('../infra/platform.plan.yaml#runners') };
    const service = createPlanService({ today: fixedToday('2026-03-02'), workspace: workspaceOf(files) });
    const document = { uri: 'file:///ws/apps/app.plan.yaml', version: 1, text: files['file:///ws/apps/app.plan.yaml'] };
    assert.deepEqual(service.getDiagnostics(document), []);
    const deploy = service.getPlanView(document).milestones[0].tasks[0];
    // image: 2026-03-02 .. 2026-03-13 (10 working days); deploy starts the next Monday.
    assert.deepEqual([deploy.start, deploy.end], ['2026-03-16', '2026-03-18']);
  });

  test('a missing file and a missing id are unknown-reference on the entry', () => {
    const text = app('../infra/nowhere.plan.yaml#runners');
    const service = createPlanService({ today: fixedToday('2026-03-02'), workspace: workspaceOf({ 'file:///ws/infra/platform.plan.yaml': platform }) });
    const [missingFile] = service.getDiagnostics({ uri: 'file:///ws/apps/app.plan.yaml', version: 1, text });
    assert.equal(missingFile.code, 'unknown-reference');
    assert.equal(textAt(text, missingFile.range), '../infra/nowhere.plan.yaml#runners');
    assert.equal(missingFile.message, 'No plan file `../infra/nowhere.plan.yaml` next to this one; fix the path (it is relative to this file).');

    const typo = app('../infra/platform.plan.yaml#runner');
    const [missingId] = service.getDiagnostics({ uri: 'file:///ws/apps/app.plan.yaml', version: 2, text: typo });
    assert.equal(missingId.code, 'unknown-reference');
    assert.equal(missingId.message, '`../infra/platform.plan.yaml` has no task or milestone `runner`; did you mean `runners`?');
    assert.deepEqual(missingId.data, { replacement: '../infra/platform.plan.yaml#runners' });
  });

  test('plans that reference each other do not loop, and a cycle between them is reported', () => {
    const a = app('b.plan.yaml#ship').replace('plan: App', 'plan: A');
    const b = app('a.plan.yaml#ship').replace('plan: App', 'plan: B');
    const service = createPlanService({ today: fixedToday('2026-03-02'), workspace: workspaceOf({ 'file:///ws/a.plan.yaml': a, 'file:///ws/b.plan.yaml': b }) });
    const diagnostics = service.getDiagnostics({ uri: 'file:///ws/a.plan.yaml', version: 1, text: a });
    // Each ship waits for its deploy, which waits for the other plan's ship: a cycle (more in crossFileHardening.test.ts).
    assert.deepEqual(diagnostics.map((diagnostic) => [diagnostic.code, textAt(a, diagnostic.range), diagnostic.message]), [
      ['dependency-cycle', 'b.plan.yaml#ship', 'Dependency cycle across plans: deploy → b.plan.yaml#ship → b.plan.yaml#deploy → ship → deploy; remove one of these dependencies.'],
    ]);
  });

  test('an edit to the other plan is seen: the cached analysis is not reused', () => {
    const documents = new Map<string, PlanTextDocument>([
      ['file:///ws/infra/platform.plan.yaml', { uri: 'file:///ws/infra/platform.plan.yaml', version: 1, text: platform }],
    ]);
    const service = createPlanService({ today: fixedToday('2026-03-02'), workspace: { getDocument: (uri) => documents.get(uri) } });
    const document = { uri: 'file:///ws/apps/app.plan.yaml', version: 1, text: app('../infra/platform.plan.yaml#runners') };
    assert.equal(service.getPlanView(document).milestones[0].tasks[0].start, '2026-03-16');
    documents.set('file:///ws/infra/platform.plan.yaml', { uri: 'file:///ws/infra/platform.plan.yaml', version: 2, text: platform.replace('duration: 2w', 'duration: 3w') });
    assert.equal(service.getPlanView(document).milestones[0].tasks[0].start, '2026-03-23');
  });
});
