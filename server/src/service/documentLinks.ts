import type { PlanAnalysis } from './analysis';
import type { Range } from './types';
import { isWorkspaceRelative } from '../protocol/linkPatterns';

export { braceAlternatives, isGlobPattern, isWorkspaceRelative } from '../protocol/linkPatterns';

// `links:` entries of tasks: a web address opens in the browser; a path or
// glob is resolved by the host (the service has no file system) to the first
// file it matches, relative to the workspace folder.

export interface PlanLinkCandidate {
  range: Range;
  /** A web address (http or https), ready to open. */
  url?: string;
  /** A workspace-relative path or glob, for the host to resolve. */
  pattern?: string;
}

const WEB_ADDRESS = /^https?:\/\/[^\s]+$/i;
export function getLinkCandidates(analysis: PlanAnalysis): PlanLinkCandidate[] {
  const candidates: PlanLinkCandidate[] = [];
  for (const task of analysis.model.tasks) {
    for (const link of task.links) {
      const text = link.text.trim();
      if (text === '') continue;
      const range = analysis.lines.rangeOf(link.span);
      if (WEB_ADDRESS.test(text)) candidates.push({ range, url: text });
      else if (isWorkspaceRelative(text)) candidates.push({ range, pattern: text });
    }
  }
  return candidates;
}
