import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createPlanService } from '../../server/src/service';
import { getRescheduleEdit } from '../../server/src/service/reschedule';
import { applyEdits, fixedToday, planDocument, readFixture } from '../helpers/fixtures';

const text = readFixture('valid/checkout.plan.yaml');
const analysis = createPlanService({ today: fixedToday('2026-02-10') }).analyze(planDocument(text, 'checkout.plan.yaml', 7));
const uri = analysis.document.uri;

/** The lines that differ between the original and the edited text. */
function changedLines(edited: string): [string, string][] {
  const before = text.split('\n');
  const after = edited.split('\n');
  const changes: [string, string][] = [];
  for (let index = 0, offset = 0; index < Math.max(before.length, after.length); index++) {
    if (before[index] === after[index + offset]) continue;
    if (after.length > before.length && before[index] === after[index + 1]) {
      changes.push(['', after[index].trim()]);
      offset = 1;
      continue;
    }
    changes.push([before[index]?.trim() ?? '', after[index + offset]?.trim() ?? '']);
  }
  return changes;
}

function edited(result: ReturnType<typeof getRescheduleEdit>): string {
  assert.ok('edit' in result, JSON.stringify(result));
  return applyEdits(text, result.edit.changes[uri] ?? []);
}

describe('rescheduling from the timeline', () => {
  test('moving a task with an explicit start edits only that value', () => {
    assert.deepEqual(changedLines(edited(getRescheduleEdit(analysis, { id: 'payment-api', version: 7, start: '2026-01-12' }))), [
      ['start: 2026-01-05', 'start: 2026-01-12'],
    ]);
  });

  test('dragging the end of a task with a duration rewrites the duration in working days', () => {
    assert.deepEqual(changedLines(edited(getRescheduleEdit(analysis, { id: 'checkout-ui', version: 7, end: '2026-02-18' }))), [
      ['duration: 15d', 'duration: 17d'],
    ]);
    // 2026-01-05 .. 2026-01-30 is 19 working days (the 19th is a holiday): not whole weeks.
    assert.deepEqual(changedLines(edited(getRescheduleEdit(analysis, { id: 'payment-api', version: 7, end: '2026-01-30' }))), [
      ['duration: 3w               # or end: 2026-01-26 (the 01-19 holiday counts)', 'duration: 19d               # or end: 2026-01-26 (the 01-19 holiday counts)'],
    ]);
    assert.deepEqual(changedLines(edited(getRescheduleEdit(analysis, { id: 'payment-api', version: 7, end: '2026-02-02' }))), [
      ['duration: 3w               # or end: 2026-01-26 (the 01-19 holiday counts)', 'duration: 4w               # or end: 2026-01-26 (the 01-19 holiday counts)'],
    ]);
  });

  test('moving a task written with an end keeps its length', () => {
    const withEnd = text.replace('        duration: 3w               # or end: 2026-01-26 (the 01-19 holiday counts)', '        end: 2026-01-26');
    const moved = createPlanService({ today: fixedToday('2026-02-10') }).analyze(planDocument(withEnd, 'end.plan.yaml', 1));
    const result = getRescheduleEdit(moved, { id: 'payment-api', version: 1, start: '2026-01-12' });
    assert.ok('edit' in result);
    const after = applyEdits(withEnd, result.edit.changes[moved.document.uri]);
    // 15 working days from 2026-01-12, skipping the 19th: 2026-02-02.
    assert.match(after, /start: 2026-01-12\n        end: 2026-02-02\n/);
  });

  test('a computed start is refused, and set explicitly only when asked', () => {
    const refused = getRescheduleEdit(analysis, { id: 'checkout-ui', version: 7, start: '2026-02-02' });
    assert.deepEqual(refused, { refused: 'computed-start', message: '`checkout-ui` starts when its dependencies end (2026-01-27); set an explicit start of 2026-02-02?' });
    assert.deepEqual(changedLines(edited(getRescheduleEdit(analysis, { id: 'checkout-ui', version: 7, start: '2026-02-02', setExplicitStart: true }))), [
      ['', 'start: 2026-02-02'],
    ]);
    const withStart = edited(getRescheduleEdit(analysis, { id: 'checkout-ui', version: 7, start: '2026-02-02', setExplicitStart: true }));
    assert.match(withStart, /      - id: checkout-ui\n        start: 2026-02-02\n        title: One-page checkout UI\n/);
  });

  test('stale versions, unknown ids, spanning tasks and impossible ends are refused', () => {
    assert.equal((getRescheduleEdit(analysis, { id: 'payment-api', version: 6, start: '2026-01-12' }) as { refused: string }).refused, 'stale');
    assert.equal((getRescheduleEdit(analysis, { id: 'nope', version: 7, start: '2026-01-12' }) as { refused: string }).refused, 'invalid');
    assert.equal((getRescheduleEdit(analysis, { id: 'payment-api', version: 7, end: '2026-01-01' }) as { refused: string }).refused, 'invalid');
    assert.equal((getRescheduleEdit(analysis, { id: 'payment-api', version: 7, start: '2026-02-30' }) as { refused: string }).refused, 'invalid');
  });
});
