import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  createConnection,
  DidChangeConfigurationNotification,
  type DocumentLink,
  FileChangeType,
  ErrorCodes,
  LSPErrorCodes,
  ResponseError,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { NodePlanWorkspace } from './nodeWorkspace';
import { CodeReferences, locationOfEntity } from './codeReferences';
import { BaselineEditRequest, CoveringTasksRequest, PlanChangedNotification, PlanViewRequest, RecordChangeEditRequest, RescheduleRequest, ServerProcessRequest } from './protocol/requests';
import { CONFIG_FILE_NAME, SETTINGS_SECTION, type BlueprintInitializationOptions, type BlueprintSettings } from './protocol/settings';
import { runSafe } from './safeHandler';
import { adaptCompletionItem, adaptCompletionList, adaptDocumentSymbols, adaptHover, clientSupportOf, isObject, rootFoldersOf, settingsFrom } from './clientSupport';
import { createPlanService, readRuleSeverities, type RuleSeverities } from './service';
import { getLinkCandidates, isGlobPattern, isWorkspaceRelative } from './service/documentLinks';
import { getCodeLenses, getInlayHints } from './service/editorHints';
import { getRescheduleEdit } from './service/reschedule';
import { getBaselineEdit, getRecordChangeEdit } from './service/planEdits';
import { parseIsoDate } from './service';
import { getHover } from './service/hover';
import { symbolAt } from './service/symbolAt';
import { getCoveringTasks } from './service/codeLinks';
import { getCompletions, resolveCompletionItem, type CompletionItem as PlanCompletionItem } from './service/completion';
import { localToday } from './service/calendar';
import { getDocumentSymbols, getWorkspaceSymbols } from './service/symbols';
import { getCodeActions } from './service/codeActions';
import type { PlanAnalysis, PlanDiagnostic } from './service';
import { findDefinition, findReferences, getDocumentHighlights, getRenameEdits, prepareRename } from './service/navigation';
import fastGlob from 'fast-glob';

// LSP glue only: documents in, service calls, results out. Started as
// `node dist/server.js --stdio` (tests, other editors) or over IPC by the client.

/** Messages the connection has handed to a handler so far; see settled(). */
let dispatchedMessages = 0;
const connection = createConnection(ProposedFeatures.all, {
  // A request the client cancelled while it still waited in the queue is answered at once, not run.
  connectionStrategy: {
    cancelUndispatched: (message) => ({
      jsonrpc: '2.0',
      id: (message as { id?: number | string | null }).id ?? null,
      error: new ResponseError(LSPErrorCodes.RequestCancelled, 'Cancelled before it ran.').toJson(),
    }),
  },
  messageStrategy: {
    handleMessage: (message, next) => {
      dispatchedMessages++;
      return next(message);
    },
  },
});
const documents = new TextDocuments(TextDocument);
const workspace = new NodePlanWorkspace(documents);
const service = createPlanService({ workspace });
const docsBase = URI.file(path.resolve(__dirname, '..', 'README.md')).toString();
const codeReferences = new CodeReferences(documents, service.environment, (uri) => folderOf(uri), () => workspace.listPlanUris());

let workspaceFolders: string[] = [];
let supportsConfiguration = false;
let initializationSettings: BlueprintSettings = {};
let revealInTimelineCommand: string | undefined;
let triggerSuggestCommand: string | undefined;
/** What the client declared at initialize: answers and server→client requests follow it (clientSupport.ts). */
let client = clientSupportOf(undefined);
/** Settings the client pushed with workspace/didChangeConfiguration (editors without workspace/configuration). */
let pushedSettings: BlueprintSettings | undefined;
const userSeverities = new Map<string, RuleSeverities>();
/** Whether `plan:` markers in code comments are scanned, per document (blueprint.codeReferences.enabled). */
const codeReferencesEnabled = new Map<string, boolean>();
const fileSeverities = new Map<string, RuleSeverities>();
const pendingValidations = new Map<string, NodeJS.Timeout>();
const VALIDATION_DELAY_MS = 120;
/** Longest wait after a keystroke, for plans whose analysis is slow. */
const MAX_VALIDATION_DELAY_MS = 250;
/** How long the last analysis of each plan took: the wait after a keystroke adapts to it. */
const analysisCost = new Map<string, number>();
/** When each plan last changed, to tell a burst of typing from a single edit. */
const lastChange = new Map<string, number>();

