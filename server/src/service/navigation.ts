import { URI } from 'vscode-uri';
import { resolveRelative, type PlanAnalysis } from './analysis';
import type { FeatureEnvironment } from './environment';
import type { Entity, Person, Reference } from './model';
import { crossFileDefinition, definitionOf, symbolAt, type SymbolAtOffset } from './symbolAt';
import type { Location, Position, Range, Span, TextEdit, WorkspaceEdit } from './types';

// Go to definition, find references, document highlights and rename, for ids
// (goals, milestones, tasks, risks) and person keys, across the plan files of
// the workspace. All of them start from symbolAt, so they agree on what the
// cursor is on, and all of them resolve references exactly as the rules do
// (the first entity with an id is its definition; `path#id` names a task or
// milestone of the file at `path`, relative to the referencing file).

/** LSP DocumentHighlightKind: the definition is written, references read. */
export const DocumentHighlightKind = { Text: 1, Read: 2, Write: 3 } as const;

export interface DocumentHighlight {
  range: Range;
  kind: 1 | 2 | 3;
}

export type PrepareRenameResult = { range: Range; placeholder: string } | { error: string };
export type RenameResult = WorkspaceEdit | { error: string };

/** Ids and person keys: what the schema accepts and what a rename may write. */
const NAME_PATTERN = /^[A-Za-z0-9_.-]+$/;
/** Names the YAML core schema would read as something other than text when written plain. */
const YAML_BOOLEAN = /^(?:true|True|TRUE|false|False|FALSE)$/;
const YAML_NULL = /^(?:null|Null|NULL)$/;

const NOT_A_SYMBOL = 'Nothing to rename here: put the cursor on the id of a goal, milestone, task or risk, on a person key under `people`, or on a reference to one of them.';

type TargetKind = 'person' | 'goal' | 'item' | 'risk';

/** What a navigation request is about: a symbol, defined (or not) in one file. */
interface Target {
  /** The file that defines the symbol (or would: an unknown reference still belongs to a file). */
  uri: string;
  /** That file's analysis; undefined when it cannot be read. */
  analysis: PlanAnalysis | undefined;
  kind: TargetKind;
  id: string;
  /** The definition; undefined for a reference that names nothing. */
  definition: Entity | Person | undefined;
}

/** Where a name sits in the text: `span` covers just the name when `exact`, else the whole scalar. */
interface NameSite {
  analysis: PlanAnalysis;
  /** The whole scalar, quotes included. */
  scalar: Span;
  /** The name itself (inside quotes, after `#`), or the whole scalar when it cannot be located. */
  span: Span;
  exact: boolean;
  /** The scalar's value and the name at its end. */
  value: string;
  name: string;
}

// ── public API ───────────────────────────────────────────────────────────

export function findDefinition(analysis: PlanAnalysis, position: Position, environment: FeatureEnvironment): Location[] {
  const symbol = symbolAtPosition(analysis, position);
  if (!symbol) return [];
  const target = targetOf(symbol, analysis, new PlanFiles(analysis, environment));
  if (!target?.definition || !target.analysis) return [];
  return [locationOf(definitionSite(target.analysis, target.definition))];
}

export function findReferences(analysis: PlanAnalysis, position: Position, environment: FeatureEnvironment, includeDeclaration: boolean): Location[] {
  const symbol = symbolAtPosition(analysis, position);
  if (!symbol) return [];
  const files = new PlanFiles(analysis, environment);
  const target = targetOf(symbol, analysis, files);
  if (!target) return [];
  const sites: NameSite[] = [];
  if (includeDeclaration && target.definition && target.analysis) sites.push(definitionSite(target.analysis, target.definition));
  for (const file of filesToSearch(target, files)) {
    for (const reference of referencesIn(file, target)) sites.push(referenceSite(file, reference));
  }
  return uniqueSites(sites).map(locationOf);
}

