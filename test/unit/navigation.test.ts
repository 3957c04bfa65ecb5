import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createPlanService, type PlanTextDocument, type Position, type Range, type WorkspaceEdit } from '../../server/src/service';
import type { PlanAnalysis } from '../../server/src/service/analysis';
import { findDefinition, findReferences, getDocumentHighlights, getRenameEdits, prepareRename } from '../../server/src/service/navigation';
import { applyEdits, fixedToday, planDocument, readFixture, textAt } from '../helpers/fixtures';

// Definition, references, highlights and rename over a small workspace of
// plans that reference each other (test/fixtures/navigation):
//   checkout.plan.yaml          ← referenced by the other three
//   platform/infra.plan.yaml    ↔ checkout (runners ← launch; payment-api, beta → checkout)
//   mobile.plan.yaml            → checkout, platform/infra
//   broken.plan.yaml            → checkout (YAML errors after its first references)
// Positions are written as a snippet of the file with `|` where the cursor is.

const FILES = ['checkout.plan.yaml', 'platform/infra.plan.yaml', 'mobile.plan.yaml', 'broken.plan.yaml'] as const;
type FileName = (typeof FILES)[number] | string;

const ORIGINAL: Record<string, string> = Object.fromEntries(FILES.map((file) => [file, readFixture(`navigation/${file}`)]));

const uriOf = (file: FileName) => planDocument('', file).uri;
const fileOf = (uri: string) => uri.replace('file:///workspace/', '');

/** A service over an in-memory workspace holding the given texts (by path under /workspace). */
function workspace(texts: Record<string, string> = ORIGINAL, version = 1) {
  const documents = new Map<string, PlanTextDocument>(Object.entries(texts).map(([file, text]) => [uriOf(file), planDocument(text, file, version)]));
  const service = createPlanService({
    today: fixedToday('2026-02-16'),
    workspace: { getDocument: (uri) => documents.get(uri), listPlanUris: () => [...documents.keys()] },
  });
  const analysis = (file: FileName): PlanAnalysis => service.analyze(documents.get(uriOf(file))!);
  return { service, environment: service.environment, analysis, texts };
}

