import { formatDay, type Day } from '../calendar';
import type { Task } from '../model';
import { isClosed, nameOf, statusOf, type RuleContext } from './context';

// over-allocation. (missing-owner and multiple-owners live with the identity rules.)

interface Booking {
  task: Task;
  start: Day;
  end: Day;
  load: number;
}

interface Overlap {
  days: number;
  first: Day;
  peak: number;
  /** A few of the tasks it overlaps with, for the message; the count of all of them. */
  others: Set<Task>;
  otherCount: number;
}

const NAMED_OVERLAPS = 3;

/**
 * A task occupies its owner at its `load` (default: the owner's whole
 * allocation); parent tasks and done or dropped work carry none. A sweep over
 * the days where bookings change finds each stretch above the allocation.
 */
export function checkAllocation(context: RuleContext): void {
  const { model, schedule } = context;
  const bookingsByPerson = new Map<string, Booking[]>();
  for (const task of model.tasks) {
    if (task.tasks.length > 0 || !task.owner || isClosed(statusOf(task))) continue;
    const person = model.people.get(task.owner.text);
    if (!person) continue;
    const scheduled = schedule.items.get(task)!;
    const booking = { task, start: scheduled.start, end: scheduled.end, load: task.load?.value ?? person.allocation };
    const list = bookingsByPerson.get(task.owner.text);
    if (list) list.push(booking);
    else bookingsByPerson.set(task.owner.text, [booking]);
  }

  for (const [personId, bookings] of bookingsByPerson) {
    if (bookings.length < 2 && bookings.every((booking) => booking.load <= model.people.get(personId)!.allocation)) continue;
    const allocation = model.people.get(personId)!.allocation;
    const changeDays = [...new Set(bookings.flatMap((booking) => [booking.start, booking.end + 1]))].sort((a, b) => a - b);
    const startsOn = groupBy(bookings, (booking) => booking.start);
    const endsBefore = groupBy(bookings, (booking) => booking.end + 1);
    const active = new Set<Booking>();
    let total = 0;
    const overlaps = new Map<Task, Overlap>();
    for (let index = 0; index + 1 < changeDays.length; index++) {
      const from = changeDays[index];
      const to = changeDays[index + 1] - 1;
      for (const booking of endsBefore.get(from) ?? []) {
        active.delete(booking);
        total -= booking.load;
      }
      for (const booking of startsOn.get(from) ?? []) {
        active.add(booking);
        total += booking.load;
      }
      if (total <= allocation + 1e-9) continue;
      const workingDays = schedule.calendar.countWorkingDays(from, to);
      if (workingDays === 0) continue;
      const firstWorkingDay = schedule.calendar.onOrAfter(from);
      // The first few bookings are all a message names: no copy of the whole set per interval.
      const named: Task[] = [];
      for (const booking of active) {
        if (named.length > NAMED_OVERLAPS) break;
        named.push(booking.task);
      }
      for (const booking of active) {
        const overlap = overlaps.get(booking.task) ?? { days: 0, first: firstWorkingDay, peak: 0, others: new Set<Task>(), otherCount: 0 };
        overlap.days += workingDays;
        overlap.first = Math.min(overlap.first, firstWorkingDay);
        overlap.peak = Math.max(overlap.peak, total);
        overlap.otherCount = Math.max(overlap.otherCount, active.size - 1);
        for (const other of named) if (other !== booking.task && overlap.others.size < NAMED_OVERLAPS) overlap.others.add(other);
        overlaps.set(booking.task, overlap);
      }
    }
    for (const [task, overlap] of overlaps) {
      const others = [...overlap.others].map((other) => `\`${nameOf(other)}\``);
      if (overlap.otherCount > others.length) others.push(`${overlap.otherCount - others.length} more`);
      const withOthers = others.length > 0 ? ` together with ${others.join(', ')}` : '';
      context.report({
        rule: 'over-allocation',
        span: task.owner!.span,
        message: `${personId} is booked at up to ${formatPercent(overlap.peak)} of their ${formatPercent(allocation)} on ${overlap.days} working day${overlap.days === 1 ? '' : 's'} from ${formatDay(overlap.first)}${withOthers}; move one of these tasks, lower its \`load\` or share the work.`,
      });
    }
  }
}

function formatPercent(value: number): string {
  return `${Math.round(value * 10) / 10}%`;
}

function groupBy<T, K>(items: T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}
