import type { Position, Range, Span } from './types';

/**
 * Offset ↔ position for one text. JavaScript string offsets are UTF-16 code
 * units, which is exactly what LSP positions count, so no re-encoding is needed.
 * Lines end at \n (a preceding \r stays on its line, as in VS Code); positions
 * never fall between the \r and \n of a CRLF, nor past a line's text (LSP clamps them).
 */
export class LineIndex {
  private readonly lineStarts: number[] = [0];

  constructor(private readonly text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
      this.lineStarts.push(i + 1);
    }
  }

  /** Where each line starts (the first is 0). */
  get starts(): readonly number[] {
    return this.lineStarts;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid] <= clamped) low = mid;
      else high = mid - 1;
    }
    // Between a CRLF's `\r` and `\n` is no LSP position: that is the line's end.
    const character = clamped - this.lineStarts[low];
    const beforeCr = character > 0 && this.text.charCodeAt(clamped) === 10 && this.text.charCodeAt(clamped - 1) === 13;
    return { line: low, character: beforeCr ? character - 1 : character };
  }

  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    if (position.line >= this.lineStarts.length) return this.text.length;
    const lineStart = this.lineStarts[position.line];
    // A character past the line's text means its end (LSP), never the next line nor between `\r` and `\n`.
    let lineEnd = this.text.length;
    if (position.line + 1 < this.lineStarts.length) {
      lineEnd = this.lineStarts[position.line + 1] - 1;
      if (lineEnd > lineStart && this.text.charCodeAt(lineEnd - 1) === 13) lineEnd--;
    }
    return Math.max(lineStart, Math.min(lineStart + position.character, lineEnd));
  }

  rangeOf(span: Span): Range {
    return { start: this.positionAt(span[0]), end: this.positionAt(span[1]) };
  }

  lineStart(line: number): number {
    return this.lineStarts[Math.max(0, Math.min(line, this.lineStarts.length - 1))];
  }

  lineText(line: number): string {
    const start = this.lineStart(line);
    const end = line + 1 < this.lineStarts.length ? this.lineStarts[line + 1] : this.text.length;
    return this.text.slice(start, end).replace(/\r?\n$/, '');
  }
}
