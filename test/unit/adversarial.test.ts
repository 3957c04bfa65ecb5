import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { afterEach, describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createPlanService, type PlanDiagnostic, type PlanTextDocument, type Range } from '../../server/src/service';
import { formatDay } from '../../server/src/service/calendar';
import { getCompletions } from '../../server/src/service/completion';
import { getCodeLenses } from '../../server/src/service/editorHints';
import type { Task } from '../../server/src/service/model';
import { getHover } from '../../server/src/service/hover';
import { findDefinition, findReferences, getRenameEdits } from '../../server/src/service/navigation';
import { corpusFiles, GENERATED, readCorpusFile, type GeneratedCase } from '../helpers/adversarialCorpus';
import { fixedToday } from '../helpers/fixtures';

/*
 * The adversarial corpus: hostile or odd input, each case with its expected
 * outcome. Files are in test/fixtures/adversarial/ (byte-exact); the big
 * cases are generated (test/helpers/adversarialCorpus.ts). Every case must
 * end well inside a hang guard (5 s for a file, 10 s for a generated
 * multi-megabyte case on a busy 2-core machine: not a performance test),
 * leave Object.prototype as it was, and give exactly the diagnostics below:
 * rule id, the text under the range as an LSP client reads it
 * (vscode-languageserver-textdocument: lines end at \n, \r\n or \r; UTF-16
 * characters), the range, and where it matters the message.
 * test/cli/adversarial.test.ts runs the same corpus through the CLI.
 *
 * | case                         | input                                                              | expected outcome |
 * | ---------------------------- | ------------------------------------------------------------------ | ---------------- |
 * | alias-bomb.plan.yaml         | billion laughs inside a plan: 10 levels of 10 aliases (10^10)      | cut off after 10,000 expansions: `schema` "This alias expands too far (an alias bomb?)…" once per part (plan, milestone); the expanded lists are "must be a text" |
 * | many-aliases (generated)     | 20,000 list entries and 2,000 aliases of one anchor                | no diagnostic, well under the guard (each alias used to walk the whole document: 15 s) |
 * | deep-flow-seq (generated)    | 10,000 nested `[`                                                  | `schema` not a mapping (the whole line); one `yaml-syntax` "Nested too deeply to read…" where the reader ran out of stack (was "Maximum call stack size exceeded", up to 35 times) |
 * | deep-flow-map (generated)    | 10,000 nested `{a: `                                               | missing plan/owner/start and unknown `a`; `schema` "Nested more than 64 levels deep" from level 65; one `yaml-syntax` "Nested too deeply to read…" |
 * | deep-block-seq (generated)   | 10,000 nested block sequences (`- - - … x`)                        | `schema` not a mapping; one `yaml-syntax` "Nested too deeply to read…" |
 * | deep-block-map (generated)   | 10,000 nested block mappings, one more space each (50 MB)          | as deep-flow-map, the depth finding at line 65 column 65 |
 * | one-line-10mb (generated)    | a 10 MB plan on one line                                           | `schema` bad `end` and `yaml-syntax` duplicate `owner`, at characters past 10,200,000 |
 * | wide-inheritance (generated) | a parent's 3,000 dependencies inherited by its 3,000 subtasks       | done in about a second (9 million subtask → entry pairs took 15 s); cycles, order, status and lenses as for small plans |
 * | many-tasks (generated)       | 8,000 tasks of one milestone on one line, under a 64 KB stack      | 8,000 `missing-owner`, no crash (lists spread into call arguments overflowed the stack: 130,000 tasks crashed at the default stack) |
 * | bom.plan.yaml                | a byte order mark, a finding on the first line                     | ranges exact in the text as given (the CLI and the disk reader drop the BOM, as editors do) |
 * | crlf.plan.yaml               | CRLF line endings                                                  | the same lines and characters as the LF text |
 * | mixed-eol.plan.yaml          | CR, LF and CRLF in turn                                            | the same lines and characters as the LF text (a lone CR ends a line, as in LSP; it used to be read as text: one long line of YAML errors) |
 * | tabs.plan.yaml               | tabs in values and comments, and one as indentation                | only the indentation tab: `yaml-syntax` "Tabs are not allowed as indentation…" and what it breaks |
 * | unicode.plan.yaml            | emoji, ZWJ sequences, combining marks and astral letters before findings on the same line | UTF-16 character offsets exact; `🚀` as an id is a `schema` finding, yet resolves |
 * | prototype-keys.plan.yaml     | keys, people and ids `__proto__`, `constructor`, `toString`, `hasOwnProperty`, … | unknown keys are `schema`; as people and ids they are ordinary: duplicate-id, dependency-cycle, unknown-reference (`valueOf`, `isPrototypeOf` name nothing); completion, definition, references, hover, rename work; Object.prototype unchanged |
 * | merge-keys.plan.yaml         | `<<: *base`                                                        | `schema` "Merge keys (`<<`) are not supported…", nothing merged |
 * | duplicate-keys.plan.yaml     | a key twice in a block map, a flow map and the top level           | `yaml-syntax` on each second key |
 * | tags.plan.yaml               | `!!js/function`, `!!python/object:…`, `!custom`, `!!binary`, `!!timestamp`, `!!str` | `yaml-syntax` "Unresolved tag…" on the first three; YAML's own tags read as text; nothing is executed |
 * | scalars.plan.yaml            | unquoted numbers, dates, booleans and nulls where text is expected | ids and names are their source text (`1.20` is not `1.2`, `2026-04-30` is an id); a float version, a number date, `"50"` progress, `yes` status, `true`/`null`/`~` texts are `schema` |
 * | multi-document.plan.yaml     | three documents                                                    | `yaml-syntax` on each later `---` |
 */

