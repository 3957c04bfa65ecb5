import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createPlanService } from '../../server/src/service';
import { getLinkCandidates } from '../../server/src/service/documentLinks';
import { getCodeLenses, getInlayHints } from '../../server/src/service/editorHints';
import { fixedToday, planDocument, readFixture, textAt } from '../helpers/fixtures';

const text = readFixture('valid/checkout.plan.yaml');
const analysis = createPlanService({ today: fixedToday('2026-02-10') }).analyze(planDocument(text, 'checkout.plan.yaml'));

/** The line's text up to the hint, then the hint: what the user sees. */
function rendered(position: { line: number; character: number }, label: string): string {
  return `${text.split('\n')[position.line].slice(0, position.character).trim()} ⟨${label}⟩`;
}

describe('inlay hints', () => {
  test('computed dates where the file does not state them', () => {
    assert.deepEqual(getInlayHints(analysis).map((hint) => rendered(hint.position, hint.label)), [
      'due: 2026-02-27 ⟨ends 2026-02-16⟩',
      'duration: 3w ⟨→ 2026-01-26⟩',
      'duration: 15d ⟨2026-01-27 → 2026-02-16⟩',
      'duration: 4d ⟨2026-01-27 → 2026-01-30⟩',
      'due: 2026-04-10 ⟨ends 2026-03-02⟩',
      'duration: 2w ⟨2026-02-17 → 2026-03-02⟩',
    ]);
  });

  test('only hints inside the requested range', () => {
    const line = text.split('\n').findIndex((candidate) => candidate.includes('duration: 15d'));
    const hints = getInlayHints(analysis, { start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
    assert.deepEqual(hints.map((hint) => hint.label), ['2026-01-27 → 2026-02-16']);
  });
});

describe('code lenses', () => {
  test('dependents and the critical path above each task and milestone', () => {
    const lines = text.split('\n');
    assert.deepEqual(getCodeLenses(analysis).map((lens) => `${lines[lens.range.start.line].trim()} | ${lens.command.title}`), [
      '- id: beta | 1 dependent · 9 working days before due',
      '- id: payment-api | 2 dependents · critical path',
      '- id: checkout-ui | 1 dependent · critical path',
      '- id: address-form | 0 dependents · slack 11 working days',
      '- id: launch | 0 dependents · 29 working days before due',
      '- id: rollout | 0 dependents · critical path',
    ]);
  });

  test('the host can add how many code files link or refer to a task', () => {
    const lenses = getCodeLenses(analysis, undefined, (task) => (task.id?.text === 'payment-api' ? 3 : task.id?.text === 'rollout' ? 1 : 0));
    assert.deepEqual(lenses.map((lens) => lens.command.title).filter((title) => title.includes('code file')), ['2 dependents · critical path · 3 code files', '0 dependents · critical path · 1 code file']);
  });

  test('with a client timeline, each item also links to it', () => {
    const lenses = getCodeLenses(analysis, 'blueprint.revealInTimeline');
    assert.equal(lenses.length, 12);
    assert.deepEqual(lenses[1].command, { title: 'Show in timeline', command: 'blueprint.revealInTimeline', arguments: [analysis.document.uri, 'beta'] });
  });
});

describe('document links', () => {
  test('paths and globs for the host to resolve; web addresses as they are; never other schemes or escapes', () => {
    const linked = text.replace('links: [src/payments/**, docs/adr/007-psp.md]', 'links: [src/payments/**, docs/adr/007-psp.md, "https://example.com/adr", "command:workbench.action.quit", ../../etc/passwd, /etc/passwd]');
    const candidates = getLinkCandidates(createPlanService({ today: fixedToday('2026-02-10') }).analyze(planDocument(linked)));
    assert.deepEqual(candidates.map((candidate) => [textAt(linked, candidate.range), candidate.pattern ?? candidate.url]), [
      ['src/payments/**', 'src/payments/**'],
      ['docs/adr/007-psp.md', 'docs/adr/007-psp.md'],
      ['"https://example.com/adr"', 'https://example.com/adr'],
    ]);
  });
});
