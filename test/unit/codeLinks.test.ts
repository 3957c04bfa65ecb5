import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createPlanService } from '../../server/src/service';
import { getCoveringTasks, linkMatches } from '../../server/src/service/codeLinks';
import { fixedToday, planDocument, readFixture } from '../helpers/fixtures';

describe('links map code to work', () => {
  test('globs, plain paths (covering what is below them), and never web addresses', () => {
    assert.equal(linkMatches('src/payments/**', 'src/payments/card/form.ts'), true);
    assert.equal(linkMatches('src/payments/**', 'src/paymentsx/a.ts'), false);
    assert.equal(linkMatches('docs/adr/007-psp.md', 'docs/adr/007-psp.md'), true);
    assert.equal(linkMatches('src/payments', 'src/payments/a.ts'), true);
    assert.equal(linkMatches('./src/*.ts', 'src/a.ts'), true);
    assert.equal(linkMatches('src/*.ts', 'src/deep/a.ts'), false);
    assert.equal(linkMatches('https://example.com/src/a.ts', 'src/a.ts'), false);
    assert.equal(linkMatches('src/.hidden/**', 'src/.hidden/a.ts'), true);
  });

  test('the tasks covering a file, with owner, status and computed end', () => {
    const analysis = createPlanService({ today: fixedToday('2026-02-10') }).analyze(planDocument(readFixture('valid/checkout.plan.yaml'), 'checkout.plan.yaml'));
    const covering = getCoveringTasks([analysis], 'src/payments/psp/client.ts');
    assert.deepEqual(
      covering.map(({ id, owner, status, end, link, planTitle }) => ({ id, owner, status, end, link, planTitle })),
      [{ id: 'payment-api', owner: 'bob', status: 'done', end: '2026-01-26', link: 'src/payments/**', planTitle: 'Checkout v2 rollout' }],
    );
    assert.deepEqual(covering[0].selectionRange, { start: { line: 40, character: 12 }, end: { line: 40, character: 23 } });
    assert.deepEqual(getCoveringTasks([analysis], 'src/cart/index.ts'), []);
  });
});