const FILE_GUARD_MS = 5_000;
const GENERATED_GUARD_MS = 10_000;
const today = fixedToday('2026-03-02');

/** [rule, text under the range, "line:character-line:character"] of each diagnostic. */
type Row = [rule: string, text: string, range: string];

function rangeText(range: Range): string {
  return `${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}`;
}

function analyse(name: string, text: string, guardMs: number): { diagnostics: PlanDiagnostic[]; rows: Row[]; document: TextDocument } {
  const document: PlanTextDocument = { uri: `file:///workspace/${name}`, version: 1, text };
  const started = performance.now();
  const diagnostics = createPlanService({ today }).getDiagnostics(document);
  const elapsed = performance.now() - started;
  assert.ok(elapsed < guardMs, `${name}: ${Math.round(elapsed)} ms (hang guard ${guardMs} ms)`);
  const lsp = TextDocument.create(document.uri, 'plan-yaml', 1, text);
  return { diagnostics, rows: diagnostics.map((diagnostic) => [diagnostic.code, lsp.getText(diagnostic.range), rangeText(diagnostic.range)]), document: lsp };
}

function analyseFile(name: string) {
  return analyse(name, readCorpusFile(name), FILE_GUARD_MS);
}

function analyseGenerated(name: GeneratedCase) {
  return analyse(`${name}.plan.yaml`, GENERATED[name](), GENERATED_GUARD_MS);
}

const prototypeNames = Object.getOwnPropertyNames(Object.prototype).sort();
const prototypeToString = Object.prototype.toString;

afterEach(() => {
  // No case may pollute the prototype every object shares.
  assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), prototypeNames);
  assert.equal(Object.prototype.toString, prototypeToString);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal((globalThis as Record<string, unknown>).pwned, undefined);
});

