import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createPlanService, type PlanDiagnostic } from '../../server/src/service';
import { getCodeActions, type PlanCodeAction } from '../../server/src/service/codeActions';
import { applyEdits, fixedToday, planDocument, readFixture, textAt } from '../helpers/fixtures';

// Every quick fix is applied and the whole resulting text compared; the fixed
// text is analysed again: the diagnostic is gone and no yaml-syntax or schema
// error appeared.

const base = readFixture('features/quick-fixes.plan.yaml');
const today = fixedToday('2026-01-01');

/** `text` with `from` (which must occur exactly once) replaced by `to`. */
function edit(text: string, from: string, to: string): string {
  assert.equal(text.split(from).length, 2, `exactly one ${JSON.stringify(from)}`);
  return text.replace(from, () => to);
}

function diagnosticsOf(text: string, version = 1): PlanDiagnostic[] {
  return createPlanService({ today }).getDiagnostics(planDocument(text, 'fix.plan.yaml', version));
}

function actionsFor(text: string, code: string, under?: string): { actions: PlanCodeAction[]; diagnostics: PlanDiagnostic[] } {
  const document = planDocument(text, 'fix.plan.yaml');
  const service = createPlanService({ today });
  const analysis = service.analyze(document);
  const diagnostics = service.getDiagnostics(document).filter((diagnostic) => diagnostic.code === code && (under === undefined || textAt(text, diagnostic.range) === under));
  assert.ok(diagnostics.length > 0, `a ${code} diagnostic${under ? ` on ${under}` : ''}`);
  // One request over the whole text, as when all of them are in the selection.
  const everything = { start: { line: 0, character: 0 }, end: analysis.lines.positionAt(text.length) };
  return { actions: getCodeActions(analysis, everything, diagnostics), diagnostics };
}

/**
 * Applies the action titled `title` for the `code` diagnostic and checks the
 * result: exactly `expected`, the diagnostic gone, no yaml-syntax/schema error.
 */
function checkFix(text: string, code: string, title: string, expected: string, options: { under?: string; preferred?: boolean; remaining?: string[] } = {}): PlanCodeAction {
  const { actions, diagnostics } = actionsFor(text, code, options.under);
  const action = actions.find((candidate) => candidate.title === title);
  assert.ok(action, `"${title}" among ${JSON.stringify(actions.map((candidate) => candidate.title))}`);
  assert.equal(action.kind, 'quickfix');
  assert.equal(action.isPreferred, options.preferred ?? true);
  assert.ok(action.diagnostics.includes(diagnostics[0]));
  assert.deepEqual(Object.keys(action.edit.changes), ['file:///workspace/fix.plan.yaml']);
  const result = applyEdits(text, action.edit.changes['file:///workspace/fix.plan.yaml']);
  assert.equal(result, expected);
  const after = diagnosticsOf(result, 2);
  const problems = after.filter((diagnostic) => diagnostic.code === 'yaml-syntax' || diagnostic.code === 'schema');
  assert.deepEqual(problems.map((diagnostic) => diagnostic.message), [], 'no yaml-syntax or schema error');
  const fixed = diagnostics[0];
  assert.ok(!after.some((diagnostic) => diagnostic.code === code && textAt(result, diagnostic.range) === textAt(text, fixed.range)), 'the diagnostic is gone');
  assert.deepEqual(after.map((diagnostic) => `${diagnostic.code} ${textAt(result, diagnostic.range)}`), options.remaining ?? []);
  return action;
}

function titles(text: string, code: string, under?: string): string[] {
  return actionsFor(text, code, under).actions.map((action) => action.title);
}

test('the base fixture has no diagnostics', () => {
  assert.deepEqual(diagnosticsOf(base), []);
});

