import { isCollection, isMap, isPair, isScalar, isSeq, parseAllDocuments, type Document, type Node as YamlNode, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { isCleanTree, problemsOf, YAML_OPTIONS, type ParsedPlan, type SyntaxProblem } from './parse';

// Incremental re-parse. A keystroke in a 5,000-task plan touches one
// milestone; re-parsing 1 MB of YAML for it costs a second. Instead the edit
// is located in one *chunk* — an item of a top-level block list (a milestone,
// a goal, a risk) or a whole top-level entry (`people:` and its value) — and
// only that chunk's new text is parsed and spliced into the previous tree;
// every node after it is moved by the length difference.
//
// The splice is taken only when it should give the tree a full parse would:
// the chunk begins and ends at line starts, parses on its own into exactly one
// item (or one entry with the same or a non-clashing key) at the same
// indentation, and holds no anchors, aliases, directives or document markers.
// A chunk with YAML errors is kept only when its lines stay indented past it
// and the line after it still parses as its sibling; problems elsewhere are
// kept only when they lie clearly away from it. Anything else falls back to a
// full parse. This is an argument, checked (not proven) by
// test/unit/incremental.test.ts, which applies over a thousand random edits
// and compares both ways.
//
// The previous tree is reused in place: an analysis is superseded by the next
// version of its document and must not be read after that.

export interface IncrementalParse {
  parsed: ParsedPlan;
  /** Offset in the previous text after which everything moved by `delta`. */
  movedFrom: number;
  delta: number;
}

interface Chunk {
  start: number;
  end: number;
  /** Where the chunk sits in the tree. */
  kind: 'item' | 'entry';
  rootIndex: number;
  itemIndex: number;
}

const BLOCK = 4096;
const DOCUMENT_LEVEL_LINE = /^(?:---|\.\.\.|%)/m;

/** Re-parses only the chunk an edit falls in; undefined when a full parse is needed. */
export function reparseIncrementally(previous: ParsedPlan, text: string): IncrementalParse | undefined {
  const oldText = previous.text;
  const root = previous.root;
  const document = previous.document;
  if (!root || !document || root.flow || !previous.aliasFree) return undefined;
  if (oldText === text) return undefined;

  // The changed region: everything between the common prefix and the common suffix.
  const shorter = Math.min(oldText.length, text.length);
  // Whole blocks first (string comparison is a memory compare), then character by character.
  let prefix = 0;
  while (prefix + BLOCK <= shorter && oldText.slice(prefix, prefix + BLOCK) === text.slice(prefix, prefix + BLOCK)) prefix += BLOCK;
  while (prefix < shorter && oldText.charCodeAt(prefix) === text.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix + BLOCK <= shorter - prefix && oldText.slice(oldText.length - suffix - BLOCK, oldText.length - suffix) === text.slice(text.length - suffix - BLOCK, text.length - suffix)) suffix += BLOCK;
  while (suffix < shorter - prefix && oldText.charCodeAt(oldText.length - 1 - suffix) === text.charCodeAt(text.length - 1 - suffix)) suffix++;
  const oldEnd = oldText.length - suffix;
  const delta = text.length - oldText.length;

  const chunk = findChunk(root, oldText, prefix, oldEnd);
  if (!chunk) return undefined;
  const lastEntry = chunk.rootIndex === root.items.length - 1;
  // Problems elsewhere stay (moved with their text) when they are clearly away
  // from the chunk: before it, or past the first line after it (where a
  // problem could have been caused by the chunk's old text running on).
  const afterFirstLine = oldText.indexOf('\n', chunk.end);
  const farAfter = afterFirstLine === -1 ? oldText.length : afterFirstLine + 1;
  const problemsBefore: SyntaxProblem[] = [];
  const problemsAfter: SyntaxProblem[] = [];
  for (const problem of previous.problems) {
    if (problem.span[0] >= chunk.start && problem.span[1] <= chunk.end) continue;
    if (problem.span[1] < chunk.start) problemsBefore.push(problem);
    else if (problem.span[0] >= farAfter) problemsAfter.push({ ...problem, span: [problem.span[0] + delta, problem.span[1] + delta] });
    else return undefined;
  }
  if (previous.problems.length > 0 && !staysInside(oldText.slice(chunk.start, chunk.end), chunk.kind === 'item' ? columnOf(oldText, ((root.items[chunk.rootIndex] as Pair).value as YAMLSeq).range![0]) : 0)) return undefined;
  const newEnd = chunk.end + delta;
  if (newEnd < chunk.start || (newEnd < text.length && text.charCodeAt(newEnd - 1) !== 10)) return undefined;
  const chunkText = text.slice(chunk.start, newEnd);
  if (DOCUMENT_LEVEL_LINE.test(chunkText)) return undefined;

  const rootPair = root.items[chunk.rootIndex] as Pair<YamlNode, YamlNode>;
  const column = chunk.kind === 'item' ? columnOf(oldText, (rootPair.value as YAMLSeq).range![0]) : 0;
  let parsedChunk = parseOne(chunkText);
  if (!parsedChunk) return undefined;
  let problems: SyntaxProblem[] = [];
  let expectedItems = 1;
  let synthetic = false;
  if (parsedChunk.errors.length > 0 || parsedChunk.warnings.length > 0) {
    // Broken YAML in the chunk (mid-typing): kept local only when it provably
    // stays inside the chunk — every line below its first is indented past the
    // item (or entry), and the line after the chunk, parsed along with it,
    // still starts the next item or entry where it is.
    const nextLineEnd = text.indexOf('\n', newEnd);
    const nextLine = newEnd < text.length ? text.slice(newEnd, nextLineEnd === -1 ? text.length : nextLineEnd + 1) : '';
    const sibling = chunk.kind === 'item' ? new RegExp(`^ {${column}}-( |\\r?\\n|$)`) : /^[^\s#\-?]/;
    let follower = nextLine;
    if (!sibling.test(nextLine)) {
      // The last item or entry: what follows is a root key or the end, so a
      // made-up sibling stands in for it (anything that runs on would swallow it).
      const lastItem = chunk.kind === 'item' && chunk.itemIndex === (rootPair.value as YAMLSeq).items.length - 1;
      if (!(lastItem || (chunk.kind === 'entry' && lastEntry)) || (nextLine !== '' && !/^[^\s#\-?]/.test(nextLine))) return undefined;
      follower = chunk.kind === 'item' ? `${' '.repeat(column)}- sibling\n` : 'sibling: 0\n';
      if (!chunkText.endsWith('\n')) return undefined;
      synthetic = true;
    }
    if (!staysInside(chunkText, column)) return undefined;
    parsedChunk = parseOne(chunkText + follower);
    if (!parsedChunk) return undefined;
    for (const problem of [...parsedChunk.errors, ...parsedChunk.warnings]) if (problem.pos[1] > chunkText.length) return undefined;
    const second = parsedChunk.contents && isCollection(parsedChunk.contents) ? parsedChunk.contents.items[1] : undefined;
    const secondStart = isPair(second) ? (second.key as YamlNode | null)?.range?.[0] : (second as YamlNode | undefined)?.range?.[0];
    if (second === undefined || (secondStart !== undefined && secondStart < chunkText.length)) return undefined;
    if (synthetic) {
      // The made-up sibling only proves the chunk is closed; the tree (whose
      // extents depend on what really follows) comes from the chunk alone,
      // which must report the very same problems.
      const alone = parseOne(chunkText);
      const signature = (doc: Document.Parsed) => JSON.stringify([...doc.errors, ...doc.warnings].map((problem) => [problem.code, problem.pos]));
      if (!alone || signature(alone) !== signature(parsedChunk)) return undefined;
      parsedChunk = alone;
    } else expectedItems = 2;
    problems = problemsOf(parsedChunk, text, chunk.start);
  }
  const contents = parsedChunk.contents;

  let replacement: YamlNode;
  let renamedKey: YamlNode | undefined;
  // Extent of what the chunk parsed into (its one-item list or one-entry mapping), relative to the chunk.
  const chunkRange = contents?.range ? [...contents.range] : undefined;
  if (chunk.kind === 'item') {
    if (!contents || !isSeq(contents) || contents.flow || contents.items.length !== expectedItems) return undefined;
    // The same indentation of the `-` as before, so the item stays in its list.
    if (!contents.range || contents.range[0] !== column) return undefined;
    const item = contents.items[0] as YamlNode | null;
    if (!item || !isCleanTree(item)) return undefined;
    replacement = item;
  } else {
    if (!contents || !isMap(contents) || contents.flow || contents.items.length !== expectedItems) return undefined;
    const pair = contents.items[0] as Pair<YamlNode, YamlNode>;
    const key = pair.key;
    const oldKey = rootPair.key;
    // The key at column 0, as before.
    if (!key || !isScalar(key) || !isScalar(oldKey) || !key.range || key.range[0] !== 0) return undefined;
    // A renamed key must not collide with another root key: the full parse would report a duplicate.
    const keyText = chunkText.slice(key.range[0], key.range[1]);
    if (keyText !== oldText.slice(oldKey.range![0], oldKey.range![1]) || key.type !== oldKey.type) {
      if (key.type !== 'PLAIN' || oldKey.type !== 'PLAIN') return undefined;
      for (const [index, other] of root.items.entries()) {
        const otherKey = other.key as YamlNode | null;
        if (index !== chunk.rootIndex && (!otherKey || !isScalar(otherKey) || otherKey.type !== 'PLAIN' || otherKey.value === key.value)) return undefined;
      }
      renamedKey = key;
    }
    if (!pair.value || !isCleanTree(pair.value)) return undefined;
    replacement = pair.value;
  }

  // Every check passed: from here on the previous tree is changed in place.
  if (renamedKey) {
    moveTree(renamedKey, chunk.start);
    rootPair.key = renamedKey;
  }

  // Splice: move the new nodes into place, then everything after the chunk.
  moveTree(replacement, chunk.start);
  if (chunk.kind === 'item') {
    const list = rootPair.value as YAMLSeq<YamlNode>;
    list.items[chunk.itemIndex] = replacement;
    for (let index = chunk.itemIndex + 1; index < list.items.length; index++) moveTree(list.items[index], delta);
    if (chunk.itemIndex === list.items.length - 1 && list.range && chunkRange) {
      // A list ends where its last item ends: as the one-item list just parsed does.
      list.range[1] = chunkRange[1] + chunk.start;
      list.range[2] = chunkRange[2] + chunk.start;
      // …and the root mapping where its last value ends.
      if (lastEntry && root.range) root.range[1] = root.range[2] = list.range[2];
    } else {
      stretch(list, delta);
      if (lastEntry) stretch(root, delta);
    }
  } else {
    rootPair.value = replacement;
    // The one-entry mapping just parsed ends where the whole root mapping now ends.
    if (lastEntry && root.range && chunkRange) {
      root.range[1] = chunkRange[1] + chunk.start;
      root.range[2] = chunkRange[2] + chunk.start;
    }
  }
  for (let index = chunk.rootIndex + 1; index < root.items.length; index++) {
    const pair = root.items[index] as Pair<YamlNode, YamlNode>;
    moveTree(pair.key, delta);
    moveTree(pair.value, delta);
  }
  if (!lastEntry) stretch(root, delta);
  if (document.range) {
    document.range[1] = root.range ? Math.max(root.range[1], document.range[1] + delta) : document.range[1] + delta;
    document.range[2] = lastEntry && parsedChunk.range ? parsedChunk.range[2] + chunk.start : document.range[2] + delta;
  }
  return {
    parsed: { text, document, root, problems: [...problemsBefore, ...problems, ...problemsAfter], aliasFree: true },
    movedFrom: chunk.end,
    delta,
  };
}

/** The chunk [start, end) of the previous text that holds the whole changed region, if one does. */
function findChunk(root: YAMLMap, text: string, from: number, to: number): Chunk | undefined {
  const pairs = root.items as Pair<YamlNode, YamlNode>[];
  const lineStartOfKey = (index: number): number | undefined => {
    const key = pairs[index]?.key;
    if (!key || !isScalar(key) || !key.range) return undefined;
    const start = key.range[0];
    // Root keys at column 0 only: anything else is unusual enough for a full parse.
    return start === 0 || text.charCodeAt(start - 1) === 10 ? start : undefined;
  };
  // The root entry the region starts in: the last whose key line starts at or before it.
  let low = 0;
  let high = pairs.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const start = lineStartOfKey(middle);
    if (start === undefined) return undefined;
    if (start <= from) {
      found = middle;
      low = middle + 1;
    } else high = middle - 1;
  }
  if (found < 0) return undefined;
  const entryStart = lineStartOfKey(found)!;
  const entryEnd = found + 1 < pairs.length ? lineStartOfKey(found + 1) : text.length;
  if (entryEnd === undefined || to > entryEnd) return undefined;
  // The key itself is part of no item; keep the edit off the key's line for items.
  const value = pairs[found].value;
  if (value && isSeq(value) && !value.flow && value.items.length > 0) {
    const items = value.items as YamlNode[];
    const itemStarts: number[] = [];
    for (const item of items) {
      const start = item && (item as { range?: number[] }).range ? lineStartBefore(text, (item as { range: number[] }).range[0]) : undefined;
      if (start === undefined) return undefined;
      itemStarts.push(start);
    }
    let index = -1;
    for (let candidate = itemStarts.length - 1; candidate >= 0; candidate--) {
      if (itemStarts[candidate] <= from) {
        index = candidate;
        break;
      }
    }
    if (index >= 0) {
      const end = index + 1 < itemStarts.length ? itemStarts[index + 1] : entryEnd;
      if (to <= end && isItemLine(text, itemStarts[index], (items[index] as { range: number[] }).range[0])) {
        return { start: itemStarts[index], end, kind: 'item', rootIndex: found, itemIndex: index };
      }
    }
  }
  return { start: entryStart, end: entryEnd, kind: 'entry', rootIndex: found, itemIndex: -1 };
}

function lineStartBefore(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The item's first line is `<spaces>-<spaces>` then the item itself. */
function isItemLine(text: string, lineStart: number, itemStart: number): boolean {
  return /^ *- +$/.test(text.slice(lineStart, itemStart));
}

function parseOne(text: string): Document.Parsed | undefined {
  try {
    const documents = parseAllDocuments(text, YAML_OPTIONS);
    return Array.isArray(documents) && documents.length === 1 ? documents[0] : undefined;
  } catch {
    return undefined;
  }
}

/** Every line after the first is blank, a comment, or indented past `column`. */
function staysInside(chunkText: string, column: number): boolean {
  const lines = chunkText.split('\n');
  for (let index = 1; index < lines.length; index++) {
    const line = lines[index];
    const indent = /^ */.exec(line)![0].length;
    if (indent === line.length || line[indent] === '#' || line[indent] === '\r') continue;
    if (indent <= column) return false;
  }
  return true;
}

/** Column of an offset: the `-` of a block list's items, which all share it. */
function columnOf(text: string, offset: number): number {
  return offset - lineStartBefore(text, offset);
}

/** Adds `delta` to the range of every node in the tree. */
export function moveTree(node: unknown, delta: number): void {
  if (!node || delta === 0) return;
  if (isPair(node)) {
    moveTree(node.key, delta);
    moveTree(node.value, delta);
    return;
  }
  const range = (node as { range?: number[] | null }).range;
  if (range) {
    range[0] += delta;
    range[1] += delta;
    range[2] += delta;
  }
  if (isCollection(node)) for (const item of node.items as unknown[]) moveTree(item, delta);
}

function stretch(node: YamlNode, delta: number): void {
  const range = (node as { range?: number[] | null }).range;
  if (range) {
    range[1] += delta;
    range[2] += delta;
  }
}
