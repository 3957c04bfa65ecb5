import type { Span } from './types';
import { LineIndex } from './lineIndex';

// Where the cursor is, structurally, read from the text alone: which key's
// value it belongs to, whether it is at a key or a value, in a block or a flow
// collection, and the word being typed. People complete while the file is
// broken (an unclosed `[`, a half-typed key, a tab elsewhere), so this never
// asks the YAML parser: it follows indentation line by line, the way a person
// reads the file, and reads flow collections bracket by bracket.

/** One step from the plan's root to the cursor: a key, or an entry of a list. */
export type PathSegment =
  | { kind: 'key'; name: string }
  | {
      kind: 'item';
      /** Scalar values of the entry's mapping (e.g. its `id`), when it is one. */
      fields: Map<string, string>;
      /** Ids declared anywhere inside the entry (its subtasks), from the text. */
      descendantIds: string[];
    };

export interface CursorContext {
  /**
   * `key`: a key of the mapping at `path` goes here. `value`: the value of the
   * node at `path` goes here (a scalar, a list entry when `path` ends with an
   * item, or the start of a new entry's mapping). `block`: a fresh line inside
   * the value of the key at `path`, which may be a mapping (keys), a list
   * (entries after a dash) or a multi-line scalar: the schema decides.
   */
  mode: 'key' | 'value' | 'block';
  path: PathSegment[];
  /** The word at the cursor, [start, end), replaced by a completion. */
  replace: Span;
  /** The word's text up to the cursor. */
  prefix: string;
  /** Keys already in the mapping (key and block modes), the one being typed excluded. */
  presentKeys: Set<string>;
  /** Entries already in the list around the cursor, the one being typed excluded. */
  listEntries: string[];
  /** Inside a flow collection (`[…]`, `{…}`): completions stay on one line. */
  flow: boolean;
  /** The cursor follows `:` or `-` directly: a space must come first. */
  needsSpace: boolean;
  /** A list entry goes here but no `- ` is typed yet. */
  needsDash: boolean;
  /** Key mode: a `:` already follows the word (the key is being renamed). */
  colonFollows: boolean;
  /** Column where the inserted text starts (after `needsSpace`), for multi-line snippets. */
  column: number;
}

/** What the text says about the plan's entities, for files the parser reads only in part. */
export interface TextOutline {
  items: {
    kind: 'goal' | 'milestone' | 'task' | 'risk';
    id: string;
    title: string | undefined;
    offset: number;
    /** The milestone or task it sits in. */
    parentId: string | undefined;
    /** Its own depends_on entries. */
    dependsOn: string[];
  }[];
  people: { id: string; offset: number }[];
}

interface Frame {
  type: 'root' | 'key' | 'item';
  col: number;
  name: string;
  parent: Frame | undefined;
  line: number;
  offset: number;
  /** A key whose value sits on its own line (scalar or flow): no block children can follow. */
  closed: boolean;
  /** The scalar or flow text on the frame's line (a key's value, a list entry's text). */
  value: string;
  children: Map<string, Frame>;
  items: Frame[];
  ids: string[];
}

interface LineShape {
  indent: number;
  dashes: number[];
  key: { name: string; col: number } | undefined;
  valueCol: number;
  value: string;
}

const KEY = /^(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)'|([^\s#'"[\]{},:|>&*!%@`][^\s:#]*(?:[ \t]+[^\s:#]+)*))[ \t]*:(?=[ \t]|$)/;
const BLOCK_SCALAR = /^[|>][0-9+-]*$/;

function isSpace(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t';
}

