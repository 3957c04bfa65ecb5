import { isMap, isSeq, type Node as YamlNode, type Pair } from 'yaml';
import type { LineIndex } from './lineIndex';
import type { FieldIndex } from './model';
import type { TextEdit } from './types';

// Small, layout-preserving insertions into a plan: one new key in a mapping,
// one new entry at the end of a list. Everything else in the file stays as typed.

export function lineBreakOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/** The line where text after a node starts: the next line, or the line its range ends at when that is a line start. */
function lineAfter(lines: LineIndex, end: number): number {
  const position = lines.positionAt(end);
  return position.character === 0 ? position.line : position.line + 1;
}

/**
 * Inserts `key: value` into a mapping: after the `id` pair (`where: 'afterId'`)
 * or after its last pair but before nested `tasks` (`where: 'end'`).
 */
export function insertKey(text: string, lines: LineIndex, fields: FieldIndex, key: string, value: string, where: 'afterId' | 'end'): TextEdit | undefined {
  const node = fields.node;
  if (node.flow) {
    const position = lines.positionAt(fields.firstKeySpan[0]);
    return { range: { start: position, end: position }, newText: `${key}: ${value}, ` };
  }
  const pairs = node.items as Pair[];
  const indent = lines.positionAt(fields.firstKeySpan[0]).character;
  const eol = lineBreakOf(text);
  const line = (() => {
    if (where === 'afterId') {
      const idPair = fields.pairs.get('id') ?? pairs[0];
      const end = rangeEnd(idPair);
      return end === undefined ? undefined : lineAfter(lines, end);
    }
    const tasksKey = fields.keySpans.get('tasks');
    if (tasksKey) return lines.positionAt(tasksKey[0]).line;
    const end = rangeEnd(pairs[pairs.length - 1]);
    return end === undefined ? undefined : lineAfter(lines, end);
  })();
  if (line === undefined) return undefined;
  const newText = `${' '.repeat(indent)}${key}: ${value}${eol}`;
  if (line >= lines.lineCount) {
    const end = lines.positionAt(text.length);
    return { range: { start: end, end }, newText: `${text.endsWith('\n') ? '' : eol}${newText}` };
  }
  const position = { line, character: 0 };
  return { range: { start: position, end: position }, newText };
}

/** Appends an entry (given as `key: value` lines) to a block list at `key` of the root, creating the list if needed. */
export function appendListEntry(text: string, lines: LineIndex, root: FieldIndex | undefined, key: string, entryLines: string[]): TextEdit {
  const eol = lineBreakOf(text);
  const pair = root?.pairs.get(key);
  const list = pair?.value as YamlNode | null | undefined;
  const end = lines.positionAt(text.length);
  const atEnd = (prefix: string) => ({ range: { start: end, end }, newText: `${text.endsWith('\n') || text === '' ? '' : eol}${prefix}` });
  if (list && isSeq(list) && !list.flow && list.items.length > 0) {
    const first = list.items[0] as YamlNode;
    const firstStart = (first as { range?: [number, number, number] }).range?.[0];
    const itemIndent = firstStart === undefined ? 2 : Math.max(0, lines.positionAt(firstStart).character - 2);
    const lastEnd = rangeEnd(list.items[list.items.length - 1] as YamlNode) ?? text.length;
    const line = lineAfter(lines, lastEnd);
    const entry = formatEntry(entryLines, itemIndent, eol);
    if (line >= lines.lineCount) return atEnd(entry);
    return { range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: entry };
  }
  if (pair && list && isSeq(list) && list.flow && list.items.length === 0) {
    const span = (list as { range?: [number, number, number] }).range;
    if (span) return { range: lines.rangeOf([span[0], span[1]]), newText: `${eol}${formatEntry(entryLines, 2, eol).replace(new RegExp(`${eol}$`), '')}` };
  }
  if (pair && (!list || (isMap(list) === false && isSeq(list) === false))) {
    // `changes:` with no value yet.
    const keyEnd = rangeEnd(pair.key as YamlNode);
    if (keyEnd !== undefined) {
      const line = lineAfter(lines, keyEnd);
      if (line < lines.lineCount) return { range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: formatEntry(entryLines, 2, eol) };
    }
  }
  return atEnd(`${key}:${eol}${formatEntry(entryLines, 2, eol)}`);
}

function formatEntry(entryLines: string[], indent: number, eol: string): string {
  return entryLines.map((line, index) => `${' '.repeat(indent)}${index === 0 ? '- ' : '  '}${line}${eol}`).join('');
}

function rangeEnd(node: Pair | YamlNode | null | undefined): number | undefined {
  if (!node) return undefined;
  if ('key' in node && 'value' in node) return rangeEnd((node.value ?? node.key) as YamlNode);
  const range = (node as { range?: [number, number, number] | null }).range;
  return range ? range[1] : undefined;
}

/** A YAML scalar for any text: plain when safe, double-quoted (JSON escaping is valid YAML) otherwise. */
export function yamlScalar(text: string): string {
  return /^[A-Za-z][\w .,'()/-]*$/.test(text) && !/[:#]/.test(text) && !/\s$/.test(text) && !/^(true|false|null|yes|no|on|off)$/i.test(text) ? text : JSON.stringify(text);
}
