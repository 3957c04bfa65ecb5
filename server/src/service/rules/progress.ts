import { formatDay } from '../calendar';
import type { Task, WorkItem } from '../model';
import type { Schedule } from '../scheduler';
import { downTheTree, isClosed, nameOf, progressOf, statusAnchor, statusOf, type RuleContext } from './context';

// overdue, behind-schedule, status-mismatch

const BEHIND_MARGIN = 25;
/** A done task's message names at most this many open dependencies. */
const MAX_NAMED_OPEN = 5;

export function checkProgress(context: RuleContext): void {
  const { model, schedule, asOf } = context;
  const asOfText = formatDay(asOf);
  const openDependencies = openDependencyLists(schedule, MAX_NAMED_OPEN + 1);

  for (const task of model.tasks) {
    const scheduled = schedule.items.get(task)!;
    const status = statusOf(task);
    const name = nameOf(task);
    const datesKnown = scheduled.datesKnown;

    if (datesKnown && !isClosed(status) && scheduled.end < asOf) {
      context.report({
        rule: 'overdue',
        span: statusAnchor(task),
        message: `Task \`${name}\` should have ended ${formatDay(scheduled.end)} (as of ${asOfText}) but is ${status}; mark it done or dropped, or re-plan its dates.`,
      });
    }

    // Tasks with a length of their own; a task spanning its subtasks is judged through them.
    if (datesKnown && !isClosed(status) && scheduled.workingDays !== undefined) {
      const total = scheduled.workingDays;
      const elapsed = Math.min(total, schedule.calendar.countWorkingDays(scheduled.start, asOf));
      const expected = total > 0 ? (100 * elapsed) / total : 0;
      const progress = progressOf(task) ?? 0;
      if (progress < expected - BEHIND_MARGIN) {
        context.report({
          rule: 'behind-schedule',
          span: statusAnchor(task),
          message: `Task \`${name}\` is ${Math.round(progress)}% done but ${Math.round(expected)}% of its working days have passed (as of ${asOfText}); update \`progress\` or re-plan it.`,
        });
      }
    }

    if (task.progress && task.progress.value >= 100 && task.tasks.length === 0 && status !== 'done') {
      context.report({
        rule: 'status-mismatch',
        span: task.progress.span,
        message: `Task \`${name}\` has \`progress: 100\` but its status is ${status}; set \`status: done\` or lower the progress.`,
      });
    }
    if (status === 'done' && task.status) {
      const open = openDependencies(task);
      if (open.length > 0) {
        const named = open.slice(0, MAX_NAMED_OPEN).map((item) => `\`${nameOf(item)}\` (${statusOf(item)})`).join(', ');
        const others = open.length > MAX_NAMED_OPEN ? ' and others' : '';
        context.report({
          rule: 'status-mismatch',
          span: task.status.span,
          message: `Task \`${name}\` is done while its dependenc${open.length === 1 ? 'y' : 'ies'} ${named}${others} ${open.length === 1 ? 'is' : 'are'} not; update the dependency's status or this one.`,
        });
      }
    }
  }

  for (const milestone of model.milestones) {
    const due = milestone.due?.day;
    const status = statusOf(milestone);
    if (due !== undefined && due < asOf && !isClosed(status)) {
      context.report({
        rule: 'overdue',
        span: milestone.anchor,
        message: `Milestone \`${nameOf(milestone)}\` was due ${milestone.due!.text} (as of ${asOfText}) but is ${status}; finish or drop its tasks, or move its due date and record why under \`changes\`.`,
      });
    }
  }
}

/**
 * The open (not done or dropped) items each task waits for, own first, then
 * its parents' and its milestone's, without repeats and at most `limit` of
 * them, each level's list built once from the one above.
 */
function openDependencyLists(schedule: Schedule, limit: number): (task: Task) => WorkItem[] {
  const merge = (own: readonly WorkItem[] | undefined, inherited: readonly WorkItem[]): WorkItem[] => {
    const result: WorkItem[] = [];
    for (const item of own ?? []) if (result.length < limit && !isClosed(statusOf(item)) && !result.includes(item)) result.push(item);
    for (const item of inherited) if (result.length < limit && !result.includes(item)) result.push(item);
    return result;
  };
  return downTheTree(
    (milestone) => merge(schedule.milestoneDependencies.get(milestone), []),
    (task, above) => merge(schedule.ownDependencies.get(task), above),
  );
}
