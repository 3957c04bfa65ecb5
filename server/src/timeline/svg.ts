// The timeline as SVG, without a DOM: what to draw for a TimelineLayout, as a
// small tree of plain nodes (element name, attributes, text, children), and a
// serialiser of that tree to a standalone SVG document.
//
// Two consumers, one drawing:
// - the webview (client/src/webview/render.ts) turns the nodes of the rows,
//   items and arrows near the viewport into DOM elements (plan strings go in
//   through textContent and setAttribute, never as markup) and styles them
//   with its stylesheet (the classes below, VS Code theme variables);
// - `timelineSvg` draws every row into one document with concrete colours
//   from a palette (a fixed light one for `blueprint export --format svg`,
//   the current theme's for the webview's SVG and PNG export), every plan
//   string XML-escaped.
// See layout.ts for why this folder is shared by both builds.
import type { Arrow, LaneLoad, LayoutItem, LayoutRow, Rect, Shade, Tick, TimelineLayout } from './layout';

export type SvgAttributes = Record<string, string | number | undefined>;

export interface SvgNode {
  name: string;
  attributes: SvgAttributes;
  children: SvgNode[];
  /** Text content (plan strings: escaped by the serialiser, set as textContent by the webview). */
  text?: string;
}

export const SVG_NAMESPACE = 'http://www.w3.org/2000/svg';

export function svgNode(name: string, attributes: SvgAttributes = {}, className?: string, children: SvgNode[] = [], text?: string): SvgNode {
  const all: SvgAttributes = className ? { ...attributes, class: className } : attributes;
  return text === undefined ? { name, attributes: all, children } : { name, attributes: all, children, text };
}

const titleNode = (content: string) => svgNode('title', {}, undefined, [], content);
const textNode = (content: string, attributes: SvgAttributes, className: string) => svgNode('text', attributes, className, [], content);
const pointsToPath = (points: readonly (readonly [number, number])[]) => points.map(([x, y], index) => `${index === 0 ? 'M' : 'L'}${x} ${y}`).join(' ');

/** A horizontal range of the chart, in chart pixels (the whole chart when omitted). */
export interface XRange {
  left: number;
  right: number;
}

const ALL_X: XRange = { left: -Infinity, right: Infinity };
/** Tick labels are drawn right of their tick: a tick this far left of a range may still show its label in it. */
const TICK_LABEL_REACH = 120;

/** Indexes [from, to) of the entries of a list sorted by x whose [x, x + width] meets [left, right]. */
export function sliceByX<T extends { x: number; width?: number }>(list: readonly T[], left: number, right: number): [number, number] {
  // First entry whose right edge reaches `left` (entries are sorted by x and do not nest in a way that matters here).
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (list[middle].x + (list[middle].width ?? 0) < left) low = middle + 1;
    else high = middle;
  }
  const from = low;
  high = list.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (list[middle].x <= right) low = middle + 1;
    else high = middle;
  }
  return [from, low];
}

function ticksIn(ticks: readonly Tick[], range: XRange, reach: number): Tick[] {
  const [from, to] = sliceByX(ticks, range.left - reach, range.right);
  return ticks.slice(from, to);
}

// ---------------------------------------------------------------- axis and corner

/** The ticks and their labels under the axis, for a horizontal range. */
export function axisTicks(layout: TimelineLayout, range: XRange = ALL_X): SvgNode[] {
  const nodes: SvgNode[] = [];
  const half = layout.headerHeight / 2;
  for (const tick of ticksIn(layout.ticks.major, range, TICK_LABEL_REACH)) {
    nodes.push(svgNode('line', { x1: tick.x, y1: 0, x2: tick.x, y2: layout.headerHeight }, 'tick-major'));
    nodes.push(textNode(tick.label, { x: tick.x + 4, y: half - 6 }, 'tick-label major'));
  }
  const minor = layout.ticks.minor;
  const spacing = minor.length > 1 ? minor[1].x - minor[0].x : layout.width;
  for (const tick of ticksIn(minor, range, Math.max(spacing, 40))) {
    nodes.push(svgNode('line', { x1: tick.x, y1: half, x2: tick.x, y2: layout.headerHeight }, 'tick-minor'));
    if (spacing >= 18) nodes.push(textNode(tick.label, { x: tick.x + (layout.zoom === 'day' ? spacing / 2 : 3), y: layout.headerHeight - 6, 'text-anchor': layout.zoom === 'day' ? 'middle' : undefined }, 'tick-label minor'));
  }
  return nodes;
}