export function getDocumentHighlights(analysis: PlanAnalysis, position: Position): DocumentHighlight[] {
  const symbol = symbolAtPosition(analysis, position);
  if (!symbol) return [];
  // This file only: a cross-file target is matched by its file and id without reading that file.
  const target = targetOf(symbol, analysis, new PlanFiles(analysis, undefined));
  if (!target) return [];
  const highlights: { site: NameSite; kind: 1 | 2 | 3 }[] = [];
  if (target.definition && target.analysis === analysis) {
    highlights.push({ site: definitionSite(analysis, target.definition), kind: DocumentHighlightKind.Write });
  }
  for (const reference of referencesIn(analysis, target)) highlights.push({ site: referenceSite(analysis, reference), kind: DocumentHighlightKind.Read });
  const seen = new Set<string>();
  return highlights
    .filter(({ site }) => {
      const key = `${site.span[0]}:${site.span[1]}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => a.site.span[0] - b.site.span[0])
    .map(({ site, kind }) => ({ range: analysis.lines.rangeOf(site.span), kind }));
}

export function prepareRename(analysis: PlanAnalysis, position: Position): PrepareRenameResult {
  const symbol = symbolAtPosition(analysis, position);
  if (!symbol) return { error: NOT_A_SYMBOL };
  let site: NameSite;
  if (symbol.kind === 'reference') {
    const reference = symbol.reference;
    // A cross-file reference is checked against its file when the rename is made (this step has no workspace).
    if (reference.file === undefined && !definitionOf(analysis.model, reference)) return { error: unresolvedMessage(analysis, reference) };
    site = referenceSite(analysis, reference);
  } else {
    if (symbol.kind === 'entity' && !symbol.entity.id) return { error: NOT_A_SYMBOL };
    site = definitionSite(analysis, symbol.kind === 'entity' ? symbol.entity : symbol.person);
  }
  const problem = uneditable(site);
  if (problem) return { error: problem };
  return { range: analysis.lines.rangeOf(site.span), placeholder: site.name };
}

export function getRenameEdits(analysis: PlanAnalysis, position: Position, newName: string, environment: FeatureEnvironment): RenameResult {
  const symbol = symbolAtPosition(analysis, position);
  if (!symbol) return { error: NOT_A_SYMBOL };
  const files = new PlanFiles(analysis, environment);
  const target = targetOf(symbol, analysis, files);
  if (!target) return { error: NOT_A_SYMBOL };
  if (!target.definition || !target.analysis) {
    const reference = symbol.kind === 'reference' ? symbol.reference : undefined;
    if (reference?.file !== undefined) {
      return target.analysis
        ? { error: `Cannot rename \`${reference.id}\`: \`${reference.file}\` has no task or milestone with this id; fix the reference first.` }
        : { error: `Cannot rename \`${reference.id}\`: the plan file \`${reference.file}\` cannot be found (the path is relative to this file); fix the reference first.` };
    }
    return { error: reference ? unresolvedMessage(analysis, reference) : NOT_A_SYMBOL };
  }

  const problem = checkNewName(target as Target & { analysis: PlanAnalysis; definition: Entity | Person }, newName);
  if (problem) return { error: problem };
  if (newName === target.id) return { changes: {} };

  const sites: NameSite[] = [definitionSite(target.analysis, target.definition)];
  for (const file of filesToSearch(target, files)) {
    for (const reference of referencesIn(file, target)) sites.push(referenceSite(file, reference));
  }
  const changes: Record<string, TextEdit[]> = {};
  for (const site of uniqueSites(sites)) {
    const edit = renameEdit(site, newName);
    if (typeof edit === 'string') return { error: edit };
    (changes[site.analysis.document.uri] ??= []).push(edit);
  }
  return { changes };
}

// ── targets ──────────────────────────────────────────────────────────────

function symbolAtPosition(analysis: PlanAnalysis, position: Position): SymbolAtOffset | undefined {
  return symbolAt(analysis.model, analysis.lines.offsetAt(position));
}

function targetOf(symbol: SymbolAtOffset, analysis: PlanAnalysis, files: PlanFiles): Target | undefined {
  const uri = analysis.document.uri;
  switch (symbol.kind) {
    case 'entity': {
      const entity = symbol.entity;
      if (!entity.id) return undefined;
      return { uri, analysis, kind: kindOfEntity(entity), id: entity.id.text, definition: entity };
    }
    case 'person':
      return { uri, analysis, kind: 'person', id: symbol.person.key.text, definition: symbol.person };
    case 'reference': {
      const reference = symbol.reference;
      if (reference.file === undefined) {
        return { uri, analysis, kind: reference.kind, id: reference.id, definition: definitionOf(analysis.model, reference) };
      }
      const targetUri = resolveRelative(uri, reference.file);
      if (!targetUri) return undefined;
      const other = files.get(targetUri);
      return { uri: targetUri, analysis: other, kind: 'item', id: reference.id, definition: other ? crossFileDefinition(other.model, reference.id) : undefined };
    }
  }
}

