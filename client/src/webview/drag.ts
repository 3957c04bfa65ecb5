// Pointer handling on the chart: a click reveals; dragging a bar's body moves
// its start, dragging its right edge moves its end, both snapped to whole days.
// The page never keeps a moved bar: on drop it asks the host (reschedule) and
// puts the bar back until the host re-sends the plan. The dragged bar stays
// drawn while the chart scrolls (the view pins it).
import { addDays, type LayoutItem } from '../../../server/src/timeline/layout';
import { handleWidth } from '../../../server/src/timeline/svg';
import type { TimelineView } from './render';

export type DragMode = 'move' | 'end';
export interface Reschedule {
  start?: string;
  end?: string;
}

export interface DragHandlers {
  click(index: number): void;
  /** A drop at a different day. */
  commit(item: LayoutItem, change: Reschedule): void;
  /** The user tried to drag what cannot move (a computed start, a bar that spans its subtasks). */
  refuse(item: LayoutItem, mode: DragMode): void;
  /** While dragging: the dates the drop would ask for (undefined when the drag ends). */
  preview(item: LayoutItem, change: Reschedule | undefined): void;
  /** A pointer session ended (drop, click or cancel). */
  settled(): void;
}

const THRESHOLD = 4;

interface Session {
  index: number;
  item: LayoutItem;
  mode: DragMode;
  allowed: boolean;
  pointerId: number;
  startX: number;
  dragging: boolean;
  refused: boolean;
  days: number;
}

export function changeFor(item: LayoutItem, mode: DragMode, days: number): Reschedule {
  return mode === 'move' ? { start: addDays(item.start, days) } : { end: addDays(item.end, days) };
}

export function attachDrag(view: TimelineView, handlers: DragHandlers): { active(): boolean } {
  const chart = view.chart;
  const ppd = view.layout.pixelsPerDay;
  let session: Session | undefined;

  const resetPreview = (current: Session) => {
    const parts = view.partsOf(current.index);
    if (!parts) return;
    parts.group.removeAttribute('transform');
    parts.group.classList.remove('dragging');
    const bar = current.item.bar;
    if (bar && current.mode === 'end') applyWidth(current, bar.width);
  };

  const applyWidth = (current: Session, width: number) => {
    const parts = view.partsOf(current.index);
    const bar = current.item.bar!;
    if (!parts) return;
    parts.track?.setAttribute('width', String(width));
    parts.progress?.setAttribute('width', String(bar.width > 0 ? (current.item.progressWidth * width) / bar.width : 0));
    parts.handle?.setAttribute('x', String(bar.x + width - handleWidth(bar.width)));
    parts.ring?.setAttribute('width', String(width + 6));
  };

  const finish = (commit: boolean) => {
    const current = session;
    if (!current) return;
    session = undefined;
    view.setDragging(-1);
    window.removeEventListener('keydown', onKey, true);
    if (chart.hasPointerCapture(current.pointerId)) chart.releasePointerCapture(current.pointerId);
    if (current.dragging) {
      resetPreview(current);
      handlers.preview(current.item, undefined);
      if (commit && current.days !== 0) handlers.commit(current.item, changeFor(current.item, current.mode, current.days));
    } else if (current.refused) {
      const group = view.partsOf(current.index)?.group;
      if (group) window.setTimeout(() => group.classList.remove('refused'), 1500);
    } else if (commit) {
      handlers.click(current.index);
    }
    handlers.settled();
  };

  const onKey = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && session) {
      event.preventDefault();
      event.stopPropagation();
      finish(false);
    }
  };

  chart.addEventListener('pointerdown', (event) => {
    if (event.button !== 0 || session) return;
    const index = view.indexOf(event.target);
    if (index < 0) return;
    const item = view.layout.items[index];
    const mode: DragMode = event.target instanceof Element && event.target.classList.contains('bar-handle') ? 'end' : 'move';
    const allowed = item.bar !== undefined && (mode === 'move' ? item.canMove : item.canResize);
    session = { index, item, mode, allowed, pointerId: event.pointerId, startX: event.clientX, dragging: false, refused: false, days: 0 };
    view.setDragging(index);
    chart.setPointerCapture(event.pointerId);
    window.addEventListener('keydown', onKey, true);
    event.preventDefault();
  });

  chart.addEventListener('pointermove', (event) => {
    const current = session;
    if (!current || event.pointerId !== current.pointerId) return;
    const dx = event.clientX - current.startX;
    if (!current.dragging && !current.refused && Math.abs(dx) >= THRESHOLD) {
      if (current.allowed) {
        current.dragging = true;
        view.partsOf(current.index)?.group.classList.add('dragging');
      } else {
        current.refused = true;
        view.partsOf(current.index)?.group.classList.add('refused');
        handlers.refuse(current.item, current.mode);
      }
    }
    if (!current.dragging) return;
    const bar = current.item.bar!;
    let days = Math.round(dx / ppd);
    if (current.mode === 'end') days = Math.max(days, -(Math.round(bar.width / ppd) - 1)); // the end stays on or after the start
    if (days === current.days) return;
    current.days = days;
    if (current.mode === 'move') view.partsOf(current.index)?.group.setAttribute('transform', `translate(${days * ppd} 0)`);
    else applyWidth(current, bar.width + days * ppd);
    handlers.preview(current.item, changeFor(current.item, current.mode, days));
  });

  chart.addEventListener('pointerup', (event) => {
    if (session && event.pointerId === session.pointerId) finish(true);
  });
  chart.addEventListener('pointercancel', (event) => {
    if (session && event.pointerId === session.pointerId) finish(false);
  });
  chart.addEventListener('lostpointercapture', (event) => {
    if (session && event.pointerId === session.pointerId) finish(false);
  });

  return { active: () => session !== undefined };
}