/**
 * Waiting only pays while someone types faster than the plan re-checks: a
 * change after a pause longer than the last analysis is checked at once; one
 * inside a burst waits half the analysis' cost (at most
 * MAX_VALIDATION_DELAY_MS), so fast typing does not queue analyses.
 */
function typingDelay(uri: string): number {
  const now = performance.now();
  const previousChange = lastChange.get(uri);
  lastChange.set(uri, now);
  const cost = analysisCost.get(uri);
  if (cost === undefined) return VALIDATION_DELAY_MS;
  if (cost < 15 || previousChange === undefined || now - previousChange > cost) return 0;
  return Math.min(MAX_VALIDATION_DELAY_MS, Math.round(cost / 2));
}

connection.onInitialize((params: InitializeParams): InitializeResult => {
  client = clientSupportOf(params.capabilities);
  supportsConfiguration = client.configurationRequest;
  const initializationOptions = (isObject(params.initializationOptions) ? params.initializationOptions : {}) as BlueprintInitializationOptions;
  // The `blueprint` settings as they are, or nested in their section (Helix sends one `config` for both).
  initializationSettings = settingsFrom(initializationOptions) ?? {};
  revealInTimelineCommand = typeof initializationOptions.revealInTimelineCommand === 'string' ? initializationOptions.revealInTimelineCommand : undefined;
  triggerSuggestCommand = typeof initializationOptions.triggerSuggestCommand === 'string' ? initializationOptions.triggerSuggestCommand : undefined;
  // workspaceFolders, else rootUri, else rootPath; none at all is single-file mode.
  workspaceFolders = rootFoldersOf(params);
  for (const folder of workspaceFolders) loadConfigFile(folder);
  workspace.folders = workspaceFolders;
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      inlayHintProvider: true,
      codeLensProvider: { resolveProvider: false },
      documentLinkProvider: { resolveProvider: true },
      definitionProvider: true,
      referencesProvider: true,
      documentHighlightProvider: true,
      renameProvider: client.prepareRename ? { prepareProvider: true } : true,
      hoverProvider: true,
      completionProvider: { triggerCharacters: [' ', '[', ',', ':', '-', '#'], resolveProvider: true },
      documentSymbolProvider: { label: 'Plan' },
      workspaceSymbolProvider: true,
      // Quick fixes are CodeAction literals: a client that only takes Commands gets none.
      ...(client.codeActionLiterals ? { codeActionProvider: { codeActionKinds: ['quickfix'] } } : {}),
    },
    serverInfo: { name: 'blueprint-language-server' },
  };
});

connection.onInitialized(() => {
  if (client.configurationRegistration) {
    void connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION });
  }
});

/** The workspace folder a document belongs to (the longest matching root). */
function folderOf(uri: string): string | undefined {
  return workspaceFolders.filter((folder) => uri.startsWith(folder.endsWith('/') ? folder : `${folder}/`)).sort((a, b) => b.length - a.length)[0];
}

function loadConfigFile(folder: string): void {
  fileSeverities.delete(folder);
  let fsPath: string;
  try {
    const parsed = URI.parse(folder);
    if (parsed.scheme !== 'file') return;
    fsPath = path.join(parsed.fsPath, CONFIG_FILE_NAME);
  } catch {
    return;
  }
  let raw: string;
  try {
    raw = fs.readFileSync(fsPath, 'utf8');
  } catch {
    return; // No blueprint.json: defaults apply.
  }
  try {
    const { severities, problems } = readRuleSeverities((JSON.parse(raw) as { rules?: unknown }).rules);
    fileSeverities.set(folder, severities);
    for (const problem of problems) connection.console.warn(`${fsPath}: ${problem}`);
  } catch (error) {
    connection.console.warn(`${fsPath} is not valid JSON (${(error as Error).message}); its rule settings are ignored.`);
  }
}