export function axisBackground(layout: TimelineLayout): SvgNode {
  return svgNode('rect', { x: 0, y: 0, width: layout.width, height: layout.headerHeight }, 'axis-bg');
}

export function axisRule(layout: TimelineLayout): SvgNode {
  return svgNode('line', { x1: 0, y1: layout.headerHeight - 0.5, x2: layout.width, y2: layout.headerHeight - 0.5 }, 'axis-rule');
}

export function asOfMarker(layout: TimelineLayout): SvgNode | undefined {
  if (!layout.asOf) return undefined;
  const { x } = layout.asOf;
  const h = layout.headerHeight;
  return svgNode('path', { d: `M${x - 5} ${h - 7} L${x + 5} ${h - 7} L${x} ${h} Z` }, 'as-of-marker', [titleNode(`as of ${layout.asOf.date}`)]);
}

/** The time axis: month/year ticks above, day/week/month/quarter ticks below. */
export function axisLayer(layout: TimelineLayout, range: XRange = ALL_X): SvgNode {
  const marker = asOfMarker(layout);
  return svgNode('g', {}, 'axis-layer', [axisBackground(layout), ...axisTicks(layout, range), ...(marker ? [marker] : []), axisRule(layout)]);
}

export function cornerLayer(layout: TimelineLayout): SvgNode {
  return svgNode('g', {}, 'corner-layer', [
    svgNode('rect', { x: 0, y: 0, width: layout.labelWidth, height: layout.headerHeight }, 'axis-bg'),
    textNode(layout.title, { x: 8, y: layout.headerHeight / 2 + 4 }, 'plan-title'),
    svgNode('line', { x1: 0, y1: layout.headerHeight - 0.5, x2: layout.labelWidth, y2: layout.headerHeight - 0.5 }, 'axis-rule'),
  ]);
}

// ---------------------------------------------------------------- the label column

export function labelsBackground(layout: TimelineLayout): SvgNode {
  return svgNode('rect', { x: 0, y: 0, width: layout.labelWidth, height: Math.max(layout.height, 1) }, 'labels-bg');
}

export function labelsRule(layout: TimelineLayout): SvgNode {
  return svgNode('line', { x1: layout.labelWidth - 0.5, y1: 0, x2: layout.labelWidth - 0.5, y2: layout.height }, 'labels-rule');
}

/** One row of the label column: its background and its (possibly shortened) label. */
export function labelRow(layout: TimelineLayout, row: LayoutRow): SvgNode[] {
  const nodes = [svgNode('rect', { x: 0, y: row.y, width: layout.labelWidth, height: row.height }, `row-bg row-${row.kind}`)];
  if (!row.label) return nodes;
  const label = textNode(row.label, { x: 8 + row.depth * 14, y: row.y + row.height / 2 + 4 }, `row-label row-label-${row.kind}`);
  // Shortened: the whole label is the tooltip.
  nodes.push(row.label === row.fullLabel ? label : svgNode('g', {}, 'row-label-group', [titleNode(row.fullLabel), label]));
  return nodes;
}

/** The label column: milestone, task and lane names. */
export function labelsLayer(layout: TimelineLayout): SvgNode {
  return svgNode('g', {}, 'labels-layer', [labelsBackground(layout), ...layout.rows.flatMap((row) => labelRow(layout, row)), labelsRule(layout)]);
}

// ---------------------------------------------------------------- the chart

