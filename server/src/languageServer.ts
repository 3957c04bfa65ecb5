import {
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  type Connection,
  type ConnectionStrategy,
  type DocumentLink,
  FileChangeType,
  ErrorCodes,
  LSPErrorCodes,
  type MessageStrategy,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI, Utils } from 'vscode-uri';
import type { CodeReferences } from './codeReferences';
import { BaselineEditRequest, CoveringTasksRequest, PlanChangedNotification, PlanViewRequest, RecordChangeEditRequest, RescheduleRequest, ServerProcessRequest } from './protocol/requests';
import { CONFIG_FILE_NAME, SETTINGS_SECTION, type BlueprintInitializationOptions, type BlueprintSettings } from './protocol/settings';
import { runSafe } from './safeHandler';
import { adaptCompletionItem, adaptCompletionList, adaptDocumentSymbols, adaptHover, clientSupportOf, isObject, rootFoldersOf, settingsFrom } from './clientSupport';
import { createPlanService, readRuleSeverities, type PlanService, type PlanWorkspace, type RuleSeverities } from './service';
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
import type { Location, PlanAnalysis, PlanDiagnostic } from './service';
import type { Entity } from './service/model';
import { findDefinition, findReferences, getDocumentHighlights, getRenameEdits, prepareRename } from './service/navigation';

// LSP glue only: documents in, service calls, results out. The same glue runs
// in Node (server.ts: `node dist/server.js --stdio`, or over IPC from the VS
// Code client) and in a web worker (browserServer.ts, the web extension); what
// differs between the two (reading files, searching the workspace, the event
// loop) is the ServerHost. Nothing here imports a Node module.

/** Plan files as a host sees them: the editor's copies, and files of the workspace folders. */
export interface HostWorkspace extends PlanWorkspace {
  /** The workspace folders' uris (set at initialize). */
  folders: string[];
  listPlanUris(): string[];
  /** Plan files came or went: the next listing looks again. */
  invalidateListing(): void;
  /** A plan file changed: its text is read again when next needed. */
  forget(uri: string): void;
  /**
   * For a host that reads asynchronously (the web worker asks its client):
   * reads the files analyses asked for and did not have; true when any
   * arrived, so the analyses that missed them are redone. Absent: every read
   * is synchronous and complete.
   */
  readWanted?(): Promise<boolean>;
  /** Asynchronous hosts: reads these files, and with `everyPlan`, lists and reads every plan of the workspace. */
  prefetch?(uris: string[], everyPlan?: boolean): Promise<void>;
}

/** Links from tasks to files (`links`) for document links and the stale-link rule. */
export interface LinkHost {
  /** Whether a path or glob matches a file under a folder (stale-link); absent when the host cannot tell without waiting. */
  exists?(rootUri: string, pattern: string): boolean;
  /** The uri a link to one file opens, or undefined when it may not (no such file, or it leads out of the folder). */
  fileTarget(rootUri: string, pattern: string): string | undefined;
  /** The first file (in sorted order) a glob matches under a folder. */
  firstMatch(rootUri: string, pattern: string): Promise<string | undefined>;
  /** Files came or went. */
  invalidate(): void;
  /**
   * For a host that asks its client: answers `exists` could not give yet (it
   * said "exists" meanwhile, never a false stale-link) are looked up; true
   * when one turned out missing, so the analysis is redone.
   */
  resolveWanted?(): Promise<boolean>;
}

export interface ServerHost {
  /** The plan files it serves: `documents` are the editor's open copies. */
  createWorkspace(documents: TextDocuments<TextDocument>): HostWorkspace;
  links: LinkHost;
  /** The text of a workspace folder's blueprint.json, undefined when there is none (or it cannot be read). */
  readConfigFile(folderUri: string): Promise<string | undefined>;
  /** Where the rule table lives, when the client does not say (initializationOptions.docsBase). */
  defaultDocsBase: string;
  /** Resolves on a later turn of the event loop, after messages already received were dispatched (see settled()). */
  nextTurn(): Promise<void>;
  /** Answered to blueprint/serverProcess: the process id, or -1 in a worker. */
  processId: number;
  /** `plan:` markers in source files (the desktop: it scans the folders' files); absent, only plans are served. */
  createCodeReferences?(documents: TextDocuments<TextDocument>, service: PlanService, folderOf: (uri: string) => string | undefined, listPlans: () => string[]): CodeReferences;
}

