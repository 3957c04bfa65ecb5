// The live timeline: the DOM for what server/src/timeline/svg.ts draws, but
// only near the viewport. Rows, bars, arrows, shading, grid lines, load and
// ticks within the visible part plus an overscan are in the DOM; scrolling
// past the overscan draws the new ones and drops the far ones (viewport.ts
// picks them). The SVGs keep the chart's full size, so the scrollbars, the
// sticky axis and label column behave as if everything were drawn.
//
// Every plan string reaches the DOM through textContent or setAttribute,
// never as markup; colours come from classes styled by timeline.css (VS Code
// theme variables), never from style attributes.
// Keyboard: one roving tab stop among the bars (always in the DOM, wherever
// it is); arrows move (drawing the target first), Enter reveals.
import type { LayoutItem, Rect, TimelineLayout } from '../../../server/src/timeline/layout';
import {
  arrowNodes,
  asOfLine,
  asOfMarker,
  axisBackground,
  axisRule,
  axisTicks,
  baselineNode,
  chartBackground,
  chartLayers,
  cornerLayer,
  focusRingNode,
  gridNodes,
  itemBox,
  itemNode,
  ITEMS_LABEL,
  labelRow,
  labelsBackground,
  labelsRule,
  laneLoadNodes,
  rowBackground,
  shadingNodes,
  SVG_NAMESPACE,
  svgNode,
  type SvgNode,
} from '../../../server/src/timeline/svg';
import { contains, LayoutIndex, marginExtent, nearExtent, prefetchExtent, renderExtent, visibleExtent, type Extent } from './viewport';

/** The DOM element for a node: attributes through setAttribute, text through textContent. `made` sees every element made. */
export function toElement(doc: Document, node: SvgNode, made?: (node: SvgNode, element: SVGElement) => void): SVGElement {
  const element = doc.createElementNS(SVG_NAMESPACE, node.name) as SVGElement;
  for (const name in node.attributes) {
    const value = node.attributes[name];
    if (value !== undefined) element.setAttribute(name, String(value));
  }
  if (node.text !== undefined) element.textContent = node.text;
  for (const child of node.children) element.append(toElement(doc, child, made));
  made?.(node, element);
  return element;
}

export interface ItemParts {
  group: SVGGElement;
  track?: SVGRectElement;
  progress?: SVGRectElement;
  handle?: SVGRectElement;
  ring?: SVGRectElement;
}

interface DrawnItem {
  parts: ItemParts;
  wrapper: SVGElement;
  baseline?: SVGElement;
}

interface DrawnRow {
  label: SVGElement[];
  background: SVGElement;
}

type Layer = 'rows' | 'shading' | 'grid' | 'loads' | 'baselines' | 'arrows' | 'items' | 'asOf';

export interface TimelineHandlers {
  /** Enter on an item (clicks come through drag.ts). */
  reveal(id: string): void;
  /** The roving tab stop moved to another item. */
  selected(id: string): void;
}

/**
 * Four SVGs in a grid (corner, sticky axis, sticky labels, chart) inside a
 * scroller. Call `update()` after the scroller scrolled or resized (and once
 * the element is in the page): it draws what came near the viewport.
 */
export class TimelineView {
  readonly element: HTMLDivElement;
  readonly chart: SVGSVGElement;
  readonly labels: SVGSVGElement;
  readonly index: LayoutIndex;
  private readonly ticks: SVGGElement;
  private readonly labelRows: SVGGElement;
  private readonly layers: Record<Layer, SVGGElement>;
  private readonly rows = new Map<number, DrawnRow>();
  private readonly items = new Map<number, DrawnItem>();
  /** Drawn item indexes, ascending: new items are inserted in layout order. */
  private readonly itemOrder: number[] = [];
  private readonly arrows = new Map<number, SVGElement[]>();
  private readonly indexByElement = new WeakMap<Element, number>();
  /** The drawn part of the chart (undefined until the first update), and the columns drawn. */
  private drawn: Extent | undefined;
  /** The frame that draws the overscan after the first drawing; the idle callback that draws ahead of a scroll. */
  private overscanFrame = 0;
  private idleCallback = 0;
  private columns: { left: number; right: number } | undefined;
  /** Load drawn per lane (by row), for the columns drawn. */
  private readonly loads = new Map<number, SVGElement[]>();
  private current = -1;
  private highlighted = -1;
  private dragging = -1;
  private pendingId: string | undefined;

