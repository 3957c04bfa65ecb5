import type { SeveritySetting } from '../types';

// Rules are data: the table feeds diagnostics, the settings schema, the README
// rule table and the test that every rule has a fixture.

export const RULES = [
  { id: 'yaml-syntax', severity: 'error', doc: 'text that is not valid YAML (or more than one YAML document)' },
  { id: 'schema', severity: 'error', doc: 'a value the JSON Schema rejects: wrong type, unknown key (suggests the nearest known key), bad enum value (lists the allowed ones), bad date or duration, missing required key' },
  { id: 'duplicate-id', severity: 'error', doc: 'two goals, milestones, tasks or risks with the same id' },
  { id: 'unknown-reference', severity: 'error', doc: 'an owner, contributors, approved_by, depends_on, affects, goals or needed_by entry that names nothing (suggests the nearest id)' },
  { id: 'dependency-cycle', severity: 'error', doc: 'a cycle in depends_on (self-dependency, own milestone or ancestor task included); the message names the whole cycle' },
  { id: 'missing-owner', severity: 'warning', doc: 'a goal, milestone, task or risk with no owner' },
  { id: 'multiple-owners', severity: 'error', doc: 'an owner that is a list: ownership stays singular (use contributors)' },
  { id: 'date-order', severity: 'error', doc: 'end before start; end together with duration' },
  { id: 'dependency-order', severity: 'warning', doc: 'a task whose explicit start is on or before the end of one of its dependencies' },
  { id: 'milestone-overrun', severity: 'warning', doc: "a task that ends after its milestone's due, or a subtask after its parent task's end" },
  { id: 'outside-plan', severity: 'warning', doc: "work that starts before the plan's start or ends after its end" },
  { id: 'no-buffer', severity: 'info', doc: "the last milestone is due on the plan's end, leaving no buffer" },
  { id: 'over-allocation', severity: 'warning', doc: 'a person whose overlapping tasks exceed their allocation (dedicated = 100%, shared = 50%)' },
  { id: 'unmeasurable-goal', severity: 'warning', doc: 'a goal with no metric that has a target' },
  { id: 'untraced-work', severity: 'info', doc: 'a milestone or task that traces to no goal, directly or through its parent task or milestone' },
  { id: 'overdue', severity: 'warning', doc: 'a task that ends before as_of, or a milestone due before it, that is not done or dropped' },
  { id: 'behind-schedule', severity: 'info', doc: "progress more than 25 points below the elapsed share of the task's working days" },
  { id: 'status-mismatch', severity: 'warning', doc: 'progress: 100 but not done; done while a dependency is not done' },
  { id: 'baseline-variance', severity: 'info', doc: 'current end later than the baseline end' },
  { id: 'unmitigated-risk', severity: 'warning', doc: 'a risk with no response' },
  { id: 'unconfirmed-resource', severity: 'warning', doc: 'a tool not confirmed, needed by work that has started or starts within 10 working days of as_of; a budget not approved once work starts' },
  { id: 'stale-link', severity: 'off', doc: "a task's links entry (path or glob) that matches no file in the workspace; off by default, since a plan may name code not written yet" },
] as const satisfies readonly { id: string; severity: SeveritySetting; doc: string }[];

export type RuleId = (typeof RULES)[number]['id'];

export const RULE_IDS: readonly RuleId[] = RULES.map((rule) => rule.id);

export const DEFAULT_SEVERITY: Readonly<Record<RuleId, SeveritySetting>> = Object.fromEntries(RULES.map((rule) => [rule.id, rule.severity])) as Record<RuleId, SeveritySetting>;

export function isRuleId(value: string): value is RuleId {
  return (RULE_IDS as readonly string[]).includes(value);
}

export type RuleSeverities = Partial<Record<RuleId, SeveritySetting>>;

const SEVERITY_SETTINGS: readonly string[] = ['error', 'warning', 'info', 'off'];

/**
 * Reads rule settings from untrusted JSON (blueprint.json, user settings):
 * known rule ids with a known severity are kept, everything else is reported.
 */
export function readRuleSeverities(raw: unknown): { severities: RuleSeverities; problems: string[] } {
  const severities: RuleSeverities = {};
  const problems: string[] = [];
  if (raw === undefined || raw === null) return { severities, problems };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    return { severities, problems: ['`rules` must be an object mapping rule ids to error, warning, info or off.'] };
  }
  for (const [id, value] of Object.entries(raw as Record<string, unknown>)) {
    if (!isRuleId(id)) {
      problems.push(`Unknown rule id \`${id}\`.`);
      continue;
    }
    const normalized = value === 'information' ? 'info' : value;
    if (typeof normalized !== 'string' || !SEVERITY_SETTINGS.includes(normalized)) {
      problems.push(`Rule \`${id}\`: severity must be error, warning, info or off.`);
      continue;
    }
    severities[id] = normalized as SeveritySetting;
  }
  return { severities, problems };
}