/** Counts messages the connection hands to a handler: settled() waits until none are queued. */
export interface DispatchCounter {
  dispatched: number;
}

/**
 * The connection's strategies, for createConnection in either entry: a
 * request the client cancelled while it still waited in the queue is answered
 * at once, not run; every dispatched message is counted.
 */
export function connectionStrategies(counter: DispatchCounter): ConnectionStrategy & MessageStrategy {
  return {
    cancelUndispatched: (message) => ({
      jsonrpc: '2.0',
      id: (message as { id?: number | string | null }).id ?? null,
      error: new ResponseError(LSPErrorCodes.RequestCancelled, 'Cancelled before it ran.').toJson(),
    }),
    handleMessage: (message, next) => {
      counter.dispatched++;
      return next(message);
    },
  };
}

/** The location of an entity's id in its plan. */
function locationOfEntity(analysis: PlanAnalysis, entity: Entity): Location {
  return { uri: analysis.document.uri, range: analysis.lines.rangeOf(entity.anchor) };
}

/** Most rounds of reading what analyses asked for (plans that refer to plans that refer to plans). */
const MAX_READ_ROUNDS = 8;

export function startLanguageServer(connection: Connection, host: ServerHost, counter: DispatchCounter): void {
  const documents = new TextDocuments(TextDocument);
  const workspace = host.createWorkspace(documents);
  const service = createPlanService({ workspace });
  let docsBase = host.defaultDocsBase;
  const codeReferences = host.createCodeReferences?.(documents, service, (uri) => folderOf(uri), () => workspace.listPlanUris());

  let workspaceFolders: string[] = [];
  let supportsConfiguration = false;
  let initializationSettings: BlueprintSettings = {};
  let revealInTimelineCommand: string | undefined;
  let triggerSuggestCommand: string | undefined;
  /** The client sends file events without being asked (BlueprintInitializationOptions.watchesFiles). */
  let clientWatchesFiles = false;
  /** What the client declared at initialize: answers and server→client requests follow it (clientSupport.ts). */
  let client = clientSupportOf(undefined);
  /** Settings the client pushed with workspace/didChangeConfiguration (editors without workspace/configuration). */
  let pushedSettings: BlueprintSettings | undefined;
  const userSeverities = new Map<string, RuleSeverities>();
  /** Whether `plan:` markers in code comments are scanned, per document (blueprint.codeReferences.enabled). */
  const codeReferencesEnabled = new Map<string, boolean>();
  const fileSeverities = new Map<string, RuleSeverities>();
  const pendingValidations = new Map<string, ReturnType<typeof setTimeout>>();
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
    clientWatchesFiles = initializationOptions.watchesFiles === true;
    // workspaceFolders, else rootUri, else rootPath; none at all is single-file mode.
    workspaceFolders = rootFoldersOf(params);
    workspace.folders = workspaceFolders;
    if (typeof initializationOptions.docsBase === 'string') docsBase = initializationOptions.docsBase;
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
    // Editors other than VS Code hear of a changed plan or blueprint.json only if they are asked to watch for it.
    if (client.watchedFilesRegistration && !clientWatchesFiles) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [{ globPattern: '**/*.plan.{yaml,yml}' }, { globPattern: `**/${CONFIG_FILE_NAME}` }],
      });
    }
    configReady = Promise.all(workspaceFolders.map((folder) => loadConfigFile(folder))).then(() => undefined);
    if (client.configurationRegistration) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION });
    }
  });

  /** The workspace folder a document belongs to (the longest matching root). */
  function folderOf(uri: string): string | undefined {
    return workspaceFolders.filter((folder) => uri.startsWith(folder.endsWith('/') ? folder : `${folder}/`)).sort((a, b) => b.length - a.length)[0];
  }

  /**
   * Reads a folder's blueprint.json into fileSeverities. A worker reads through
   * its client, which it may ask only once initialized: validations wait for
   * the first reading of every folder (configReady).
   */
  async function loadConfigFile(folder: string): Promise<void> {
    let raw: string | undefined;
    try {
      raw = await host.readConfigFile(folder);
    } catch {
      raw = undefined;
    }
    fileSeverities.delete(folder);
    if (raw === undefined) return; // No blueprint.json: defaults apply.
    const where = `${folder}/${CONFIG_FILE_NAME}`;
    try {
      const { severities, problems } = readRuleSeverities((JSON.parse(raw) as { rules?: unknown }).rules);
      fileSeverities.set(folder, severities);
      for (const problem of problems) connection.console.warn(`${where}: ${problem}`);
    } catch (error) {
      connection.console.warn(`${where} is not valid JSON (${(error as Error).message}); its rule settings are ignored.`);
    }
  }

  let configReady: Promise<void> = Promise.resolve();

  async function severitiesFor(uri: string): Promise<RuleSeverities> {
    await configReady;
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

  /** Whether a link (path or glob) matches a file under the plan's folder; undefined when the host cannot tell (stale-link is not checked). */
  function linkExistsFor(planUri: string): ((pattern: string) => boolean) | undefined {
    const exists = host.links.exists;
    if (!exists) return undefined;
    const root = linkRoot(planUri);
    return (pattern) => (root === undefined ? true : exists(root, pattern));
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
      const before = counter.dispatched;
      await host.nextTurn();
      quietTurns = counter.dispatched === before ? quietTurns + 1 : 0;
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
    const diagnostics = codeReferences ? runSafe(connection, `Markers in ${document.uri}`, [], () => codeReferences.diagnosticsFor(document, severity, docsBase)) : [];
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
    const analyse = () => {
      const started = performance.now();
      const found = runSafe(connection, `Analysing ${uri}`, [], () => service.getDiagnostics(planDocument, { severities, docsBase, linkExists: linkExistsFor(uri) }));
      analysisCost.set(uri, performance.now() - started);
      return found;
    };
    let diagnostics = analyse();
    // A host that reads through its client (the web worker) reads the plans the analysis asked for and lacked, then analyses again.
    for (let round = 0; round < MAX_READ_ROUNDS && (await readWantedFiles()); round++) {
      if (!isCurrent(uri, version)) return;
      // Afresh: a file that turned out unreadable (rather than missing) changes the message but no version.
      service.forget(uri);
      diagnostics = analyse();
    }
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

  /** What the last analyses asked of an asynchronous host and lacked (plans, link targets), read now; true when anything arrived. */
  async function readWantedFiles(): Promise<boolean> {
    const plans = (await workspace.readWanted?.()) ?? false;
    const links = (await host.links.resolveWanted?.()) ?? false;
    return plans || links;
  }

  /**
   * A host that reads through its client (the web worker): the plans an
   * analysis of `document` asks for are read before it is answered from.
   */
  async function readWhatItWants(document: { uri: string; version: number; text: string }): Promise<void> {
    if (!workspace.readWanted) return;
    for (let round = 0; round < MAX_READ_ROUNDS; round++) {
      runSafe(connection, `Analysing ${document.uri}`, undefined, () => service.analyze(document));
      if (!(await workspace.readWanted())) return;
      service.forget(document.uri);
    }
  }

  /** Features over every plan of the workspace (references, rename, symbols, covering tasks): an asynchronous host reads them all first. */
  async function prefetchEveryPlan(): Promise<void> {
    if (!workspace.prefetch) return;
    await workspace.prefetch([], true);
    await workspace.readWanted?.();
  }

  /** The path of `uri` below a folder ('/'-separated, decoded), or undefined when it is not below it. */
  function relativePathIn(folderUri: string, uri: string): string | undefined {
    try {
      const folder = URI.parse(folderUri);
      const file = URI.parse(uri);
      if (folder.scheme !== file.scheme || folder.authority !== file.authority) return undefined;
      const base = folder.path.endsWith('/') ? folder.path : `${folder.path}/`;
      if (!file.path.startsWith(base)) return undefined;
      const relative = file.path.slice(base.length);
      return relative !== '' && !relative.split('/').includes('..') ? relative : undefined;
    } catch {
      return undefined;
    }
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

  /** The version each document was opened with: TextDocuments reports an open as a content change too. */
  const openedVersions = new Map<string, number>();
  documents.onDidOpen((event) => {
    openedVersions.set(event.document.uri, event.document.version);
    scheduleValidation(event.document, 0);
  });
  documents.onDidChangeContent((event) => {
    const { uri, version } = event.document;
    // The open itself, already scheduled without delay: not a keystroke to wait for (that cost every open 120 ms).
    if (openedVersions.get(uri) === version) return;
    openedVersions.delete(uri);
    scheduleValidation(event.document, isPlanDocument(event.document) ? typingDelay(uri) : VALIDATION_DELAY_MS);
  });
  documents.onDidClose((event) => {
    const pending = pendingValidations.get(event.document.uri);
    if (pending) clearTimeout(pending);
    pendingValidations.delete(event.document.uri);
    openedVersions.delete(event.document.uri);
    userSeverities.delete(event.document.uri);
    codeReferencesEnabled.delete(event.document.uri);
    analysisCost.delete(event.document.uri);
    lastChange.delete(event.document.uri);
    codeReferences?.forget(event.document.uri);
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

  connection.onDidChangeWatchedFiles(async (params) => {
    const configReads: Promise<void>[] = [];
    let linksChanged = false;
    for (const change of params.changes) {
      if (change.uri.endsWith(`/${CONFIG_FILE_NAME}`)) {
        const folder = change.uri.slice(0, -CONFIG_FILE_NAME.length - 1);
        configReads.push(loadConfigFile(folder));
      } else {
        if (change.type !== FileChangeType.Changed) {
          workspace.invalidateListing();
          codeReferences?.invalidateFileList();
          host.links.invalidate();
          linksChanged = true;
        }
        if (!/\.plan\.ya?ml$/.test(change.uri)) {
          // A source file changed on disk: its markers are read again when next needed.
          codeReferences?.forget(change.uri);
          continue;
        }
        workspace.forget(change.uri);
        service.forget(change.uri);
        revalidateDependents(change.uri);
      }
    }
    if (configReads.length > 0) {
      configReady = Promise.all(configReads).then(() => undefined);
      await configReady;
    }
    // Files came or went: stale-link findings may change.
    if (configReads.length > 0 || linksChanged) revalidateAll();
  });

  connection.onRequest(CoveringTasksRequest.type, async (params) => {
    const folder = typeof params?.uri === 'string' ? folderOf(params.uri) : undefined;
    const relative = folder ? relativePathIn(folder, params.uri) : undefined;
    if (!folder || relative === undefined) return [];
    await prefetchEveryPlan();
    return runSafe(connection, 'Covering tasks', [], () => {
      const analyses = workspace
        .listPlanUris()
        .filter((uri) => folderOf(uri) === folder)
        .map((uri) => service.environment.analyzeUri(uri))
        .filter((analysis): analysis is PlanAnalysis => analysis !== undefined);
      return getCoveringTasks(analyses, relative);
    });
  });

  connection.onRequest(ServerProcessRequest.type, () => ({ pid: host.processId }));

  connection.onRequest(PlanViewRequest.type, async (params, token) => {
    if (typeof params?.uri !== 'string') return null;
    await workspace.prefetch?.([params.uri]);
    const document = workspace.getDocument(params.uri);
    if (!document) return null;
    const severities = await severitiesFor(params.uri);
    await readWhatItWants(document);
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

  /** The scanner of `plan:` markers in code, when the host has one and they are not turned off for this document. */
  function markersFor(uri: string): CodeReferences | undefined {
    return codeReferencesEnabled.get(uri) === false ? undefined : codeReferences;
  }

  /** A marker under the cursor of an open source file (when markers are on), resolved. */
  function codeMarkerAt(uri: string, position: { line: number; character: number }) {
    const document = documents.get(uri);
    const markers = markersFor(uri);
    if (!document || !markers || isPlanDocument(document)) return undefined;
    const found = markers.markerAt(document, position);
    return found ? { ...found, resolved: markers.resolve(found.marker, uri) } : undefined;
  }

  /** Markers in source files that name the plan item a plan position is on. */
  function codeMarkersForPlanPosition(uri: string, position: { line: number; character: number }) {
    const analysis = analysisOf(uri);
    const markers = markersFor(uri);
    if (!analysis || !markers) return [];
    const [definition] = findDefinition(analysis, position, service.environment);
    if (!definition) return [];
    const target = service.environment.analyzeUri(definition.uri);
    const offset = target?.lines.offsetAt(definition.range.start);
    const entity = target && offset !== undefined ? [...target.model.entitiesById.values()].map((list) => list[0]).find((candidate) => candidate.anchor[0] === offset) : undefined;
    if (!entity?.id) return [];
    return markers.findMarkersOf(definition.uri, entity.id.text);
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
      const scanner = markersFor(params.textDocument.uri);
      if (task?.id && scanner) {
        const linked = scanner.countLinkedFiles(params.textDocument.uri, task.links.map((link) => link.text));
        const markers = scanner.findMarkersOf(params.textDocument.uri, task.id.text);
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

  connection.onWorkspaceSymbol(async (params) => {
    await prefetchEveryPlan();
    return runSafe(connection, 'Workspace symbols', [], () => {
      const analyses = workspace
        .listPlanUris()
        .map((uri) => service.environment.analyzeUri(uri))
        .filter((analysis): analysis is PlanAnalysis => analysis !== undefined);
      return getWorkspaceSymbols(analyses, params.query);
    });
  });

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

  connection.onReferences(async (params) => {
    await prefetchEveryPlan();
    return runSafe(connection, 'References', [], () => {
      const marker = codeMarkerAt(params.textDocument.uri, params.position);
      if (marker) {
        const target = marker.resolved.target;
        if (!target) return [];
        const position = target.analysis.lines.positionAt(target.entity.anchor[0]);
        const inPlans = findReferences(target.analysis, position, service.environment, params.context.includeDeclaration);
        const inCode = codeReferences!.findMarkersOf(target.analysis.document.uri, target.entity.id?.text ?? '').map((found) => ({ uri: found.uri, range: found.range }));
        return [...inPlans, ...inCode];
      }
      const analysis = analysisOf(params.textDocument.uri);
      if (!analysis) return [];
      const inPlans = findReferences(analysis, params.position, service.environment, params.context.includeDeclaration);
      const inCode = codeMarkersForPlanPosition(params.textDocument.uri, params.position).map((found) => ({ uri: found.uri, range: found.range }));
      return [...inPlans, ...inCode];
    });
  });

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

  connection.onRenameRequest(async (params) => {
    await prefetchEveryPlan();
    return runSafe(connection, 'Rename', null, () => {
      const analysis = analysisOf(params.textDocument.uri);
      if (!analysis) return null;
      const result = getRenameEdits(analysis, params.position, params.newName, service.environment);
      if ('error' in result) throw new ResponseError(ErrorCodes.InvalidRequest, result.error);
      // Markers in code comments follow the rename, in the same edit (previewed with it).
      if (symbolIsPlanItem(analysis, params.position)) {
        for (const found of codeMarkersForPlanPosition(params.textDocument.uri, params.position)) {
          (result.changes[found.uri] ??= []).push({ range: found.idRange, newText: params.newName });
        }
      }
      return result;
    });
  });

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
      const scanner = markersFor(params.textDocument.uri);
      if (!scanner) return getCodeLenses(analysis, revealInTimelineCommand);
      // Files a task's links match, plus files whose comments refer to it (both from caches after the first scan).
      return getCodeLenses(analysis, revealInTimelineCommand, (task) => (task.id ? scanner.countTiedFiles(params.textDocument.uri, task.links.map((link) => link.text), task.id.text) : 0));
    }),
  );

  interface LinkData {
    root: string;
    pattern: string;
  }

  /** The folders glob links were handed out for: documentLink/resolve searches no other. */
  const issuedLinkRoots = new Set<string>();

  /** The folder links are relative to (a uri): the workspace folder holding the plan, else the plan's own folder. */
  function linkRoot(uri: string): string | undefined {
    const folder = folderOf(uri);
    if (folder) return folder;
    try {
      return Utils.dirname(URI.parse(uri)).toString();
    } catch {
      return undefined;
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
        const target = host.links.fileTarget(root, candidate.pattern);
        return target ? [{ range: candidate.range, target }] : [];
      });
    }),
  );

  connection.onDocumentLinkResolve(async (link) => {
    const data = link.data as LinkData | undefined;
    // `data` comes back from the client: only a root this server handed out is searched.
    if (!data || typeof data.root !== 'string' || typeof data.pattern !== 'string' || !issuedLinkRoots.has(data.root) || !isWorkspaceRelative(data.pattern)) return link;
    try {
      const first = await host.links.firstMatch(data.root, data.pattern);
      if (first) link.target = first;
    } catch (error) {
      connection.console.warn(`Resolving link ${data.pattern}: ${(error as Error).message}`);
    }
    return link;
  });

  documents.listen(connection);
  connection.listen();
}
