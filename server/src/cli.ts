import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import fastGlob from 'fast-glob';
import ignore, { type Ignore } from 'ignore';
import { URI } from 'vscode-uri';
import { createPlanService, readRuleSeverities, RULES, type PlanDiagnostic, type PlanTextDocument, type PlanWorkspace, type RuleSeverities } from './service';
import { CONFIG_FILE_NAME } from './protocol/settings';
import { toICalendar, toMermaidGantt } from './service/exports';
import { computeLayout, GROUPINGS, ZOOMS, type Grouping, type Zoom } from './timeline/layout';
import { timelineSvg } from './timeline/svg';
import { getStatusReport } from './service/report';
import { diffPlans, formatPlanDiff } from './service/planDiff';
import { PlanFileReader, withoutBom } from './workspaceFiles';

// `blueprint`: the editor's checks from a terminal and in CI. The same
// service, rules and computed schedule as the language server.

const USAGE = `Usage: blueprint check [paths or globs…] [--format text|json|sarif] [--max-warnings N]
       blueprint export <plan> --format mermaid|ics|json|svg [--zoom day|week|month|quarter] [--group milestone|owner]
       blueprint report <plan>
       blueprint diff <git-rev> [<git-rev>] [plans…] [--format markdown|text]

Checks every *.plan.yaml / *.plan.yml file found (default: the current folder,
recursively, skipping node_modules and what .gitignore ignores).

Options:
  --format text|json|sarif   output format (default: text)
  --max-warnings N           fail when there are more than N warnings (default: no limit)
  -h, --help                 show this help

\`report\` prints a Markdown status report for a review meeting.
\`diff\` compares plans at a git revision with the working tree (or two
revisions): tasks added and removed, computed dates that moved, owners,
milestones now past due, the critical path (default: the plans git sees changed).
\`export\` prints the plan's computed schedule as a Mermaid gantt (renders in
GitHub Markdown), an iCalendar file of milestones and task deadlines, the
computed plan as JSON (the editor's blueprint/planView shape), or the timeline
as a standalone SVG picture (light colours; --zoom, default week; --group,
default milestone).

Plans named by cross-file references (\`other.plan.yaml#id\`) are read only
inside the current folder (for diff, the repository): a reference that leads
elsewhere is reported, and nothing there is read.

Rule severities come from blueprint.json ({ "rules": { "rule-id": "off" } }) or
.vscode/settings.json ("blueprint.rules") in the current folder.
Exit codes: 0 clean, 1 problems (errors, or warnings over --max-warnings), 2 usage or I/O error.`;

export class UsageError extends Error {}

interface CheckOptions {
  patterns: string[];
  format: 'text' | 'json' | 'sarif';
  maxWarnings: number | undefined;
}

export interface FileResult {
  /** Path relative to the current folder, with forward slashes. */
  path: string;
  uri: string;
  text: string;
  diagnostics: PlanDiagnostic[];
}

/**
 * Reads plan files from disk for cross-file references (read-only), inside
 * `root` only: the current folder (the git top level for diff).
 */
class DiskWorkspace implements PlanWorkspace {
  private readonly cache = new Map<string, PlanTextDocument | null>();
  private readonly files: PlanFileReader;

  constructor(root: string) {
    this.files = new PlanFileReader(() => [root]);
  }

  isInside(uri: string): boolean {
    return this.files.isInside(uri);
  }

  readFailure(uri: string): string | undefined {
    return this.files.failure(uri);
  }

  getDocument(uri: string): PlanTextDocument | undefined {
    if (this.cache.has(uri)) return this.cache.get(uri) ?? undefined;
    const read = this.files.read(uri);
    const document = read && read !== 'unchanged' ? { uri, version: 0, text: read.text } : null;
    this.cache.set(uri, document);
    return document ?? undefined;
  }
}

