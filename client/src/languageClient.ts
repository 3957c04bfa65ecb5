import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type Middleware, type ServerOptions } from 'vscode-languageclient/node';
import { CONFIG_FILE_NAME, SETTINGS_SECTION } from '../../server/src/protocol/settings';

export const PLAN_LANGUAGE_ID = 'plan-yaml';

const isPlan = (document: vscode.TextDocument) => document.languageId === PLAN_LANGUAGE_ID;

/**
 * Source files are synced only for their `plan:` markers (diagnostics, hover,
 * definition, references, quick fixes). The plan features are not asked for
 * them at all: no round trip to the server while typing code.
 */
function planOnlyFeatures(): Middleware {
  return {
    provideCompletionItem: (document, position, context, token, next) => (isPlan(document) ? next(document, position, context, token) : undefined),
    provideCodeLenses: (document, token, next) => (isPlan(document) ? next(document, token) : undefined),
    provideInlayHints: (document, range, token, next) => (isPlan(document) ? next(document, range, token) : undefined),
    provideDocumentLinks: (document, token, next) => (isPlan(document) ? next(document, token) : undefined),
    provideDocumentSymbols: (document, token, next) => (isPlan(document) ? next(document, token) : undefined),
    provideDocumentHighlights: (document, position, token, next) => (isPlan(document) ? next(document, position, token) : undefined),
    prepareRename: (document, position, token, next) => (isPlan(document) ? next(document, position, token) : undefined),
  };
}

export async function startLanguageClient(context: vscode.ExtensionContext): Promise<LanguageClient> {
  const serverModule = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const outputChannel = vscode.window.createOutputChannel('Blueprint', { log: true });
  context.subscriptions.push(outputChannel);
  const clientOptions: LanguageClientOptions = {
    // Plans, and every other file for its `plan:` markers (the server only scans their comments).
    documentSelector: [
      { scheme: 'file', language: PLAN_LANGUAGE_ID },
      { scheme: 'untitled', language: PLAN_LANGUAGE_ID },
      { scheme: 'file' },
    ],
    middleware: planOnlyFeatures(),
    synchronize: {
      configurationSection: SETTINGS_SECTION,
      fileEvents: [
        vscode.workspace.createFileSystemWatcher('**/*.plan.{yaml,yml}'),
        vscode.workspace.createFileSystemWatcher(`**/${CONFIG_FILE_NAME}`),
        // Files coming and going decide which tasks' links are stale; changed files may hold `plan:` markers.
        vscode.workspace.createFileSystemWatcher('**/*'),
      ],
    },
    outputChannel,
    initializationOptions: { revealInTimelineCommand: 'blueprint.revealInTimeline', triggerSuggestCommand: 'editor.action.triggerSuggest' },
    // No errorHandler of our own: vscode-languageclient's default restarts a server that
    // crashed (up to 4 times in 3 minutes), re-opening the open documents; the plan store
    // refetches after a restart (test/vscode/suite/restart.test.ts kills the server).
  };
  const client = new LanguageClient('blueprint', 'Blueprint', serverOptions, clientOptions);
  context.subscriptions.push(client);
  await client.start();
  return client;
}