  constructor(
    private readonly doc: Document,
    readonly layout: TimelineLayout,
    private readonly scroller: HTMLElement,
    private readonly handlers: TimelineHandlers,
    selectedId?: string,
  ) {
    this.index = new LayoutIndex(layout);
    this.element = doc.createElement('div');
    this.element.className = 'timeline-grid';

    const corner = this.svg(layout.labelWidth, layout.headerHeight, 'corner');
    corner.append(toElement(doc, cornerLayer(layout)));

    const axis = this.svg(layout.width, layout.headerHeight, 'axis');
    axis.setAttribute('aria-hidden', 'true');
    const axisLayer = this.group('axis-layer');
    this.ticks = this.group('ticks');
    const marker = asOfMarker(layout);
    axisLayer.append(toElement(doc, axisBackground(layout)), this.ticks, ...(marker ? [toElement(doc, marker)] : []), toElement(doc, axisRule(layout)));
    axis.append(axisLayer);

    this.labels = this.svg(layout.labelWidth, layout.height, 'labels');
    this.labels.setAttribute('aria-hidden', 'true');
    const labelsLayer = this.group('labels-layer');
    this.labelRows = this.group('label-rows');
    labelsLayer.append(toElement(doc, labelsBackground(layout)), this.labelRows, toElement(doc, labelsRule(layout)));
    this.labels.append(labelsLayer);

    this.chart = this.svg(layout.width, layout.height, 'chart');
    this.chart.setAttribute('role', 'group');
    this.chart.setAttribute('aria-label', `Timeline${layout.title ? ` of ${layout.title}` : ''}, by ${layout.grouping}, ${layout.zoom} zoom, ${layout.items.length} item${layout.items.length === 1 ? '' : 's'}. Arrow keys move between bars, Enter shows the item in the plan.`);
    const chartLayer = this.group('chart-layer');
    chartLayer.append(toElement(doc, chartBackground(layout)));
    const shells = chartLayers(ITEMS_LABEL);
    this.layers = {} as Record<Layer, SVGGElement>;
    for (const [name, shell] of Object.entries(shells) as [Layer, SvgNode][]) {
      this.layers[name] = toElement(doc, shell) as SVGGElement;
      chartLayer.append(this.layers[name]);
    }
    this.chart.append(chartLayer);
    this.element.append(corner, axis, this.labels, this.chart);

    this.chart.addEventListener('keydown', (event) => this.onKeyDown(event));
    this.chart.addEventListener('focusin', (event) => {
      const index = this.indexOf(event.target);
      if (index >= 0 && index !== this.current) this.setCurrent(index);
    });
    this.labels.addEventListener('click', (event) => {
      const row = this.index.rowAt(event.clientY - this.labels.getBoundingClientRect().top);
      const first = row >= 0 ? this.index.itemsByRow[row][0] : undefined;
      if (first !== undefined) this.activate(first);
    });
    const selected = this.index.indexOfId(selectedId);
    this.setCurrent(selected >= 0 ? selected : layout.items.length > 0 ? 0 : -1);
  }

  private svg(width: number, height: number, className: string): SVGSVGElement {
    return toElement(this.doc, svgNode('svg', { width, height: Math.max(height, 1), viewBox: `0 0 ${width} ${Math.max(height, 1)}`, focusable: 'false' }, className)) as SVGSVGElement;
  }

  private group(className: string): SVGGElement {
    return toElement(this.doc, svgNode('g', {}, className)) as SVGGElement;
  }

  // ---------------------------------------------------------------- drawing near the viewport

