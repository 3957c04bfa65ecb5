import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { activateBlueprint, type BlueprintApi } from './activate';
import { isVirtualWorkspace, startLanguageClient } from './languageClient';

// The desktop (and remote) extension: the language server runs as a Node
// process. browserExtension.ts is the web extension's entry.

export type { BlueprintApi } from './activate';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<BlueprintApi> {
  client = await startLanguageClient(context, isVirtualWorkspace(vscode.workspace.workspaceFolders));
  return activateBlueprint(context, client);
}

export async function deactivate(): Promise<void> {
  const stopping = client;
  client = undefined;
  await stopping?.stop();
}
