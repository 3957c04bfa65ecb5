// Which part of the timeline to draw: the rows, items and arrows near the
// viewport (with overscan), found without touching the DOM. Pure, so node
// tests run it (test/webview/viewport.test.ts); render.ts draws what it picks.
import type { TimelineLayout } from '../../../server/src/timeline/layout';
import { itemBox } from '../../../server/src/timeline/svg';

/** A rectangle of the chart, in chart pixels (x from the first day, y from the first row). */
export interface Extent {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/**
 * Drawn beyond the viewport, on each side: rows above and below, pixels left
 * and right. Scrolling changes nothing in the page until the viewport comes
 * within PREFETCH_ROWS rows (PREFETCH_X pixels) of the drawn part's edge;
 * then the part around the viewport is drawn again (the rows still in it are
 * kept) when the page is idle between frames. Only when the viewport gets
 * within MARGIN_ROWS (MARGIN_X) of the edge before that, as in a fast
 * scroll, is it drawn at once, in the scroll's frame. The first drawing of a
 * plan is only NEAR_ROWS around the viewport, so it shows sooner; the
 * overscan follows a frame later.
 */
export const OVERSCAN_ROWS = 20;
export const OVERSCAN_X = 800;
export const PREFETCH_ROWS = 10;
export const PREFETCH_X = 400;
export const MARGIN_ROWS = 2;
export const MARGIN_X = 100;
export const NEAR_ROWS = 2;
export const NEAR_X = 200;
/** Horizontal extents are whole blocks of this many pixels, so a small sideways scroll redraws nothing. */
export const X_BLOCK = 200;
/**
 * A row with more items than this (an owner's track of many tasks) draws only
 * those that meet the drawn columns; other rows draw all their items, so a
 * drawn row always shows its bar, wherever the chart is scrolled sideways.
 */
export const DENSE_ROW = 8;

export interface ScrollBox {
  scrollLeft: number;
  scrollTop: number;
  /** The scroller's client size (the sticky label column and axis included). */
  clientWidth: number;
  clientHeight: number;
}

type Chart = Pick<TimelineLayout, 'width' | 'height' | 'rowHeight'>;

/** The part of the chart the scroller shows beside the sticky label column and below the sticky axis. */
export function visibleExtent(layout: Pick<TimelineLayout, 'labelWidth' | 'headerHeight'>, box: ScrollBox): Extent {
  const left = Math.max(0, box.scrollLeft);
  const top = Math.max(0, box.scrollTop);
  return { left, right: left + Math.max(0, box.clientWidth - layout.labelWidth), top, bottom: top + Math.max(0, box.clientHeight - layout.headerHeight) };
}

/** The extent grown by `rows` rows and `x` pixels on each side, snapped outwards to whole rows and X_BLOCKs, within the chart. */
export function around(layout: Chart, extent: Extent, rows: number, x: number): Extent {
  const h = layout.rowHeight;
  return {
    left: Math.max(0, Math.floor((extent.left - x) / X_BLOCK) * X_BLOCK),
    right: Math.min(layout.width, Math.ceil((extent.right + x) / X_BLOCK) * X_BLOCK),
    top: Math.max(0, Math.floor((extent.top - rows * h) / h) * h),
    bottom: Math.min(layout.height, Math.ceil((extent.bottom + rows * h) / h) * h),
  };
}

/** What the first drawing of a plan covers: the visible extent and a little around it. */
export function nearExtent(layout: Chart, visible: Extent): Extent {
  return around(layout, visible, NEAR_ROWS, NEAR_X);
}

/** What must stay drawn around the visible extent; when the drawn part does not cover it, it is drawn again at once. */
export function marginExtent(layout: Chart, visible: Extent): Extent {
  return around(layout, visible, MARGIN_ROWS, MARGIN_X);
}

/** What should stay drawn around the visible extent; when the drawn part does not cover it, it is drawn again when the page is idle. */
export function prefetchExtent(layout: Chart, visible: Extent): Extent {
  return around(layout, visible, PREFETCH_ROWS, PREFETCH_X);
}

/** What to draw for a visible extent: it, and the overscan. */
export function renderExtent(layout: Chart, visible: Extent): Extent {
  return around(layout, visible, OVERSCAN_ROWS, OVERSCAN_X);
}

export function contains(outer: Extent, inner: Extent): boolean {
  return outer.left <= inner.left && outer.right >= inner.right && outer.top <= inner.top && outer.bottom >= inner.bottom;
}

/**
 * Lookups over one layout, built once per layout: items per row, rows in a
 * vertical range, items and arrows in an extent, ids, and the rows the arrow
 * keys walk.
 */
export class LayoutIndex {
  /** Item indexes per row, in layout order. */
  readonly itemsByRow: number[][];
  /** The rows that have items, top to bottom, each with its items left to right: what the arrow keys walk. */
  readonly rowsWithItems: number[][];
  /** Per item: its position in rowsWithItems. */
  readonly rowPositionOfItem: Int32Array;
  private readonly indexById = new Map<string, number>();
  /** Per item: left and right edge of what it draws (bar, diamond, baseline). */
  private readonly itemLeft: Float64Array;
  private readonly itemRight: Float64Array;
  /** Per arrow: its bounding box (left, top, right, bottom). */
  private readonly arrowBoxes: Float64Array;
  /** Per item: the arrows that start or end at it. */
  private readonly arrowsOfItem: number[][];

