import * as vscode from 'vscode';
import { State, type BaseLanguageClient } from 'vscode-languageclient';
import type { PlanView } from '../../server/src/protocol/planView';
import { PlanChangedNotification, PlanViewRequest } from '../../server/src/protocol/requests';

/**
 * The computed plans the views show, fetched from the server. Plans are asked
 * for only while something shows them; `blueprint/planChanged` and file events
 * mark them stale, and listeners hear which uri changed. A failed request is
 * not cached, and when the server comes back after a crash every plan is
 * fetched again.
 */
export class PlanStore implements vscode.Disposable {
  private readonly plans = new Map<string, PlanView | null>();
  private readonly pending = new Map<string, Promise<PlanView | null>>();
  private readonly changed = new vscode.EventEmitter<string | undefined>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  /** Fires with the uri whose plan changed, or undefined when plan files came or went. */
  readonly onDidChangePlan = this.changed.event;

  constructor(private readonly client: BaseLanguageClient) {
    this.disposables.push(
      client.onNotification(PlanChangedNotification.type, (params) => this.invalidate(params.uri)),
      // The store is made once the client runs: a later move to Running is a restart (the server crashed).
      client.onDidChangeState((event) => {
        if (event.newState === State.Running && event.oldState !== State.Running) this.invalidateAll();
      }),
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
        () => undefined,
      )
      .then((plan) => {
        if (this.pending.get(uri) === request) {
          this.pending.delete(uri);
          // A failure (the server crashed or restarts) is asked again next time, not remembered as "not a plan".
          if (plan !== undefined) this.plans.set(uri, plan);
        }
        return plan ?? null;
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

  /** Forgets every plan (the server restarted); listeners hear `undefined`. */
  invalidateAll(): void {
    this.plans.clear();
    this.pending.clear();
    this.changed.fire(undefined);
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}
