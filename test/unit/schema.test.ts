import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import schema from '../../schemas/plan.schema.json';

// Compiled to out/test/unit; the fixtures stay in the source tree.
const repoRoot = path.resolve(__dirname, '..', '..', '..');
const fixture = (name: string): string => path.join(repoRoot, 'test', 'fixtures', name);

/** The validator exactly as the language service builds it. */
function compile(): ValidateFunction {
  const ajv = new Ajv({ allErrors: true, strict: true, verbose: true });
  ajv.addKeyword('x-expected');
  ajv.addKeyword('x-message');
  addFormats(ajv);
  return ajv.compile(schema);
}

let cached: ValidateFunction | undefined;
function validator(): ValidateFunction {
  cached ??= compile();
  return cached;
}

function validate(yamlText: string): ErrorObject[] {
  const validateFn = validator();
  validateFn(parse(yamlText));
  return validateFn.errors ?? [];
}

const show = (errors: ErrorObject[]): string[] =>
  errors.map((e) => `${e.keyword} ${e.instancePath}`).sort();

/** A minimal valid plan; `task` lines are appended to its only task (8-space indent). */
function planWith(task: string, top = ''): string {
  return (
    'plan: P\n' +
    'owner: alice\n' +
    'start: 2026-01-05\n' +
    top +
    'people:\n' +
    '  alice: { name: Alice }\n' +
    'milestones:\n' +
    '  - id: m\n' +
    '    title: M\n' +
    '    due: 2026-02-27\n' +
    '    tasks:\n' +
    '      - id: t\n' +
    '        title: T\n' +
    task
  );
}

const T = '/milestones/0/tasks/0';

test('the schema compiles with ajv in strict mode', () => {
  assert.doesNotThrow(() => compile());
  assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
  assert.equal(schema.$id, 'https://blueprint.dev/schemas/plan.schema.json');
});

test('the format document\'s complete example validates without errors', () => {
  const text = fs.readFileSync(fixture('valid/checkout.plan.yaml'), 'utf8');
  assert.deepEqual(validate(text), []);
});

test('the minimal plan used by the table validates without errors', () => {
  assert.deepEqual(validate(planWith('        duration: 5d\n')), []);
});

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Visits every subschema (and every other JSON object) with its JSON pointer. */
function walk(node: Json, pointer: string, visit: (obj: { [key: string]: Json }, at: string) => void): void {
  if (Array.isArray(node)) {
    node.forEach((child, i) => walk(child, `${pointer}/${i}`, visit));
  } else if (node !== null && typeof node === 'object') {
    visit(node, pointer);
    for (const [key, child] of Object.entries(node)) walk(child, `${pointer}/${key}`, visit);
  }
}

test('every property of every object schema has a description, and objects are closed', () => {
  const missing: string[] = [];
  const open: string[] = [];
  walk(schema as unknown as Json, '#', (obj, at) => {
    const props = obj.properties;
    // `properties` holding schemas (not a property literally named "properties").
    if (props && typeof props === 'object' && !Array.isArray(props) && !at.endsWith('/properties')) {
      for (const [key, sub] of Object.entries(props)) {
        const description = sub && typeof sub === 'object' && !Array.isArray(sub) ? sub.description : undefined;
        if (typeof description !== 'string' || description.trim() === '') missing.push(`${at}/properties/${key}`);
      }
      const isBranch = /\/(then|if)(\/|$)/.test(at);
      if (!isBranch && obj.additionalProperties !== false) open.push(at);
    }
    if (obj.type === 'object' && obj.additionalProperties === undefined) open.push(at);
  });
  assert.deepEqual(missing, []);
  assert.deepEqual(open, []);
});

