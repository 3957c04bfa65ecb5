import { formatDay } from '../calendar';
import type { Reference, WorkItem } from '../model';
import { nameOf, type RuleContext } from './context';

// unmeasurable-goal, untraced-work, unmitigated-risk, unconfirmed-resource

const RESOURCE_LEAD_WORKING_DAYS = 10;

export function checkCoverage(context: RuleContext): void {
  const { model } = context;

  for (const goal of model.goals) {
    if (goal.hasTargetMetric) continue;
    context.report({
      rule: 'unmeasurable-goal',
      span: goal.anchor,
      message: `Goal \`${nameOf(goal)}\` has no metric with a \`target\`; add \`metrics:\` with a name, a baseline and a target so progress can be measured.`,
    });
  }

  for (const milestone of model.milestones) {
    if (milestone.goals.length > 0) continue;
    context.report({
      rule: 'untraced-work',
      span: milestone.anchor,
      message: `Milestone \`${nameOf(milestone)}\` traces to no goal; add \`goals: [goal-id]\` so the work stays linked to an outcome.`,
    });
  }
  for (const task of model.tasks) {
    let traced = task.goals.length > 0 || task.milestone.goals.length > 0;
    for (let parent = task.parent; parent && !traced; parent = parent.parent) traced = parent.goals.length > 0;
    if (traced) continue;
    context.report({
      rule: 'untraced-work',
      span: task.anchor,
      message: `Task \`${nameOf(task)}\` traces to no goal, directly or through its milestone \`${nameOf(task.milestone)}\`; add \`goals:\` to it or to its milestone.`,
    });
  }

  for (const risk of model.risks) {
    if (risk.response && risk.response.text.trim() !== '') continue;
    context.report({
      rule: 'unmitigated-risk',
      span: risk.anchor,
      message: `Risk \`${nameOf(risk)}\` has no \`response\`; say how it will be avoided, reduced or handled if it happens.`,
    });
  }

  checkResources(context);
}

function checkResources(context: RuleContext): void {
  const { model, schedule, asOf } = context;
  const horizon = schedule.calendar.endOf(schedule.calendar.after(asOf), RESOURCE_LEAD_WORKING_DAYS);
  for (const tool of model.tools) {
    if (tool.confirmed?.value === true || !tool.neededBy) continue;
    const start = startOfNeed(context, tool.neededBy);
    if (start === undefined || start > horizon) continue;
    const span = tool.confirmed?.span ?? tool.name?.span ?? tool.fields.firstKeySpan;
    const toolName = tool.name?.text ?? 'This tool';
    const when = start <= asOf ? `started ${formatDay(start)}` : `starts ${formatDay(start)}`;
    context.report({
      rule: 'unconfirmed-resource',
      span,
      message: `${toolName} is not confirmed, and \`${tool.neededBy.text}\` which needs it ${when}; confirm it (\`confirmed: true\`) or re-plan the work.`,
    });
  }
  const budget = model.budget;
  if (budget && budget.approved?.value !== true) {
    const planStart = schedule.planStart;
    if (planStart <= horizon) {
      const when = planStart <= asOf ? `started ${formatDay(planStart)}` : `starts ${formatDay(planStart)}`;
      context.report({
        rule: 'unconfirmed-resource',
        span: budget.approved?.span ?? budget.keySpan,
        message: `The budget is not approved and the work ${when}; get it approved (\`approved: true\`) before work begins.`,
      });
    }
  }
}

function startOfNeed(context: RuleContext, reference: Reference): number | undefined {
  if (reference.file !== undefined) return undefined;
  const target = context.model.entitiesById.get(reference.id)?.[0];
  if (!target || (target.kind !== 'task' && target.kind !== 'milestone')) return undefined;
  return context.schedule.items.get(target as WorkItem)?.start;
}
