import * as fs from 'node:fs';
import * as path from 'node:path';
import fastGlob from 'fast-glob';
import { URI } from 'vscode-uri';
import type { LinkHost } from './languageServer';
import { isGlobPattern, isWorkspaceRelative } from './service/documentLinks';
import { fsPathOf } from './workspaceFiles';

const IGNORED = ['**/node_modules/**', '**/.git/**'];

/**
 * Tasks' `links` on a local disk: whether a path or glob matches a file
 * (stale-link, cached until files come or go), and the file a link opens.
 * Nothing outside the link's folder is looked at or opened: patterns that
 * could leave it are refused, and symbolic links out of it are not followed.
 */
export class NodeLinkHost implements LinkHost {
  private readonly existsCache = new Map<string, boolean>();

  exists = (rootUri: string, pattern: string): boolean => {
    const root = fsPathOf(rootUri);
    if (root === undefined) return true; // Not on this disk: do not claim the link is stale.
    const key = `${root}\u0000${pattern}`;
    const cached = this.existsCache.get(key);
    if (cached !== undefined) return cached;
    let exists = false;
    try {
      if (!isWorkspaceRelative(pattern)) {
        exists = false; // Outside the workspace (or could be): never looked for.
      } else if (isGlobPattern(pattern)) {
        const matches = fastGlob.sync(pattern, { cwd: root, onlyFiles: false, absolute: true, followSymbolicLinks: false, ignore: IGNORED, suppressErrors: true });
        exists = matches.some((match) => insideRoot(root, match));
      } else {
        const target = path.resolve(root, pattern);
        exists = insideRoot(root, target) && fs.existsSync(target);
      }
    } catch {
      exists = true; // Unreadable: do not claim the link is stale.
    }
    this.existsCache.set(key, exists);
    return exists;
  };

  fileTarget(rootUri: string, pattern: string): string | undefined {
    const root = fsPathOf(rootUri);
    if (root === undefined) return undefined;
    const target = path.resolve(root, pattern);
    return linkableFile(root, target) ? URI.file(target).toString() : undefined;
  }

  async firstMatch(rootUri: string, pattern: string): Promise<string | undefined> {
    const root = fsPathOf(rootUri);
    if (root === undefined) return undefined;
    const matches = await fastGlob(pattern, { cwd: root, onlyFiles: true, absolute: true, followSymbolicLinks: false, ignore: IGNORED });
    const first = matches.sort().find((match) => linkableFile(root, match));
    return first ? URI.file(first).toString() : undefined;
  }

  invalidate(): void {
    this.existsCache.clear();
  }
}

function insideRoot(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/** A file a link may open: inside the root as written and where it really is (a symbolic link out of the workspace is not followed). */
function linkableFile(root: string, target: string): boolean {
  try {
    return insideRoot(root, target) && insideRoot(fs.realpathSync(root), fs.realpathSync(target)) && fs.statSync(target).isFile();
  } catch {
    return false;
  }
}
