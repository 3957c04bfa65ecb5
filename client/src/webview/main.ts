// The timeline page: message loop with the host, toolbar, state that survives
// hide/reload (zoom, grouping, scroll, selection), drag to reschedule, export
// (SVG and PNG). Runs in the webview: no Node, no vscode module, nothing
// remote, no inline styles or scripts (the host's CSP forbids them). Big plans
// stay fast: the view draws only what is near the viewport (render.ts).
import './timeline.css';
import type { PlanView } from '../../../server/src/protocol/planView';
import { computeLayout, dayAt, fitZoom, GROUPINGS, LABEL_WIDTH, xOfDay, ZOOMS, type Grouping, type LayoutItem, type Zoom } from '../../../server/src/timeline/layout';
import { timelineSize } from '../../../server/src/timeline/svg';
import { attachDrag, type DragMode, type Reschedule } from './drag';
import { rasterise } from './exportPng';
import { exportSvg } from './exportSvg';
import { isFromWebview, type ExportFormat, type FromWebview, type ToWebview } from './protocol';
import { PNG_MAX_PIXELS, PNG_MAX_SIDE } from './raster';
import { TimelineView } from './render';

/** What getState/setState keep; the host may read `uri` to revive the panel. */
export interface PageState {
  uri?: string;
  zoom: Zoom;
  grouping: Grouping;
  scrollLeft: number;
  scrollTop: number;
  selectedId?: string;
}

const vscode = acquireVsCodeApi<PageState>();

function restoredState(): PageState | undefined {
  const saved = vscode.getState() as Partial<PageState> | undefined;
  if (!saved || typeof saved !== 'object') return undefined;
  return {
    uri: typeof saved.uri === 'string' ? saved.uri : undefined,
    zoom: ZOOMS.includes(saved.zoom as Zoom) ? (saved.zoom as Zoom) : 'week',
    grouping: GROUPINGS.includes(saved.grouping as Grouping) ? (saved.grouping as Grouping) : 'milestone',
    scrollLeft: Number.isFinite(saved.scrollLeft) ? Number(saved.scrollLeft) : 0,
    scrollTop: Number.isFinite(saved.scrollTop) ? Number(saved.scrollTop) : 0,
    selectedId: typeof saved.selectedId === 'string' ? saved.selectedId : undefined,
  };
}

const restored = restoredState();
const state: PageState = restored ?? { zoom: 'week', grouping: 'milestone', scrollLeft: 0, scrollTop: 0 };
/** With no saved state, the first plan is shown fitted to the window. */
let fitOnFirstPlan = restored === undefined;

let plan: PlanView | undefined;
let view: TimelineView | undefined;
let drag: { active(): boolean } | undefined;
let deferredPlan: PlanView | undefined;
let highlightId: string | undefined;
/** A reschedule asked of the host and not yet answered by a new plan. */
let pendingId: string | undefined;

function post(message: FromWebview): boolean {
  if (!isFromWebview(message)) return false; // the host would drop it anyway (e.g. an id it cannot address)
  vscode.postMessage(message);
  return true;
}

function saveState(): void {
  vscode.setState({ ...state });
}

// ---------------------------------------------------------------- page structure

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, textContent?: string): HTMLElementTagNameMap[K] {
  const created = document.createElement(tag);
  if (className) created.className = className;
  if (textContent !== undefined) created.textContent = textContent;
  return created;
}

/** The host's shell (client/src/timeline/timelineHtml.ts) provides `<div id="app">`; the body does otherwise. */
const root = document.getElementById('app') ?? document.body;
const app = element('div', 'timeline-app');
const toolbar = element('div', 'toolbar');
toolbar.setAttribute('role', 'toolbar');
toolbar.setAttribute('aria-label', 'Timeline');

function button(label: string, name: string, onClick: () => void, title?: string): HTMLButtonElement {
  const created = element('button', 'tool', label);
  created.type = 'button';
  created.dataset.action = name;
  if (title) created.title = title;
  created.addEventListener('click', onClick);
  return created;
}

