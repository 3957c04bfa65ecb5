// LSP-shaped types owned by the service. They are structurally identical to the
// protocol's (0-based line, UTF-16 character), so server.ts returns them as is,
// while the service itself never imports an LSP or VS Code package.

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export interface Location {
  uri: string;
  range: Range;
}

export interface TextEdit {
  range: Range;
  newText: string;
}

export interface WorkspaceEdit {
  changes: Record<string, TextEdit[]>;
}

/** Offsets into the document text, [start, end). Internal; converted to Range at the edge. */
export type Span = readonly [start: number, end: number];

export type Severity = 'error' | 'warning' | 'info';
export type SeveritySetting = Severity | 'off';

/** LSP DiagnosticSeverity numbers, so diagnostics pass through unchanged. */
export const lspSeverity: Record<Severity, 1 | 2 | 3> = { error: 1, warning: 2, info: 3 };

export interface PlanDiagnostic {
  range: Range;
  severity: 1 | 2 | 3;
  code: string;
  codeDescription?: { href: string };
  source: 'blueprint';
  message: string;
  /** Data a quick fix needs (e.g. the suggested replacement), carried to code actions. */
  data?: { replacement?: string };
}

/** A document as the service sees it: nothing but text and identity. */
export interface PlanTextDocument {
  readonly uri: string;
  readonly version: number;
  readonly text: string;
}
