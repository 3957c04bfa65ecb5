import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { CONFIG_FILE_NAME, SETTINGS_SECTION } from '../../server/src/protocol/settings';

export const PLAN_LANGUAGE_ID = 'plan-yaml';

export async function startLanguageClient(context: vscode.ExtensionContext): Promise<LanguageClient> {
  const serverModule = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const outputChannel = vscode.window.createOutputChannel('Blueprint', { log: true });
  context.subscriptions.push(outputChannel);
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: PLAN_LANGUAGE_ID },
      { scheme: 'untitled', language: PLAN_LANGUAGE_ID },
    ],
    synchronize: {
      configurationSection: SETTINGS_SECTION,
      fileEvents: [
        vscode.workspace.createFileSystemWatcher('**/*.plan.{yaml,yml}'),
        vscode.workspace.createFileSystemWatcher(`**/${CONFIG_FILE_NAME}`),
        // Files coming and going decide which tasks' links are stale; their contents do not matter.
        vscode.workspace.createFileSystemWatcher('**/*', false, true, false),
      ],
    },
    outputChannel,
    initializationOptions: { revealInTimelineCommand: 'blueprint.revealInTimeline' },
  };
  const client = new LanguageClient('blueprint', 'Blueprint', serverOptions, clientOptions);
  context.subscriptions.push(client);
  await client.start();
  return client;
}
