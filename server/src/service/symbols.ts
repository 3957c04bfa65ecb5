import { type Node as YamlNode, type Pair } from 'yaml';
import type { PlanAnalysis } from './analysis';
import type { Entity, Goal, Milestone, Person, Risk, Task } from './model';
import { isScalar, spanOf } from './parse';
import { nameOf } from './rules/context';
import type { Location, Range, Span } from './types';

// The outline of one plan (document symbols) and the symbols of every plan
// (workspace symbols). LSP-shaped, so server.ts returns them as they are.

/** LSP SymbolKind numbers used by plans. */
export const PlanSymbolKind = {
  /** A section: Goals, Milestones, Risks, People. */
  section: 3, // Namespace
  goal: 14, // Constant
  milestone: 24, // Event
  task: 12, // Function
  risk: 23, // Struct
  person: 13, // Variable
} as const;

export type SymbolKindNumber = (typeof PlanSymbolKind)[keyof typeof PlanSymbolKind];

export interface DocumentSymbol {
  name: string;
  detail?: string;
  kind: SymbolKindNumber;
  /** The whole entity mapping (or section). */
  range: Range;
  /** The id (or person key, or section key). */
  selectionRange: Range;
  children: DocumentSymbol[];
}

export interface SymbolInformation {
  name: string;
  kind: SymbolKindNumber;
  location: Location;
  /** The plan the symbol is in: its `plan:` title, else its file name. */
  containerName: string;
}

const SECTIONS = [
  { key: 'goals', name: 'Goals' },
  { key: 'milestones', name: 'Milestones' },
  { key: 'risks', name: 'Risks' },
  { key: 'people', name: 'People' },
] as const;

/**
 * The outline: one group per section present in the file (Goals, Milestones,
 * Risks, People), in the order they appear; milestones hold their tasks and
 * tasks their subtasks.
 */
export function getDocumentSymbols(analysis: PlanAnalysis): DocumentSymbol[] {
  const { model } = analysis;
  const rootFields = model.header.fields;
  if (!rootFields) return [];
  const text = analysis.document.text;
  const range = (span: Span) => analysis.lines.rangeOf(trimEnd(text, span));

  const entitySymbol = (entity: Entity, children: DocumentSymbol[]): DocumentSymbol => {
    const full = spanOf(entity.fields.node) ?? entity.anchor;
    const symbol: DocumentSymbol = {
      name: oneLine(nameOf(entity)),
      kind: PlanSymbolKind[entity.kind],
      range: range(covering(full, entity.anchor)),
      selectionRange: range(entity.anchor),
      children,
    };
    if (entity.title && entity.id) symbol.detail = oneLine(entity.title.text);
    return symbol;
  };
  const taskSymbol = (task: Task): DocumentSymbol => entitySymbol(task, task.tasks.map(taskSymbol));
  const childrenOf: Record<(typeof SECTIONS)[number]['key'], () => DocumentSymbol[]> = {
    goals: () => model.goals.map((goal: Goal) => entitySymbol(goal, [])),
    milestones: () => model.milestones.map((milestone: Milestone) => entitySymbol(milestone, milestone.tasks.map(taskSymbol))),
    risks: () => model.risks.map((risk: Risk) => entitySymbol(risk, [])),
    people: () => [...model.people.values()].map((person) => personSymbol(analysis, person, range)),
  };

  const sections: { offset: number; symbol: DocumentSymbol }[] = [];
  for (const section of SECTIONS) {
    const pair = rootFields.pairs.get(section.key);
    const keySpan = rootFields.keySpans.get(section.key);
    if (!pair || !keySpan) continue;
    sections.push({
      offset: keySpan[0],
      symbol: {
        name: section.name,
        kind: PlanSymbolKind.section,
        range: range(pairSpan(pair, keySpan)),
        selectionRange: range(keySpan),
        children: childrenOf[section.key](),
      },
    });
  }
  return sections.sort((a, b) => a.offset - b.offset).map((section) => section.symbol);
}

function personSymbol(analysis: PlanAnalysis, person: Person, range: (span: Span) => Range): DocumentSymbol {
  const pair = findPersonPair(analysis, person);
  const symbol: DocumentSymbol = {
    name: person.key.text === '' ? '(empty key)' : oneLine(person.key.text),
    kind: PlanSymbolKind.person,
    range: range(pair ? covering(pairSpan(pair, person.key.span), person.key.span) : person.key.span),
    selectionRange: range(person.key.span),
    children: [],
  };
  const detail = personDetail(person);
  if (detail) symbol.detail = detail;
  return symbol;
}

function personDetail(person: Person): string | undefined {
  const parts = [person.name?.text, person.role?.text].filter((part): part is string => part !== undefined && part.trim() !== '');
  return parts.length > 0 ? oneLine(parts.join(', ')) : undefined;
}