function parseExportArguments(rest: string[]): { plan: string; format: 'mermaid' | 'ics' | 'json' | 'svg'; zoom: Zoom; grouping: Grouping } {
  let format: string | undefined;
  let zoom: string | undefined;
  let grouping: string | undefined;
  const plans: string[] = [];
  for (let index = 0; index < rest.length; index++) {
    const argument = rest[index];
    if (argument === '--format') format = rest[++index];
    else if (argument.startsWith('--format=')) format = argument.slice('--format='.length);
    else if (argument === '--zoom') zoom = rest[++index];
    else if (argument.startsWith('--zoom=')) zoom = argument.slice('--zoom='.length);
    else if (argument === '--group') grouping = rest[++index];
    else if (argument.startsWith('--group=')) grouping = argument.slice('--group='.length);
    else if (argument.startsWith('-')) throw new UsageError(`Unknown option \`${argument}\`.\n\n${USAGE}`);
    else plans.push(argument);
  }
  if (plans.length !== 1) throw new UsageError(`export needs exactly one plan file.\n\n${USAGE}`);
  if (format !== 'mermaid' && format !== 'ics' && format !== 'json' && format !== 'svg') throw new UsageError(`export --format must be mermaid, ics, json or svg${format ? `, not \`${format}\`` : ''}.`);
  if ((zoom !== undefined || grouping !== undefined) && format !== 'svg') throw new UsageError('--zoom and --group only apply to export --format svg.');
  if (zoom !== undefined && !ZOOMS.includes(zoom as Zoom)) throw new UsageError(`export --zoom must be ${ZOOMS.join(', ')}, not \`${zoom}\`.`);
  if (grouping !== undefined && !GROUPINGS.includes(grouping as Grouping)) throw new UsageError(`export --group must be ${GROUPINGS.join(' or ')}, not \`${grouping}\`.`);
  return { plan: plans[0], format, zoom: (zoom as Zoom | undefined) ?? 'week', grouping: (grouping as Grouping | undefined) ?? 'milestone' };
}

function parseArguments(argv: string[]): { command: string; options: CheckOptions } {
  const [command, ...rest] = argv;
  if (!command || command === '-h' || command === '--help') throw new UsageError(USAGE);
  if (command !== 'check') throw new UsageError(`Unknown command \`${command}\`.\n\n${USAGE}`);
  const options: CheckOptions = { patterns: [], format: 'text', maxWarnings: undefined };
  for (let index = 0; index < rest.length; index++) {
    const argument = rest[index];
    const value = (name: string) => {
      const next = argument.includes('=') ? argument.slice(argument.indexOf('=') + 1) : rest[++index];
      if (next === undefined) throw new UsageError(`${name} needs a value.\n\n${USAGE}`);
      return next;
    };
    if (argument === '-h' || argument === '--help') throw new UsageError(USAGE);
    else if (argument === '--format' || argument.startsWith('--format=')) {
      const format = value('--format');
      if (format !== 'text' && format !== 'json' && format !== 'sarif') throw new UsageError(`--format must be text, json or sarif, not \`${format}\`.`);
      options.format = format;
    } else if (argument === '--max-warnings' || argument.startsWith('--max-warnings=')) {
      const raw = value('--max-warnings');
      if (!/^\d+$/.test(raw)) throw new UsageError(`--max-warnings needs a whole number, not \`${raw}\`.`);
      options.maxWarnings = Number(raw);
    } else if (argument.startsWith('-')) {
      throw new UsageError(`Unknown option \`${argument}\`.\n\n${USAGE}`);
    } else {
      options.patterns.push(argument);
    }
  }
  return { command, options };
}

