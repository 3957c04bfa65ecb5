import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type { PlanView } from './planView';

// Every custom message between the Blueprint client and server, in one place.

export interface PlanViewParams {
  uri: string;
}

/** Client → server: the computed plan of one plan file (open or on disk); null when it is not a plan the server can read. */
export namespace PlanViewRequest {
  export const method = 'blueprint/planView' as const;
  export const type = new RequestType<PlanViewParams, PlanView | null, void>(method);
}

export interface PlanChangedParams {
  uri: string;
  version: number;
}

/** Server → client: a plan was re-analysed; views showing it should ask for its PlanView again. */
export namespace PlanChangedNotification {
  export const method = 'blueprint/planChanged' as const;
  export const type = new NotificationType<PlanChangedParams>(method);
}