export function chartBackground(layout: TimelineLayout): SvgNode {
  return svgNode('rect', { x: 0, y: 0, width: layout.width, height: Math.max(layout.height, 1) }, 'chart-bg');
}

export function rowBackground(layout: TimelineLayout, row: LayoutRow): SvgNode {
  return svgNode('rect', { x: 0, y: row.y, width: layout.width, height: row.height }, `row-bg row-${row.kind}`);
}

/** A vertical extent of the chart, in chart pixels. */
export interface YRange {
  top: number;
  bottom: number;
}

const fullHeight = (layout: TimelineLayout): YRange => ({ top: 0, bottom: Math.max(layout.height, 1) });

/** Weekends and holidays in a horizontal range, from `top` to `bottom`. */
export function shadingNodes(layout: TimelineLayout, range: XRange = ALL_X, rows: YRange = fullHeight(layout)): SvgNode[] {
  const [from, to] = sliceByX(layout.shading, range.left, range.right);
  const nodes: SvgNode[] = [];
  for (let index = from; index < to; index++) {
    const shade: Shade = layout.shading[index];
    const rect = svgNode('rect', { x: shade.x, y: rows.top, width: shade.width, height: rows.bottom - rows.top }, `shade shade-${shade.kind}`);
    if (shade.kind === 'holiday') rect.children.push(titleNode(shade.from === shade.to ? `holiday ${shade.from}` : `holidays ${shade.from} to ${shade.to}`));
    nodes.push(rect);
  }
  return nodes;
}

/** Grid lines (major ticks; minor ones too above day zoom) and the plan's end, in a horizontal range. */
export function gridNodes(layout: TimelineLayout, range: XRange = ALL_X, rows: YRange = fullHeight(layout)): SvgNode[] {
  const nodes: SvgNode[] = [];
  const line = (x: number, className: string) => svgNode('line', { x1: x, y1: rows.top, x2: x, y2: rows.bottom }, className);
  for (const tick of ticksIn(layout.ticks.major, range, 0)) nodes.push(line(tick.x, 'grid-major'));
  if (layout.zoom !== 'day') for (const tick of ticksIn(layout.ticks.minor, range, 0)) nodes.push(line(tick.x, 'grid-minor'));
  if (layout.planEnd && layout.planEnd.x >= range.left && layout.planEnd.x <= range.right) {
    const end = line(layout.planEnd.x, 'plan-end-line');
    end.children.push(titleNode(`plan end ${layout.planEnd.date}`));
    nodes.push(end);
  }
  return nodes;
}

export function asOfLine(layout: TimelineLayout, rows: YRange = fullHeight(layout)): SvgNode | undefined {
  if (!layout.asOf) return undefined;
  return svgNode('line', { x1: layout.asOf.x, y1: rows.top, x2: layout.asOf.x, y2: rows.bottom }, 'as-of-line', [titleNode(`as of ${layout.asOf.date}`)]);
}

/** A person's daily load in their lane (segments in a horizontal range), the allocation line and the over-allocation mark. */
export function laneLoadNodes(layout: TimelineLayout, lane: LaneLoad, range: XRange = ALL_X): SvgNode[] {
  const nodes: SvgNode[] = [];
  const row = layout.rows[lane.row];
  const [from, to] = sliceByX(lane.segments, range.left, range.right);
  for (let index = from; index < to; index++) {
    const segment = lane.segments[index];
    const tip = `${lane.owner}: ${segment.load}% of ${lane.allocation}% ${segment.from === segment.to ? `on ${segment.from}` : `from ${segment.from} to ${segment.to}`}${segment.over ? ' (over-allocated)' : ''}`;
    nodes.push(svgNode('rect', { x: segment.x, y: segment.y, width: segment.width, height: segment.height }, segment.over ? 'load load-over' : 'load', [titleNode(tip)]));
  }
  nodes.push(svgNode('line', { x1: Math.max(0, range.left), y1: lane.allocationY, x2: Math.min(layout.width, range.right), y2: lane.allocationY }, 'allocation-line'));
  if (lane.overDays.length > 0) {
    const summary = `${lane.owner} is over-allocated on ${lane.overDays.length} working day${lane.overDays.length === 1 ? '' : 's'}`;
    nodes.push(svgNode('g', { role: 'img', 'aria-label': summary }, 'overload-summary', [titleNode(summary), svgNode('rect', { x: 0, y: row.y, width: 3, height: row.height }, 'load-over')]));
  }
  return nodes;
}

