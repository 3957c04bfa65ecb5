import { URI, Utils } from 'vscode-uri';
import type { TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { HostWorkspace } from './languageServer';
import type { ReadFileResult } from './protocol/requests';
import type { PlanTextDocument } from './service';

const PLAN_FILE = /\.plan\.ya?ml$/;
/** Most files asked of the client in one request (its answer is capped the same way). */
const READ_BATCH = 500;

/** What is known of a file the client was asked for: its text, or why there is none. */
type Known = PlanTextDocument | { missing: true } | { failure: string };

/** How the worker reaches files: requests to its client (ReadFilesRequest, FindPlanFilesRequest). */
export interface RemoteFiles {
  read(uris: string[]): Promise<ReadFileResult[]>;
  findPlans(): Promise<string[]>;
}

/**
 * Plan files for the language server in a web worker, which has no file
 * system: the editor's copies when open, else files read through the client
 * (VS Code's file system API, so any scheme: github.dev's vscode-vfs, memfs).
 * The service reads synchronously; a file not read yet is "not there" for
 * that analysis and noted as wanted. The server then reads what was wanted
 * (readWanted) and analyses again: analyses record the files they missed
 * (ABSENT_VERSION), so the arrival makes them stale.
 */
export class RemotePlanWorkspace implements HostWorkspace {
  folders: string[] = [];
  private readonly known = new Map<string, Known>();
  private readonly wanted = new Set<string>();
  private planUris: string[] | undefined;
  /** Versions of files read from the client: negative (editor versions are >= 0), new whenever the text changes. */
  private nextVersion = -1;

  constructor(
    private readonly documents: Pick<TextDocuments<TextDocument>, 'get' | 'all'>,
    private readonly files: RemoteFiles,
  ) {}

  /** The folders plans are read from: the workspace folders, or with none open, the folders of the open plans. */
  private roots(): URI[] {
    if (this.folders.length > 0) return this.folders.flatMap((folder) => parsed(folder) ?? []);
    return this.documents.all().flatMap((document) => {
      const uri = PLAN_FILE.test(document.uri) ? parsed(document.uri) : undefined;
      return uri ? [Utils.dirname(uri)] : [];
    });
  }

  isInside(uri: string): boolean {
    const target = parsed(uri);
    return target !== undefined && this.roots().some((root) => isBelow(root, target));
  }

  readFailure(uri: string): string | undefined {
    const known = this.known.get(uri);
    return known && 'failure' in known ? known.failure : undefined;
  }

  getDocument(uri: string): PlanTextDocument | undefined {
    const open = this.documents.get(uri);
    if (open) return { uri, version: open.version, text: open.getText() };
    const known = this.known.get(uri);
    if (known === undefined) {
      if (this.isInside(uri)) this.wanted.add(uri);
      return undefined;
    }
    return 'text' in known ? known : undefined;
  }

  listPlanUris(): string[] {
    const open = this.documents.all().map((document) => document.uri).filter((uri) => PLAN_FILE.test(uri));
    return [...new Set([...(this.planUris ?? []), ...open])];
  }

  invalidateListing(): void {
    this.planUris = undefined;
  }

  forget(uri: string): void {
    this.known.delete(uri);
  }

  async readWanted(): Promise<boolean> {
    const uris = [...this.wanted].filter((uri) => !this.known.has(uri));
    this.wanted.clear();
    return (await this.read(uris)) > 0;
  }

  async prefetch(uris: string[], everyPlan = false): Promise<void> {
    if (everyPlan && this.planUris === undefined) {
      try {
        const found = await this.files.findPlans();
        this.planUris = found.filter((uri) => typeof uri === 'string' && PLAN_FILE.test(uri) && this.isInside(uri)).sort();
      } catch {
        this.planUris = [];
      }
    }
    const all = everyPlan ? [...uris, ...(this.planUris ?? [])] : uris;
    await this.read(all.filter((uri) => !this.documents.get(uri) && !this.known.has(uri) && this.isInside(uri)));
  }

  /** Reads files through the client; returns how many arrived as text or as a reason they cannot be read. */
  private async read(uris: string[]): Promise<number> {
    let arrived = 0;
    for (let start = 0; start < uris.length; start += READ_BATCH) {
      const batch = uris.slice(start, start + READ_BATCH);
      let results: ReadFileResult[];
      try {
        results = await this.files.read(batch);
      } catch {
        results = [];
      }
      const byUri = new Map(Array.isArray(results) ? results.filter((result) => typeof result?.uri === 'string').map((result) => [result.uri, result]) : []);
      for (const uri of batch) {
        const result = byUri.get(uri);
        if (result && 'text' in result && typeof result.text === 'string') {
          const previous = this.known.get(uri);
          // The same text keeps its version, so analyses that read it stay fresh.
          const version = previous && 'text' in previous && previous.text === result.text ? previous.version : this.nextVersion--;
          this.known.set(uri, { uri, version, text: result.text });
          arrived++;
        } else if (result && 'failure' in result && typeof result.failure === 'string') {
          this.known.set(uri, { failure: result.failure });
          arrived++;
        } else {
          // Missing, or no answer: not there (asked again only after a change is reported).
          this.known.set(uri, { missing: true });
        }
      }
    }
    return arrived;
  }
}

function parsed(uri: string): URI | undefined {
  try {
    return URI.parse(uri);
  } catch {
    return undefined;
  }
}

/** Whether `target` is `root` or below it: same scheme and authority, and the path below the root's at a `/`, with no `..` step. */
export function isBelow(root: URI, target: URI): boolean {
  if (root.scheme !== target.scheme || root.authority !== target.authority) return false;
  if (target.path.split('/').includes('..')) return false;
  const base = root.path.endsWith('/') ? root.path : `${root.path}/`;
  return target.path === root.path || target.path.startsWith(base);
}
