import picomatch from 'picomatch';
import { formatDay } from './calendar';
import type { PlanAnalysis } from './analysis';
import type { Task } from './model';
import { statusOf } from './rules/context';
import type { Range, Span } from './types';

// Tasks' `links:` map code to work: which tasks cover a source file, and which
// links no longer match any file. Paths are relative to the workspace folder.

const WEB_ADDRESS = /^[a-z][a-z0-9+.-]*:/i;
const matcherCache = new Map<string, (path: string) => boolean>();
const MAX_CACHED_MATCHERS = 5000;

/** A compiled matcher for a link: a glob, or a path that also covers everything below it. */
function matcherFor(pattern: string): (path: string) => boolean {
  let matcher = matcherCache.get(pattern);
  if (!matcher) {
    const normalized = pattern.replace(/^\.\//, '').replace(/\/+$/, '');
    const glob = picomatch(normalized, { dot: true, windows: false });
    const isGlob = picomatch.scan(normalized).isGlob;
    matcher = isGlob ? glob : (path: string) => path === normalized || path.startsWith(`${normalized}/`);
    if (matcherCache.size >= MAX_CACHED_MATCHERS) matcherCache.clear();
    matcherCache.set(pattern, matcher);
  }
  return matcher;
}

/** Whether a link is a workspace path or glob (not a web address or another scheme). */
export function isPathLink(text: string): boolean {
  return text.trim() !== '' && !WEB_ADDRESS.test(text.trim());
}

export function linkMatches(pattern: string, relativePath: string): boolean {
  return isPathLink(pattern) && matcherFor(pattern.trim())(relativePath);
}

export interface CoveringTask {
  planUri: string;
  planTitle: string | undefined;
  id: string;
  title: string | undefined;
  owner: string | undefined;
  status: string;
  end: string;
  /** The link that matched. */
  link: string;
  /** The task's id in its plan, for revealing it. */
  selectionRange: Range;
}

/** Tasks whose `links` match a workspace-relative file path, across the given plans. */
export function getCoveringTasks(analyses: PlanAnalysis[], relativePath: string): CoveringTask[] {
  const covering: CoveringTask[] = [];
  for (const analysis of analyses) {
    for (const task of analysis.model.tasks) {
      const link = task.links.find((candidate) => linkMatches(candidate.text, relativePath));
      if (!link || !task.id) continue;
      covering.push({
        planUri: analysis.document.uri,
        planTitle: analysis.model.header.title?.text,
        id: task.id.text,
        title: task.title?.text,
        owner: task.owner?.text,
        status: statusOf(task),
        end: formatDay(analysis.schedule.items.get(task)!.end),
        link: link.text,
        selectionRange: analysis.lines.rangeOf(task.id.span),
      });
    }
  }
  return covering;
}

export interface StaleLink {
  task: Task;
  span: Span;
  text: string;
}

/** Links (paths and globs) for which `exists` finds no file. */
export function findStaleLinks(analysis: PlanAnalysis, exists: (pattern: string) => boolean): StaleLink[] {
  const stale: StaleLink[] = [];
  for (const task of analysis.model.tasks) {
    for (const link of task.links) {
      if (isPathLink(link.text) && !exists(link.text.trim())) stale.push({ task, span: link.span, text: link.text });
    }
  }
  return stale;
}
