import * as fs from 'node:fs';
import * as path from 'node:path';
import fastGlob from 'fast-glob';
import { URI } from 'vscode-uri';
import type { TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { scanCodeMarkers, resolveCodeMarkerFile, type CodeMarker } from './service/codeMarkers';
import { LineIndex } from './service/lineIndex';
import { nearest } from './service/suggest';
import { linkMatches } from './service/codeLinks';
import type { Entity } from './service/model';
import type { FeatureEnvironment, PlanAnalysis, PlanDiagnostic, Range } from './service';
import { fsPathOf } from './workspaceFiles';

// `plan:` markers in source files: resolved against the workspace's plans,
// reported when they name nothing, and found (on demand only) when a plan
// item's references or rename need them. Open documents are scanned per
// version; files on disk only when a search asks, cached by modification time.

const MAX_SOURCE_BYTES = 1024 * 1024;
const MAX_SOURCE_FILES = 20_000;
const SKIPPED = ['**/node_modules/**', '**/.git/**', '**/dist/**', '**/out/**', '**/.vscode-test/**', '**/*.plan.yaml', '**/*.plan.yml'];
const BINARY = /\.(png|jpe?g|gif|ico|webp|pdf|zip|gz|tgz|jar|exe|dll|so|dylib|wasm|woff2?|ttf|otf|mp[34]|mov|vsix|lock)$/i;

export interface ResolvedMarker {
  marker: CodeMarker;
  /** The plan and item it names, when it names one. */
  target?: { analysis: PlanAnalysis; entity: Entity };
}

export class CodeReferences {
  private readonly openCache = new Map<string, { version: number; markers: CodeMarker[]; lines: LineIndex }>();
  private readonly diskCache = new Map<string, { mtimeMs: number; size: number; markers: CodeMarker[]; lines: LineIndex | undefined }>();
  /** Source files of each workspace folder (listed on first need; dropped when files come or go). */
  private readonly fileLists = new Map<string, string[]>();
  /** Markers in files on disk by id (built on first need; dropped when files change). */
  private readonly diskIndex = new Map<string, Map<string, { uri: string; marker: CodeMarker; lines: LineIndex }[]>>();
  /** For each link pattern, the files on disk it matches (dropped when files come or go). */
  private readonly linkMatches = new Map<string, Set<string>>();

  constructor(
    private readonly documents: TextDocuments<TextDocument>,
    private readonly environment: FeatureEnvironment,
    private readonly folderOf: (uri: string) => string | undefined,
    private readonly listPlans: () => string[],
  ) {}

  /** A source file was created or deleted. */
  invalidateFileList(): void {
    this.fileLists.clear();
    this.diskIndex.clear();
    this.linkMatches.clear();
  }

  /** A document closed, or a file changed on disk. */
  forget(uri: string): void {
    this.openCache.delete(uri);
    try {
      const file = URI.parse(uri).fsPath;
      if (this.diskCache.delete(file)) this.diskIndex.clear();
    } catch {
      // not a file URI
    }
  }

  markersOfOpen(document: TextDocument): { markers: CodeMarker[]; lines: LineIndex } {
    const cached = this.openCache.get(document.uri);
    if (cached && cached.version === document.version) return cached;
    const text = document.getText();
    const entry = { version: document.version, markers: scanCodeMarkers(text, document.languageId), lines: new LineIndex(text) };
    this.openCache.set(document.uri, entry);
    return entry;
  }

  /** Resolves a marker of `sourceUri` to the plan item it names. */
  resolve(marker: CodeMarker, sourceUri: string): ResolvedMarker {
    const folder = this.folderOf(sourceUri);
    if (marker.file !== undefined) {
      if (!folder) return { marker };
      const planUri = resolveCodeMarkerFile(marker.file, sourceUri, folder);
      const analysis = planUri ? this.environment.analyzeUri(planUri) : undefined;
      const entity = analysis?.model.entitiesById.get(marker.id)?.[0];
      return analysis && entity ? { marker, target: { analysis, entity } } : { marker };
    }
    for (const planUri of this.plansFor(sourceUri)) {
      const analysis = this.environment.analyzeUri(planUri);
      const entity = analysis?.model.entitiesById.get(marker.id)?.[0];
      if (analysis && entity) return { marker, target: { analysis, entity } };
    }
    return { marker };
  }

  /** unknown-reference for markers that name nothing, with the nearest id as the fix. */
  diagnosticsFor(document: TextDocument, severity: 1 | 2 | 3 | undefined, docsBase: string): PlanDiagnostic[] {
    if (severity === undefined) return [];
    const { markers, lines } = this.markersOfOpen(document);
    const diagnostics: PlanDiagnostic[] = [];
    for (const marker of markers) {
      if (this.resolve(marker, document.uri).target) continue;
      const candidates = this.candidateIds(document.uri, marker.file);
      const suggestion = nearest(marker.id, candidates);
      const where = marker.file !== undefined ? `\`${marker.file}\`` : "this workspace's plans";
      const fix = suggestion ? `did you mean \`${suggestion}\`?` : candidates.length === 0 && marker.file !== undefined ? 'check the path (relative to the workspace, or to this file with ./ or ../).' : 'check the id in the plan.';
      diagnostics.push({
        range: lines.rangeOf(marker.idSpan),
        severity,
        code: 'unknown-reference',
        codeDescription: { href: `${docsBase}#unknown-reference` },
        source: 'blueprint',
        message: `No plan item \`${marker.id}\` in ${where}; ${fix}`,
        ...(suggestion ? { data: { replacement: suggestion } } : {}),
      });
    }
    return diagnostics;
  }

  /** The marker under a position of an open source document. */
  markerAt(document: TextDocument, position: { line: number; character: number }): { marker: CodeMarker; range: Range; lines: LineIndex } | undefined {
    const { markers, lines } = this.markersOfOpen(document);
    const offset = lines.offsetAt(position);
    const marker = markers.find((candidate) => offset >= candidate.span[0] && offset <= candidate.span[1]);
    return marker ? { marker, range: lines.rangeOf(marker.span), lines } : undefined;
  }

  /**
   * Every marker in the workspace's source files naming `id` of the plan
   * `planUri` (open documents as edited, other files from disk).
   */
  findMarkersOf(planUri: string, id: string): { uri: string; idRange: Range; range: Range }[] {
    const folder = this.folderOf(planUri);
    if (!folder) return [];
    const found: { uri: string; idRange: Range; range: Range }[] = [];
    const visit = (uri: string, markers: CodeMarker[], lines: LineIndex) => {
      for (const marker of markers) {
        if (marker.id !== id) continue;
        const resolved = this.resolve(marker, uri);
        if (resolved.target?.analysis.document.uri === planUri) found.push({ uri, idRange: lines.rangeOf(marker.idSpan), range: lines.rangeOf(marker.span) });
      }
    };
    const openUris = new Set<string>();
    for (const document of this.documents.all()) {
      if (document.languageId === 'plan-yaml' || this.folderOf(document.uri) !== folder) continue;
      openUris.add(document.uri);
      const { markers, lines } = this.markersOfOpen(document);
      visit(document.uri, markers, lines);
    }
    for (const entry of this.indexOf(folder).get(id) ?? []) {
      if (!openUris.has(entry.uri)) visit(entry.uri, [entry.marker], entry.lines);
    }
    return found;
  }

  /** The workspace files a task's links match, as workspace-relative paths. */
  linkedFiles(planUri: string, links: string[]): Set<string> {
    const folder = this.folderOf(planUri);
    const files = new Set<string>();
    if (!folder) return files;
    let root: string;
    try {
      root = URI.parse(folder).fsPath;
    } catch {
      return files;
    }
    for (const link of links) {
      const key = `${folder}\u0000${link}`;
      let matched = this.linkMatches.get(key);
      if (!matched) {
        matched = new Set<string>();
        for (const file of this.sourceFiles(folder)) {
          const relative = path.relative(root, file).split(path.sep).join('/');
          if (linkMatches(link, relative)) matched.add(relative);
        }
        this.linkMatches.set(key, matched);
      }
      for (const file of matched) files.add(file);
    }
    return files;
  }

  /**
   * How many files a task is tied to: matched by its links or holding a
   * `plan:` marker that names it, each file counted once (code lenses).
   */
  countTiedFiles(planUri: string, links: string[], id: string): number {
    const files = this.linkedFiles(planUri, links);
    const folder = this.folderOf(planUri);
    const root = folder ? fsPathOf(folder) : undefined;
    for (const marker of this.findMarkersOf(planUri, id)) {
      const file = fsPathOf(marker.uri);
      files.add(root && file ? path.relative(root, file).split(path.sep).join('/') : marker.uri);
    }
    return files.size;
  }

  /** How many workspace files a task's links match. */
  countLinkedFiles(planUri: string, links: string[]): number {
    return this.linkedFiles(planUri, links).size;
  }

  /** Markers of the files on disk under a folder, by id: one scan, then reused until files change. */
  private indexOf(folder: string): Map<string, { uri: string; marker: CodeMarker; lines: LineIndex }[]> {
    let index = this.diskIndex.get(folder);
    if (!index) {
      index = new Map<string, { uri: string; marker: CodeMarker; lines: LineIndex }[]>();
      for (const file of this.sourceFiles(folder)) {
        const entry = this.markersOfDisk(file);
        if (!entry?.lines) continue;
        const uri = URI.file(file).toString();
        for (const marker of entry.markers) {
          const list = index.get(marker.id) ?? [];
          list.push({ uri, marker, lines: entry.lines });
          index.set(marker.id, list);
        }
      }
      this.diskIndex.set(folder, index);
    }
    return index;
  }

  private markersOfDisk(file: string): { markers: CodeMarker[]; lines: LineIndex | undefined } | undefined {
    try {
      const stat = fs.statSync(file);
      if (!stat.isFile() || stat.size > MAX_SOURCE_BYTES) return undefined;
      const cached = this.diskCache.get(file);
      if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached;
      const text = fs.readFileSync(file, 'utf8');
      // Most files name no plan item: skip the lexer and the line index for them.
      const markers = text.includes('plan:') ? scanCodeMarkers(text, languageIdOf(file)) : [];
      const entry = { mtimeMs: stat.mtimeMs, size: stat.size, markers, lines: markers.length > 0 ? new LineIndex(text) : undefined };
      this.diskCache.set(file, entry);
      return entry;
    } catch {
      return undefined;
    }
  }

  private sourceFiles(folder: string): string[] {
    let files = this.fileLists.get(folder);
    if (!files) {
      let root: string;
      try {
        root = URI.parse(folder).fsPath;
      } catch {
        return [];
      }
      files = fastGlob
        .sync('**/*', { cwd: root, absolute: true, onlyFiles: true, dot: false, followSymbolicLinks: false, ignore: SKIPPED, suppressErrors: true })
        .filter((file) => !BINARY.test(file))
        .slice(0, MAX_SOURCE_FILES);
      this.fileLists.set(folder, files);
    }
    return files;
  }

  private plansFor(sourceUri: string): string[] {
    const folder = this.folderOf(sourceUri);
    return this.listPlans().filter((uri) => this.folderOf(uri) === folder);
  }

  private candidateIds(sourceUri: string, file: string | undefined): string[] {
    const folder = this.folderOf(sourceUri);
    const plans = file !== undefined && folder ? [resolveCodeMarkerFile(file, sourceUri, folder)].filter((uri): uri is string => !!uri) : this.plansFor(sourceUri);
    return plans.flatMap((uri) => [...(this.environment.analyzeUri(uri)?.model.entitiesById.keys() ?? [])]);
  }
}

const EXTENSION_LANGUAGES: Record<string, string> = {
  ts: 'typescript', tsx: 'typescriptreact', js: 'javascript', jsx: 'javascriptreact', mjs: 'javascript', cjs: 'javascript',
  py: 'python', rb: 'ruby', go: 'go', rs: 'rust', java: 'java', kt: 'kotlin', scala: 'scala', swift: 'swift',
  c: 'c', h: 'c', cc: 'cpp', cpp: 'cpp', hpp: 'cpp', cs: 'csharp', php: 'php', sh: 'shellscript', bash: 'shellscript',
  yaml: 'yaml', yml: 'yaml', toml: 'toml', sql: 'sql', lua: 'lua', hs: 'haskell', ex: 'elixir', exs: 'elixir',
  erl: 'erlang', clj: 'clojure', lisp: 'lisp', ini: 'ini', html: 'html', xml: 'xml', md: 'markdown', css: 'css',
  scss: 'scss', less: 'less', vue: 'vue', svelte: 'svelte', txt: 'plaintext', pl: 'perl', r: 'r', ps1: 'powershell',
};

/** A VS Code language id from a file name, for files read from disk. */
export function languageIdOf(file: string): string {
  const base = path.basename(file).toLowerCase();
  if (base === 'dockerfile') return 'dockerfile';
  if (base === 'makefile') return 'makefile';
  // Unknown kinds get the generic lexer (//, # and /* */ comments), never plain text's "all comment".
  return EXTENSION_LANGUAGES[base.slice(base.lastIndexOf('.') + 1)] ?? 'unknown';
}
