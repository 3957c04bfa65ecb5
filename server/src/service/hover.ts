import { isMap, isScalar, isSeq, type Node as YamlNode, type YAMLMap } from 'yaml';
import { resolveRelative, type PlanAnalysis } from './analysis';
import { formatDay, parseIsoDate } from './calendar';
import type { FeatureEnvironment } from './environment';
import type { Entity, FieldIndex, Goal, Milestone, Person, PlanModel, Reference, Risk, Task, WorkItem } from './model';
import { scalarText } from './parse';
import { progressOf, statusOf } from './rules/context';
import { isSpanning, resolveLocalItem } from './scheduler';
import { definitionOf, symbolAt } from './symbolAt';
import type { Position, Range, Span } from './types';

// Hover on an id, a person key, or a reference to one: what the plan knows
// about it, including what only the computed schedule can tell (dates, slack,
// the critical path) and who depends on it. Every string from the plan is
// user text and is escaped, so a title cannot inject links, images or HTML.

export interface PlanHover {
  contents: { kind: 'markdown'; value: string };
  range: Range;
}

/** Lists longer than this are cut with "and N more". */
const MAX_LIST = 12;
/** User text longer than this (a long response or title) is cut. */
const MAX_TEXT = 300;

type Target = { kind: 'entity'; entity: Entity } | { kind: 'person'; person: Person };

/**
 * The hover at a position: on the id of a goal, milestone, task or risk, a person
 * key, or any reference to one. Cross-file references (`other.plan.yaml#id`) are
 * described from the other plan when `environment` can read it.
 */
export function getHover(analysis: PlanAnalysis, position: Position, environment?: FeatureEnvironment): PlanHover | undefined {
  const offset = analysis.lines.offsetAt(position);
  const found = symbolAt(analysis.model, offset);
  if (!found) return undefined;
  let span: Span;
  let target: Target | undefined;
  let source = analysis;
  let definedIn: string | undefined;
  if (found.kind === 'entity') {
    span = found.entity.id!.span;
    target = { kind: 'entity', entity: found.entity };
  } else if (found.kind === 'person') {
    span = found.person.key.span;
    target = { kind: 'person', person: found.person };
  } else {
    const reference = found.reference;
    span = reference.span;
    if (reference.file !== undefined) {
      const other = crossFileTarget(analysis, reference, environment);
      if (!other) return undefined;
      source = other.analysis;
      target = { kind: 'entity', entity: other.entity };
      definedIn = reference.file;
    } else {
      const definition = definitionOf(analysis.model, reference);
      if (definition) target = 'key' in definition ? { kind: 'person', person: definition } : { kind: 'entity', entity: definition };
    }
  }
  if (!target) return undefined;
  const value = target.kind === 'person' ? describePerson(source, target.person) : describeEntity(source, target.entity, definedIn);
  return { contents: { kind: 'markdown', value }, range: analysis.lines.rangeOf(span) };
}

function crossFileTarget(analysis: PlanAnalysis, reference: Reference, environment: FeatureEnvironment | undefined): { analysis: PlanAnalysis; entity: WorkItem } | undefined {
  if (!environment || reference.file === undefined) return undefined;
  const uri = resolveRelative(analysis.document.uri, reference.file);
  const other = uri ? environment.analyzeUri(uri) : undefined;
  const entity = other?.model.entitiesById.get(reference.id)?.[0];
  if (!other || !entity || (entity.kind !== 'task' && entity.kind !== 'milestone')) return undefined;
  return { analysis: other, entity };
}

// ── markdown ───────────────────────────────────────────────────────────────

/**
 * User text as literal Markdown: whitespace (line breaks included) collapses to
 * one space, so the text cannot start a block; every character that could
 * start inline markup (emphasis, code, links, images, autolinks, HTML, entity
 * references, strikethrough) is backslash-escaped.
 */
