import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { createPlanService, RULE_IDS, type PlanAnalysis, type PlanDiagnostic, type PlanService, type PlanTextDocument, type Position, type Range, type WorkspaceEdit } from '../../server/src/service';
import { getCodeActions } from '../../server/src/service/codeActions';
import { getCompletions, resolveCompletionItem } from '../../server/src/service/completion';
import { getLinkCandidates } from '../../server/src/service/documentLinks';
import { getCodeLenses, getInlayHints } from '../../server/src/service/editorHints';
import { getHover } from '../../server/src/service/hover';
import { findDefinition, findReferences, getDocumentHighlights, getRenameEdits, prepareRename } from '../../server/src/service/navigation';
import { getDocumentSymbols, getWorkspaceSymbols, type DocumentSymbol } from '../../server/src/service/symbols';
import { anyPlanArb, editedPlanArb, faultyPlanArb, OTHER_PLAN, OTHER_PLAN_NAME, validPlanArb } from '../helpers/fuzzPlans';
import { fixedToday } from '../helpers/fixtures';

// Property-based tests: generated valid plans, and random mutations of them
// (characters and lines inserted, deleted, swapped, re-indented, duplicated;
// YAML punctuation, emoji, combining marks, BOM, CRLF), go through the whole
// service and every feature the language server offers. A fixed seed makes a
// run reproducible; a failure prints the shrunk plan text.
//
// Lines are LSP's: they end at `\n`, `\r\n` or a lone `\r`, and a position
// never points between a CRLF's `\r` and `\n`.

// FUZZ_SEED and FUZZ_SCALE (a multiplier of the run counts) explore further,
// FUZZ_TRACE=<file> writes each case there before running it (to catch a hang);
// the suite itself always runs the fixed seed.
const SEED = Number(process.env.FUZZ_SEED ?? 20261125);
const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
const today = fixedToday('2026-02-10');
const MAIN_URI = 'file:///workspace/fuzz.plan.yaml';
const OTHER_URI = `file:///workspace/${OTHER_PLAN_NAME}`;
/** A hang guard, not a performance test: a small plan takes milliseconds. */
const MAX_ANALYSIS_MS = 2000;

/** A fresh service over a workspace of the plan under test and the other plan it may refer to. */
function workspaceOf(text: string, otherText = OTHER_PLAN): { service: PlanService; document: PlanTextDocument; texts: Map<string, string> } {
  const documents = new Map<string, PlanTextDocument>([
    [MAIN_URI, { uri: MAIN_URI, version: 1, text }],
    [OTHER_URI, { uri: OTHER_URI, version: 1, text: otherText }],
  ]);
  const service = createPlanService({ today, workspace: { getDocument: (uri) => documents.get(uri), listPlanUris: () => [...documents.keys()] } });
  return { service, document: documents.get(MAIN_URI)!, texts: new Map([...documents].map(([uri, document]) => [uri, document.text])) };
}

// ── ranges inside the document ───────────────────────────────────────────

/** Each line's length in UTF-16 units, without its line end: `\n`, `\r\n` or a lone `\r`, as for LSP. */
function lineLengths(text: string): number[] {
  return text.split(/\r\n|\r|\n/).map((line) => line.length);
}

function isPosition(value: unknown): value is Position {
  return typeof value === 'object' && value !== null && typeof (value as Position).line === 'number' && typeof (value as Position).character === 'number';
}

function isRange(value: unknown): value is Range {
  return typeof value === 'object' && value !== null && isPosition((value as Range).start) && isPosition((value as Range).end);
}

function positionProblem(lengths: number[], position: Position): string | undefined {
  const { line, character } = position;
  if (!Number.isInteger(line) || !Number.isInteger(character) || line < 0 || character < 0) return `not a position: ${JSON.stringify(position)}`;
  if (line >= lengths.length) return `line ${line} past the last line ${lengths.length - 1}`;
  if (character > lengths[line]) return `character ${character} past the end of line ${line} (length ${lengths[line]})`;
  return undefined;
}

