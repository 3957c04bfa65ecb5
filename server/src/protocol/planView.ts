// The computed plan as JSON: what the tree view, the timeline and the command
// line show. No imports, so it compiles for the webview too; dates are ISO
// strings and ranges are LSP ranges (0-based line, UTF-16 character).

export interface PlanViewRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

export type PlanViewStatus = 'planned' | 'in-progress' | 'blocked' | 'done' | 'dropped';

export interface PlanViewPerson {
  id: string;
  name?: string;
  role?: string;
  /** Percentage of their time: dedicated = 100, shared = 50. */
  allocation: number;
  range: PlanViewRange;
}

export interface PlanViewTask {
  id: string;
  title?: string;
  owner?: string;
  contributors: string[];
  start: string;
  end: string;
  /** Working days of its own duration (absent for tasks that span their subtasks). */
  workingDays?: number;
  slack: number;
  critical: boolean;
  status: PlanViewStatus;
  /** 0–100; for parents the duration-weighted mean of their subtasks. */
  progress: number;
  /** Percentage of the owner's time this task takes. */
  load?: number;
  dependsOn: string[];
  /** Its `links` entries as written: workspace-relative paths and globs, or web addresses. */
  links: string[];
  baseline?: { start?: string; end?: string };
  /** Whether start was written in the file (false: computed from dependencies). */
  explicitStart: boolean;
  /** Range of the whole task mapping, and of its id (what reveal selects). */
  range: PlanViewRange;
  selectionRange: PlanViewRange;
  tasks: PlanViewTask[];
}

export interface PlanViewMilestone {
  id: string;
  title?: string;
  owner?: string;
  due?: string;
  start: string;
  end: string;
  status: PlanViewStatus;
  progress: number;
  dependsOn: string[];
  goals: string[];
  range: PlanViewRange;
  selectionRange: PlanViewRange;
  tasks: PlanViewTask[];
}

export interface PlanViewGoal {
  id: string;
  title?: string;
  owner?: string;
  range: PlanViewRange;
  selectionRange: PlanViewRange;
}

export interface PlanViewRisk {
  id: string;
  title?: string;
  owner?: string;
  likelihood?: string;
  impact?: string;
  /** open (the default), mitigated, occurred or closed. */
  status: string;
  affects: string[];
  range: PlanViewRange;
  selectionRange: PlanViewRange;
}

export interface PlanView {
  uri: string;
  version: number;
  title?: string;
  owner?: string;
  start: string;
  end?: string;
  asOf: string;
  /** The latest computed end of all work. */
  computedEnd: string;
  workdays: string[];
  holidays: string[];
  criticalPath: string[];
  people: PlanViewPerson[];
  goals: PlanViewGoal[];
  milestones: PlanViewMilestone[];
  risks: PlanViewRisk[];
  problems: { errors: number; warnings: number; infos: number };
}