/** Rule severities: blueprint.json, then .vscode/settings.json's blueprint.rules on top. */
function readSeverities(cwd: string, warn: (message: string) => void): RuleSeverities {
  let severities: RuleSeverities = {};
  const configPath = path.join(cwd, CONFIG_FILE_NAME);
  if (fs.existsSync(configPath)) {
    try {
      const { severities: fromFile, problems } = readRuleSeverities((JSON.parse(fs.readFileSync(configPath, 'utf8')) as { rules?: unknown }).rules);
      severities = fromFile;
      for (const problem of problems) warn(`${CONFIG_FILE_NAME}: ${problem}`);
    } catch (error) {
      throw new UsageError(`${CONFIG_FILE_NAME} is not valid JSON: ${(error as Error).message}`);
    }
  }
  const settingsPath = path.join(cwd, '.vscode', 'settings.json');
  if (fs.existsSync(settingsPath)) {
    try {
      // VS Code settings allow comments and trailing commas.
      const raw = fs.readFileSync(settingsPath, 'utf8').replace(/\/\*[\s\S]*?\*\/|(^|[^:"\\])\/\/.*$/gm, '$1').replace(/,(\s*[}\]])/g, '$1');
      const rules = (JSON.parse(raw) as Record<string, unknown>)['blueprint.rules'];
      const { severities: fromSettings, problems } = readRuleSeverities(rules);
      severities = { ...severities, ...fromSettings };
      for (const problem of problems) warn(`.vscode/settings.json: ${problem}`);
    } catch {
      warn('.vscode/settings.json could not be read; its blueprint.rules are ignored.');
    }
  }
  return severities;
}

function gitignoreOf(cwd: string): Ignore {
  const matcher = ignore();
  const gitignore = path.join(cwd, '.gitignore');
  if (fs.existsSync(gitignore)) matcher.add(fs.readFileSync(gitignore, 'utf8'));
  return matcher;
}

/** The plan files named by the arguments (files, folders, globs), or all under cwd. */
export function findPlanFiles(cwd: string, patterns: string[]): string[] {
  const ignored = gitignoreOf(cwd);
  const found = new Set<string>();
  const globOptions = { cwd, onlyFiles: true, dot: false, followSymbolicLinks: false, ignore: ['**/node_modules/**', '**/.git/**'] };
  const searches = patterns.length > 0 ? patterns : ['.'];
  for (const pattern of searches) {
    const absolute = path.resolve(cwd, pattern);
    if (fs.existsSync(absolute) && fs.statSync(absolute).isFile()) {
      found.add(path.relative(cwd, absolute));
      continue;
    }
    const isDirectory = fs.existsSync(absolute) && fs.statSync(absolute).isDirectory();
    if (!isDirectory && !fastGlob.isDynamicPattern(pattern)) throw new UsageError(`No such file or folder: ${pattern}`);
    const base = isDirectory ? `${fastGlob.convertPathToPattern(path.relative(cwd, absolute) || '.')}/**/*.plan.{yaml,yml}` : pattern;
    for (const file of fastGlob.sync(base, globOptions)) {
      const relative = path.relative(cwd, path.resolve(cwd, file));
      if (!relative.startsWith('..') && ignored.ignores(relative.split(path.sep).join('/'))) continue;
      found.add(relative);
    }
  }
  return [...found].sort();
}

export function checkFiles(cwd: string, files: string[], severities: RuleSeverities, today?: () => number, onChecked?: (done: number, total: number) => void): FileResult[] {
  const service = createPlanService({ workspace: new DiskWorkspace(cwd), today });
  return files.map((file, index) => {
    const absolute = path.resolve(cwd, file);
    const uri = URI.file(absolute).toString();
    let text: string;
    try {
      text = withoutBom(fs.readFileSync(absolute, 'utf8'));
    } catch (error) {
      throw new UsageError(`Cannot read ${file}: ${(error as Error).message}`);
    }
    const diagnostics = service.getDiagnostics({ uri, version: 0, text }, { severities });
    onChecked?.(index + 1, files.length);
    return { path: file.split(path.sep).join('/'), uri, text, diagnostics };
  });
}

/** From this many files, a check shows progress from the start; fewer show it once the run is slow. */
export const PROGRESS_MANY_FILES = 100;
const PROGRESS_SLOW_MS = 1000;
const PROGRESS_REDRAW_MS = 100;

/**
 * One self-overwriting line on a terminal's stderr ("checked 120/400 plan files…") while a long
 * check runs; `clear` erases it before the results are printed. Only ever given a TTY's stderr.
 */
export function progressLine(write: (text: string) => void, now: () => number = Date.now): { update: (done: number, total: number) => void; clear: () => void } {
  const started = now();
  let shown = false;
  let drawn = -Infinity;
  return {
    update(done, total) {
      const time = now();
      if (!shown && total < PROGRESS_MANY_FILES && time - started < PROGRESS_SLOW_MS) return;
      if (done >= total || time - drawn < PROGRESS_REDRAW_MS) return;
      write(`\r\u001b[Kchecked ${done}/${total} plan files…`);
      shown = true;
      drawn = time;
    },
    clear() {
      if (shown) write('\r\u001b[K');
      shown = false;
    },
  };
}

const SEVERITY_NAMES = { 1: 'error', 2: 'warning', 3: 'info' } as const;

export function formatText(results: FileResult[], color: boolean): string {
  const paint = (code: string, text: string) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const lines: string[] = [];
  for (const result of results) {
    if (result.diagnostics.length === 0) continue;
    lines.push(paint('4', result.path));
    for (const diagnostic of result.diagnostics) {
      const severity = SEVERITY_NAMES[diagnostic.severity];
      const coloured = severity === 'error' ? paint('31', severity) : severity === 'warning' ? paint('33', severity) : paint('36', severity);
      const location = `${result.path}:${diagnostic.range.start.line + 1}:${diagnostic.range.start.character + 1}`;
      lines.push(`  ${location}  ${coloured}  ${diagnostic.message}  ${paint('2', diagnostic.code)}`);
    }
    lines.push('');
  }
  const counts = countOf(results);
  const summary = `${counts.errors} error${counts.errors === 1 ? '' : 's'}, ${counts.warnings} warning${counts.warnings === 1 ? '' : 's'}, ${counts.infos} info in ${results.length} plan file${results.length === 1 ? '' : 's'}`;
  lines.push(counts.errors + counts.warnings + counts.infos === 0 ? paint('32', `✓ ${summary}`) : `✖ ${summary}`);
  return `${lines.join('\n')}\n`;
}

export function countOf(results: FileResult[]): { errors: number; warnings: number; infos: number } {
  const all = results.flatMap((result) => result.diagnostics);
  return { errors: all.filter((d) => d.severity === 1).length, warnings: all.filter((d) => d.severity === 2).length, infos: all.filter((d) => d.severity === 3).length };
}

/** A stable JSON shape: `{ version, files: [{ path, diagnostics: [{ rule, severity, message, range }] }], summary }`. */
export function formatJson(results: FileResult[]): string {
  return `${JSON.stringify(
    {
      version: 1,
      files: results.map((result) => ({
        path: result.path,
        diagnostics: result.diagnostics.map((diagnostic) => ({
          rule: diagnostic.code,
          severity: SEVERITY_NAMES[diagnostic.severity],
          message: diagnostic.message,
          // 1-based lines and columns (UTF-16 code units), as editors show them.
          range: {
            start: { line: diagnostic.range.start.line + 1, column: diagnostic.range.start.character + 1 },
            end: { line: diagnostic.range.end.line + 1, column: diagnostic.range.end.character + 1 },
          },
        })),
      })),
      summary: countOf(results),
    },
    null,
    2,
  )}\n`;
}

/** SARIF 2.1.0, so code scanning shows the problems inline in pull requests. */
export function formatSarif(results: FileResult[], version: string): string {
  const level = { 1: 'error', 2: 'warning', 3: 'note' } as const;
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'blueprint',
            version,
            informationUri: 'https://www.npmjs.com/package/blueprint-plans',
            rules: RULES.map((rule) => ({
              id: rule.id,
              shortDescription: { text: rule.doc },
              defaultConfiguration: { level: rule.severity === 'off' ? 'none' : rule.severity === 'info' ? 'note' : rule.severity },
            })),
          },
        },
        columnKind: 'utf16CodeUnits',
        results: results.flatMap((result) =>
          result.diagnostics.map((diagnostic) => ({
            ruleId: diagnostic.code,
            ruleIndex: RULES.findIndex((rule) => rule.id === diagnostic.code),
            level: level[diagnostic.severity],
            message: { text: diagnostic.message },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: result.path },
                  region: {
                    startLine: diagnostic.range.start.line + 1,
                    startColumn: diagnostic.range.start.character + 1,
                    endLine: diagnostic.range.end.line + 1,
                    endColumn: diagnostic.range.end.character + 1,
                  },
                },
              },
            ],
          })),
        ),
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}

