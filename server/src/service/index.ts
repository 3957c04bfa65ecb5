import { ABSENT_VERSION, analyzePlan, toDiagnostics, type DiagnosticOptions, type PlanAnalysis, type PlanWorkspace } from './analysis';
import { localToday, type Day } from './calendar';
import { getPlanView } from './planView';
import type { PlanView } from '../protocol/planView';
import type { FeatureEnvironment } from './environment';
import type { PlanDiagnostic, PlanTextDocument } from './types';

export interface PlanServiceOptions {
  /** Reads other plan files for cross-file references. */
  workspace?: PlanWorkspace;
  /** The clock: `as_of` defaults to this day. Injected so tests are deterministic. */
  today?: () => Day;
  /** Re-parse only what an edit touched (default true); false forces a full analysis, from a whole parse, of every version. */
  incremental?: boolean;
}

export interface PlanService {
  /** The one analysis of this document version (cached by uri + version). */
  analyze(document: PlanTextDocument): PlanAnalysis;
  getDiagnostics(document: PlanTextDocument, options?: DiagnosticOptions): PlanDiagnostic[];
  getPlanView(document: PlanTextDocument, options?: DiagnosticOptions): PlanView;
  /** Drops cached analyses of a document (closed, deleted, or changed on disk). */
  forget(uri: string): void;
  /** Workspace access for features that look beyond one file. */
  environment: FeatureEnvironment;
}

export function createPlanService(options: PlanServiceOptions = {}): PlanService {
  const today = options.today ?? (() => localToday());
  const cache = new Map<string, PlanAnalysis>();
  const inProgress = new Set<string>();
  /**
   * One entry per analysis on the stack: whether it read a plan that was being
   * analysed further up (plans that refer to each other), so lacks its dates.
   */
  const partial: boolean[] = [];
  /**
   * Analyses made for another plan while a plan they read back was being
   * analysed (so lacking its dates, and not cached): kept until the outermost
   * analysis returns, so that a plan asking another for a thousand different
   * ids makes that partial analysis once, not once per id.
   */
  const partialAnalyses = new Map<string, PlanAnalysis>();

  const isFresh = (analysis: PlanAnalysis, document: PlanTextDocument): boolean => {
    if (analysis.document.version !== document.version || analysis.document.text.length !== document.text.length) return false;
    if (analysis.document.text !== document.text) return false;
    for (const [uri, version] of analysis.dependencies) {
      const current = options.workspace?.getDocument(uri);
      if ((current?.version ?? ABSENT_VERSION) !== version) return false;
    }
    // `as_of` defaults to today: an analysis made yesterday is stale.
    return analysis.model.header.asOf !== undefined || analysis.asOf === today();
  };

  const analyze = (given: PlanTextDocument): PlanAnalysis => {
    const document = withLineFeeds(given);
    const cached = cache.get(document.uri);
    if (cached && isFresh(cached, document)) return cached;
    const madeEarlier = partialAnalyses.get(document.uri);
    if (madeEarlier && isFresh(madeEarlier, document)) {
      // What reads it lacks the same dates.
      if (partial.length > 0) partial[partial.length - 1] = true;
      return madeEarlier;
    }
    inProgress.add(document.uri);
    partial.push(false);
    const environment = {
      workspace: options.workspace,
      today,
      analyzeOther: (other: PlanTextDocument) => {
        if (!inProgress.has(other.uri)) return analyze(other);
        partial[partial.length - 1] = true;
        return undefined;
      },
      wholeParse: options.incremental === false,
    };
    // The previous version's tree is reused and changed in place: it leaves the cache first.
    cache.delete(document.uri);
    try {
      let analysis: PlanAnalysis;
      try {
        analysis = analyzePlan(document, environment, options.incremental === false ? undefined : cached);
      } catch (error) {
        if (!cached) throw error;
        // Never let a failed reuse leave a half-moved tree behind: start over from the text.
        analysis = analyzePlan(document, environment);
      }
      // Made for another plan that it reads back, it lacks that plan's dates: not kept, so that asked for itself it is made whole.
      if (!partial[partial.length - 1] || partial.length === 1) cache.set(document.uri, analysis);
      else partialAnalyses.set(document.uri, analysis);
      return analysis;
    } finally {
      inProgress.delete(document.uri);
      const incomplete = partial.pop();
      if (incomplete && partial.length > 0) partial[partial.length - 1] = true;
      if (partial.length === 0) partialAnalyses.clear();
    }
  };

  return {
    analyze,
    getDiagnostics: (document, diagnosticOptions) => toDiagnostics(analyze(document), diagnosticOptions),
    getPlanView: (document, diagnosticOptions) => {
      const analysis = analyze(document);
      return getPlanView(analysis, toDiagnostics(analysis, diagnosticOptions));
    },
    forget: (uri) => {
      cache.delete(uri);
    },
    environment: {
      analyzeUri: (uri) => {
        // Nothing outside the workspace folder(s) is asked for, whatever a reference says.
        if (options.workspace?.isInside && !options.workspace.isInside(uri)) return undefined;
        const document = options.workspace?.getDocument(uri);
        return document ? analyze(document) : undefined;
      },
      listPlanUris: () => options.workspace?.listPlanUris?.() ?? [],
    },
  };
}

/**
 * A lone `\r` ends a line for LSP (and for YAML's spec), but the YAML reader
 * and the features take only `\n`: read it as `\n`. Same length, so every
 * offset, position and range is the one the editor has (`\r\n` stays as is).
 */
function withLineFeeds(document: PlanTextDocument): PlanTextDocument {
  // Most files have no \r at all; CRLF files are scanned from their first one.
  const first = document.text.indexOf('\r');
  if (first === -1) return document;
  LONE_CR.lastIndex = first;
  const lone = LONE_CR.test(document.text);
  LONE_CR.lastIndex = 0;
  return lone ? { uri: document.uri, version: document.version, text: document.text.replace(LONE_CR, '\n') } : document;
}
const LONE_CR = /\r(?!\n)/g;

export type { PlanAnalysis, PlanWorkspace, DiagnosticOptions } from './analysis';
export type { FeatureEnvironment } from './environment';
export type { PlanDiagnostic, PlanTextDocument, Position, Range, Location, TextEdit, WorkspaceEdit } from './types';
export { RULES, RULE_IDS, DEFAULT_SEVERITY, readRuleSeverities, type RuleId, type RuleSeverities } from './rules/ruleTable';
export { parseIsoDate, formatDay } from './calendar';