test('every definition and every inline-constrained property carries x-expected', () => {
  const definitions = schema.definitions as unknown as Record<string, Record<string, Json>>;
  const lacking = Object.keys(definitions).filter((name) => typeof definitions[name]['x-expected'] !== 'string');
  assert.deepEqual(lacking, []);
  const inline: string[] = [];
  walk(schema as unknown as Json, '#', (obj, at) => {
    // Errors inside an `if` are never reported, so its subschemas need no x-expected.
    if (!at.endsWith('/properties') || at.includes('/if/')) return;
    for (const [key, sub] of Object.entries(obj)) {
      if (!sub || typeof sub !== 'object' || Array.isArray(sub) || '$ref' in sub) continue;
      const constrains = Object.keys(sub).some((k) => !['description', 'x-expected', '$comment'].includes(k));
      if (constrains && typeof sub['x-expected'] !== 'string') inline.push(`${at}/${key}`);
    }
  });
  assert.deepEqual(inline, []);
  const task = definitions.task as unknown as { then: Record<string, Json> };
  assert.equal(
    task.then['x-message'],
    'A task without subtasks needs `end` or `duration`; add one, e.g. duration: 5d',
  );
});

interface InvalidCase {
  name: string;
  yaml: string;
  /** Every error ajv reports, as "keyword instancePath", in any order. */
  errors: string[];
  /** Params that the error with the given keyword must carry. */
  params?: { keyword: string } & Record<string, unknown>;
}

