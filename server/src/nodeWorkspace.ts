import * as fs from 'node:fs';
import { URI } from 'vscode-uri';
import type { TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { PlanTextDocument, PlanWorkspace } from './service';

import * as path from 'node:path';

// Largest plan file read from disk for cross-file references and views.
const MAX_FILE_BYTES = 20 * 1024 * 1024;
// A workspace scan stops here: plans live in repositories, not in every folder of a disk.
const MAX_SCANNED_ENTRIES = 200_000;
const SKIPPED_FOLDERS = new Set(['node_modules', '.git', '.hg', '.svn', 'out', 'dist', '.vscode-test']);
const PLAN_FILE = /\.plan\.ya?ml$/;

/**
 * Plan files as the server sees them: the editor's copy when open, else the
 * file on disk (read-only; the server never writes). Disk versions are derived
 * from the modification time so cached analyses notice changes.
 */
export class NodePlanWorkspace implements PlanWorkspace {
  private readonly diskCache = new Map<string, { mtimeMs: number; size: number; document: PlanTextDocument }>();
  private planUris: string[] | undefined;
  folders: string[] = [];

  constructor(private readonly documents: TextDocuments<TextDocument>) {}

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
    let path: string;
    try {
      const parsed = URI.parse(uri);
      if (parsed.scheme !== 'file') return undefined;
      path = parsed.fsPath;
    } catch {
      return undefined;
    }
    try {
      const stat = fs.statSync(path);
      if (!stat.isFile() || stat.size > MAX_FILE_BYTES) return undefined;
      const cached = this.diskCache.get(uri);
      if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached.document;
      const text = fs.readFileSync(path, 'utf8');
      // Negative versions never collide with the editor's (which start at 0 or 1 and grow).
      const document = { uri, version: -Math.floor(stat.mtimeMs) - stat.size, text };
      this.diskCache.set(uri, { mtimeMs: stat.mtimeMs, size: stat.size, document });
      return document;
    } catch {
      return undefined;
    }
  }
}
