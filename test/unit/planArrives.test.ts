import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createPlanService, formatDay, type PlanTextDocument, type PlanWorkspace } from '../../server/src/service';
import { fixedToday } from '../helpers/fixtures';

// A plan that refers to a file not there yet: the analysis notes the file as
// missing, so when it appears (created on disk, or read in later by the web
// worker, which asks its client) the cached analysis is stale and the next
// one resolves the reference. Before, a missing file left no trace and the
// cached "missing file" analysis was kept until the plan itself changed.

const ROOT = 'file:///work/shop';
const main: PlanTextDocument = {
  uri: `${ROOT}/main.plan.yaml`,
  version: 1,
  text: `plan: Main
owner: ana
start: 2026-03-02
as_of: 2026-03-02
people:
  ana: { name: Ana }
milestones:
  - id: ship
    title: Ship
    due: 2026-06-30
    owner: ana
    tasks:
      - id: build
        title: Build
        owner: ana
        duration: 5d
        depends_on: [other.plan.yaml#api]
`,
};
const other: PlanTextDocument = {
  uri: `${ROOT}/other.plan.yaml`,
  version: -7,
  text: `plan: Other
owner: ana
start: 2026-03-02
as_of: 2026-03-02
people:
  ana: { name: Ana }
milestones:
  - id: base
    title: Base
    due: 2026-04-30
    owner: ana
    tasks:
      - { id: api, title: API, owner: ana, duration: 10d }
`,
};

test('a plan that appears after the first analysis is picked up, and only then is the analysis redone', () => {
  const files = new Map<string, PlanTextDocument>();
  const workspace: PlanWorkspace = { getDocument: (uri) => (uri === main.uri ? main : files.get(uri)), isInside: (uri) => uri.startsWith(`${ROOT}/`) };
  const service = createPlanService({ workspace, today: fixedToday('2026-03-02') });
  const unknown = (analysis: ReturnType<typeof service.analyze>) => analysis.findings.filter((finding) => finding.rule === 'unknown-reference').map((finding) => finding.message);

  const before = service.analyze(main);
  assert.deepEqual(unknown(before), ['No plan file `other.plan.yaml` next to this one; fix the path (it is relative to this file).']);
  assert.equal(service.analyze(main), before, 'nothing changed: the cached analysis is kept');

  files.set(other.uri, other);
  const after = service.analyze(main);
  assert.notEqual(after, before);
  assert.deepEqual(unknown(after), []);
  // The dependency's dates now reach the task: it starts the working day after `api` ends (10 working days from Monday 2026-03-02).
  const startOf = (analysis: typeof before) => {
    const build = analysis.model.tasks.find((task) => task.id?.text === 'build')!;
    const start = analysis.schedule.items.get(build)?.start;
    return start === undefined ? undefined : formatDay(start);
  };
  assert.equal(startOf(before), '2026-03-02');
  assert.equal(startOf(after), '2026-03-16');
  assert.equal(service.analyze(main), after);
});
