// Plain shapes of the edit requests, shared by the service, the server and the
// client. No imports, so the service can use them without any LSP package.

export interface ProtocolWorkspaceEdit {
  changes: Record<string, { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[]>;
}

export interface RescheduleParams {
  uri: string;
  /** The task to move. */
  id: string;
  /** The document version the timeline showed; a newer document refuses the edit. */
  version: number;
  start?: string;
  end?: string;
  /** Insert an explicit `start` where it is computed from dependencies (the user agreed). */
  setExplicitStart?: boolean;
}

/** Either the edit to apply (the client applies it; the server never writes), or why not. */
export type RescheduleResult = { edit: ProtocolWorkspaceEdit } | { refused: 'computed-start' | 'stale' | 'invalid'; message: string };

export interface RecordChangeParams {
  uri: string;
  /** The user's local date, YYYY-MM-DD. */
  date: string;
  summary: string;
  affects: string[];
}