function rangeProblem(lengths: number[], range: Range): string | undefined {
  const problem = positionProblem(lengths, range.start) ?? positionProblem(lengths, range.end);
  if (problem) return problem;
  if (range.start.line > range.end.line || (range.start.line === range.end.line && range.start.character > range.end.character)) return `start after end: ${JSON.stringify(range)}`;
  return undefined;
}

/** Every range and position anywhere in `value` (a feature's result) lies inside the text. */
function assertInside(text: string, value: unknown, what: string): void {
  const lengths = lineLengths(text);
  const visit = (node: unknown, path: string): void => {
    if (typeof node !== 'object' || node === null) return;
    if (isRange(node)) {
      const problem = rangeProblem(lengths, node);
      assert.equal(problem, undefined, `${what}: ${path}: ${problem}`);
      return;
    }
    if (isPosition(node)) {
      const problem = positionProblem(lengths, node);
      assert.equal(problem, undefined, `${what}: ${path}: ${problem}`);
      return;
    }
    for (const [key, child] of Object.entries(node)) visit(child, `${path}.${key}`);
  };
  visit(value, '');
}

/** Locations (definition, references) point into their own file. */
function assertLocationsInside(texts: Map<string, string>, locations: { uri: string; range: Range }[], what: string): void {
  for (const location of locations) {
    const text = texts.get(location.uri);
    assert.ok(text !== undefined, `${what}: a location in an unknown file ${location.uri}`);
    assertInside(text, location.range, `${what} in ${location.uri}`);
  }
}

function assertEditInside(texts: Map<string, string>, edit: WorkspaceEdit, what: string): void {
  for (const [uri, edits] of Object.entries(edit.changes)) {
    const text = texts.get(uri);
    assert.ok(text !== undefined, `${what}: an edit of an unknown file ${uri}`);
    assertInside(text, edits, `${what} in ${uri}`);
  }
}

function assertSymbolNesting(symbols: DocumentSymbol[]): void {
  const contains = (outer: Range, inner: Range) =>
    (outer.start.line < inner.start.line || (outer.start.line === inner.start.line && outer.start.character <= inner.start.character)) &&
    (inner.end.line < outer.end.line || (inner.end.line === outer.end.line && inner.end.character <= outer.end.character));
  for (const symbol of symbols) {
    // VS Code rejects the whole outline when a selection range is outside its symbol's range.
    assert.ok(contains(symbol.range, symbol.selectionRange), `symbol ${symbol.name}: selectionRange ${JSON.stringify(symbol.selectionRange)} outside range ${JSON.stringify(symbol.range)}`);
    assertSymbolNesting(symbol.children);
  }
}

// ── edits ────────────────────────────────────────────────────────────────

/** Applies LSP edits (non-overlapping). */
function applyTextEdits(text: string, edits: { range: Range; newText: string }[]): string {
  const starts = [0];
  for (const match of text.matchAll(/\r\n|\r|\n/g)) starts.push(match.index + match[0].length);
  const offsetAt = (position: Position) => Math.min(text.length, starts[Math.min(position.line, starts.length - 1)] + position.character);
  const sorted = [...edits].sort((a, b) => offsetAt(b.range.start) - offsetAt(a.range.start));
  let result = text;
  for (const edit of sorted) result = result.slice(0, offsetAt(edit.range.start)) + edit.newText + result.slice(offsetAt(edit.range.end));
  return result;
}

function count(diagnostics: PlanDiagnostic[], code: string): number {
  return diagnostics.filter((diagnostic) => diagnostic.code === code).length;
}

function diagnosticsOf(text: string, otherText = OTHER_PLAN): { main: PlanDiagnostic[]; other: PlanDiagnostic[] } {
  const { service } = workspaceOf(text, otherText);
  return {
    main: service.getDiagnostics({ uri: MAIN_URI, version: 1, text }),
    other: service.getDiagnostics({ uri: OTHER_URI, version: 1, text: otherText }),
  };
}

