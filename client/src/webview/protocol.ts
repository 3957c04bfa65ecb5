// Messages between the timeline webview (the page) and the extension (the host).
// The page is untrusted input to the host: the host checks every message
// exactly, against the plan it shows (client/src/timeline/pageMessages.ts);
// `isFromWebview` is the page's own check of what it posts. No imports but
// types (PlanView, and the zoom and grouping of the shared layout).
import type { PlanView } from '../../../server/src/protocol/planView';
import type { Grouping, Zoom } from '../../../server/src/timeline/layout';

export type { Grouping, Zoom };
export type ExportFormat = 'svg' | 'png';

/** Host → page. */
export type ToWebview =
  /** The computed plan to draw (after every analysis of a newer version). */
  | { type: 'showPlan'; plan: PlanView }
  /** The editor's cursor is on this task or milestone id (undefined: on none). */
  | { type: 'highlight'; id: string | undefined }
  /** Export the timeline (the Export Timeline commands): the page answers with exportSvg or exportPng. */
  | { type: 'export'; format: ExportFormat };

/** Page → host. */
export type FromWebview =
  /** The page has loaded and listens. */
  | { type: 'ready' }
  /** Reveal and select this item's id in the editor (click or Enter on a bar). */
  | { type: 'reveal'; id: string }
  /** The user dragged a bar: set the task's start and/or end (ISO dates) for the plan version shown. */
  | { type: 'reschedule'; id: string; version: number; start?: string; end?: string }
  /** Save the timeline the page drew as an SVG document. */
  | { type: 'exportSvg'; svg: string }
  /** Save the timeline the page rasterised as a PNG image (base64, no `data:` prefix). */
  | { type: 'exportPng'; png: string };

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ID = /^[A-Za-z0-9_.-]{1,200}$/;
const MAX_SVG_LENGTH = 50_000_000;
/** Base64 of at most 75 MB; the page's size cap (client/src/webview/raster.ts) keeps real images far below. */
export const MAX_PNG_BASE64_LENGTH = 100_000_000;
/** The PNG signature (89 50 4E 47 0D 0A 1A 0A) and the first bits of the IHDR chunk's length, in base64. */
const PNG_BASE64_START = 'iVBORw0KGgo';
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

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
    case 'exportPng':
      return typeof message.png === 'string' && message.png.length <= MAX_PNG_BASE64_LENGTH && message.png.length % 4 === 0 && message.png.startsWith(PNG_BASE64_START) && BASE64.test(message.png);
    default:
      return false;
  }
}