function findPersonPair(analysis: PlanAnalysis, person: Person): Pair | undefined {
  const people = analysis.model.header.fields?.pairs.get('people')?.value as { items?: Pair[] } | null | undefined;
  return people?.items?.find((pair) => {
    const key = pair.key as YamlNode | null;
    const span = spanOf(key);
    return key && isScalar(key) && span && span[0] === person.key.span[0];
  });
}

/**
 * Workspace symbols: every goal, milestone, task, risk and person of the given
 * plans whose id (or person key) or title contains the query, ignoring case;
 * an id also matches when the query's letters appear in it in order
 * (`papi` → `payment-api`). Best matches first. The name is `id: title`, so an
 * editor that filters by name again still finds titles.
 */
export function getWorkspaceSymbols(analyses: PlanAnalysis[], query: string): SymbolInformation[] {
  const words = query.toLowerCase().split(/\s+/).filter((word) => word !== '');
  const compact = words.join('');
  const results: { score: number; order: number; symbol: SymbolInformation }[] = [];
  for (const analysis of analyses) {
    const { model } = analysis;
    const containerName = oneLine(model.header.title?.text || fileName(analysis.document.uri));
    const text = analysis.document.text;
    const candidates: { id: string; title: string | undefined; kind: SymbolKindNumber; span: Span }[] = [];
    for (const entity of [...model.goals, ...model.milestones, ...model.tasks, ...model.risks]) {
      if (!entity.id) continue;
      candidates.push({ id: entity.id.text, title: entity.title?.text, kind: PlanSymbolKind[entity.kind], span: covering(spanOf(entity.fields.node) ?? entity.anchor, entity.anchor) });
    }
    for (const person of model.people.values()) {
      if (person.key.text === '') continue;
      const pair = findPersonPair(analysis, person);
      candidates.push({ id: person.key.text, title: person.name?.text, kind: PlanSymbolKind.person, span: pair ? covering(pairSpan(pair, person.key.span), person.key.span) : person.key.span });
    }
    candidates.sort((a, b) => a.span[0] - b.span[0]);
    for (const candidate of candidates) {
      const score = matchScore(candidate.id, candidate.title, words, compact);
      if (score === undefined) continue;
      const title = candidate.title?.trim() ? oneLine(candidate.title) : undefined;
      results.push({
        score,
        order: results.length,
        symbol: {
          name: title ? `${oneLine(candidate.id)}: ${title}` : oneLine(candidate.id),
          kind: candidate.kind,
          location: { uri: analysis.document.uri, range: analysis.lines.rangeOf(trimEnd(text, candidate.span)) },
          containerName,
        },
      });
    }
  }
  return results.sort((a, b) => a.score - b.score || a.order - b.order).map((result) => result.symbol);
}

/** Lower is better; undefined when it does not match. An empty query matches everything. */
function matchScore(id: string, title: string | undefined, words: string[], compact: string): number | undefined {
  if (words.length === 0) return 0;
  const lowerId = id.toLowerCase();
  const lowerTitle = (title ?? '').toLowerCase();
  if (words.length === 1) {
    const [word] = words;
    if (lowerId === word) return 0;
    if (lowerId.startsWith(word)) return 1;
    if (lowerId.includes(word)) return 2;
    if (lowerTitle.includes(word)) return 3;
  } else if (words.every((word) => lowerId.includes(word) || lowerTitle.includes(word))) {
    return 3;
  }
  return isSubsequence(compact, lowerId) ? 4 : undefined;
}

function isSubsequence(needle: string, haystack: string): boolean {
  let position = 0;
  for (const character of needle) {
    position = haystack.indexOf(character, position);
    if (position === -1) return false;
    position++;
  }
  return true;
}

function fileName(uri: string): string {
  const path = uri.replace(/[?#].*$/, '');
  const name = path.slice(path.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

/** Key through value of a mapping entry (the key alone when the value is empty). */
function pairSpan(pair: Pair, keySpan: Span): Span {
  const value = spanOf(pair.value as YamlNode | null);
  return value && value[1] > keySpan[1] ? [keySpan[0], value[1]] : keySpan;
}

/** Block collections end after their trailing line break; a symbol ends at its last character. */
function trimEnd(text: string, span: Span): Span {
  let end = span[1];
  while (end > span[0] && /\s/.test(text[end - 1])) end--;
  return [span[0], end];
}

/** A span that surely contains `inner` (an alias can put the node elsewhere). */
function covering(outer: Span, inner: Span): Span {
  return [Math.min(outer[0], inner[0]), Math.max(outer[1], inner[1])];
}

/** Names and details are single-line. */
function oneLine(text: string): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  return clean === '' ? '(empty)' : clean;
}
