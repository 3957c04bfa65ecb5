import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as path from 'node:path';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  PublishDiagnosticsNotification,
  type DataCallback,
  type Disposable,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type InitializeParams,
  type ResponseMessage,
} from 'vscode-languageserver-protocol/node';
import { repoRoot } from './fixtures';

export const serverBundle = path.join(repoRoot, 'dist', 'server.js');

/** Requests written with writeRaw carry string ids with this prefix; their responses are kept (the connection does not know them). */
export const RAW_ID_PREFIX = 'raw:';

/** Frames JSON-RPC messages (or any JSON) as the base protocol does, for writeRaw. */
export function frame(...messages: unknown[]): string {
  return messages
    .map((message) => {
      const body = JSON.stringify(message);
      return `Content-Length: ${Buffer.byteLength(body, 'utf8')}\r\n\r\n${body}`;
    })
    .join('');
}

/** A reader that also hands every message to `tap` before the connection sees it. */
class TappedReader extends StreamMessageReader {
  constructor(
    readable: NodeJS.ReadableStream,
    private readonly tap: (message: unknown) => void,
  ) {
    super(readable);
  }

  override listen(callback: DataCallback): Disposable {
    return super.listen((message) => {
      this.tap(message);
      callback(message);
    });
  }
}

/**
 * The built server started as another editor would: `node dist/server.js --stdio`.
 * Diagnostics are collected per uri; tests wait for them with a deadline.
 */
export class LspSession {
  readonly connection: ProtocolConnection;
  readonly stderr: string[] = [];
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly diagnostics = new Map<string, PublishDiagnosticsParams[]>();
  private readonly waiters: (() => void)[] = [];
  private readonly rawResponses = new Map<string, ResponseMessage>();
  exitCode: number | null | undefined;

  constructor() {
    this.child = spawn(process.execPath, [serverBundle, '--stdio'], { stdio: 'pipe' });
    this.child.stderr.on('data', (chunk: Buffer) => this.stderr.push(chunk.toString()));
    this.child.on('exit', (code) => {
      this.exitCode = code;
      for (const waiter of this.waiters.splice(0)) waiter();
    });
    const reader = new TappedReader(this.child.stdout, (message) => {
      const id = (message as { id?: unknown }).id;
      if (typeof id === 'string' && id.startsWith(RAW_ID_PREFIX) && (message as { method?: unknown }).method === undefined) {
        this.rawResponses.set(id, message as ResponseMessage);
        for (const waiter of this.waiters.splice(0)) waiter();
      }
    });
    this.connection = createProtocolConnection(reader, new StreamMessageWriter(this.child.stdin));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      const list = this.diagnostics.get(params.uri) ?? [];
      list.push(params);
      this.diagnostics.set(params.uri, list);
      for (const waiter of this.waiters.splice(0)) waiter();
    });
    this.connection.listen();
  }

  async initialize(overrides: Partial<InitializeParams> = {}): Promise<void> {
    await this.connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {}, workspaceFolders: null, ...overrides });
    await this.connection.sendNotification('initialized', {});
  }

  async open(uri: string, text: string, version = 1): Promise<void> {
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'plan-yaml', version, text } });
  }

  /** Resolves with the first diagnostics published for `uri` that satisfy `accept` (any version by default). */
  async waitForDiagnostics(uri: string, accept: (params: PublishDiagnosticsParams) => boolean = () => true, timeoutMs = 10_000): Promise<PublishDiagnosticsParams> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = (this.diagnostics.get(uri) ?? []).find(accept);
      if (found) return found;
      if (this.exitCode !== undefined) throw new Error(`server exited (${this.exitCode}): ${this.stderr.join('')}`);
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`no matching diagnostics for ${uri} within ${timeoutMs} ms; got ${JSON.stringify(this.diagnostics.get(uri) ?? [])}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** The response to a request written with writeRaw (id starting with RAW_ID_PREFIX), waited for with a deadline. */
  async waitForRawResponse(id: string, timeoutMs = 10_000): Promise<ResponseMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.rawResponses.get(id);
      if (found) return found;
      if (this.exitCode !== undefined) throw new Error(`server exited (${this.exitCode}): ${this.stderr.join('')}`);
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`no response to ${id} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Every publishDiagnostics received so far for `uri`, in arrival order. */
  published(uri: string): readonly PublishDiagnosticsParams[] {
    return this.diagnostics.get(uri) ?? [];
  }

  /** Bytes written to the server's stdin as they are: several framed messages in one write, or garbage. */
  writeRaw(bytes: string | Buffer): void {
    this.child.stdin.write(bytes);
  }

  /** The server's process id (to read its memory, or to check it is still alive). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  async dispose(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((resolve) => setTimeout(resolve, 2000))]);
      await this.connection.sendNotification('exit');
    } catch {
      // already gone
    }
    this.connection.dispose();
    if (this.exitCode === undefined) this.child.kill();
  }
}
