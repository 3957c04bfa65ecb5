import * as vscode from 'vscode';
import type { BaseLanguageClient } from 'vscode-languageclient';
import { FindFilesRequest, FindPlanFilesRequest, ReadFilesRequest } from '../../server/src/protocol/requests';
import { createWorkspaceFileAccess, type FileAccessHost, type FileStatus } from './workspaceFileAccess';

// workspaceFileAccess.ts bound to VS Code: its file system API (any scheme)
// and its file search, for the web extension's language server.

function kindOf(type: vscode.FileType): FileStatus['kind'] {
  if (type & vscode.FileType.SymbolicLink) return 'symbolicLink';
  if (type & vscode.FileType.Directory) return 'folder';
  if (type & vscode.FileType.File) return 'file';
  return 'other';
}

export const vscodeFileAccessHost: FileAccessHost = {
  workspaceFolders: () => (vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri.toString()),
  stat: async (uri) => {
    const stat = await vscode.workspace.fs.stat(vscode.Uri.parse(uri, true));
    return { kind: kindOf(stat.type), size: stat.size, mtime: stat.mtime };
  },
  readFile: async (uri) => vscode.workspace.fs.readFile(vscode.Uri.parse(uri, true)),
  findFiles: async ({ base, pattern }, exclude, limit) => {
    const include = base === undefined ? pattern : new vscode.RelativePattern(vscode.Uri.parse(base, true), pattern);
    return (await vscode.workspace.findFiles(include, exclude, limit)).map((uri) => uri.toString());
  },
};

/**
 * Answers the web server's file requests. Registered before `start()`: the
 * client keeps them and hooks them up as soon as the server has answered
 * `initialize` (before `initialized` is sent), and again after a restart.
 */
export function registerWorkspaceFileAccess(client: BaseLanguageClient, host: FileAccessHost = vscodeFileAccessHost): vscode.Disposable[] {
  const access = createWorkspaceFileAccess(host);
  return [
    client.onRequest(ReadFilesRequest.type, (params) => access.readFiles(params)),
    client.onRequest(FindPlanFilesRequest.type, () => access.findPlanFiles()),
    client.onRequest(FindFilesRequest.type, (params) => access.findFiles(params)),
  ];
}
