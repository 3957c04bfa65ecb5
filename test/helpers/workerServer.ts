import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import {
  AbstractMessageReader,
  AbstractMessageWriter,
  createMessageConnection,
  type DataCallback,
  type Disposable,
  type Message,
  type MessageConnection,
} from 'vscode-languageserver-protocol/node';

// The web extension's language server (dist/browser/server.js) run as a web
// worker runs it, without a browser: evaluated in a fresh V8 context whose
// globals are only what a worker has (no require, process, Buffer, module or
// global), and spoken to through its `self.onmessage` / `self.postMessage`.
// A bundle that touched a Node API would throw here.

export const browserServerBundle = path.resolve(__dirname, '..', '..', '..', 'dist', 'browser', 'server.js');

/** A worker's global scope as far as the server uses it. */
interface FakeWorkerScope {
  onmessage: ((event: { data: unknown }) => void) | null;
  postMessage(message: unknown): void;
  addEventListener(type: string, listener: unknown): void;
  removeEventListener(type: string, listener: unknown): void;
  location: { href: string };
}

class FromWorker extends AbstractMessageReader {
  private callback: DataCallback | undefined;
  listen(callback: DataCallback): Disposable {
    this.callback = callback;
    return { dispose: () => (this.callback = undefined) };
  }
  deliver(message: Message): void {
    this.callback?.(message);
  }
}

class ToWorker extends AbstractMessageWriter {
  constructor(private readonly post: (message: Message) => void) {
    super();
  }
  async write(message: Message): Promise<void> {
    this.post(message);
  }
  end(): void {}
}

export interface WorkerServer {
  connection: MessageConnection;
  /** What the server wrote to the console (window/logMessage), and errors thrown inside the worker. */
  logs: string[];
  /** Globals of the worker's context, to prove what it could not reach. */
  context: vm.Context;
  dispose(): void;
}

/** Starts the browser server bundle in a worker-like context; `scriptUrl` is its self.location (VS Code starts extension workers from a blob: address). */
export function startWorkerServer(scriptUrl = 'blob:https://extension.test/0b6f0c8e-5d2a-4f7e-9a43-2a7c1f0d9e11'): WorkerServer {
  const logs: string[] = [];
  const fromWorker = new FromWorker();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let disposed = false;
  const scope: FakeWorkerScope = {
    onmessage: null,
    // Messages cross as a structured clone would: copies, never shared objects.
    postMessage: (message) => {
      if (!disposed) setImmediate(() => fromWorker.deliver(JSON.parse(JSON.stringify(message)) as Message));
    },
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
    location: { href: scriptUrl },
  };
  const context = vm.createContext({
    self: scope,
    console: { log: (...args: unknown[]) => logs.push(args.join(' ')), info: (...args: unknown[]) => logs.push(args.join(' ')), warn: (...args: unknown[]) => logs.push(args.join(' ')), error: (...args: unknown[]) => logs.push(`error: ${args.join(' ')}`), debug: () => undefined },
    setTimeout: (callback: () => void, ms?: number) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        callback();
      }, ms);
      timers.add(timer);
      return timer;
    },
    clearTimeout: (timer: ReturnType<typeof setTimeout>) => {
      timers.delete(timer);
      clearTimeout(timer);
    },
    setInterval,
    clearInterval,
    queueMicrotask,
    URL,
    TextEncoder,
    TextDecoder,
    performance,
  });
  (context as { self: FakeWorkerScope }).self = scope;
  // JSON parsed inside the worker's realm, so arrays and objects have its prototypes.
  const parseInWorker = vm.runInContext('JSON.parse', context) as (text: string) => unknown;
  vm.runInContext(fs.readFileSync(browserServerBundle, 'utf8'), context, { filename: browserServerBundle });
  const toWorker = new ToWorker((message) => {
    const text = JSON.stringify(message);
    setImmediate(() => {
      if (disposed) return;
      try {
        scope.onmessage?.({ data: parseInWorker(text) });
      } catch (error) {
        logs.push(`error: thrown in the worker: ${String(error)}`);
      }
    });
  });
  const connection = createMessageConnection(fromWorker, toWorker);
  connection.onNotification('window/logMessage', (params: { message: string }) => {
    logs.push(params.message);
  });
  connection.listen();
  return {
    connection,
    logs,
    context,
    dispose: () => {
      disposed = true;
      connection.dispose();
      for (const timer of timers) clearTimeout(timer);
    },
  };
}