describe('schema: unknown key, bad enum value', () => {
  test('renames an unknown key to the nearest known one (block mapping)', () => {
    const text = edit(base, '        owner: ana\n        duration: 5d\n', '        owner: ana\n        duration: 5d\n        stauts: planned   # typo\n');
    checkFix(text, 'schema', 'Rename `stauts` to `status`', edit(text, 'stauts: planned', 'status: planned'));
  });

  test('renames an unknown key inside a flow mapping', () => {
    const text = edit(base, 'cy: { name: Cy Park, role: Designer }', 'cy: { name: Cy Park, rloe: Designer }');
    checkFix(text, 'schema', 'Rename `rloe` to `role`', base);
  });

  test('replaces a bad enum value with the nearest allowed one, keeping its quotes', () => {
    const plain = edit(base, '        owner: ana\n        duration: 5d\n', '        owner: ana\n        duration: 5d\n        status: in-progres\n');
    checkFix(plain, 'schema', 'Change `in-progres` to `in-progress`', edit(plain, 'status: in-progres', 'status: in-progress'));
    const quoted = edit(base, '        owner: ana\n        duration: 5d\n', '        owner: ana\n        duration: 5d\n        status: "doen"\n');
    checkFix(quoted, 'schema', 'Change `doen` to `done`', edit(quoted, 'status: "doen"', 'status: "done"'));
  });

  test('replaces a bad value inside a list', () => {
    const text = edit(base, 'as_of: 2026-02-27\n', 'as_of: 2026-02-27\ncalendar: { workdays: [mon, tue, wedd, thu, fri] }\n');
    checkFix(text, 'schema', 'Change `wedd` to `wed`', edit(text, 'wedd', 'wed'));
  });

  test('no rename onto a key the mapping already has', () => {
    const text = edit(base, '        owner: ana\n        duration: 5d\n', '        owner: ana\n        duration: 5d\n        status: planned\n        stauts: planned\n');
    assert.deepEqual(titles(text, 'schema'), []);
  });
});

