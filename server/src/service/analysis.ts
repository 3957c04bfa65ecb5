import type { Node as YamlNode } from 'yaml';
import { URI, Utils } from 'vscode-uri';
import { formatDay, localToday, type Day } from './calendar';
import { LineIndex } from './lineIndex';
import { buildModel, moveMilestoneParts, type PlanModel, type Reference } from './model';
import { parsePlanText, type ParsedPlan } from './parse';
import { reparseIncrementally } from './incremental';
import { parseInChunks } from './chunkedParse';
import { checkAllocation } from './rules/people';
import { checkCoverage } from './rules/coverage';
import { checkDates } from './rules/dates';
import { checkDependencies } from './rules/dependencies';
import { checkCrossFileCycles, type PlanLookup } from './rules/crossFileCycles';
import { checkIdentity } from './rules/identity';
import { checkProgress } from './rules/progress';
import type { ExternalResolution, Finding } from './rules/context';
import { statusOf } from './rules/context';
import { DEFAULT_SEVERITY, isRuleId, type RuleId, type RuleSeverities } from './rules/ruleTable';
import { checkSchema, moveSchemaParts, type MilestoneSchemaPart } from './schemaCheck';
import { findStaleLinks } from './codeLinks';
import { carryOverSchedule, computeSchedule, isSpanning, type Schedule, type ScheduleOptions } from './scheduler';
import { lspSeverity, type PlanDiagnostic, type PlanTextDocument } from './types';

/** Everything known about one version of one plan: the single parse every feature reads. */
export interface PlanAnalysis {
  document: PlanTextDocument;
  lines: LineIndex;
  parsed: ParsedPlan;
  model: PlanModel;
  schedule: Schedule;
  asOf: Day;
  /** Findings before severities and disable comments are applied. */
  findings: Finding[];
  /** Other plan files this analysis read, with the version it saw (ABSENT_VERSION: not there), to know when it is stale. */
  dependencies: Map<string, number>;
  /** Schema findings of each milestone, reused by the next version when the milestone is unchanged. */
  schemaParts: Map<YamlNode, MilestoneSchemaPart>;
  /** True when this version was re-parsed from the previous one's tree (only the edited chunk parsed). */
  incremental: boolean;
}

/**
 * The version recorded for a plan file an analysis looked for and did not
 * find: when the file appears (created, or read in later by a host that reads
 * asynchronously) the analysis is stale. Editor versions are >= 0 and disk
 * versions are negative timestamps, so this never matches a real one.
 */
export const ABSENT_VERSION = Number.MIN_SAFE_INTEGER;

/** The environment: how to read other plan files. The service itself never touches a file system. */
export interface PlanWorkspace {
  getDocument(uri: string): PlanTextDocument | undefined;
  /** Every plan file in the workspace (for workspace-wide references, rename and symbols). */
  listPlanUris?(): string[];
  /**
   * Whether `uri` is inside the workspace folder(s), the only place plans are
   * read from. The service asks for no other uri and reports references that
   * lead elsewhere; the host's getDocument must refuse them as well. Absent:
   * no boundary (tests, a host that reads nothing from disk).
   */
  isInside?(uri: string): boolean;
  /** Why getDocument gave nothing for a file that is there (e.g. "it is a folder"); undefined when there is no such file. */
  readFailure?(uri: string): string | undefined;
}

export interface AnalyzeEnvironment {
  workspace?: PlanWorkspace;
  today: () => Day;
  analyzeOther: (document: PlanTextDocument) => PlanAnalysis | undefined;
  /** Parse every text whole, never in pieces (the reference analysis tests compare with). */
  wholeParse?: boolean;
}

/**
 * Analyses one version of a plan. Given the analysis of the previous version,
 * only the chunk of text an edit touched is re-parsed and re-modelled (see
 * incremental.ts); `previous` is consumed by that and must not be read after.
 */
