// Pure geometry of the timeline: PlanView + zoom + grouping → rows, bars,
// diamonds, arrows, shading, ticks and per-person load, in pixels. The one
// source of the chart's geometry: the webview draws it (client/src/webview/
// render.ts, through ./svg.ts) and `blueprint export --format svg` serialises
// it (./svg.ts).
//
// Why server/src/timeline/: two builds and two tsconfigs use this folder. The
// webview bundle (browser, client/src/webview/tsconfig.json: DOM lib, no Node
// types) and the CLI bundle (Node, the root tsconfig: Node types, no DOM lib)
// both import it, and both tsconfigs compile it: the root one through its
// `server/src/**` include, the webview one by following the imports. So
// neither DOM nor Node APIs can slip in: each would fail one of the two
// type-checks. It sits beside server/src/protocol/ (the PlanView it reads)
// rather than in server/src/service/ (the language service, which the client
// must not import) or in client/src/webview/ (which the root tsconfig
// excludes and the CLI should not reach into).
//
// Kept fast for big plans (test/webview/layout.test.ts measures 5,000 tasks):
// dates are parsed once per distinct string, working days are counted from a
// prefix sum, owners' tasks are bucketed once, loads are summed per change of
// bookings rather than per day and booking.
import type { PlanView, PlanViewMilestone, PlanViewStatus, PlanViewTask } from '../protocol/planView';

export type Zoom = 'day' | 'week' | 'month' | 'quarter';
export type Grouping = 'milestone' | 'owner';

export const ZOOMS: readonly Zoom[] = ['day', 'week', 'month', 'quarter'];
export const GROUPINGS: readonly Grouping[] = ['milestone', 'owner'];

/** Horizontal scale of each zoom level. */
export const PIXELS_PER_DAY: Readonly<Record<Zoom, number>> = { day: 32, week: 12, month: 5, quarter: 2 };

export const ROW_HEIGHT = 28;
export const HEADER_HEIGHT = 40;
export const LABEL_WIDTH = 260;
const BAR_TOP = 5;
const BAR_HEIGHT = 14;
const SUMMARY_TOP = 9;
const SUMMARY_HEIGHT = 8;
const BASELINE_TOP = 21;
const BASELINE_HEIGHT = 4;
const DIAMOND_HALF = 7;
const ARROW_GAP = 6;
const ARROW_HEAD = 5;
const LOAD_PADDING = 4;
const INDENT = 14;
const LABEL_CHAR_WIDTH = 7;
/** The as_of line is drawn when it lies this close to the work; farther away it would only stretch the chart. */
const AS_OF_REACH_DAYS = 92;
/** Behind schedule: progress this many points below the elapsed share of working days (the server's rule). */
const BEHIND_MARGIN = 25;

// ---------------------------------------------------------------- days

/** Days since 1970-01-01 (UTC). */
export type Day = number;
const MS_PER_DAY = 86_400_000;
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const DAY_CACHE_LIMIT = 100_000;
const dayCache = new Map<string, Day | undefined>();

export function parseDay(iso: string | undefined): Day | undefined {
  if (typeof iso !== 'string') return undefined;
  const cached = dayCache.get(iso);
  if (cached !== undefined || dayCache.has(iso)) return cached;
  const day = parseDayUncached(iso);
  if (dayCache.size >= DAY_CACHE_LIMIT) dayCache.clear();
  dayCache.set(iso, day);
  return day;
}

function parseDayUncached(iso: string): Day | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) return undefined;
  const [year, month, date] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const time = Date.UTC(year, month - 1, date);
  const check = new Date(time);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== date) return undefined;
  return time / MS_PER_DAY;
}

const pad2 = (value: number) => (value < 10 ? `0${value}` : String(value));

