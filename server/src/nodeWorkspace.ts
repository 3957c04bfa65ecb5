import * as fs from 'node:fs';
import { URI } from 'vscode-uri';
import type { TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { PlanTextDocument, PlanWorkspace } from './service';

// Largest plan file read from disk for cross-file references and views.
const MAX_FILE_BYTES = 20 * 1024 * 1024;

/**
 * Plan files as the server sees them: the editor's copy when open, else the
 * file on disk (read-only; the server never writes). Disk versions are derived
 * from the modification time so cached analyses notice changes.
 */
export class NodePlanWorkspace implements PlanWorkspace {
  private readonly diskCache = new Map<string, { mtimeMs: number; size: number; document: PlanTextDocument }>();

  constructor(private readonly documents: TextDocuments<TextDocument>) {}

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
