import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { planTemplate } from '../../client/src/planTemplate';
import { createPlanService, parseIsoDate } from '../../server/src/service';
import { planDocument } from '../helpers/fixtures';

describe('new plan template', () => {
  test('passes every check, whatever day it is created on', () => {
    for (let offset = 0; offset < 14; offset++) {
      const today = new Date(2026, 10, 20 + offset);
      const text = planTemplate('Checkout v3', 'alice', today);
      const iso = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, '0')}-${String(today.getDate()).padStart(2, '0')}`;
      const service = createPlanService({ today: () => parseIsoDate(iso)! });
      assert.deepEqual(service.getDiagnostics(planDocument(text)), [], `created on ${iso}`);
    }
  });

  test('titles that YAML would misread are quoted', () => {
    assert.match(planTemplate('Q3: payments #1', 'alice', new Date(2026, 10, 25)), /^plan: "Q3: payments #1"\n/);
  });
});