async function severitiesFor(uri: string): Promise<RuleSeverities> {
  const folder = folderOf(uri);
  const fromFile = (folder && fileSeverities.get(folder)) || {};
  let fromUser = userSeverities.get(uri);
  if (!fromUser) {
    // Pulled settings win; with no pull, or nothing under `blueprint` (null), the last pushed ones, else initializationOptions.
    let settings: BlueprintSettings = pushedSettings ?? initializationSettings;
    if (supportsConfiguration) {
      try {
        const pulled: unknown = await connection.workspace.getConfiguration({ scopeUri: uri, section: SETTINGS_SECTION });
        if (isObject(pulled)) settings = pulled as BlueprintSettings;
      } catch {
        // The fallback stands.
      }
    }
    const { severities, problems } = readRuleSeverities(settings?.rules);
    for (const problem of problems) connection.console.warn(`Setting blueprint.rules: ${problem}`);
    fromUser = severities;
    userSeverities.set(uri, fromUser);
    codeReferencesEnabled.set(uri, settings?.codeReferences?.enabled !== false);
  }
  return { ...fromFile, ...fromUser };
}

/** Whether a link (path or glob) matches a file under the plan's workspace folder; cached until files come or go. */
const linkExistsCache = new Map<string, boolean>();
function linkExistsFor(planUri: string): (pattern: string) => boolean {
  const root = linkRoot(planUri);
  return (pattern) => {
    if (!root) return true;
    const key = `${root}\u0000${pattern}`;
    const cached = linkExistsCache.get(key);
    if (cached !== undefined) return cached;
    let exists = false;
    try {
      if (!isWorkspaceRelative(pattern)) {
        exists = false; // Outside the workspace (or could be): never looked for.
      } else if (isGlobPattern(pattern)) {
        const matches = fastGlob.sync(pattern, { cwd: root, onlyFiles: false, absolute: true, followSymbolicLinks: false, ignore: ['**/node_modules/**', '**/.git/**'], suppressErrors: true });
        exists = matches.some((match) => insideRoot(root, match));
      } else {
        const target = path.resolve(root, pattern);
        exists = insideRoot(root, target) && fs.existsSync(target);
      }
    } catch {
      exists = true; // Unreadable: do not claim the link is stale.
    }
    linkExistsCache.set(key, exists);
    return exists;
  };
}

/** Plans get the plan analysis; every other file only has its `plan:` markers checked. */
function isPlanDocument(document: TextDocument): boolean {
  return document.languageId === 'plan-yaml' || /\.plan\.ya?ml$/.test(document.uri);
}

/**
 * Resolves once no message waits in the connection's queue. The connection
 * hands one message to its handler per turn of the event loop, and messages
 * read from the client in a turn are dispatched in that turn or the next: two
 * turns in a row without a dispatch mean the queue is empty. A validation
 * waits for this before analysing (a burst of edits already received is
 * applied first, not analysed version by version) and before publishing (an
 * edit that arrived during the analysis makes its result stale). Bounded, so a
 * stream of requests cannot starve validation.
 */
async function settled(): Promise<void> {
  let quietTurns = 0;
  for (let turn = 0; turn < 100 && quietTurns < 2; turn++) {
    const before = dispatchedMessages;
    await new Promise<void>((resolve) => setImmediate(resolve));
    quietTurns = dispatchedMessages === before ? quietTurns + 1 : 0;
  }
}

/** Whether `version` is still the open version of `uri` (TextDocuments updates a document in place, so compare numbers, not objects). */
function isCurrent(uri: string, version: number): boolean {
  return documents.get(uri)?.version === version;
}

async function validateCode(document: TextDocument): Promise<void> {
  const version = document.version;
  const severities = await severitiesFor(document.uri);
  if (!isCurrent(document.uri, version)) return;
  const setting = severities['unknown-reference'] ?? 'error';
  const severity = codeReferencesEnabled.get(document.uri) === false || setting === 'off' ? undefined : ({ error: 1, warning: 2, info: 3 } as const)[setting];
  const diagnostics = runSafe(connection, `Markers in ${document.uri}`, [], () => codeReferences.diagnosticsFor(document, severity, docsBase));
  await connection.sendDiagnostics({ uri: document.uri, version, diagnostics });
}