export function baselineNode(item: LayoutItem): SvgNode | undefined {
  if (!item.baseline) return undefined;
  const { x, y, width, height, start, end } = item.baseline;
  return svgNode('rect', { x, y, width, height, rx: 1 }, 'baseline', [titleNode(`${item.id} baseline ${start} → ${end}`)]);
}

/** A dependency arrow: its line and its head (two elements, no group: big plans draw many). In the webview the line names its ends (data-from, data-to). */
export function arrowNodes(arrow: Arrow, interactive = false): [SvgNode, SvgNode] {
  const critical = arrow.critical ? ' critical' : '';
  return [
    svgNode('path', interactive ? { d: pointsToPath(arrow.points), 'data-from': arrow.from, 'data-to': arrow.to } : { d: pointsToPath(arrow.points) }, `arrow-line${critical}`),
    svgNode('path', { d: `${pointsToPath(arrow.head)} Z` }, `arrow-head${critical}`),
  ];
}

export function itemClasses(item: LayoutItem): string {
  const classes = ['item', `item-${item.kind}`, `status-${item.status}`];
  if (item.summary) classes.push('summary');
  if (item.critical) classes.push('critical');
  if (item.overdue) classes.push('overdue');
  if (item.atRisk) classes.push('at-risk');
  if (item.done) classes.push('done');
  if (item.dropped) classes.push('dropped');
  if (item.blocked) classes.push('blocked');
  if (item.canMove) classes.push('can-move');
  if (item.canResize) classes.push('can-resize');
  return classes.join(' ');
}

/** The grip at a bar's right end (narrow bars keep most of their body for moving). */
export function handleWidth(barWidth: number): number {
  return Math.min(6, Math.max(2, barWidth / 3));
}

/** The box a keyboard focus ring surrounds: the bar, or the diamond. */
export function itemBox(item: LayoutItem): Rect | undefined {
  if (item.bar) return item.bar;
  if (item.diamond) return { x: item.diamond.x - item.diamond.half, y: item.diamond.y - item.diamond.half, width: 2 * item.diamond.half, height: 2 * item.diamond.half };
  return undefined;
}

/** The keyboard focus ring around an item (the webview adds it to the tab stop and the highlighted item). */
export function focusRingNode(item: LayoutItem): SvgNode | undefined {
  const box = itemBox(item);
  return box ? svgNode('rect', { x: box.x - 3, y: box.y - 3, width: box.width + 6, height: box.height + 6, rx: 4 }, 'focus-ring') : undefined;
}

/**
 * A task bar or a milestone (summary bar and/or diamond), with its tooltip.
 * Interactive (the webview): a focusable button with an aria label, the
 * task's id and, when the end can be dragged, a grip. The progress fill is
 * left out when there is no progress.
 */
export function itemNode(item: LayoutItem, interactive: boolean): SvgNode {
  const attributes: SvgAttributes = interactive ? { tabindex: -1, role: 'button', 'aria-label': item.ariaLabel, 'data-id': item.id } : {};
  const group = svgNode('g', attributes, itemClasses(item), [titleNode(item.tooltip.join('\n'))]);
  if (item.bar) {
    const { x, y, width, height } = item.bar;
    const rx = item.summary ? 1 : 3;
    group.children.push(svgNode('rect', { x, y, width, height, rx }, 'bar-track'));
    if (item.progressWidth > 0) group.children.push(svgNode('rect', { x, y, width: item.progressWidth, height, rx }, 'bar-progress'));
    if (interactive && item.canResize) {
      const handle = handleWidth(width);
      group.children.push(svgNode('rect', { x: x + width - handle, y, width: handle, height }, 'bar-handle'));
    }
  }
  if (item.diamond) {
    const { x, y, half } = item.diamond;
    group.children.push(svgNode('path', { d: `M${x} ${y - half} L${x + half} ${y} L${x} ${y + half} L${x - half} ${y} Z` }, 'diamond'));
  }
  return group;
}

