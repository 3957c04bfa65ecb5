import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createPlanService } from '../../server/src/service';
import { fixedToday, planDocument, textAt } from '../helpers/fixtures';

// Bad input gets a clear diagnostic and nothing else: each case states which.

const header = 'plan: X\nowner: ana\nstart: 2026-01-05\npeople:\n  ana: { name: Ana }\n';

function check(text: string) {
  const service = createPlanService({ today: fixedToday('2026-01-01') });
  return service.getDiagnostics(planDocument(text)).map((diagnostic) => [diagnostic.code, textAt(text, diagnostic.range), diagnostic.message]);
}

describe('bad input', () => {
  test('tab indentation', () => {
    assert.deepEqual(check(`${header}\tend: 2026-02-01\n`), [['yaml-syntax', '\t', 'Tabs are not allowed as indentation in YAML; indent with spaces.']]);
  });

  test('a second YAML document', () => {
    assert.deepEqual(check(`${header}---\nplan: Y\n`), [['yaml-syntax', '---', 'A plan file holds one YAML document; move this second document into its own *.plan.yaml file.']]);
  });

  test('a duplicate key, on the whole key', () => {
    assert.deepEqual(check(`${header}owner: ana\n`), [['yaml-syntax', 'owner', 'This key appears twice in the same mapping; keep one of them.']]);
  });

  test('an unclosed flow list points at the bracket, not the line break', () => {
    const result = check(`${header}milestones: [\n`);
    assert.deepEqual(result.map(([code, text]) => [code, text]), [['yaml-syntax', '[']]);
  });

  test('a list or a scalar instead of a plan', () => {
    assert.deepEqual(check('- a\n- b\n'), [['schema', '- a', 'A plan must be a mapping of keys (plan, owner, start, milestones, …), not a list or a single value.']]);
    assert.deepEqual(check('just words\n'), [['schema', 'just words', 'A plan must be a mapping of keys (plan, owner, start, milestones, …), not a list or a single value.']]);
  });

  test('an empty file', () => {
    assert.deepEqual(check(''), [['schema', '', 'This plan is empty; a plan needs at least `plan`, `owner` and `start`.']]);
  });

  test('merge keys are unknown keys, said plainly', () => {
    assert.deepEqual(check(`${header}<<: { end: 2026-02-01 }\n`), [['schema', '<<', 'Merge keys (`<<`) are not supported in plans; write the keys out.']]);
  });

  test('unknown tags', () => {
    assert.deepEqual(check(header.replace('plan: X', 'plan: !foo X')), [['yaml-syntax', '!foo', 'Unresolved tag: !foo; plans use plain YAML values, remove the tag.']]);
  });

  test('__proto__ and constructor are ordinary unknown keys (no prototype pollution)', () => {
    const result = check(`${header}__proto__: { polluted: true }\nconstructor: 2\n`);
    assert.deepEqual(result.map(([code, text]) => [code, text]), [['schema', '__proto__'], ['schema', 'constructor']]);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  test('aliases resolve; an alias bomb is cut off with a diagnostic', () => {
    assert.deepEqual(check(`plan: &title X\nowner: ana\nstart: 2026-01-05\npeople:\n  ana: { name: *title }\n`), []);
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let level = 1; level < 9; level++) {
      const previous = String.fromCharCode(96 + level);
      lines.push(`${String.fromCharCode(97 + level)}: &${String.fromCharCode(97 + level)} [${Array(9).fill(`*${previous}`).join(',')}]`);
    }
    const started = Date.now();
    const result = check(`${lines.join('\n')}\n`);
    assert.ok(Date.now() - started < 5000, 'bounded time');
    assert.ok(result.some(([code, , message]) => code === 'schema' && /alias bomb/.test(message)));
  });

  test('deep nesting is reported, not walked', () => {
    const result = check(`${'['.repeat(3000)}${']'.repeat(3000)}\n`);
    assert.ok(result.length >= 1);
    assert.ok(result.every(([code]) => code === 'schema' || code === 'yaml-syntax'));
  });

  test('binary junk', () => {
    const result = check('\u0000\u0001\u00ff\u0002');
    assert.equal(result.length, 1);
    assert.equal(result[0][0], 'schema');
  });

  test('unquoted numbers and dates where ids go are read as their source text', () => {
    const text = `${header}goals:\n  - id: 1.20\n    title: Numbers\n    owner: ana\n    metrics: [{ name: m, target: 1 }]\nmilestones:\n  - id: 2026-03-02\n    title: Date-like id\n    due: 2026-03-31\n    owner: ana\n    goals: [1.20]\n`;
    assert.deepEqual(check(text), []);
  });

  test('CRLF line endings keep exact ranges', () => {
    const text = `${header}end: 2026-13-01\n`.replace(/\n/g, '\r\n');
    const service = createPlanService({ today: fixedToday('2026-01-01') });
    const [diagnostic] = service.getDiagnostics(planDocument(text));
    assert.equal(diagnostic.code, 'schema');
    assert.deepEqual(diagnostic.range, { start: { line: 5, character: 5 }, end: { line: 5, character: 15 } });
  });

  test('a 5 MB file is analysed without throwing', () => {
    const tasks: string[] = [];
    for (let index = 0, length = 0; length < 5_000_000; index++) {
      tasks.push(`      - id: task-${index}\n        title: A task with a reasonably long title number ${index}\n        owner: ana\n        depends_on: [task-${Math.max(0, index - 1)}]\n        duration: 1d\n        notes: ${'lorem ipsum '.repeat(10)}\n`);
      length += tasks[tasks.length - 1].length;
    }
    const text = `${header}goals:\n  - { id: g, title: G, owner: ana, metrics: [{ name: m, target: 1 }] }\nmilestones:\n  - id: m\n    title: M\n    due: 2099-01-01\n    owner: ana\n    goals: [g]\n    tasks:\n${tasks.join('')}`;
    assert.ok(text.length > 5_000_000);
    const result = check(text);
    // task-0 depends on itself: the one finding in an otherwise clean plan.
    assert.deepEqual(result.map(([code, text]) => [code, text]), [['dependency-cycle', 'task-0']]);
  });
});

describe('severities and disable comments', () => {
  const text = `${header}milestones:\n  - id: m\n    title: M\n    due: 2026-03-31\n    # blueprint-disable-next-line untraced-work\n  - id: n\n    title: N\n    due: 2026-03-31\n    owner: ana\n`;

  test('a disable comment silences one rule on the next line only', () => {
    const service = createPlanService({ today: fixedToday('2026-01-01') });
    const result = service.getDiagnostics(planDocument(text)).map((diagnostic) => [diagnostic.code, textAt(text, diagnostic.range)]);
    assert.deepEqual(result, [['missing-owner', 'm'], ['untraced-work', 'm']]);
  });

  test('a disable comment without ids silences every rule on the next line; a misspelt id silences none', () => {
    const service = createPlanService({ today: fixedToday('2026-01-01') });
    const all = text.replace('# blueprint-disable-next-line untraced-work\n  - id: n', '# blueprint-disable-next-line\n  - id: n').replace('  - id: m\n', '  # blueprint-disable-next-line\n  - id: m\n');
    assert.deepEqual(service.getDiagnostics(planDocument(all)), []);
    const misspelt = text.replace('untraced-work\n', 'untraced-wrok\n');
    assert.deepEqual(service.getDiagnostics(planDocument(misspelt)).map((diagnostic) => textAt(misspelt, diagnostic.range)), ['m', 'm', 'n']);
  });

  test('severities per rule id, including off', () => {
    const service = createPlanService({ today: fixedToday('2026-01-01') });
    const result = service.getDiagnostics(planDocument(text), { severities: { 'missing-owner': 'info', 'untraced-work': 'off' } });
    assert.deepEqual(result.map((diagnostic) => [diagnostic.code, diagnostic.severity]), [['missing-owner', 3]]);
  });

  test('each diagnostic links to its rule documentation', () => {
    const service = createPlanService({ today: fixedToday('2026-01-01') });
    const [diagnostic] = service.getDiagnostics(planDocument(text), { docsBase: 'file:///ext/README.md' });
    assert.deepEqual(diagnostic.codeDescription, { href: 'file:///ext/README.md#missing-owner' });
  });
});
