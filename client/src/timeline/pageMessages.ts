// What the host accepts from the timeline page, without the vscode module
// (unit-tested in test/unit/pageMessages.test.ts). The page is untrusted: a
// plan string that slipped past the page's escaping, or a compromised page,
// could post anything. So every message is checked exactly (plain object, its
// type's keys and no others, field types, lengths, finite numbers, real
// calendar dates) against the plan the panel shows (ids must name its items,
// versions must be one it has shown), and turned into what the host may do with
// it. Nothing the page sends is ever a uri, a path or a range: reveal selects
// the range the server computed for the id, a reschedule goes to the server
// for the panel's own document, and an export is bytes the user saves where
// they choose. Anything else is dropped.
import type { PlanView, PlanViewRange } from '../../../server/src/protocol/planView';
import { MAX_PNG_BASE64_LENGTH } from '../webview/protocol';
import { PNG_MAX_PIXELS, PNG_MAX_SIDE } from '../webview/raster';
import { decodeBase64 } from './base64';

/** A message the host may act on, with what it needs taken from the plan, not from the page. */
export type PageMessage =
  | { type: 'ready' }
  /** `range`: the item's id in the plan's source, from the server's plan view. */
  | { type: 'reveal'; id: string; range: PlanViewRange }
  | { type: 'reschedule'; id: string; version: number; start?: string; end?: string }
  | { type: 'exportSvg'; svg: string }
  /** The decoded PNG file, checked chunk by chunk. */
  | { type: 'exportPng'; png: Uint8Array };

/** Ids as the schema allows them (schemas: `^[A-Za-z0-9_.-]+$`), bounded. */
const ID = /^[A-Za-z0-9_.-]{1,200}$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** A standalone SVG of 5,000 tasks is a few megabytes; far more is not one of ours. */
export const MAX_SVG_LENGTH = 50_000_000;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** The keys each message type has: required, then optional. */
const SHAPES: Record<PageMessage['type'], { required: readonly string[]; optional: readonly string[] }> = {
  ready: { required: ['type'], optional: [] },
  reveal: { required: ['type', 'id'], optional: [] },
  reschedule: { required: ['type', 'id', 'version'], optional: ['start', 'end'] },
  exportSvg: { required: ['type', 'svg'], optional: [] },
  exportPng: { required: ['type', 'png'], optional: [] },
};

const hasOwn = (object: object, key: string) => Object.prototype.hasOwnProperty.call(object, key);

/** A plain data object (what JSON or structured clone makes), with only own string keys from `allowed`. */
function plainRecord(value: unknown): Record<string, unknown> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return undefined;
  return value as Record<string, unknown>;
}

function hasExactKeys(record: Record<string, unknown>, required: readonly string[], optional: readonly string[]): boolean {
  const keys = Reflect.ownKeys(record);
  if (keys.some((key) => typeof key !== 'string' || (!required.includes(key) && !optional.includes(key)))) return false;
  return required.every((key) => hasOwn(record, key));
}

/** A real calendar day written YYYY-MM-DD (no 2026-02-30), in years 1900–2999. */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1900 || year > 2999) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** The item (milestone or task, at any depth) with this id in the plan. */
function findItem(plan: PlanView, id: string): { kind: 'milestone' | 'task'; selectionRange: PlanViewRange } | undefined {
  const inTasks = (tasks: PlanView['milestones'][number]['tasks']): { kind: 'task'; selectionRange: PlanViewRange } | undefined => {
    for (const task of tasks) {
      if (task.id === id) return { kind: 'task', selectionRange: task.selectionRange };
      const found = inTasks(task.tasks);
      if (found) return found;
    }
    return undefined;
  };
  for (const milestone of plan.milestones) {
    if (milestone.id === id) return { kind: 'milestone', selectionRange: milestone.selectionRange };
    const found = inTasks(milestone.tasks);
    if (found) return found;
  }
  return undefined;
}

const isPosition = (value: unknown): boolean => {
  const position = value as { line?: unknown; character?: unknown } | undefined;
  return typeof position === 'object' && position !== null && Number.isSafeInteger(position.line) && Number.isSafeInteger(position.character) && (position.line as number) >= 0 && (position.character as number) >= 0;
};

/** A copy of a range from the server, checked (the host builds an editor selection from it). */
function copyRange(range: PlanViewRange | undefined): PlanViewRange | undefined {
  if (!range || !isPosition(range.start) || !isPosition(range.end)) return undefined;
  return { start: { line: range.start.line, character: range.start.character }, end: { line: range.end.line, character: range.end.character } };
}

/**
 * The page's message as the host may act on it, or undefined (drop it).
 * `plan` is the plan view the panel last sent the page (undefined before the
 * first): reveal and reschedule must name its items, reschedule a version no
 * newer than its own.
 */
