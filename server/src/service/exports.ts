import type { PlanView, PlanViewMilestone, PlanViewTask } from '../protocol/planView';

// The computed plan in other people's formats: a Mermaid gantt that renders
// in GitHub Markdown, and an iCalendar file of milestones and deadlines. Both
// are projections of the PlanView, so they show the same schedule as the editor.

function addDays(iso: string, days: number): string {
  const date = new Date(`${iso}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** Mermaid gantt text: `:` and `#` and `;` end a task name, so they are replaced. */
function mermaidText(text: string): string {
  return text.replace(/[:#;]/g, ' ').replace(/\s+/g, ' ').trim();
}

/** Mermaid ids: letters, digits, `_` and `-` only. */
function mermaidId(id: string): string {
  return id.replace(/[^A-Za-z0-9_-]/g, '_');
}

const ALL_DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const DAY_NAMES: Record<string, string> = { mon: 'monday', tue: 'tuesday', wed: 'wednesday', thu: 'thursday', fri: 'friday', sat: 'saturday', sun: 'sunday' };

export function toMermaidGantt(plan: PlanView): string {
  const lines = ['gantt', `    title ${mermaidText(plan.title ?? 'Plan')}`, '    dateFormat YYYY-MM-DD', '    axisFormat %b %d'];
  const offDays = ALL_DAYS.filter((day) => !plan.workdays.includes(day));
  const excludes = [...(offDays.length === 2 && offDays.includes('sat') && offDays.includes('sun') ? ['weekends'] : offDays.map((day) => DAY_NAMES[day])), ...plan.holidays];
  if (excludes.length > 0) lines.push(`    excludes ${excludes.join(' ')}`);
  lines.push(`    todayMarker off`);
  const known = new Set<string>();
  const collect = (tasks: PlanViewTask[]) => {
    for (const task of tasks) {
      known.add(task.id);
      collect(task.tasks);
    }
  };
  for (const milestone of plan.milestones) collect(milestone.tasks);

  const taskLine = (task: PlanViewTask, prefix: string) => {
    const tags: string[] = [];
    if (task.status === 'done') tags.push('done');
    else if (task.status === 'in-progress') tags.push('active');
    if (task.critical && task.status !== 'done' && task.status !== 'dropped') tags.push('crit');
    const dependencies = task.dependsOn.filter((id) => known.has(id)).map(mermaidId);
    // A computed start follows its dependencies: `after`, so the chart keeps the links.
    const start = !task.explicitStart && dependencies.length > 0 ? `after ${dependencies.join(' ')}` : task.start;
    const length = task.workingDays !== undefined && start.startsWith('after') ? `${task.workingDays}d` : addDays(task.end, 1);
    lines.push(`    ${mermaidText(`${prefix}${task.title ?? task.id}`)} :${[...tags, mermaidId(task.id), start, length].join(', ')}`);
  };
  const visit = (tasks: PlanViewTask[], prefix: string) => {
    for (const task of tasks) {
      // Tasks that only span their subtasks are drawn through them.
      if (task.tasks.length === 0 || task.workingDays !== undefined) taskLine(task, prefix);
      visit(task.tasks, `${prefix}${task.title ?? task.id} › `);
    }
  };
  for (const milestone of plan.milestones) {
    lines.push(`    section ${mermaidText(milestone.title ?? milestone.id)}`);
    visit(milestone.tasks, '');
    if (milestone.due) lines.push(`    ${mermaidText(`${milestone.title ?? milestone.id} due`)} :milestone, ${mermaidId(`${milestone.id}-due`)}, ${milestone.due}, 0d`);
  }
  return `${lines.join('\n')}\n`;
}

function icsText(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

/** Folds a content line at 75 octets, as RFC 5545 requires. */
function fold(line: string): string {
  const bytes = new TextEncoder().encode(line);
  if (bytes.length <= 75) return line;
  const decoder = new TextDecoder();
  const parts: string[] = [];
  let start = 0;
  while (start < bytes.length) {
    let end = Math.min(bytes.length, start + (parts.length === 0 ? 75 : 74));
    // Never split a UTF-8 sequence.
    while (end < bytes.length && (bytes[end] & 0xc0) === 0x80) end--;
    parts.push(decoder.decode(bytes.subarray(start, end)));
    start = end;
  }
  return parts.join('\r\n ');
}

/** An iCalendar file: an all-day event per milestone due date and per task deadline (its computed end). */
export function toICalendar(plan: PlanView, planName: string, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const day = (iso: string) => iso.replace(/-/g, '');
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Blueprint//Implementation plans//EN', 'CALSCALE:GREGORIAN', `X-WR-CALNAME:${icsText(plan.title ?? planName)}`];
  const event = (uid: string, date: string, summary: string, description: string) => {
    lines.push('BEGIN:VEVENT', `UID:${icsText(uid)}@${icsText(planName)}`, `DTSTAMP:${stamp}`, `DTSTART;VALUE=DATE:${day(date)}`, `DTEND;VALUE=DATE:${day(addDays(date, 1))}`, `SUMMARY:${icsText(summary)}`, `DESCRIPTION:${icsText(description)}`, 'TRANSP:TRANSPARENT', 'END:VEVENT');
  };
  const visit = (tasks: PlanViewTask[], milestone: PlanViewMilestone) => {
    for (const task of tasks) {
      if (task.status !== 'dropped') event(`task-${task.id}`, task.end, `Due: ${task.title ?? task.id}`, `Task ${task.id} of ${milestone.title ?? milestone.id}; owner ${task.owner ?? 'none'}; ${task.status}, ${task.progress}%; computed ${task.start} to ${task.end}.`);
      visit(task.tasks, milestone);
    }
  };
  for (const milestone of plan.milestones) {
    if (milestone.due) event(`milestone-${milestone.id}`, milestone.due, `Milestone: ${milestone.title ?? milestone.id}`, `Milestone ${milestone.id}; owner ${milestone.owner ?? 'none'}; computed end ${milestone.end}; ${milestone.status}.`);
    visit(milestone.tasks, milestone);
  }
  lines.push('END:VCALENDAR');
  return `${lines.map(fold).join('\r\n')}\r\n`;
}
