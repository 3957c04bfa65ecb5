import type { Connection } from 'vscode-languageserver';
import { URI, Utils } from 'vscode-uri';
import type { LinkHost, ServerHost } from './languageServer';
import { FindFilesRequest, FindPlanFilesRequest, ReadFilesRequest } from './protocol/requests';
import { CONFIG_FILE_NAME } from './protocol/settings';
import { RemotePlanWorkspace } from './remoteWorkspace';

/**
 * Files through the client (VS Code's file system API, any scheme), for a
 * server without a disk of its own: the web worker, and the Node server of a
 * virtual workspace (github.dev's repositories opened in desktop VS Code).
 * The client answers only inside the workspace folders. Not here: `plan:`
 * markers in source files and the stale-link rule, which search the
 * workspace's files synchronously on a local disk.
 */
export function filesThroughClient(connection: Connection): Pick<ServerHost, 'createWorkspace' | 'links' | 'readConfigFile'> {
  const links: LinkHost = {
    // A plain path: the file it names (VS Code says so if there is none; checking would cost a round trip per link).
    fileTarget: (rootUri, pattern) => Utils.joinPath(URI.parse(rootUri), pattern).toString(),
    firstMatch: async (rootUri, pattern) => (await connection.sendRequest(FindFilesRequest.type, { base: rootUri, pattern, limit: 1 }))[0],
    invalidate: () => undefined,
  };
  return {
    createWorkspace: (documents) =>
      new RemotePlanWorkspace(documents, {
        read: (uris) => connection.sendRequest(ReadFilesRequest.type, { uris }),
        findPlans: () => connection.sendRequest(FindPlanFilesRequest.type),
      }),
    links,
    readConfigFile: async (folderUri) => {
      const uri = Utils.joinPath(URI.parse(folderUri), CONFIG_FILE_NAME).toString();
      const [result] = await connection.sendRequest(ReadFilesRequest.type, { uris: [uri] });
      return result && 'text' in result ? result.text : undefined;
    },
  };
}