  /**
   * Keeps what is near the viewport drawn (viewport.ts has the distances):
   * nothing changes while the drawn part covers the viewport with rows to
   * spare; when fewer are left, the viewport and its overscan are drawn
   * again (rows already drawn stay, far ones go) while the page is idle,
   * or at once when the viewport is about to reach undrawn rows. The first
   * call draws only a little around the viewport, and the overscan in the
   * next frame.
   */
  update(force = false): void {
    const visible = visibleExtent(this.layout, this.scroller);
    if (!this.drawn) {
      this.draw(nearExtent(this.layout, visible));
      this.overscanFrame = requestAnimationFrame(() => {
        this.overscanFrame = 0;
        if (this.element.isConnected) this.update(true);
      });
      return;
    }
    if (force || !contains(this.drawn, marginExtent(this.layout, visible))) {
      this.draw(renderExtent(this.layout, visible));
      return;
    }
    if (!this.idleCallback && !contains(this.drawn, prefetchExtent(this.layout, visible))) {
      this.idleCallback = requestIdleCallback(
        () => {
          this.idleCallback = 0;
          if (this.element.isConnected) this.draw(renderExtent(this.layout, visibleExtent(this.layout, this.scroller)));
        },
        { timeout: 250 },
      );
    }
  }

  /** Stops drawing (the view is being replaced). */
  dispose(): void {
    if (this.overscanFrame) cancelAnimationFrame(this.overscanFrame);
    if (this.idleCallback) cancelIdleCallback(this.idleCallback);
    this.overscanFrame = 0;
    this.idleCallback = 0;
  }

  private draw(extent: Extent): void {
    const { doc, layout } = this;
    this.drawn = extent;
    if (this.idleCallback) {
      cancelIdleCallback(this.idleCallback);
      this.idleCallback = 0;
    }
    const xRange = { left: extent.left, right: extent.right };

    // Rows: label column and row backgrounds.
    const [first, last] = this.index.rowRange(extent.top, extent.bottom);
    for (const [row, drawn] of this.rows) {
      if (row >= first && row < last) continue;
      for (const element of drawn.label) element.remove();
      drawn.background.remove();
      this.rows.delete(row);
    }
    for (let row = first; row < last; row++) {
      if (this.rows.has(row)) continue;
      const label = labelRow(layout, layout.rows[row]).map((node) => toElement(doc, node));
      const background = toElement(doc, rowBackground(layout, layout.rows[row]));
      this.labelRows.append(...label);
      this.layers.rows.append(background);
      this.rows.set(row, { label, background });
    }

    // Items (and their baselines): those in the extent, and the pinned ones wherever they are.
    const wanted = new Set(this.index.itemsIn(extent));
    for (const index of this.pinned()) wanted.add(index);
    for (const index of [...this.items.keys()]) if (!wanted.has(index)) this.removeItem(index);
    for (const index of [...wanted].sort((a, b) => a - b)) this.ensureItem(index);

    // Arrows: those with an end at a drawn item, or passing through the extent.
    const arrows = new Set(this.index.arrowsIn(extent, this.items.keys()));
    for (const [index, elements] of this.arrows) {
      if (arrows.has(index)) continue;
      for (const element of elements) element.remove();
      this.arrows.delete(index);
    }
    for (const index of arrows) {
      if (this.arrows.has(index)) continue;
      const elements = arrowNodes(layout.arrows[index], true).map((node) => toElement(doc, node));
      this.layers.arrows.append(...elements);
      this.arrows.set(index, elements);
    }

    // Columns (ticks, weekends and holidays, grid lines) run the chart's whole height, one
    // element each, so only a horizontal move redraws them: near the viewport, left and right.
    const elements = (nodes: (SvgNode | undefined)[]) => nodes.filter((node): node is SvgNode => node !== undefined).map((node) => toElement(doc, node));
    const newColumns = !this.columns || this.columns.left !== xRange.left || this.columns.right !== xRange.right;
    if (newColumns) {
      this.columns = xRange;
      this.ticks.replaceChildren(...elements(axisTicks(layout, xRange)));
      this.layers.shading.replaceChildren(...elements(shadingNodes(layout, xRange)));
      this.layers.grid.replaceChildren(...elements(gridNodes(layout, xRange)));
    }
    if (!this.layers.asOf.firstChild) this.layers.asOf.replaceChildren(...elements([asOfLine(layout)]));

    // Load in the lanes drawn, for the columns drawn.
    for (const [row, drawn] of this.loads) {
      if (row >= first && row < last && !newColumns) continue;
      for (const element of drawn) element.remove();
      this.loads.delete(row);
    }
    for (const lane of layout.lanes) {
      if (lane.row < first || lane.row >= last || this.loads.has(lane.row)) continue;
      const drawn = elements(laneLoadNodes(layout, lane, xRange));
      this.layers.loads.append(...drawn);
      this.loads.set(lane.row, drawn);
    }
  }

