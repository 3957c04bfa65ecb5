import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { createPlanService } from '../../server/src/service';
import { planDocument, repoRoot } from '../helpers/fixtures';

// The benchmark (npm run bench) measures the servers on plans from
// scripts/bench/generatePlan.mjs. Its numbers mean something only if those
// plans are what they claim: the asked number of tasks, and valid (no broken
// references, cycles or schema errors that would send a server down an error path).

type Generator = { generatePlan: (taskCount: number, seed?: number) => string };

async function loadGenerator(): Promise<Generator> {
  // An .mjs module from CommonJS: a dynamic import of a computed URL (not resolved by tsc).
  const url = pathToFileURL(path.join(repoRoot, 'scripts', 'bench', 'generatePlan.mjs')).href;
  return (await import(url)) as Generator;
}

describe('benchmark plan generator', () => {
  for (const taskCount of [100, 1000]) {
    test(`a generated plan of ${taskCount} tasks has exactly ${taskCount} tasks and no broken references, cycles or schema errors`, async () => {
      const { generatePlan } = await loadGenerator();
      const text = generatePlan(taskCount);
      assert.equal(generatePlan(taskCount), text, 'same size, same text');
      const service = createPlanService();
      const document = planDocument(text, `generated-${taskCount}.plan.yaml`);
      const analysis = service.analyze(document);
      assert.equal(analysis.model.tasks.length, taskCount);
      assert.equal(new Set(analysis.model.tasks.map((task) => task.id?.text)).size, taskCount, 'every task has its own id');
      const broken = service.getDiagnostics(document).filter((diagnostic) => ['yaml-syntax', 'schema', 'duplicate-id', 'unknown-reference', 'dependency-cycle'].includes(String(diagnostic.code)));
      assert.deepEqual(
        broken.map((diagnostic) => `${diagnostic.code} at line ${diagnostic.range.start.line + 1}: ${diagnostic.message}`),
        [],
      );
    });
  }
});