const invalid: InvalidCase[] = [
  {
    name: 'unknown top-level key `ownr`',
    yaml: planWith('        duration: 5d\n', 'ownr: alice\n'),
    errors: ['additionalProperties '],
    params: { keyword: 'additionalProperties', additionalProperty: 'ownr' },
  },
  {
    name: 'unknown task key `ownr`',
    yaml: planWith('        duration: 5d\n        ownr: alice\n'),
    errors: [`additionalProperties ${T}`],
    params: { keyword: 'additionalProperties', additionalProperty: 'ownr' },
  },
  {
    name: 'merge key `<<` is an unknown key',
    yaml: planWith('        duration: 5d\n        <<: { notes: x }\n'),
    errors: [`additionalProperties ${T}`],
    params: { keyword: 'additionalProperties', additionalProperty: '<<' },
  },
  {
    name: 'bad task status',
    yaml: planWith('        duration: 5d\n        status: finished\n'),
    errors: [`enum ${T}/status`],
  },
  {
    name: 'bad risk status',
    yaml: planWith('        duration: 5d\n', 'risks:\n  - { id: r, title: R, status: gone }\n'),
    errors: ['enum /risks/0/status'],
  },
  {
    name: 'bad likelihood',
    yaml: planWith('        duration: 5d\n', 'risks:\n  - { id: r, title: R, likelihood: severe }\n'),
    errors: ['enum /risks/0/likelihood'],
  },
  {
    name: 'impossible date 2026-02-30',
    yaml: planWith('        end: 2026-02-30\n'),
    errors: [`format ${T}/end`],
  },
  {
    name: 'date that is not YYYY-MM-DD',
    yaml: planWith('        duration: 5d\n', 'as_of: 10/02/2026\n'),
    errors: ['format /as_of'],
  },
  {
    name: 'a number where a date is expected',
    yaml: planWith('        duration: 5d\n', 'end: 2026\n'),
    errors: ['type /end'],
  },
  {
    name: 'duration 0d',
    yaml: planWith('        duration: 0d\n'),
    errors: [`pattern ${T}/duration`],
  },
  {
    name: 'duration without unit',
    yaml: planWith('        duration: 5\n'),
    errors: [`type ${T}/duration`],
  },
  {
    name: 'progress 120',
    yaml: planWith('        duration: 5d\n        progress: 120\n'),
    errors: [`anyOf ${T}/progress`, `maximum ${T}/progress`, `type ${T}/progress`],
  },
  {
    name: 'progress 140%',
    yaml: planWith('        duration: 5d\n        progress: 140%\n'),
    errors: [`anyOf ${T}/progress`, `pattern ${T}/progress`, `type ${T}/progress`],
  },
  {
    name: 'load 0',
    yaml: planWith('        duration: 5d\n        load: 0\n'),
    errors: [`anyOf ${T}/load`, `minimum ${T}/load`, `type ${T}/load`],
  },
  {
    name: 'allocation "abc"',
    yaml: planWith('        duration: 5d\n').replace('{ name: Alice }', '{ name: Alice, allocation: abc }'),
    errors: [
      'anyOf /people/alice/allocation',
      'enum /people/alice/allocation',
      'pattern /people/alice/allocation',
      'type /people/alice/allocation',
    ],
  },
  {
    name: 'a leaf task with neither end nor duration',
    yaml: planWith(''),
    errors: [`anyOf ${T}`, `if ${T}`, `required ${T}`, `required ${T}`],
    params: { keyword: 'if', failingKeyword: 'then' },
  },
  {
    name: 'a task with an empty subtask list and neither end nor duration',
    yaml: planWith('        tasks: []\n'),
    errors: [`anyOf ${T}`, `if ${T}`, `required ${T}`, `required ${T}`],
  },
  {
    name: 'a task whose tasks is not a list reports only that',
    yaml: planWith('        tasks: 5\n'),
    errors: [`type ${T}/tasks`],
  },
  {
    name: 'missing task title',
    yaml: planWith('        duration: 5d\n').replace('        title: T\n', ''),
    errors: [`required ${T}`],
    params: { keyword: 'required', missingProperty: 'title' },
  },
  {
    name: 'missing milestone due',
    yaml: planWith('        duration: 5d\n').replace('    due: 2026-02-27\n', ''),
    errors: ['required /milestones/0'],
    params: { keyword: 'required', missingProperty: 'due' },
  },
  {
    name: 'missing top-level plan',
    yaml: planWith('        duration: 5d\n').replace('plan: P\n', ''),
    errors: ['required '],
    params: { keyword: 'required', missingProperty: 'plan' },
  },
  {
    name: 'missing person name',
    yaml: planWith('        duration: 5d\n').replace('{ name: Alice }', '{ role: Lead }'),
    errors: ['required /people/alice'],
    params: { keyword: 'required', missingProperty: 'name' },
  },
  {
    name: 'missing change summary',
    yaml: planWith('        duration: 5d\n', 'changes:\n  - { date: 2026-02-02 }\n'),
    errors: ['required /changes/0'],
    params: { keyword: 'required', missingProperty: 'summary' },
  },
  {
    name: 'empty title',
    yaml: planWith('        duration: 5d\n').replace('title: T', 'title: ""'),
    errors: [`anyOf ${T}/title`, `minLength ${T}/title`, `type ${T}/title`],
  },
  {
    name: 'id with a space',
    yaml: planWith('        duration: 5d\n').replace('id: t', 'id: a b'),
    errors: [`anyOf ${T}/id`, `pattern ${T}/id`, `type ${T}/id`],
  },
  {
    name: 'reference to a file that is not a plan',
    yaml: planWith('        duration: 5d\n        depends_on: [other.json#api]\n'),
    errors: [`anyOf ${T}/depends_on/0`, `pattern ${T}/depends_on/0`, `type ${T}/depends_on/0`],
  },
  {
    name: 'depends_on given as a single id',
    yaml: planWith('        duration: 5d\n        depends_on: m\n'),
    errors: [`type ${T}/depends_on`],
  },
  {
    name: 'people key that is not an id',
    yaml: planWith('        duration: 5d\n').replace('  alice: { name: Alice }', '  alice: { name: Alice }\n  bad key: { name: B }'),
    errors: ['pattern /people', 'propertyNames /people'],
    params: { keyword: 'propertyNames', propertyName: 'bad key' },
  },
  {
    name: 'empty workdays',
    yaml: planWith('        duration: 5d\n', 'calendar: { workdays: [] }\n'),
    errors: ['minItems /calendar/workdays'],
  },
  {
    name: 'repeated workday',
    yaml: planWith('        duration: 5d\n', 'calendar: { workdays: [mon, mon] }\n'),
    errors: ['uniqueItems /calendar/workdays'],
  },
  {
    name: 'workday spelled out',
    yaml: planWith('        duration: 5d\n', 'calendar: { workdays: [monday] }\n'),
    errors: ['enum /calendar/workdays/0'],
  },
  {
    name: 'impossible holiday',
    yaml: planWith('        duration: 5d\n', 'calendar: { holidays: [2026-13-01] }\n'),
    errors: ['format /calendar/holidays/0'],
  },
  {
    name: 'negative budget',
    yaml: planWith('        duration: 5d\n', 'resources: { budget: { amount: -1 } }\n'),
    errors: ['minimum /resources/budget/amount'],
  },
  {
    name: 'confirmed that is not a boolean',
    yaml: planWith('        duration: 5d\n', 'resources: { tools: [{ name: X, confirmed: yes }] }\n'),
    errors: ['type /resources/tools/0/confirmed'],
  },
  {
    name: 'fractional version',
    yaml: planWith('        duration: 5d\n', 'version: 1.5\n'),
    errors: ['anyOf /version', 'type /version', 'type /version'],
  },
  {
    name: 'empty value for a list',
    yaml: planWith('        duration: 5d\n', 'goals:\n'),
    errors: ['type /goals'],
  },
];