/** A plan file named on the command line; unreadable is a usage error (exit 2). */
function readPlanFile(cwd: string, file: string): { absolute: string; text: string } {
  const absolute = path.resolve(cwd, file);
  try {
    return { absolute, text: withoutBom(fs.readFileSync(absolute, 'utf8')) };
  } catch (error) {
    throw new UsageError(`Cannot read ${file}: ${(error as Error).message}`);
  }
}

function git(cwd: string, args: string[]): { ok: boolean; stdout: string; stderr: string } {
  // An untrusted repository's config could name a program git runs on its own (core.fsmonitor): not here.
  const result = spawnSync('git', ['-c', 'core.fsmonitor=false', ...args], { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw new UsageError(`git could not be run (${result.error.message}); diff needs git installed.`);
  return { ok: result.status === 0, stdout: result.stdout, stderr: result.stderr };
}

function runDiff(argv: string[], io: { cwd: string; stdout: (text: string) => void }): number {
  let format: 'markdown' | 'text' = 'markdown';
  const revisions: string[] = [];
  const plans: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index];
    if (argument === '--format' || argument.startsWith('--format=')) {
      const value = argument.includes('=') ? argument.slice(argument.indexOf('=') + 1) : argv[++index];
      if (value !== 'markdown' && value !== 'text') throw new UsageError('diff --format must be markdown or text.');
      format = value;
    } else if (argument.startsWith('-')) throw new UsageError(`Unknown option \`${argument}\`.\n\n${USAGE}`);
    else if (/\.plan\.ya?ml$/.test(argument)) plans.push(argument);
    else revisions.push(argument);
  }
  if (revisions.length < 1 || revisions.length > 2) throw new UsageError(`diff needs one or two git revisions.\n\n${USAGE}`);
  const top = git(io.cwd, ['rev-parse', '--show-toplevel']);
  if (!top.ok) throw new UsageError(`Not inside a git repository: ${top.stderr.trim()}`);
  const root = top.stdout.trim();
  for (const revision of revisions) {
    if (!git(root, ['rev-parse', '--verify', '--quiet', `${revision}^{commit}`]).ok) throw new UsageError(`Unknown git revision \`${revision}\`.`);
  }
  const relativePlans = plans.length > 0
    ? plans.map((plan) => path.relative(root, path.resolve(io.cwd, plan)).split(path.sep).join('/'))
    : git(root, ['diff', '--name-only', ...revisions, '--', '*.plan.yaml', '*.plan.yml']).stdout.split('\n').filter(Boolean);
  const service = createPlanService({ workspace: new DiskWorkspace(root) });
  const viewAt = (revision: string | undefined, file: string) => {
    let text: string | undefined;
    if (revision === undefined) {
      try {
        text = withoutBom(fs.readFileSync(path.join(root, file), 'utf8'));
      } catch {
        text = undefined;
      }
    } else {
      const shown = git(root, ['show', `${revision}:${file}`]);
      text = shown.ok ? shown.stdout : undefined;
    }
    return text === undefined ? undefined : service.getPlanView({ uri: URI.file(path.join(root, file)).toString(), version: 0, text });
  };
  const empty = (view: { uri: string; version: number; asOf: string; start: string; computedEnd: string }) => ({ ...view, milestones: [], criticalPath: [] });
  const outputs: string[] = [];
  for (const file of relativePlans) {
    const before = viewAt(revisions[0], file);
    const after = viewAt(revisions[1], file);
    if (!before && !after) throw new UsageError(`${file} exists at neither revision.`);
    const heading = `${file} (${revisions[0]} → ${revisions[1] ?? 'working tree'})`;
    const base = (before ?? after)!;
    outputs.push(formatPlanDiff(diffPlans(before ?? { ...base, ...empty(base) }, after ?? { ...base, ...empty(base) }), heading, format));
  }
  io.stdout(outputs.length > 0 ? outputs.join('\n') : 'No plan files changed.\n');
  return 0;
}

