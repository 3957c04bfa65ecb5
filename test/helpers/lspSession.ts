import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as path from 'node:path';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  PublishDiagnosticsNotification,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type InitializeParams,
} from 'vscode-languageserver-protocol/node';
import { repoRoot } from './fixtures';

export const serverBundle = path.join(repoRoot, 'dist', 'server.js');

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
  exitCode: number | null | undefined;

  constructor() {
    this.child = spawn(process.execPath, [serverBundle, '--stdio'], { stdio: 'pipe' });
    this.child.stderr.on('data', (chunk: Buffer) => this.stderr.push(chunk.toString()));
    this.child.on('exit', (code) => {
      this.exitCode = code;
      for (const waiter of this.waiters.splice(0)) waiter();
    });
    this.connection = createProtocolConnection(new StreamMessageReader(this.child.stdout), new StreamMessageWriter(this.child.stdin));
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
