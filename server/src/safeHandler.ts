import { ResponseError, type Connection } from 'vscode-languageserver';

/**
 * Runs a handler so that a bug or bad input never takes the server down: an
 * exception is logged and the neutral value returned. A ResponseError (a refusal
 * the user must see) passes through.
 */
export function runSafe<T>(connection: Connection, what: string, fallback: T, handler: () => T): T {
  try {
    return handler();
  } catch (error) {
    if (error instanceof ResponseError) throw error;
    connection.console.error(`${what} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return fallback;
  }
}