export function parsePageMessage(value: unknown, plan: PlanView | undefined): PageMessage | undefined {
  const message = plainRecord(value);
  if (!message || !hasOwn(message, 'type')) return undefined;
  const type = message.type;
  if (typeof type !== 'string' || !hasOwn(SHAPES, type)) return undefined;
  const shape = SHAPES[type as PageMessage['type']];
  if (!hasExactKeys(message, shape.required, shape.optional)) return undefined;
  switch (type as PageMessage['type']) {
    case 'ready':
      return { type: 'ready' };
    case 'reveal': {
      const id = message.id;
      if (!plan || typeof id !== 'string' || !ID.test(id)) return undefined;
      const range = copyRange(findItem(plan, id)?.selectionRange);
      return range ? { type: 'reveal', id, range } : undefined;
    }
    case 'reschedule': {
      const { id, version, start, end } = message;
      if (!plan || typeof id !== 'string' || !ID.test(id) || findItem(plan, id)?.kind !== 'task') return undefined;
      // An older version is the page's plan when a newer one came during the drag: the server refuses it as
      // stale and the host sends the plan again. A version the host has not shown is forged.
      if (typeof version !== 'number' || !Number.isSafeInteger(version) || version > plan.version) return undefined;
      if (start !== undefined && !isCalendarDate(start)) return undefined;
      if (end !== undefined && !isCalendarDate(end)) return undefined;
      if (start === undefined && end === undefined) return undefined;
      if (start !== undefined && end !== undefined && start > end) return undefined;
      return { type: 'reschedule', id, version, ...(start !== undefined ? { start } : {}), ...(end !== undefined ? { end } : {}) };
    }
    case 'exportSvg': {
      const svg = message.svg;
      return typeof svg === 'string' && svg.length <= MAX_SVG_LENGTH && isInertSvg(svg) ? { type: 'exportSvg', svg } : undefined;
    }
    case 'exportPng': {
      const png = message.png;
      if (typeof png !== 'string' || png.length > MAX_PNG_BASE64_LENGTH || png.length % 4 !== 0 || !BASE64.test(png)) return undefined;
      // Checked as base64 above; atob refusing it anyway (it is stricter than Buffer was) drops it too.
      const bytes = decodeBase64(png);
      return bytes && checkPng(bytes) ? { type: 'exportPng', png: bytes } : undefined;
    }
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------- PNG

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const CHUNK_TYPE = /^[A-Za-z]{4}$/;

/**
 * Whether bytes are one PNG image within the page's export cap: the
 * signature, IHDR first (13 bytes, size within PNG_MAX_SIDE a side and
 * PNG_MAX_PIXELS in all), chunks that fit, at least one IDAT, and IEND last
 * with nothing after it.
 */
export function checkPng(bytes: Uint8Array): { width: number; height: number } | undefined {
  if (bytes.length < 8 + 25 + 12 || PNG_SIGNATURE.some((byte, index) => bytes[index] !== byte)) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 8;
  let size: { width: number; height: number } | undefined;
  let sawData = false;
  while (offset + 12 <= bytes.length) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(bytes[offset + 4], bytes[offset + 5], bytes[offset + 6], bytes[offset + 7]);
    const end = offset + 12 + length;
    if (!CHUNK_TYPE.test(type) || end > bytes.length) return undefined;
    if (offset === 8) {
      if (type !== 'IHDR' || length !== 13) return undefined;
      const width = view.getUint32(offset + 8);
      const height = view.getUint32(offset + 12);
      if (width < 1 || height < 1 || width > PNG_MAX_SIDE || height > PNG_MAX_SIDE || width * height > PNG_MAX_PIXELS) return undefined;
      size = { width, height };
    } else if (type === 'IHDR') return undefined;
    if (type === 'IDAT') sawData = true;
    if (type === 'IEND') return length === 0 && end === bytes.length && sawData ? size : undefined;
    offset = end;
  }
  return undefined;
}

// ---------------------------------------------------------------- SVG

/** The elements and attributes server/src/timeline/svg.ts writes in a standalone SVG (nothing interactive, no links, no styles, no scripts). */
const SVG_ELEMENTS = new Set(['svg', 'g', 'rect', 'line', 'path', 'text', 'title']);
const SVG_ATTRIBUTES = new Set([
  'xmlns',
  'version',
  'viewBox',
  'width',
  'height',
  'x',
  'y',
  'x1',
  'y1',
  'x2',
  'y2',
  'rx',
  'd',
  'transform',
  'class',
  'role',
  'aria-label',
  'aria-hidden',
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-dasharray',
  'opacity',
  'font-family',
  'font-size',
  'font-weight',
  'text-anchor',
]);
/** In a value that is painted or drawn: no url(…) reference (to another document, or a remote one), no character reference or CSS escape that could spell one. */
const NO_REFERENCE = /url\s*\(|&#|\\/i;
const FREE_TEXT_ATTRIBUTES = new Set(['aria-label', 'class']);
/** An `&` that does not start one of the five XML entities or a character reference. */
const BARE_AMPERSAND = /&(?!(?:amp|lt|gt|quot|apos|#[0-9]{1,7}|#x[0-9A-Fa-f]{1,6});)/;
const OPEN_TAG = /<([A-Za-z][\w.:-]*)((?:\s+[A-Za-z_][\w.:-]*="[^"<]*")*)\s*(\/?)>/y;
const CLOSE_TAG = /<\/([A-Za-z][\w.:-]*)\s*>/y;
const TEXT = /[^<]*/y;
const ATTRIBUTE = /\s+([A-Za-z_][\w.:-]*)="([^"<]*)"/g;
const SVG_NAMESPACE = 'http://www.w3.org/2000/svg';

/** Only the five XML entities and character references; no bare `&`. */
function entitiesOnly(text: string): boolean {
  return !text.includes('&') || !BARE_AMPERSAND.test(text);
}

/**
 * Whether a string is an SVG document as the timeline's serialiser writes it,
 * and so inert wherever it is opened: one `<svg>` root in the SVG namespace,
 * well-formed, only the elements and attributes the timeline draws with (no
 * script, foreignObject, use, image, a, style; no on* handlers, href, or
 * style attributes; no url() references), no declarations, doctype, comments,
 * CDATA or processing instructions, text with the five entities only.
 */
export function isInertSvg(svg: string): boolean {
  let offset = 0;
  const stack: string[] = [];
  let rootSeen = false;
  while (offset < svg.length) {
    TEXT.lastIndex = offset;
    const text = TEXT.exec(svg)![0];
    if (text.length > 0) {
      if (stack.length === 0 ? text.trim() !== '' : !entitiesOnly(text)) return false;
      offset += text.length;
      continue;
    }
    CLOSE_TAG.lastIndex = offset;
    const close = CLOSE_TAG.exec(svg);
    if (close) {
      if (stack.pop() !== close[1]) return false;
      offset = CLOSE_TAG.lastIndex;
      continue;
    }
    OPEN_TAG.lastIndex = offset;
    const open = OPEN_TAG.exec(svg);
    if (!open) return false; // <!DOCTYPE, <!--, <![CDATA[, <?xml, or not well-formed
    const [, name, attributes, selfClosing] = open;
    if (!SVG_ELEMENTS.has(name)) return false;
    if (stack.length === 0) {
      if (rootSeen || name !== 'svg') return false;
      rootSeen = true;
    }
    const seen = new Set<string>();
    for (const [, attribute, value] of attributes.matchAll(ATTRIBUTE)) {
      if (!SVG_ATTRIBUTES.has(attribute) || seen.has(attribute)) return false;
      seen.add(attribute);
      if (!entitiesOnly(value)) return false;
      if (attribute === 'xmlns' ? stack.length > 0 || value !== SVG_NAMESPACE : !FREE_TEXT_ATTRIBUTES.has(attribute) && NO_REFERENCE.test(value)) return false;
    }
    if (stack.length === 0 && !seen.has('xmlns')) return false;
    offset = OPEN_TAG.lastIndex;
    if (!selfClosing) stack.push(name);
  }
  return rootSeen && stack.length === 0;
}

// ---------------------------------------------------------------- what the host does in return

/** A workspace edit as the server sends it (LSP). */
export interface ProtocolEditShape {
  changes?: Record<string, unknown>;
  documentChanges?: unknown;
  changeAnnotations?: unknown;
}

/**
 * Whether the server's answer to a reschedule edits nothing but the panel's
 * own plan: text edits of `uri` only; no other file, no file creation,
 * rename or deletion.
 */
export function editsOnly(edit: ProtocolEditShape | null | undefined, uri: string): boolean {
  if (!edit || typeof edit !== 'object') return false;
  if (edit.documentChanges !== undefined || edit.changeAnnotations !== undefined) return false;
  return Object.keys(edit.changes ?? {}).every((key) => key === uri);
}

/** Schemes a timeline may be revived for (the page's saved state names its plan). */
const REVIVABLE_SCHEMES = /^(file|vscode-remote|vscode-vfs):\/\//;
/** Control characters, `?query` and `#fragment` have no place in a plan's uri. */
const NOT_IN_PLAN_URI = /[\u0000-\u001f\u007f?#\\]/;

/**
 * The plan uri a timeline panel may be revived for, from the page's saved
 * state (written by the page, so untrusted): a string naming a *.plan.yaml or
 * *.plan.yml file, with no query or fragment, in a scheme of the workspace's
 * own files. The host also requires it to be inside a workspace folder.
 */
export function revivablePlanUri(state: unknown): string | undefined {
  const record = plainRecord(state);
  const uri = record && hasOwn(record, 'uri') ? record.uri : undefined;
  if (typeof uri !== 'string' || uri.length > 2048 || !REVIVABLE_SCHEMES.test(uri) || NOT_IN_PLAN_URI.test(uri)) return undefined;
  if (!/\.plan\.ya?ml$/i.test(uri)) return undefined;
  // No way out of the folder it names.
  if (uri.split('/').some((segment) => segment === '..' || segment === '.' || /^(%2e|\.){1,2}$/i.test(segment))) return undefined;
  return uri;
}