describe('adversarial corpus: files', () => {
  test('every corpus file has a case here', () => {
    assert.deepEqual(corpusFiles(), [
      'alias-bomb.plan.yaml', 'bom.plan.yaml', 'crlf.plan.yaml', 'duplicate-keys.plan.yaml', 'merge-keys.plan.yaml', 'mixed-eol.plan.yaml',
      'multi-document.plan.yaml', 'prototype-keys.plan.yaml', 'scalars.plan.yaml', 'tabs.plan.yaml', 'tags.plan.yaml', 'unicode.plan.yaml',
    ]);
  });

  test('alias-bomb: cut off with a diagnostic, once per part', () => {
    const { rows, diagnostics } = analyseFile('alias-bomb.plan.yaml');
    const list = (level: number) => `[${Array(10).fill(`*l${level}`).join(', ')}]`;
    assert.deepEqual(rows, [
      ['schema', list(0), '16:21-16:71'],
      ['schema', '*l0', '16:27-16:30'],
      ['schema', list(1), '18:66-18:116'],
      ['schema', '*l1', '18:72-18:75'],
      ...[2, 3, 4, 5, 6, 7].map((level): Row => ['schema', list(level), `${17 + level}:84-${17 + level}:134`]),
      ['schema', list(8), '25:84-25:134'],
      ['schema', list(8), '25:84-25:134'],
      ['unmitigated-risk', 'r', '27:10-27:11'],
    ]);
    assert.equal(diagnostics[1].message, 'This alias expands too far (an alias bomb?); write the values out instead of repeating anchors.');
  });

  test('bom: ranges exact in the text as given', () => {
    const { rows } = analyseFile('bom.plan.yaml');
    assert.deepEqual(rows, [
      ['schema', '[Adversarial]', '0:7-0:20'],
      ['schema', '2026-02-30', '9:28-9:38'],
    ]);
  });

  test('crlf: the same lines and characters as with LF', () => {
    const crlf = readCorpusFile('crlf.plan.yaml');
    assert.ok(crlf.includes('\r\n') && !/\r(?!\n)|(?<!\r)\n/.test(crlf), 'CRLF only');
    const { rows } = analyseFile('crlf.plan.yaml');
    assert.deepEqual(rows, [
      ['unknown-reference', 'bob', '12:11-12:14'],
      ['schema', '2x', '15:49-15:51'],
    ]);
    assert.deepEqual(analyse('lf.plan.yaml', crlf.replace(/\r\n/g, '\n'), FILE_GUARD_MS).rows, rows);
  });

  test('mixed-eol: a lone CR ends a line, as in LSP', () => {
    const mixed = readCorpusFile('mixed-eol.plan.yaml');
    assert.ok(/\r(?!\n)/.test(mixed) && /\r\n/.test(mixed) && /(?<!\r)\n/.test(mixed), 'CR, LF and CRLF');
    const { rows, diagnostics } = analyseFile('mixed-eol.plan.yaml');
    assert.deepEqual(rows, [
      ['unknown-reference', 'bob', '12:11-12:14'],
      ['schema', '2x', '15:49-15:51'],
      ['unknown-reference', 'nope', '16:69-16:73'],
    ]);
    assert.deepEqual(analyse('lf.plan.yaml', mixed.replace(/\r\n?/g, '\n'), FILE_GUARD_MS).diagnostics, diagnostics);
  });

  test('tabs: only a tab used as indentation is an error', () => {
    const { rows, diagnostics } = analyseFile('tabs.plan.yaml');
    assert.deepEqual(rows, [
      ['schema', 'id', '15:8-15:10'],
      ['schema', 'id', '15:8-15:10'],
      ['missing-owner', 't', '15:12-15:13'],
      ['yaml-syntax', '\t', '16:0-16:1'],
      ['schema', 'title', '16:1-16:6'],
      ['yaml-syntax', 'T', '16:8-16:9'],
      ['yaml-syntax', 'T\n        owner', '16:8-17:13'],
    ]);
    assert.equal(diagnostics[3].message, 'Tabs are not allowed as indentation in YAML; indent with spaces.');
  });

  test('unicode: UTF-16 character offsets after emoji and combining marks', () => {
    const { rows, document } = analyseFile('unicode.plan.yaml');
    assert.deepEqual(rows, [
      ['schema', 'bøb', '15:67-15:70'],
      ['unknown-reference', 'bøb', '15:67-15:70'],
      ['unknown-reference', 'missing', '15:85-15:92'],
      ['schema', '"🚀"', '16:14-16:18'],
      ['schema', '🚀', '17:71-17:73'],
      ['unknown-reference', 'nope', '17:75-17:79'],
    ]);
    // The line holds 4 astral letters, a 7-code-point family emoji and combining marks before `bøb`.
    const line = document.getText({ start: { line: 15, character: 0 }, end: { line: 16, character: 0 } });
    assert.equal(line.indexOf('bøb'), 67);
    assert.ok([...line.slice(0, 67)].length < 67, 'code points are not what is counted');
  });

  test('prototype-keys: ordinary names, no pollution', () => {
    const { rows, diagnostics } = analyseFile('prototype-keys.plan.yaml');
    assert.deepEqual(rows, [
      ['schema', '__proto__', '4:0-4:9'],
      ['schema', 'constructor', '5:0-5:11'],
      ['schema', 'toString', '6:0-6:8'],
      ['schema', 'hasOwnProperty', '7:0-7:14'],
      ['dependency-cycle', 'hasOwnProperty', '22:84-22:98'],
      ['dependency-cycle', 'toString', '23:90-23:98'],
      ['unknown-reference', 'valueOf', '23:100-23:107'],
      ['duplicate-id', 'toString', '24:14-24:22'],
      ['unknown-reference', 'valueOf', '24:41-24:48'],
      ['unknown-reference', 'isPrototypeOf', '25:86-25:99'],
      ['unknown-reference', '__proto__', '25:101-25:110'],
    ]);
    assert.deepEqual(diagnostics.slice(4).map((diagnostic) => diagnostic.message), [
      'Dependency cycle: toString → hasOwnProperty → toString; remove one of these dependencies.',
      'Dependency cycle: hasOwnProperty → toString → hasOwnProperty; remove one of these dependencies.',
      'Unknown task or milestone `valueOf` in `depends_on`; name an existing task or milestone.',
      'Duplicate id `toString`: the task on line 23 already uses it; ids must be unique in a plan, rename this one.',
      'Unknown person `valueOf` in `owner`; add them under `people` or fix the name.',
      'Unknown task or milestone `isPrototypeOf` in `depends_on`; name an existing task or milestone.',
      'Unknown task or milestone `__proto__` in `depends_on` (`__proto__` is a goal); name an existing task or milestone.',
    ]);
  });

  test('prototype-keys: completion, definition, references, hover and rename treat them like any id', () => {
    const text = readCorpusFile('prototype-keys.plan.yaml');
    const uri = 'file:///workspace/prototype-keys.plan.yaml';
    const documents = new Map([[uri, { uri, version: 1, text }]]);
    const service = createPlanService({ today, workspace: { getDocument: (asked) => documents.get(asked), listPlanUris: () => [...documents.keys()] } });
    const analysis = service.analyze(documents.get(uri)!);
    const at = (needle: string, delta: number) => analysis.lines.positionAt(text.indexOf(needle) + delta);
    // In `depends_on: [|isPrototypeOf, __proto__]` of `__defineGetter__`: its milestone `constructor` would be a cycle.
    assert.deepEqual(getCompletions(analysis, at('depends_on: [isPrototypeOf', 'depends_on: ['.length), undefined, service.environment).items.map((item) => item.label), ['toString', 'hasOwnProperty']);
    const reference = at('depends_on: [toString, valueOf]', 'depends_on: [t'.length);
    const definition = { uri, range: { start: { line: 22, character: 14 }, end: { line: 22, character: 22 } } };
    assert.deepEqual(findDefinition(analysis, reference, service.environment), [definition]);
    assert.deepEqual(findReferences(analysis, reference, service.environment, true), [definition, { uri, range: { start: { line: 23, character: 90 }, end: { line: 23, character: 98 } } }]);
    assert.match(getHover(analysis, reference, service.environment)!.contents.value, /^\*\*Task\*\* `toString`: A\n/);
    assert.deepEqual(findDefinition(analysis, at('owner: __proto__', 'owner: _'.length), service.environment), [{ uri, range: { start: { line: 9, character: 2 }, end: { line: 9, character: 11 } } }]);
    const rename = getRenameEdits(analysis, reference, 'renamed', service.environment) as { changes: Record<string, { range: Range; newText: string }[]> };
    assert.deepEqual(rename.changes[uri].map((edit) => rangeText(edit.range)), ['22:14-22:22', '23:90-23:98']);
    // The model keeps people and ids in Maps: a prototype member is never found by name.
    assert.ok(analysis.model.people instanceof Map && analysis.model.entitiesById instanceof Map);
    assert.equal(analysis.model.entitiesById.get('valueOf'), undefined);
  });

  test('merge-keys: reported, nothing merged', () => {
    const { rows, diagnostics } = analyseFile('merge-keys.plan.yaml');
    assert.deepEqual(rows, [
      ['schema', '<<', '10:4-10:6'],
      ['schema', '<<', '10:4-10:6'],
      ['schema', '<<', '10:4-10:6'],
      ['missing-owner', 'n', '11:8-11:9'],
      ['untraced-work', 'n', '11:8-11:9'],
    ]);
    assert.equal(diagnostics[2].message, 'Merge keys (`<<`) are not supported in plans; write the keys out.');
  });

  test('duplicate-keys: the second key, in block, flow and top-level maps', () => {
    const { rows, diagnostics } = analyseFile('duplicate-keys.plan.yaml');
    assert.deepEqual(rows, [
      ['yaml-syntax', 'title', '14:4-14:9'],
      ['yaml-syntax', 'duration', '16:53-16:61'],
      ['yaml-syntax', 'owner', '17:0-17:5'],
    ]);
    assert.ok(diagnostics.every((diagnostic) => diagnostic.message === 'This key appears twice in the same mapping; keep one of them.'));
  });

  test('tags: unknown tags reported, YAML tags read as text, nothing executed', () => {
    const { rows, diagnostics } = analyseFile('tags.plan.yaml');
    assert.deepEqual(rows, [
      ['yaml-syntax', '!!js/function', '8:9-8:22'],
      ['yaml-syntax', '!custom', '11:4-11:11'],
      ['yaml-syntax', '!!python/object:os.system', '12:4-12:29'],
    ]);
    assert.equal(diagnostics[1].message, 'Unresolved tag: !custom; plans use plain YAML values, remove the tag.');
  });

  test('scalars: source text for ids and names, schema findings for the wrong types', () => {
    const { rows, diagnostics } = analyseFile('scalars.plan.yaml');
    assert.deepEqual(rows, [
      ['schema', '1.10', '1:9-1:13'],
      ['schema', '20260630', '4:5-4:13'],
      ['schema', '"50"', '18:63-18:67'],
      ['schema', 'yes', '18:77-18:80'],
      ['dependency-cycle', '2026-04-30', '19:72-19:82'],
      ['unknown-reference', '1.2', '19:84-19:87'],
      ['schema', 'true', '20:26-20:30'],
      ['schema', 'null', '20:32-20:36'],
      ['schema', '~', '20:38-20:39'],
    ]);
    assert.equal(diagnostics[4].message, 'Dependency cycle: 8 → 2026-04-30 → 8; remove one of these dependencies.');
  });

  test('multi-document: each later document', () => {
    const { rows } = analyseFile('multi-document.plan.yaml');
    assert.deepEqual(rows, [
      ['yaml-syntax', '---', '10:0-10:3'],
      ['yaml-syntax', '---', '12:0-12:3'],
    ]);
  });
});

