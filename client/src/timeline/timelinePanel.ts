import * as vscode from 'vscode';
import { applyPlanEdit } from '../planCommands';
import type { BaseLanguageClient } from 'vscode-languageclient';
import type { PlanView, PlanViewMilestone, PlanViewTask } from '../../../server/src/protocol/planView';
import { RescheduleRequest } from '../../../server/src/protocol/requests';
import type { PlanStore } from '../planStore';
import { revealInSource } from '../revealInSource';
import type { ExportFormat, ToWebview } from '../webview/protocol';
import { editsOnly, parsePageMessage, type PageMessage } from './pageMessages';
import { exportFileName } from './timelineExport';
import { timelineHtml } from './timelineHtml';

export const TIMELINE_VIEW_TYPE = 'blueprint.timeline';
const UPDATE_THROTTLE_MS = 150;

/**
 * One timeline panel per plan. It shows the server's computed plan, follows
 * the editor's cursor, and turns the page's requests (reveal, reschedule,
 * export) into editor actions — after checking every message, since the page
 * is untrusted.
 */
export class TimelinePanel implements vscode.Disposable {
  private static readonly panels = new Map<string, TimelinePanel>();
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;
  private ready = false;
  private postedVersion: number | undefined;
  private plan: PlanView | undefined;
  private updateTimer: ReturnType<typeof setTimeout> | undefined;
  private highlighted: string | undefined;
  /** A save dialog is open: further exports are dropped (a page cannot stack dialogs). */
  private saving = false;

