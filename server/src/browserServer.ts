import { BrowserMessageReader, BrowserMessageWriter, createConnection, ProposedFeatures } from 'vscode-languageserver/browser';
import { connectionStrategies, startLanguageServer, type DispatchCounter } from './languageServer';
import { filesThroughClient } from './remoteHost';

// The language server in a web worker (the web extension: vscode.dev,
// github.dev). Same glue and service as in Node (languageServer.ts); the
// worker has no file system, so files are read through the client
// (remoteHost.ts).

/** The worker's global scope: it receives the client's messages and posts the answers. */
declare const self: ConstructorParameters<typeof BrowserMessageReader>[0] & { location: { href: string } };

const counter: DispatchCounter = { dispatched: 0 };
const connection = createConnection(ProposedFeatures.all, new BrowserMessageReader(self), new BrowserMessageWriter(self), connectionStrategies(counter));

startLanguageServer(
  connection,
  {
    ...filesThroughClient(connection),
    // The client sends the README's uri (initializationOptions.docsBase); this is only for a client that does not.
    defaultDocsBase: readmeBesideScript(),
    // The connection dispatches received messages in microtasks: a macrotask later they are all handled.
    nextTurn: () => new Promise<void>((resolve) => setTimeout(resolve, 0)),
    processId: -1,
  },
  counter,
);

/**
 * The README two folders up from this script, when the script has a
 * hierarchical address; VS Code starts extension workers from a `blob:`
 * address, which has none: then the script's own address.
 */
function readmeBesideScript(): string {
  try {
    return new URL('../../README.md', self.location.href).toString();
  } catch {
    return self.location.href;
  }
}