function runReport(argv: string[], io: { cwd: string; stdout: (text: string) => void }): number {
  const plans = argv.filter((argument) => !argument.startsWith('-'));
  if (plans.length !== 1 || plans.length !== argv.length) throw new UsageError(`report needs exactly one plan file and no options.\n\n${USAGE}`);
  const { absolute, text } = readPlanFile(io.cwd, plans[0]);
  const service = createPlanService({ workspace: new DiskWorkspace(io.cwd) });
  const document = { uri: URI.file(absolute).toString(), version: 0, text };
  const diagnostics = service.getDiagnostics(document, { severities: readSeverities(io.cwd, () => undefined) });
  io.stdout(getStatusReport(service.analyze(document), diagnostics));
  return 0;
}

function runExport(argv: string[], io: { cwd: string; stdout: (text: string) => void }): number {
  const { plan, format, zoom, grouping } = parseExportArguments(argv);
  const { absolute, text } = readPlanFile(io.cwd, plan);
  const service = createPlanService({ workspace: new DiskWorkspace(io.cwd) });
  const view = service.getPlanView({ uri: URI.file(absolute).toString(), version: 0, text }, { severities: readSeverities(io.cwd, () => undefined) });
  if (format === 'json') io.stdout(`${JSON.stringify(view, null, 2)}\n`);
  else if (format === 'mermaid') io.stdout(toMermaidGantt(view));
  // The timeline the editor draws: the same layout and drawing as the webview (server/src/timeline/).
  else if (format === 'svg') io.stdout(timelineSvg(computeLayout(view, { zoom, grouping })));
  else io.stdout(toICalendar(view, path.basename(absolute), new Date()));
  return 0;
}