/**
 * Diagnostics for version N are never published once version N+1 has
 * arrived: every change schedules its own validation, and this one gives up
 * when the document moved on while it waited for settings, for queued
 * messages, or while it analysed.
 */
async function validate(document: TextDocument): Promise<void> {
  if (!isPlanDocument(document)) return validateCode(document);
  const uri = document.uri;
  const severities = await severitiesFor(uri);
  await settled();
  // Read the version only now: edits queued behind the timer have been applied. One
  // of them may have scheduled a validation of its own: leave the work to that one.
  const current = documents.get(uri);
  if (!current || pendingValidations.has(uri)) return;
  const version = current.version;
  const planDocument = { uri, version, text: current.getText() };
  const started = performance.now();
  const diagnostics = runSafe(connection, `Analysing ${uri}`, [], () => service.getDiagnostics(planDocument, { severities, docsBase, linkExists: linkExistsFor(uri) }));
  analysisCost.set(uri, performance.now() - started);
  await settled();
  if (!isCurrent(uri, version)) return;
  await connection.sendDiagnostics({ uri, version, diagnostics });
  await connection.sendNotification(PlanChangedNotification.type, { uri, version });
}

function scheduleValidation(document: TextDocument, delay: number): void {
  const pending = pendingValidations.get(document.uri);
  if (pending) clearTimeout(pending);
  pendingValidations.set(
    document.uri,
    setTimeout(() => {
      pendingValidations.delete(document.uri);
      void validate(document).catch((error: unknown) => connection.console.error(`Validation failed: ${String(error)}`));
      if (isPlanDocument(document)) revalidateDependents(document.uri);
    }, delay),
  );
}

/** Open plans that reference a changed plan are re-checked: their dates may move. */
function revalidateDependents(changedUri: string): void {
  for (const other of documents.all()) {
    if (other.uri === changedUri) continue;
    // Source files with markers may now resolve differently.
    if (!isPlanDocument(other)) {
      scheduleValidation(other, VALIDATION_DELAY_MS);
      continue;
    }
    const analysis = runSafe(connection, 'Analysing', undefined, () => service.analyze({ uri: other.uri, version: other.version, text: other.getText() }));
    if (analysis && analysis.dependencies.has(changedUri)) scheduleValidation(other, VALIDATION_DELAY_MS);
  }
}

function revalidateAll(): void {
  for (const document of documents.all()) scheduleValidation(document, 0);
}

documents.onDidOpen((event) => scheduleValidation(event.document, 0));
documents.onDidChangeContent((event) => scheduleValidation(event.document, isPlanDocument(event.document) ? typingDelay(event.document.uri) : VALIDATION_DELAY_MS));
documents.onDidClose((event) => {
  const pending = pendingValidations.get(event.document.uri);
  if (pending) clearTimeout(pending);
  pendingValidations.delete(event.document.uri);
  userSeverities.delete(event.document.uri);
  codeReferencesEnabled.delete(event.document.uri);
  analysisCost.delete(event.document.uri);
  lastChange.delete(event.document.uri);
  codeReferences.forget(event.document.uri);
  service.forget(event.document.uri);
  void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
  if (isPlanDocument(event.document)) {
    // The plan is the file on disk again (an unsaved edit was dropped): views ask afresh, plans that use it are re-checked.
    void connection.sendNotification(PlanChangedNotification.type, { uri: event.document.uri, version: runSafe(connection, 'Reading a closed plan', undefined, () => workspace.getDocument(event.document.uri))?.version ?? -1 });
    revalidateDependents(event.document.uri);
  }
});

connection.onDidChangeConfiguration((params) => {
  // `settings: null` only says "ask again"; settings pushed in the payload replace the earlier ones.
  const pushed = settingsFrom(params?.settings);
  if (pushed) pushedSettings = pushed;
  userSeverities.clear();
  codeReferencesEnabled.clear();
  revalidateAll();
});

