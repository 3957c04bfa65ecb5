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
  others: Set<Task>;
}

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
    const overlaps = new Map<Task, Overlap>();
    for (let index = 0; index + 1 < changeDays.length; index++) {
      const from = changeDays[index];
      const to = changeDays[index + 1] - 1;
      const active = bookings.filter((booking) => booking.start <= from && booking.end >= from);
      const total = active.reduce((sum, booking) => sum + booking.load, 0);
      if (total <= allocation + 1e-9) continue;
      const workingDays = schedule.calendar.countWorkingDays(from, to);
      if (workingDays === 0) continue;
      const firstWorkingDay = schedule.calendar.onOrAfter(from);
      for (const booking of active) {
        const overlap = overlaps.get(booking.task) ?? { days: 0, first: firstWorkingDay, peak: 0, others: new Set<Task>() };
        overlap.days += workingDays;
        overlap.first = Math.min(overlap.first, firstWorkingDay);
        overlap.peak = Math.max(overlap.peak, total);
        for (const other of active) if (other !== booking) overlap.others.add(other.task);
        overlaps.set(booking.task, overlap);
      }
    }
    for (const [task, overlap] of overlaps) {
      const others = [...overlap.others].map((other) => `\`${nameOf(other)}\``);
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
