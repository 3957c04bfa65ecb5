import * as vscode from 'vscode';
import type { DocumentSelector, LanguageClientOptions, Middleware } from 'vscode-languageclient';
import { CONFIG_FILE_NAME, SETTINGS_SECTION, type BlueprintInitializationOptions } from '../../server/src/protocol/settings';

// The language client's options, shared by the desktop extension (the server
// as a Node process, languageClient.ts) and the web extension (the server in a
// web worker, browserExtension.ts). The web build bundles this file, so
// nothing here may need Node (nor import vscode-languageclient/node).

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

/** Where the desktop and the web client differ. */
export interface ClientVariant {
  /** The documents synced with the server. */
  documentSelector: DocumentSelector;
  /** Globs whose file events the server also hears, beside plans and blueprint.json. */
  moreWatchedFiles: string[];
  /** Globs whose files coming and going (not their changes) the server also hears: what stale-link findings depend on. */
  watchedForCreateAndDelete?: string[];
  /** Where the README's rule table is, for a server without a path of its own (BlueprintInitializationOptions.docsBase). */
  docsBase?: string;
}

export function blueprintClientOptions(context: vscode.ExtensionContext, variant: ClientVariant): LanguageClientOptions {
  const outputChannel = vscode.window.createOutputChannel('Blueprint', { log: true });
  context.subscriptions.push(outputChannel);
  const initializationOptions: BlueprintInitializationOptions = {
    revealInTimelineCommand: 'blueprint.revealInTimeline',
    triggerSuggestCommand: 'editor.action.triggerSuggest',
    // The file watchers below send the server its file events: it registers none of its own.
    watchesFiles: true,
    ...(variant.docsBase !== undefined ? { docsBase: variant.docsBase } : {}),
  };
  return {
    documentSelector: variant.documentSelector,
    middleware: planOnlyFeatures(),
    synchronize: {
      configurationSection: SETTINGS_SECTION,
      fileEvents: [
        vscode.workspace.createFileSystemWatcher('**/*.plan.{yaml,yml}'),
        vscode.workspace.createFileSystemWatcher(`**/${CONFIG_FILE_NAME}`),
        ...variant.moreWatchedFiles.map((glob) => vscode.workspace.createFileSystemWatcher(glob)),
        ...(variant.watchedForCreateAndDelete ?? []).map((glob) => vscode.workspace.createFileSystemWatcher(glob, false, true, false)),
      ],
    },
    outputChannel,
    initializationOptions,
    // No errorHandler of our own: vscode-languageclient's default restarts a server that
    // crashed (up to 4 times in 3 minutes), re-opening the open documents; the plan store
    // refetches after a restart (test/vscode/suite/restart.test.ts kills the server).
  };
}