connection.onDidChangeWatchedFiles((params) => {
  let configChanged = false;
  let linksChanged = false;
  for (const change of params.changes) {
    if (change.uri.endsWith(`/${CONFIG_FILE_NAME}`)) {
      const folder = change.uri.slice(0, -CONFIG_FILE_NAME.length - 1);
      loadConfigFile(folder);
      configChanged = true;
    } else {
      if (change.type !== FileChangeType.Changed) {
        workspace.invalidateListing();
        codeReferences.invalidateFileList();
        linkExistsCache.clear();
        linksChanged = true;
      }
      if (!/\.plan\.ya?ml$/.test(change.uri)) {
        // A source file changed on disk: its markers are read again when next needed.
        codeReferences.forget(change.uri);
        continue;
      }
      workspace.forget(change.uri);
      service.forget(change.uri);
      revalidateDependents(change.uri);
    }
  }
  // Files came or went: stale-link findings may change.
  if (configChanged || linksChanged) revalidateAll();
});

connection.onRequest(CoveringTasksRequest.type, (params) =>
  runSafe(connection, 'Covering tasks', [], () => {
    const root = linkRoot(params.uri);
    const folder = folderOf(params.uri);
    if (!root || !folder) return [];
    let relative: string;
    try {
      relative = path.relative(root, URI.parse(params.uri).fsPath).split(path.sep).join('/');
    } catch {
      return [];
    }
    if (relative.startsWith('..')) return [];
    const analyses = workspace
      .listPlanUris()
      .filter((uri) => folderOf(uri) === folder)
      .map((uri) => service.environment.analyzeUri(uri))
      .filter((analysis): analysis is PlanAnalysis => analysis !== undefined);
    return getCoveringTasks(analyses, relative);
  }),
);

connection.onRequest(ServerProcessRequest.type, () => ({ pid: process.pid }));

connection.onRequest(PlanViewRequest.type, async (params, token) => {
  if (typeof params?.uri !== 'string') return null;
  const document = workspace.getDocument(params.uri);
  if (!document) return null;
  const severities = await severitiesFor(params.uri);
  if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'Cancelled.');
  return runSafe(connection, `Plan view of ${params.uri}`, null, () => service.getPlanView(document, { severities, docsBase }));
});

connection.onCompletion((params) =>
  runSafe(connection, 'Completion', { isIncomplete: false, items: [] }, () => {
    const analysis = analysisOf(params.textDocument.uri);
    // People's and tasks' cards are written on resolve: a big plan lists many of them.
    return analysis ? adaptCompletionList(getCompletions(analysis, params.position, localToday(), service.environment, { deferDocumentation: true }), client, triggerSuggestCommand) : { isIncomplete: false, items: [] };
  }),
);

connection.onCompletionResolve((item) =>
  runSafe(connection, 'Completion details', item, () => {
    const uri = (item.data as { uri?: unknown } | undefined)?.uri;
    const analysis = typeof uri === 'string' ? analysisOf(uri) : undefined;
    return adaptCompletionItem(analysis ? (resolveCompletionItem(analysis, item as PlanCompletionItem, localToday()) as typeof item) : item, client, triggerSuggestCommand);
  }),
);

/** A marker under the cursor of an open source file (when markers are on), resolved. */
function codeMarkerAt(uri: string, position: { line: number; character: number }) {
  const document = documents.get(uri);
  if (!document || isPlanDocument(document) || codeReferencesEnabled.get(uri) === false) return undefined;
  const found = codeReferences.markerAt(document, position);
  return found ? { ...found, resolved: codeReferences.resolve(found.marker, uri) } : undefined;
}

/** Markers in source files that name the plan item a plan position is on. */
function codeMarkersForPlanPosition(uri: string, position: { line: number; character: number }) {
  const analysis = analysisOf(uri);
  if (!analysis) return [];
  const [definition] = findDefinition(analysis, position, service.environment);
  if (!definition) return [];
  const target = service.environment.analyzeUri(definition.uri);
  const offset = target?.lines.offsetAt(definition.range.start);
  const entity = target && offset !== undefined ? [...target.model.entitiesById.values()].map((list) => list[0]).find((candidate) => candidate.anchor[0] === offset) : undefined;
  if (!entity?.id) return [];
  return codeReferences.findMarkersOf(definition.uri, entity.id.text);
}

