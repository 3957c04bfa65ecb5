import * as fs from 'node:fs';
import * as path from 'node:path';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { URI } from 'vscode-uri';
import { CodeReferences } from './codeReferences';
import { connectionStrategies, startLanguageServer, type DispatchCounter, type ServerHost } from './languageServer';
import { filesThroughClient } from './remoteHost';
import { NodeLinkHost } from './nodeLinks';
import { NodePlanWorkspace } from './nodeWorkspace';
import { CONFIG_FILE_NAME } from './protocol/settings';
import { fsPathOf } from './workspaceFiles';

// The language server in Node: `node dist/server.js --stdio` (tests, other
// editors) or over IPC from the VS Code client. Files are read from disk,
// inside the workspace folders (nodeWorkspace.ts, workspaceFiles.ts); the
// glue itself is languageServer.ts, shared with the web worker.

const counter: DispatchCounter = { dispatched: 0 };
const connection = createConnection(ProposedFeatures.all, connectionStrategies(counter));

/** The files on this disk; in a virtual workspace (`--files-through-client`) VS Code's file system, through the client. */
const localFiles: Pick<ServerHost, 'createWorkspace' | 'links' | 'readConfigFile' | 'createCodeReferences'> = {
  createWorkspace: (documents) => new NodePlanWorkspace(documents),
  links: new NodeLinkHost(),
  readConfigFile: async (folderUri) => {
    const folder = fsPathOf(folderUri);
    if (folder === undefined) return undefined;
    try {
      return fs.readFileSync(path.join(folder, CONFIG_FILE_NAME), 'utf8');
    } catch {
      return undefined; // No blueprint.json: defaults apply.
    }
  },
  createCodeReferences: (documents, service, folderOf, listPlans) => new CodeReferences(documents, service.environment, folderOf, listPlans),
};

startLanguageServer(
  connection,
  {
    ...(process.argv.includes('--files-through-client') ? filesThroughClient(connection) : localFiles),
    defaultDocsBase: URI.file(path.resolve(__dirname, '..', 'README.md')).toString(),
    nextTurn: () => new Promise<void>((resolve) => setImmediate(resolve)),
    processId: process.pid,
  },
  counter,
);
