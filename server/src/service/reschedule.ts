import { formatDay, parseIsoDate } from './calendar';
import type { PlanAnalysis } from './analysis';
import type { Task } from './model';
import { insertKey } from './yamlEdits';
import type { TextEdit } from './types';
import type { RescheduleParams, RescheduleResult } from '../protocol/edits';

// A bar dragged in the timeline becomes one minimal edit of one value:
// `start`, `end` or `duration`, comments and layout untouched.

export type RescheduleRequest = Omit<RescheduleParams, 'uri'>;
export type { RescheduleResult };

export function getRescheduleEdit(analysis: PlanAnalysis, request: RescheduleRequest): RescheduleResult {
  const { model, schedule, lines, document } = analysis;
  if (request.version !== document.version) return { refused: 'stale', message: 'The plan changed while you dragged; try again on the updated timeline.' };
  const entity = model.entitiesById.get(request.id)?.[0];
  if (!entity || entity.kind !== 'task') return { refused: 'invalid', message: `There is no task \`${request.id}\` to reschedule.` };
  const task: Task = entity;
  const scheduled = schedule.items.get(task)!;
  const newStart = request.start !== undefined ? parseIsoDate(request.start) : undefined;
  const newEnd = request.end !== undefined ? parseIsoDate(request.end) : undefined;
  if ((request.start !== undefined && newStart === undefined) || (request.end !== undefined && newEnd === undefined)) {
    return { refused: 'invalid', message: 'Dates must be real calendar dates (YYYY-MM-DD).' };
  }
  const edits: TextEdit[] = [];
  const replace = (span: readonly [number, number], text: string) => edits.push({ range: lines.rangeOf(span), newText: text });

  let start = scheduled.start;
  if (newStart !== undefined && newStart !== scheduled.start) {
    if (task.start) {
      replace(task.start.span, formatDay(newStart));
    } else if (!request.setExplicitStart) {
      return {
        refused: 'computed-start',
        message: `\`${request.id}\` starts when its dependencies end (${formatDay(scheduled.start)}); set an explicit start of ${formatDay(newStart)}?`,
      };
    } else {
      const insertion = insertKey(document.text, lines, task.fields, 'start', formatDay(newStart), 'afterId');
      if (!insertion) return { refused: 'invalid', message: `Cannot add \`start\` to \`${request.id}\` here; add it by hand.` };
      edits.push(insertion);
    }
    start = schedule.calendar.onOrAfter(newStart);
  }

  // Moving a task written with `end` moves its end too: it keeps its working-day length.
  let targetEnd = newEnd;
  if (targetEnd === undefined && newStart !== undefined && task.end && !task.duration && scheduled.workingDays !== undefined && start !== scheduled.start) {
    targetEnd = schedule.calendar.endOf(start, scheduled.workingDays);
  }

  if (targetEnd !== undefined) {
    const newEnd = targetEnd;
    if (newEnd < start) return { refused: 'invalid', message: `\`${request.id}\` cannot end (${formatDay(newEnd)}) before it starts (${formatDay(start)}).` };
    if (task.end) {
      replace(task.end.span, formatDay(newEnd));
    } else if (task.duration) {
      const workingDays = schedule.calendar.countWorkingDays(start, newEnd);
      if (workingDays < 1) return { refused: 'invalid', message: `\`${request.id}\` would have no working day left; pick a later end.` };
      const inWeeks = task.duration.text.endsWith('w') && workingDays % 5 === 0;
      const text = inWeeks ? `${workingDays / 5}w` : `${workingDays}d`;
      if (text !== task.duration.text) replace(task.duration.span, text);
    } else {
      return { refused: 'invalid', message: `\`${request.id}\` spans its subtasks; change their dates instead.` };
    }
  }
  return { edit: { changes: edits.length > 0 ? { [document.uri]: edits } : {} } };
}