describe('unknown-reference', () => {
  test('replaces a misspelt person with the nearest one; adding them is the other option', () => {
    const text = edit(base, 'owner: ben\n', 'owner: bne\n');
    assert.deepEqual(titles(text, 'unknown-reference'), ['Change `bne` to `ben`', 'Add `bne` to people']);
    checkFix(text, 'unknown-reference', 'Change `bne` to `ben`', base);
    checkFix(text, 'unknown-reference', 'Add `bne` to people', edit(text, '  cy: { name: Cy Park, role: Designer }\n', '  cy: { name: Cy Park, role: Designer }\n  bne: { name: bne }\n'), { preferred: false });
  });

  test('replaces a misspelt task or goal id', () => {
    const task = edit(base, 'depends_on: [t1]', 'depends_on: [t11]');
    checkFix(task, 'unknown-reference', 'Change `t11` to `t1`', base);
    const goal = edit(base, 'goals: [faster]', "goals: ['fastr']");
    checkFix(goal, 'unknown-reference', 'Change `fastr` to `faster`', edit(base, 'goals: [faster]', "goals: ['faster']"));
  });

  test('adds an unknown person to a people section written as block mappings, once for all its references', () => {
    const blockPeople = edit(
      base,
      '  ana: { name: Ana Ruiz, role: Lead }\n  ben: { name: Ben Okafor, role: Engineer }   # part-time from April\n  cy: { name: Cy Park, role: Designer }\n',
      '  ana:\n    name: Ana Ruiz\n  ben:\n    name: Ben Okafor\n  cy:\n    name: Cy Park\n',
    );
    const text = edit(edit(blockPeople, 'owner: cy', 'owner: dan'), '        owner: ana\n        duration: 5d', '        owner: ana\n        contributors: [dan]\n        duration: 5d');
    const { actions } = actionsFor(text, 'unknown-reference');
    assert.deepEqual(actions.map((action) => [action.title, action.diagnostics.length]), [['Add `dan` to people', 2]]);
    const document = planDocument(text, 'fix.plan.yaml');
    const service = createPlanService({ today });
    const merged = getCodeActions(service.analyze(document), { start: { line: 0, character: 0 }, end: { line: 200, character: 0 } }, service.getDiagnostics(document));
    assert.deepEqual(merged.map((action) => [action.title, action.diagnostics.length]), [['Add `dan` to people', 2]]);
    const result = applyEdits(text, merged[0].edit.changes['file:///workspace/fix.plan.yaml']);
    assert.equal(result, edit(text, '  cy:\n    name: Cy Park\n', '  cy:\n    name: Cy Park\n  dan:\n    name: dan\n'));
    assert.deepEqual(diagnosticsOf(result, 2), []);
  });

  test('adds to a flow-mapping people section', () => {
    const flow = edit(
      base,
      '  ana: { name: Ana Ruiz, role: Lead }\n  ben: { name: Ben Okafor, role: Engineer }   # part-time from April\n  cy: { name: Cy Park, role: Designer }\n',
      '  { ana: { name: Ana Ruiz }, ben: { name: Ben Okafor },\n    cy: { name: Cy Park } }   # everyone\n',
    );
    const text = edit(flow, 'owner: cy', 'owner: dan');
    checkFix(text, 'unknown-reference', 'Add `dan` to people', edit(text, 'cy: { name: Cy Park } }', 'cy: { name: Cy Park }, dan: { name: dan } }'));
  });

  test('fills an empty people section', () => {
    const text = edit(
      base,
      '  ana: { name: Ana Ruiz, role: Lead }\n  ben: { name: Ben Okafor, role: Engineer }   # part-time from April\n  cy: { name: Cy Park, role: Designer }\n',
      '',
    );
    const anaFirst = diagnosticsOf(text).filter((diagnostic) => diagnostic.code === 'unknown-reference');
    assert.equal(textAt(text, anaFirst[0].range), 'ana');
    checkFix(text, 'unknown-reference', 'Add `ana` to people', edit(text, 'people:\n', 'people:\n  ana: { name: ana }\n'), { remaining: ['unknown-reference ben', 'unknown-reference cy'] });
  });

  test('creates the people section before milestones when there is none', () => {
    const text = `plan: No people yet
owner: ana   # the lead
start: 2026-03-02
as_of: 2026-02-27

# The work.
milestones:
  - { id: m1, title: Launch, due: 2026-04-30, owner: ana }
`;
    const expected = `plan: No people yet
owner: ana   # the lead
start: 2026-03-02
as_of: 2026-02-27

people:
  ana: { name: ana }

# The work.
milestones:
  - { id: m1, title: Launch, due: 2026-04-30, owner: ana }
`;
    const { actions } = actionsFor(text, 'unknown-reference');
    assert.deepEqual(actions.map((action) => [action.title, action.diagnostics.length]), [['Add `ana` to people', 2]]);
    checkFix(text, 'unknown-reference', 'Add `ana` to people', expected, { under: 'ana', remaining: ['untraced-work m1'] });
  });

  test('creates the people section at the end when nothing follows it', () => {
    const text = 'plan: Tiny\nowner: ana\nstart: 2026-03-02';
    checkFix(text, 'unknown-reference', 'Add `ana` to people', 'plan: Tiny\nowner: ana\nstart: 2026-03-02\npeople:\n  ana: { name: ana }\n');
    const numeric = 'plan: Tiny\nowner: 42\nstart: 2026-03-02\n';
    checkFix(numeric, 'unknown-reference', 'Add `42` to people', 'plan: Tiny\nowner: 42\nstart: 2026-03-02\npeople:\n  42: { name: "42" }\n');
  });
});

