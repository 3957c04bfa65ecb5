import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatDay, parseDuration, parseIsoDate, weekdayOf, WorkCalendar } from '../../server/src/service/calendar';

const day = (iso: string) => {
  const parsed = parseIsoDate(iso);
  assert.notEqual(parsed, undefined, iso);
  return parsed!;
};

describe('calendar', () => {
  test('parses only real dates', () => {
    assert.equal(formatDay(day('2026-01-05')), '2026-01-05');
    assert.equal(weekdayOf(day('2026-01-05')), 1);
    assert.equal(parseIsoDate('2026-02-30'), undefined);
    assert.equal(parseIsoDate('2026-2-3'), undefined);
    assert.equal(formatDay(day('2028-02-29')), '2028-02-29');
    assert.equal(parseIsoDate('2027-02-29'), undefined);
  });

  test('durations: Nd working days, Nw five working days a week, at least 1d', () => {
    assert.equal(parseDuration('3d'), 3);
    assert.equal(parseDuration('2w'), 10);
    assert.equal(parseDuration('0d'), undefined);
    assert.equal(parseDuration('1.5d'), undefined);
    assert.equal(parseDuration('d'), undefined);
  });

  test('inclusive ends skip weekends and holidays', () => {
    const calendar = new WorkCalendar([1, 2, 3, 4, 5], new Set([day('2026-01-19')]));
    assert.equal(formatDay(calendar.endOf(day('2026-01-05'), 3)), '2026-01-07');
    assert.equal(formatDay(calendar.endOf(day('2026-01-05'), 15)), '2026-01-26');
    assert.equal(formatDay(calendar.after(day('2026-01-16'))), '2026-01-20');
    assert.equal(formatDay(calendar.onOrAfter(day('2026-01-17'))), '2026-01-20');
    assert.equal(formatDay(calendar.startFor(day('2026-01-26'), 15)), '2026-01-05');
  });

  test('counting working days agrees with stepping, for any span', () => {
    const calendar = new WorkCalendar([1, 2, 4, 6], new Set([day('2026-03-05'), day('2026-03-10'), day('2026-03-14')]));
    const from = day('2026-02-20');
    for (let length = -3; length < 60; length++) {
      let stepped = 0;
      for (let current = from; current <= from + length; current++) if (calendar.isWorkingDay(current)) stepped++;
      assert.equal(calendar.countWorkingDays(from, from + length), stepped, `length ${length}`);
    }
    assert.equal(calendar.workingDaysBetween(day('2026-03-02'), day('2026-03-02')), 0);
    assert.equal(calendar.workingDaysBetween(day('2026-03-03'), day('2026-03-02')), -1);
  });
});
