import { isCollection, isPair, isScalar, isSeq, type Node as YamlNode } from 'yaml';

// Random edits of the kinds people make while writing a plan, and a digest of
// a YAML tree to compare two parses of the same text. Shared by the
// incremental analysis and chunked parse tests.

export interface Edit {
  start: number;
  end: number;
  text: string;
}

const TYPED = 'abcdefghijklmnopqrstuvwxyz0123456789 -_';
const RARE = ':#[],{}\n\'"&*|>!%@`\t';
const WORDS = ['done', 'planned', 'in-progress', 'blocked', '3d', '2w', '2026-03-04', 'task-7', 'milestone-2', 'alice', 'bob', '50%', 'title', 'owner'];

/**
 * An edit of the kinds people make while writing a plan, at a random place in
 * a line's text (where a cursor types; indentation is changed on purpose, by
 * a whole step): typing a character or a stray punctuation mark, backspacing,
 * replacing a word, deleting, duplicating or re-indenting a line, pasting a task.
 */
export function randomEdit(text: string, next: () => number): Edit {
  const lineStarts = [0];
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) lineStarts.push(index + 1);
  const lineStart = lineStarts[Math.floor(next() * lineStarts.length)];
  const newline = text.indexOf('\n', lineStart);
  const lineEnd = newline === -1 ? text.length : newline + 1;
  const contentStart = lineStart + /^ */.exec(text.slice(lineStart, lineEnd))![0].length;
  const contentEnd = newline === -1 ? text.length : newline;
  const at = contentStart + Math.floor(next() * (contentEnd - contentStart + 1));
  const kind = next();
  if (kind < 0.5) return { start: at, end: at, text: TYPED[Math.floor(next() * TYPED.length)] };
  if (kind < 0.55) return { start: at, end: at, text: RARE[Math.floor(next() * RARE.length)] };
  if (kind < 0.75) return { start: Math.max(0, at - 1), end: at, text: '' };
  if (kind < 0.85) {
    // Replace the word under the cursor.
    let start = at;
    let end = at;
    while (start > 0 && /[\w-]/.test(text[start - 1])) start--;
    while (end < text.length && /[\w-]/.test(text[end])) end++;
    return { start, end, text: WORDS[Math.floor(next() * WORDS.length)] };
  }
  if (kind < 0.89) return { start: lineStart, end: lineEnd, text: '' };
  if (kind < 0.93) return { start: lineStart, end: lineStart, text: text.slice(lineStart, lineEnd) };
  if (kind < 0.96) return next() < 0.5 ? { start: lineStart, end: lineStart, text: '  ' } : { start: lineStart, end: Math.min(contentStart, lineStart + 2), text: '' };
  const indent = text.slice(lineStart, contentStart);
  return { start: lineStart, end: lineStart, text: `${indent}- id: pasted-${Math.floor(next() * 1000)}\n${indent}  title: Pasted task\n${indent}  duration: 2d\n` };
}

export function apply(text: string, edit: Edit): string {
  return text.slice(0, edit.start) + edit.text + text.slice(edit.end);
}

/** The YAML tree as a flat list: kind, source range and value of every node (with `nodeEnds`, the whole range). */
export function treeDigest(node: unknown, out: unknown[] = [], nodeEnds = false): unknown[] {
  if (node === null || node === undefined) {
    out.push(null);
    return out;
  }
  if (isPair(node)) {
    treeDigest(node.key, out, nodeEnds);
    treeDigest(node.value, out, nodeEnds);
    return out;
  }
  const yamlNode = node as YamlNode;
  const range = yamlNode.range ? (nodeEnds ? [...yamlNode.range] : [yamlNode.range[0], yamlNode.range[1]]) : null;
  if (isScalar(yamlNode)) out.push(['scalar', range, yamlNode.value, yamlNode.type]);
  else if (isCollection(yamlNode)) {
    out.push([isSeq(yamlNode) ? 'seq' : 'map', range, yamlNode.flow ?? false, yamlNode.items.length]);
    for (const item of yamlNode.items) treeDigest(item, out, nodeEnds);
  } else out.push(['other', range]);
  return out;
}

