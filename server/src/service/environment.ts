import type { PlanAnalysis } from './analysis';

/** What workspace-wide features (cross-file definition, references, rename) may ask of the service. */
export interface FeatureEnvironment {
  /** The analysis of another plan file (open in the editor or on disk); undefined when unreadable. */
  analyzeUri(uri: string): PlanAnalysis | undefined;
  /** Every plan file in the workspace, the current one included. */
  listPlanUris(): string[];
}
