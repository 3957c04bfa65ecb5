import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createPlanService, type Range } from '../../server/src/service';
import { getDocumentSymbols, getWorkspaceSymbols, PlanSymbolKind, type DocumentSymbol } from '../../server/src/service/symbols';
import { fixedToday, planDocument, readFixture, textAt } from '../helpers/fixtures';

// The outline of a plan (document symbols) and symbols across plans (workspace symbols).

const checkout = readFixture('valid/checkout.plan.yaml');
const service = createPlanService({ today: fixedToday('2026-01-01') });

interface Shape {
  name: string;
  detail?: string;
  kind: number;
  /** The text under selectionRange. */
  id: string;
  /** First and last line (1-based) of range. */
  lines: [number, number];
  children: Shape[];
}

function shape(text: string, symbol: DocumentSymbol): Shape {
  const result: Shape = { name: symbol.name, kind: symbol.kind, id: textAt(text, symbol.selectionRange), lines: [symbol.range.start.line + 1, symbol.range.end.line + 1], children: symbol.children.map((child) => shape(text, child)) };
  if (symbol.detail !== undefined) result.detail = symbol.detail;
  return result;
}

function contains(outer: Range, inner: Range): boolean {
  const le = (a: Range['start'], b: Range['start']) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return le(outer.start, inner.start) && le(inner.end, outer.end);
}

const { section, goal, milestone, task, risk, person } = PlanSymbolKind;

describe('document symbols', () => {
  test('the full example: sections in file order, milestones → tasks → subtasks', () => {
    const symbols = getDocumentSymbols(service.analyze(planDocument(checkout)));
    assert.deepEqual(
      symbols.map((symbol) => shape(checkout, symbol)),
      [
        {
          name: 'Goals', kind: section, id: 'goals', lines: [13, 23],
          children: [{ name: 'lower-abandonment', detail: 'Cut checkout abandonment', kind: goal, id: 'lower-abandonment', lines: [14, 23], children: [] }],
        },
        {
          name: 'People', kind: section, id: 'people', lines: [29, 32],
          children: [
            { name: 'alice', detail: 'Alice Chen, Product lead', kind: person, id: 'alice', lines: [30, 30], children: [] },
            { name: 'bob', detail: 'Bob Diaz, Backend', kind: person, id: 'bob', lines: [31, 31], children: [] },
            { name: 'carol', detail: 'Carol Ng, Frontend', kind: person, id: 'carol', lines: [32, 32], children: [] },
          ],
        },
        {
          name: 'Milestones', kind: section, id: 'milestones', lines: [34, 75],
          children: [
            {
              name: 'beta', detail: 'Private beta', kind: milestone, id: 'beta', lines: [35, 63],
              children: [
                { name: 'payment-api', detail: 'Payment API', kind: task, id: 'payment-api', lines: [41, 48], children: [] },
                {
                  name: 'checkout-ui', detail: 'One-page checkout UI', kind: task, id: 'checkout-ui', lines: [49, 63],
                  children: [{ name: 'address-form', detail: 'Address form', kind: task, id: 'address-form', lines: [58, 63], children: [] }],
                },
              ],
            },
            {
              name: 'launch', detail: 'General availability', kind: milestone, id: 'launch', lines: [64, 75],
              children: [{ name: 'rollout', detail: 'Staged rollout', kind: task, id: 'rollout', lines: [71, 75], children: [] }],
            },
          ],
        },
        {
          name: 'Risks', kind: section, id: 'risks', lines: [77, 84],
          children: [{ name: 'psp-certification', detail: 'Payment provider certification slips', kind: risk, id: 'psp-certification', lines: [78, 84], children: [] }],
        },
      ],
    );
  });

  test('ranges cover whole mappings, end on their last character, and contain the selection', () => {
    const symbols = getDocumentSymbols(service.analyze(planDocument(checkout)));
    const all: DocumentSymbol[] = [];
    const walk = (symbol: DocumentSymbol) => {
      all.push(symbol);
      symbol.children.forEach(walk);
    };
    symbols.forEach(walk);
    assert.equal(all.length, 15);
    for (const symbol of all) {
      assert.ok(contains(symbol.range, symbol.selectionRange), `${symbol.name}: selection inside range`);
      assert.doesNotMatch(textAt(checkout, symbol.range), /\s$/, `${symbol.name}: no trailing whitespace`);
    }
    const rollout = all.find((symbol) => symbol.name === 'rollout')!;
    assert.equal(textAt(checkout, rollout.range), 'id: rollout\n        title: Staged rollout\n        owner: bob\n        depends_on: [checkout-ui]\n        duration: 2w');
    const bob = all.find((symbol) => symbol.name === 'bob')!;
    assert.equal(textAt(checkout, bob.range), 'bob:   { name: Bob Diaz,  role: Backend,      allocation: 50% }');
  });

  test('missing sections are left out; entities without an id fall back to their title', () => {
    const text = `plan: Partial
owner: ana
start: 2026-03-02
risks:
  - title: Nobody owns this yet
    likelihood: low
milestones:
  - id: m1
    title: Only one
    due: 2026-04-30
    tasks:
      - { id: t1, title: Flow task, duration: 1d }
people:
  ana:
`;
    const symbols = getDocumentSymbols(service.analyze(planDocument(text)));
    assert.deepEqual(
      symbols.map((symbol) => shape(text, symbol)),
      [
        { name: 'Risks', kind: section, id: 'risks', lines: [4, 6], children: [{ name: 'Nobody owns this yet', kind: risk, id: 'title', lines: [5, 6], children: [] }] },
        {
          name: 'Milestones', kind: section, id: 'milestones', lines: [7, 12],
          children: [
            { name: 'm1', detail: 'Only one', kind: milestone, id: 'm1', lines: [8, 12], children: [{ name: 't1', detail: 'Flow task', kind: task, id: 't1', lines: [12, 12], children: [] }] },
          ],
        },
        { name: 'People', kind: section, id: 'people', lines: [13, 14], children: [{ name: 'ana', kind: person, id: 'ana', lines: [14, 14], children: [] }] },
      ],
    );
  });

  test('a file that is not a plan mapping has no outline', () => {
    assert.deepEqual(getDocumentSymbols(service.analyze(planDocument('- just\n- a list\n'))), []);
    assert.deepEqual(getDocumentSymbols(service.analyze(planDocument(''))), []);
  });
});

