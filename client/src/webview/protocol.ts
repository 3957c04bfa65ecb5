// Messages between the timeline webview (the page) and the extension (the host).
// The page is untrusted input to the host: every message is checked by
// `isFromWebview` before use. Types only; no imports but the PlanView type.
import type { PlanView } from '../../../server/src/protocol/planView';

export type Zoom = 'day' | 'week' | 'month' | 'quarter';
export type Grouping = 'milestone' | 'owner';

/** Host → page. */
export type ToWebview =
  /** The computed plan to draw (after every analysis of a newer version). */
  | { type: 'showPlan'; plan: PlanView }
  /** The editor's cursor is on this task or milestone id (undefined: on none). */
  | { type: 'highlight'; id: string | undefined };

/** Page → host. */
export type FromWebview =
  /** The page has loaded and listens. */
  | { type: 'ready' }
  /** Reveal and select this item's id in the editor (click or Enter on a bar). */
  | { type: 'reveal'; id: string }
  /** The user dragged a bar: set the task's start and/or end (ISO dates) for the plan version shown. */
  | { type: 'reschedule'; id: string; version: number; start?: string; end?: string }
  /** Save the timeline the page drew as an SVG document. */
  | { type: 'exportSvg'; svg: string };

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ID = /^[A-Za-z0-9_.-]{1,200}$/;
const MAX_SVG_LENGTH = 50_000_000;

/** Validates a message from the page; anything else is dropped. */
export function isFromWebview(value: unknown): value is FromWebview {
  if (typeof value !== 'object' || value === null) return false;
  const message = value as Record<string, unknown>;
  switch (message.type) {
    case 'ready':
      return Object.keys(message).length === 1;
    case 'reveal':
      return typeof message.id === 'string' && ID.test(message.id);
    case 'reschedule':
      return (
        typeof message.id === 'string' &&
        ID.test(message.id) &&
        typeof message.version === 'number' &&
        Number.isInteger(message.version) &&
        (message.start === undefined || (typeof message.start === 'string' && ISO_DATE.test(message.start))) &&
        (message.end === undefined || (typeof message.end === 'string' && ISO_DATE.test(message.end))) &&
        (message.start !== undefined || message.end !== undefined)
      );
    case 'exportSvg':
      return typeof message.svg === 'string' && message.svg.length <= MAX_SVG_LENGTH && message.svg.trimStart().startsWith('<svg');
    default:
      return false;
  }
}
