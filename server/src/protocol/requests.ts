import { NotificationType, RequestType, RequestType0 } from 'vscode-languageserver-protocol';
import type { PlanView } from './planView';
import type { ProtocolWorkspaceEdit, RecordChangeParams, RescheduleParams, RescheduleResult } from './edits';

export type { ProtocolWorkspaceEdit, RecordChangeParams, RescheduleParams, RescheduleResult } from './edits';

// Every custom message between the Blueprint client and server, in one place.

export interface PlanViewParams {
  uri: string;
}

/** Client → server: the computed plan of one plan file (open or on disk); null when it is not a plan the server can read. */
export namespace PlanViewRequest {
  export const method = 'blueprint/planView' as const;
  export const type = new RequestType<PlanViewParams, PlanView | null, void>(method);
}

export interface PlanChangedParams {
  uri: string;
  version: number;
}

/** Server → client: a plan was re-analysed; views showing it should ask for its PlanView again. */
export namespace PlanChangedNotification {
  export const method = 'blueprint/planChanged' as const;
  export const type = new NotificationType<PlanChangedParams>(method);
}

/** Client → server: the edit that moves a task's start or end (a bar dragged in the timeline). */
export namespace RescheduleRequest {
  export const method = 'blueprint/reschedule' as const;
  export const type = new RequestType<RescheduleParams, RescheduleResult, void>(method);
}


/** Client → server: the edit that writes each task's computed dates into its baseline. */
export namespace BaselineEditRequest {
  export const method = 'blueprint/baselineEdit' as const;
  export const type = new RequestType<{ uri: string }, { edit: ProtocolWorkspaceEdit; tasks: number } | null, void>(method);
}

/** Client → server: the edit that appends an entry to the plan's `changes`. */
export namespace RecordChangeEditRequest {
  export const method = 'blueprint/recordChangeEdit' as const;
  export const type = new RequestType<RecordChangeParams, ProtocolWorkspaceEdit | null, void>(method);
}

export interface CoveringTaskView {
  planUri: string;
  planTitle?: string;
  id: string;
  title?: string;
  owner?: string;
  status: string;
  end: string;
  link: string;
  selectionRange: { start: { line: number; character: number }; end: { line: number; character: number } };
}

/** Client → server: the tasks whose `links` cover a source file. */
export namespace CoveringTasksRequest {
  export const method = 'blueprint/coveringTasks' as const;
  export const type = new RequestType<{ uri: string }, CoveringTaskView[], void>(method);
}

/**
 * Client → server: the server's process id. For the in-editor restart test
 * (which kills the server and waits for a new one) and for diagnosing a
 * server that misbehaves; the pid is no secret and nothing else is returned.
 */
export namespace ServerProcessRequest {
  export const method = 'blueprint/serverProcess' as const;
  export const type = new RequestType0<{ pid: number }, void>(method);
}

// The web extension: the language server runs in a web worker, which has no
// file system. It reads plan files (and blueprint.json) through the client,
// which uses VS Code's file system API (any scheme: file, vscode-vfs, memfs).
// The client answers only for files inside a workspace folder.

export interface ReadFilesParams {
  uris: string[];
}

/** One file as read by the client: its text (without a byte order mark), or why not. */
export type ReadFileResult =
  | { uri: string; text: string; mtime: number; size: number }
  /** No such file. */
  | { uri: string; missing: true }
  /** There is something, but it cannot be read: e.g. "it is a folder", "it is larger than 20 MB", "outside the workspace". */
  | { uri: string; failure: string };

/** Server → client (web extension only): read these files. One answer per uri, in the same order. */
export namespace ReadFilesRequest {
  export const method = 'blueprint/readFiles' as const;
  export const type = new RequestType<ReadFilesParams, ReadFileResult[], void>(method);
}

/** Server → client (web extension only): every plan file (*.plan.yaml, *.plan.yml) in the workspace folders, as uris. */
export namespace FindPlanFilesRequest {
  export const method = 'blueprint/findPlanFiles' as const;
  export const type = new RequestType0<string[], void>(method);
}

export interface FindFilesParams {
  /** A workspace folder's uri. */
  base: string;
  /** A glob relative to it (a task's `links` entry). */
  pattern: string;
  /** At most this many uris. */
  limit: number;
}

/** Server → client (web extension only): files under a workspace folder that match a glob, sorted. */
export namespace FindFilesRequest {
  export const method = 'blueprint/findFiles' as const;
  export const type = new RequestType<FindFilesParams, string[], void>(method);
}
