// SVG from a TimelineLayout. Every plan string reaches the DOM through
// textContent or setAttribute, never as markup; colours come from classes
// styled by timeline.css (VS Code theme variables), never from style attributes.
// Keyboard: one roving tab stop among the bars; arrows move, Enter reveals.
import type { LayoutItem, Rect, TimelineLayout } from './layout';

export const SVG_NS = 'http://www.w3.org/2000/svg';

type Attributes = Record<string, string | number | undefined>;

export function svgElement<K extends keyof SVGElementTagNameMap>(doc: Document, tag: K, attributes: Attributes = {}, className?: string): SVGElementTagNameMap[K] {
  const element = doc.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes)) if (value !== undefined) element.setAttribute(name, String(value));
  if (className) element.setAttribute('class', className);
  return element;
}

function text(doc: Document, content: string, attributes: Attributes, className: string): SVGTextElement {
  const element = svgElement(doc, 'text', attributes, className);
  element.textContent = content;
  return element;
}

function title(doc: Document, content: string): SVGTitleElement {
  const element = svgElement(doc, 'title');
  element.textContent = content;
  return element;
}

const pointsToPath = (points: [number, number][]) => points.map(([x, y], index) => `${index === 0 ? 'M' : 'L'}${x} ${y}`).join(' ');

/** The time axis: month/year ticks above, day/week/month/quarter ticks below. */
export function renderAxis(doc: Document, layout: TimelineLayout): SVGGElement {
  const group = svgElement(doc, 'g', {}, 'axis-layer');
  group.append(svgElement(doc, 'rect', { x: 0, y: 0, width: layout.width, height: layout.headerHeight }, 'axis-bg'));
  const half = layout.headerHeight / 2;
  for (const tick of layout.ticks.major) {
    group.append(svgElement(doc, 'line', { x1: tick.x, y1: 0, x2: tick.x, y2: layout.headerHeight }, 'tick-major'));
    group.append(text(doc, tick.label, { x: tick.x + 4, y: half - 6 }, 'tick-label major'));
  }
  const spacing = layout.ticks.minor.length > 1 ? layout.ticks.minor[1].x - layout.ticks.minor[0].x : layout.width;
  for (const tick of layout.ticks.minor) {
    group.append(svgElement(doc, 'line', { x1: tick.x, y1: half, x2: tick.x, y2: layout.headerHeight }, 'tick-minor'));
    if (spacing >= 18) group.append(text(doc, tick.label, { x: tick.x + (layout.zoom === 'day' ? spacing / 2 : 3), y: layout.headerHeight - 6, 'text-anchor': layout.zoom === 'day' ? 'middle' : undefined }, 'tick-label minor'));
  }
  if (layout.asOf) {
    const { x } = layout.asOf;
    const marker = svgElement(doc, 'path', { d: `M${x - 5} ${layout.headerHeight - 7} L${x + 5} ${layout.headerHeight - 7} L${x} ${layout.headerHeight} Z` }, 'as-of-marker');
    marker.append(title(doc, `as of ${layout.asOf.date}`));
    group.append(marker);
  }
  group.append(svgElement(doc, 'line', { x1: 0, y1: layout.headerHeight - 0.5, x2: layout.width, y2: layout.headerHeight - 0.5 }, 'axis-rule'));
  return group;
}

/** The label column: milestone, task and lane names. */
export function renderLabels(doc: Document, layout: TimelineLayout): SVGGElement {
  const group = svgElement(doc, 'g', {}, 'labels-layer');
  group.append(svgElement(doc, 'rect', { x: 0, y: 0, width: layout.labelWidth, height: Math.max(layout.height, 1) }, 'labels-bg'));
  for (const row of layout.rows) {
    group.append(svgElement(doc, 'rect', { x: 0, y: row.y, width: layout.labelWidth, height: row.height }, `row-bg row-${row.kind}`));
    if (!row.label) continue;
    const label = text(doc, row.label, { x: 8 + row.depth * 14, y: row.y + row.height / 2 + 4 }, `row-label row-label-${row.kind}`);
    if (row.label === row.fullLabel) group.append(label);
    else {
      // Shortened: the whole label is the tooltip.
      const labelGroup = svgElement(doc, 'g', {}, 'row-label-group');
      labelGroup.append(title(doc, row.fullLabel), label);
      group.append(labelGroup);
    }
  }
  group.append(svgElement(doc, 'line', { x1: layout.labelWidth - 0.5, y1: 0, x2: layout.labelWidth - 0.5, y2: layout.height }, 'labels-rule'));
  return group;
}

