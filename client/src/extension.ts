import * as vscode from 'vscode';
import { startLanguageClient } from './languageClient';
import type { LanguageClient } from 'vscode-languageclient/node';

// Wires VS Code to the Blueprint language server. Nothing here reads plans:
// everything shown comes from the server.

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  client = await startLanguageClient(context);
}

export async function deactivate(): Promise<void> {
  const stopping = client;
  client = undefined;
  await stopping?.stop();
}
