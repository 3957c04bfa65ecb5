// A minimal LSP client over stdio for the benchmark: JSON-RPC framing, a
// deadline on every wait, every publishDiagnostics kept with its arrival time,
// and the server's memory read from /proc. No dependency, so what it measures
// is the server and not a client library.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/** Every server this process started, killed on exit whatever happens. */
const live = new Set();
let exitHookInstalled = false;
function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  const killAll = () => {
    for (const child of live) {
      try {
        child.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  process.on('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      killAll();
      process.exit(130);
    });
  }
}

/**
 * @typedef {{ uri: string, version?: number, diagnostics: any[] }} PublishDiagnosticsParams
 * @typedef {{ seq: number, at: number, params: PublishDiagnosticsParams }} Publication
 * @typedef {{ rssKiB: number, hwmKiB: number }} Memory
 */

export class LspClient {
  /**
   * @param {object} options
   * @param {string} options.name shown in error messages
   * @param {string} options.command
   * @param {string[]} options.args
   * @param {string} [options.cwd]
   * @param {(method: string, params: any) => any} [options.onRequest] answers server → client requests
   */
  constructor({ name, command, args, cwd, onRequest }) {
    installExitHook();
    this.name = name;
    this.onRequest = onRequest ?? (() => null);
    /** @type {Publication[]} */
    this.publications = [];
    this.seq = 0;
    this.nextId = 1;
    /** @type {Map<number, { resolve: (value: any, bytes: number) => void, reject: (error: Error) => void, method: string }>} */
    this.pending = new Map();
    /** @type {Set<() => void>} */
    this.waiters = new Set();
    this.stderrTail = '';
    /** @type {number | null | undefined} */
    this.exitCode = undefined;
    this.exitSignal = undefined;
    /** @type {Buffer} */
    this.buffer = Buffer.alloc(0);
    this.child = spawn(command, args, { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    live.add(this.child);
    this.pid = this.child.pid;
    this.spawnError = undefined;
    this.child.on('error', (error) => {
      this.spawnError = error;
      this.onExit(null, null);
    });
    this.child.on('exit', (code, signal) => this.onExit(code, signal));
    this.child.stdin.on('error', () => {
      // EPIPE after the server died: reported by the exit handler.
    });
    this.child.stderr.on('data', (chunk) => {
      this.stderrTail = (this.stderrTail + chunk.toString()).slice(-4000);
    });
    this.child.stdout.on('data', (chunk) => this.onData(chunk));
  }

  /** @param {number | null} code @param {NodeJS.Signals | null} signal */
  onExit(code, signal) {
    if (this.exitCode !== undefined) return;
    this.exitCode = code;
    this.exitSignal = signal;
    live.delete(this.child);
    const error = new Error(`${this.name} exited (${this.spawnError ? this.spawnError.message : signal ?? code})${this.stderrTail ? `; its stderr ends with:\n${this.stderrTail}` : ''}`);
    for (const entry of this.pending.values()) entry.reject(error);
    this.pending.clear();
    this.notifyWaiters();
  }

  notifyWaiters() {
    for (const waiter of [...this.waiters]) waiter();
  }

  /** @param {Buffer} chunk */
  onData(chunk) {
    const at = performance.now();
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const header = this.buffer.subarray(0, headerEnd).toString('ascii');
      const match = /Content-Length: *(\d+)/i.exec(header);
      if (!match) throw new Error(`${this.name}: bad header ${JSON.stringify(header)}`);
      const length = Number(match[1]);
      const start = headerEnd + 4;
      if (this.buffer.length < start + length) return;
      const body = this.buffer.subarray(start, start + length).toString('utf8');
      this.buffer = this.buffer.subarray(start + length);
      this.onMessage(JSON.parse(body), at, length);
    }
  }

  /** @param {any} message @param {number} at @param {number} bytes */
  onMessage(message, at, bytes) {
    if (message.id !== undefined && message.method === undefined) {
      const entry = this.pending.get(message.id);
      if (!entry) return;
      this.pending.delete(message.id);
      if (message.error) entry.reject(new Error(`${this.name}: ${entry.method} failed: ${message.error.message}`));
      else entry.resolve(message.result, bytes);
      return;
    }
    if (message.id !== undefined) {
      // A request from the server (configuration, registrations, progress): answer at once.
      let result = null;
      try {
        result = this.onRequest(message.method, message.params) ?? null;
      } catch {
        result = null;
      }
      this.write({ jsonrpc: '2.0', id: message.id, result });
      return;
    }
    if (message.method === 'textDocument/publishDiagnostics') {
      this.publications.push({ seq: ++this.seq, at, params: message.params });
      this.notifyWaiters();
    }
  }

  /** @param {object} message */
  write(message) {
    if (this.exitCode !== undefined) throw new Error(`${this.name} is not running${this.stderrTail ? `; its stderr ends with:\n${this.stderrTail}` : ''}`);
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    this.child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.child.stdin.write(body);
  }

  /**
   * @param {string} method
   * @param {any} params
   * @param {number} timeoutMs
   * @returns {Promise<any>}
   */
  async request(method, params, timeoutMs) {
    return (await this.requestWithSize(method, params, timeoutMs)).result;
  }

  /**
   * @param {string} method @param {any} params @param {number} timeoutMs
   * @returns {Promise<{ result: any, bytes: number }>} the result and the size of the response's JSON
   */
  requestWithSize(method, params, timeoutMs) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.name}: no answer to ${method} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        method,
        resolve: (value, bytes) => {
          clearTimeout(timer);
          resolve({ result: value, bytes });
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      try {
        this.write({ jsonrpc: '2.0', id, method, params });
      } catch (error) {
        this.pending.delete(id);
        clearTimeout(timer);
        reject(error);
      }
    });
  }

  /**
   * A request timed from just before it is written to the moment its answer arrives.
   * @param {string} method @param {any} params @param {number} timeoutMs
   * @returns {Promise<{ ms: number, result: any, bytes: number }>}
   */
  async timedRequest(method, params, timeoutMs) {
    const start = performance.now();
    const { result, bytes } = await this.requestWithSize(method, params, timeoutMs);
    return { ms: performance.now() - start, result, bytes };
  }

  /** @param {string} method @param {any} params */
  notify(method, params) {
    this.write({ jsonrpc: '2.0', method, params });
  }

  /**
   * Resolves with the first publication that satisfies `accept`, or rejects after `timeoutMs`
   * or when the server exits.
   * @param {(publication: Publication) => boolean} accept
   * @param {number} timeoutMs
   * @param {string} what for the error message
   * @returns {Promise<Publication>}
   */
  waitForPublication(accept, timeoutMs, what) {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.publications.find(accept);
        if (found) {
          finish();
          resolve(found);
        } else if (this.exitCode !== undefined) {
          finish();
          reject(new Error(`${this.name} exited while waiting for ${what}${this.stderrTail ? `; its stderr ends with:\n${this.stderrTail}` : ''}`));
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`${this.name}: no ${what} within ${timeoutMs < 10_000 ? (timeoutMs / 1000).toFixed(1) : Math.round(timeoutMs / 1000)} s (the server hung or is far slower than expected)`));
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  /** @param {object} params InitializeParams @param {number} timeoutMs */
  async initialize(params, timeoutMs) {
    const result = await this.request('initialize', params, timeoutMs);
    this.notify('initialized', {});
    return result;
  }

  /** The server process's current and peak resident memory, from /proc/<pid>/status. @returns {Memory} */
  memory() {
    if (this.exitCode !== undefined) throw new Error(`${this.name} is not running`);
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const read = (/** @type {string} */ key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssKiB: read('VmRSS'), hwmKiB: read('VmHWM') };
  }

  /** Polite shutdown with a deadline, then SIGKILL; never leaves the process behind. */
  async stop() {
    if (this.exitCode === undefined) {
      try {
        await this.request('shutdown', null, 3000);
        this.notify('exit', null);
      } catch {
        // hung or gone: killed below
      }
      await new Promise((resolve) => {
        if (this.exitCode !== undefined) return resolve(undefined);
        const timer = setTimeout(() => {
          this.child.kill('SIGKILL');
          // SIGKILL cannot be ignored; the exit event follows at once.
          setTimeout(resolve, 1000);
        }, 2000);
        this.child.once('exit', () => {
          clearTimeout(timer);
          resolve(undefined);
        });
      });
    }
    live.delete(this.child);
  }
}