/** The chart's layers, bottom to top, empty: the webview fills them with what is near the viewport. */
export function chartLayers(label: string): Record<'rows' | 'shading' | 'grid' | 'loads' | 'baselines' | 'arrows' | 'items' | 'asOf', SvgNode> {
  return {
    rows: svgNode('g', {}, 'rows'),
    shading: svgNode('g', { 'aria-hidden': 'true' }, 'shading'),
    grid: svgNode('g', { 'aria-hidden': 'true' }, 'grid'),
    loads: svgNode('g', {}, 'loads'),
    baselines: svgNode('g', { 'aria-hidden': 'true' }, 'baselines'),
    arrows: svgNode('g', { 'aria-hidden': 'true' }, 'arrows'),
    items: svgNode('g', { role: 'list', 'aria-label': label }, 'items'),
    asOf: svgNode('g', {}, 'as-of'),
  };
}

export const ITEMS_LABEL = 'Milestones and tasks';

/** The whole chart (every row): bars, diamonds, arrows, shading and load. */
export function chartLayer(layout: TimelineLayout): SvgNode {
  const layers = chartLayers(ITEMS_LABEL);
  layers.rows.children = layout.rows.map((row) => rowBackground(layout, row));
  layers.shading.children = shadingNodes(layout);
  layers.grid.children = gridNodes(layout);
  layers.loads.children = layout.lanes.flatMap((lane) => laneLoadNodes(layout, lane));
  layers.baselines.children = layout.items.map(baselineNode).filter((node): node is SvgNode => node !== undefined);
  layers.arrows.children = layout.arrows.flatMap((arrow) => arrowNodes(arrow));
  layers.items.children = layout.items.map((item) => itemNode(item, false));
  const line = asOfLine(layout);
  if (line) layers.asOf.children = [line];
  return svgNode('g', {}, 'chart-layer', [chartBackground(layout), ...Object.values(layers)]);
}

// ---------------------------------------------------------------- colours

/** Concrete colours for a standalone SVG (outside VS Code there are no theme variables). */
export interface TimelinePalette {
  background: string;
  foreground: string;
  muted: string;
  rule: string;
  shade: string;
  holiday: string;
  bar: string;
  critical: string;
  overdue: string;
  risk: string;
  done: string;
  blocked: string;
  milestone: string;
  asOf: string;
  /** High-contrast themes outline bars; 'none' or 'transparent' otherwise. */
  contrast: string;
  fontFamily: string;
}

/** The fixed light palette of `blueprint export --format svg` (close to VS Code's Light Modern theme). */
export const LIGHT_PALETTE: Readonly<TimelinePalette> = {
  background: '#ffffff',
  foreground: '#3b3b3b',
  muted: '#767676',
  rule: '#d4d4d4',
  shade: '#eeeeee',
  holiday: '#bf8803',
  bar: '#1a85ff',
  critical: '#e51400',
  overdue: '#e51400',
  risk: '#d18616',
  done: '#388a34',
  blocked: '#652d90',
  milestone: '#652d90',
  asOf: '#005fb8',
  contrast: 'none',
  fontFamily: "system-ui, -apple-system, 'Segoe UI', Ubuntu, sans-serif",
};

/**
 * Presentation attributes for a node, from its classes and those of the item
 * around it: the same looks as the webview's timeline.css, with the palette's
 * colours instead of theme variables.
 */
