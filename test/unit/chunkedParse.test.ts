import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { parseInChunks } from '../../server/src/service/chunkedParse';
import { parsePlanText, type ParsedPlan } from '../../server/src/service/parse';
import { createPlanService } from '../../server/src/service';
import { fixedToday, repoRoot } from '../helpers/fixtures';
import { apply, randomEdit, treeDigest } from '../helpers/randomEdits';

// A big plan is parsed in pieces (chunkedParse.ts); the joined tree must be
// the one a whole parse gives, node by node and range by range, and a text the
// pieces cannot prove clean must be left to the whole parse.

type Generator = { generatePlan: (taskCount: number, seed?: number) => string; random: (seed: number) => () => number };

async function loadGenerator(): Promise<Generator> {
  return (await import(pathToFileURL(path.join(repoRoot, 'scripts', 'bench', 'generatePlan.mjs')).href)) as Generator;
}

/** Asserts the two parses agree; `why` names the text. */
function assertSameParse(chunked: ParsedPlan, whole: ParsedPlan, why: string): void {
  assert.deepEqual(whole.problems, [], `${why}: chunked, yet the whole parse has problems`);
  assert.deepEqual(treeDigest(chunked.document?.contents, [], true), treeDigest(whole.document?.contents, [], true), `${why}: trees differ`);
  assert.deepEqual(chunked.document?.range, whole.document?.range, `${why}: document ranges differ`);
  assert.equal(chunked.aliasFree, whole.aliasFree, `${why}: aliasFree differs`);
}

describe('parsing a big plan in pieces', () => {
  test('a generated plan: the same tree as a whole parse, and the same analysis', async () => {
    const { generatePlan } = await loadGenerator();
    const text = generatePlan(400);
    assert.ok(text.length > 64 * 1024, 'big enough to be parsed in pieces');
    const chunked = parseInChunks(text);
    assert.ok(chunked, 'a clean generated plan is parsed in pieces');
    assertSameParse(chunked, parsePlanText(text), 'generated plan');
    // The service parses it in pieces; the same findings as from a whole parse.
    const today = fixedToday('2026-03-02');
    const document = { uri: 'file:///w/p.plan.yaml', version: 1, text };
    const inPieces = createPlanService({ today }).getDiagnostics(document);
    assert.ok(inPieces.length > 0, 'the generated plan has findings to compare');
    assert.deepEqual(inPieces, createPlanService({ today, incremental: false }).getDiagnostics(document));
  });

  test('random edits: every text the pieces accept parses to the whole parse\'s tree', async () => {
    const { generatePlan, random } = await loadGenerator();
    let accepted = 0;
    let cleanTexts = 0;
    for (const seed of [31, 32]) {
      const next = random(seed);
      let text = generatePlan(30, seed);
      let lastClean = text;
      for (let step = 0; step < 300; step++) {
        const edit = randomEdit(text, next);
        text = apply(text, edit);
        const whole = parsePlanText(text);
        // Size threshold 0: every text is a candidate, however small.
        const chunked = parseInChunks(text, 0);
        if (whole.problems.length === 0) cleanTexts++;
        if (chunked) {
          accepted++;
          assertSameParse(chunked, whole, `seed ${seed}, step ${step} (${JSON.stringify(edit)})`);
        }
        if (whole.problems.length === 0) lastClean = text;
        else if (next() < 0.5) text = lastClean;
      }
    }
    // Most clean texts are cut; the rest (a broken list shape, a root key twice) are parsed whole.
    assert.ok(accepted / cleanTexts >= 0.8, `${accepted} of ${cleanTexts} clean texts were parsed in pieces`);
  });

  test('texts that must be parsed whole', () => {
    const plan = fs.readFileSync(path.join(repoRoot, 'examples', 'checkout.plan.yaml'), 'utf8');
    assert.ok(parseInChunks(plan, 0), 'the example itself is parsed in pieces');
    const cases: [string, string][] = [
      ['a second document', `${plan}---\nplan: Other\n`],
      ['a root key twice', `${plan}plan: Again\n`],
      ['an anchor and an alias across pieces', plan.replace('owner: alice                     #', 'owner: &lead alice #').replace('approved_by: alice', 'approved_by: *lead')],
      ['a quoted string running over lines at column 0', plan.replace('summary: Replace the legacy checkout to cut abandonment.', 'summary: "Replace the legacy\ncheckout: to cut abandonment."')],
      ['a syntax error', plan.replace('  - id: launch', '  - id: [launch')],
      ['a list at the key\'s column', plan.replace('constraints:\n  - No checkout', 'constraints:\n- No checkout')],
      ['a flow mapping at the root', '{ plan: A, owner: b }\n'],
      ['an empty file', ''],
    ];
    for (const [name, text] of cases) {
      assert.equal(parseInChunks(text, 0), undefined, name);
    }
  });
});
