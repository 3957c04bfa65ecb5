import { isMap, isScalar, isSeq, parseAllDocuments, type Document, type Node as YamlNode, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { moveTree } from './incremental';
import { isCleanTree, YAML_OPTIONS, type ParsedPlan } from './parse';

// Opening a big plan: the `yaml` package builds a concrete syntax tree of the
// whole document before composing it, and for a 1 MB plan that tree outlives
// the young generation, so it is copied and promoted, and parsing costs about
// twice what parsing the same text in small pieces does. Here a big plan is cut
// into the pieces incremental.ts re-parses on an edit — each top-level entry,
// and each item of a top-level block list (a milestone, a goal, a risk) — and
// the pieces, parsed one by one, are joined into the tree a whole parse gives.
//
// Only clean text is cut: one document, no directives or document markers,
// every piece parsing on its own without an error or warning into exactly one
// entry (or one list item at the list's column), no anchors or aliases, and
// no root key twice. A cut through anything (a quoted string running over
// lines, a flow collection) leaves a piece that does not parse cleanly. Anything
// else returns undefined and the plan is parsed whole; syntax errors are then
// reported by the whole parse, as usual. test/unit/chunkedParse.test.ts compares
// both parses on every text of the random-edit run.

/** Below this size the whole parse is quick and its garbage dies young. */
export const CHUNKED_PARSE_MIN_LENGTH = 64 * 1024;
/** Lists whose entry is shorter than this are parsed in one piece. */
const LIST_SPLIT_MIN_LENGTH = 8 * 1024;
const DOCUMENT_LEVEL_LINE = /^(?:---|\.\.\.|%)/m;

/** The plan parsed in pieces, or undefined when it must be parsed whole. */
export function parseInChunks(text: string, minLength = CHUNKED_PARSE_MIN_LENGTH): ParsedPlan | undefined {
  if (text.length < minLength || DOCUMENT_LEVEL_LINE.test(text)) return undefined;
  const mayHaveAnchors = /[&*]/.test(text);
  const keyLines = rootEntryStarts(text);
  if (keyLines.length === 0) return undefined;
  // Leading comments and blank lines belong to the first entry, as in a whole parse.
  const entryStarts = [0, ...keyLines.slice(1), text.length];

  let document: Document.Parsed | undefined;
  let root: YAMLMap | undefined;
  let last: Document.Parsed | undefined;
  let lastStart = 0;
  const keys = new Set<unknown>();
  for (let index = 0; index + 1 < entryStarts.length; index++) {
    const start = entryStarts[index];
    const end = entryStarts[index + 1];
    const items = end - start >= LIST_SPLIT_MIN_LENGTH ? listItemStarts(text, start, end) : undefined;
    // A split list is parsed as its key with the first item; the other items follow alone.
    const headEnd = items && items.starts.length > 1 ? items.starts[1] : end;
    const head = parseClean(text.slice(start, headEnd), mayHaveAnchors);
    if (!head || !isMap(head.contents) || head.contents.flow || head.contents.items.length !== 1) return undefined;
    const pair = head.contents.items[0] as Pair<YamlNode, YamlNode>;
    if (!isScalar(pair.key) || !pair.key.range || pair.key.range[0] !== keyLines[index] - start || keys.has(pair.key.value)) return undefined;
    keys.add(pair.key.value);
    moveTree(pair, start);
    let lastOfEntry = head;
    let lastOfEntryStart = start;
    if (items && items.starts.length > 1) {
      const list = pair.value;
      if (!isSeq(list) || list.flow || list.items.length !== 1 || !list.range || list.range[0] - lineStartOf(text, list.range[0]) !== items.column) return undefined;
      for (let item = 1; item < items.starts.length; item++) {
        const itemStart = items.starts[item];
        const itemEnd = item + 1 < items.starts.length ? items.starts[item + 1] : end;
        const piece = parseClean(text.slice(itemStart, itemEnd), mayHaveAnchors);
        const contents = piece?.contents;
        if (!piece || !isSeq(contents) || contents.flow || contents.items.length !== 1 || !contents.range || contents.range[0] !== items.column) return undefined;
        const node = contents.items[0] as YamlNode | null;
        moveTree(node, itemStart);
        (list as YAMLSeq<YamlNode | null>).items.push(node);
        // A list ends where its last item ends, as that item's one-item list does.
        list.range[1] = contents.range[1] + itemStart;
        list.range[2] = contents.range[2] + itemStart;
        lastOfEntry = piece;
        lastOfEntryStart = itemStart;
      }
    }
    if (!document || !root) {
      document = head;
      root = head.contents;
    } else {
      root.items.push(pair);
    }
    last = lastOfEntry;
    lastStart = lastOfEntryStart;
  }
  if (!document || !root || !last || !root.range || !document.range) return undefined;
  // The root mapping and the document end where the last piece's do.
  const lastRange = (last.contents as YamlNode).range!;
  if (last !== document) {
    root.range[1] = lastRange[1] + lastStart;
    root.range[2] = lastRange[2] + lastStart;
    document.range[1] = last.range[1] + lastStart;
    document.range[2] = last.range[2] + lastStart;
    document.comment = last.comment;
  }
  return { text, document, root, problems: [], aliasFree: true };
}

/** Offsets of the lines at column 0 that are not blank or comments: where root entries begin. */
function rootEntryStarts(text: string): number[] {
  const starts: number[] = [];
  for (let lineStart = 0; lineStart < text.length; ) {
    const code = text.charCodeAt(lineStart);
    // Not a space, tab, #, CR or LF (a BOM counts as text: it can only be at offset 0).
    if (code !== 32 && code !== 9 && code !== 35 && code !== 13 && code !== 10) starts.push(lineStart);
    const newline = text.indexOf('\n', lineStart);
    if (newline === -1) break;
    lineStart = newline + 1;
  }
  return starts;
}

/**
 * The line starts of the items of a block list that is an entry's value, when
 * the entry is `key:` and then only list items at one column (and blank or
 * comment lines); undefined otherwise.
 */
function listItemStarts(text: string, start: number, end: number): { column: number; starts: number[] } | undefined {
  const firstNewline = text.indexOf('\n', start);
  if (firstNewline === -1 || firstNewline >= end) return undefined;
  // The key line holds the key, a colon and at most a comment.
  if (!/^[A-Za-z_][\w-]*:[ \t]*(?:#.*)?\r?$/.test(text.slice(start, firstNewline))) return undefined;
  const starts: number[] = [];
  let column = -1;
  for (let lineStart = firstNewline + 1; lineStart < end; ) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline === -1 || newline > end ? end : newline;
    let indent = 0;
    while (text.charCodeAt(lineStart + indent) === 32) indent++;
    const first = text.charCodeAt(lineStart + indent);
    const blankOrComment = lineStart + indent >= lineEnd || first === 35 || first === 13;
    if (!blankOrComment) {
      if (column === -1) {
        if (first !== 45) return undefined;
        column = indent;
      }
      if (indent === column) {
        // `-` then a space or the line's end: an item. Anything else at the column ends the list's shape.
        const after = text.charCodeAt(lineStart + indent + 1);
        if (first !== 45 || !(after === 32 || after === 10 || after === 13 || lineStart + indent + 1 >= lineEnd)) return undefined;
        starts.push(lineStart);
      } else if (indent < column) return undefined;
    }
    if (newline === -1) break;
    lineStart = newline + 1;
  }
  return starts.length > 0 ? { column, starts } : undefined;
}

function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** One document without errors or warnings (and without anchors or aliases when the text may hold some). */
function parseClean(text: string, mayHaveAnchors: boolean): Document.Parsed | undefined {
  let documents: ReturnType<typeof parseAllDocuments>;
  try {
    documents = parseAllDocuments(text, YAML_OPTIONS);
  } catch {
    return undefined;
  }
  if (!Array.isArray(documents) || documents.length !== 1) return undefined;
  const document = documents[0] as Document.Parsed;
  if (document.errors.length > 0 || document.warnings.length > 0 || !document.contents) return undefined;
  if (mayHaveAnchors && !isCleanTree(document.contents)) return undefined;
  return document;
}