function paintOf(node: SvgNode, palette: TimelinePalette, context: ReadonlySet<string>): SvgAttributes | undefined {
  const className = node.attributes.class;
  const classes = new Set(typeof className === 'string' ? className.split(' ') : []);
  const has = (name: string) => classes.has(name);
  const p = palette;
  if (node.name === 'text') {
    const minor = has('minor');
    const bold = has('plan-title') || has('major') || has('row-label-milestone') || has('row-label-lane');
    return { 'font-family': p.fontFamily, 'font-size': minor ? 11 : 12, 'font-weight': bold ? 600 : undefined, fill: minor ? p.muted : p.foreground };
  }
  if (has('axis-bg') || has('labels-bg') || has('chart-bg') || has('export-bg')) return { fill: p.background };
  if (has('axis-rule') || has('labels-rule') || has('tick-major') || has('grid-major')) return { stroke: p.rule, 'stroke-width': 1 };
  if (has('tick-minor')) return { stroke: p.rule, 'stroke-width': 1, opacity: 0.6 };
  if (has('grid-minor')) return { stroke: p.rule, 'stroke-width': 1, 'stroke-opacity': 0.35 };
  if (has('row-bg')) {
    const heading = has('row-milestone') || has('row-lane') || has('row-milestones');
    return { fill: heading ? p.shade : 'none', 'fill-opacity': heading ? 0.5 : undefined, stroke: p.rule, 'stroke-opacity': 0.35, 'stroke-width': 0.5 };
  }
  if (has('shade-weekend')) return { fill: p.shade };
  if (has('shade-holiday')) return { fill: p.holiday, 'fill-opacity': 0.15 };
  if (has('plan-end-line')) return { stroke: p.muted, 'stroke-width': 1, 'stroke-dasharray': '2 3' };
  if (has('as-of-line')) return { stroke: p.asOf, 'stroke-width': 2, 'stroke-dasharray': '4 3' };
  if (has('as-of-marker')) return { fill: p.asOf };
  if (has('baseline')) return { fill: p.muted, 'fill-opacity': 0.6 };
  if (has('arrow-line')) return { fill: 'none', stroke: has('critical') ? p.critical : p.muted, 'stroke-width': 1 };
  if (has('arrow-head')) return { fill: has('critical') ? p.critical : p.muted };
  if (has('load-over')) return { fill: p.overdue, 'fill-opacity': 0.85 };
  if (has('load')) return { fill: p.bar, 'fill-opacity': 0.5 };
  if (has('allocation-line')) return { stroke: p.muted, 'stroke-width': 1, 'stroke-dasharray': '4 2' };
  if (has('bar-track') || has('bar-progress') || has('diamond')) {
    const item = (name: string) => context.has(name);
    // Later states win, as in the stylesheet: done over overdue over blocked over at risk.
    const state = item('done') ? p.done : item('overdue') ? p.overdue : item('blocked') ? p.blocked : item('at-risk') ? p.risk : p.bar;
    if (has('diamond')) return { fill: item('overdue') ? p.overdue : item('at-risk') ? p.risk : item('done') ? p.done : p.milestone, stroke: p.background, 'stroke-width': 1 };
    const summary = item('summary');
    const dropped = item('dropped');
    if (has('bar-progress')) return summary ? { fill: p.foreground, 'fill-opacity': 0.6 } : dropped ? { fill: p.muted, 'fill-opacity': 0.3 } : { fill: state };
    const outline = item('critical')
      ? { stroke: p.critical, 'stroke-width': 2, 'stroke-dasharray': dropped ? '3 2' : undefined }
      : dropped
        ? { stroke: p.muted, 'stroke-width': 1, 'stroke-dasharray': '3 2' }
        : p.contrast !== 'none' && p.contrast !== 'transparent'
          ? { stroke: p.contrast, 'stroke-width': 1 }
          : {};
    const fill = summary ? { fill: p.foreground, 'fill-opacity': 0.25 } : dropped ? { fill: p.muted, 'fill-opacity': 0.15 } : { fill: state, 'fill-opacity': 0.35 };
    return { ...fill, ...outline };
  }
  return undefined;
}

