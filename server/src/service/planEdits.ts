import { formatDay, type Day } from './calendar';
import type { PlanAnalysis } from './analysis';
import { isSpanning } from './scheduler';
import type { TextEdit, WorkspaceEdit } from './types';
import { appendListEntry, insertKey, yamlScalar } from './yamlEdits';

// Controlled change, as the format intends: the agreed dates become the
// baseline, and deliberate changes are logged. Both are edits the user asked
// for and applies (one undo step); the server never writes.

/** Writes each task's computed start and end into its `baseline` (tasks with dates of their own). */
export function getBaselineEdit(analysis: PlanAnalysis): { edit: WorkspaceEdit; tasks: number } {
  const { model, schedule, lines, document } = analysis;
  const edits: TextEdit[] = [];
  let tasks = 0;
  for (const task of model.tasks) {
    const scheduled = schedule.items.get(task);
    if (!scheduled || !scheduled.datesKnown || isSpanning(task)) continue;
    const start = formatDay(scheduled.start);
    const end = formatDay(scheduled.end);
    const baseline = task.baseline;
    if (baseline?.start && baseline.end) {
      if (baseline.start.text === start && baseline.end.text === end) continue;
      if (baseline.start.text !== start) edits.push({ range: lines.rangeOf(baseline.start.span), newText: start });
      if (baseline.end.text !== end) edits.push({ range: lines.rangeOf(baseline.end.span), newText: end });
      tasks++;
      continue;
    }
    const value = `{ start: ${start}, end: ${end} }`;
    const baselinePair = task.fields.pairs.get('baseline');
    const valueRange = (baselinePair?.value as { range?: [number, number, number] } | null | undefined)?.range;
    if (baselinePair && valueRange) {
      edits.push({ range: lines.rangeOf([valueRange[0], valueRange[1]]), newText: value });
    } else {
      const insertion = insertKey(document.text, lines, task.fields, 'baseline', value, 'end');
      if (!insertion) continue;
      edits.push(insertion);
    }
    tasks++;
  }
  return { edit: { changes: edits.length > 0 ? { [document.uri]: edits } : {} }, tasks };
}

/** Appends an entry to `changes`: the date, the summary, and the ids it affects. */
export function getRecordChangeEdit(analysis: PlanAnalysis, change: { date: Day; summary: string; affects: string[] }): WorkspaceEdit {
  const { document, lines, model } = analysis;
  const entry = [`date: ${formatDay(change.date)}`, `summary: ${yamlScalar(change.summary.trim())}`];
  const affects = change.affects.filter((id) => /^[A-Za-z0-9_.-]+$/.test(id));
  if (affects.length > 0) entry.push(`affects: [${affects.join(', ')}]`);
  return { changes: { [document.uri]: [appendListEntry(document.text, lines, model.header.fields, 'changes', entry)] } };
}
