import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { ValidateFunction } from 'ajv';
import { parseDocument } from 'yaml';
import * as generated from '../../server/src/service/generated/planValidators';
import { repoRoot } from '../helpers/fixtures';

// The validators are compiled from the schema at build time. They must be
// those of the schema as it is now, and give exactly the errors ajv gives when
// it compiles the schema itself, on every plan fixture of the repository.

type Generator = {
  generateValidators: () => string;
  outputFile: string;
  createPlanAjv: (forSource: boolean) => { addSchema(schema: object): void; getSchema(id: string): ValidateFunction | undefined };
  planSchemas: () => { schema: object; withoutMilestones: { $id: string }; milestone: { $id: string } };
};

async function loadGenerator(): Promise<Generator> {
  return (await import(pathToFileURL(path.join(repoRoot, 'scripts', 'generate-validators.mjs')).href)) as Generator;
}

function planFiles(directory: string): string[] {
  return fs.readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) return planFiles(full);
    return /\.plan\.ya?ml$/.test(entry.name) ? [full] : [];
  });
}

test('the generated validators are up to date with schemas/plan.schema.json', async () => {
  const generator = await loadGenerator();
  assert.equal(fs.readFileSync(generator.outputFile, 'utf8'), generator.generateValidators(), 'run npm run build (scripts/generate-validators.mjs)');
});

test('the generated validators give the errors ajv gives compiling the schema, on every fixture', async () => {
  const generator = await loadGenerator();
  const ajv = generator.createPlanAjv(false);
  const { schema, withoutMilestones, milestone } = generator.planSchemas();
  ajv.addSchema(schema);
  ajv.addSchema(withoutMilestones);
  ajv.addSchema(milestone);
  const compiled = { plan: ajv.getSchema(withoutMilestones.$id)!, milestone: ajv.getSchema(milestone.$id)! };
  // The adversarial corpus is hostile to a plain toJS (an alias bomb); test/unit/adversarial.test.ts covers it.
  const files = [...planFiles(path.join(repoRoot, 'test', 'fixtures')), ...planFiles(path.join(repoRoot, 'examples'))].filter((file) => !file.includes(`${path.sep}adversarial${path.sep}`));
  const example = fs.readFileSync(path.join(repoRoot, 'examples', 'checkout.plan.yaml'), 'utf8');
  // And a few mistakes of each kind, made in the example.
  const broken = {
    'unknown keys': example.replace('title: Payment API', 'titel: Payment API').replace('summary:', 'sumary:'),
    'bad values': example.replace('status: done', 'status: finished').replace('duration: 3w', 'duration: three weeks').replace('due: 2026-02-27', 'due: 2026-02-30'),
    'missing and wrong types': example.replace('    title: Private beta\n', '').replace('progress: 60', 'progress: [60]').replace('likelihood: medium', 'likelihood: 5'),
  };
  let withErrors = 0;
  const texts: [string, string][] = [...files.map((file): [string, string] => [file, fs.readFileSync(file, 'utf8')]), ...Object.entries(broken)];
  for (const [file, text] of texts) {
    const value = parseDocument(text).toJS() as { milestones?: unknown };
    const parts: [keyof typeof compiled, unknown][] = [['plan', value], ...(Array.isArray(value?.milestones) ? value.milestones.map((item): [keyof typeof compiled, unknown] => ['milestone', item]) : [])];
    for (const [which, instance] of parts) {
      const fresh = compiled[which];
      const built = (generated as unknown as Record<string, ValidateFunction>)[which];
      assert.equal(built(instance), fresh(instance), `${file} ${which}`);
      const strip = (errors: ValidateFunction['errors']) => (errors ?? []).map(({ instancePath, schemaPath, keyword, params, message, parentSchema }) => ({ instancePath, schemaPath, keyword, params, message, parentSchema }));
      assert.deepEqual(strip(built.errors), strip(fresh.errors), `${file} ${which}`);
      if ((fresh.errors ?? []).length > 0) withErrors++;
    }
  }
  assert.ok(files.length > 20 && withErrors >= 9, `${files.length} files, ${withErrors} parts with errors`);
});
