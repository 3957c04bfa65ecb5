import type { Connection } from 'vscode-languageserver';
import { URI, Utils } from 'vscode-uri';
import type { LinkHost, ServerHost } from './languageServer';
import { FindFilesRequest, FindPlanFilesRequest, ReadFilesRequest } from './protocol/requests';
import { CONFIG_FILE_NAME } from './protocol/settings';
import { RemotePlanWorkspace } from './remoteWorkspace';
import { isGlobPattern } from './protocol/linkPatterns';

/** Most link lookups per analysis (a plan with more links has the rest checked by the next analyses). */
const MAX_LINK_LOOKUPS = 200;

/**
 * Files through the client (VS Code's file system API, any scheme), for a
 * server without a disk of its own: the web worker, and the Node server of a
 * virtual workspace (github.dev's repositories opened in desktop VS Code).
 * The client answers only inside the workspace folders. Links are checked
 * for the stale-link rule by asking the client (once per pattern until files
 * come or go). Not here: `plan:` markers in source files, which need a search
 * of every file's text.
 */
export function filesThroughClient(connection: Connection): Pick<ServerHost, 'createWorkspace' | 'links' | 'readConfigFile'> {
  let workspace: RemotePlanWorkspace | undefined;
  const find = (base: string, pattern: string) => connection.sendRequest(FindFilesRequest.type, { base, pattern, limit: 1 });
  /** Whether a link matches a file, by folder and pattern (`${root}\0${pattern}`), as the client last said. */
  const linkExists = new Map<string, boolean>();
  const wantedLinks = new Set<string>();
  const links: LinkHost = {
    exists: (rootUri, pattern) => {
      // The client searches workspace folders only: a plan outside one is not checked (as with no folder on the desktop).
      if (!workspace?.folders.includes(rootUri)) return true;
      const key = `${rootUri}\u0000${pattern}`;
      const known = linkExists.get(key);
      if (known !== undefined) return known;
      wantedLinks.add(key);
      return true;
    },
    resolveWanted: async () => {
      const keys = [...wantedLinks].slice(0, MAX_LINK_LOOKUPS);
      wantedLinks.clear();
      let missing = false;
      for (const key of keys) {
        const [root, pattern] = key.split('\u0000');
        let exists = true;
        try {
          // A plain path may name a folder, which a file search does not return: then anything below it counts.
          exists = (await find(root, pattern)).length > 0 || (!isGlobPattern(pattern) && (await find(root, `${pattern.replace(/\/+$/, '')}/**`)).length > 0);
        } catch {
          exists = true; // No answer: do not claim the link is stale.
        }
        linkExists.set(key, exists);
        missing ||= !exists;
      }
      return missing;
    },
    // A plain path: the file it names (VS Code says so if there is none; checking would cost a round trip per link).
    fileTarget: (rootUri, pattern) => Utils.joinPath(URI.parse(rootUri), pattern).toString(),
    firstMatch: async (rootUri, pattern) => (await find(rootUri, pattern))[0],
    invalidate: () => linkExists.clear(),
  };
  return {
    createWorkspace: (documents) =>
      (workspace = new RemotePlanWorkspace(documents, {
        read: (uris) => connection.sendRequest(ReadFilesRequest.type, { uris }),
        findPlans: () => connection.sendRequest(FindPlanFilesRequest.type),
      })),
    links,
    readConfigFile: async (folderUri) => {
      const uri = Utils.joinPath(URI.parse(folderUri), CONFIG_FILE_NAME).toString();
      const [result] = await connection.sendRequest(ReadFilesRequest.type, { uris: [uri] });
      return result && 'text' in result ? result.text : undefined;
    },
  };
}