function buttonGroup(label: string, buttons: HTMLButtonElement[]): HTMLElement {
  const group = element('div', 'tool-group');
  group.setAttribute('role', 'group');
  group.setAttribute('aria-label', label);
  group.append(...buttons);
  return group;
}

const ZOOM_LABELS: Record<Zoom, string> = { day: 'Day', week: 'Week', month: 'Month', quarter: 'Quarter' };
const zoomButtons = ZOOMS.map((zoom) => button(ZOOM_LABELS[zoom], `zoom-${zoom}`, () => setZoom(zoom), `Zoom: one column per ${zoom}`));
const fitButton = button('Fit', 'fit', () => fit(), 'Fit the whole plan in the window');
const groupingButtons = GROUPINGS.map((grouping) =>
  button(grouping === 'milestone' ? 'Milestones' : 'Owners', `group-${grouping}`, () => setGrouping(grouping), grouping === 'milestone' ? 'Group tasks under their milestones' : 'One lane per owner, with their load'),
);
const exportButton = button('Export SVG', 'export', () => void exportTimeline('svg'), 'Save the timeline as an SVG file');
const exportPngButton = button('Export PNG', 'export-png', () => void exportTimeline('png'), 'Save the timeline as a PNG image');
const problems = element('span', 'problems');
const status = element('span', 'status');
status.setAttribute('role', 'status');
status.setAttribute('aria-live', 'polite');
toolbar.append(buttonGroup('Zoom', [...zoomButtons, fitButton]), buttonGroup('Group by', groupingButtons), buttonGroup('Export', [exportButton, exportPngButton]), problems, status);

const message = element('div', 'message', 'Waiting for the plan…');
const scroller = element('div', 'scroller');
app.append(toolbar, message, scroller);
root.append(app);

function updateToolbar(): void {
  ZOOMS.forEach((zoom, index) => zoomButtons[index].setAttribute('aria-pressed', String(state.zoom === zoom)));
  GROUPINGS.forEach((grouping, index) => groupingButtons[index].setAttribute('aria-pressed', String(state.grouping === grouping)));
  exportButton.disabled = plan === undefined;
  exportPngButton.disabled = plan === undefined || exportingPng;
  fitButton.disabled = plan === undefined;
  if (plan?.problems) {
    const { errors, warnings } = plan.problems;
    const parts = [errors ? `${errors} error${errors === 1 ? '' : 's'}` : '', warnings ? `${warnings} warning${warnings === 1 ? '' : 's'}` : ''].filter(Boolean);
    problems.textContent = parts.join(' · ');
    problems.hidden = parts.length === 0;
  } else problems.hidden = true;
}

function say(text: string): void {
  status.textContent = text;
}

// ---------------------------------------------------------------- drawing

/** The day at the middle of the visible chart (kept across zoom changes). */
function centreDay(): string | undefined {
  if (!view) return undefined;
  return dayAt(view.layout, scroller.scrollLeft + Math.max(0, scroller.clientWidth - LABEL_WIDTH) / 2);
}