/** The position of the `|` in `marked`, a snippet that occurs exactly once in `text` (without the `|`). */
function cursor(text: string, marked: string): Position {
  const bar = marked.indexOf('|');
  assert.ok(bar >= 0 && marked.indexOf('|', bar + 1) === -1, `one | in ${marked}`);
  const needle = marked.slice(0, bar) + marked.slice(bar + 1);
  const at = text.indexOf(needle);
  assert.ok(at >= 0, `snippet not found: ${needle}`);
  assert.equal(text.indexOf(needle, at + 1), -1, `snippet not unique: ${needle}`);
  const offset = at + bar;
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

/** `file:line text-under-range`, so locations read like the editor shows them. */
function describeRange(texts: Record<string, string>, uri: string, range: Range): string {
  const file = fileOf(uri);
  return `${file}:${range.start.line + 1} ${textAt(texts[file], range)}`;
}

/** Replaces each `from` (which must occur exactly once) with `to`: the expected text after a rename, spelled out. */
function replaceEach(text: string, ...pairs: [from: string, to: string][]): string {
  for (const [from, to] of pairs) {
    const at = text.indexOf(from);
    assert.ok(at >= 0, `not found: ${from}`);
    assert.equal(text.indexOf(from, at + 1), -1, `not unique: ${from}`);
    text = text.slice(0, at) + to + text.slice(at + from.length);
  }
  return text;
}

function assertEdit(result: WorkspaceEdit | { error: string }): WorkspaceEdit {
  assert.ok(!('error' in result), `expected edits, got: ${'error' in result ? result.error : ''}`);
  return result;
}

/** Applies a workspace edit to the texts: every file's new text (unchanged files included). */
function applyWorkspaceEdit(texts: Record<string, string>, edit: WorkspaceEdit): Record<string, string> {
  const result = { ...texts };
  for (const [uri, edits] of Object.entries(edit.changes)) {
    const file = fileOf(uri);
    assert.ok(file in texts, `edit for an unknown file ${uri}`);
    result[file] = applyEdits(texts[file], edits);
  }
  return result;
}

/** Every unknown-reference diagnostic of every file, after re-analysing the workspace. */
function unknownReferences(texts: Record<string, string>): string[] {
  const { service } = workspace(texts, 2);
  return Object.entries(texts).flatMap(([file, text]) =>
    service
      .getDiagnostics(planDocument(text, file, 2))
      .filter((diagnostic) => diagnostic.code === 'unknown-reference')
      .map((diagnostic) => `${file}:${diagnostic.range.start.line + 1} ${diagnostic.message}`),
  );
}

function definitionAt(file: FileName, marked: string, texts = ORIGINAL): string[] {
  const ws = workspace(texts);
  return findDefinition(ws.analysis(file), cursor(texts[file], marked), ws.environment).map((location) => describeRange(texts, location.uri, location.range));
}

function referencesAt(file: FileName, marked: string, includeDeclaration: boolean, texts = ORIGINAL): string[] {
  const ws = workspace(texts);
  return findReferences(ws.analysis(file), cursor(texts[file], marked), ws.environment, includeDeclaration).map((location) => describeRange(texts, location.uri, location.range));
}

function highlightsAt(file: FileName, marked: string, texts = ORIGINAL): string[] {
  const ws = workspace(texts);
  const kinds = { 1: 'text', 2: 'read', 3: 'write' } as const;
  return getDocumentHighlights(ws.analysis(file), cursor(texts[file], marked)).map((highlight) => `${describeRange(texts, uriOf(file), highlight.range)} ${kinds[highlight.kind]}`);
}

function renameAt(file: FileName, marked: string, newName: string, texts = ORIGINAL): WorkspaceEdit | { error: string } {
  const ws = workspace(texts);
  return getRenameEdits(ws.analysis(file), cursor(texts[file], marked), newName, ws.environment);
}

/** Renames, checks the edited files are exactly `expected` (others unchanged) and that every reference still resolves. */
function assertRename(file: FileName, marked: string, newName: string, expected: Record<string, string>, texts = ORIGINAL): void {
  const edit = assertEdit(renameAt(file, marked, newName, texts));
  assert.deepEqual(Object.keys(edit.changes).map(fileOf).sort(), Object.keys(expected).sort(), 'the files the rename touches');
  const after = applyWorkspaceEdit(texts, edit);
  for (const [name, text] of Object.entries(after)) assert.equal(text, expected[name] ?? texts[name], `${name} after the rename`);
  // Every reference that resolved before still resolves (the workspace fixtures have no unknown reference at all).
  assert.deepEqual(unknownReferences(after), unknownReferences(texts));
}

const checkout = ORIGINAL['checkout.plan.yaml'];
const infra = ORIGINAL['platform/infra.plan.yaml'];
const mobile = ORIGINAL['mobile.plan.yaml'];
const broken = ORIGINAL['broken.plan.yaml'];

describe('the navigation fixtures', () => {
  test('resolve completely: no unknown-reference anywhere, and the broken file is broken', () => {
    assert.deepEqual(unknownReferences(ORIGINAL), []);
    const { service } = workspace();
    assert.ok(service.getDiagnostics(planDocument(broken, 'broken.plan.yaml')).some((diagnostic) => diagnostic.code === 'yaml-syntax'));
  });
});

describe('findDefinition', () => {
  test('person references go to the key under people (owner, contributors, approved_by, quoted keys)', () => {
    assert.deepEqual(definitionAt('checkout.plan.yaml', 'owner: "ca|rol"'), ['checkout.plan.yaml:19 carol']);
    assert.deepEqual(definitionAt('checkout.plan.yaml', 'contributors: [|bob'), ['checkout.plan.yaml:18 bob']);
    assert.deepEqual(definitionAt('checkout.plan.yaml', 'approved_by: alice|'), ['checkout.plan.yaml:17 alice']);
    assert.deepEqual(definitionAt('checkout.plan.yaml', 'owner: alice   |'), []);
  });

  test('item and goal references go to the id (depends_on, affects, needed_by, goals, quoted ones)', () => {
    assert.deepEqual(definitionAt('checkout.plan.yaml', "depends_on: ['payment|-api']"), ['checkout.plan.yaml:28 payment-api']);
    assert.deepEqual(definitionAt('checkout.plan.yaml', '- checkout|-ui'), ['checkout.plan.yaml:35 checkout-ui']);
    assert.deepEqual(definitionAt('checkout.plan.yaml', 'affects: [payment-api, |launch]'), ['checkout.plan.yaml:42 launch']);
    assert.deepEqual(definitionAt('checkout.plan.yaml', 'needed_by: |payment-api'), ['checkout.plan.yaml:28 payment-api']);
    assert.deepEqual(definitionAt('checkout.plan.yaml', 'goals: ["|lower-abandonment"]'), ['checkout.plan.yaml:10 lower-abandonment']);
    assert.deepEqual(definitionAt('checkout.plan.yaml', 'affects: [beta|]'), ['checkout.plan.yaml:22 beta']);
  });

  test('cross-file references go to the id in the other file, whichever part the cursor is on', () => {
    assert.deepEqual(definitionAt('checkout.plan.yaml', 'platform/infra.plan.yaml#run|ners'), ['platform/infra.plan.yaml:17 runners']);
    assert.deepEqual(definitionAt('checkout.plan.yaml', '|platform/infra.plan.yaml#runners'), ['platform/infra.plan.yaml:17 runners']);
    // ../ and ./ paths are relative to the referencing file; the same id in another file is another task.
    assert.deepEqual(definitionAt('platform/infra.plan.yaml', '../checkout.plan.yaml#payment|-api'), ['checkout.plan.yaml:28 payment-api']);
    assert.deepEqual(definitionAt('platform/infra.plan.yaml', '"../checkout.plan.yaml#be|ta"'), ['checkout.plan.yaml:22 beta']);
    assert.deepEqual(definitionAt('mobile.plan.yaml', '- platform/infra.plan.yaml#payment-api|'), ['platform/infra.plan.yaml:22 payment-api']);
    assert.deepEqual(definitionAt('mobile.plan.yaml', '[./checkout.plan.yaml#|beta]'), ['checkout.plan.yaml:22 beta']);
    assert.deepEqual(definitionAt('mobile.plan.yaml', "'checkout.plan.yaml#checkout-ui|'"), ['checkout.plan.yaml:35 checkout-ui']);
  });

  test('on a definition it returns the definition itself', () => {
    assert.deepEqual(definitionAt('checkout.plan.yaml', '- id: payment-|api'), ['checkout.plan.yaml:28 payment-api']);
    assert.deepEqual(definitionAt('checkout.plan.yaml', '- id: "|checkout-ui"'), ['checkout.plan.yaml:35 checkout-ui']);
    assert.deepEqual(definitionAt('checkout.plan.yaml', '  |bob:   {'), ['checkout.plan.yaml:18 bob']);
    assert.deepEqual(definitionAt('checkout.plan.yaml', 'id: psp-certification|'), ['checkout.plan.yaml:58 psp-certification']);
  });

  test('nothing for unknown references, missing files and non-symbols', () => {
    const texts = {
      ...ORIGINAL,
      'checkout.plan.yaml': replaceEach(checkout, ['affects: [beta]', 'affects: [gamma, missing.plan.yaml#beta, platform/infra.plan.yaml#nope]']),
    };
    assert.deepEqual(definitionAt('checkout.plan.yaml', '[gam|ma', texts), []);
    assert.deepEqual(definitionAt('checkout.plan.yaml', 'missing.plan.yaml#be|ta', texts), []);
    assert.deepEqual(definitionAt('checkout.plan.yaml', 'infra.plan.yaml#no|pe', texts), []);
    assert.deepEqual(definitionAt('checkout.plan.yaml', 'title: Private| beta'), []);
    assert.deepEqual(definitionAt('checkout.plan.yaml', 'due|: 2026-02-27'), []);
  });

  test('a goal id is not a task: `depends_on` naming a goal resolves to nothing', () => {
    const texts = { ...ORIGINAL, 'checkout.plan.yaml': replaceEach(checkout, ['affects: [beta]', 'affects: [lower-abandonment]']) };
    assert.deepEqual(definitionAt('checkout.plan.yaml', 'affects: [lower|-abandonment]', texts), []);
  });

  test('in a broken file, the references the parser recovered still resolve', () => {
    assert.deepEqual(definitionAt('broken.plan.yaml', 'depends_on: [sp|ike, '), ['broken.plan.yaml:14 spike']);
    assert.deepEqual(definitionAt('broken.plan.yaml', 'checkout.plan.yaml#be|ta'), ['checkout.plan.yaml:22 beta']);
    assert.deepEqual(definitionAt('broken.plan.yaml', '  owner: fay\n    tasks:\n      - id: spi|ke'), ['broken.plan.yaml:14 spike']);
  });
});

describe('findReferences', () => {
  const paymentApiReferences = [
    'checkout.plan.yaml:39 payment-api',
    'checkout.plan.yaml:54 payment-api',
    'checkout.plan.yaml:62 payment-api',
    'checkout.plan.yaml:66 payment-api',
    'platform/infra.plan.yaml:20 payment-api',
    'mobile.plan.yaml:19 payment-api',
  ];

  test('a task: every local and cross-file reference, the declaration first when asked', () => {
    assert.deepEqual(referencesAt('checkout.plan.yaml', '- id: |payment-api', true), ['checkout.plan.yaml:28 payment-api', ...paymentApiReferences]);
    assert.deepEqual(referencesAt('checkout.plan.yaml', '- id: |payment-api', false), paymentApiReferences);
  });

  test('from a cross-file reference: the same set, found through the other file', () => {
    const fromMobile = referencesAt('mobile.plan.yaml', '- checkout.plan.yaml#|payment-api', false);
    assert.deepEqual(fromMobile.slice().sort(), paymentApiReferences.slice().sort());
    // The definition file first, then the current one, then the workspace.
    assert.deepEqual(fromMobile, [...paymentApiReferences.slice(0, 4), 'mobile.plan.yaml:19 payment-api', 'platform/infra.plan.yaml:20 payment-api']);
  });

  test('the same id in another file is another symbol', () => {
    assert.deepEqual(referencesAt('platform/infra.plan.yaml', '- id: payment-api|', true), ['platform/infra.plan.yaml:22 payment-api', 'mobile.plan.yaml:21 payment-api']);
    assert.deepEqual(referencesAt('mobile.plan.yaml', 'platform/infra.plan.yaml#|payment-api', true), ['platform/infra.plan.yaml:22 payment-api', 'mobile.plan.yaml:21 payment-api']);
  });

  test('a milestone referenced from every file, quoted and from a broken file', () => {
    assert.deepEqual(referencesAt('checkout.plan.yaml', 'affects: [b|eta]', true), [
      'checkout.plan.yaml:22 beta',
      'checkout.plan.yaml:47 beta',
      'checkout.plan.yaml:72 beta',
      'platform/infra.plan.yaml:25 beta',
      'mobile.plan.yaml:13 beta',
      'broken.plan.yaml:21 beta',
    ]);
  });

  test('a cross-file reference the other way (checkout → platform)', () => {
    assert.deepEqual(referencesAt('platform/infra.plan.yaml', '- id: |runners', true), ['platform/infra.plan.yaml:17 runners', 'checkout.plan.yaml:47 runners']);
  });

  test('people and goals are local to their file', () => {
    assert.deepEqual(referencesAt('checkout.plan.yaml', 'contributors: [bob|', true), [
      'checkout.plan.yaml:18 bob',
      'checkout.plan.yaml:30 bob',
      'checkout.plan.yaml:38 bob',
      'checkout.plan.yaml:51 bob',
      'checkout.plan.yaml:60 bob',
    ]);
    assert.deepEqual(referencesAt('platform/infra.plan.yaml', '  |bob: {', true), ['platform/infra.plan.yaml:9 bob', 'platform/infra.plan.yaml:19 bob']);
    assert.deepEqual(referencesAt('checkout.plan.yaml', '- id: |lower-abandonment', false), [
      'checkout.plan.yaml:26 lower-abandonment',
      'checkout.plan.yaml:41 lower-abandonment',
      'checkout.plan.yaml:46 lower-abandonment',
    ]);
  });

  test('a risk has only its declaration; a non-symbol has nothing', () => {
    assert.deepEqual(referencesAt('checkout.plan.yaml', 'id: psp-|certification', true), ['checkout.plan.yaml:58 psp-certification']);
    assert.deepEqual(referencesAt('checkout.plan.yaml', 'id: psp-|certification', false), []);
    assert.deepEqual(referencesAt('checkout.plan.yaml', 'plan: Checkout| v2', true), []);
  });

  test('an unknown reference finds its namesakes', () => {
    const texts = { ...ORIGINAL, 'checkout.plan.yaml': replaceEach(checkout, ['affects: [beta]', 'affects: [ghost]'], ['affects: [payment-api, launch]', 'affects: [payment-api, launch, ghost]']) };
    assert.deepEqual(referencesAt('checkout.plan.yaml', '[gh|ost]', true, texts), ['checkout.plan.yaml:62 ghost', 'checkout.plan.yaml:72 ghost']);
  });

  test('in a broken file', () => {
    assert.deepEqual(referencesAt('broken.plan.yaml', '- id: sp|ike', true), ['broken.plan.yaml:14 spike', 'broken.plan.yaml:21 spike']);
  });
});

describe('getDocumentHighlights', () => {
  test('the definition is written, references are read, in this file only', () => {
    assert.deepEqual(highlightsAt('checkout.plan.yaml', 'owner: |bob\n        start'), [
      'checkout.plan.yaml:18 bob write',
      'checkout.plan.yaml:30 bob read',
      'checkout.plan.yaml:38 bob read',
      'checkout.plan.yaml:51 bob read',
      'checkout.plan.yaml:60 bob read',
    ]);
    assert.deepEqual(highlightsAt('checkout.plan.yaml', 'id: "checkout-ui|"'), ['checkout.plan.yaml:35 checkout-ui write', 'checkout.plan.yaml:53 checkout-ui read']);
  });

  test('a cross-file reference highlights the references to the same file and id', () => {
    assert.deepEqual(highlightsAt('checkout.plan.yaml', 'infra.plan.yaml#runners|'), ['checkout.plan.yaml:47 runners read']);
    assert.deepEqual(highlightsAt('mobile.plan.yaml', '- checkout.plan.yaml#payment|-api'), ['mobile.plan.yaml:19 payment-api read']);
  });

  test('nothing off a symbol; a broken file works', () => {
    assert.deepEqual(highlightsAt('checkout.plan.yaml', 'response: Start| certification'), []);
    assert.deepEqual(highlightsAt('broken.plan.yaml', '- id: spik|e'), ['broken.plan.yaml:14 spike write', 'broken.plan.yaml:21 spike read']);
  });
});

describe('prepareRename', () => {
  function prepare(file: FileName, marked: string, texts = ORIGINAL): string | { error: string } {
    const ws = workspace(texts);
    const result = prepareRename(ws.analysis(file), cursor(texts[file], marked));
    if ('error' in result) return result;
    assert.equal(textAt(texts[file], result.range), result.placeholder);
    return `${result.range.start.line + 1} ${result.placeholder}`;
  }

  test('the range is the name alone: inside quotes, after `#`', () => {
    assert.equal(prepare('checkout.plan.yaml', '- id: "|checkout-ui"'), '35 checkout-ui');
    assert.equal(prepare('checkout.plan.yaml', '"car|ol": {'), '19 carol');
    assert.equal(prepare('checkout.plan.yaml', "['payment-api|']"), '39 payment-api');
    assert.equal(prepare('mobile.plan.yaml', "'|checkout.plan.yaml#checkout-ui'"), '20 checkout-ui');
    assert.equal(prepare('checkout.plan.yaml', 'id: psp|-certification'), '58 psp-certification');
    assert.equal(prepare('broken.plan.yaml', '[spike, checkout.plan.yaml#be|ta'), '21 beta');
  });

  test('refuses what is not a symbol, and references that name nothing', () => {
    assert.deepEqual(prepare('checkout.plan.yaml', 'ti|tle: Payment API'), {
      error: 'Nothing to rename here: put the cursor on the id of a goal, milestone, task or risk, on a person key under `people`, or on a reference to one of them.',
    });
    const texts = { ...ORIGINAL, 'checkout.plan.yaml': replaceEach(checkout, ['approved_by: alice', 'approved_by: alicia']) };
    assert.deepEqual(prepare('checkout.plan.yaml', 'approved_by: alic|ia', texts), {
      error: 'Cannot rename `alicia`: no person under `people` in this plan has this key (line 71); fix the reference first.',
    });
  });
});

describe('getRenameEdits', () => {
  test('a task id: every reference in every file, quotes and comments kept, the other file’s namesake untouched', () => {
    assertRename('checkout.plan.yaml', '- id: payment-api|', 'payments-api', {
      'checkout.plan.yaml': replaceEach(
        checkout,
        ['- id: payment-api          # the critical one', '- id: payments-api          # the critical one'],
        ["depends_on: ['payment-api']", "depends_on: ['payments-api']"],
        ['          - payment-api\n', '          - payments-api\n'],
        ['affects: [payment-api, launch]', 'affects: [payments-api, launch]'],
        ['needed_by: payment-api }', 'needed_by: payments-api }'],
      ),
      'platform/infra.plan.yaml': replaceEach(infra, ['[../checkout.plan.yaml#payment-api]   # needs', '[../checkout.plan.yaml#payments-api]   # needs']),
      'mobile.plan.yaml': replaceEach(mobile, ['- checkout.plan.yaml#payment-api', '- checkout.plan.yaml#payments-api']),
    });
  });

  test('from a cross-file reference: a milestone renamed in all four files, the broken one included', () => {
    assertRename('mobile.plan.yaml', './checkout.plan.yaml#be|ta', 'private-beta', {
      'checkout.plan.yaml': replaceEach(checkout, ['- id: beta\n', '- id: private-beta\n'], ['depends_on: [beta, ', 'depends_on: [private-beta, '], ['affects: [beta]', 'affects: [private-beta]']),
      'platform/infra.plan.yaml': replaceEach(infra, ['"../checkout.plan.yaml#beta"', '"../checkout.plan.yaml#private-beta"']),
      'mobile.plan.yaml': replaceEach(mobile, ['./checkout.plan.yaml#beta', './checkout.plan.yaml#private-beta']),
      'broken.plan.yaml': replaceEach(broken, ['checkout.plan.yaml#beta', 'checkout.plan.yaml#private-beta']),
    });
  });

  test('the other direction: a task of platform renamed from checkout', () => {
    assertRename('checkout.plan.yaml', 'infra.plan.yaml#|runners', 'ci-runners', {
      'checkout.plan.yaml': replaceEach(checkout, ['platform/infra.plan.yaml#runners', 'platform/infra.plan.yaml#ci-runners']),
      'platform/infra.plan.yaml': replaceEach(infra, ['- id: runners', '- id: ci-runners']),
    });
  });

  test('a quoted id through a single-quoted cross-file reference', () => {
    assertRename('mobile.plan.yaml', "'checkout.plan.yaml#checkout-|ui'", 'ui', {
      'checkout.plan.yaml': replaceEach(checkout, ['- id: "checkout-ui"', '- id: "ui"'], ['          - checkout-ui\n', '          - ui\n']),
      'mobile.plan.yaml': replaceEach(mobile, ["'checkout.plan.yaml#checkout-ui'", "'checkout.plan.yaml#ui'"]),
    });
  });

  test('a person key: this file only, another plan’s person of the same key untouched', () => {
    assertRename('checkout.plan.yaml', 'owner: bo|b\n        start', 'robert', {
      'checkout.plan.yaml': replaceEach(
        checkout,
        ['  bob:   { name: Bob Diaz', '  robert:   { name: Bob Diaz'],
        ['owner: bob\n        start', 'owner: robert\n        start'],
        ['contributors: [bob, alice]', 'contributors: [robert, alice]'],
        ['owner: bob\n        depends_on', 'owner: robert\n        depends_on'],
        ['owner: bob\n    response', 'owner: robert\n    response'],
      ),
    });
  });

  test('a quoted person key keeps its quotes', () => {
    assertRename('checkout.plan.yaml', '"car|ol": {', 'caroline', {
      'checkout.plan.yaml': replaceEach(checkout, ['"carol": {', '"caroline": {'], ['owner: "carol"', 'owner: "caroline"']),
    });
    // From the reference too, and the plan owner (a plan-level reference).
    assertRename('checkout.plan.yaml', 'owner: al|ice                     #', 'al', {
      'checkout.plan.yaml': replaceEach(
        checkout,
        ['owner: alice                     #', 'owner: al                     #'],
        ['owner: alice\n    metrics', 'owner: al\n    metrics'],
        ['  alice: { name', '  al: { name'],
        ['owner: alice\n    goals: [lower-abandonment]\n    tasks', 'owner: al\n    goals: [lower-abandonment]\n    tasks'],
        ['contributors: [bob, alice]', 'contributors: [bob, al]'],
        ['owner: alice\n    goals: [lower-abandonment]\n    depends_on', 'owner: al\n    goals: [lower-abandonment]\n    depends_on'],
        ['approved_by: alice', 'approved_by: al'],
      ),
    });
  });

  test('a goal id', () => {
    assertRename('checkout.plan.yaml', 'goals: ["lower-abandonment"|]', 'fewer-abandons', {
      'checkout.plan.yaml': replaceEach(
        checkout,
        ['- id: lower-abandonment', '- id: fewer-abandons'],
        ['goals: [lower-abandonment]\n    tasks', 'goals: [fewer-abandons]\n    tasks'],
        ['goals: ["lower-abandonment"]', 'goals: ["fewer-abandons"]'],
        ['goals: [lower-abandonment]\n    depends_on', 'goals: [fewer-abandons]\n    depends_on'],
      ),
    });
  });

  test('a risk id: only its definition', () => {
    assertRename('checkout.plan.yaml', 'id: psp-certification|', 'psp-delay', {
      'checkout.plan.yaml': replaceEach(checkout, ['id: psp-certification', 'id: psp-delay']),
    });
  });

  test('in a broken file', () => {
    assertRename('broken.plan.yaml', '[spi|ke, ', 'research', {
      'broken.plan.yaml': replaceEach(broken, ['- id: spike', '- id: research'], ['[spike, checkout', '[research, checkout']),
    });
  });

  test('the same name is no change', () => {
    assert.deepEqual(renameAt('checkout.plan.yaml', '- id: |beta', 'beta'), { changes: {} });
  });

  test('refuses invalid names', () => {
    const at = '- id: |beta';
    assert.deepEqual(renameAt('checkout.plan.yaml', at, 'private beta'), { error: "`private beta` is not a valid id: use only letters, digits, '-', '_' and '.'." });
    assert.deepEqual(renameAt('checkout.plan.yaml', at, 'x.plan.yaml#beta'), { error: "`x.plan.yaml#beta` is not a valid id: use only letters, digits, '-', '_' and '.'." });
    assert.deepEqual(renameAt('checkout.plan.yaml', at, ''), { error: "The new name is empty; an id needs at least one letter, digit, '-', '_' or '.'." });
    assert.deepEqual(renameAt('checkout.plan.yaml', at, 'true'), { error: '`true` would be read by YAML as a boolean, not as an id; choose another name.' });
    assert.deepEqual(renameAt('checkout.plan.yaml', at, 'null'), { error: '`null` would be read by YAML as an empty value, not as an id; choose another name.' });
    assert.deepEqual(renameAt('checkout.plan.yaml', at, '-'), { error: '`-` alone is not a valid YAML value; choose another name.' });
    assert.deepEqual(renameAt('checkout.plan.yaml', 'approved_by: |alice', 'Alice Chen'), { error: "`Alice Chen` is not a valid person key: use only letters, digits, '-', '_' and '.'." });
    // Numbers and dates are ids like any other.
    assert.ok(!('error' in renameAt('checkout.plan.yaml', at, '1.2')));
  });

  test('refuses a name that clashes (ids share one space across kinds; people keys)', () => {
    assert.deepEqual(renameAt('checkout.plan.yaml', '- id: |beta', 'launch'), {
      error: '`launch` is already the id of the milestone on line 42; goals, milestones, tasks and risks share one set of ids, choose another name.',
    });
    assert.deepEqual(renameAt('checkout.plan.yaml', '- id: |beta', 'psp-certification'), {
      error: '`psp-certification` is already the id of the risk on line 58; goals, milestones, tasks and risks share one set of ids, choose another name.',
    });
    assert.deepEqual(renameAt('mobile.plan.yaml', '- checkout.plan.yaml#|payment-api', 'lower-abandonment'), {
      error: '`lower-abandonment` is already the id of the goal on line 10; goals, milestones, tasks and risks share one set of ids, choose another name.',
    });
    assert.deepEqual(renameAt('checkout.plan.yaml', 'approved_by: |alice', 'bob'), { error: '`bob` is already a person under `people` (line 18); choose another name.' });
    // A name used in another file is no clash: ids are unique within a file.
    assert.ok(!('error' in renameAt('checkout.plan.yaml', '- id: |beta', 'capacity')));
  });

  test('refuses what is not a symbol and references that resolve to nothing', () => {
    assert.deepEqual(renameAt('checkout.plan.yaml', 'summary: Beta| moved', 'x'), {
      error: 'Nothing to rename here: put the cursor on the id of a goal, milestone, task or risk, on a person key under `people`, or on a reference to one of them.',
    });
    const texts = {
      ...ORIGINAL,
      'checkout.plan.yaml': replaceEach(checkout, ['affects: [beta]', 'affects: [gamma, missing.plan.yaml#beta, platform/infra.plan.yaml#nope]']),
    };
    assert.deepEqual(renameAt('checkout.plan.yaml', '[gam|ma', 'x', texts), {
      error: 'Cannot rename `gamma`: no task or milestone in this plan has this id (line 72); fix the reference first.',
    });
    assert.deepEqual(renameAt('checkout.plan.yaml', 'missing.plan.yaml#be|ta', 'x', texts), {
      error: 'Cannot rename `beta`: the plan file `missing.plan.yaml` cannot be found (the path is relative to this file); fix the reference first.',
    });
    assert.deepEqual(renameAt('checkout.plan.yaml', 'infra.plan.yaml#no|pe', 'x', texts), {
      error: 'Cannot rename `nope`: `platform/infra.plan.yaml` has no task or milestone with this id; fix the reference first.',
    });
  });
});

describe('rename corner cases', () => {
  const single = (text: string) => ({ 'solo.plan.yaml': text });
  const base = [
    'plan: Solo',
    'owner: ann',
    'start: 2026-01-05',
    'people:',
    '  ann: { name: Ann }',
    'milestones:',
    '  - id: m1',
    '    title: One',
    '    due: 2026-03-02',
    '    owner: ann',
    '    tasks:',
    '      - id: &first t1 # anchored',
    '        title: First',
    '        owner: ann',
    '        duration: 1d',
    '      - id: t2',
    '        title: Second',
    '        owner: ann',
    '        duration: 1d',
    '        depends_on: [*first, "t\\x31"]',
    '      - id: t2',
    '        title: Duplicate',
    '        owner: ann',
    '        duration: 1d',
    '        depends_on: [t2]',
    '',
  ].join('\n');

  test('an alias is edited once at its anchor; an escaped quoted reference is rewritten whole in its quotes', () => {
    assertRename('solo.plan.yaml', '&first t|1', 'setup', {
      'solo.plan.yaml': replaceEach(base, ['&first t1 # anchored', '&first setup # anchored'], ['"t\\x31"', '"setup"']),
    }, single(base));
    assert.deepEqual(referencesAt('solo.plan.yaml', '&first |t1', true, single(base)), ['solo.plan.yaml:12 t1', 'solo.plan.yaml:20 "t\\x31"']);
  });

  test('a duplicate id is renamed alone (references belong to the first)', () => {
    assert.deepEqual(referencesAt('solo.plan.yaml', '- id: t|2\n        title: Duplicate', false, single(base)), []);
    const edit = assertEdit(renameAt('solo.plan.yaml', '- id: t|2\n        title: Duplicate', 't3', single(base)));
    assert.equal(
      applyEdits(base, edit.changes[uriOf('solo.plan.yaml')]),
      replaceEach(base, ['- id: t2\n        title: Duplicate', '- id: t3\n        title: Duplicate']),
    );
    // From the first: its reference moves with it, the duplicate stays.
    const first = assertEdit(renameAt('solo.plan.yaml', '- id: t|2\n        title: Second', 't3', single(base)));
    assert.equal(applyEdits(base, first.changes[uriOf('solo.plan.yaml')]), replaceEach(base, ['- id: t2\n        title: Second', '- id: t3\n        title: Second'], ['depends_on: [t2]', 'depends_on: [t3]']));
  });

  test('a block scalar cannot be renamed in place', () => {
    const text = replaceEach(base, ['- id: m1\n', '- id: >-\n      m1\n']);
    const ws = workspace(single(text));
    assert.deepEqual(prepareRename(ws.analysis('solo.plan.yaml'), cursor(text, '- id: >|-')), {
      error: 'Cannot rename `m1`: on line 7 it is written as a block or multi-line scalar; write it on one line first.',
    });
  });
});