/** Characters of a word that a completion replaces: ids (`-`, `_`, `.`), dates, percentages, paths. */
function isWordChar(ch: string | undefined): boolean {
  return ch !== undefined && !/[\s,[\]{}:"'#]/.test(ch);
}

function skipSpaces(text: string, index: number): number {
  while (isSpace(text[index])) index++;
  return index;
}

/** Cuts a trailing comment (`#` after whitespace, outside quotes). */
function stripComment(text: string): string {
  let quote: string | undefined;
  for (let index = 0; index < text.length; index++) {
    const ch = text[index];
    if (quote) {
      if (ch === quote) quote = undefined;
      continue;
    }
    if ((ch === '"' || ch === "'") && (index === 0 || /[\s[{,]/.test(text[index - 1]))) quote = ch;
    else if (ch === '#' && (index === 0 || isSpace(text[index - 1]))) return text.slice(0, index);
  }
  return text;
}

function shapeOf(line: string): LineShape | undefined {
  let index = skipSpaces(line, 0);
  const indent = index;
  if (index >= line.length || line[index] === '#') return undefined;
  if (indent === 0 && /^(---|\.\.\.)(\s|$)/.test(line)) return undefined;
  const dashes: number[] = [];
  while (line[index] === '-' && (index + 1 === line.length || isSpace(line[index + 1]))) {
    dashes.push(index);
    index = skipSpaces(line, index + 1);
  }
  let key: LineShape['key'];
  const match = KEY.exec(line.slice(index));
  if (match) {
    key = { name: match[1] ?? match[2]?.replace(/''/g, "'") ?? match[3], col: index };
    index = skipSpaces(line, index + match[0].length);
  }
  return { indent, dashes, key, valueCol: index, value: stripComment(line.slice(index)).trimEnd() };
}

/** Net bracket depth of a flow text (quotes and comments skipped). */
function bracketDepth(text: string): number {
  let depth = 0;
  let quote: string | undefined;
  for (let index = 0; index < text.length; index++) {
    const ch = text[index];
    if (quote) {
      if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '#' && (index === 0 || /\s/.test(text[index - 1]))) {
      const newline = text.indexOf('\n', index);
      if (newline === -1) break;
      index = newline;
    } else if (ch === '[' || ch === '{') depth++;
    else if (ch === ']' || ch === '}') depth--;
  }
  return depth;
}

function newFrame(type: Frame['type'], col: number, name: string, parent: Frame | undefined, line: number, offset: number): Frame {
  return { type, col, name, parent, line, offset, closed: false, value: '', children: new Map(), items: [], ids: [] };
}

function top(stack: Frame[]): Frame {
  return stack[stack.length - 1];
}

/** A `- ` at column `col`: closes deeper and sibling entries; the list belongs to the key left on top. */
function applyDash(stack: Frame[], col: number, line: number, offset: number, record: boolean): Frame {
  for (;;) {
    const frame = top(stack);
    if (frame.type === 'root') break;
    if (frame.col > col || (frame.col === col && frame.type === 'item') || (frame.type === 'key' && frame.closed)) stack.pop();
    else break;
  }
  const parent = top(stack);
  const item = newFrame('item', col, '', parent, line, offset);
  if (record) parent.items.push(item);
  stack.push(item);
  return item;
}

/** `name:` at column `col`: closes deeper and sibling keys; the mapping is the frame left on top. */
function applyKey(stack: Frame[], col: number, name: string, line: number, offset: number, record: boolean): Frame {
  for (;;) {
    const frame = top(stack);
    if (frame.type === 'root') break;
    if (frame.col >= col || (frame.type === 'key' && frame.closed)) stack.pop();
    else break;
  }
  const parent = top(stack);
  const key = newFrame('key', col, name, parent, line, offset);
  if (record && !parent.children.has(name)) parent.children.set(name, key);
  stack.push(key);
  return key;
}

interface FlowState {
  frame: Frame;
  /** Lines of the flow collection are indented deeper than this. */
  openerCol: number;
  depth: number;
  start: number;
}

interface Snapshot {
  stack: Frame[];
  flow: FlowState | undefined;
  blockScalarCol: number | undefined;
  /** Frames the real pass created on the cursor line, to stand in for the virtual ones. */
  lineFrames: Frame[];
}

class Outline {
  readonly root = newFrame('root', -1, '', undefined, -1, 0);
  readonly stack: Frame[] = [this.root];
  readonly allItems: Frame[] = [];
  flow: FlowState | undefined;
  blockScalarCol: number | undefined;

  /** Feeds one line; returns the frames created on it. */
  feed(lineText: string, line: number, lineOffset: number): Frame[] {
    const created: Frame[] = [];
    const shape = shapeOf(lineText);
    const indent = skipSpaces(lineText, 0);
    if (this.blockScalarCol !== undefined) {
      if (!shape || indent > this.blockScalarCol) return created;
      this.blockScalarCol = undefined;
    }
    if (this.flow) {
      if (!shape && indent >= lineText.length) return created;
      if (indent > this.flow.openerCol) {
        this.flow.frame.value += `\n${stripComment(lineText).trimEnd()}`;
        this.flow.depth += bracketDepth(stripComment(lineText));
        if (this.flow.depth <= 0) this.flow = undefined;
        return created;
      }
      // Indented no deeper than its opener: the collection was left unclosed.
      this.flow = undefined;
    }
    if (!shape) return created;
    let owner: Frame | undefined;
    for (const dash of shape.dashes) {
      owner = applyDash(this.stack, dash, line, lineOffset + dash, true);
      created.push(owner);
      this.allItems.push(owner);
    }
    if (shape.key) {
      owner = applyKey(this.stack, shape.key.col, shape.key.name, line, lineOffset + shape.key.col, true);
      created.push(owner);
      owner.value = shape.value;
      owner.closed = shape.value !== '' && !/^[&!][^\s]*$/.test(shape.value);
      if (shape.key.name === 'id' && shape.value !== '' && !/^[[{]/.test(shape.value)) {
        const id = unquote(shape.value);
        for (let ancestor = owner.parent?.parent; ancestor; ancestor = ancestor.parent) ancestor.ids.push(id);
      }
      if (BLOCK_SCALAR.test(shape.value)) this.blockScalarCol = shape.key.col;
    } else if (owner) {
      owner.value = shape.value;
    }
    if (owner && /^[[{]/.test(shape.value)) {
      const depth = bracketDepth(shape.value);
      if (depth > 0) {
        const openerCol = shape.key ? shape.key.col : shape.dashes[shape.dashes.length - 1];
        this.flow = { frame: owner, openerCol, depth, start: lineOffset + shape.valueCol };
      }
    }
    return created;
  }

  snapshot(): Omit<Snapshot, 'lineFrames'> {
    return { stack: [...this.stack], flow: this.flow && { ...this.flow }, blockScalarCol: this.blockScalarCol };
  }

  textOutline(): TextOutline {
    const items: TextOutline['items'] = [];
    for (const frame of this.allItems) {
      const list = frame.parent;
      if (!list || list.type !== 'key') continue;
      const atRoot = list.parent?.type === 'root';
      const kind =
        atRoot && list.name === 'milestones' ? 'milestone'
        : atRoot && list.name === 'goals' ? 'goal'
        : atRoot && list.name === 'risks' ? 'risk'
        : list.name === 'tasks' && list.parent?.type === 'item' ? 'task'
        : undefined;
      if (!kind) continue;
      const fields = fieldsOf(frame);
      const id = fields.get('id');
      if (!id) continue;
      const parent = kind === 'task' ? list.parent : undefined;
      const parentId = parent ? fieldsOf(parent).get('id') : undefined;
      items.push({ kind, id, title: fields.get('title'), offset: frame.offset, parentId, dependsOn: listValues(frame, 'depends_on') });
    }
    const people: TextOutline['people'] = [];
    const peopleFrame = this.root.children.get('people');
    if (peopleFrame) for (const [id, frame] of peopleFrame.children) people.push({ id, offset: frame.offset });
    return { items, people };
  }
}

/** The entries of a list-valued key of an entry, written as a flow or a block list. */
function listValues(frame: Frame, key: string): string[] {
  const child = frame.children.get(key);
  if (!child && frame.value.startsWith('{')) {
    // A one-line flow mapping entry: read its key's flow list from the text.
    const match = new RegExp(`[{,]\\s*${key}\\s*:\\s*\\[([^\\]]*)`).exec(frame.value);
    return match ? flowEntriesAfter(match[1], 'seq').map(unquote) : [];
  }
  if (!child) return [];
  if (child.value.startsWith('[')) return flowEntriesAfter(child.value.slice(1), 'seq').map(unquote);
  return child.items.filter((item) => item.value !== '' && !/^[[{]/.test(item.value)).map((item) => unquote(item.value));
}

function unquote(value: string): string {
  if (/^"(.*)"$/.test(value)) return value.slice(1, -1);
  if (/^'(.*)'$/.test(value)) return value.slice(1, -1).replace(/''/g, "'");
  return value;
}

/** Scalar values of a block entry's mapping, or of its one-line flow mapping `- { id: a }`. */
function fieldsOf(frame: Frame, excludeLine = -1): Map<string, string> {
  const fields = new Map<string, string>();
  if (frame.value.startsWith('{')) {
    const levels = scanFlow(frame.value).levels;
    // Closed on its line: scan the text as if still open, by dropping the last brace.
    const open = levels.length > 0 ? levels : scanFlow(frame.value.replace(/}\s*$/, '')).levels;
    if (open[0]?.type === 'map') for (const [key, value] of open[0].values) fields.set(key, value);
  }
  for (const [name, child] of frame.children) {
    if (child.line === excludeLine || child.value === '' || /^[[{|>]/.test(child.value)) continue;
    fields.set(name, unquote(child.value));
  }
  return fields;
}

// ── flow collections ───────────────────────────────────────────────────

interface FlowLevel {
  type: 'seq' | 'map';
  /** Seq: its scalar entries; map: its keys. */
  entries: string[];
  /** Map: scalar values by key. */
  values: Map<string, string>;
  /** Map: the key whose value is being written. */
  key: string | undefined;
  afterColon: boolean;
}

/** Reads a flow collection from its opening bracket up to the cursor: the open levels, innermost last. */
function scanFlow(text: string): { levels: FlowLevel[]; inQuote: boolean } {
  const levels: FlowLevel[] = [];
  let token = '';
  let collection = false;
  const commit = () => {
    const level = levels[levels.length - 1];
    const value = collection ? '' : token.trim();
    if (level) {
      if (level.type === 'seq') {
        if (value !== '') level.entries.push(value);
      } else if (level.afterColon) {
        if (level.key !== undefined && value !== '') level.values.set(level.key, value);
      } else if (value !== '') {
        level.entries.push(value);
      }
      level.key = undefined;
      level.afterColon = false;
    }
    token = '';
    collection = false;
  };
  for (let index = 0; index < text.length; index++) {
    const ch = text[index];
    if ((ch === '"' || ch === "'") && token.trim() === '') {
      const close = findClosingQuote(text, index);
      if (close === -1) return { levels, inQuote: true };
      token = text.slice(index + 1, close);
      index = close;
      continue;
    }
    if (ch === '#' && (index === 0 || /\s/.test(text[index - 1]))) {
      const newline = text.indexOf('\n', index);
      if (newline === -1) break;
      index = newline - 1;
      continue;
    }
    if (ch === '[' || ch === '{') {
      levels.push({ type: ch === '[' ? 'seq' : 'map', entries: [], values: new Map(), key: undefined, afterColon: false });
      token = '';
      continue;
    }
    if (ch === ']' || ch === '}') {
      commit();
      levels.pop();
      collection = true;
      continue;
    }
    if (ch === ',') {
      commit();
      continue;
    }
    const level = levels[levels.length - 1];
    if (ch === ':' && level?.type === 'map' && !level.afterColon && (index + 1 === text.length || /[\s,\]}]/.test(text[index + 1]))) {
      level.key = token.trim();
      level.entries.push(level.key);
      level.afterColon = true;
      token = '';
      continue;
    }
    token += ch;
  }
  return { levels, inQuote: false };
}

function findClosingQuote(text: string, open: number): number {
  const quote = text[open];
  for (let index = open + 1; index < text.length; index++) {
    if (quote === '"' && text[index] === '\\') index++;
    else if (text[index] === quote) {
      if (quote === "'" && text[index + 1] === "'") index++;
      else return index;
    }
  }
  return -1;
}

/** Entries (or keys, in a map) of the innermost level in `text`, which starts after the word at the cursor. */
function flowEntriesAfter(text: string, type: 'seq' | 'map'): string[] {
  const result: string[] = [];
  let depth = 0;
  let token = '';
  let afterColon = false;
  const commit = () => {
    const value = token.trim();
    if (value !== '' && (type === 'seq' || !afterColon)) result.push(value);
    token = '';
  };
  let index = 0;
  for (; index < text.length; index++) {
    const ch = text[index];
    if (ch === '"' || ch === "'") {
      const close = findClosingQuote(text, index);
      if (close === -1) break;
      if (depth === 0) token += text.slice(index + 1, close);
      index = close;
      continue;
    }
    if (ch === '#' && (index === 0 || /\s/.test(text[index - 1]))) {
      const newline = text.indexOf('\n', index);
      index = (newline === -1 ? text.length : newline) - 1;
      continue;
    }
    if (ch === '[' || ch === '{') depth++;
    else if (ch === ']' || ch === '}') {
      if (depth === 0) {
        commit();
        break;
      }
      depth--;
    } else if (depth === 0 && ch === ',') {
      commit();
      afterColon = false;
    } else if (depth === 0 && type === 'map' && ch === ':' && !afterColon && (index + 1 === text.length || /[\s,\]}]/.test(text[index + 1]))) {
      if (token.trim() !== '') result.push(token.trim());
      token = '';
      afterColon = true;
    } else if (depth === 0 && !afterColon) {
      token += ch;
    }
  }
  // Left unclosed: the last entry counts too.
  if (index >= text.length) commit();
  return result;
}

// ── the cursor ──────────────────────────────────────────────────────────

function segmentsOf(frame: Frame, lineFrames: Frame[], cursorLine: number): PathSegment[] {
  const segments: PathSegment[] = [];
  for (let current: Frame | undefined = frame; current && current.type !== 'root'; current = current.parent) {
    if (current.type === 'key') segments.unshift({ kind: 'key', name: current.name });
    else {
      const real = realFrame(current, lineFrames);
      segments.unshift({ kind: 'item', fields: fieldsOf(real, cursorLine), descendantIds: real.ids.slice() });
    }
  }
  return segments;
}

/** A frame made while reading the cursor line stands for the one the whole-file pass made there. */
function realFrame(frame: Frame, lineFrames: Frame[]): Frame {
  return lineFrames.find((candidate) => candidate.line === frame.line && candidate.col === frame.col && candidate.type === frame.type) ?? frame;
}

function presentKeys(frame: Frame, lineFrames: Frame[], cursorLine: number): Set<string> {
  const real = realFrame(frame, lineFrames);
  const keys = new Set<string>();
  for (const [name, child] of real.children) if (child.line !== cursorLine) keys.add(name);
  // A one-line flow mapping entry `- { name: x }` holds its keys in its value.
  if (real.value.startsWith('{')) for (const key of fieldsOf(real).keys()) keys.add(key);
  return keys;
}

function blockEntries(listFrame: Frame, cursorLine: number): string[] {
  return listFrame.items.filter((item) => item.line !== cursorLine && item.value !== '' && !/^[[{]/.test(item.value) && item.children.size === 0).map((item) => unquote(item.value));
}

export interface CursorAnalysis {
  context: CursorContext | undefined;
  outline: TextOutline;
}

/** Which lines analyzeCursor reads: the text's line index, and the spans of lines to feed. */
export interface CursorLines {
  /** The text's line index, when the caller has one already. */
  index?: LineIndex;
  /**
   * Lines to feed, as [first, end) spans in order, when the others cannot change
   * the context (other milestones of a plan that parsed cleanly); the cursor's
   * line is always fed.
   */
  feed?: readonly (readonly [number, number])[];
}

/**
 * The cursor context at `offset` (undefined where nothing can be completed:
 * comments, block text, free text), and the text's outline (of the lines fed,
 * all of them unless `lines.feed` says otherwise).
 */
export function analyzeCursor(text: string, offset: number, lines: CursorLines = {}): CursorAnalysis {
  const outline = new Outline();
  const index = lines.index ?? new LineIndex(text);
  const lineStarts = index.starts;
  const cursorLine = index.positionAt(offset).line;
  const feed = lines.feed ?? [[0, lineStarts.length]];
  let snapshot: Snapshot | undefined;
  const feedLine = (line: number) => {
    const start = lineStarts[line];
    const end = line + 1 < lineStarts.length ? lineStarts[line + 1] - 1 : text.length;
    const lineText = text.slice(start, end).replace(/\r$/, '');
    if (line === cursorLine) {
      const before = outline.snapshot();
      snapshot = { ...before, lineFrames: outline.feed(lineText, line, start) };
    } else {
      outline.feed(lineText, line, start);
    }
  };
  let cursorFed = false;
  for (const [first, end] of feed) {
    if (!cursorFed && cursorLine < first) {
      feedLine(cursorLine);
      cursorFed = true;
    }
    for (let line = Math.max(0, first); line < Math.min(end, lineStarts.length); line++) feedLine(line);
    if (cursorLine >= first && cursorLine < end) cursorFed = true;
  }
  if (!cursorFed) feedLine(cursorLine);
  const lineStart = lineStarts[cursorLine];
  const lineEnd = cursorLine + 1 < lineStarts.length ? lineStarts[cursorLine + 1] - 1 : text.length;
  const lineText = text.slice(lineStart, lineEnd).replace(/\r$/, '');
  const context = snapshot ? contextAt(text, lineText, cursorLine, lineStart, offset - lineStart, snapshot, lineStarts) : undefined;
  return { context, outline: outline.textOutline() };
}

export function cursorContext(text: string, offset: number): CursorContext | undefined {
  return analyzeCursor(text, offset).context;
}

function contextAt(text: string, lineText: string, line: number, lineStart: number, column: number, snapshot: Snapshot, lineStarts: readonly number[]): CursorContext | undefined {
  const prefix = lineText.slice(0, column);
  const indent = skipSpaces(lineText, 0);
  const { lineFrames } = snapshot;

  let wordStart = column;
  while (wordStart > 0 && (isWordChar(lineText[wordStart - 1]) || (lineText[wordStart - 1] === '#' && wordStart > 1 && isWordChar(lineText[wordStart - 2])))) wordStart--;
  let wordEnd = column;
  while (wordEnd < lineText.length && (isWordChar(lineText[wordEnd]) || (lineText[wordEnd] === '#' && wordEnd > wordStart))) wordEnd++;
  const base = {
    replace: [lineStart + wordStart, lineStart + wordEnd] as Span,
    prefix: lineText.slice(wordStart, column),
    presentKeys: new Set<string>(),
    listEntries: [] as string[],
    flow: false,
    needsSpace: false,
    needsDash: false,
    colonFollows: /^[ \t]*:(\s|$)/.test(lineText.slice(wordEnd)),
    column: wordStart,
  };

  if (snapshot.blockScalarCol !== undefined && (indent > snapshot.blockScalarCol || indent >= lineText.length)) return undefined;

  // Inside a flow collection opened on an earlier line.
  if (snapshot.flow && (indent > snapshot.flow.openerCol || indent >= lineText.length)) {
    const flowFrame = snapshot.flow.frame;
    return flowContext(text, snapshot.flow.start, lineStart + column, flowFrame, snapshot.flow.openerCol, base, line, lineFrames, lineStarts);
  }
  if (stripComment(prefix) !== prefix) return undefined;

  const stack = [...snapshot.stack];
  let index = indent;
  const dashes: number[] = [];
  while (prefix[index] === '-' && (index + 1 === prefix.length || isSpace(prefix[index + 1]))) {
    dashes.push(index);
    index = skipSpaces(prefix, index + 1);
  }
  let item: Frame | undefined;
  for (const dash of dashes) item = applyDash(stack, dash, line, lineStart + dash, false);
  const rest = prefix.slice(index);
  const keyMatch = KEY.exec(rest);

  if (keyMatch) {
    const name = keyMatch[1] ?? keyMatch[2]?.replace(/''/g, "'") ?? keyMatch[3];
    const keyFrame = applyKey(stack, index, name, line, lineStart + index, false);
    const valueCol = skipSpaces(prefix, index + keyMatch[0].length);
    const value = prefix.slice(valueCol);
    if (/^[[{]/.test(value)) {
      return flowContext(text, lineStart + valueCol, lineStart + column, keyFrame, index, base, line, lineFrames, lineStarts);
    }
    if (/^[|>]/.test(value)) return undefined;
    const quoted = /^["']/.test(value);
    const word = quoted ? value.slice(1) : value;
    if (/[\s"']/.test(word)) return undefined;
    return {
      ...base,
      mode: 'value',
      path: segmentsOf(keyFrame, lineFrames, line),
      needsSpace: value === '' && prefix.endsWith(':'),
      column: value === '' && prefix.endsWith(':') ? column + 1 : base.column,
    };
  }

  if (item && /^[[{]/.test(rest)) {
    return flowContext(text, lineStart + index, lineStart + column, item, dashes[dashes.length - 1], base, line, lineFrames, lineStarts);
  }
  const quoted = /^["']/.test(rest);
  if (/[\s:"']/.test(quoted ? rest.slice(1) : rest)) return undefined;

  if (item) {
    // `- |` or `- wo|`: an entry of the list, a scalar or the start of a mapping.
    const list = item.parent!;
    const needsSpace = rest === '' && prefix.endsWith('-');
    return {
      ...base,
      ...(needsSpace ? { replace: [lineStart + column, lineStart + column] as Span, prefix: '' } : {}),
      mode: 'value',
      path: segmentsOf(item, lineFrames, line),
      presentKeys: presentKeys(item, lineFrames, line),
      listEntries: list.type === 'key' ? blockEntries(list, line) : [],
      needsSpace,
      column: needsSpace ? column + 1 : base.column,
    };
  }

  // A blank line, or a word with no colon yet: the column says whose it is.
  const col = index;
  for (;;) {
    const frame = top(stack);
    if (frame.type === 'root') break;
    if (frame.col > col || (frame.type === 'key' && frame.closed)) stack.pop();
    else break;
  }
  let owner = top(stack);
  if (owner.type === 'key' && owner.col === col) {
    stack.pop();
    owner = top(stack);
  } else if (owner.type === 'item' && owner.col === col) {
    // At the column of the list's dashes: a new entry.
    const list = owner.parent!;
    return {
      ...base,
      mode: 'value',
      path: [...segmentsOf(list, lineFrames, line), { kind: 'item', fields: new Map(), descendantIds: [] }],
      listEntries: list.type === 'key' ? blockEntries(list, line) : [],
      needsDash: true,
    };
  } else if (owner.type === 'key') {
    return {
      ...base,
      mode: 'block',
      path: segmentsOf(owner, lineFrames, line),
      presentKeys: presentKeys(owner, lineFrames, line),
      listEntries: blockEntries(owner, line),
    };
  }
  return { ...base, mode: 'key', path: segmentsOf(owner, lineFrames, line), presentKeys: presentKeys(owner, lineFrames, line) };
}

/** The text after the cursor that may still belong to a flow collection: lines indented deeper than its opener. */
function flowRest(text: string, cursor: number, openerCol: number, lineStarts: readonly number[]): string {
  let end = text.indexOf('\n', cursor);
  if (end === -1) return text.slice(cursor);
  let lineIndex = lineStarts.findIndex((start) => start > cursor);
  while (lineIndex !== -1 && lineIndex < lineStarts.length) {
    const start = lineStarts[lineIndex];
    const next = lineIndex + 1 < lineStarts.length ? lineStarts[lineIndex + 1] - 1 : text.length;
    const lineText = text.slice(start, next);
    const indent = skipSpaces(lineText, 0);
    if (indent < lineText.replace(/\r$/, '').length && indent <= openerCol) break;
    end = next;
    lineIndex++;
  }
  return text.slice(cursor, end);
}

function flowContext(
  text: string,
  flowStart: number,
  cursor: number,
  owner: Frame,
  openerCol: number,
  base: Omit<CursorContext, 'mode' | 'path'>,
  line: number,
  lineFrames: Frame[],
  lineStarts: readonly number[],
): CursorContext | undefined {
  const { levels, inQuote } = scanFlow(text.slice(flowStart, cursor));
  if (levels.length === 0) return undefined;
  const innermost = levels[levels.length - 1];
  const path = segmentsOf(owner, lineFrames, line);
  // A flow mapping that is a block list entry `- { … }` is that entry's mapping.
  const ownerItem = path[path.length - 1];
  if (owner.type === 'item' && levels[0].type === 'map' && ownerItem?.kind === 'item') {
    for (const [key, value] of levels[0].values) ownerItem.fields.set(key, unquote(value));
  }
  for (let index = 0; index < levels.length; index++) {
    const level = levels[index];
    const last = index === levels.length - 1;
    if (level.type === 'seq') {
      const next = levels[index + 1];
      const fields = new Map<string, string>();
      if (next?.type === 'map') for (const [key, value] of next.values) fields.set(key, unquote(value));
      path.push({ kind: 'item', fields, descendantIds: [] });
    } else if (!last || level.afterColon) {
      if (level.key === undefined || level.key === '') return undefined;
      path.push({ kind: 'key', name: level.key });
    }
  }
  const rest = flowRest(text, base.replace[1], openerCol, lineStarts);
  const before = text.slice(flowStart, base.replace[0]);
  if (inQuote && !/["']$/.test(before)) return undefined;
  if (innermost.type === 'seq') {
    return { ...base, flow: true, mode: 'value', path, listEntries: [...innermost.entries, ...flowEntriesAfter(rest, 'seq')] };
  }
  if (innermost.afterColon) {
    return { ...base, flow: true, mode: 'value', path, needsSpace: /:$/.test(before), colonFollows: false };
  }
  const keys = new Set([...innermost.entries, ...flowEntriesAfter(rest, 'map')]);
  return { ...base, flow: true, mode: 'key', path, presentKeys: keys };
}