/** Copies the tree with presentation attributes from the palette (classes stay, for restyling). */
export function paintTree(node: SvgNode, palette: TimelinePalette, context: ReadonlySet<string> = new Set()): SvgNode {
  const className = typeof node.attributes.class === 'string' ? node.attributes.class : '';
  const tokens = className.split(' ');
  const inner = tokens.includes('item') ? new Set(tokens) : context;
  const paint = paintOf(node, palette, inner);
  const attributes = paint ? { ...node.attributes, ...paint } : node.attributes;
  return { ...node, attributes, children: node.children.map((child) => paintTree(child, palette, inner)) };
}

// ---------------------------------------------------------------- serialising

/** Characters XML 1.0 does not allow (C0 controls but tab, newline and return; lone surrogates; U+FFFE, U+FFFF): replaced by U+FFFD. */
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function escapeXmlText(value: string): string {
  return value.replace(NOT_XML, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function escapeXmlAttribute(value: string): string {
  return escapeXmlText(value).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}

const NAME = /^[A-Za-z_][\w.:-]*$/;

function formatValue(value: string | number): string {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '0';
  return value;
}

/** XML text of a node tree (no declaration). Element and attribute names come from code; values and text are escaped. */
export function serializeSvg(root: SvgNode): string {
  const parts: string[] = [];
  const write = (node: SvgNode, depth: number) => {
    if (!NAME.test(node.name)) throw new Error(`not an XML name: ${node.name}`);
    const indent = '  '.repeat(depth);
    let open = `${indent}<${node.name}`;
    for (const [name, value] of Object.entries(node.attributes)) {
      if (value === undefined) continue;
      if (!NAME.test(name)) throw new Error(`not an XML name: ${name}`);
      open += ` ${name}="${escapeXmlAttribute(formatValue(value))}"`;
    }
    if (node.children.length === 0 && node.text === undefined) {
      parts.push(`${open}/>`);
      return;
    }
    if (node.children.length === 0) {
      parts.push(`${open}>${escapeXmlText(node.text ?? '')}</${node.name}>`);
      return;
    }
    parts.push(`${open}>${node.text !== undefined ? escapeXmlText(node.text) : ''}`);
    for (const child of node.children) write(child, depth + 1);
    parts.push(`${indent}</${node.name}>`);
  };
  write(root, 0);
  return parts.join('\n');
}

/** Size of the standalone picture: label column + chart, axis + rows. */
export function timelineSize(layout: TimelineLayout): { width: number; height: number } {
  return { width: layout.labelWidth + layout.width, height: layout.headerHeight + Math.max(layout.height, 1) };
}

/**
 * One standalone SVG document of the whole timeline (every row, the label
 * column and the axis), painted with concrete colours from `palette`.
 */
export function timelineSvg(layout: TimelineLayout, palette: TimelinePalette = LIGHT_PALETTE): string {
  const { width, height } = timelineSize(layout);
  const place = (node: SvgNode, x: number, y: number) => ({ ...node, attributes: { ...node.attributes, transform: `translate(${x} ${y})` } });
  const root = svgNode('svg', { xmlns: SVG_NAMESPACE, version: '1.1', width, height, viewBox: `0 0 ${width} ${height}` }, undefined, [
    titleNode(layout.title ? `Timeline: ${layout.title}` : 'Timeline'),
    svgNode('rect', { x: 0, y: 0, width, height }, 'export-bg'),
    place(chartLayer(layout), layout.labelWidth, layout.headerHeight),
    place(labelsLayer(layout), 0, layout.headerHeight),
    place(axisLayer(layout), layout.labelWidth, 0),
    place(cornerLayer(layout), 0, 0),
  ]);
  return `${serializeSvg(paintTree(root, palette))}\n`;
}
