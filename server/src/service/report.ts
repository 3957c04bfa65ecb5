import { formatDay } from './calendar';
import type { PlanAnalysis } from './analysis';
import { isSpanning } from './scheduler';
import { isClosed, nameOf, progressOf, statusOf } from './rules/context';
import type { PlanDiagnostic } from './types';

// A Markdown status report for a review meeting, from the same analysis and
// diagnostics as the editor: where the milestones stand, what is late, the
// critical path, people's load, open risks, unconfirmed resources, recent changes.

/** Plan text is user input: keep it from breaking tables or becoming markup. */
function cell(text: string | undefined): string {
  return (text ?? '').replace(/\r?\n/g, ' ').replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/([`*_[\]])/g, '\\$1');
}

/** Our own messages use backticks for ids: keep those, neutralise what could break the Markdown. */
function message(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const LEVEL: Record<string, number> = { low: 1, medium: 2, high: 3 };

export function getStatusReport(analysis: PlanAnalysis, diagnostics: PlanDiagnostic[]): string {
  const { model, schedule, asOf } = analysis;
  const calendar = schedule.calendar;
  const out: string[] = [];
  const line = (text = '') => out.push(text);
  const atLine = (diagnostic: PlanDiagnostic) => diagnostic.range.start.line + 1;

  line(`# ${cell(model.header.title?.text ?? 'Plan')}: status as of ${formatDay(asOf)}`);
  line();
  const owner = model.header.owner?.text;
  const person = owner ? model.people.get(owner) : undefined;
  line(`- Owner: ${cell(person?.name?.text ?? owner ?? 'none')}`);
  line(`- Start: ${formatDay(schedule.planStart)}; target end: ${model.header.end?.text ?? 'not set'}; computed end: ${formatDay(schedule.planEnd)}`);
  if (model.header.end?.day !== undefined) {
    const buffer = calendar.workingDaysBetween(schedule.planEnd, model.header.end.day);
    line(`- ${buffer >= 0 ? `Buffer: ${buffer} working day${buffer === 1 ? '' : 's'} before the target end` : `Late: ${-buffer} working day${buffer === -1 ? '' : 's'} past the target end`}`);
  }
  const counts = [1, 2, 3].map((severity) => diagnostics.filter((diagnostic) => diagnostic.severity === severity).length);
  line(`- Problems: ${counts[0]} error${counts[0] === 1 ? '' : 's'}, ${counts[1]} warning${counts[1] === 1 ? '' : 's'}, ${counts[2]} info`);
  line();

  line('## Milestones');
  line();
  line('| Milestone | Due | Computed end | Variance | Progress | Status |');
  line('| --- | --- | --- | --- | --- | --- |');
  for (const milestone of model.milestones) {
    const scheduled = schedule.items.get(milestone)!;
    const due = milestone.due?.day;
    const variance = due === undefined ? '' : calendar.workingDaysBetween(due, scheduled.end);
    const varianceText = variance === '' ? '' : variance > 0 ? `${variance} working days late` : variance === 0 ? 'on the due date' : `${-variance} working days early`;
    line(`| ${cell(milestone.title?.text ?? nameOf(milestone))} | ${milestone.due?.text ?? ''} | ${formatDay(scheduled.end)} | ${varianceText} | ${Math.round(progressOf(milestone, schedule) ?? 0)}% | ${statusOf(milestone)} |`);
  }
  line();

  const late = diagnostics.filter((diagnostic) => diagnostic.code === 'overdue' || diagnostic.code === 'behind-schedule');
  line('## Overdue and behind schedule');
  line();
  if (late.length === 0) line('Nothing is overdue or behind schedule.');
  for (const diagnostic of late) line(`- ${diagnostic.code === 'overdue' ? '**Overdue**' : 'Behind'} (line ${atLine(diagnostic)}): ${message(diagnostic.message)}`);
  line();

  line('## Critical path');
  line();
  line(schedule.criticalPath.length > 0 ? schedule.criticalPath.map((task) => `\`${cell(nameOf(task))}\` (${formatDay(schedule.items.get(task)!.end)})`).join(' → ') : 'No critical path (no scheduled work).');
  line();

  line('## People');
  line();
  line('| Person | Role | Allocation | Open tasks | Over-allocated |');
  line('| --- | --- | --- | --- | --- |');
  const overAllocated = new Set(diagnostics.filter((diagnostic) => diagnostic.code === 'over-allocation').map((diagnostic) => diagnostic.message.split(' ')[0]));
  for (const [id, entry] of model.people) {
    const open = model.tasks.filter((task) => task.owner?.text === id && !isSpanning(task) && !isClosed(statusOf(task))).length;
    line(`| ${cell(entry.name?.text ?? id)} (\`${cell(id)}\`) | ${cell(entry.role?.text)} | ${entry.allocation}% | ${open} | ${overAllocated.has(id) ? 'yes' : 'no'} |`);
  }
  line();

  line('## Open risks');
  line();
  const risks = model.risks
    .filter((risk) => !['mitigated', 'closed'].includes(risk.status?.text ?? 'open'))
    .map((risk) => ({ risk, score: (LEVEL[risk.likelihood?.text ?? ''] ?? 0) * (LEVEL[risk.impact?.text ?? ''] ?? 0) }))
    .sort((a, b) => b.score - a.score);
  if (risks.length === 0) line('No open risks.');
  else {
    line('| Risk | Likelihood × impact | Owner | Response |');
    line('| --- | --- | --- | --- |');
    for (const { risk } of risks) line(`| ${cell(risk.title?.text ?? nameOf(risk))} | ${risk.likelihood?.text ?? '?'} × ${risk.impact?.text ?? '?'} | ${cell(risk.owner?.text)} | ${risk.response ? cell(risk.response.text) : '**none**'} |`);
  }
  line();

  const resources = diagnostics.filter((diagnostic) => diagnostic.code === 'unconfirmed-resource');
  line('## Unconfirmed resources');
  line();
  if (resources.length === 0) line('Every resource needed soon is confirmed.');
  for (const diagnostic of resources) line(`- ${message(diagnostic.message)}`);
  line();

  line('## Recent changes');
  line();
  const changes = [...model.changes].filter((change) => change.date?.day !== undefined).sort((a, b) => b.date!.day! - a.date!.day!).slice(0, 5);
  if (changes.length === 0) line('No changes recorded.');
  for (const change of changes) {
    const affects = change.affects.map((reference) => `\`${cell(reference.text)}\``).join(', ');
    const approved = change.approvedBy.map((reference) => reference.text).join(', ');
    line(`- ${change.date!.text}: ${cell(change.summary?.text)}${affects ? ` (affects ${affects})` : ''}${approved ? `; approved by ${cell(approved)}` : ''}`);
  }
  return `${out.join('\n')}\n`;
}
