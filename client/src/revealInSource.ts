import * as vscode from 'vscode';
import type { PlanViewRange } from '../../server/src/protocol/planView';

/** Opens a plan and selects a range the server computed (used by the tree and the timeline). */
export async function revealInSource(uri: vscode.Uri, range: PlanViewRange, viewColumn?: vscode.ViewColumn): Promise<void> {
  const selection = new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
  const document = await vscode.workspace.openTextDocument(uri);
  const editor = await vscode.window.showTextDocument(document, { selection, viewColumn, preserveFocus: false });
  editor.revealRange(selection, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}