connection.onHover((params) =>
  adaptHover(runSafe(connection, 'Hover', null, () => {
    const marker = codeMarkerAt(params.textDocument.uri, params.position);
    if (marker?.resolved.target) {
      const { analysis, entity } = marker.resolved.target;
      const card = getHover(analysis, analysis.lines.positionAt(entity.anchor[0]), service.environment);
      return card ? { contents: card.contents, range: marker.range } : null;
    }
    const analysis = analysisOf(params.textDocument.uri);
    const hover = analysis && getHover(analysis, params.position, service.environment);
    if (!analysis || !hover) return null;
    // On demand only: how much code links or refers to a task (this looks at the workspace's files).
    const symbol = symbolAt(analysis.model, analysis.lines.offsetAt(params.position));
    const task = symbol?.kind === 'entity' && symbol.entity.kind === 'task' ? symbol.entity : undefined;
    if (task?.id && codeReferencesEnabled.get(params.textDocument.uri) !== false) {
      const linked = codeReferences.countLinkedFiles(params.textDocument.uri, task.links.map((link) => link.text));
      const markers = codeReferences.findMarkersOf(params.textDocument.uri, task.id.text);
      const files = new Set(markers.map((marker) => marker.uri)).size;
      const line = `Code: ${linked} file${linked === 1 ? '' : 's'} matched by \`links\`; ${markers.length} \`plan:\` marker${markers.length === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}.`;
      return { ...hover, contents: { kind: 'markdown' as const, value: `${hover.contents.value}\n\n${line}` } };
    }
    return hover;
  }), client),
);

connection.onDocumentSymbol((params) =>
  runSafe(connection, 'Document symbols', [], () => {
    const analysis = analysisOf(params.textDocument.uri);
    return analysis ? (adaptDocumentSymbols(getDocumentSymbols(analysis), params.textDocument.uri, client) as ReturnType<typeof getDocumentSymbols>) : [];
  }),
);

connection.onWorkspaceSymbol((params) =>
  runSafe(connection, 'Workspace symbols', [], () => {
    const analyses = workspace
      .listPlanUris()
      .map((uri) => service.environment.analyzeUri(uri))
      .filter((analysis): analysis is PlanAnalysis => analysis !== undefined);
    return getWorkspaceSymbols(analyses, params.query);
  }),
);

connection.onCodeAction((params) =>
  runSafe(connection, 'Code actions', [], () => {
    const analysis = analysisOf(params.textDocument.uri);
    if (!analysis) {
      // A `plan:` marker in code that names nothing: replace it with the nearest id.
      return params.context.diagnostics
        .filter((diagnostic) => diagnostic.source === 'blueprint' && diagnostic.code === 'unknown-reference' && typeof (diagnostic.data as { replacement?: unknown } | undefined)?.replacement === 'string')
        .map((diagnostic) => {
          const replacement = (diagnostic.data as { replacement: string }).replacement;
          return {
            title: `Change to \`${replacement}\``,
            kind: 'quickfix',
            diagnostics: [diagnostic],
            isPreferred: true,
            edit: { changes: { [params.textDocument.uri]: [{ range: diagnostic.range, newText: replacement }] } },
          };
        });
    }
    return getCodeActions(analysis, params.range, params.context.diagnostics as PlanDiagnostic[]);
  }),
);

connection.onDefinition((params) =>
  runSafe(connection, 'Definition', [], () => {
    const marker = codeMarkerAt(params.textDocument.uri, params.position);
    if (marker) return marker.resolved.target ? [locationOfEntity(marker.resolved.target.analysis, marker.resolved.target.entity)] : [];
    const analysis = analysisOf(params.textDocument.uri);
    return analysis ? findDefinition(analysis, params.position, service.environment) : [];
  }),
);

