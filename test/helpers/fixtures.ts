import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseIsoDate } from '../../server/src/service';
import type { PlanTextDocument, Range } from '../../server/src/service';

/** The repository root, from the compiled location out/test/helpers. */
export const repoRoot = path.resolve(__dirname, '..', '..', '..');
export const fixturesDir = path.join(repoRoot, 'test', 'fixtures');

export function readFixture(relativePath: string): string {
  return fs.readFileSync(path.join(fixturesDir, relativePath), 'utf8');
}

export function planDocument(text: string, name = 'test.plan.yaml', version = 1): PlanTextDocument {
  return { uri: `file:///workspace/${name}`, version, text };
}

/** A fixed clock, so `as_of`-less plans are deterministic. */
export function fixedToday(iso: string): () => number {
  const day = parseIsoDate(iso);
  if (day === undefined) throw new Error(`bad date ${iso}`);
  return () => day;
}

/** The text a range covers, so tests assert ranges by what they point at. */
export function textAt(text: string, range: Range): string {
  const lines = text.split('\n');
  if (range.start.line === range.end.line) return lines[range.start.line].slice(range.start.character, range.end.character);
  const parts = [lines[range.start.line].slice(range.start.character)];
  for (let line = range.start.line + 1; line < range.end.line; line++) parts.push(lines[line]);
  parts.push(lines[range.end.line].slice(0, range.end.character));
  return parts.join('\n');
}

/** Applies LSP text edits (non-overlapping) to a text. */
export function applyEdits(text: string, edits: { range: Range; newText: string }[]): string {
  const offsetAt = (position: { line: number; character: number }) => {
    const lines = text.split('\n');
    let offset = 0;
    for (let line = 0; line < position.line; line++) offset += lines[line].length + 1;
    return offset + position.character;
  };
  const sorted = [...edits].sort((a, b) => offsetAt(b.range.start) - offsetAt(a.range.start));
  let result = text;
  for (const edit of sorted) result = result.slice(0, offsetAt(edit.range.start)) + edit.newText + result.slice(offsetAt(edit.range.end));
  return result;
}