function kindOfEntity(entity: Entity): TargetKind {
  return entity.kind === 'goal' ? 'goal' : entity.kind === 'risk' ? 'risk' : 'item';
}

/**
 * The references in one file that name the target, resolved as the rules resolve them:
 * local ones in the defining file, and `path#id` ones whose path leads to the defining file.
 */
function referencesIn(file: PlanAnalysis, target: Target): Reference[] {
  const sameFile = uriKey(file.document.uri) === uriKey(target.uri);
  return file.model.references.filter((reference) => {
    if (reference.file === undefined) {
      if (!sameFile || reference.kind !== target.kind) return false;
      const definition = definitionOf(file.model, reference);
      // An unknown reference still finds its namesakes (all unknown too), so a broken file stays navigable.
      return target.definition ? definition === target.definition : definition === undefined && reference.id === target.id;
    }
    if (target.kind !== 'item' || reference.id !== target.id) return false;
    const resolved = resolveRelative(file.document.uri, reference.file);
    if (!resolved || uriKey(resolved) !== uriKey(target.uri)) return false;
    // Without the other file (highlights, an unreadable file) the path and id decide.
    return !target.analysis || crossFileDefinition(target.analysis.model, reference.id) === target.definition;
  });
}

/** The defining file first, then the current one, then every other plan file (only tasks and milestones are referenced across files). */
function filesToSearch(target: Target, files: PlanFiles): PlanAnalysis[] {
  const uris = [target.uri, files.current.document.uri];
  if (target.kind === 'item') for (const uri of files.listPlanUris()) uris.push(uri);
  const seen = new Set<string>();
  const result: PlanAnalysis[] = [];
  for (const uri of uris) {
    const key = uriKey(uri);
    if (seen.has(key)) continue;
    seen.add(key);
    // Other files only matter for their cross-file references; local ones belong to the defining file.
    if (key !== uriKey(target.uri) && target.kind !== 'item') continue;
    const analysis = files.get(uri);
    if (analysis) result.push(analysis);
  }
  return result;
}

/** Analyses by uri for one request: the current document as given (it may be ahead of the workspace), others from the environment. */
class PlanFiles {
  private readonly cache = new Map<string, PlanAnalysis | undefined>();

  constructor(
    readonly current: PlanAnalysis,
    private readonly environment: FeatureEnvironment | undefined,
  ) {
    this.cache.set(uriKey(current.document.uri), current);
  }

  get(uri: string): PlanAnalysis | undefined {
    const key = uriKey(uri);
    if (!this.cache.has(key)) {
      let analysis: PlanAnalysis | undefined;
      try {
        analysis = this.environment?.analyzeUri(uri);
      } catch {
        analysis = undefined;
      }
      this.cache.set(key, analysis);
    }
    return this.cache.get(key);
  }

  listPlanUris(): string[] {
    try {
      return this.environment?.listPlanUris() ?? [];
    } catch {
      return [];
    }
  }
}

/** Uris compare in one canonical spelling (`file:///C:/…` and `file:///c%3A/…` are the same file). */
function uriKey(uri: string): string {
  try {
    return URI.parse(uri).toString();
  } catch {
    return uri;
  }
}

// ── name sites ───────────────────────────────────────────────────────────

function definitionSite(analysis: PlanAnalysis, definition: Entity | Person): NameSite {
  const value = 'key' in definition ? definition.key : definition.id!;
  return nameSite(analysis, value.span, value.text, value.text);
}

function referenceSite(analysis: PlanAnalysis, reference: Reference): NameSite {
  // A cross-file reference's name is the part after `#`.
  return nameSite(analysis, reference.span, reference.text, reference.id);
}

/** Locates `name` at the end of the scalar whose value is `value`: the scalar itself when plain, inside the quotes when quoted. */
function nameSite(analysis: PlanAnalysis, scalar: Span, value: string, name: string): NameSite {
  const raw = analysis.document.text.slice(scalar[0], scalar[1]);
  let inner: Span | undefined;
  if (raw === value) inner = scalar;
  else if (raw.length >= 2 && (raw[0] === '"' || raw[0] === "'") && raw.endsWith(raw[0]) && raw.slice(1, -1) === value) inner = [scalar[0] + 1, scalar[1] - 1];
  if (inner && value.endsWith(name)) return { analysis, scalar, span: [inner[1] - name.length, inner[1]], exact: true, value, name };
  // Escapes in a quoted scalar, a block scalar: the name cannot be pointed at, the scalar can.
  return { analysis, scalar, span: scalar, exact: false, value, name };
}