describe('multiple-owners', () => {
  test('flow list: the first stays owner, the others become contributors (comment kept)', () => {
    const text = edit(base, 'owner: ben\n', 'owner: [ben, ana]   # both?\n');
    checkFix(text, 'multiple-owners', 'Keep `ben` as owner, move `ana` to contributors', edit(base, 'owner: ben\n', 'owner: ben   # both?\n        contributors: [ana]\n'));
  });

  test('block list', () => {
    const text = edit(base, 'owner: ben\n', 'owner:   # shared\n          - ben\n          - ana\n          - cy\n');
    checkFix(text, 'multiple-owners', 'Keep `ben` as owner, move `ana`, `cy` to contributors', edit(base, 'owner: ben\n', 'owner: ben  # shared\n        contributors: [ana, cy]\n'));
  });

  test('merges into existing contributors, flow or block, skipping who is already there', () => {
    const flow = edit(base, 'owner: ben\n', 'owner: [ben, ana, cy]\n        contributors: [cy]\n');
    checkFix(flow, 'multiple-owners', 'Keep `ben` as owner, move `ana`, `cy` to contributors', edit(base, 'owner: ben\n', 'owner: ben\n        contributors: [cy, ana]\n'));
    const block = edit(base, 'owner: ben\n', 'owner: [ben, ana]\n        contributors:\n          - cy   # reviews\n');
    checkFix(block, 'multiple-owners', 'Keep `ben` as owner, move `ana` to contributors', edit(base, 'owner: ben\n', 'owner: ben\n        contributors:\n          - cy   # reviews\n          - ana\n'));
    const already = edit(base, 'owner: ben\n', 'owner: [ben, ana]\n        contributors: [ana]\n');
    checkFix(already, 'multiple-owners', 'Keep `ben` as owner, move `ana` to contributors', edit(base, 'owner: ben\n', 'owner: ben\n        contributors: [ana]\n'));
  });

  test('a task written as a flow mapping', () => {
    const text = edit(base, 'owner: cy, duration: 2d', 'owner: [cy, ben], duration: 2d');
    checkFix(text, 'multiple-owners', 'Keep `cy` as owner, move `ben` to contributors', edit(base, 'owner: cy, duration: 2d', 'owner: cy, contributors: [ben], duration: 2d'));
  });

  test('milestones have no contributors: keeping one owner is offered, not preferred', () => {
    const text = edit(base, '    due: 2026-04-30\n    owner: ana\n', '    due: 2026-04-30\n    owner: [ana, ben]\n');
    checkFix(text, 'multiple-owners', 'Keep `ana` as the only owner (drop `ben`)', base, { preferred: false });
  });

  test('CRLF line endings stay CRLF', () => {
    const crlf = base.replace(/\n/g, '\r\n');
    const text = edit(crlf, 'owner: ben\r\n', 'owner: [ben, ana]\r\n');
    checkFix(text, 'multiple-owners', 'Keep `ben` as owner, move `ana` to contributors', edit(crlf, 'owner: ben\r\n', 'owner: ben\r\n        contributors: [ana]\r\n'));
  });
});

describe('dependency-cycle', () => {
  test('a self-dependency in a flow list: the entry goes, the list stays valid', () => {
    const last = edit(base, 'depends_on: [t1]', 'depends_on: [t1, t2]');
    checkFix(last, 'dependency-cycle', 'Remove the self-dependency on `t2`', base);
    const first = edit(base, 'depends_on: [t1]', 'depends_on: [t2, t1]');
    checkFix(first, 'dependency-cycle', 'Remove the self-dependency on `t2`', base);
  });

  test('the only entry takes its key with it', () => {
    const text = edit(base, '        owner: ana\n        duration: 5d\n', '        owner: ana\n        depends_on: [t1]   # oops\n        duration: 5d\n');
    checkFix(text, 'dependency-cycle', 'Remove the self-dependency on `t1`', base);
  });

  test('a block list: the entry line goes, comments on other lines stay', () => {
    const text = edit(base, 'depends_on: [t1]   # after t1\n', 'depends_on:   # after t1\n          - t1\n          # and itself, by mistake:\n          - t2   # oops\n');
    checkFix(text, 'dependency-cycle', 'Remove the self-dependency on `t2`', edit(base, 'depends_on: [t1]   # after t1\n', 'depends_on:   # after t1\n          - t1\n          # and itself, by mistake:\n'));
    const only = edit(base, '        owner: ana\n        duration: 5d\n', '        owner: ana\n        depends_on:\n          - t1\n        duration: 5d\n');
    checkFix(only, 'dependency-cycle', 'Remove the self-dependency on `t1`', base);
  });

  test('the only entry in a flow mapping leaves an empty list', () => {
    const text = edit(base, 'owner: cy, duration: 2d }', 'owner: cy, depends_on: [t3], duration: 2d }');
    checkFix(text, 'dependency-cycle', 'Remove the self-dependency on `t3`', edit(base, 'owner: cy, duration: 2d }', 'owner: cy, depends_on: [], duration: 2d }'));
  });

  test('the first key after a dash: the next key moves up', () => {
    const text = edit(base, '      - id: t1\n', '      - depends_on: [t1]\n        id: t1\n');
    checkFix(text, 'dependency-cycle', 'Remove the self-dependency on `t1`', base);
  });

  test('depending on its own milestone or parent task', () => {
    const text = edit(base, 'depends_on: [t1]   # after t1', 'depends_on: [t1, m1]   # after t1');
    checkFix(text, 'dependency-cycle', 'Remove `m1` from depends_on', base);
  });

  test('a cycle between two tasks: removing either entry is offered, neither preferred', () => {
    const text = edit(base, '        owner: ana\n        duration: 5d\n', '        owner: ana\n        duration: 5d\n        depends_on: [t2]\n');
    assert.deepEqual(titles(text, 'dependency-cycle'), ['Remove `t2` from depends_on', 'Remove `t1` from depends_on']);
    checkFix(text, 'dependency-cycle', 'Remove `t2` from depends_on', base, { preferred: false, under: 't2' });
  });
});

