import * as fs from 'node:fs';
import * as path from 'node:path';
import { URI } from 'vscode-uri';

// Reading plan files from disk for cross-file references, inside the
// workspace folder(s) and nowhere else: the language server and the CLI both
// read through here. A path outside the folders is refused before the file
// system is touched; a symbolic link out of them is not followed.

/** Largest plan file read from disk for cross-file references and views. */
export const MAX_PLAN_FILE_BYTES = 20 * 1024 * 1024;

/** The file system path of a `file:` URI, or undefined for any other URI. */
export function fsPathOf(uri: string): string | undefined {
  try {
    const parsed = URI.parse(uri);
    return parsed.scheme === 'file' ? parsed.fsPath : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `target` is `root` or below it, as written (no file system access). */
export function isWithin(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  return relative === '' || (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
}

/** Editors do not show a byte order mark, so positions must not count it. */
export function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export interface PlanFileText {
  text: string;
  mtimeMs: number;
  size: number;
}

export class PlanFileReader {
  private readonly failures = new Map<string, string>();

  /** `roots`: the folders plans may be read from (file system paths), asked each time (folders come and go). */
  constructor(private readonly roots: () => readonly string[], private readonly maxBytes = MAX_PLAN_FILE_BYTES) {}

  /** Whether a plan at `uri` may be read: a file inside one of the roots, as written. */
  isInside(uri: string): boolean {
    const file = fsPathOf(uri);
    return file !== undefined && this.roots().some((root) => isWithin(root, file));
  }

  /** Why the last read of `uri` gave nothing although something is there; undefined when there is no such file. */
  failure(uri: string): string | undefined {
    return this.failures.get(uri);
  }

  /**
   * The file's text (without a byte order mark), or undefined. `known` is what
   * a cache holds: when size and modification time still match, `unchanged`.
   */
  read(uri: string, known?: { mtimeMs: number; size: number }): PlanFileText | 'unchanged' | undefined {
    this.failures.delete(uri);
    const file = fsPathOf(uri);
    const roots = this.roots();
    if (file === undefined || !roots.some((root) => isWithin(root, file))) return undefined;
    let real: string;
    try {
      // Where it really is (links resolved) before anything is read or even looked at there.
      real = fs.realpathSync(file);
    } catch (error) {
      return this.fail(uri, error);
    }
    if (!roots.some((root) => isWithin(realRoot(root), real))) return this.fail(uri, 'it links to a file outside the workspace folder, which is never read');
    try {
      const stat = fs.statSync(real);
      if (stat.isDirectory()) return this.fail(uri, 'it is a folder');
      if (!stat.isFile()) return this.fail(uri, 'it is not a regular file');
      if (stat.size > this.maxBytes) return this.fail(uri, `it is larger than ${this.maxBytes >= 1024 * 1024 ? `${Math.round(this.maxBytes / 1024 / 1024)} MB` : `${this.maxBytes} bytes`}`);
      if (known && known.mtimeMs === stat.mtimeMs && known.size === stat.size) return 'unchanged';
      return { text: withoutBom(fs.readFileSync(real, 'utf8')), mtimeMs: stat.mtimeMs, size: stat.size };
    } catch (error) {
      return this.fail(uri, error);
    }
  }

  private fail(uri: string, problem: unknown): undefined {
    const code = (problem as NodeJS.ErrnoException | undefined)?.code;
    // No such file (or a file where a folder should be): simply missing.
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    const reason = typeof problem === 'string' ? problem : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'ELOOP' ? 'its symbolic links loop' : `${code ?? (problem as Error).message}`;
    this.failures.set(uri, reason);
    return undefined;
  }
}

function realRoot(root: string): string {
  try {
    return fs.realpathSync(root);
  } catch {
    return root;
  }
}
