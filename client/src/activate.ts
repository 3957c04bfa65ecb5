import * as vscode from 'vscode';
import type { BaseLanguageClient } from 'vscode-languageclient';
import type { PlanViewRange } from '../../server/src/protocol/planView';
import { ServerProcessRequest } from '../../server/src/protocol/requests';
import { registerCoveringTasks } from './coveringTasks';
import { registerPlanCommands } from './planCommands';
import { PlanStore } from './planStore';
import { revealInSource } from './revealInSource';
import { registerPlanStatusBar } from './statusBar';
import { revivablePlanUri } from './timeline/pageMessages';
import { TIMELINE_VIEW_TYPE, TimelinePanel } from './timeline/timelinePanel';
import { MilestoneTreeProvider, type PlanNode } from './tree/milestoneTreeProvider';
import { registerMilestoneTree } from './tree/treeCommands';

// Wires VS Code to the Blueprint language server, once its client runs: the
// same for the desktop (extension.ts) and the web (browserExtension.ts).
// Nothing here reads plans: everything shown comes from the server.

/** What the extension exports: the views' data, for other extensions and for the in-editor tests. */
export interface BlueprintApi {
  milestoneTree: MilestoneTreeProvider;
  /** The computed plans the views share (fetched from the server, cached per version). */
  plans: PlanStore;
  /**
   * The language server's process id, asked of the server itself (the restart test kills it).
   * Opaque: a server in a web worker has no process and answers with a number of its own.
   */
  serverProcessId(): Promise<number>;
}

/** `languageClient` has been started. */
export function activateBlueprint(context: vscode.ExtensionContext, languageClient: BaseLanguageClient): BlueprintApi {
  const store = new PlanStore(languageClient);
  const tree = new MilestoneTreeProvider(store);
  context.subscriptions.push(
    store,
    tree,
    ...registerMilestoneTree(tree),
    ...registerPlanCommands(languageClient, (uri) => store.get(uri)),
    ...registerPlanStatusBar(store),
    ...registerCoveringTasks(languageClient, store),
    vscode.commands.registerCommand('blueprint.revealInSource', (uri: vscode.Uri, range: PlanViewRange) => revealInSource(uri, range)),
    vscode.commands.registerCommand('blueprint.showTimeline', (target?: vscode.Uri | PlanNode) => {
      const uri = target instanceof vscode.Uri ? target : target && 'uri' in target ? target.uri : vscode.window.activeTextEditor?.document.uri;
      if (!uri || !/\.plan\.ya?ml$/.test(uri.path)) {
        void vscode.window.showInformationMessage('Open a *.plan.yaml file to see its timeline.');
        return;
      }
      TimelinePanel.createOrShow(context, store, languageClient, uri);
    }),
    // From the tree's context menu (a node) or a code lens (a uri and an id).
    vscode.commands.registerCommand('blueprint.revealInTimeline', (target?: PlanNode | string, id?: string) => {
      if (typeof target === 'string' && typeof id === 'string') {
        TimelinePanel.createOrShow(context, store, languageClient, vscode.Uri.parse(target), id);
        return;
      }
      if (!target || typeof target === 'string' || target.kind === 'plan' || target.kind === 'file') return;
      TimelinePanel.createOrShow(context, store, languageClient, target.uri, target.kind === 'milestone' ? target.milestone.id : target.task.id);
    }),
    // Export the active timeline (or the timeline of the plan in the active editor); the page draws, the host saves.
    ...(['svg', 'png'] as const).map((format) =>
      vscode.commands.registerCommand(format === 'svg' ? 'blueprint.exportTimelineSvg' : 'blueprint.exportTimelinePng', () => {
        const timeline = TimelinePanel.current(vscode.window.activeTextEditor?.document.uri);
        if (!timeline) {
          void vscode.window.showInformationMessage('Show a timeline first (Blueprint: Show Timeline), then export it.');
          return;
        }
        timeline.requestExport(format);
      }),
    ),
    vscode.window.registerWebviewPanelSerializer(TIMELINE_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
        // The state was written by the page (untrusted): a plan file of the workspace, or nothing.
        const saved = revivablePlanUri(state);
        const uri = saved !== undefined ? vscode.Uri.parse(saved, true) : undefined;
        if (!uri || !vscode.workspace.getWorkspaceFolder(uri)) {
          panel.dispose();
          return;
        }
        TimelinePanel.revive(context, store, languageClient, panel, uri);
      },
    }),
  );
  return {
    milestoneTree: tree,
    plans: store,
    serverProcessId: async () => (await languageClient.sendRequest(ServerProcessRequest.type)).pid,
  };
}