export function renderCorner(doc: Document, layout: TimelineLayout): SVGGElement {
  const group = svgElement(doc, 'g', {}, 'corner-layer');
  group.append(svgElement(doc, 'rect', { x: 0, y: 0, width: layout.labelWidth, height: layout.headerHeight }, 'axis-bg'));
  group.append(text(doc, layout.title, { x: 8, y: layout.headerHeight / 2 + 4 }, 'plan-title'));
  group.append(svgElement(doc, 'line', { x1: 0, y1: layout.headerHeight - 0.5, x2: layout.labelWidth, y2: layout.headerHeight - 0.5 }, 'axis-rule'));
  return group;
}

export interface ItemParts {
  group: SVGGElement;
  track?: SVGRectElement;
  progress?: SVGRectElement;
  handle?: SVGRectElement;
  ring?: SVGRectElement;
}

function itemClasses(item: LayoutItem): string {
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

function grow(rect: Rect, by: number): Rect {
  return { x: rect.x - by, y: rect.y - by, width: rect.width + 2 * by, height: rect.height + 2 * by };
}

/** The bars, diamonds, arrows, shading and load of the chart (below the axis, right of the labels). */
export function renderChart(doc: Document, layout: TimelineLayout): { group: SVGGElement; parts: ItemParts[] } {
  const group = svgElement(doc, 'g', {}, 'chart-layer');
  const height = Math.max(layout.height, 1);
  group.append(svgElement(doc, 'rect', { x: 0, y: 0, width: layout.width, height }, 'chart-bg'));

  const rowsLayer = svgElement(doc, 'g', {}, 'rows');
  for (const row of layout.rows) rowsLayer.append(svgElement(doc, 'rect', { x: 0, y: row.y, width: layout.width, height: row.height }, `row-bg row-${row.kind}`));
  group.append(rowsLayer);

  const shading = svgElement(doc, 'g', { 'aria-hidden': 'true' }, 'shading');
  for (const shade of layout.shading) {
    const rect = svgElement(doc, 'rect', { x: shade.x, y: 0, width: shade.width, height }, `shade shade-${shade.kind}`);
    if (shade.kind === 'holiday') rect.append(title(doc, shade.from === shade.to ? `holiday ${shade.from}` : `holidays ${shade.from} to ${shade.to}`));
    shading.append(rect);
  }
  group.append(shading);

  const grid = svgElement(doc, 'g', { 'aria-hidden': 'true' }, 'grid');
  for (const tick of layout.ticks.major) grid.append(svgElement(doc, 'line', { x1: tick.x, y1: 0, x2: tick.x, y2: height }, 'grid-major'));
  if (layout.zoom !== 'day') for (const tick of layout.ticks.minor) grid.append(svgElement(doc, 'line', { x1: tick.x, y1: 0, x2: tick.x, y2: height }, 'grid-minor'));
  if (layout.planEnd) {
    const line = svgElement(doc, 'line', { x1: layout.planEnd.x, y1: 0, x2: layout.planEnd.x, y2: height }, 'plan-end-line');
    line.append(title(doc, `plan end ${layout.planEnd.date}`));
    grid.append(line);
  }
  group.append(grid);

  const loads = svgElement(doc, 'g', {}, 'loads');
  for (const lane of layout.lanes) {
    const row = layout.rows[lane.row];
    for (const segment of lane.segments) {
      const rect = svgElement(doc, 'rect', { x: segment.x, y: segment.y, width: segment.width, height: segment.height }, segment.over ? 'load load-over' : 'load');
      rect.append(title(doc, `${lane.owner}: ${segment.load}% of ${lane.allocation}% ${segment.from === segment.to ? `on ${segment.from}` : `from ${segment.from} to ${segment.to}`}${segment.over ? ' (over-allocated)' : ''}`));
      loads.append(rect);
    }
    loads.append(svgElement(doc, 'line', { x1: 0, y1: lane.allocationY, x2: layout.width, y2: lane.allocationY }, 'allocation-line'));
    if (lane.overDays.length > 0) {
      const summary = `${lane.owner} is over-allocated on ${lane.overDays.length} working day${lane.overDays.length === 1 ? '' : 's'}`;
      const marker = svgElement(doc, 'g', { role: 'img', 'aria-label': summary }, 'overload-summary');
      marker.append(title(doc, summary));
      marker.append(svgElement(doc, 'rect', { x: 0, y: row.y, width: 3, height: row.height }, 'load-over'));
      loads.append(marker);
    }
  }
  group.append(loads);

  const baselines = svgElement(doc, 'g', { 'aria-hidden': 'true' }, 'baselines');
  for (const item of layout.items) {
    if (!item.baseline) continue;
    const rect = svgElement(doc, 'rect', { x: item.baseline.x, y: item.baseline.y, width: item.baseline.width, height: item.baseline.height, rx: 1 }, 'baseline');
    rect.append(title(doc, `${item.id} baseline ${item.baseline.start} → ${item.baseline.end}`));
    baselines.append(rect);
  }
  group.append(baselines);

  const arrows = svgElement(doc, 'g', { 'aria-hidden': 'true' }, 'arrows');
  for (const arrow of layout.arrows) {
    const path = svgElement(doc, 'g', {}, arrow.critical ? 'arrow critical' : 'arrow');
    path.append(svgElement(doc, 'path', { d: pointsToPath(arrow.points) }, 'arrow-line'));
    path.append(svgElement(doc, 'path', { d: `${pointsToPath(arrow.head)} Z` }, 'arrow-head'));
    arrows.append(path);
  }
  group.append(arrows);

  const itemsLayer = svgElement(doc, 'g', { role: 'list', 'aria-label': 'Milestones and tasks' }, 'items');
  const parts: ItemParts[] = [];
  for (const item of layout.items) {
    const element = svgElement(doc, 'g', { role: 'listitem' }, 'item-wrapper');
    const g = svgElement(doc, 'g', { tabindex: -1, role: 'button', 'aria-label': item.ariaLabel, 'data-id': item.id }, itemClasses(item));
    g.append(title(doc, item.tooltip.join('\n')));
    const entry: ItemParts = { group: g };
    const box = item.bar ?? (item.diamond ? { x: item.diamond.x - item.diamond.half, y: item.diamond.y - item.diamond.half, width: 2 * item.diamond.half, height: 2 * item.diamond.half } : undefined);
    if (box) {
      const ring = grow(box, 3);
      entry.ring = svgElement(doc, 'rect', { x: ring.x, y: ring.y, width: ring.width, height: ring.height, rx: 4 }, 'focus-ring');
      g.append(entry.ring);
    }
    if (item.bar) {
      const { x, y, width, height: barHeight } = item.bar;
      entry.track = svgElement(doc, 'rect', { x, y, width, height: barHeight, rx: item.summary ? 1 : 3 }, 'bar-track');
      g.append(entry.track);
      entry.progress = svgElement(doc, 'rect', { x, y, width: item.progressWidth, height: barHeight, rx: item.summary ? 1 : 3 }, 'bar-progress');
      g.append(entry.progress);
      if (item.canResize) {
        const handle = handleWidth(width);
        entry.handle = svgElement(doc, 'rect', { x: x + width - handle, y, width: handle, height: barHeight }, 'bar-handle');
        g.append(entry.handle);
      }
    }
    if (item.diamond) {
      const { x, y, half } = item.diamond;
      g.append(svgElement(doc, 'path', { d: `M${x} ${y - half} L${x + half} ${y} L${x} ${y + half} L${x - half} ${y} Z` }, 'diamond'));
    }
    element.append(g);
    itemsLayer.append(element);
    parts.push(entry);
  }
  group.append(itemsLayer);

  if (layout.asOf) {
    const line = svgElement(doc, 'line', { x1: layout.asOf.x, y1: 0, x2: layout.asOf.x, y2: height }, 'as-of-line');
    line.append(title(doc, `as of ${layout.asOf.date}`));
    group.append(line);
  }
  return { group, parts };
}

export interface TimelineHandlers {
  /** Enter on an item (clicks come through drag.ts). */
  reveal(id: string): void;
  /** The roving tab stop moved to another item. */
  selected(id: string): void;
}

/**
 * The live timeline: four SVGs in a grid (corner, sticky axis, sticky labels,
 * chart) inside a scroller, with a roving tab stop over the items.
 */
export class TimelineView {
  readonly element: HTMLDivElement;
  readonly chart: SVGSVGElement;
  readonly labels: SVGSVGElement;
  readonly parts: ItemParts[];
  private current = -1;
  private highlighted = -1;
  private readonly rowsWithItems: number[][];
  private readonly indexByElement = new Map<Element, number>();

  constructor(
    private readonly doc: Document,
    readonly layout: TimelineLayout,
    private readonly scroller: HTMLElement,
    private readonly handlers: TimelineHandlers,
    selectedId?: string,
  ) {
    this.element = doc.createElement('div');
    this.element.className = 'timeline-grid';
    const corner = this.svg(layout.labelWidth, layout.headerHeight, 'corner');
    corner.append(renderCorner(doc, layout));
    const axis = this.svg(layout.width, layout.headerHeight, 'axis');
    axis.setAttribute('aria-hidden', 'true');
    axis.append(renderAxis(doc, layout));
    this.labels = this.svg(layout.labelWidth, layout.height, 'labels');
    this.labels.setAttribute('aria-hidden', 'true');
    this.labels.append(renderLabels(doc, layout));
    this.chart = this.svg(layout.width, layout.height, 'chart');
    this.chart.setAttribute('role', 'group');
    this.chart.setAttribute('aria-label', `Timeline${layout.title ? ` of ${layout.title}` : ''}, by ${layout.grouping}, ${layout.zoom} zoom. Arrow keys move between bars, Enter shows the item in the plan.`);
    const { group, parts } = renderChart(doc, layout);
    this.chart.append(group);
    this.parts = parts;
    this.element.append(corner, axis, this.labels, this.chart);

    // Items per row, left to right: what the arrow keys walk.
    const perRow = new Map<number, number[]>();
    layout.items.forEach((item, index) => {
      const indexes = perRow.get(item.row);
      if (indexes) indexes.push(index);
      else perRow.set(item.row, [index]);
    });
    parts.forEach((part, index) => this.indexByElement.set(part.group, index));
    const left = (index: number) => this.boxOf(index)?.x ?? 0;
    this.rowsWithItems = [...perRow.entries()].sort((a, b) => a[0] - b[0]).map(([, indexes]) => indexes.sort((a, b) => left(a) - left(b)));

    this.chart.addEventListener('keydown', (event) => this.onKeyDown(event));
    this.chart.addEventListener('focusin', (event) => {
      const index = this.indexOf(event.target);
      if (index >= 0 && index !== this.current) this.setCurrent(index);
    });
    this.labels.addEventListener('click', (event) => {
      const y = event.clientY - this.labels.getBoundingClientRect().top;
      const row = layout.rows.find((candidate) => y >= candidate.y && y < candidate.y + candidate.height);
      const index = row ? layout.items.findIndex((item) => item.row === row.index) : -1;
      if (index >= 0) this.activate(index);
    });
    const selected = this.indexOfId(selectedId);
    this.setCurrent(selected >= 0 ? selected : layout.items.length > 0 ? 0 : -1);
  }

  private svg(width: number, height: number, className: string): SVGSVGElement {
    return svgElement(this.doc, 'svg', { width, height: Math.max(height, 1), viewBox: `0 0 ${width} ${Math.max(height, 1)}`, focusable: 'false' }, className);
  }

  get currentId(): string | undefined {
    return this.current >= 0 ? this.layout.items[this.current].id : undefined;
  }

  /** The item index of an event target inside the chart, or -1. */
  indexOf(target: EventTarget | null): number {
    const element = target instanceof Element ? target.closest('g.item') : null;
    return element ? (this.indexByElement.get(element) ?? -1) : -1;
  }

  indexOfId(id: string | undefined): number {
    return id === undefined ? -1 : this.layout.items.findIndex((item) => item.id === id);
  }

  boxOf(index: number): Rect | undefined {
    const item = this.layout.items[index];
    if (!item) return undefined;
    if (item.bar) return item.bar;
    if (item.diamond) return { x: item.diamond.x - item.diamond.half, y: item.diamond.y - item.diamond.half, width: 2 * item.diamond.half, height: 2 * item.diamond.half };
    return undefined;
  }

  /** Moves the roving tab stop (without focusing). */
  setCurrent(index: number): void {
    if (index === this.current || index >= this.parts.length) return;
    if (this.current >= 0) this.parts[this.current].group.setAttribute('tabindex', '-1');
    this.current = index;
    if (index >= 0) {
      this.parts[index].group.setAttribute('tabindex', '0');
      this.handlers.selected(this.layout.items[index].id);
    }
  }

  /** Moves the tab stop to an item and focuses it, scrolling it into view. */
  focusIndex(index: number): void {
    if (index < 0 || index >= this.parts.length) return;
    this.setCurrent(index);
    this.parts[index].group.focus({ preventScroll: true });
    this.scrollIntoView(index);
  }

  /** Click or Enter: select, focus and reveal. */
  activate(index: number): void {
    if (index < 0) return;
    this.focusIndex(index);
    this.handlers.reveal(this.layout.items[index].id);
  }

  /** The editor's cursor is on this id: mark it, make it the tab stop and bring it into view (focus stays in the editor). */
  highlight(id: string | undefined, follow = true): void {
    if (this.highlighted >= 0) this.parts[this.highlighted].group.classList.remove('highlighted');
    this.highlighted = this.indexOfId(id);
    if (this.highlighted < 0) return;
    this.parts[this.highlighted].group.classList.add('highlighted');
    if (!follow) return;
    this.setCurrent(this.highlighted);
    this.scrollIntoView(this.highlighted);
  }

  get highlightedId(): string | undefined {
    return this.highlighted >= 0 ? this.layout.items[this.highlighted].id : undefined;
  }

  /** Scrolls the scroller so the item is visible beside the sticky axis and labels. */
  scrollIntoView(index: number): void {
    const box = this.boxOf(index);
    if (!box) return;
    const { labelWidth, headerHeight } = this.layout;
    const scroller = this.scroller;
    const viewWidth = scroller.clientWidth - labelWidth;
    const viewHeight = scroller.clientHeight - headerHeight;
    const margin = 24;
    if (box.x < scroller.scrollLeft + margin || box.x + Math.min(box.width, viewWidth - 2 * margin) > scroller.scrollLeft + viewWidth - margin) {
      scroller.scrollLeft = Math.max(0, box.x - margin);
    }
    const row = this.layout.rows[this.layout.items[index].row];
    if (row.y < scroller.scrollTop) scroller.scrollTop = row.y;
    else if (row.y + row.height > scroller.scrollTop + viewHeight) scroller.scrollTop = row.y + row.height - viewHeight;
  }

  private onKeyDown(event: KeyboardEvent): void {
    const index = this.indexOf(event.target);
    if (index < 0) return;
    const rowPosition = this.rowsWithItems.findIndex((indexes) => indexes.includes(index));
    const row = this.rowsWithItems[rowPosition];
    const centre = (candidate: number) => {
      const box = this.boxOf(candidate);
      return box ? box.x + box.width / 2 : 0;
    };
    const nearestIn = (indexes: number[] | undefined) => {
      if (!indexes) return -1;
      const x = centre(index);
      return indexes.reduce((best, candidate) => (Math.abs(centre(candidate) - x) < Math.abs(centre(best) - x) ? candidate : best), indexes[0]);
    };
    let next = -1;
    switch (event.key) {
      case 'ArrowDown':
        next = nearestIn(this.rowsWithItems[rowPosition + 1]);
        break;
      case 'ArrowUp':
        next = nearestIn(this.rowsWithItems[rowPosition - 1]);
        break;
      case 'ArrowRight':
        next = row[row.indexOf(index) + 1] ?? -1;
        break;
      case 'ArrowLeft':
        next = row[row.indexOf(index) - 1] ?? -1;
        break;
      case 'Home':
        next = this.rowsWithItems[0]?.[0] ?? -1;
        break;
      case 'End': {
        const last = this.rowsWithItems[this.rowsWithItems.length - 1];
        next = last?.[last.length - 1] ?? -1;
        break;
      }
      case 'Enter':
      case ' ':
        event.preventDefault();
        this.activate(index);
        return;
      default:
        return;
    }
    event.preventDefault();
    if (next >= 0) this.focusIndex(next);
  }
}