  static createOrShow(context: vscode.ExtensionContext, store: PlanStore, client: BaseLanguageClient, uri: vscode.Uri, highlight?: string): TimelinePanel {
    const existing = TimelinePanel.panels.get(uri.toString());
    if (existing) {
      existing.panel.reveal(undefined, true);
      if (highlight) existing.highlight(highlight);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(TIMELINE_VIEW_TYPE, 'Timeline', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, TimelinePanel.webviewOptions(context));
    const timeline = new TimelinePanel(context, store, client, panel, uri);
    if (highlight) timeline.highlighted = highlight;
    return timeline;
  }

  static revive(context: vscode.ExtensionContext, store: PlanStore, client: BaseLanguageClient, panel: vscode.WebviewPanel, uri: vscode.Uri): TimelinePanel {
    panel.webview.options = TimelinePanel.webviewOptions(context);
    return new TimelinePanel(context, store, client, panel, uri);
  }

  static forUri(uri: vscode.Uri): TimelinePanel | undefined {
    return TimelinePanel.panels.get(uri.toString());
  }

  /**
   * The timeline the Export Timeline commands act on: the active one, else the
   * visible one of the plan in the editor, else the only visible one. A hidden
   * page is not running, so it cannot draw an export.
   */
  static current(editorUri?: vscode.Uri): TimelinePanel | undefined {
    const visible = [...TimelinePanel.panels.values()].filter((timeline) => timeline.panel.visible);
    return (
      visible.find((timeline) => timeline.panel.active) ??
      visible.find((timeline) => editorUri !== undefined && timeline.uri.toString() === editorUri.toString()) ??
      (visible.length === 1 ? visible[0] : undefined)
    );
  }

  /** Asks the page for an export; it answers with exportSvg or exportPng, which ask where to save. */
  requestExport(format: ExportFormat): void {
    this.post({ type: 'export', format });
  }

  private static webviewOptions(context: vscode.ExtensionContext): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return {
      enableScripts: true,
      enableForms: false,
      enableCommandUris: false,
      localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'dist', 'webview')],
    };
  }

  private constructor(
    context: vscode.ExtensionContext,
    private readonly store: PlanStore,
    private readonly client: BaseLanguageClient,
    readonly panel: vscode.WebviewPanel,
    readonly uri: vscode.Uri,
  ) {
    TimelinePanel.panels.set(uri.toString(), this);
    const webview = panel.webview;
    const asset = (name: string) => webview.asWebviewUri(vscode.Uri.joinPath(context.extensionUri, 'dist', 'webview', name)).toString();
    panel.title = `Timeline: ${vscode.workspace.asRelativePath(uri)}`;
    panel.iconPath = vscode.Uri.joinPath(context.extensionUri, 'images', 'plans.svg');
    webview.html = timelineHtml({ cspSource: webview.cspSource, scriptUri: asset('timeline.js'), styleUri: asset('timeline.css'), title: panel.title });
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      webview.onDidReceiveMessage((value: unknown) => {
        // The page is untrusted input: anything that is not a known, well-formed message about the plan shown is dropped (pageMessages.ts).
        const message = parsePageMessage(value, this.plan);
        if (message) void this.handle(message);
      }),
      store.onDidChangePlan((changed) => {
        if (changed === undefined || changed === uri.toString()) this.scheduleUpdate();
      }),
      vscode.window.onDidChangeTextEditorSelection((event) => {
        if (event.textEditor.document.uri.toString() === uri.toString()) this.followCursor(event.selections[0].active);
      }),
      panel.onDidChangeViewState(() => {
        if (panel.visible) this.scheduleUpdate();
      }),
    );
  }

  highlight(id: string | undefined): void {
    this.highlighted = id;
    this.post({ type: 'highlight', id });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.updateTimer) clearTimeout(this.updateTimer);
    TimelinePanel.panels.delete(this.uri.toString());
    for (const disposable of this.disposables) disposable.dispose();
    this.panel.dispose();
  }

  private post(message: ToWebview): void {
    if (!this.disposed && this.ready) void this.panel.webview.postMessage(message);
  }

  /** Throttled: typing fast re-analyses often, the page redraws at most every UPDATE_THROTTLE_MS. */
  private scheduleUpdate(): void {
    if (this.updateTimer || this.disposed) return;
    this.updateTimer = setTimeout(() => {
      this.updateTimer = undefined;
      void this.update();
    }, UPDATE_THROTTLE_MS);
  }

  private async update(): Promise<void> {
    if (!this.ready || !this.panel.visible) return;
    const plan = await this.store.get(this.uri.toString());
    if (!plan || this.disposed) return;
    // A plan computed for an older version of an open document is already stale.
    const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === this.uri.toString());
    if (open && plan.version >= 0 && plan.version < open.version) return;
    if (this.postedVersion === plan.version && this.plan === plan) return;
    const first = this.plan === undefined;
    this.plan = plan;
    this.postedVersion = plan.version;
    this.post({ type: 'showPlan', plan });
    // The page keeps its highlight across redraws; only the first plan needs it (and may scroll to it).
    if (first && this.highlighted) this.post({ type: 'highlight', id: this.highlighted });
  }

  private followCursor(position: vscode.Position): void {
    if (!this.plan) return;
    const id = findIdAt(this.plan, position);
    if (id !== this.highlighted) this.highlight(id);
  }

  private async handle(message: PageMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.postedVersion = undefined;
        await this.update();
        return;
      case 'reveal': {
        // The panel's own plan, at the range the server computed for the id: nothing from the page but the id.
        const column = vscode.window.visibleTextEditors.find((editor) => editor.document.uri.toString() === this.uri.toString())?.viewColumn ?? vscode.ViewColumn.One;
        await revealInSource(this.uri, message.range, column);
        return;
      }
      case 'reschedule':
        await this.reschedule(message.id, message.version, message.start, message.end, false);
        return;
      case 'exportSvg':
        await this.save('svg', new TextEncoder().encode(message.svg));
        return;
      case 'exportPng':
        await this.save('png', message.png);
        return;
      default: {
        const unhandled: never = message;
        return unhandled;
      }
    }
  }

  /** Writes only where the user chooses in the save dialog; one dialog at a time. */
  private async save(format: ExportFormat, bytes: Uint8Array): Promise<void> {
    if (this.saving) return;
    this.saving = true;
    try {
      const target = await vscode.window.showSaveDialog({
        defaultUri: vscode.Uri.joinPath(this.uri, '..', exportFileName(this.uri.path, format)),
        filters: format === 'svg' ? { 'SVG image': ['svg'] } : { 'PNG image': ['png'] },
      });
      if (target) await vscode.workspace.fs.writeFile(target, bytes);
    } catch (error) {
      // E.g. a read-only file system: say so, the timeline stays as it is.
      void vscode.window.showErrorMessage(`The timeline could not be saved: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.saving = false;
    }
  }

  private async reschedule(id: string, version: number, start: string | undefined, end: string | undefined, setExplicitStart: boolean): Promise<void> {
    const result = await this.client.sendRequest(RescheduleRequest.type, { uri: this.uri.toString(), id, version, start, end, setExplicitStart });
    if ('refused' in result) {
      if (result.refused === 'computed-start') {
        const choice = await vscode.window.showInformationMessage(result.message, 'Set Start');
        if (choice === 'Set Start') await this.reschedule(id, version, start, end, true);
      } else {
        void vscode.window.showWarningMessage(result.message);
      }
      // The page must not keep a bar the plan did not take: send the plan again.
      this.postedVersion = undefined;
      this.plan = undefined;
      await this.update();
      return;
    }
    // Only text edits of this panel's plan are applied, whatever the answer holds.
    const edit = editsOnly(result.edit, this.uri.toString()) ? await this.client.protocol2CodeConverter.asWorkspaceEdit(result.edit) : undefined;
    const applied = edit !== undefined && edit.size > 0 && (await applyPlanEdit(edit, 'The new dates'));
    if (!applied) {
      // Nothing changed: the page still waits for an answer to clear its pending bar.
      this.postedVersion = undefined;
      this.plan = undefined;
      await this.update();
    }
  }
}

function eachItem(plan: PlanView, visit: (item: PlanViewMilestone | PlanViewTask) => void): void {
  const tasks = (list: PlanViewTask[]) => {
    for (const task of list) {
      visit(task);
      tasks(task.tasks);
    }
  };
  for (const milestone of plan.milestones) {
    visit(milestone);
    tasks(milestone.tasks);
  }
}

/** The innermost task or milestone whose source contains the position. */
function findIdAt(plan: PlanView, position: vscode.Position): string | undefined {
  let found: { id: string; size: number } | undefined;
  eachItem(plan, (item) => {
    const { start, end } = item.range;
    const inside = (position.line > start.line || (position.line === start.line && position.character >= start.character)) && (position.line < end.line || (position.line === end.line && position.character <= end.character));
    const size = end.line - start.line;
    if (inside && (!found || size <= found.size)) found = { id: item.id, size };
  });
  return found?.id;
}