describe('workspace symbols', () => {
  const other = `plan: Platform
owner: pat
start: 2026-01-05
people:
  pat: { name: Pat Lee }
milestones:
  - id: runners
    title: CI runners for checkout
    due: 2026-03-31
    owner: pat
`;
  const analyses = [service.analyze(planDocument(checkout, 'checkout.plan.yaml')), service.analyze(planDocument(other, 'platform.plan.yaml'))];
  const names = (query: string) => getWorkspaceSymbols(analyses, query).map((symbol) => `${symbol.name} @ ${symbol.containerName}`);

  test('matches ids and titles across plans, best matches first, the plan as container', () => {
    assert.deepEqual(names('checkout'), [
      'checkout-ui: One-page checkout UI @ Checkout v2 rollout',
      'lower-abandonment: Cut checkout abandonment @ Checkout v2 rollout',
      'runners: CI runners for checkout @ Platform',
    ]);
    assert.deepEqual(names('PAYMENT'), ['payment-api: Payment API @ Checkout v2 rollout', 'psp-certification: Payment provider certification slips @ Checkout v2 rollout']);
    assert.deepEqual(names('bob'), ['bob: Bob Diaz @ Checkout v2 rollout']);
  });

  test('ids match fuzzily (letters in order); several words must all match', () => {
    assert.deepEqual(names('papi'), ['payment-api: Payment API @ Checkout v2 rollout']);
    assert.deepEqual(names('staged roll'), ['rollout: Staged rollout @ Checkout v2 rollout']);
    assert.deepEqual(names('zzz'), []);
  });

  test('an empty query lists everything; locations point at the whole entity', () => {
    const all = getWorkspaceSymbols(analyses, '');
    assert.equal(all.length, 11 + 2);
    const rollout = all.find((symbol) => symbol.name.startsWith('rollout'))!;
    assert.equal(rollout.kind, task);
    assert.equal(rollout.location.uri, 'file:///workspace/checkout.plan.yaml');
    assert.match(textAt(checkout, rollout.location.range), /^id: rollout\n[\s\S]*duration: 2w$/);
    const pat = all.find((symbol) => symbol.name.startsWith('pat'))!;
    assert.deepEqual([pat.kind, pat.containerName, textAt(other, pat.location.range)], [person, 'Platform', 'pat: { name: Pat Lee }']);
  });

  test('a plan without a title is named by its file', () => {
    const untitled = service.analyze(planDocument('owner: x\nstart: 2026-01-05\ngoals:\n  - { id: g1, title: Goal }\n', 'my%20plan.plan.yaml'));
    assert.deepEqual(getWorkspaceSymbols([untitled], 'g1').map((symbol) => symbol.containerName), ['my plan.plan.yaml']);
  });
});
