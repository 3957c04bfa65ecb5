// Helpers for the in-VS-Code tests: wait on events with a deadline, never sleep.
import * as vscode from 'vscode';

/** The rule id of a diagnostic, whether `code` is a plain value or `{ value, target }` (a docs link). */
export function ruleId(diagnostic: vscode.Diagnostic): string | number | undefined {
  const code = diagnostic.code;
  return typeof code === 'object' && code !== null ? code.value : code;
}

export function describeDiagnostics(diagnostics: readonly vscode.Diagnostic[]): string {
  if (diagnostics.length === 0) return '(none)';
  return diagnostics
    .map((d) => `${d.source}/${String(ruleId(d))} [${vscode.DiagnosticSeverity[d.severity]}] ` +
      `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.message}`)
    .join('\n  ');
}

/**
 * Resolve with the diagnostics of `uri` as soon as `predicate` holds for them
 * (checked now and on every onDidChangeDiagnostics for that uri); reject
 * after `timeoutMs` with what was last seen.
 */
export function waitForDiagnostics(
  uri: vscode.Uri,
  predicate: (diagnostics: readonly vscode.Diagnostic[]) => boolean,
  what: string,
  timeoutMs = 20_000,
): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    let subscription: vscode.Disposable | undefined;
    const check = (): boolean => {
      const diagnostics = vscode.languages.getDiagnostics(uri);
      if (!predicate(diagnostics)) return false;
      clearTimeout(timer);
      subscription?.dispose();
      resolve(diagnostics);
      return true;
    };
    const timer = setTimeout(() => {
      subscription?.dispose();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what} on ${uri.path}; last seen:\n  ` +
        describeDiagnostics(vscode.languages.getDiagnostics(uri))));
    }, timeoutMs);
    subscription = vscode.languages.onDidChangeDiagnostics((event) => {
      if (event.uris.some((changed) => changed.toString() === uri.toString())) check();
    });
    check();
  });
}

export function workspaceFile(relativePath: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the test instance has no workspace folder open');
  return vscode.Uri.joinPath(folder.uri, relativePath);
}
