import * as fs from 'node:fs';
import { URI } from 'vscode-uri';
import type { TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { PlanTextDocument, PlanWorkspace } from './service';
import { fsPathOf, PlanFileReader } from './workspaceFiles';

import * as path from 'node:path';

// A workspace scan stops here: plans live in repositories, not in every folder of a disk.
const MAX_SCANNED_ENTRIES = 200_000;
const SKIPPED_FOLDERS = new Set(['node_modules', '.git', '.hg', '.svn', 'out', 'dist', '.vscode-test']);
const PLAN_FILE = /\.plan\.ya?ml$/;

/**
 * Plan files as the server sees them: the editor's copy when open, else the
 * file on disk (read-only; the server never writes), and only inside the
 * workspace folders (see workspaceFiles.ts). Disk versions are derived
 * from the modification time so cached analyses notice changes.
 */
export class NodePlanWorkspace implements PlanWorkspace {
  private readonly diskCache = new Map<string, { mtimeMs: number; size: number; document: PlanTextDocument }>();
  private planUris: string[] | undefined;
  folders: string[] = [];
  private readonly files = new PlanFileReader(() => this.roots());

  constructor(private readonly documents: Pick<TextDocuments<TextDocument>, 'get' | 'all'>) {}

  /** The folders plans are read from: the workspace folders, or with none open (a single file), the folders of the open plans. */
  private roots(): string[] {
    const folders = this.folders.flatMap((folder) => fsPathOf(folder) ?? []);
    if (this.folders.length > 0) return folders;
    return this.documents.all().flatMap((document) => {
      const file = PLAN_FILE.test(document.uri) ? fsPathOf(document.uri) : undefined;
      return file ? [path.dirname(file)] : [];
    });
  }

  isInside(uri: string): boolean {
    return this.files.isInside(uri);
  }

  readFailure(uri: string): string | undefined {
    return this.files.failure(uri);
  }

  /** Plan files under the workspace folders (cached until a plan file is created or deleted), plus open ones. */
  listPlanUris(): string[] {
    if (!this.planUris) {
      const found = new Set<string>();
      let budget = MAX_SCANNED_ENTRIES;
      for (const folder of this.folders) {
        let root: string;
        try {
          const parsed = URI.parse(folder);
          if (parsed.scheme !== 'file') continue;
          root = parsed.fsPath;
        } catch {
          continue;
        }
        const pending = [root];
        while (pending.length > 0 && budget > 0) {
          const directory = pending.pop()!;
          let entries: fs.Dirent[];
          try {
            entries = fs.readdirSync(directory, { withFileTypes: true });
          } catch {
            continue;
          }
          for (const entry of entries) {
            if (--budget <= 0) break;
            if (entry.isDirectory()) {
              if (!SKIPPED_FOLDERS.has(entry.name)) pending.push(path.join(directory, entry.name));
            } else if (entry.isFile() && PLAN_FILE.test(entry.name)) {
              found.add(URI.file(path.join(directory, entry.name)).toString());
            }
          }
        }
      }
      this.planUris = [...found].sort();
    }
    const open = this.documents.all().map((document) => document.uri).filter((uri) => PLAN_FILE.test(uri));
    return [...new Set([...this.planUris, ...open])];
  }

  /** A plan file was created or deleted: the next listing scans again. */
  invalidateListing(): void {
    this.planUris = undefined;
  }

  getDocument(uri: string): PlanTextDocument | undefined {
    const open = this.documents.get(uri);
    if (open) return { uri, version: open.version, text: open.getText() };
    return this.readFromDisk(uri);
  }

  forget(uri: string): void {
    this.diskCache.delete(uri);
  }

  private readFromDisk(uri: string): PlanTextDocument | undefined {
    const cached = this.diskCache.get(uri);
    const read = this.files.read(uri, cached);
    if (read === 'unchanged') return cached!.document;
    if (!read) {
      this.diskCache.delete(uri);
      return undefined;
    }
    // Negative versions never collide with the editor's (which start at 0 or 1 and grow).
    const document = { uri, version: -Math.floor(read.mtimeMs) - read.size, text: read.text };
    this.diskCache.set(uri, { mtimeMs: read.mtimeMs, size: read.size, document });
    return document;
  }
}