describe('adversarial corpus: generated', () => {
  const TOO_DEEP = 'Nested too deeply to read (thousands of levels); a plan never needs this, flatten it.';
  /** The reader runs out of stack at a depth that depends on the stack: the one finding's place is checked loosely. */
  function splitTooDeep(rows: Row[], diagnostics: PlanDiagnostic[], character: string): Row[] {
    const index = diagnostics.findIndex((diagnostic) => diagnostic.message === TOO_DEEP);
    assert.ok(index >= 0, 'the reader says it is too deep');
    assert.equal(diagnostics.filter((diagnostic) => diagnostic.message === TOO_DEEP).length, 1, 'once');
    assert.equal(rows[index][0], 'yaml-syntax');
    assert.equal(rows[index][1], character);
    return rows.filter((_, other) => other !== index);
  }
  const missing = (text: string, range: string): Row[] => [
    ['schema', text, range],
    ['schema', text, range],
    ['schema', text, range],
    ['schema', text, range],
  ];

  test('many-aliases: resolved in one walk', () => {
    assert.deepEqual(analyseGenerated('many-aliases').rows, []);
  });

  test('deep-flow-seq: 10,000 levels', () => {
    const { rows, diagnostics } = analyseGenerated('deep-flow-seq');
    assert.deepEqual(splitTooDeep(rows, diagnostics, '['), [['schema', `${'['.repeat(10_000)}${']'.repeat(10_000)}`, '0:0-0:20000']]);
  });

  test('deep-flow-map: 10,000 levels', () => {
    const { rows, diagnostics } = analyseGenerated('deep-flow-map');
    const rest = splitTooDeep(rows, diagnostics, '{');
    assert.deepEqual(rest.map(([rule, text, range]) => [rule, text.slice(0, 8), range]), [...missing('a', '0:1-0:2'), ['schema', '{a: {a: ', '0:260-0:49936']]);
    assert.equal(diagnostics.find((diagnostic) => rangeText(diagnostic.range) === '0:260-0:49936')!.message, 'Nested more than 64 levels deep; a plan never needs this, flatten it.');
  });

  test('deep-block-seq: 10,000 levels', () => {
    const { rows, diagnostics } = analyseGenerated('deep-block-seq');
    // The root list ends where the reader gave up: that too depends on the stack.
    const [[rule, text, range], ...rest] = splitTooDeep(rows, diagnostics, '-');
    assert.deepEqual([rule, text.slice(0, 8), range.slice(0, 6), rest], ['schema', '- - - - ', '0:0-0:', []]);
    assert.equal(diagnostics[0].message, 'A plan must be a mapping of keys (plan, owner, start, milestones, …), not a list or a single value.');
  });

  test('deep-block-map: 10,000 levels, 50 MB', () => {
    const { rows, diagnostics } = analyseGenerated('deep-block-map');
    assert.deepEqual(splitTooDeep(rows, diagnostics, 'a'), [...missing('a', '0:0-0:1'), ['schema', 'a:', '65:65-65:67']]);
  });

  test('one-line-10mb: exact characters past ten million', () => {
    const { rows, diagnostics } = analyseGenerated('one-line-10mb');
    assert.deepEqual(rows, [
      ['schema', '2026-13-01', '0:10200187-0:10200197'],
      ['yaml-syntax', 'owner', '0:10200199-0:10200204'],
    ]);
    assert.equal(diagnostics[0].message, '`end` must be a real calendar date written YYYY-MM-DD, e.g. 2026-03-02.');
  });

  test('wide-inheritance: 3,000 entries inherited by 3,000 subtasks, without a pair per subtask and entry', () => {
    // Building every subtask → entry pair took 15 s here; the hang guard is 10 s.
    const { diagnostics, rows } = analyseGenerated('wide-inheritance');
    const counts: Record<string, number> = {};
    for (const [rule] of rows) counts[rule] = (counts[rule] ?? 0) + 1;
    assert.deepEqual(counts, { 'missing-owner': 6_001, 'dependency-cycle': 2, 'dependency-order': 1, 'status-mismatch': 1 });
    const about = (rule: string) => diagnostics.filter((diagnostic) => diagnostic.code === rule).map((diagnostic) => [rangeText(diagnostic.range), diagnostic.message]);
    assert.deepEqual(about('dependency-cycle'), [
      ['20:55-20:57', 'Dependency cycle: d5 → s2 → d5; remove one of these dependencies.'],
      ['3023:41-3023:43', 'Dependency cycle: s2 → d5 → s2; remove one of these dependencies.'],
    ]);
    assert.deepEqual(about('dependency-order'), [['3025:53-3025:63', 'Task `s0` starts 2026-03-02, on or before the end of its dependency `d0` (2026-03-02); start on 2026-03-03 or later, or remove `start` to have it computed.']]);
    // Thousands of open dependencies: five are named.
    assert.deepEqual(about('status-mismatch'), [['3026:54-3026:58', 'Task `s1` is done while its dependencies `d0` (planned), `d1` (planned), `d2` (planned), `d3` (planned), `d4` (planned) and others are not; update the dependency\'s status or this one.']]);

    const text = GENERATED['wide-inheritance']();
    const service = createPlanService({ today });
    const analysis = service.analyze({ uri: 'file:///workspace/wide-inheritance.plan.yaml', version: 1, text });
    const item = (id: string) => analysis.schedule.items.get(analysis.model.entitiesById.get(id)![0] as Task)!;
    // Every subtask waits for all 3,000: the last one starts the working day after they end.
    assert.deepEqual([formatDay(item('d2999').end), formatDay(item('s2999').start)], ['2026-03-02', '2026-03-03']);
    const lenses = new Map(getCodeLenses(analysis).map((lens) => [lens.command!.arguments![0], lens.command!.title]));
    assert.equal(lenses.get('d0'), '3001 dependents · critical path');
    // In d5's `depends_on: [s|`: every subtask waits for d5 through p, so none is offered (each would close a cycle).
    const inD5 = analysis.lines.positionAt(text.indexOf('depends_on: [s2]') + 'depends_on: [s'.length);
    assert.deepEqual(getCompletions(analysis, inD5, undefined, service.environment).items, []);
    const withoutInheritance = text.replace(', d5, ', ', ');
    const other = service.analyze({ uri: 'file:///workspace/other.plan.yaml', version: 1, text: withoutInheritance });
    const inOther = other.lines.positionAt(withoutInheritance.indexOf('depends_on: [s2]') + 'depends_on: [s'.length);
    assert.deepEqual(getCompletions(other, inOther, undefined, service.environment).items.slice(0, 3).map((entry) => entry.label), ['s0', 's1', 's2']);
  });

  test('many-tasks: no list is spread into call arguments (a 64 KB stack, 8,000 tasks)', () => {
    // At the default stack 130,000 tasks overflowed it; a small stack makes 8,000 enough (and fast).
    const script = `
      const { createPlanService, parseIsoDate } = require(${JSON.stringify(path.join(__dirname, '..', '..', 'server', 'src', 'service'))});
      const { GENERATED } = require(${JSON.stringify(path.join(__dirname, '..', 'helpers', 'adversarialCorpus'))});
      const started = Date.now();
      const diagnostics = createPlanService({ today: () => parseIsoDate('2026-03-02') }).getDiagnostics({ uri: 'file:///workspace/many-tasks.plan.yaml', version: 1, text: GENERATED['many-tasks']() });
      process.stdout.write(JSON.stringify({ ms: Date.now() - started, count: diagnostics.length, rules: [...new Set(diagnostics.map((d) => d.code))], first: diagnostics[0].range, last: diagnostics[diagnostics.length - 1].message }));
    `;
    const child = spawnSync(process.execPath, ['--stack-size=64', '-e', script], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(child.status, 0, child.stderr);
    const result = JSON.parse(child.stdout) as { ms: number; count: number; rules: string[]; first: Range; last: string };
    assert.ok(result.ms < GENERATED_GUARD_MS, `${result.ms} ms`);
    assert.deepEqual([result.count, result.rules, rangeText(result.first), result.last], [8_000, ['missing-owner'], '0:253-0:255', 'Task `t7999` has no owner; add `owner:` with the one person accountable for it.']);
  });
});