export function run(argv: string[], io: { cwd: string; stdout: (text: string) => void; stderr: (text: string) => void; color: boolean; version: string; /** stderr is a terminal: show progress on long runs. */ progress?: boolean }): number {
  try {
    if (argv[0] === 'export') return runExport(argv.slice(1), io);
    if (argv[0] === 'report') return runReport(argv.slice(1), io);
    if (argv[0] === 'diff') return runDiff(argv.slice(1), io);
    const { options } = parseArguments(argv);
    const severities = readSeverities(io.cwd, (message) => io.stderr(`blueprint: ${message}\n`));
    const files = findPlanFiles(io.cwd, options.patterns);
    const progress = io.progress ? progressLine(io.stderr) : undefined;
    let results: FileResult[];
    try {
      results = checkFiles(io.cwd, files, severities, undefined, progress?.update);
    } finally {
      progress?.clear();
    }
    if (options.format === 'json') io.stdout(formatJson(results));
    else if (options.format === 'sarif') io.stdout(formatSarif(results, io.version));
    else io.stdout(formatText(results, io.color));
    const counts = countOf(results);
    const tooManyWarnings = options.maxWarnings !== undefined && counts.warnings > options.maxWarnings;
    if (tooManyWarnings && options.format === 'text') io.stderr(`blueprint: ${counts.warnings} warnings, more than --max-warnings ${options.maxWarnings}\n`);
    return counts.errors > 0 || tooManyWarnings ? 1 : 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`${error.message}\n`);
      return 2;
    }
    io.stderr(`blueprint: ${(error as Error).message}\n`);
    return 2;
  }
}

declare const BLUEPRINT_VERSION: string | undefined;

if (require.main === module) {
  const color = process.stdout.isTTY === true && !process.env.NO_COLOR;
  const version = typeof BLUEPRINT_VERSION === 'string' ? BLUEPRINT_VERSION : '0.0.0';
  process.exitCode = run(process.argv.slice(2), {
    cwd: process.cwd(),
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    color,
    version,
    // A dumb terminal cannot erase a line.
    progress: process.stderr.isTTY === true && process.env.TERM !== 'dumb',
  });
}