function render(options: { centre?: string; scroll?: { left: number; top: number } } = {}): void {
  if (!plan) return;
  const layout = computeLayout(plan, { zoom: state.zoom, grouping: state.grouping });
  const hadFocus = view !== undefined && view.chart.contains(document.activeElement);
  view?.dispose();
  view = new TimelineView(document, layout, scroller, { reveal, selected }, state.selectedId);
  scroller.replaceChildren(view.element);
  drag = attachDrag(view, {
    click: (index) => view?.activate(index),
    commit: reschedule,
    refuse,
    preview: (item, change) => say(change ? `${item.id}: ${describe(change)} (drop to ask for it)` : ''),
    settled: () => {
      if (deferredPlan) {
        const next = deferredPlan;
        deferredPlan = undefined;
        showPlan(next, false); // it arrived before the drop: not the host's answer to it
      }
    },
  });
  view.highlight(highlightId, false);
  view.setPending(pendingId);
  if (layout.items.length === 0) {
    message.textContent = 'This plan has no milestones or tasks to draw yet.';
    message.hidden = false;
  } else message.hidden = true;

  if (options.centre !== undefined) {
    const x = xOfDay(layout, options.centre);
    if (x !== undefined) scroller.scrollLeft = Math.max(0, x - Math.max(0, scroller.clientWidth - LABEL_WIDTH) / 2);
  } else if (options.scroll) {
    scroller.scrollLeft = options.scroll.left;
    scroller.scrollTop = options.scroll.top;
  }
  // Draw what is near the viewport now, not on the next scroll event.
  view.update(true);
  if (hadFocus) view.focusCurrent();
  updateToolbar();
  rememberScroll();
}

function selected(id: string): void {
  if (state.selectedId === id) return;
  state.selectedId = id;
  saveState();
}

function reveal(id: string): void {
  if (!post({ type: 'reveal', id })) say(`Cannot show “${id}” in the plan: its id is not valid.`);
}

// ---------------------------------------------------------------- messages from the host

function isPlanView(value: unknown): value is PlanView {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<PlanView>;
  return typeof candidate.uri === 'string' && typeof candidate.version === 'number' && typeof candidate.start === 'string' && typeof candidate.asOf === 'string' && Array.isArray(candidate.milestones);
}

function isToWebview(value: unknown): value is ToWebview {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { type?: unknown; plan?: unknown; id?: unknown };
  if (candidate.type === 'showPlan') return isPlanView(candidate.plan);
  if (candidate.type === 'highlight') return candidate.id === undefined || typeof candidate.id === 'string';
  if (candidate.type === 'export') return (candidate as { format?: unknown }).format === 'svg' || (candidate as { format?: unknown }).format === 'png';
  return false;
}

function showPlan(next: PlanView, answersReschedule = true): void {
  if (drag?.active()) {
    deferredPlan = next; // drawn when the pointer is released
    return;
  }
  const samePlan = plan?.uri === next.uri || (plan === undefined && (state.uri === undefined || state.uri === next.uri));
  const scroll = plan ? { left: scroller.scrollLeft, top: scroller.scrollTop } : { left: state.scrollLeft, top: state.scrollTop };
  if (pendingId !== undefined && answersReschedule) {
    pendingId = undefined; // the host answered the reschedule with this plan
    say('');
  }
  plan = next;
  if (!samePlan) {
    state.selectedId = undefined;
    fitOnFirstPlan = true;
  }
  state.uri = next.uri;
  if (fitOnFirstPlan) {
    fitOnFirstPlan = false;
    state.zoom = fitZoom(next, Math.max(0, scroller.clientWidth - LABEL_WIDTH - 2));
    render({ scroll: { left: 0, top: 0 } });
  } else render({ scroll });
  saveState();
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const data = event.data;
  if (!isToWebview(data)) return;
  switch (data.type) {
    case 'showPlan':
      showPlan(data.plan);
      break;
    case 'highlight':
      highlightId = data.id;
      view?.highlight(data.id);
      break;
    case 'export':
      void exportTimeline(data.format);
      break;
    default: {
      const never: never = data;
      void never;
    }
  }
});

// ---------------------------------------------------------------- toolbar actions

function setZoom(zoom: Zoom): void {
  if (zoom === state.zoom && view) return;
  const centre = centreDay();
  state.zoom = zoom;
  render({ centre });
  saveState();
}

function fit(): void {
  if (!plan) return;
  state.zoom = fitZoom(plan, Math.max(0, scroller.clientWidth - LABEL_WIDTH - 2));
  render({ scroll: { left: 0, top: scroller.scrollTop } });
  saveState();
}

function setGrouping(grouping: Grouping): void {
  if (grouping === state.grouping) return;
  state.grouping = grouping;
  render({ scroll: { left: scroller.scrollLeft, top: 0 } });
  if (view) view.scrollIntoView(view.indexOfId(state.selectedId));
  saveState();
}