  constructor(private readonly layout: TimelineLayout) {
    const { rows, items, arrows } = layout;
    this.itemsByRow = rows.map(() => []);
    this.itemLeft = new Float64Array(items.length);
    this.itemRight = new Float64Array(items.length);
    items.forEach((item, index) => {
      this.itemsByRow[item.row]?.push(index);
      if (!this.indexById.has(item.id)) this.indexById.set(item.id, index);
      const box = itemBox(item);
      let left = box ? box.x : Infinity;
      let right = box ? box.x + box.width : -Infinity;
      if (item.baseline) {
        left = Math.min(left, item.baseline.x);
        right = Math.max(right, item.baseline.x + item.baseline.width);
      }
      this.itemLeft[index] = left;
      this.itemRight[index] = right;
    });
    const left = (index: number) => (Number.isFinite(this.itemLeft[index]) ? this.itemLeft[index] : 0);
    this.rowsWithItems = this.itemsByRow.filter((indexes) => indexes.length > 0).map((indexes) => [...indexes].sort((a, b) => left(a) - left(b) || a - b));
    this.rowPositionOfItem = new Int32Array(items.length).fill(-1);
    this.rowsWithItems.forEach((indexes, position) => {
      for (const index of indexes) this.rowPositionOfItem[index] = position;
    });
    this.arrowBoxes = new Float64Array(arrows.length * 4);
    this.arrowsOfItem = items.map(() => []);
    arrows.forEach((arrow, index) => {
      for (const end of new Set([this.indexOfId(arrow.from), this.indexOfId(arrow.to)])) if (end >= 0) this.arrowsOfItem[end].push(index);
      let minX = Infinity;
      let minY = Infinity;
      let maxX = -Infinity;
      let maxY = -Infinity;
      for (const [x, y] of [...arrow.points, ...arrow.head]) {
        minX = Math.min(minX, x);
        maxX = Math.max(maxX, x);
        minY = Math.min(minY, y);
        maxY = Math.max(maxY, y);
      }
      this.arrowBoxes.set([minX, minY, maxX, maxY], index * 4);
    });
  }

  indexOfId(id: string | undefined): number {
    return id === undefined ? -1 : (this.indexById.get(id) ?? -1);
  }

  /** Rows that meet [top, bottom): [first, last) row indexes. */
  rowRange(top: number, bottom: number): [number, number] {
    const rows = this.layout.rows;
    let low = 0;
    let high = rows.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (rows[middle].y + rows[middle].height <= top) low = middle + 1;
      else high = middle;
    }
    const first = low;
    high = rows.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (rows[middle].y < bottom) low = middle + 1;
      else high = middle;
    }
    return [first, low];
  }

  /** The row under a y of the chart, or -1. */
  rowAt(y: number): number {
    const [first, last] = this.rowRange(y, y + 1e-6);
    return first < last ? first : -1;
  }

  /**
   * The items of the rows that meet the extent vertically, in layout order;
   * in dense rows (more than DENSE_ROW items) only those whose drawing meets
   * the extent horizontally.
   */
  itemsIn(extent: Extent): number[] {
    const [first, last] = this.rowRange(extent.top, extent.bottom);
    const found: number[] = [];
    for (let row = first; row < last; row++) {
      const indexes = this.itemsByRow[row];
      if (indexes.length <= DENSE_ROW) found.push(...indexes);
      else for (const index of indexes) if (this.itemRight[index] >= extent.left && this.itemLeft[index] <= extent.right) found.push(index);
    }
    return found.sort((a, b) => a - b);
  }

  /**
   * Arrows to draw with the given items: every arrow with an end at one of
   * them, and every arrow whose bounding box meets the extent (those passing
   * through it, and a few that only come near). Arrows with both ends
   * undrawn that stay clear of the extent are left out.
   */
  arrowsIn(extent: Extent, items: Iterable<number> = []): number[] {
    const found = new Set<number>();
    for (const item of items) for (const arrow of this.arrowsOfItem[item] ?? []) found.add(arrow);
    const boxes = this.arrowBoxes;
    for (let index = 0; index < boxes.length / 4; index++) {
      const at = index * 4;
      if (boxes[at + 2] >= extent.left && boxes[at] <= extent.right && boxes[at + 3] >= extent.top && boxes[at + 1] <= extent.bottom) found.add(index);
    }
    return [...found].sort((a, b) => a - b);
  }
}
