import * as vscode from 'vscode';
import { BrowserMessageReader, BrowserMessageWriter, LanguageClient, type MessageTransports } from 'vscode-languageclient/browser';
import { activateBlueprint, type BlueprintApi } from './activate';
import { blueprintClientOptions, PLAN_LANGUAGE_ID } from './clientOptions';
import { registerWorkspaceFileAccess } from './workspaceFileAccessHost';

// The web extension (vscode.dev, github.dev): the language server runs in a
// web worker, which has no file system, so it reads the workspace's plans
// through this client (workspaceFileAccess.ts). extension.ts is the desktop's
// entry. Nothing this file bundles may need Node.

/** The web extension host's global (the tsconfig's libraries are Node's, not the DOM's). */
declare const Worker: new (scriptUrl: string) => object;

/**
 * The language server's worker. VS Code's web extension host refuses to start
 * a worker from a remote extension's address ("Creating workers from remote
 * extensions is currently not supported": code-server, remote tunnels); its
 * fetch can read that address, so the script is then started from a blob.
 */
async function startServerWorker(script: vscode.Uri): Promise<object> {
  try {
    return new Worker(script.toString(true));
  } catch (refused) {
    const response = await fetch(script.toString(true));
    if (!response.ok) throw new Error(`The Blueprint language server could not be loaded (${response.status} ${response.statusText}); starting it from its address failed first: ${String(refused)}`);
    return new Worker(URL.createObjectURL(new Blob([await response.text()], { type: 'text/javascript' })));
  }
}

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<BlueprintApi> {
  // A factory, not a worker: after a crash the client restarts the server in a fresh worker. It hands over the
  // worker's reader and writer, since the client's `instanceof Worker` fails for the extension host's own Worker.
  const server = async (): Promise<MessageTransports> => {
    const worker = (await startServerWorker(vscode.Uri.joinPath(context.extensionUri, 'dist/browser/server.js'))) as ConstructorParameters<typeof BrowserMessageReader>[0];
    return { reader: new BrowserMessageReader(worker), writer: new BrowserMessageWriter(worker) };
  };
  const clientOptions = blueprintClientOptions(context, {
    // Plans only, in any scheme (vscode-vfs on github.dev). The worker does not look for `plan:` markers
    // in source files: that needs a search of every file's text.
    documentSelector: [{ language: PLAN_LANGUAGE_ID }],
    // Plans and blueprint.json; of other files only their coming and going (stale-link), never every change.
    moreWatchedFiles: [],
    watchedForCreateAndDelete: ['**/*'],
    // The worker has no path of its own to find the README's rule table by.
    docsBase: vscode.Uri.joinPath(context.extensionUri, 'README.md').toString(),
  });
  const languageClient = new LanguageClient('blueprint', 'Blueprint', server, clientOptions);
  client = languageClient;
  // Registered before start(): the client hooks them up as soon as the server has answered `initialize`, so the server may ask from `initialized` on.
  context.subscriptions.push(languageClient, ...registerWorkspaceFileAccess(languageClient));
  await languageClient.start();
  return activateBlueprint(context, languageClient);
}

export async function deactivate(): Promise<void> {
  const stopping = client;
  client = undefined;
  await stopping?.stop();
}
