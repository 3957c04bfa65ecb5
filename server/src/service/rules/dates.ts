import { formatDay } from '../calendar';
import type { Task } from '../model';
import { isSpanning } from '../scheduler';
import type { Span } from '../types';
import { kindLabel, nameOf, type RuleContext } from './context';

// date-order, milestone-overrun, outside-plan, no-buffer, baseline-variance

export function checkDates(context: RuleContext): void {
  const { model, schedule } = context;
  const { header } = model;

  if (header.start?.day !== undefined && header.end?.day !== undefined && header.end.day < header.start.day) {
    context.report({ rule: 'date-order', span: header.end.span, message: `The plan ends (${header.end.text}) before it starts (${header.start.text}); move \`end\` after \`start\`.` });
  }

  for (const task of model.tasks) {
    const scheduled = schedule.items.get(task)!;
    const name = nameOf(task);
    if (task.end && task.duration) {
      context.report({ rule: 'date-order', span: task.duration.keySpan, message: `Task \`${name}\` has both \`end\` and \`duration\`; keep one of them.` });
    } else if (task.end?.day !== undefined && task.end.day < scheduled.start) {
      const how = scheduled.explicitStart ? '' : ' (computed from its dependencies)';
      context.report({ rule: 'date-order', span: task.end.span, message: `Task \`${name}\` ends ${task.end.text}, before it starts ${formatDay(scheduled.start)}${how}; move \`end\` later or use \`duration\`.` });
    }
    const baseline = task.baseline;
    if (baseline?.start?.day !== undefined && baseline.end?.day !== undefined && baseline.end.day < baseline.start.day) {
      context.report({ rule: 'date-order', span: baseline.end.span, message: `The baseline of \`${name}\` ends (${baseline.end.text}) before it starts (${baseline.start.text}); fix the baseline dates.` });
    }

    // The rest needs real dates; unusable ones are already schema findings.
    if (!scheduled.datesKnown) continue;

    // milestone-overrun: against the milestone's due, and a subtask against its dated parent.
    const endSpan = endAnchor(task);
    const due = task.milestone.due?.day;
    if (due !== undefined && scheduled.end > due) {
      context.report({
        rule: 'milestone-overrun',
        span: endSpan,
        message: `${capitalize(kindLabel(task))} \`${name}\` ends ${formatDay(scheduled.end)}, after milestone \`${nameOf(task.milestone)}\` is due (${formatDay(due)}); shorten it, move it to a later milestone or move the due date.`,
      });
    }
    if (task.parent && !isSpanning(task.parent)) {
      const parentEnd = schedule.items.get(task.parent)!.end;
      if (scheduled.end > parentEnd) {
        context.report({
          rule: 'milestone-overrun',
          span: endSpan,
          message: `Subtask \`${name}\` ends ${formatDay(scheduled.end)}, after its parent task \`${nameOf(task.parent)}\` ends (${formatDay(parentEnd)}); shorten it or give the parent more time.`,
        });
      }
    }

    // outside-plan
    const planStart = header.start?.day;
    if (planStart !== undefined && scheduled.start < planStart) {
      context.report({
        rule: 'outside-plan',
        span: task.start && scheduled.explicitStart ? task.start.span : task.anchor,
        message: `Task \`${name}\` starts ${formatDay(scheduled.start)}, before the plan starts (${formatDay(planStart)}); start it later or move the plan's \`start\`.`,
      });
    }
    const planEnd = header.end?.day;
    if (planEnd !== undefined && scheduled.end > planEnd) {
      context.report({
        rule: 'outside-plan',
        span: endSpan,
        message: `Task \`${name}\` ends ${formatDay(scheduled.end)}, after the plan ends (${formatDay(planEnd)}); shorten the work or move the plan's \`end\`.`,
      });
    }

    // baseline-variance
    if (baseline?.end?.day !== undefined && scheduled.end > baseline.end.day) {
      const slip = schedule.calendar.workingDaysBetween(baseline.end.day, scheduled.end);
      context.report({
        rule: 'baseline-variance',
        span: baseline.end.span,
        message: `Task \`${name}\` now ends ${formatDay(scheduled.end)}, ${slip} working day${slip === 1 ? '' : 's'} after its baseline end (${baseline.end.text}); record the change under \`changes\` or recover the time.`,
      });
    }
  }

  const planEnd = header.end?.day;
  if (planEnd !== undefined) {
    for (const milestone of model.milestones) {
      if (milestone.due?.day !== undefined && milestone.due.day > planEnd) {
        context.report({
          rule: 'outside-plan',
          span: milestone.due.span,
          message: `Milestone \`${nameOf(milestone)}\` is due ${milestone.due.text}, after the plan ends (${header.end!.text}); move its due date or the plan's \`end\`.`,
        });
      }
    }
    const dated = model.milestones.filter((milestone) => milestone.due?.day !== undefined);
    const last = dated.reduce<(typeof dated)[number] | undefined>((latest, milestone) => (!latest || milestone.due!.day! > latest.due!.day! ? milestone : latest), undefined);
    if (last && last.due!.day === planEnd) {
      context.report({
        rule: 'no-buffer',
        span: last.due!.span,
        message: `The last milestone \`${nameOf(last)}\` is due on the plan's end (${header.end!.text}), leaving no buffer; due it earlier or extend the plan's \`end\`.`,
      });
    }
  }
}

/** Where an end-date finding goes: the `end` or `duration` value, or the id when the end is computed. */
export function endAnchor(task: Task): Span {
  if (task.end && !task.duration) return task.end.span;
  if (task.duration) return task.duration.span;
  return task.anchor;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
