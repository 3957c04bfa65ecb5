import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { createPlanService, RULES } from '../../server/src/service';
import { fixedToday, fixturesDir, planDocument, readFixture, textAt } from '../helpers/fixtures';

// Each fixture under test/fixtures/rules/<rule-id>.plan.yaml triggers exactly
// that rule; its `# expect: <rule> <severity> <text under the range>` header
// lines are the diagnostics it must produce, in order, and nothing else.

const severityNumber = { error: 1, warning: 2, info: 3 } as const;

function expectationsOf(text: string): { code: string; severity: number; text: string }[] {
  return [...text.matchAll(/^# expect: (\S+) (error|warning|info) (.+)$/gm)].map((match) => ({
    code: match[1],
    severity: severityNumber[match[2] as keyof typeof severityNumber],
    text: match[3],
  }));
}

describe('rule fixtures', () => {
  const fixtureFiles = fs.readdirSync(path.join(fixturesDir, 'rules')).filter((file) => file.endsWith('.plan.yaml'));

  test('every rule id has a fixture, and every fixture is named after a rule', () => {
    const ruleIds = RULES.map((rule) => rule.id).sort();
    assert.deepEqual(fixtureFiles.map((file) => file.replace('.plan.yaml', '')).sort(), ruleIds);
    assert.equal(ruleIds.length, 22);
  });

  for (const file of fixtureFiles) {
    const rule = file.replace('.plan.yaml', '');
    test(`${rule}: exactly the expected diagnostics, with code, severity and range`, () => {
      const text = readFixture(path.join('rules', file));
      const expected = expectationsOf(text);
      assert.ok(expected.length > 0, 'fixture declares its expectations');
      assert.ok(expected.every((expectation) => expectation.code === rule), 'a fixture triggers only its own rule');
      const service = createPlanService({ today: fixedToday('2026-01-01') });
      const severities = Object.fromEntries([...text.matchAll(/^# settings: ([a-z-]+)=(error|warning|info|off)/gm)].map((match) => [match[1], match[2]]));
      // The fixtures' workspace has no files: every path link is stale.
      const diagnostics = service.getDiagnostics(planDocument(text, file), { severities, linkExists: () => false });
      assert.deepEqual(
        diagnostics.map((diagnostic) => ({ code: diagnostic.code, severity: diagnostic.severity, text: textAt(text, diagnostic.range) })),
        expected,
      );
      for (const diagnostic of diagnostics) {
        assert.equal(diagnostic.source, 'blueprint');
        assert.ok(diagnostic.message.length > 20, 'the message explains the problem');
      }
    });
  }
});

describe('messages say what is wrong and how to fix it', () => {
  const service = createPlanService({ today: fixedToday('2026-03-02') });
  const base = readFixture('rules/missing-owner.plan.yaml').replace(/^# expect.*\n/gm, '');

  function diagnosticsOf(text: string) {
    return service.getDiagnostics(planDocument(text)).map((diagnostic) => ({ code: diagnostic.code, message: diagnostic.message, text: textAt(text, diagnostic.range) }));
  }

  test('unknown key suggests the nearest known key', () => {
    const text = base.replace('        title: Task two\n', '        title: Task two\n        ownr: ben\n');
    assert.deepEqual(diagnosticsOf(text), [
      { code: 'missing-owner', message: 'Task `t2` has no owner; add `owner:` with the one person accountable for it.', text: 't2' },
      { code: 'schema', message: 'Unknown property `ownr`; did you mean `owner`?', text: 'ownr' },
    ]);
  });

  test('an unknown key with `/` or `~` in it, at the top and in a task, is reported on that key', () => {
    // JSON pointers escape these two characters; the error must still find its key.
    const text = base.replace('        title: Task two\n', '        title: Task two\n        owner: ben\n        a/b~c: 1\n').replace(/^start:/m, 'x~1/y: 2\nstart:');
    assert.deepEqual(
      diagnosticsOf(text).map(({ code, text: under }) => ({ code, under })),
      [
        { code: 'schema', under: 'x~1/y' },
        { code: 'schema', under: 'a/b~c' },
      ],
    );
  });

  test('bad enum value lists the allowed values', () => {
    const text = base.replace('        title: Task two\n', '        title: Task two\n        owner: ben\n        status: finished\n');
    assert.deepEqual(diagnosticsOf(text), [
      { code: 'schema', message: '`status` must be one of planned, in-progress, blocked, done, dropped.', text: 'finished' },
    ]);
  });

  test('a cycle names the whole cycle on each edge', () => {
    const text = base
      .replace('        title: Task one\n', '        title: Task one\n        depends_on: [ui]\n')
      .replace('      - id: t2\n', '      - id: ui\n')
      .replace('        title: Task two\n', '        title: Task two\n        owner: ben\n')
      .replace(/\bt1\b/g, 'api');
    assert.deepEqual(diagnosticsOf(text), [
      { code: 'dependency-cycle', message: 'Dependency cycle: api → ui → api; remove one of these dependencies.', text: 'ui' },
      { code: 'dependency-cycle', message: 'Dependency cycle: ui → api → ui; remove one of these dependencies.', text: 'api' },
    ]);
  });

  test('every shape of cycle is found (the quick acyclic check must not miss one)', () => {
    const cycles = (text: string) => diagnosticsOf(text).filter((diagnostic) => diagnostic.code === 'dependency-cycle').map((diagnostic) => diagnostic.text);
    const acyclic = base.replace('        depends_on: [t2]\n', '');
    assert.deepEqual(cycles(acyclic), []);
    // On itself.
    assert.deepEqual(cycles(acyclic.replace('        title: Task one\n', '        title: Task one\n        depends_on: [t1]\n')), ['t1']);
    // On its own milestone (which waits for it, and for t2, which waits for t1).
    assert.deepEqual(cycles(acyclic.replace('        title: Task one\n', '        title: Task one\n        depends_on: [m1]\n')), ['m1', 't1']);
    // A milestone on one of its own tasks: every task inherits it, so it is reported once, on the entry.
    assert.deepEqual(cycles(acyclic.replace('    goals: [faster]\n    tasks:', '    goals: [faster]\n    depends_on: [t1]\n    tasks:')), ['t1']);
    // On its parent, and a parent's dependency that its subtask inherits.
    const nested = acyclic.replace('        duration: 5d\n      - id: t2', '        tasks:\n          - { id: t1a, title: Part, owner: ana, duration: 2d, depends_on: [t1] }\n      - id: t2');
    assert.deepEqual(cycles(nested), ['t1']);
    // A milestone without tasks, through a task of another milestone.
    const twoMilestones = `${acyclic.replace('        depends_on: [t1]\n', '        depends_on: [m0]\n')}  - { id: m0, title: Gate, due: 2026-05-29, owner: ana, goals: [faster], depends_on: [t2] }\n`;
    assert.deepEqual(cycles(twoMilestones), ['m0', 't2']);
  });

  test('a bad date and a bad duration are schema errors on the value', () => {
    const text = base.replace('        title: Task two\n        depends_on: [t1]\n        duration: 5d\n', '        title: Task two\n        owner: ben\n        start: 2026-02-30\n        duration: 0d\n');
    assert.deepEqual(diagnosticsOf(text), [
      { code: 'schema', message: '`start` must be a real calendar date written YYYY-MM-DD, e.g. 2026-03-02.', text: '2026-02-30' },
      { code: 'schema', message: '`duration` must be a duration in working days or weeks, like 5d or 2w (at least 1d).', text: '0d' },
    ]);
  });

  test('a missing required key is reported on its parent\'s first key', () => {
    const text = base.replace('        title: Task two\n', '        owner: ben\n');
    assert.deepEqual(diagnosticsOf(text), [{ code: 'schema', message: 'A task needs `title`; add `title:`.', text: 'id' }]);
  });

  test('a leaf task with neither end nor duration', () => {
    const text = base.replace('        title: Task two\n        depends_on: [t1]\n        duration: 5d\n', '        title: Task two\n        owner: ben\n');
    assert.deepEqual(diagnosticsOf(text), [
      { code: 'schema', message: 'A task without subtasks needs `end` or `duration`; add one, e.g. duration: 5d', text: 'id' },
    ]);
  });

  test('end together with duration is date-order on the duration key, and not also a schema error', () => {
    const text = base.replace('        title: Task two\n', '        title: Task two\n        owner: ben\n        end: 2026-03-13\n');
    assert.deepEqual(diagnosticsOf(text), [
      { code: 'date-order', message: 'Task `t2` has both `end` and `duration`; keep one of them.', text: 'duration' },
    ]);
  });

  test('an unknown dependency suggests the nearest id', () => {
    const text = base.replace('depends_on: [t1]', 'depends_on: [t11]').replace('        title: Task two\n', '        title: Task two\n        owner: ben\n');
    const diagnostics = service.getDiagnostics(planDocument(text));
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0].message, 'Unknown task or milestone `t11` in `depends_on`; did you mean `t1`?');
    assert.deepEqual(diagnostics[0].data, { replacement: 't1' });
  });
});