for (const c of invalid) {
  test(`invalid: ${c.name}`, () => {
    const errors = validate(c.yaml);
    assert.deepEqual(show(errors), [...c.errors].sort());
    if (c.params) {
      const { keyword, ...params } = c.params;
      const error = errors.find((e) => e.keyword === keyword);
      assert.ok(error, `no ${keyword} error`);
      for (const [key, value] of Object.entries(params)) {
        assert.deepEqual((error.params as Record<string, unknown>)[key], value, `params.${key}`);
      }
    }
  });
}

test('invalid: the if/then error carries the x-message and x-expected reaches every scalar error', () => {
  const leaf = validate(planWith(''));
  const ifError = leaf.find((e) => e.keyword === 'if');
  assert.ok(ifError);
  const thenSchema = (ifError.parentSchema as { then: Record<string, unknown> }).then;
  assert.match(String(thenSchema['x-message']), /needs `end` or `duration`/);

  const date = validate(planWith('        end: 2026-02-30\n'))[0];
  assert.equal(date.parentSchema?.['x-expected'], 'a real calendar date written YYYY-MM-DD, e.g. 2026-03-02');
  const anyOf = validate(planWith('        duration: 5d\n        progress: 120\n')).find((e) => e.keyword === 'anyOf');
  assert.equal(anyOf?.parentSchema?.['x-expected'], 'a percentage from 0 to 100, like 40 or 40%');
});

const valid: { name: string; yaml: string }[] = [
  {
    name: 'a task with subtasks and no end or duration',
    yaml: planWith('        tasks:\n          - { id: s, title: S, duration: 2d }\n'),
  },
  {
    name: 'a task with both end and duration (reported by date-order, not the schema)',
    yaml: planWith('        end: 2026-01-09\n        duration: 5d\n'),
  },
  {
    name: 'owners are optional everywhere (reported by missing-owner)',
    yaml: planWith('        duration: 5d\n', 'goals:\n  - { id: g, title: G }\nrisks:\n  - { id: r, title: R }\n'),
  },
  {
    name: 'id 1.2 read as a number, and referenced as a number',
    yaml: planWith('        duration: 5d\n      - { id: 1.2, title: U, duration: 1d, depends_on: [1.2, t] }\n'),
  },
  {
    name: 'id that looks like a date',
    yaml: planWith('        duration: 5d\n').replace('id: t', 'id: 2026-03-02'),
  },
  {
    name: 'progress 40% and progress 0',
    yaml: planWith('        duration: 5d\n        progress: 40%\n      - { id: u, title: U, duration: 1d, progress: 0 }\n'),
  },
  {
    name: 'load 50% and allocation 50, 50%, shared, dedicated',
    yaml:
      planWith('        duration: 5d\n        load: 50%\n').replace(
        '  alice: { name: Alice }',
        '  alice: { name: Alice, allocation: 50 }\n  bob: { name: Bob, allocation: 50% }\n' +
          '  carol: { name: Carol, allocation: shared }\n  dan: { name: Dan, allocation: dedicated }',
      ),
  },
  {
    name: 'cross-file depends_on',
    yaml: planWith('        duration: 5d\n        depends_on: [../other.plan.yaml#api, shared/infra.plan.yml#db]\n'),
  },
  {
    name: 'approved_by as a list, version as text, empty calendar',
    yaml: planWith(
      '        duration: 2w\n',
      'version: 2-draft\ncalendar: {}\nchanges:\n  - { date: 2026-02-02, summary: S, approved_by: [alice, 7] }\n',
    ),
  },
];

for (const c of valid) {
  test(`valid: ${c.name}`, () => {
    assert.deepEqual(show(validate(c.yaml)), []);
  });
}