describe('status-mismatch on progress: 100', () => {
  test('inserts status: done before progress', () => {
    const text = edit(base, '        owner: ana\n        duration: 5d\n', '        owner: ana\n        duration: 5d\n        progress: 100\n');
    checkFix(text, 'status-mismatch', 'Set `status: done`', edit(base, '        owner: ana\n        duration: 5d\n', '        owner: ana\n        duration: 5d\n        status: done\n        progress: 100\n'));
  });

  test('replaces another status, keeping its comment', () => {
    const text = edit(base, '        owner: ana\n        duration: 5d\n', '        owner: ana\n        duration: 5d\n        status: in-progress   # nearly\n        progress: 100\n');
    checkFix(text, 'status-mismatch', 'Set `status: done`', edit(text, 'status: in-progress', 'status: done'));
  });

  test('fills an empty status', () => {
    const text = edit(base, '        owner: ana\n        duration: 5d\n', '        owner: ana\n        duration: 5d\n        status:\n        progress: 100\n');
    checkFix(text, 'status-mismatch', 'Set `status: done`', edit(text, 'status:\n', 'status: done\n'));
  });

  test('in a flow mapping', () => {
    const text = edit(base, 'duration: 2d }', 'duration: 2d, progress: 100 }');
    checkFix(text, 'status-mismatch', 'Set `status: done`', edit(base, 'duration: 2d }', 'duration: 2d, status: done, progress: 100 }'));
  });

  test('the other status-mismatch (done before its dependency) has no quick fix', () => {
    const text = edit(base, '        depends_on: [t1]   # after t1\n', '        depends_on: [t1]   # after t1\n        status: done\n');
    assert.deepEqual(titles(text, 'status-mismatch'), []);
  });
});

describe('which diagnostics get actions', () => {
  const text = edit(base, 'owner: ben\n', 'owner: bne\n');
  const document = planDocument(text, 'fix.plan.yaml');
  const service = createPlanService({ today });
  const analysis = service.analyze(document);
  const diagnostics = service.getDiagnostics(document);

  test('only diagnostics that touch the requested range', () => {
    const { line, character } = diagnostics[0].range.start;
    assert.equal(getCodeActions(analysis, { start: { line: line + 1, character: 0 }, end: { line: line + 1, character: 3 } }, diagnostics).length, 0);
    assert.equal(getCodeActions(analysis, { start: { line, character: 0 }, end: { line, character: character - 1 } }, diagnostics).length, 0);
    // A cursor at either end of the diagnostic, or a selection across it.
    assert.equal(getCodeActions(analysis, { start: { line, character }, end: { line, character } }, diagnostics).length, 2);
    assert.equal(getCodeActions(analysis, diagnostics[0].range, diagnostics).length, 2);
    assert.equal(getCodeActions(analysis, { start: { line: 0, character: 0 }, end: { line: line + 2, character: 0 } }, diagnostics).length, 2);
  });

  test('a stale diagnostic (its range no longer on the reference) gets none', () => {
    const stale = { ...diagnostics[0], range: { start: { line: 0, character: 0 }, end: { line: 0, character: 4 } } };
    assert.deepEqual(getCodeActions(analysis, stale.range, [stale]), []);
  });

  test('rules without a fix, and diagnostics from elsewhere, get none', () => {
    const other = { ...diagnostics[0], code: 'missing-owner' };
    assert.deepEqual(getCodeActions(analysis, other.range, [other]), []);
    const foreign = { ...diagnostics[0], source: 'yaml-schema' } as unknown as PlanDiagnostic;
    assert.deepEqual(getCodeActions(analysis, foreign.range, [foreign]), []);
  });
});