// ── positions ────────────────────────────────────────────────────────────

/** Positions worth asking about: random ones, line starts and ends, past the end, and on every name the model knows. */
function positionsFor(analysis: PlanAnalysis, random: [number, number][]): Position[] {
  const lengths = lineLengths(analysis.document.text);
  const positions: Position[] = [
    { line: 0, character: 0 },
    { line: lengths.length - 1, character: lengths[lengths.length - 1] },
    { line: lengths.length + 3, character: 0 },
    { line: 0, character: 10_000 },
  ];
  for (const [a, b] of random) {
    const line = a % (lengths.length + 1);
    positions.push({ line, character: b % ((lengths[line] ?? 0) + 3) });
    const other = b % lengths.length;
    positions.push({ line: other, character: 0 }, { line: other, character: lengths[other] });
  }
  const { model } = analysis;
  const spans = [
    ...model.references.map((reference) => reference.span),
    ...[...model.goals, ...model.milestones, ...model.tasks, ...model.risks].flatMap((entity) => (entity.id ? [entity.id.span] : [])),
    ...[...model.people.values()].map((person) => person.key.span),
  ];
  for (const [index, span] of spans.entries()) {
    // Every name's start, and the middle and end of a few of them.
    positions.push(analysis.lines.positionAt(span[0]));
    if (index % 3 === 0) positions.push(analysis.lines.positionAt((span[0] + span[1]) >> 1), analysis.lines.positionAt(span[1]));
  }
  return positions;
}

function touches(range: Range, position: Position): boolean {
  const before = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.character < b.character);
  return !before(position, range.start) && !before(range.end, position);
}

/** Runs a property with the fixed seed and says how many cases it ran. */
function check<T>(name: string, arbitrary: fc.Arbitrary<T>, runs: number, predicate: (value: T) => void): void {
  const numRuns = Math.max(1, Math.round(runs * SCALE));
  let cases = 0;
  const started = performance.now();
  fc.assert(
    fc.property(arbitrary, (value) => {
      cases++;
      // A hang never reports: FUZZ_TRACE=<file> keeps the case being run.
      if (process.env.FUZZ_TRACE) fs.writeFileSync(process.env.FUZZ_TRACE, `${name} #${cases}\n${JSON.stringify(value)}\n`);
      predicate(value);
    }),
    { seed: SEED, numRuns, includeErrorInReport: true },
  );
  console.log(`fuzz: ${name}: ${numRuns} cases passed (${cases} evaluated, seed ${SEED}) in ${Math.round(performance.now() - started)} ms`);
}

// ── properties ───────────────────────────────────────────────────────────

