// Compiles the plan's JSON Schema into validation code at build time (ajv
// standalone), so nothing is compiled with `new Function` at run time: the
// server starts faster, needs less memory, and the same code can run where
// eval is not allowed (a web worker under a strict CSP).
//
//   node scripts/generate-validators.mjs   (npm run build runs it)
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';

const require = createRequire(import.meta.url);
const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const outputFile = path.join(root, 'server', 'src', 'service', 'generated', 'planValidators.ts');

/** The ajv options the service's messages rely on: every error, with its schema (`x-expected`, `x-message`). */
export function createPlanAjv(forSource) {
  const Ajv = require('ajv').default;
  const addFormats = require('ajv-formats').default;
  const { _ } = require('ajv/dist/compile/codegen');
  const options = { allErrors: true, strict: true, verbose: true };
  if (forSource) options.code = { source: true, esm: true, formats: _`require("ajv-formats/dist/formats").fullFormats` };
  const ajv = new Ajv(options);
  ajv.addKeyword('x-expected');
  ajv.addKeyword('x-message');
  addFormats(ajv, ['date']);
  return ajv;
}

/** The plan without its milestones (validated one by one), and one milestone. */
export function planSchemas() {
  const schema = JSON.parse(readFileSync(path.join(root, 'schemas', 'plan.schema.json'), 'utf8'));
  const withoutMilestones = {
    ...schema,
    $id: 'https://blueprint.dev/schemas/plan-without-milestones.schema.json',
    properties: { ...schema.properties, milestones: { ...schema.properties.milestones, items: true } },
  };
  return { schema, withoutMilestones, milestone: { $id: 'https://blueprint.dev/schemas/milestone.schema.json', $ref: `${schema.$id}#/definitions/milestone` } };
}

export function generateValidators() {
  const standalone = require('ajv/dist/standalone').default;
  const ajv = createPlanAjv(true);
  const { schema, withoutMilestones, milestone } = planSchemas();
  ajv.addSchema(schema);
  ajv.addSchema(withoutMilestones);
  ajv.addSchema(milestone);
  const code = standalone(ajv, { plan: withoutMilestones.$id, milestone: milestone.$id });
  return `// @ts-nocheck\n// Generated from schemas/plan.schema.json by scripts/generate-validators.mjs; do not edit.\n${code}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const code = generateValidators();
  mkdirSync(path.dirname(outputFile), { recursive: true });
  let previous = '';
  try {
    previous = readFileSync(outputFile, 'utf8');
  } catch {
    // first run
  }
  if (previous !== code) writeFileSync(outputFile, code);
}
