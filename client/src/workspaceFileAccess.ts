import { URI } from 'vscode-uri';
import type { FindFilesParams, ReadFileResult } from '../../server/src/protocol/requests';
import { isWorkspaceRelative } from '../../server/src/protocol/linkPatterns';

// The web extension's language server runs in a web worker, with no file
// system: it asks the client for plan files, blueprint.json and link targets
// (server/src/protocol/requests.ts). The client answers for files inside the
// workspace folders only, through VS Code's file system API, so any scheme
// works (file, vscode-vfs on github.dev, memfs). Pure logic over an injected
// host (unit-tested in test/unit/workspaceFileAccess.test.ts); the binding to
// the vscode module is workspaceFileAccessHost.ts.

/** Same limit as the desktop's reader (server/src/workspaceFiles.ts). */
export const MAX_READ_BYTES = 20 * 1024 * 1024;
/** Uris answered per readFiles request; more are refused (a plan workspace needs far fewer at once). */
export const MAX_URIS_PER_REQUEST = 1000;
/** Files read at the same time. */
const READ_CONCURRENCY = 8;
/** The most plan files listed (as many as the desktop server scans for). */
export const MAX_PLAN_FILES = 10_000;
/** The most matches of one link glob. */
export const MAX_FIND_FILES = 100;
export const PLAN_FILES_GLOB = '**/*.plan.{yaml,yml}';
export const EXCLUDED_FOLDERS_GLOB = '{**/node_modules/**,**/.git/**}';

export const OUTSIDE_WORKSPACE = 'it is outside the workspace folders, which are the only place plans are read from';
export const TOO_MANY_URIS = `more files were asked for at once than the ${MAX_URIS_PER_REQUEST.toLocaleString('en-US')} answered per request`;

/** What the host's `stat` tells (vscode.FileStat, with its FileType flags turned into one kind). */
export interface FileStatus {
  kind: 'file' | 'folder' | 'symbolicLink' | 'other';
  size: number;
  /** Milliseconds since the epoch. */
  mtime: number;
}

/** The editor's side: vscode.workspace in the extension, a fake in tests. Uris are strings. */
export interface FileAccessHost {
  /** The workspace folders' uris, asked each time (folders come and go). */
  workspaceFolders(): readonly string[];
  /** Throws the file system's error (vscode.FileSystemError) when there is nothing to stat. */
  stat(uri: string): Promise<FileStatus>;
  readFile(uri: string): Promise<Uint8Array>;
  /**
   * vscode.workspace.findFiles: `base` undefined searches every workspace
   * folder, else the folder with that uri (a RelativePattern). Uris, in no order.
   */
  findFiles(include: { base?: string; pattern: string }, exclude: string, limit: number): Promise<string[]>;
}

export interface WorkspaceFileAccess {
  /** blueprint/readFiles: one result per uri, in the order asked. */
  readFiles(params: unknown): Promise<ReadFileResult[]>;
  /** blueprint/findPlanFiles: the plan files of the workspace folders, sorted. */
  findPlanFiles(): Promise<string[]>;
  /** blueprint/findFiles: a link glob's matches in one workspace folder, sorted; [] for anything refused. */
  findFiles(params: unknown): Promise<string[]>;
}

/** A uri taken apart for comparison: scheme and authority as keys, the path with `.` and `..` resolved. */
interface ComparableUri {
  scheme: string;
  authority: string;
  query: string;
  path: string;
  /** The same uri written canonically: what is read, so the file read is the file checked. */
  canonical: string;
}

/** Any control character, or a backslash (a separator on Windows file systems that the `/` checks would miss). */
const UNSAFE_IN_PATH = /[\u0000-\u001f\u007f\\]/;

/**
 * The uri's parts for containment checks, or undefined when it is not a uri
 * or its path climbs above the root. Percent-escapes are decoded first
 * (`%2e%2e`, `%2F` are `..` and `/`); a Windows drive letter is lower-cased.
 */
function comparable(uri: string): ComparableUri | undefined {
  let parsed: URI;
  try {
    parsed = URI.parse(uri, true);
  } catch {
    return undefined;
  }
  if (parsed.fragment !== '' || UNSAFE_IN_PATH.test(parsed.path)) return undefined;
  const segments: string[] = [];
  for (const segment of parsed.path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (segments.length === 0) return undefined;
      segments.pop();
    } else segments.push(segment);
  }
  if (segments.length > 0 && /^[A-Za-z]:$/.test(segments[0])) segments[0] = segments[0].toLowerCase();
  const path = `/${segments.join('/')}`;
  const scheme = parsed.scheme.toLowerCase();
  const authority = parsed.authority.toLowerCase();
  let canonical: string;
  try {
    canonical = URI.from({ scheme, authority: parsed.authority, path, query: parsed.query, fragment: '' }).toString();
  } catch {
    return undefined;
  }
  return { scheme, authority, query: parsed.query, path, canonical };
}

/** Whether `target` is `folder` or below it: same scheme, authority and query, and the folder's path a prefix at a `/`. */
function isInside(folder: ComparableUri, target: ComparableUri): boolean {
  if (folder.scheme !== target.scheme || folder.authority !== target.authority || folder.query !== target.query) return false;
  return target.path === folder.path || target.path.startsWith(folder.path === '/' ? '/' : `${folder.path}/`);
}