connection.onReferences((params) =>
  runSafe(connection, 'References', [], () => {
    const marker = codeMarkerAt(params.textDocument.uri, params.position);
    if (marker) {
      const target = marker.resolved.target;
      if (!target) return [];
      const position = target.analysis.lines.positionAt(target.entity.anchor[0]);
      const inPlans = findReferences(target.analysis, position, service.environment, params.context.includeDeclaration);
      const inCode = codeReferences.findMarkersOf(target.analysis.document.uri, target.entity.id?.text ?? '').map((found) => ({ uri: found.uri, range: found.range }));
      return [...inPlans, ...inCode];
    }
    const analysis = analysisOf(params.textDocument.uri);
    if (!analysis) return [];
    const inPlans = findReferences(analysis, params.position, service.environment, params.context.includeDeclaration);
    const enabled = codeReferencesEnabled.get(params.textDocument.uri) !== false;
    const inCode = enabled ? codeMarkersForPlanPosition(params.textDocument.uri, params.position).map((found) => ({ uri: found.uri, range: found.range })) : [];
    return [...inPlans, ...inCode];
  }),
);

connection.onDocumentHighlight((params) =>
  runSafe(connection, 'Highlights', [], () => {
    const analysis = analysisOf(params.textDocument.uri);
    return analysis ? getDocumentHighlights(analysis, params.position) : [];
  }),
);

// A refusal (invalid or clashing name, not a symbol) is an error the user must see.
connection.onPrepareRename((params) =>
  runSafe(connection, 'Prepare rename', null, () => {
    const analysis = analysisOf(params.textDocument.uri);
    if (!analysis) return null;
    const result = prepareRename(analysis, params.position);
    if ('error' in result) throw new ResponseError(ErrorCodes.InvalidRequest, result.error);
    return result;
  }),
);

connection.onRenameRequest((params) =>
  runSafe(connection, 'Rename', null, () => {
    const analysis = analysisOf(params.textDocument.uri);
    if (!analysis) return null;
    const result = getRenameEdits(analysis, params.position, params.newName, service.environment);
    if ('error' in result) throw new ResponseError(ErrorCodes.InvalidRequest, result.error);
    // Markers in code comments follow the rename, in the same edit (previewed with it).
    if (codeReferencesEnabled.get(params.textDocument.uri) !== false && symbolIsPlanItem(analysis, params.position)) {
      for (const found of codeMarkersForPlanPosition(params.textDocument.uri, params.position)) {
        (result.changes[found.uri] ??= []).push({ range: found.idRange, newText: params.newName });
      }
    }
    return result;
  }),
);

/** Renames of people do not touch code; ids of goals, milestones, tasks and risks do. */
function symbolIsPlanItem(analysis: PlanAnalysis, position: { line: number; character: number }): boolean {
  const symbol = symbolAt(analysis.model, analysis.lines.offsetAt(position));
  return symbol !== undefined && symbol.kind !== 'person' && !(symbol.kind === 'reference' && symbol.reference.kind === 'person');
}

connection.onRequest(RescheduleRequest.type, (params) =>
  runSafe(connection, 'Reschedule', { refused: 'invalid' as const, message: 'The plan could not be read.' }, () => {
    const analysis = analysisOf(params.uri);
    if (!analysis) return { refused: 'invalid' as const, message: 'Open the plan to reschedule its tasks.' };
    return getRescheduleEdit(analysis, params);
  }),
);

connection.onRequest(BaselineEditRequest.type, (params) =>
  runSafe(connection, 'Baseline', null, () => {
    const analysis = analysisOf(params.uri);
    return analysis ? getBaselineEdit(analysis) : null;
  }),
);

connection.onRequest(RecordChangeEditRequest.type, (params) =>
  runSafe(connection, 'Record change', null, () => {
    const analysis = analysisOf(params.uri);
    const date = parseIsoDate(params.date);
    if (!analysis || date === undefined || typeof params.summary !== 'string' || !Array.isArray(params.affects)) return null;
    return getRecordChangeEdit(analysis, { date, summary: params.summary, affects: params.affects.filter((id): id is string => typeof id === 'string') });
  }),
);