describe('fuzz: generated and mutated plans through the whole service', () => {
  test('the generator makes valid plans: no YAML, schema, reference, duplicate-id or cycle problems', () => {
    const broken = ['yaml-syntax', 'schema', 'duplicate-id', 'unknown-reference', 'dependency-cycle'];
    check('valid generator', validPlanArb, 150, (text) => {
      const { main } = diagnosticsOf(text);
      assert.deepEqual(
        main.filter((diagnostic) => broken.includes(diagnostic.code)).map((diagnostic) => `${diagnostic.code} at ${diagnostic.range.start.line + 1}:${diagnostic.range.start.character + 1}: ${diagnostic.message}`),
        [],
      );
    });
  });

  test('1. analysis never throws and ends in bounded time', () => {
    check('analysis', anyPlanArb, 1000, (text) => {
      const { service, document } = workspaceOf(text);
      const started = performance.now();
      service.getDiagnostics(document);
      service.getPlanView(document);
      const elapsed = performance.now() - started;
      assert.ok(elapsed < MAX_ANALYSIS_MS, `analysis took ${Math.round(elapsed)} ms`);
    });
  });

  test('2. every diagnostic lies inside the document and has a known rule id', () => {
    check('diagnostics', anyPlanArb, 1000, (text) => {
      const { service, document } = workspaceOf(text);
      const lengths = lineLengths(text);
      for (const diagnostic of service.getDiagnostics(document)) {
        assert.ok((RULE_IDS as readonly string[]).includes(diagnostic.code), `unknown rule id ${diagnostic.code}`);
        const problem = rangeProblem(lengths, diagnostic.range);
        assert.equal(problem, undefined, `${diagnostic.code} (${diagnostic.message}): ${problem}`);
      }
    });
  });

  test('3. every feature answers at any position without throwing, with ranges inside the document', () => {
    const positionsArb = fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 6 });
    check('features', fc.tuple(anyPlanArb, positionsArb, fc.nat()), 300, ([text, random, seed]) => {
      const { service, document, texts } = workspaceOf(text);
      const analysis = service.analyze(document);
      const diagnostics = service.getDiagnostics(document);
      const env = service.environment;
      const lengths = lineLengths(text);

      // Whole-document features.
      const symbols = getDocumentSymbols(analysis);
      assertInside(text, symbols, 'document symbols');
      assertSymbolNesting(symbols);
      assertInside(text, getWorkspaceSymbols([analysis], '').map((symbol) => symbol.location.range), 'workspace symbols');
      getWorkspaceSymbols([analysis], 't');
      assertInside(text, getCodeLenses(analysis, 'blueprint.revealInTimeline', () => 2), 'code lenses');
      assertInside(text, getInlayHints(analysis), 'inlay hints');
      const line = seed % lengths.length;
      assertInside(text, getInlayHints(analysis, { start: { line, character: 0 }, end: { line: line + 5, character: 0 } }), 'inlay hints in a range');
      assertInside(text, getLinkCandidates(analysis), 'document links');
      assertInside(text, service.getPlanView(document), 'plan view');

      for (const position of positionsFor(analysis, random)) {
        const at = `at ${position.line}:${position.character}`;
        const completions = getCompletions(analysis, position, today(), env, { deferDocumentation: true });
        for (const item of completions.items.slice(0, 3)) resolveCompletionItem(analysis, item, today());
        // Where the cursor is (a past-the-end position means the line's end, as in LSP).
        const cursor = analysis.lines.positionAt(analysis.lines.offsetAt(position));
        for (const item of completions.items) {
          if (!item.textEdit) continue;
          const { range } = item.textEdit;
          assertInside(text, range, `completion ${JSON.stringify(item.label)} ${at}`);
          // LSP (and VS Code) want a single-line edit range around the cursor.
          assert.ok(range.start.line === range.end.line && touches(range, cursor), `completion ${JSON.stringify(item.label)} ${at}: edit range ${JSON.stringify(range)} is not a single line holding the cursor`);
        }
        const hover = getHover(analysis, position, env);
        if (hover) {
          assertInside(text, hover.range, `hover ${at}`);
          assert.ok(touches(hover.range, cursor), `hover ${at}: range ${JSON.stringify(hover.range)} does not hold the cursor`);
        }
        assertLocationsInside(texts, findDefinition(analysis, position, env), `definition ${at}`);
        assertLocationsInside(texts, findReferences(analysis, position, env, true), `references ${at}`);
        assertInside(text, getDocumentHighlights(analysis, position), `highlights ${at}`);
        const prepared = prepareRename(analysis, position);
        // Not necessarily around the cursor: on a quote, the name inside the quotes is renamed.
        if (!('error' in prepared)) assertInside(text, prepared.range, `prepareRename ${at}`);
        const renamed = getRenameEdits(analysis, position, 'renamed-1', env);
        if (!('error' in renamed)) assertEditInside(texts, renamed, `rename ${at}`);
        const here = diagnostics.filter((diagnostic) => touches(diagnostic.range, position));
        for (const action of getCodeActions(analysis, { start: position, end: position }, here)) assertEditInside(texts, action.edit, `quick fix ${JSON.stringify(action.title)} ${at}`);
      }
    });
  });

  test('4. a rename, applied, adds no unknown-reference', () => {
    const newNames = fc.constantFrom('renamed', 'r-2', 'x.y', 'A_1', '42', '1.5', '2026-01-05', 'true', 'null', 'alice', 'bob', 'task-3', 'ms-2', 'ext-2');
    let renames = 0;
    const plans = fc.oneof({ arbitrary: anyPlanArb, weight: 2 }, { arbitrary: faultyPlanArb, weight: 1 });
    check('rename', fc.tuple(plans, fc.nat(), newNames), 600, ([text, pick, newName]) => {
      const { service, document, texts } = workspaceOf(text);
      const analysis = service.analyze(document);
      const { model } = analysis;
      const spans = [
        ...model.references.map((reference) => reference.span),
        ...[...model.goals, ...model.milestones, ...model.tasks, ...model.risks].flatMap((entity) => (entity.id ? [entity.id.span] : [])),
        ...[...model.people.values()].map((person) => person.key.span),
      ];
      if (spans.length === 0) return;
      const span = spans[pick % spans.length];
      const position = analysis.lines.positionAt(span[0] + (pick % (span[1] - span[0] + 1)));
      const result = getRenameEdits(analysis, position, newName, service.environment);
      if ('error' in result) return;
      renames++;
      const before = diagnosticsOf(text);
      const main = applyTextEdits(text, result.changes[MAIN_URI] ?? []);
      const other = applyTextEdits(texts.get(OTHER_URI)!, result.changes[OTHER_URI] ?? []);
      const after = diagnosticsOf(main, other);
      const explain = () => `renaming at ${position.line}:${position.character} to ${newName}: ${JSON.stringify(result.changes)}\n--- after:\n${main}`;
      assert.ok(count(after.main, 'unknown-reference') <= count(before.main, 'unknown-reference'), `new unknown-reference in the plan after ${explain()}`);
      assert.ok(count(after.other, 'unknown-reference') <= count(before.other, 'unknown-reference'), `new unknown-reference in the other plan after ${explain()}`);
    });
    console.log(`fuzz: rename: ${renames} renames made an edit and were applied`);
  });

  test('5. a quick fix never makes valid YAML invalid', () => {
    let fixes = 0;
    // Plans with mistakes that have fixes, edited plans, and any plan.
    const plans = fc.oneof({ arbitrary: faultyPlanArb, weight: 2 }, { arbitrary: editedPlanArb, weight: 2 }, { arbitrary: anyPlanArb, weight: 1 });
    check('quick fixes', plans, 400, (text) => {
      const { service, document } = workspaceOf(text);
      const analysis = service.analyze(document);
      const diagnostics = service.getDiagnostics(document);
      if (count(diagnostics, 'yaml-syntax') > 0) return;
      for (const diagnostic of diagnostics) {
        for (const action of getCodeActions(analysis, diagnostic.range, diagnostics)) {
          fixes++;
          const fixed = applyTextEdits(text, action.edit.changes[MAIN_URI] ?? []);
          const after = diagnosticsOf(fixed).main.filter((found) => found.code === 'yaml-syntax');
          assert.deepEqual(after.map((found) => found.message), [], `quick fix ${JSON.stringify(action.title)} for ${diagnostic.code} broke the YAML:\n${fixed}`);
        }
      }
    });
    console.log(`fuzz: quick fixes: ${fixes} fixes applied`);
  });
});