export function escapeMarkdown(text: string): string {
  let clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length > MAX_TEXT) clean = `${clean.slice(0, MAX_TEXT - 1).trimEnd()}…`;
  return clean
    .replace(/[\\`*_[\]<>#|~&:@.]/g, '\\$&')
    .replace(/^[-+=]/, '\\$&')
    .replace(/^(\d+)\)/, '$1\\)');
}

/** Text as an inline code span, whatever backticks it holds. */
export function codeSpan(text: string): string {
  const clean = text.replace(/\s+/g, ' ');
  const longestRun = Math.max(0, ...(clean.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = clean.startsWith('`') || clean.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${clean}${pad}${fence}`;
}

function listOf(parts: string[], none = '*none*'): string {
  if (parts.length === 0) return none;
  if (parts.length <= MAX_LIST) return parts.join(', ');
  return `${parts.slice(0, MAX_LIST).join(', ')} and ${parts.length - MAX_LIST} more`;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function header(kind: string, id: string | undefined, title: string | undefined): string {
  const name = id !== undefined ? ` ${codeSpan(id)}` : '';
  return `**${kind}**${name}${title ? `: ${escapeMarkdown(title)}` : ''}`;
}

function bullet(label: string, value: string): string {
  return value === '' ? `- **${label}:**` : `- **${label}:** ${value}`;
}

function itemLabel(entity: Entity): string {
  const id = entity.id ? codeSpan(entity.id.text) : `*${entity.kind} without id*`;
  return entity.title ? `${id} (${escapeMarkdown(entity.title.text)})` : id;
}

function personLabel(model: PlanModel, reference: Reference): string {
  const person = model.people.get(reference.text);
  if (!person) return `${codeSpan(reference.text)} (not in \`people\`)`;
  const role = person.role ? `, ${escapeMarkdown(person.role.text)}` : '';
  return person.name ? `${escapeMarkdown(person.name.text)} (${codeSpan(reference.text)})${role}` : `${codeSpan(reference.text)}${role}`;
}

function ownerLine(model: PlanModel, entity: Entity): string {
  if (entity.ownerList) return bullet('Owners', listOf(entity.ownerList.references.map((reference) => personLabel(model, reference))));
  return bullet('Owner', entity.owner ? personLabel(model, entity.owner) : '*none*');
}

/** A scalar field of a mapping as text (for fields the model does not keep). */
function fieldText(analysis: PlanAnalysis, fields: FieldIndex | undefined, key: string): string | undefined {
  return scalarOf(analysis, fields?.pairs.get(key)?.value as YamlNode | null | undefined);
}

function mapEntryText(analysis: PlanAnalysis, map: YAMLMap, key: string): string | undefined {
  const pair = map.items.find((item) => isScalar(item.key) && String(item.key.value) === key);
  return scalarOf(analysis, pair?.value as YamlNode | null | undefined);
}

function scalarOf(analysis: PlanAnalysis, node: YamlNode | null | undefined): string | undefined {
  if (!node || !isScalar(node) || node.value === null) return undefined;
  const text = scalarText(node, analysis.document.text);
  return text === '' ? undefined : text;
}

function dayText(text: string): string {
  const day = parseIsoDate(text);
  return day !== undefined ? formatDay(day) : escapeMarkdown(text);
}

// ── work items ─────────────────────────────────────────────────────────────

function describeEntity(analysis: PlanAnalysis, entity: Entity, definedIn: string | undefined): string {
  switch (entity.kind) {
    case 'task':
    case 'milestone':
      return describeWorkItem(analysis, entity, definedIn);
    case 'goal':
      return describeGoal(analysis, entity);
    case 'risk':
      return describeRisk(analysis, entity);
  }
}

function describeWorkItem(analysis: PlanAnalysis, item: WorkItem, definedIn: string | undefined): string {
  const { model, schedule } = analysis;
  const scheduled = schedule.items.get(item);
  const kind = item.kind === 'milestone' ? 'Milestone' : item.parent ? 'Subtask' : 'Task';
  const lines: string[] = [];
  if (definedIn !== undefined) lines.push(bullet('Defined in', codeSpan(definedIn)));
  if (item.kind === 'task') {
    const path = [item.milestone, ...ancestors(item).reverse()].map(itemLabel);
    lines.push(bullet('In', path.join(' › ')));
  }
  lines.push(ownerLine(model, item));
  if (item.kind === 'task' && item.contributors.length > 0) {
    lines.push(bullet('Contributors', listOf(item.contributors.map((reference) => personLabel(model, reference)))));
  }
  if (scheduled) {
    const calendar = schedule.calendar;
    const hasWork = item.kind === 'task' || item.tasks.length > 0;
    if (hasWork) {
      const days = scheduled.workingDays ?? calendar.countWorkingDays(scheduled.start, scheduled.end);
      const approximate = scheduled.datesKnown ? '' : ' (approximate: a date or duration is unusable)';
      const spanning = item.kind === 'task' && isSpanning(item) ? ', spanning its subtasks' : '';
      lines.push(bullet('Dates', `${formatDay(scheduled.start)} → ${formatDay(scheduled.end)}, ${plural(days, 'working day')}${spanning}${approximate}`));
    } else {
      lines.push(bullet('Dates', `an event on its due date${item.due?.day !== undefined ? ` ${formatDay(item.due.day)}` : ''} (no tasks)`));
    }
    if (item.kind === 'milestone' && item.due && hasWork) {
      if (item.due.day === undefined) {
        lines.push(bullet('Due', `${escapeMarkdown(item.due.text)} (not a valid date)`));
      } else {
        const buffer = calendar.workingDaysBetween(scheduled.end, item.due.day);
        const margin = buffer > 0 ? `${plural(buffer, 'working day')} after its computed end` : buffer === 0 ? 'on its computed end' : `${plural(-buffer, 'working day')} before its computed end: late`;
        lines.push(bullet('Due', `${formatDay(item.due.day)}, ${margin}`));
      }
    }
    const slack = item.kind === 'task' ? scheduled.slack : milestoneSlack(analysis, item);
    if (slack !== undefined) {
      const critical = slack <= 0 ? 'on the critical path' : 'not on the critical path';
      lines.push(bullet('Slack', `${plural(slack, 'working day')}, ${critical}`));
    }
  }
  const status = statusOf(item);
  const progress = progressOf(item, schedule);
  lines.push(bullet('Status', progress === undefined ? status : `${status}, ${Math.round(progress)}%`));
  lines.push(bullet('Depends on', listOf(dependenciesOf(model, item))));
  lines.push(bullet('Dependents', listOf(dependentsOf(model, item))));
  const goals = goalsOf(model, item);
  if (goals.length > 0) lines.push(bullet('Goals', listOf(goals)));
  lines.push(bullet('Risks', listOf(risksOf(analysis, item))));
  return `${header(kind, item.id?.text, item.title?.text)}\n\n${lines.join('\n')}`;
}

/** Parent tasks, nearest first. */
function ancestors(task: Task): Task[] {
  const result: Task[] = [];
  for (let parent = task.parent; parent; parent = parent.parent) result.push(parent);
  return result;
}

/** The smallest slack of the milestone's work (undefined without tasks). */
function milestoneSlack(analysis: PlanAnalysis, milestone: Milestone): number | undefined {
  const slacks = milestone.allTasks.map((task) => analysis.schedule.items.get(task)?.slack).filter((slack): slack is number => slack !== undefined);
  return slacks.length > 0 ? slacks.reduce((least, slack) => Math.min(least, slack)) : undefined;
}

function via(container: WorkItem): string {
  return `via ${container.kind} ${container.id ? codeSpan(container.id.text) : '*without id*'}`;
}

/** Own depends_on, then those inherited from parent tasks and the milestone (marked "via …"). */
function dependenciesOf(model: PlanModel, item: WorkItem): string[] {
  const seen = new Set<string>();
  const result: string[] = [];
  const add = (references: Reference[], container: WorkItem | undefined) => {
    for (const reference of references) {
      const key = reference.file !== undefined ? reference.text : reference.id;
      if (seen.has(key)) continue;
      seen.add(key);
      const target = resolveLocalItem(model, reference);
      const label = target ? itemLabel(target) : reference.file !== undefined ? codeSpan(reference.text) : `${codeSpan(reference.text)} (unknown)`;
      result.push(container ? `${label} ${via(container)}` : label);
    }
  };
  add(item.dependsOn, undefined);
  if (item.kind === 'task') {
    for (const parent of ancestors(item)) add(parent.dependsOn, parent);
    add(item.milestone.dependsOn, item.milestone);
  }
  return result;
}

/** Work that names this item in depends_on, directly or through a parent task or milestone. */
function dependentsOf(model: PlanModel, item: WorkItem): string[] {
  const names = (references: Reference[]) => references.some((reference) => resolveLocalItem(model, reference) === item);
  const result: string[] = [];
  for (const milestone of model.milestones) if (names(milestone.dependsOn)) result.push(itemLabel(milestone));
  for (const task of model.tasks) {
    if (names(task.dependsOn)) {
      result.push(itemLabel(task));
      continue;
    }
    const container = [...ancestors(task), task.milestone].find((candidate) => names(candidate.dependsOn));
    if (container) result.push(`${itemLabel(task)} ${via(container)}`);
  }
  return result;
}

/** Goals the item names, then those it traces to through its parent tasks and milestone. */
function goalsOf(model: PlanModel, item: WorkItem): string[] {
  const seen = new Set<string>();
  const result: string[] = [];
  const add = (references: Reference[], container: WorkItem | undefined) => {
    for (const reference of references) {
      if (seen.has(reference.id)) continue;
      seen.add(reference.id);
      const goal = definitionOf(model, reference);
      const label = goal && !('key' in goal) ? itemLabel(goal) : `${codeSpan(reference.text)} (unknown)`;
      result.push(container ? `${label} ${via(container)}` : label);
    }
  };
  add(item.goals, undefined);
  if (item.kind === 'task') {
    for (const parent of ancestors(item)) add(parent.goals, parent);
    add(item.milestone.goals, item.milestone);
  }
  return result;
}

/** `medium × high` (likelihood × impact); `?` for what is not assessed. */
function riskLevels(analysis: PlanAnalysis, risk: Risk): string {
  const likelihood = fieldText(analysis, risk.fields, 'likelihood');
  const impact = fieldText(analysis, risk.fields, 'impact');
  return `${likelihood ? escapeMarkdown(likelihood) : '?'} × ${impact ? escapeMarkdown(impact) : '?'}`;
}

/** Risks whose affects names the item, or a parent task or milestone of it (marked "via …"). */
function risksOf(analysis: PlanAnalysis, item: WorkItem): string[] {
  const { model } = analysis;
  const containers: WorkItem[] = item.kind === 'task' ? [item, ...ancestors(item), item.milestone] : [item];
  const result: string[] = [];
  for (const risk of model.risks) {
    const affected = risk.affects.map((reference) => resolveLocalItem(model, reference));
    const container = containers.find((candidate) => affected.includes(candidate));
    if (!container) continue;
    const id = risk.id ? codeSpan(risk.id.text) : '*risk without id*';
    const title = risk.title ? `${escapeMarkdown(risk.title.text)}, ` : '';
    result.push(`${id} (${title}${riskLevels(analysis, risk)})${container === item ? '' : ` ${via(container)}`}`);
  }
  return result;
}

// ── goals, risks, people ───────────────────────────────────────────────────

function describeGoal(analysis: PlanAnalysis, goal: Goal): string {
  const { model } = analysis;
  const lines: string[] = [ownerLine(model, goal)];
  const metrics = metricsOf(analysis, goal);
  lines.push(metrics.length > 0 ? `${bullet('Metrics', '')}\n${metrics.map((metric) => `  - ${metric}`).join('\n')}` : bullet('Metrics', '*none*'));
  const tracing = [...model.milestones, ...model.tasks].filter((item) => item.goals.some((reference) => reference.id === goal.id?.text && definitionOf(model, reference) === goal));
  lines.push(bullet('Traced by', listOf(tracing.map((item) => `${item.kind === 'task' && item.parent ? 'subtask' : item.kind} ${itemLabel(item)}`))));
  return `${header('Goal', goal.id?.text, goal.title?.text)}\n\n${lines.join('\n')}`;
}

function metricsOf(analysis: PlanAnalysis, goal: Goal): string[] {
  const node = goal.fields.pairs.get('metrics')?.value as YamlNode | null | undefined;
  if (!node || !isSeq(node)) return [];
  const result: string[] = [];
  for (const entry of node.items) {
    if (!isMap(entry)) continue;
    const name = mapEntryText(analysis, entry, 'name');
    const baseline = mapEntryText(analysis, entry, 'baseline');
    const target = mapEntryText(analysis, entry, 'target');
    const unit = mapEntryText(analysis, entry, 'unit');
    const by = mapEntryText(analysis, entry, 'by');
    const withUnit = (value: string) => `${escapeMarkdown(value)}${unit ? ` ${escapeMarkdown(unit)}` : ''}`;
    let text = name ? escapeMarkdown(name) : '*unnamed metric*';
    if (target !== undefined) text += `: ${baseline !== undefined ? `${withUnit(baseline)} → ` : ''}${withUnit(target)}`;
    else text += `: *no target*${baseline !== undefined ? ` (baseline ${withUnit(baseline)})` : ''}`;
    if (by !== undefined) text += ` by ${dayText(by)}`;
    result.push(text);
  }
  return result;
}

function describeRisk(analysis: PlanAnalysis, risk: Risk): string {
  const { model } = analysis;
  const lines: string[] = [bullet('Likelihood × impact', riskLevels(analysis, risk))];
  lines.push(ownerLine(model, risk));
  lines.push(bullet('Response', risk.response ? escapeMarkdown(risk.response.text) : '*none*'));
  const trigger = fieldText(analysis, risk.fields, 'trigger');
  if (trigger) lines.push(bullet('Trigger', escapeMarkdown(trigger)));
  lines.push(bullet('Status', risk.status ? escapeMarkdown(risk.status.text) : 'open'));
  lines.push(
    bullet(
      'Affects',
      listOf(
        risk.affects.map((reference) => {
          const target = resolveLocalItem(model, reference);
          return target ? itemLabel(target) : codeSpan(reference.text);
        }),
      ),
    ),
  );
  return `${header('Risk', risk.id?.text, risk.title?.text)}\n\n${lines.join('\n')}`;
}

function describePerson(analysis: PlanAnalysis, person: Person): string {
  const { model } = analysis;
  const key = person.key.text;
  const lines: string[] = [];
  if (person.role) lines.push(bullet('Role', escapeMarkdown(person.role.text)));
  lines.push(bullet('Allocation', allocationText(analysis, person)));
  const owns = (entity: Entity) => entity.owner?.text === key || (entity.ownerList?.references.some((reference) => reference.text === key) ?? false);
  lines.push(bullet('Tasks owned', listOf(model.tasks.filter(owns).map(itemLabel))));
  const contributes = model.tasks.filter((task) => task.contributors.some((reference) => reference.text === key));
  if (contributes.length > 0) lines.push(bullet('Contributes to', listOf(contributes.map(itemLabel))));
  const other: string[] = [];
  if (model.header.owner?.text === key || model.header.ownerList?.references.some((reference) => reference.text === key)) other.push('the plan');
  for (const entity of [...model.goals, ...model.milestones, ...model.risks]) if (owns(entity)) other.push(`${entity.kind} ${itemLabel(entity)}`);
  if (other.length > 0) lines.push(bullet('Also owns', listOf(other)));
  return `${header('Person', key, person.name?.text)}\n\n${lines.join('\n')}`;
}

function allocationText(analysis: PlanAnalysis, person: Person): string {
  const raw = fieldText(analysis, person.fields, 'allocation');
  if (raw === undefined) return `${person.allocation}% (dedicated when not given)`;
  if (raw === 'dedicated' || raw === 'shared') return `${raw} (${person.allocation}%)`;
  return `${person.allocation}%`;
}