function locationOf(site: NameSite): Location {
  return { uri: site.analysis.document.uri, range: site.analysis.lines.rangeOf(site.span) };
}

function uniqueSites(sites: NameSite[]): NameSite[] {
  const seen = new Set<string>();
  return sites.filter((site) => {
    // Aliases make several references of one node.
    const key = `${uriKey(site.analysis.document.uri)}\n${site.span[0]}:${site.span[1]}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Why a site cannot be rewritten, if it cannot. */
function uneditable(site: NameSite): string | undefined {
  if (site.exact || isQuoted(site)) return undefined;
  const line = site.analysis.lines.positionAt(site.scalar[0]).line + 1;
  return `Cannot rename \`${site.name}\`: on line ${line} it is written as a block or multi-line scalar; write it on one line first.`;
}

function isQuoted(site: NameSite): boolean {
  const raw = site.analysis.document.text.slice(site.scalar[0], site.scalar[1]);
  return raw.length >= 2 && (raw[0] === '"' || raw[0] === "'") && raw.endsWith(raw[0]);
}

function renameEdit(site: NameSite, newName: string): TextEdit | string {
  const range = site.analysis.lines.rangeOf(site.span);
  if (site.exact) return { range, newText: newName };
  const problem = uneditable(site);
  if (problem) return problem;
  // A quoted scalar with escapes: rewrite it whole, in the same quoting style.
  const value = site.value.slice(0, site.value.length - site.name.length) + newName;
  const quote = site.analysis.document.text[site.scalar[0]];
  const newText = quote === '"' ? JSON.stringify(value) : `'${value.replace(/'/g, "''")}'`;
  return { range, newText };
}

// ── rename checks ────────────────────────────────────────────────────────

function checkNewName(target: Target & { analysis: PlanAnalysis; definition: Entity | Person }, newName: string): string | undefined {
  const isPerson = target.kind === 'person';
  const noun = isPerson ? 'person key' : 'id';
  if (newName === target.id) return undefined;
  if (newName.trim() === '') return `The new name is empty; ${isPerson ? 'a person key' : 'an id'} needs at least one letter, digit, '-', '_' or '.'.`;
  if (!NAME_PATTERN.test(newName)) return `\`${newName}\` is not a valid ${noun}: use only letters, digits, '-', '_' and '.'.`;
  if (YAML_BOOLEAN.test(newName)) return `\`${newName}\` would be read by YAML as a boolean, not as ${isPerson ? 'a person key' : 'an id'}; choose another name.`;
  if (YAML_NULL.test(newName)) return `\`${newName}\` would be read by YAML as an empty value, not as ${isPerson ? 'a person key' : 'an id'}; choose another name.`;
  if (newName === '-') return '`-` alone is not a valid YAML value; choose another name.';
  const model = target.analysis.model;
  if (isPerson) {
    const existing = model.people.get(newName);
    if (existing) return `\`${newName}\` is already a person under \`people\` (line ${lineOf(target.analysis, existing.key.span)}); choose another name.`;
    return undefined;
  }
  const existing = model.entitiesById.get(newName)?.[0];
  if (existing) {
    return `\`${newName}\` is already the id of the ${existing.kind} on line ${lineOf(target.analysis, existing.anchor)}; goals, milestones, tasks and risks share one set of ids, choose another name.`;
  }
  return undefined;
}

function unresolvedMessage(analysis: PlanAnalysis, reference: Reference): string {
  const what = reference.kind === 'person' ? 'person under `people`' : reference.kind === 'goal' ? 'goal' : 'task or milestone';
  return `Cannot rename \`${reference.id}\`: no ${what} in this plan has this ${reference.kind === 'person' ? 'key' : 'id'} (line ${lineOf(analysis, reference.span)}); fix the reference first.`;
}

function lineOf(analysis: PlanAnalysis, span: Span): number {
  return analysis.lines.positionAt(span[0]).line + 1;
}