// ── counterexamples found by the properties above, shrunk ────────────────

describe('fuzz regressions', () => {
  const diagnose = (text: string) => createPlanService({ today }).getDiagnostics({ uri: MAIN_URI, version: 1, text });
  const rangeOf = (range: Range) => [range.start.line, range.start.character, range.end.line, range.end.character];

  test('CRLF: a finding on a value cut at its line end stops before the CR of a CRLF (was one past the line)', () => {
    // Property 2: the schema span of the broken `plan:` value ran to the `\n`, past the CRLF's `\r`.
    const text = 'plan: X\r\n  workdays: [mon]\r\nowner: ana\r\nstart: 2026-01-05\r\npeople:\r\n  ana: { name: Ana }\r\n';
    const onPlan = diagnose(text).filter((diagnostic) => diagnostic.message === '`plan` must be a non-empty text.');
    assert.deepEqual(onPlan.map((diagnostic) => rangeOf(diagnostic.range)), [[0, 6, 0, 7]]);
  });

  test('CRLF: a plan view range ending at a line break ends at the line end, not between CR and LF', () => {
    // Property 3: the goal's mapping (cut short by an unclosed flow list) ended after the `\r`: character 38 of a 37-character line.
    const text = 'plan: X\r\nowner: ana\r\nstart: 2026-01-05\r\ngoals:\r\n  - id: g\r\n    title: G\r\n    owner: ana\r\n    metrics: [{ name: rate, by: 2026]\r\npeople:\r\n  ana: { name: Ana }\r\n';
    const view = createPlanService({ today }).getPlanView({ uri: MAIN_URI, version: 1, text });
    assert.deepEqual(view.goals.map((goal) => rangeOf(goal.range)), [[4, 4, 7, 37]]);
  });

  test('a position past the end of a line means the line end (LSP), not the next line', () => {
    // Property 3: completion at 1:13 of `owner: ana\r\n` answered for line 2 (root keys replacing `start`).
    for (const eol of ['\n', '\r\n']) {
      const text = ['plan: X', 'owner: ana', 'start: 2026-01-05', 'people:', '  ana: { name: Ana }', ''].join(eol);
      const analysis = createPlanService({ today }).analyze({ uri: MAIN_URI, version: 1, text });
      for (const character of [13, 10_000]) {
        const items = getCompletions(analysis, { line: 1, character }, today()).items;
        assert.deepEqual(
          items.map((item) => [item.label, item.textEdit && rangeOf(item.textEdit.range)]),
          [['ana', [1, 7, 1, 10]]],
          `${JSON.stringify(eol)} at 1:${character}`,
        );
      }
    }
  });

  test('`owner: [ana, ana]`: the quick fix keeps one owner and says so (was "move  to contributors")', () => {
    const text = 'plan: X\nowner: ana\nstart: 2026-01-05\npeople:\n  ana: { name: Ana }\nmilestones:\n  - id: m\n    title: M\n    due: 2026-03-02\n    owner: ana\n    tasks:\n      - id: t\n        title: T\n        owner: [ana, ana]\n        duration: 2d\n';
    const service = createPlanService({ today });
    const document = { uri: MAIN_URI, version: 1, text };
    const diagnostics = service.getDiagnostics(document).filter((diagnostic) => diagnostic.code === 'multiple-owners');
    const actions = getCodeActions(service.analyze(document), diagnostics[0].range, diagnostics);
    assert.deepEqual(
      actions.map((action) => [action.title, action.edit.changes[MAIN_URI].map((edit) => [rangeOf(edit.range), edit.newText])]),
      [['Keep `ana` as the only owner', [[[13, 15, 13, 25], 'ana']]]],
    );
    // …and so does the diagnostic: there is no one else to move to contributors.
    assert.deepEqual(
      diagnostics.map((diagnostic) => diagnostic.message),
      ['Task `t` lists 2 owners; ownership stays with one person: keep `ana` as the one owner.'],
    );
    const listOfOne = service.getDiagnostics({ uri: MAIN_URI, version: 2, text: text.replace('[ana, ana]', '[ana]') }).filter((diagnostic) => diagnostic.code === 'multiple-owners');
    assert.deepEqual(
      listOfOne.map((diagnostic) => diagnostic.message),
      ['Task `t` lists 1 owner; ownership stays with one person: keep `ana` as the one owner.'],
    );
  });
});
