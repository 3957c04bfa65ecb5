import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { PlanViewRange } from '../../server/src/protocol/planView';
import { startLanguageClient } from './languageClient';
import { PlanStore } from './planStore';
import { revealInSource } from './revealInSource';
import { MilestoneTreeProvider } from './tree/milestoneTreeProvider';
import { registerMilestoneTree } from './tree/treeCommands';

// Wires VS Code to the Blueprint language server. Nothing here reads plans:
// everything shown comes from the server.

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  client = await startLanguageClient(context);
  const store = new PlanStore(client);
  const tree = new MilestoneTreeProvider(store);
  context.subscriptions.push(
    store,
    tree,
    ...registerMilestoneTree(tree),
    vscode.commands.registerCommand('blueprint.revealInSource', (uri: vscode.Uri, range: PlanViewRange) => revealInSource(uri, range)),
  );
}

export async function deactivate(): Promise<void> {
  const stopping = client;
  client = undefined;
  await stopping?.stop();
}
