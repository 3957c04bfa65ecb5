// Working-day arithmetic. Days are whole numbers: days since 1970-01-01 (UTC),
// so date math never meets time zones or daylight saving.

export type Day = number;

const MS_PER_DAY = 86_400_000;
export const WEEKDAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type WeekdayName = (typeof WEEKDAY_NAMES)[number];

/** Parses `YYYY-MM-DD` into a Day; undefined for malformed or unreal dates (2026-02-30). */
export function parseIsoDate(text: string): Day | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const time = Date.UTC(year, month - 1, day);
  const date = new Date(time);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return time / MS_PER_DAY;
}

export function formatDay(day: Day): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(day: Day): number {
  return (((day + 4) % 7) + 7) % 7;
}

/** The machine's local date today, as the format defines "today". */
export function localToday(now: Date = new Date()): Day {
  return Date.UTC(now.getFullYear(), now.getMonth(), now.getDate()) / MS_PER_DAY;
}

/** `Nd` → N working days, `Nw` → 5 × N working days; undefined when malformed or below 1d. */
export function parseDuration(text: string): number | undefined {
  const match = /^([1-9]\d{0,5})([dw])$/.exec(text);
  if (!match) return undefined;
  return Number(match[1]) * (match[2] === 'w' ? 5 : 1);
}

export class WorkCalendar {
  private readonly workdays: boolean[];
  private readonly workdaysPerWeek: number;

  constructor(workdays: Iterable<number> = [1, 2, 3, 4, 5], private readonly holidays: ReadonlySet<Day> = new Set()) {
    this.workdays = WEEKDAY_NAMES.map(() => false);
    for (const weekday of workdays) this.workdays[weekday] = true;
    if (!this.workdays.some(Boolean)) this.workdays = [false, true, true, true, true, true, false];
    this.workdaysPerWeek = this.workdays.filter(Boolean).length;
  }

  isWorkingDay(day: Day): boolean {
    return this.workdays[weekdayOf(day)] && !this.holidays.has(day);
  }

  /** The first working day on or after `day`. */
  onOrAfter(day: Day): Day {
    let current = day;
    while (!this.isWorkingDay(current)) current++;
    return current;
  }

  /** The last working day on or before `day`. */
  onOrBefore(day: Day): Day {
    let current = day;
    while (!this.isWorkingDay(current)) current--;
    return current;
  }

  /** The first working day strictly after `day`. */
  after(day: Day): Day {
    return this.onOrAfter(day + 1);
  }

  /** The last working day strictly before `day`. */
  before(day: Day): Day {
    return this.onOrBefore(day - 1);
  }

  /** Inclusive end of work that starts on `start` and takes `workingDays` (≥ 1). */
  endOf(start: Day, workingDays: number): Day {
    let current = this.onOrAfter(start);
    for (let left = workingDays - 1; left > 0; left--) current = this.after(current);
    return current;
  }

  /** Start of work of `workingDays` that must end on `end` (inverse of endOf). */
  startFor(end: Day, workingDays: number): Day {
    let current = this.onOrBefore(end);
    for (let left = workingDays - 1; left > 0; left--) current = this.before(current);
    return current;
  }

  /** Working days in [from, to], both inclusive; 0 when to < from. */
  countWorkingDays(from: Day, to: Day): number {
    if (to < from) return 0;
    let count = 0;
    const fullWeeks = Math.floor((to - from + 1) / 7);
    if (fullWeeks > 0) {
      count += fullWeeks * this.workdaysPerWeek;
      for (const holiday of this.holidays) {
        if (holiday >= from && holiday < from + fullWeeks * 7 && this.workdays[weekdayOf(holiday)]) count--;
      }
    }
    for (let day = from + fullWeeks * 7; day <= to; day++) if (this.isWorkingDay(day)) count++;
    return count;
  }

  /** Signed working-day distance: how many working days `to` lies after `from`. */
  workingDaysBetween(from: Day, to: Day): number {
    if (to === from) return 0;
    return to > from ? this.countWorkingDays(from + 1, to) : -this.countWorkingDays(to + 1, from);
  }
}