export function formatDay(day: Day): string {
  const { year, month, date } = ymd(day);
  if (year < 0 || year > 9999) return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
  return `${String(year).padStart(4, '0')}-${pad2(month + 1)}-${pad2(date)}`;
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(day: Day): number {
  return (((day + 4) % 7) + 7) % 7;
}

/** The civil date of a day number (proleptic Gregorian, UTC), without allocating a Date. Month is 0-based. */
function ymd(day: Day): { year: number; month: number; date: number } {
  // Howard Hinnant's days → civil algorithm.
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const date = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 2 : mp - 10;
  const year = yoe + era * 400 + (month <= 1 ? 1 : 0);
  return { year, month, date };
}

function dayOf(year: number, month: number, date = 1): Day {
  return Date.UTC(year, month, date) / MS_PER_DAY;
}

/** The first day of the zoom's major unit on or before `day`. */
function unitStart(zoom: Zoom, day: Day): Day {
  const { year, month } = ymd(day);
  switch (zoom) {
    case 'day':
    case 'week':
      return day - ((weekdayOf(day) + 6) % 7); // Monday
    case 'month':
      return dayOf(year, month);
    case 'quarter':
      return dayOf(year, month - (month % 3));
  }
}

/** The first unit boundary strictly after `day`. */
function unitAfter(zoom: Zoom, day: Day): Day {
  const start = unitStart(zoom, day);
  const { year, month } = ymd(start);
  switch (zoom) {
    case 'day':
    case 'week':
      return start + 7;
    case 'month':
      return dayOf(year, month + 1);
    case 'quarter':
      return dayOf(year, month + 3);
  }
}

export interface WorkCalendar {
  isWorkingDay(day: Day): boolean;
  isHoliday(day: Day): boolean;
  countWorkingDays(from: Day, to: Day): number;
}

/**
 * The plan's working days. With a span, working days inside it are counted
 * from a prefix sum (constant time); outside it, day by day.
 */
export function workCalendar(plan: Pick<PlanView, 'workdays' | 'holidays'>, span?: { origin: Day; until: Day }): WorkCalendar {
  const names = Array.isArray(plan.workdays) && plan.workdays.length > 0 ? plan.workdays : ['mon', 'tue', 'wed', 'thu', 'fri'];
  const workdays = new Set(names.map((name) => WEEKDAYS.indexOf(name as (typeof WEEKDAYS)[number])).filter((index) => index >= 0));
  const holidays = new Set((Array.isArray(plan.holidays) ? plan.holidays : []).map(parseDay).filter((day): day is Day => day !== undefined));
  const isHoliday = (day: Day) => holidays.has(day);
  const isWorkingDay = (day: Day) => workdays.has(weekdayOf(day)) && !holidays.has(day);
  const slowCount = (from: Day, to: Day) => {
    let count = 0;
    for (let day = from; day <= to; day++) if (isWorkingDay(day)) count++;
    return count;
  };
  if (!span || !(span.until > span.origin)) return { isWorkingDay, isHoliday, countWorkingDays: slowCount };
  // before[i]: working days in [origin, origin + i).
  const { origin, until } = span;
  const before = new Int32Array(until - origin + 1);
  for (let day = origin; day < until; day++) before[day - origin + 1] = before[day - origin] + (isWorkingDay(day) ? 1 : 0);
  return {
    isWorkingDay,
    isHoliday,
    countWorkingDays(from, to) {
      if (to < from) return 0;
      let count = 0;
      if (from < origin) count += slowCount(from, Math.min(to, origin - 1));
      if (to >= until) count += slowCount(Math.max(from, until), to);
      const inFrom = Math.max(from, origin);
      const inTo = Math.min(to, until - 1);
      if (inTo >= inFrom) count += before[inTo - origin + 1] - before[inFrom - origin];
      return count;
    },
  };
}

// ---------------------------------------------------------------- the layout's shape

export type RowKind = 'milestone' | 'task' | 'milestones' | 'lane' | 'track';

export interface LayoutRow {
  index: number;
  kind: RowKind;
  /** Stable key (survives re-layouts of the same plan). */
  key: string;
  /** The label drawn in the label column (already shortened to fit), and its full text. */
  label: string;
  fullLabel: string;
  /** 0 for milestones, lanes and the milestones row; 1 for tasks under a milestone; 2 for subtasks… */
  depth: number;
  y: number;
  height: number;
  /** The task or milestone the row stands for (milestone grouping). */
  id?: string;
  /** The person (or owner id) of a lane or track (owner grouping); '' for work without an owner. */
  owner?: string;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Diamond {
  /** Centre. */
  x: number;
  y: number;
  half: number;
  date: string;
}

export type ItemKind = 'task' | 'milestone';

/** A focusable thing on the chart: a task bar, a milestone's summary bar and/or its due diamond. */
export interface LayoutItem {
  id: string;
  kind: ItemKind;
  row: number;
  title?: string;
  owner?: string;
  start: string;
  end: string;
  status: PlanViewStatus;
  progress: number;
  slack?: number;
  /** The bar (absent for a milestone without tasks: only its diamond). */
  bar?: Rect;
  progressWidth: number;
  /** A task with subtasks, or a milestone: drawn as a summary bar. */
  summary: boolean;
  diamond?: Diamond;
  baseline?: Rect & { start: string; end: string };
  critical: boolean;
  overdue: boolean;
  /** Behind schedule, or no slack left, and not done (tasks); computed end after due (milestones). */
  atRisk: boolean;
  behind: boolean;
  done: boolean;
  dropped: boolean;
  blocked: boolean;
  /** Body drag (move the start) is allowed: the start is written in the file. */
  canMove: boolean;
  /** Right-edge drag (move the end) is allowed: the task has a length of its own. */
  canResize: boolean;
  ariaLabel: string;
  /** Tooltip lines. */
  tooltip: string[];
}

export interface Arrow {
  from: string;
  to: string;
  points: [number, number][];
  head: [number, number][];
  critical: boolean;
}

export interface Shade {
  kind: 'weekend' | 'holiday';
  /** First and last day shaded (inclusive). */
  from: string;
  to: string;
  x: number;
  width: number;
}

export interface Tick {
  x: number;
  date: string;
  label: string;
}

export interface LoadSegment {
  from: string;
  to: string;
  x: number;
  width: number;
  y: number;
  height: number;
  load: number;
  over: boolean;
}

export interface LaneLoad {
  owner: string;
  row: number;
  allocation: number;
  /** y of the allocation line. */
  allocationY: number;
  peak: number;
  segments: LoadSegment[];
  /** Working days on which the owner's load exceeds the allocation. */
  overDays: string[];
}

export interface TimelineLayout {
  zoom: Zoom;
  grouping: Grouping;
  pixelsPerDay: number;
  /** First day drawn (x = 0) and the day after the last one. */
  origin: string;
  until: string;
  width: number;
  /** Height of the rows (the axis is drawn above, HEADER_HEIGHT tall). */
  height: number;
  headerHeight: number;
  labelWidth: number;
  rowHeight: number;
  rows: LayoutRow[];
  items: LayoutItem[];
  arrows: Arrow[];
  shading: Shade[];
  ticks: { major: Tick[]; minor: Tick[] };
  asOf?: { x: number; date: string };
  /** The plan's target end (the end of that day). */
  planEnd?: { x: number; date: string };
  lanes: LaneLoad[];
  title: string;
}

export interface LayoutOptions {
  zoom: Zoom;
  grouping: Grouping;
}

// ---------------------------------------------------------------- helpers

const round2 = (value: number) => Math.round(value * 100) / 100;
const isClosed = (status: PlanViewStatus) => status === 'done' || status === 'dropped';
const STATUS_TEXT: Record<PlanViewStatus, string> = { planned: 'planned', 'in-progress': 'in progress', blocked: 'blocked', done: 'done', dropped: 'dropped' };
const clampProgress = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? Math.max(0, Math.min(100, value)) : 0);

export function shorten(text: string, maxChars: number): string {
  const chars = Array.from(text);
  if (chars.length <= maxChars) return text;
  return chars.slice(0, Math.max(1, maxChars - 1)).join('') + '…';
}

function labelFor(text: string, depth: number): { label: string; fullLabel: string } {
  const room = Math.floor((LABEL_WIDTH - 12 - depth * INDENT) / LABEL_CHAR_WIDTH);
  const single = text.replace(/\s+/g, ' ').trim();
  return { label: shorten(single, room), fullLabel: single };
}

function walkTasks(tasks: readonly PlanViewTask[], visit: (task: PlanViewTask, depth: number, parent?: PlanViewTask) => void, depth = 1, parent?: PlanViewTask): void {
  for (const task of Array.isArray(tasks) ? tasks : []) {
    visit(task, depth, parent);
    walkTasks(task.tasks, visit, depth + 1, task);
  }
}

/** True for an id in another plan (`other.plan.yaml#id`): not drawn. */
export function isCrossFile(id: string): boolean {
  return id.includes('#');
}

/** The days the chart spans for a zoom: [origin, until). */
export function chartSpan(plan: PlanView, zoom: Zoom): { origin: Day; until: Day } {
  const days: Day[] = [];
  const add = (iso: string | undefined) => {
    const day = parseDay(iso);
    if (day !== undefined) days.push(day);
  };
  add(plan.start);
  add(plan.end);
  add(plan.computedEnd);
  for (const milestone of plan.milestones ?? []) {
    add(milestone.start);
    add(milestone.end);
    add(milestone.due);
    walkTasks(milestone.tasks, (task) => {
      add(task.start);
      add(task.end);
      add(task.baseline?.start);
      add(task.baseline?.end);
    });
  }
  let first = days.length > 0 ? days.reduce((a, b) => Math.min(a, b)) : (parseDay(plan.asOf) ?? 0);
  let last = days.length > 0 ? days.reduce((a, b) => Math.max(a, b)) : first;
  const asOf = parseDay(plan.asOf);
  if (asOf !== undefined && asOf >= first - AS_OF_REACH_DAYS && asOf <= last + AS_OF_REACH_DAYS) {
    first = Math.min(first, asOf);
    last = Math.max(last, asOf);
  }
  return { origin: unitStart(zoom, first), until: unitAfter(zoom, last) };
}

/** Width of the chart at a zoom (without the label column). */
export function chartWidth(plan: PlanView, zoom: Zoom): number {
  const { origin, until } = chartSpan(plan, zoom);
  return (until - origin) * PIXELS_PER_DAY[zoom];
}

/** The most detailed zoom whose chart fits in `available` pixels (quarter when none does). */
export function fitZoom(plan: PlanView, available: number): Zoom {
  return ZOOMS.find((zoom) => chartWidth(plan, zoom) <= available) ?? 'quarter';
}

// ---------------------------------------------------------------- the layout

export function computeLayout(plan: PlanView, options: LayoutOptions): TimelineLayout {
  const { zoom, grouping } = options;
  const ppd = PIXELS_PER_DAY[zoom];
  const { origin, until } = chartSpan(plan, zoom);
  const calendar = workCalendar(plan, { origin, until });
  const asOf = parseDay(plan.asOf);
  const xOf = (day: Day) => (day - origin) * ppd;
  const milestones = Array.isArray(plan.milestones) ? plan.milestones : [];
  const people = Array.isArray(plan.people) ? plan.people : [];

  const rows: LayoutRow[] = [];
  const items: LayoutItem[] = [];
  const addRow = (kind: RowKind, key: string, text: { label: string; fullLabel: string }, depth: number, id?: string, owner?: string): LayoutRow => {
    const index = rows.length;
    const row: LayoutRow = { index, kind, key, label: text.label, fullLabel: text.fullLabel, depth, y: index * ROW_HEIGHT, height: ROW_HEIGHT };
    if (id !== undefined) row.id = id;
    if (owner !== undefined) row.owner = owner;
    rows.push(row);
    return row;
  };

  const span = (startIso: string, endIso: string, top: number, height: number, rowY: number): Rect | undefined => {
    const start = parseDay(startIso);
    const end = parseDay(endIso);
    if (start === undefined || end === undefined || end < start) return undefined;
    return { x: xOf(start), y: rowY + top, width: (end - start + 1) * ppd, height };
  };

  const taskItem = (task: PlanViewTask, row: LayoutRow): LayoutItem => {
    const status = task.status;
    const closed = isClosed(status);
    const hasSubtasks = Array.isArray(task.tasks) && task.tasks.length > 0;
    const progress = clampProgress(task.progress);
    const start = parseDay(task.start);
    const end = parseDay(task.end);
    const bar = span(task.start, task.end, hasSubtasks ? SUMMARY_TOP : BAR_TOP, hasSubtasks ? SUMMARY_HEIGHT : BAR_HEIGHT, row.y);
    const overdue = !closed && end !== undefined && asOf !== undefined && end < asOf;
    let behind = false;
    if (!closed && typeof task.workingDays === 'number' && start !== undefined && asOf !== undefined) {
      const total = task.workingDays;
      const elapsed = Math.min(total, calendar.countWorkingDays(start, asOf));
      const expected = total > 0 ? (100 * elapsed) / total : 0;
      behind = progress < expected - BEHIND_MARGIN;
    }
    const slack = typeof task.slack === 'number' ? task.slack : 0;
    const atRisk = !closed && (behind || slack <= 0);
    const critical = task.critical === true;
    let baseline: LayoutItem['baseline'];
    if (task.baseline && (task.baseline.start || task.baseline.end)) {
      const baselineStart = task.baseline.start ?? task.start;
      const baselineEnd = task.baseline.end ?? task.end;
      const rect = span(baselineStart, baselineEnd, BASELINE_TOP, BASELINE_HEIGHT, row.y);
      if (rect) baseline = { ...rect, start: baselineStart, end: baselineEnd };
    }

    const flags: string[] = [];
    if (critical) flags.push('critical');
    if (overdue) flags.push('overdue');
    if (behind) flags.push('behind schedule');
    if (!critical && !closed && slack <= 0) flags.push('no slack');
    const name = task.title ? `${task.id}, ${task.title}` : task.id;
    const ariaLabel = [`Task ${name}`, `${task.start} to ${task.end}`, `${STATUS_TEXT[status] ?? status} ${Math.round(progress)}%`, ...flags].join(', ');

    const tooltip = [task.title ? `${task.title} (${task.id})` : task.id];
    tooltip.push(`${task.start} → ${task.end}${typeof task.workingDays === 'number' ? ` · ${task.workingDays} working day${task.workingDays === 1 ? '' : 's'}` : ''}${task.explicitStart ? '' : ' · start computed'}`);
    tooltip.push(`${STATUS_TEXT[status] ?? status}, ${Math.round(progress)}%${task.owner ? ` · owner ${task.owner}` : ' · no owner'}${typeof task.load === 'number' ? ` at ${task.load}%` : ''}`);
    tooltip.push(`slack ${slack} working day${slack === 1 ? '' : 's'}${critical ? ' · critical' : ''}${overdue ? ' · overdue' : ''}${behind ? ' · behind schedule' : ''}`);
    if (baseline) tooltip.push(`baseline ${baseline.start} → ${baseline.end}`);
    if (Array.isArray(task.dependsOn) && task.dependsOn.length > 0) tooltip.push(`depends on ${task.dependsOn.join(', ')}`);

    return {
      id: task.id,
      kind: 'task',
      row: row.index,
      title: task.title,
      owner: task.owner,
      start: task.start,
      end: task.end,
      status,
      progress,
      slack,
      bar,
      progressWidth: bar ? round2((bar.width * progress) / 100) : 0,
      summary: hasSubtasks,
      baseline,
      critical,
      overdue,
      atRisk,
      behind,
      done: status === 'done',
      dropped: status === 'dropped',
      blocked: status === 'blocked',
      // A computed start can be dragged too: the host asks whether to set an explicit start.
      canMove: typeof task.workingDays === 'number' && bar !== undefined,
      canResize: typeof task.workingDays === 'number' && bar !== undefined,
      ariaLabel,
      tooltip,
    };
  };

  const milestoneItem = (milestone: PlanViewMilestone, row: LayoutRow, withBar: boolean): LayoutItem => {
    const status = milestone.status;
    const closed = isClosed(status);
    const progress = clampProgress(milestone.progress);
    const hasTasks = Array.isArray(milestone.tasks) && milestone.tasks.length > 0;
    const bar = withBar && hasTasks ? span(milestone.start, milestone.end, SUMMARY_TOP, SUMMARY_HEIGHT, row.y) : undefined;
    const due = parseDay(milestone.due);
    const end = parseDay(milestone.end);
    const diamond = due !== undefined ? { x: xOf(due) + ppd / 2, y: row.y + ROW_HEIGHT / 2, half: DIAMOND_HALF, date: milestone.due! } : undefined;
    const overdue = !closed && due !== undefined && asOf !== undefined && due < asOf;
    const late = !closed && due !== undefined && end !== undefined && end > due;
    const flags: string[] = [];
    if (overdue) flags.push('overdue');
    if (late) flags.push('ends after its due date');
    const name = milestone.title ? `${milestone.id}, ${milestone.title}` : milestone.id;
    const ariaLabel = [`Milestone ${name}`, `${milestone.start} to ${milestone.end}`, ...(milestone.due ? [`due ${milestone.due}`] : []), `${STATUS_TEXT[status] ?? status} ${Math.round(progress)}%`, ...flags].join(', ');
    const tooltip = [milestone.title ? `${milestone.title} (${milestone.id})` : milestone.id];
    tooltip.push(`${milestone.start} → ${milestone.end}${milestone.due ? ` · due ${milestone.due}` : ''}`);
    tooltip.push(`${STATUS_TEXT[status] ?? status}, ${Math.round(progress)}%${milestone.owner ? ` · owner ${milestone.owner}` : ' · no owner'}`);
    if (overdue || late) tooltip.push(flags.join(' · '));
    if (Array.isArray(milestone.dependsOn) && milestone.dependsOn.length > 0) tooltip.push(`depends on ${milestone.dependsOn.join(', ')}`);
    return {
      id: milestone.id,
      kind: 'milestone',
      row: row.index,
      title: milestone.title,
      owner: milestone.owner,
      start: milestone.start,
      end: milestone.end,
      status,
      progress,
      bar,
      progressWidth: bar ? round2((bar.width * progress) / 100) : 0,
      summary: true,
      diamond,
      critical: false,
      overdue,
      atRisk: late,
      behind: false,
      done: status === 'done',
      dropped: status === 'dropped',
      blocked: status === 'blocked',
      canMove: false,
      canResize: false,
      ariaLabel,
      tooltip,
    };
  };

  const lanes: LaneLoad[] = [];

  if (grouping === 'milestone') {
    for (const milestone of milestones) {
      const row = addRow('milestone', `milestone:${milestone.id}`, labelFor(milestone.title ?? milestone.id, 0), 0, milestone.id);
      const item = milestoneItem(milestone, row, true);
      if (item.bar || item.diamond) items.push(item);
      walkTasks(milestone.tasks, (task, depth) => {
        const taskRow = addRow('task', `task:${task.id}`, labelFor(task.title ?? task.id, depth), depth, task.id);
        items.push(taskItem(task, taskRow));
      });
    }
  } else {
    const withDue = milestones.filter((milestone) => parseDay(milestone.due) !== undefined);
    if (withDue.length > 0) {
      const row = addRow('milestones', 'milestones', labelFor('Milestones', 0), 0);
      for (const milestone of withDue) items.push(milestoneItem(milestone, row, false));
    }
    // Lanes: people in the plan's order, then owners the plan does not list, then work with no owner.
    const tasks: PlanViewTask[] = [];
    for (const milestone of milestones) walkTasks(milestone.tasks, (task) => tasks.push(task));
    // Each owner's tasks, bucketed once (in plan order).
    const byOwner = new Map<string, PlanViewTask[]>();
    for (const person of people) if (!byOwner.has(person.id)) byOwner.set(person.id, []);
    const unlisted: string[] = [];
    for (const task of tasks) {
      const owner = task.owner ?? '';
      let bucket = byOwner.get(owner);
      if (!bucket) {
        byOwner.set(owner, (bucket = []));
        if (owner !== '') unlisted.push(owner);
      }
      bucket.push(task);
    }
    const owners: string[] = [...new Set(people.map((person) => person.id)), ...unlisted];
    if (byOwner.get('')?.length) owners.push('');
    const personById = new Map<string, (typeof people)[number]>();
    for (const person of people) if (!personById.has(person.id)) personById.set(person.id, person);
    for (const owner of owners) {
      const person = personById.get(owner);
      const name = owner === '' ? '(no owner)' : (person?.name ?? owner);
      const laneLabel = person ? `${name} · ${person.allocation}%` : name;
      const laneRow = addRow('lane', `lane:${owner}`, labelFor(laneLabel, 0), 0, undefined, owner);
      // Pack the owner's tasks into tracks so that bars never overlap.
      const mine = (byOwner.get(owner) ?? [])
        .map((task, order) => ({ task, order, start: parseDay(task.start), end: parseDay(task.end) }))
        .sort((a, b) => (a.start ?? 0) - (b.start ?? 0) || (a.end ?? 0) - (b.end ?? 0) || a.order - b.order);
      const trackEnds: Day[] = [];
      const placed: { task: PlanViewTask; track: number }[] = [];
      for (const entry of mine) {
        const start = entry.start ?? 0;
        let track = trackEnds.findIndex((end) => end < start);
        if (track < 0) {
          track = trackEnds.length;
          trackEnds.push(entry.end ?? start);
        } else trackEnds[track] = entry.end ?? start;
        placed.push({ task: entry.task, track });
      }
      const trackRows = trackEnds.map((_, track) => addRow('track', `track:${owner}:${track}`, { label: '', fullLabel: '' }, 1, undefined, owner));
      for (const { task, track } of placed) items.push(taskItem(task, trackRows[track]));

      if (person) lanes.push(laneLoad(person.id, person.allocation, laneRow, mine.map((entry) => entry.task)));
    }
  }

  function laneLoad(owner: string, allocation: number, row: LayoutRow, tasks: PlanViewTask[]): LaneLoad {
    const bookings = tasks
      .filter((task) => (!Array.isArray(task.tasks) || task.tasks.length === 0) && !isClosed(task.status))
      .map((task) => ({ start: parseDay(task.start), end: parseDay(task.end), load: typeof task.load === 'number' ? task.load : allocation }))
      .filter((booking): booking is { start: Day; end: Day; load: number } => booking.start !== undefined && booking.end !== undefined && booking.end >= booking.start);
    // The load only changes where a booking starts or the day after one ends: sum the bookings
    // there (in plan order, as a per-day sum would), then walk the working days of the chart.
    const changes = [...new Set(bookings.flatMap((booking) => [booking.start, booking.end + 1]))].filter((day) => day < until).sort((a, b) => a - b);
    const loadFrom = changes.map((day) => bookings.reduce((sum, booking) => (booking.start <= day && day <= booking.end ? sum + booking.load : sum), 0));
    const daily: { day: Day; load: number }[] = [];
    let change = -1;
    const first = changes.length > 0 ? Math.max(origin, changes[0]) : until;
    for (let day = first; day < until; day++) {
      while (change + 1 < changes.length && changes[change + 1] <= day) change++;
      const load = change >= 0 ? loadFrom[change] : 0;
      if (load > 0 && calendar.isWorkingDay(day)) daily.push({ day, load });
    }
    const peak = daily.reduce((max, entry) => Math.max(max, entry.load), 0);
    const scale = Math.max(allocation, peak, 1);
    const inner = ROW_HEIGHT - 2 * LOAD_PADDING;
    const bottom = row.y + ROW_HEIGHT - LOAD_PADDING;
    const segments: LoadSegment[] = [];
    let lastDay = Number.NaN;
    for (const entry of daily) {
      const last = segments[segments.length - 1];
      if (last && last.load === entry.load && lastDay + 1 === entry.day) {
        last.width += ppd;
        lastDay = entry.day;
        continue;
      }
      if (last) last.to = formatDay(lastDay);
      const height = round2((inner * entry.load) / scale);
      segments.push({ from: formatDay(entry.day), to: '', x: xOf(entry.day), width: ppd, y: round2(bottom - height), height, load: entry.load, over: entry.load > allocation + 1e-9 });
      lastDay = entry.day;
    }
    if (segments.length > 0) segments[segments.length - 1].to = formatDay(lastDay);
    return {
      owner,
      row: row.index,
      allocation,
      allocationY: round2(bottom - (inner * allocation) / scale),
      peak,
      segments,
      overDays: daily.filter((entry) => entry.load > allocation + 1e-9).map((entry) => formatDay(entry.day)),
    };
  }

  // Dependency arrows: from the end of each dependency's bar to the start of the dependent's.
  const byId = new Map<string, LayoutItem>();
  for (const item of items) if (!byId.has(item.id) && (grouping === 'milestone' || item.kind === 'task')) byId.set(item.id, item);
  const arrows: Arrow[] = [];
  const dependents: { id: string; dependsOn: string[] }[] = [];
  for (const milestone of milestones) {
    dependents.push({ id: milestone.id, dependsOn: milestone.dependsOn });
    walkTasks(milestone.tasks, (task) => dependents.push({ id: task.id, dependsOn: task.dependsOn }));
  }
  for (const { id, dependsOn } of dependents) {
    const target = byId.get(id);
    if (!target || !Array.isArray(dependsOn)) continue;
    for (const dependency of dependsOn) {
      if (typeof dependency !== 'string' || isCrossFile(dependency)) continue;
      const source = byId.get(dependency);
      if (!source || source === target) continue;
      const from = anchorOf(source, 'end');
      const to = anchorOf(target, 'start');
      if (!from || !to) continue;
      arrows.push({ from: source.id, to: target.id, ...arrowPath(from, to, rows[target.row]), critical: source.critical && target.critical });
    }
  }

  // Non-working days, merged into runs of the same kind.
  const shading: Shade[] = [];
  let shadeEnd = Number.NaN;
  for (let day = origin; day < until; day++) {
    if (calendar.isWorkingDay(day)) continue;
    const kind = calendar.isHoliday(day) ? 'holiday' : 'weekend';
    const last = shading[shading.length - 1];
    if (last && last.kind === kind && shadeEnd + 1 === day) last.width += ppd;
    else {
      if (last) last.to = formatDay(shadeEnd);
      shading.push({ kind, from: formatDay(day), to: '', x: xOf(day), width: ppd });
    }
    shadeEnd = day;
  }
  if (shading.length > 0) shading[shading.length - 1].to = formatDay(shadeEnd);

  const planEndDay = parseDay(plan.end);
  return {
    zoom,
    grouping,
    pixelsPerDay: ppd,
    origin: formatDay(origin),
    until: formatDay(until),
    width: (until - origin) * ppd,
    height: rows.length * ROW_HEIGHT,
    headerHeight: HEADER_HEIGHT,
    labelWidth: LABEL_WIDTH,
    rowHeight: ROW_HEIGHT,
    rows,
    items,
    arrows,
    shading,
    ticks: ticksFor(zoom, origin, until, ppd),
    asOf: asOf !== undefined && asOf >= origin && asOf < until ? { x: xOf(asOf + 1), date: formatDay(asOf) } : undefined,
    planEnd: planEndDay !== undefined && planEndDay >= origin && planEndDay < until ? { x: xOf(planEndDay + 1), date: formatDay(planEndDay) } : undefined,
    lanes,
    title: typeof plan.title === 'string' ? plan.title : '',
  };
}

function anchorOf(item: LayoutItem, side: 'start' | 'end'): [number, number] | undefined {
  if (item.bar) return [side === 'start' ? item.bar.x : item.bar.x + item.bar.width, item.bar.y + item.bar.height / 2];
  if (item.diamond) return [side === 'start' ? item.diamond.x - item.diamond.half : item.diamond.x + item.diamond.half, item.diamond.y];
  return undefined;
}

/** An elbow path that always enters the target from the left. */
function arrowPath(from: [number, number], to: [number, number], targetRow: LayoutRow): { points: [number, number][]; head: [number, number][] } {
  const [sx, sy] = from;
  const [tx, ty] = to;
  let points: [number, number][];
  if (tx - sx >= 2 * ARROW_GAP) {
    points = [[sx, sy], [sx + ARROW_GAP, sy], [sx + ARROW_GAP, ty], [tx, ty]];
  } else {
    // Not enough room: go around, between the rows, and come in from the left.
    const between = ty >= sy ? targetRow.y : targetRow.y + targetRow.height;
    points = [[sx, sy], [sx + ARROW_GAP, sy], [sx + ARROW_GAP, between], [tx - ARROW_GAP, between], [tx - ARROW_GAP, ty], [tx, ty]];
  }
  for (const point of points) {
    point[0] = round2(point[0]);
    point[1] = round2(point[1]);
  }
  const head: [number, number][] = [
    [round2(tx), round2(ty)],
    [round2(tx - ARROW_HEAD), round2(ty - ARROW_HEAD * 0.7)],
    [round2(tx - ARROW_HEAD), round2(ty + ARROW_HEAD * 0.7)],
  ];
  return { points, head };
}

/** Two rows of ticks: major (months, or years) and minor (days, weeks, months or quarters). */
function ticksFor(zoom: Zoom, origin: Day, until: Day, ppd: number): { major: Tick[]; minor: Tick[] } {
  const major: Tick[] = [];
  const minor: Tick[] = [];
  const tick = (list: Tick[], day: Day, label: string) => list.push({ x: (day - origin) * ppd, date: formatDay(day), label });
  // Major: months for day and week zoom, years for month and quarter zoom (the first one at the origin).
  if (zoom === 'day' || zoom === 'week') {
    let { year, month } = ymd(origin);
    tick(major, origin, `${MONTHS[month]} ${year}`);
    for (let day = dayOf(year, month + 1); day < until; day = dayOf(year, month + 1)) {
      ({ year, month } = ymd(day));
      tick(major, day, `${MONTHS[month]} ${year}`);
    }
  } else {
    let { year } = ymd(origin);
    tick(major, origin, String(year));
    for (let day = dayOf(year + 1, 0); day < until; day = dayOf(year + 1, 0)) {
      year = ymd(day).year;
      tick(major, day, String(year));
    }
  }
  switch (zoom) {
    case 'day':
      for (let day = origin; day < until; day++) tick(minor, day, String(ymd(day).date));
      break;
    case 'week':
      for (let day = origin; day < until; day += 7) tick(minor, day, String(ymd(day).date));
      break;
    case 'month':
      for (let day = origin; day < until; day = dayOf(ymd(day).year, ymd(day).month + 1)) tick(minor, day, MONTHS[ymd(day).month]);
      break;
    case 'quarter':
      for (let day = origin; day < until; day = dayOf(ymd(day).year, ymd(day).month + 3)) tick(minor, day, `Q${Math.floor(ymd(day).month / 3) + 1}`);
      break;
  }
  return { major, minor };
}

/** The day under an x (for drag snapping and keeping the centre on zoom). */
export function dayAt(layout: Pick<TimelineLayout, 'origin' | 'pixelsPerDay'>, x: number): string {
  return formatDay(parseDay(layout.origin)! + Math.floor(x / layout.pixelsPerDay));
}

/** The x of the start of a day. */
export function xOfDay(layout: Pick<TimelineLayout, 'origin' | 'pixelsPerDay'>, iso: string): number | undefined {
  const day = parseDay(iso);
  return day === undefined ? undefined : (day - parseDay(layout.origin)!) * layout.pixelsPerDay;
}

/** Shifts an ISO date by whole days. */
export function addDays(iso: string, days: number): string | undefined {
  const day = parseDay(iso);
  return day === undefined ? undefined : formatDay(day + days);
}