export function analyzePlan(document: PlanTextDocument, environment: AnalyzeEnvironment, previous?: PlanAnalysis): PlanAnalysis {
  let parsed: ParsedPlan | undefined;
  let reuse: PlanAnalysis | undefined;
  const step = previous && previous.document.text !== document.text ? reparseIncrementally(previous.parsed, document.text) : undefined;
  if (previous && previous.document.text === document.text) {
    // Same text, new context (another plan it reads changed, or a new day): only the later passes run again.
    parsed = previous.parsed;
    reuse = previous;
  } else if (previous && step) {
    moveMilestoneParts(previous.model.milestoneParts.values(), step.movedFrom, step.delta);
    moveSchemaParts(previous.schemaParts.values(), step.movedFrom, step.delta);
    parsed = step.parsed;
    reuse = previous;
  }
  parsed ??= (environment.wholeParse ? undefined : parseInChunks(document.text)) ?? parsePlanText(document.text);
  const model = buildModel(parsed, reuse?.model.milestoneParts);
  const lines = new LineIndex(document.text);
  const findings: Finding[] = [];
  const dependencies = new Map<string, number>();

  for (const problem of parsed.problems) findings.push({ rule: 'yaml-syntax', span: problem.span, message: problem.message });
  for (const span of model.tooDeep) findings.push({ rule: 'schema', span, message: 'Tasks are nested too deeply; a plan never needs this, flatten the breakdown.' });
  const schema = checkSchema(parsed, reuse?.schemaParts);
  for (const finding of schema.findings) findings.push({ rule: 'schema', ...finding });

  const externalCache = new Map<string, ExternalResolution>();
  const resolveExternal = (reference: Reference): ExternalResolution => {
    const key = `${reference.file}#${reference.id}`;
    const cached = externalCache.get(key);
    if (cached) return cached;
    const resolution = resolveCrossFile(document.uri, reference, environment, dependencies);
    externalCache.set(key, resolution);
    return resolution;
  };

  const asOf = model.header.asOf?.day ?? environment.today();
  const scheduleOptions: ScheduleOptions = {
    fallbackStart: environment.today(),
    externalFinish: (reference) => {
      const resolution = resolveExternal(reference);
      return resolution.status === 'found' ? resolution.finish : undefined;
    },
  };
  // Typing in a title, status or note leaves the schedule as it was: carry it over rather than recompute.
  const schedule = (previous && carryOverSchedule(previous.schedule, previous.model, model, scheduleOptions)) || computeSchedule(model, scheduleOptions);

  const context = {
    parsed,
    model,
    schedule,
    asOf,
    resolveExternal,
    report: (finding: Finding) => findings.push(finding),
  };
  // A file that is not a plan mapping has nothing for the plan rules to say.
  if (parsed.root) {
    checkIdentity(context);
    checkDependencies(context);
    checkCrossFileCycles(context, document.uri, planLookup(document.uri, model, environment, dependencies));
    checkDates(context);
    checkProgress(context);
    checkAllocation(context);
    checkCoverage(context);
  }
  findings.sort((a, b) => a.span[0] - b.span[0] || a.span[1] - b.span[1]);
  return { document, lines, parsed, model, schedule, asOf, findings, dependencies, schemaParts: schema.milestoneParts, incremental: reuse !== undefined };
}

function resolveCrossFile(fromUri: string, reference: Reference, environment: AnalyzeEnvironment, dependencies: Map<string, number>): ExternalResolution {
  const path = reference.file!;
  const target = crossFileTarget(fromUri, path, environment.workspace);
  if (target.status === 'not-relative') return { status: 'not-relative', path, form: target.form };
  if (target.status !== 'inside') return { status: target.status, path };
  const targetUri = target.uri;
  const other = environment.workspace?.getDocument(targetUri);
  if (!other) {
    dependencies.set(targetUri, ABSENT_VERSION);
    const reason = environment.workspace?.readFailure?.(targetUri);
    return reason ? { status: 'unreadable', path, reason } : { status: 'missing-file', path };
  }
  dependencies.set(targetUri, other.version);
  const analysis = environment.analyzeOther(other);
  if (!analysis) {
    // Being analysed further up the stack: a cross-file loop; dates cannot come from it.
    return { status: 'found', finish: undefined, done: false, title: undefined };
  }
  const entity = analysis.model.entitiesById.get(reference.id)?.[0];
  if (!entity || (entity.kind !== 'task' && entity.kind !== 'milestone')) {
    const candidates = [...analysis.model.milestones, ...analysis.model.tasks].flatMap((item) => (item.id ? [item.id.text] : []));
    return { status: 'missing-id', path, candidates };
  }
  const scheduled = analysis.schedule.items.get(entity);
  const status = statusOf(entity);
  return {
    status: 'found',
    finish: scheduled ? (entity.kind === 'task' && isSpanning(entity) ? scheduled.end : scheduled.end) : undefined,
    done: status === 'done' || status === 'dropped',
    title: entity.title?.text,
  };
}

/** Other plans for the cross-file cycle walk: this one's model, others' analyses (or, when one is being analysed up the stack, a parse of it). */
function planLookup(uri: string, model: PlanModel, environment: AnalyzeEnvironment, dependencies: Map<string, number>): PlanLookup {
  const models = new Map<string, PlanModel | undefined>([[uri, model]]);
  return {
    target: (fromUri, path) => {
      const target = crossFileTarget(fromUri, path, environment.workspace);
      return target.status === 'inside' ? target.uri : undefined;
    },
    modelOf: (other) => {
      if (models.has(other)) return models.get(other);
      let found: PlanModel | undefined;
      if (sameUri(other, uri)) found = model;
      else {
        const document = environment.workspace?.getDocument(other);
        dependencies.set(other, document ? document.version : ABSENT_VERSION);
        found = document ? (environment.analyzeOther(document)?.model ?? buildModel(parsePlanText(document.text))) : undefined;
      }
      models.set(other, found);
      return found;
    },
  };
}