/** The workspace folder whose uri is `uri` (written either way), or undefined. */
function sameFolder(folders: readonly string[], uri: string): string | undefined {
  const wanted = comparable(uri);
  if (!wanted) return undefined;
  return folders.find((folder) => {
    const candidate = comparable(folder);
    return candidate !== undefined && candidate.canonical === wanted.canonical;
  });
}

/** Editors do not show a byte order mark, so positions must not count it (as the desktop's reader). */
function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The names VS Code's file system errors go by: `code` on vscode.FileSystemError, the provider's name in `name`. */
function errorCodeOf(error: unknown): string {
  const { code, name } = (error ?? {}) as { code?: unknown; name?: unknown };
  return `${typeof code === 'string' ? code : ''} ${typeof name === 'string' ? name : ''}`;
}

/** A failed stat or read as an answer: missing, or why it cannot be read. */
function answerForError(uri: string, error: unknown): ReadFileResult {
  const code = errorCodeOf(error);
  // No such file, or a file where a folder should be: simply missing (as ENOENT and ENOTDIR on the desktop).
  if (/\b(FileNotFound|EntryNotFound|FileNotADirectory|EntryNotADirectory|ENOENT|ENOTDIR)\b/.test(code)) return { uri, missing: true };
  if (/\b(NoPermissions|EntryNoPermissions|EACCES|EPERM)\b/.test(code)) return { uri, failure: 'permission denied' };
  if (/\b(FileIsADirectory|EntryIsADirectory|EISDIR)\b/.test(code)) return { uri, failure: 'it is a folder' };
  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
  return { uri, failure: message.trim() !== '' ? message : 'it could not be read' };
}

const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

async function readOne(host: FileAccessHost, folders: readonly ComparableUri[], uri: string): Promise<ReadFileResult> {
  const target = comparable(uri);
  // Refused before the file system is touched.
  if (!target || !folders.some((folder) => isInside(folder, target))) return { uri, failure: OUTSIDE_WORKSPACE };
  try {
    const status = await host.stat(target.canonical);
    if (status.kind === 'folder') return { uri, failure: 'it is a folder' };
    // The web file system API cannot tell where a link leads, so it is not followed (the desktop follows only links inside the folders).
    if (status.kind === 'symbolicLink') return { uri, failure: 'it is a symbolic link, which is not followed here' };
    if (status.kind !== 'file') return { uri, failure: 'it is not a regular file' };
    if (status.size > MAX_READ_BYTES) return { uri, failure: 'it is larger than 20 MB' };
    const bytes = await host.readFile(target.canonical);
    // It may have grown since the stat.
    if (bytes.byteLength > MAX_READ_BYTES) return { uri, failure: 'it is larger than 20 MB' };
    return { uri, text: withoutBom(utf8.decode(bytes)), mtime: status.mtime, size: bytes.byteLength };
  } catch (error) {
    return answerForError(uri, error);
  }
}

/** Runs `work` on every item, at most `limit` at a time; results in the items' order. */
async function mapLimited<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function createWorkspaceFileAccess(host: FileAccessHost): WorkspaceFileAccess {
  return {
    async readFiles(params) {
      const uris = (params as { uris?: unknown } | null | undefined)?.uris;
      if (!Array.isArray(uris)) return [];
      const folders = host.workspaceFolders().map(comparable).filter((folder): folder is ComparableUri => folder !== undefined);
      const answered = uris.slice(0, MAX_URIS_PER_REQUEST);
      const results = await mapLimited(answered, READ_CONCURRENCY, (uri: unknown) =>
        typeof uri === 'string' ? readOne(host, folders, uri) : Promise.resolve<ReadFileResult>({ uri: String(uri), failure: 'it is not a uri' }),
      );
      for (const uri of uris.slice(MAX_URIS_PER_REQUEST)) results.push({ uri: String(uri), failure: TOO_MANY_URIS });
      return results;
    },

    async findPlanFiles() {
      return (await host.findFiles({ pattern: PLAN_FILES_GLOB }, EXCLUDED_FOLDERS_GLOB, MAX_PLAN_FILES)).sort(byString);
    },

    async findFiles(params) {
      const { base, pattern, limit } = (params ?? {}) as Partial<Record<keyof FindFilesParams, unknown>>;
      if (typeof base !== 'string' || typeof pattern !== 'string' || typeof limit !== 'number' || Number.isNaN(limit)) return [];
      // Only a workspace folder is searched, and only with a link the desktop would follow (no scheme, not absolute, no `..`).
      const folder = sameFolder(host.workspaceFolders(), base);
      if (folder === undefined || !isWorkspaceRelative(pattern)) return [];
      const clamped = Math.min(MAX_FIND_FILES, Math.max(1, Math.floor(limit)));
      const root = comparable(folder)!;
      const found = await host.findFiles({ base: folder, pattern }, EXCLUDED_FOLDERS_GLOB, clamped);
      // findFiles searches below the folder only; checked again all the same.
      return found
        .filter((uri) => {
          const target = comparable(uri);
          return target !== undefined && isInside(root, target);
        })
        .sort(byString)
        .slice(0, clamped);
    },
  };
}
