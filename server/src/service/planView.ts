import type { PlanView, PlanViewMilestone, PlanViewRange, PlanViewTask } from '../protocol/planView';
import { formatDay, WEEKDAY_NAMES } from './calendar';
import type { PlanAnalysis } from './analysis';
import type { EntityBase, Milestone, Task } from './model';
import { spanOf } from './parse';
import { progressOf, statusOf } from './rules/context';
import type { PlanDiagnostic } from './types';

/** A JSON-safe projection of the analysis; the client never parses the plan itself. */
export function getPlanView(analysis: PlanAnalysis, diagnostics: PlanDiagnostic[]): PlanView {
  const { model, schedule, lines } = analysis;
  const range = (span: readonly [number, number]): PlanViewRange => lines.rangeOf(span);
  const entityRanges = (entity: EntityBase) => ({
    range: range(spanOf(entity.fields.node) ?? entity.anchor),
    selectionRange: range(entity.anchor),
  });

  const task = (item: Task): PlanViewTask => {
    const scheduled = schedule.items.get(item)!;
    const view: PlanViewTask = {
      id: item.id?.text ?? '',
      title: item.title?.text,
      owner: item.owner?.text,
      contributors: item.contributors.map((reference) => reference.text),
      start: formatDay(scheduled.start),
      end: formatDay(scheduled.end),
      slack: scheduled.slack ?? 0,
      critical: scheduled.critical,
      status: statusOf(item),
      progress: Math.round(progressOf(item, schedule) ?? 0),
      dependsOn: item.dependsOn.map((reference) => reference.text),
      links: item.links.map((link) => link.text),
      explicitStart: scheduled.explicitStart,
      ...entityRanges(item),
      tasks: item.tasks.map(task),
    };
    if (scheduled.workingDays !== undefined) view.workingDays = scheduled.workingDays;
    if (item.load) view.load = item.load.value;
    if (item.baseline) view.baseline = { start: item.baseline.start?.text, end: item.baseline.end?.text };
    return view;
  };

  const milestone = (item: Milestone): PlanViewMilestone => {
    const scheduled = schedule.items.get(item)!;
    return {
      id: item.id?.text ?? '',
      title: item.title?.text,
      owner: item.owner?.text,
      due: item.due?.text,
      start: formatDay(scheduled.start),
      end: formatDay(scheduled.end),
      status: statusOf(item),
      progress: Math.round(progressOf(item, schedule) ?? 0),
      dependsOn: item.dependsOn.map((reference) => reference.text),
      goals: item.goals.map((reference) => reference.text),
      ...entityRanges(item),
      tasks: item.tasks.map(task),
    };
  };

  return {
    uri: analysis.document.uri,
    version: analysis.document.version,
    title: model.header.title?.text,
    owner: model.header.owner?.text,
    start: formatDay(schedule.planStart),
    end: model.header.end?.day !== undefined ? formatDay(model.header.end.day) : undefined,
    asOf: formatDay(analysis.asOf),
    computedEnd: formatDay(schedule.planEnd),
    workdays: model.calendar.workdays.slice().sort().map((day) => WEEKDAY_NAMES[day]),
    holidays: [...model.calendar.holidays].sort((a, b) => a - b).map(formatDay),
    criticalPath: schedule.criticalPath.map((item) => item.id?.text ?? ''),
    people: [...model.people.values()].map((person) => ({
      id: person.key.text,
      name: person.name?.text,
      role: person.role?.text,
      allocation: person.allocation,
      range: range(person.key.span),
    })),
    goals: model.goals.map((goal) => ({ id: goal.id?.text ?? '', title: goal.title?.text, owner: goal.owner?.text, ...entityRanges(goal) })),
    milestones: model.milestones.map(milestone),
    risks: model.risks.map((risk) => ({
      id: risk.id?.text ?? '',
      title: risk.title?.text,
      owner: risk.owner?.text,
      likelihood: risk.likelihood?.text,
      impact: risk.impact?.text,
      status: risk.status?.text ?? 'open',
      affects: risk.affects.map((reference) => reference.text),
      ...entityRanges(risk),
    })),
    problems: {
      errors: diagnostics.filter((diagnostic) => diagnostic.severity === 1).length,
      warnings: diagnostics.filter((diagnostic) => diagnostic.severity === 2).length,
      infos: diagnostics.filter((diagnostic) => diagnostic.severity === 3).length,
    },
  };
}