/** Where a `path#id` reference's path leads, decided before anything is read. */
export type CrossFileTarget =
  | { status: 'inside'; uri: string }
  | { status: 'not-relative'; form: 'uri' | 'absolute' | 'backslash' }
  | { status: 'same-file' | 'outside-workspace' | 'missing-file' };

export function crossFileTarget(fromUri: string, path: string, workspace: PlanWorkspace | undefined): CrossFileTarget {
  const form = nonRelativeForm(path);
  if (form) return { status: 'not-relative', form };
  const uri = resolveRelative(fromUri, path);
  if (!uri) return { status: 'missing-file' };
  if (sameUri(uri, fromUri)) return { status: 'same-file' };
  if (workspace?.isInside && !workspace.isInside(uri)) return { status: 'outside-workspace' };
  return { status: 'inside', uri };
}

/** References name other plans by a path relative to the referencing file; anything else is refused before it is resolved. */
function nonRelativeForm(path: string): 'uri' | 'absolute' | 'backslash' | undefined {
  if (/^[A-Za-z]:[\\/]/.test(path) || path.startsWith('/')) return 'absolute';
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(path)) return 'uri';
  if (path.includes('\\')) return 'backslash';
  return undefined;
}

function sameUri(a: string, b: string): boolean {
  try {
    return URI.parse(a).toString() === URI.parse(b).toString();
  } catch {
    return a === b;
  }
}

/** The uri a relative `path` of another plan leads to from `fromUri`; undefined for a URI, an absolute path or backslashes. */
export function resolveRelative(fromUri: string, path: string): string | undefined {
  if (nonRelativeForm(path)) return undefined;
  try {
    const base = URI.parse(fromUri);
    return Utils.joinPath(Utils.dirname(base), path).toString();
  } catch {
    return undefined;
  }
}

export interface DiagnosticOptions {
  severities?: RuleSeverities;
  /** Whether any workspace file matches a link (path or glob); enables `stale-link` when that rule is on. */
  linkExists?: (pattern: string) => boolean;
  /** Base of rule documentation links; the rule id is appended as a fragment. */
  docsBase?: string;
}

const DISABLE_DIRECTIVE = /#\s*blueprint-disable-next-line\b([^\n]*)/;

/** Applies severities and `# blueprint-disable-next-line` comments to the findings. */
export function toDiagnostics(analysis: PlanAnalysis, options: DiagnosticOptions = {}): PlanDiagnostic[] {
  const disabled = disabledLines(analysis);
  const diagnostics: PlanDiagnostic[] = [];
  const findings = [...analysis.findings];
  // stale-link looks at the file system through the host, so it runs only when it is on.
  const staleSetting = options.severities?.['stale-link'] ?? DEFAULT_SEVERITY['stale-link'];
  if (staleSetting !== 'off' && options.linkExists) {
    for (const link of findStaleLinks(analysis, options.linkExists)) {
      findings.push({
        rule: 'stale-link',
        span: link.span,
        message: `\`${link.text}\` in the links of \`${link.task.id?.text ?? '?'}\` matches no file in the workspace; fix the path, or remove it if the code is gone.`,
      });
    }
    findings.sort((a, b) => a.span[0] - b.span[0] || a.span[1] - b.span[1]);
  }
  for (const finding of findings) {
    const setting = options.severities?.[finding.rule] ?? DEFAULT_SEVERITY[finding.rule];
    if (setting === 'off') continue;
    const range = analysis.lines.rangeOf(finding.span);
    const silenced = disabled.get(range.start.line);
    if (silenced && (silenced.size === 0 || silenced.has(finding.rule))) continue;
    const diagnostic: PlanDiagnostic = {
      range,
      severity: lspSeverity[setting],
      code: finding.rule,
      source: 'blueprint',
      message: finding.message,
    };
    if (options.docsBase) diagnostic.codeDescription = { href: `${options.docsBase}#${finding.rule}` };
    if (finding.replacement !== undefined) diagnostic.data = { replacement: finding.replacement };
    diagnostics.push(diagnostic);
  }
  return diagnostics;
}

/** Line → rule ids silenced on it (an empty set silences every rule). */
function disabledLines(analysis: PlanAnalysis): Map<number, Set<RuleId>> {
  const result = new Map<number, Set<RuleId>>();
  const text = analysis.document.text;
  if (!text.includes('blueprint-disable-next-line')) return result;
  for (let line = 0; line < analysis.lines.lineCount; line++) {
    const match = DISABLE_DIRECTIVE.exec(analysis.lines.lineText(line));
    if (!match) continue;
    // No ids silences the next line; a misspelt id silences nothing rather than everything.
    const words = match[1].split(/[\s,]+/).filter((word) => word !== '' && !word.startsWith('#') && !word.startsWith('--'));
    result.set(line + 1, new Set(words.filter(isRuleId)));
    if (words.length > 0 && !words.some(isRuleId)) result.delete(line + 1);
  }
  return result;
}

export { formatDay, localToday };