/** The analysis of an open document, or undefined (closed or not a plan). */
function analysisOf(uri: string) {
  const document = documents.get(uri);
  if (!document || !isPlanDocument(document)) return undefined;
  return service.analyze({ uri, version: document.version, text: document.getText() });
}

connection.languages.inlayHint.on((params) =>
  runSafe(connection, 'Inlay hints', [], () => {
    const analysis = analysisOf(params.textDocument.uri);
    return analysis ? getInlayHints(analysis, params.range) : [];
  }),
);

connection.onCodeLens((params) =>
  runSafe(connection, 'Code lenses', [], () => {
    const analysis = analysisOf(params.textDocument.uri);
    if (!analysis) return [];
    if (codeReferencesEnabled.get(params.textDocument.uri) === false) return getCodeLenses(analysis, revealInTimelineCommand);
    // Files a task's links match, plus files whose comments refer to it (both from caches after the first scan).
    return getCodeLenses(analysis, revealInTimelineCommand, (task) => {
      if (!task.id) return 0;
      const files = new Set([...codeReferences.linkedFiles(params.textDocument.uri, task.links.map((link) => link.text))].map((relative) => relative));
      const root = linkRoot(params.textDocument.uri);
      for (const marker of codeReferences.findMarkersOf(params.textDocument.uri, task.id.text)) {
        try {
          files.add(root ? path.relative(root, URI.parse(marker.uri).fsPath).split(path.sep).join('/') : marker.uri);
        } catch {
          files.add(marker.uri);
        }
      }
      return files.size;
    });
  }),
);

interface LinkData {
  root: string;
  pattern: string;
}

/** The folder links are relative to: the workspace folder holding the plan, else the plan's own folder. */
/** The folders glob links were handed out for: documentLink/resolve searches no other. */
const issuedLinkRoots = new Set<string>();

function linkRoot(uri: string): string | undefined {
  try {
    const folder = folderOf(uri);
    const parsed = URI.parse(folder ?? uri);
    if (parsed.scheme !== 'file') return undefined;
    return folder ? parsed.fsPath : path.dirname(parsed.fsPath);
  } catch {
    return undefined;
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

connection.onDocumentLinks((params) =>
  runSafe(connection, 'Document links', [], () => {
    const analysis = analysisOf(params.textDocument.uri);
    if (!analysis) return [];
    const root = linkRoot(params.textDocument.uri);
    return getLinkCandidates(analysis).flatMap((candidate): DocumentLink[] => {
      if (candidate.url) return [{ range: candidate.range, target: candidate.url, tooltip: 'Open in the browser' }];
      if (!root || !candidate.pattern || !isWorkspaceRelative(candidate.pattern)) return [];
      if (isGlobPattern(candidate.pattern)) {
        issuedLinkRoots.add(root);
        const data: LinkData = { root, pattern: candidate.pattern };
        return [{ range: candidate.range, tooltip: `Open the first file matching ${candidate.pattern}`, data }];
      }
      const target = path.resolve(root, candidate.pattern);
      if (!linkableFile(root, target)) return [];
      return [{ range: candidate.range, target: URI.file(target).toString() }];
    });
  }),
);

connection.onDocumentLinkResolve(async (link) => {
  const data = link.data as LinkData | undefined;
  // `data` comes back from the client: only a root this server handed out is searched.
  if (!data || typeof data.root !== 'string' || typeof data.pattern !== 'string' || !issuedLinkRoots.has(data.root) || !isWorkspaceRelative(data.pattern)) return link;
  try {
    const matches = await fastGlob(data.pattern, { cwd: data.root, onlyFiles: true, absolute: true, followSymbolicLinks: false, ignore: ['**/node_modules/**', '**/.git/**'] });
    const first = matches.sort().find((match) => linkableFile(data.root, match));
    if (first) link.target = URI.file(first).toString();
  } catch (error) {
    connection.console.warn(`Resolving link ${data.pattern}: ${(error as Error).message}`);
  }
  return link;
});

documents.listen(connection);
connection.listen();
