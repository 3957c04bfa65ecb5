import type * as vscode from 'vscode';
import { LanguageClient, TransportKind, type ServerOptions } from 'vscode-languageclient/node';
import { blueprintClientOptions, PLAN_LANGUAGE_ID } from './clientOptions';
import { registerWorkspaceFileAccess } from './workspaceFileAccessHost';

// The desktop (and remote) extension's language client: the server is a Node
// process, spoken to over IPC. The web extension's is in browserExtension.ts;
// what they share is in clientOptions.ts (which must not import this file:
// vscode-languageclient/node does not bundle for the browser).

/**
 * A virtual workspace (a folder that is not on this disk: GitHub
 * Repositories' vscode-vfs, for one) has no files the server could read
 * itself: it reads them through this client, as the web extension's does.
 */
export function isVirtualWorkspace(folders: readonly { uri: { scheme: string } }[] | undefined): boolean {
  return (folders ?? []).some((folder) => folder.uri.scheme !== 'file');
}

export async function startLanguageClient(context: vscode.ExtensionContext, virtual: boolean): Promise<LanguageClient> {
  const serverModule = context.asAbsolutePath('dist/server.js');
  const args = virtual ? ['--files-through-client'] : [];
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc, args },
    debug: { module: serverModule, transport: TransportKind.ipc, args, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions = blueprintClientOptions(
    context,
    virtual
      ? // As on the web: plans in any scheme; no `plan:` markers in code (they need the files on a disk).
        { documentSelector: [{ language: PLAN_LANGUAGE_ID }], moreWatchedFiles: [], watchedForCreateAndDelete: ['**/*'] }
      : {
          // Plans, and every other file for its `plan:` markers (the server only scans their comments).
          documentSelector: [
            { scheme: 'file', language: PLAN_LANGUAGE_ID },
            { scheme: 'untitled', language: PLAN_LANGUAGE_ID },
            { scheme: 'file' },
          ],
          // Files coming and going decide which tasks' links are stale; changed files may hold `plan:` markers.
          moreWatchedFiles: ['**/*'],
        },
  );
  const client = new LanguageClient('blueprint', 'Blueprint', serverOptions, clientOptions);
  context.subscriptions.push(client);
  if (virtual) context.subscriptions.push(...registerWorkspaceFileAccess(client));
  await client.start();
  return client;
}
