import { formatDay } from '../calendar';
import { isClosed, nameOf, progressOf, statusAnchor, statusOf, type RuleContext } from './context';

// overdue, behind-schedule, status-mismatch

const BEHIND_MARGIN = 25;

export function checkProgress(context: RuleContext): void {
  const { model, schedule, asOf } = context;
  const asOfText = formatDay(asOf);

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
      const open = (schedule.dependencies.get(task) ?? []).filter((dependency) => !isClosed(statusOf(dependency)));
      if (open.length > 0) {
        context.report({
          rule: 'status-mismatch',
          span: task.status.span,
          message: `Task \`${name}\` is done while its dependenc${open.length === 1 ? 'y' : 'ies'} ${open.map((item) => `\`${nameOf(item)}\` (${statusOf(item)})`).join(', ')} ${open.length === 1 ? 'is' : 'are'} not; update the dependency's status or this one.`,
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