  private pinned(): number[] {
    return [this.current, this.highlighted, this.dragging].filter((index) => index >= 0);
  }

  /** Draws an item if it is not drawn yet, in layout order among the drawn ones. */
  private ensureItem(index: number): DrawnItem | undefined {
    const existing = this.items.get(index);
    if (existing) return existing;
    const item = this.layout.items[index];
    if (!item) return undefined;
    const spec = itemNode(item, true);
    const parts = { group: undefined as unknown as SVGGElement } as ItemParts;
    const wrapper = toElement(this.doc, svgNode('g', { role: 'listitem', 'aria-posinset': index + 1, 'aria-setsize': this.layout.items.length }, 'item-wrapper', [spec]), (node, element) => {
      if (node === spec) parts.group = element as SVGGElement;
      else if (node.attributes.class === 'bar-track') parts.track = element as SVGRectElement;
      else if (node.attributes.class === 'bar-progress') parts.progress = element as SVGRectElement;
      else if (node.attributes.class === 'bar-handle') parts.handle = element as SVGRectElement;
    });
    const group = parts.group;
    if (index === this.current) group.setAttribute('tabindex', '0');
    if (index === this.highlighted) group.classList.add('highlighted');
    if (index === this.current || index === this.highlighted) this.addRing(index, parts);
    if (this.pendingId !== undefined && item.id === this.pendingId) group.classList.add('pending');
    const baselineSpec = baselineNode(item);
    const drawn: DrawnItem = { parts, wrapper, baseline: baselineSpec ? toElement(this.doc, baselineSpec) : undefined };
    if (drawn.baseline) this.layers.baselines.append(drawn.baseline);
    // Insert before the first drawn item that comes later in the layout.
    let low = 0;
    let high = this.itemOrder.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.itemOrder[middle] < index) low = middle + 1;
      else high = middle;
    }
    const next = this.itemOrder[low];
    this.layers.items.insertBefore(wrapper, next === undefined ? null : this.items.get(next)!.wrapper);
    this.itemOrder.splice(low, 0, index);
    this.items.set(index, drawn);
    this.indexByElement.set(group, index);
    return drawn;
  }

  /** The focus ring, made only for the items that can show it: the tab stop and the highlighted one. */
  private addRing(index: number, parts: ItemParts): void {
    if (parts.ring) return;
    const ring = focusRingNode(this.layout.items[index]);
    if (!ring) return;
    parts.ring = toElement(this.doc, ring) as SVGRectElement;
    // Under the bar, as a ring drawn first.
    parts.group.insertBefore(parts.ring, parts.group.firstElementChild?.nextElementSibling ?? null);
  }

  private removeItem(index: number): void {
    const drawn = this.items.get(index);
    if (!drawn) return;
    drawn.wrapper.remove();
    drawn.baseline?.remove();
    this.items.delete(index);
    const at = this.itemOrder.indexOf(index);
    if (at >= 0) this.itemOrder.splice(at, 1);
  }

  // ---------------------------------------------------------------- items

  get currentId(): string | undefined {
    return this.current >= 0 ? this.layout.items[this.current].id : undefined;
  }

  /** The drawn parts of an item (undefined when it is not drawn: far from the viewport). */
  partsOf(index: number): ItemParts | undefined {
    return this.items.get(index)?.parts;
  }

  /** The item index of an event target inside the chart, or -1. */
  indexOf(target: EventTarget | null): number {
    const element = target instanceof Element ? target.closest('g.item') : null;
    return element ? (this.indexByElement.get(element) ?? -1) : -1;
  }

  indexOfId(id: string | undefined): number {
    return this.index.indexOfId(id);
  }

  boxOf(index: number): Rect | undefined {
    const item: LayoutItem | undefined = this.layout.items[index];
    return item ? itemBox(item) : undefined;
  }

  /** Moves the roving tab stop (without focusing); the tab stop is always drawn. */
  setCurrent(index: number): void {
    if (index === this.current || index >= this.layout.items.length) return;
    if (this.current >= 0) this.items.get(this.current)?.parts.group.setAttribute('tabindex', '-1');
    this.current = index;
    if (index >= 0) {
      if (this.drawn) this.ensureItem(index);
      const parts = this.items.get(index)?.parts;
      if (parts) {
        parts.group.setAttribute('tabindex', '0');
        this.addRing(index, parts);
      }
      this.handlers.selected(this.layout.items[index].id);
    }
  }

  /** Keeps an item drawn while it is dragged (-1: none). */
  setDragging(index: number): void {
    this.dragging = index;
    if (index >= 0 && this.drawn) this.ensureItem(index);
  }

  /** Marks the item whose reschedule the host has not answered yet (undefined: none). */
  setPending(id: string | undefined): void {
    const before = this.index.indexOfId(this.pendingId);
    if (before >= 0) this.items.get(before)?.parts.group.classList.remove('pending');
    this.pendingId = id;
    const index = this.index.indexOfId(id);
    if (index >= 0) this.items.get(index)?.parts.group.classList.add('pending');
  }

  /** Moves the tab stop to an item and focuses it, scrolling it into view (drawn first). */
  focusIndex(index: number): void {
    if (index < 0 || index >= this.layout.items.length) return;
    this.setCurrent(index);
    this.scrollIntoView(index);
    this.ensureItem(index)?.parts.group.focus({ preventScroll: true });
  }

  /** Focuses the tab stop where it is (after a redraw that had focus in the chart). */
  focusCurrent(): void {
    if (this.current >= 0) this.ensureItem(this.current)?.parts.group.focus({ preventScroll: true });
  }

  /** Click or Enter: select, focus and reveal. */
  activate(index: number): void {
    if (index < 0) return;
    this.focusIndex(index);
    this.handlers.reveal(this.layout.items[index].id);
  }

  /** The editor's cursor is on this id: mark it, make it the tab stop and bring it into view (focus stays in the editor). */
  highlight(id: string | undefined, follow = true): void {
    if (this.highlighted >= 0) this.items.get(this.highlighted)?.parts.group.classList.remove('highlighted');
    this.highlighted = this.index.indexOfId(id);
    if (this.highlighted < 0) return;
    if (this.drawn) this.ensureItem(this.highlighted);
    const parts = this.items.get(this.highlighted)?.parts;
    if (parts) {
      parts.group.classList.add('highlighted');
      this.addRing(this.highlighted, parts);
    }
    if (!follow) return;
    this.setCurrent(this.highlighted);
    this.scrollIntoView(this.highlighted);
  }

  get highlightedId(): string | undefined {
    return this.highlighted >= 0 ? this.layout.items[this.highlighted].id : undefined;
  }

  /** Scrolls the scroller so the item is visible beside the sticky axis and labels, and draws what is then near. */
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
    this.update();
  }

  private onKeyDown(event: KeyboardEvent): void {
    const index = this.indexOf(event.target);
    if (index < 0) return;
    const rows = this.index.rowsWithItems;
    const rowPosition = this.index.rowPositionOfItem[index];
    const row = rows[rowPosition] ?? [index];
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
        next = nearestIn(rows[rowPosition + 1]);
        break;
      case 'ArrowUp':
        next = nearestIn(rows[rowPosition - 1]);
        break;
      case 'ArrowRight':
        next = row[row.indexOf(index) + 1] ?? -1;
        break;
      case 'ArrowLeft':
        next = row[row.indexOf(index) - 1] ?? -1;
        break;
      case 'Home':
        next = rows[0]?.[0] ?? -1;
        break;
      case 'End': {
        const lastRow = rows[rows.length - 1];
        next = lastRow?.[lastRow.length - 1] ?? -1;
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
