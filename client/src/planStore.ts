import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { PlanView } from '../../server/src/protocol/planView';
import { PlanChangedNotification, PlanViewRequest } from '../../server/src/protocol/requests';

/**
 * The computed plans the views show, fetched from the server. Plans are asked
 * for only while something shows them; `blueprint/planChanged` and file events
 * mark them stale, and listeners hear which uri changed.
 */
export class PlanStore implements vscode.Disposable {
  private readonly plans = new Map<string, PlanView | null>();
  private readonly pending = new Map<string, Promise<PlanView | null>>();
  private readonly changed = new vscode.EventEmitter<string | undefined>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  /** Fires with the uri whose plan changed, or undefined when plan files came or went. */
  readonly onDidChangePlan = this.changed.event;

  constructor(private readonly client: LanguageClient) {
    this.disposables.push(
      client.onNotification(PlanChangedNotification.type, (params) => this.invalidate(params.uri)),
    );
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.plan.{yaml,yml}');
    this.disposables.push(
      watcher,
      watcher.onDidChange((uri) => this.invalidate(uri.toString())),
      watcher.onDidCreate(() => this.changed.fire(undefined)),
      watcher.onDidDelete((uri) => {
        this.plans.delete(uri.toString());
        this.changed.fire(undefined);
      }),
    );
  }

  /** The plan of a file, from cache or the server; null when the server cannot read it as a plan. */
  get(uri: string): Promise<PlanView | null> {
    if (this.plans.has(uri)) return Promise.resolve(this.plans.get(uri)!);
    const inFlight = this.pending.get(uri);
    if (inFlight) return inFlight;
    const request = this.client
      .sendRequest(PlanViewRequest.type, { uri })
      .then(
        (plan) => plan,
        () => null,
      )
      .then((plan) => {
        if (this.pending.get(uri) === request) {
          this.pending.delete(uri);
          this.plans.set(uri, plan);
        }
        return plan;
      });
    this.pending.set(uri, request);
    return request;
  }

  /** The cached plan, without asking the server. */
  peek(uri: string): PlanView | null | undefined {
    return this.plans.get(uri);
  }

  invalidate(uri: string): void {
    this.plans.delete(uri);
    this.pending.delete(uri);
    this.changed.fire(uri);
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}