let exportingPng = false;

async function exportTimeline(format: ExportFormat): Promise<void> {
  if (!view) return;
  const layout = view.layout;
  if (format === 'svg') {
    const svg = exportSvg(document, layout);
    if (post({ type: 'exportSvg', svg })) say('Exported the timeline as SVG.');
    else say('The timeline is too large to export.');
    return;
  }
  if (exportingPng) return;
  exportingPng = true;
  updateToolbar();
  say('Exporting the timeline as PNG…');
  try {
    const { width, height } = timelineSize(layout);
    const raster = await rasterise(document, exportSvg(document, layout), width, height, window.devicePixelRatio);
    const size = `${raster.width} × ${raster.height} pixels`;
    if (!post({ type: 'exportPng', png: raster.base64 })) say('The timeline is too large to export as PNG; export SVG instead.');
    else if (raster.capped)
      say(`Exported the timeline as PNG, ${size}: scaled to ${Math.round(raster.scale * 100)}% to stay within ${PNG_MAX_SIDE} pixels a side and ${PNG_MAX_PIXELS / 1024 / 1024} megapixels. Export SVG for full detail.`);
    else say(`Exported the timeline as PNG, ${size}.`);
  } catch (error) {
    say(`Could not export the timeline as PNG: ${(error as Error).message}.`);
  } finally {
    exportingPng = false;
    updateToolbar();
  }
}

// ---------------------------------------------------------------- drag to reschedule

function describe(change: Reschedule): string {
  return [change.start ? `start ${change.start}` : '', change.end ? `end ${change.end}` : ''].filter(Boolean).join(', ');
}

function reschedule(item: LayoutItem, change: Reschedule): void {
  if (!plan) return;
  const sent = post({ type: 'reschedule', id: item.id, version: plan.version, ...change });
  if (!sent) {
    say(`Cannot reschedule “${item.id}”.`);
    return;
  }
  // The bar went back to where the plan has it; it moves when the host re-sends the plan.
  pendingId = item.id;
  view?.setPending(item.id);
  say(`Asked to set ${item.id}'s ${describe(change)}; waiting for the plan to update.`);
}

function refuse(item: LayoutItem, mode: DragMode): void {
  if (item.kind === 'milestone') say(`${item.id} is a milestone: it moves with its tasks; change its due in the plan.`);
  else if (mode === 'move')
    say(item.canResize ? `${item.id} starts when its dependencies end (its start is computed): drag its right edge to change its end, or write a start in the plan.` : `${item.id} starts when its dependencies end and spans its subtasks: reschedule its subtasks.`);
  else say(`${item.id} spans its subtasks: it has no end of its own to drag.`);
}

// ---------------------------------------------------------------- scroll state

/** The scroll position is saved once scrolling pauses, not every frame (each save is a message to the host). */
const SCROLL_SAVE_DELAY_MS = 100;
let scrollSave: number | undefined;
function rememberScroll(): void {
  state.scrollLeft = scroller.scrollLeft;
  state.scrollTop = scroller.scrollTop;
}
function saveScroll(): void {
  if (scrollSave !== undefined) window.clearTimeout(scrollSave);
  scrollSave = undefined;
  rememberScroll();
  saveState();
}
scroller.addEventListener('scroll', () => {
  // Synchronously: scroll events come once a frame, before it is drawn.
  view?.update();
  if (scrollSave !== undefined) window.clearTimeout(scrollSave);
  scrollSave = window.setTimeout(saveScroll, SCROLL_SAVE_DELAY_MS);
});
document.addEventListener('visibilitychange', () => {
  if (scrollSave !== undefined) saveScroll();
});

// A taller or wider window shows more of the chart.
new ResizeObserver(() => view?.update()).observe(scroller);

updateToolbar();
saveState();
post({ type: 'ready' });
