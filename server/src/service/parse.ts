import { parseAllDocuments, isAlias, isCollection, isMap, isPair, isScalar, isSeq, type Document, type Node as YamlNode, type Pair, type Scalar, type YAMLMap } from 'yaml';
import type { Span } from './types';

/** A YAML problem found while reading the text, before any plan semantics. */
export interface SyntaxProblem {
  span: Span;
  message: string;
  severity: 'error' | 'warning';
}

export interface ParsedPlan {
  text: string;
  /** The first YAML document, or undefined for an empty file. */
  document: Document.Parsed | undefined;
  /** Root mapping of the plan, when the document is one. */
  root: YAMLMap | undefined;
  problems: SyntaxProblem[];
  /** No anchors or aliases anywhere: the precondition of incremental re-parsing. */
  aliasFree: boolean;
}

// Plans are small, hand-written trees; anything deeper or wider than these is
// an accident or an attack, and is reported instead of walked.
export const MAX_DEPTH = 64;
const MAX_ALIAS_EXPANSION = 10_000;

export const YAML_OPTIONS = {
  version: '1.2',
  schema: 'core',
  merge: false,
  prettyErrors: false,
  uniqueKeys: true,
  keepSourceTokens: false,
} as const;

function friendlySyntaxMessage(code: string, message: string): string {
  switch (code) {
    case 'TAB_AS_INDENT':
      return 'Tabs are not allowed as indentation in YAML; indent with spaces.';
    case 'DUPLICATE_KEY':
      return 'This key appears twice in the same mapping; keep one of them.';
    case 'TAG_RESOLVE_FAILED':
      return `${message}; plans use plain YAML values, remove the tag.`;
    case 'RESOURCE_EXHAUSTION':
      // The YAML reader ran out of stack (thousands of nested levels): say so, not "Maximum call stack size exceeded".
      return 'Nested too deeply to read (thousands of levels); a plan never needs this, flatten it.';
    default:
      return message.endsWith('.') ? message : `${message}.`;
  }
}

export function parsePlanText(text: string): ParsedPlan {
  const problems: SyntaxProblem[] = [];
  let documents: ReturnType<typeof parseAllDocuments>;
  try {
    documents = parseAllDocuments(text, YAML_OPTIONS);
  } catch (error) {
    // The yaml parser recurses on nesting; pathological input can exhaust the stack.
    const end = Math.max(1, Math.min(text.indexOf('\n') === -1 ? text.length : text.indexOf('\n'), text.length));
    problems.push({ span: [0, end], message: `The file could not be read as YAML (${(error as Error).message}); it may be nested too deeply.`, severity: 'error' });
    return { text, document: undefined, root: undefined, problems, aliasFree: false };
  }
  const list = Array.isArray(documents) ? documents : [];
  const document = list[0] as Document.Parsed | undefined;
  for (const [index, doc] of list.entries()) {
    if (index > 0) {
      const range = doc.range ?? [0, 1];
      const start = range[0];
      const marker = text.startsWith('---', start) ? 3 : Math.max(1, Math.min(range[1], text.length) - start);
      problems.push({ span: [start, start + marker], message: 'A plan file holds one YAML document; move this second document into its own *.plan.yaml file.', severity: 'error' });
      continue;
    }
    for (const problem of problemsOf(doc, text)) problems.push(problem);
  }
  const contents = document?.contents ?? undefined;
  const root = contents && isMap(contents) ? contents : undefined;
  // Most plans have no `&` or `*` at all; only those that do are walked.
  const aliasFree = list.length === 1 && (!/[&*]/.test(text) || !root || isCleanTree(root));
  return { text, document, root, problems, aliasFree };
}

/** No anchors or aliases anywhere below the node. */
export function isCleanTree(node: YamlNode): boolean {
  if (isAlias(node)) return false;
  if ((node as { anchor?: string }).anchor) return false;
  if (isCollection(node)) {
    for (const item of node.items as unknown[]) {
      if (isPair(item)) {
        if (item.key && !isCleanTree(item.key as YamlNode)) return false;
        if (item.value && !isCleanTree(item.value as YamlNode)) return false;
      } else if (item && !isCleanTree(item as YamlNode)) return false;
    }
  }
  return true;
}

/** A parsed document's errors and warnings as problems; `offset` places a document parsed from a slice of `text`. */
export function problemsOf(doc: { errors: readonly { pos: [number, number]; code: string; message: string }[]; warnings: readonly { pos: [number, number]; code: string; message: string }[] }, text: string, offset = 0): SyntaxProblem[] {
  const problems: SyntaxProblem[] = [];
  let exhausted = false;
  for (const error of doc.errors) {
    // Running out of stack is reported once per nesting level that unwinds: one finding says it.
    if (error.code === 'RESOURCE_EXHAUSTION') {
      if (exhausted) continue;
      exhausted = true;
    }
    problems.push({ span: nonEmpty([error.pos[0] + offset, error.pos[1] + offset], text), message: friendlySyntaxMessage(error.code, error.message), severity: 'error' });
  }
  for (const warning of doc.warnings) {
    problems.push({ span: nonEmpty([warning.pos[0] + offset, warning.pos[1] + offset], text), message: friendlySyntaxMessage(warning.code, warning.message), severity: 'warning' });
  }
  return problems;
}

function nonEmpty(pos: [number, number], text: string): Span {
  const start = Math.min(pos[0], text.length);
  let end = Math.min(Math.max(pos[1], start), text.length);
  if (/^[\r\n]*$/.test(text.slice(start, end))) {
    // Nothing visible there (end of file, a line break after an unclosed bracket):
    // point at the last visible character before it instead.
    if (start < text.length && !/[\r\n]/.test(text[start])) return [start, start + 1];
    let before = start - 1;
    while (before > 0 && /[\r\n]/.test(text[before])) before--;
    return before >= 0 ? [before, before + 1] : [0, Math.min(1, text.length)];
  }
  // yaml marks some errors with one character; cover the whole word it starts (a duplicate key, a tag).
  if (end - start <= 1) {
    const word = /^[^\s:,[\]{}#]+/.exec(text.slice(start, start + 200));
    if (word) end = start + word[0].length;
  }
  return [start, end];
}

/** Resolves aliases with a budget so that alias bombs cannot blow up a walk. */
export class AliasResolver {
  private expanded = 0;
  exhausted = false;

  constructor(private readonly document: Document.Parsed | undefined) {}

  resolve(node: unknown): YamlNode | null | undefined {
    if (!isAlias(node)) return node as YamlNode | null | undefined;
    if (!this.document || this.exhausted) return undefined;
    const target = aliasTargetsOf(this.document).get(node);
    const weight = target && isCollection(target) ? target.items.length + 1 : 1;
    this.expanded += weight;
    if (this.expanded > MAX_ALIAS_EXPANSION) {
      this.exhausted = true;
      return undefined;
    }
    return target as YamlNode | undefined;
  }
}

// yaml's Alias.resolve walks the whole document for every alias: a few
// thousand aliases in a 100 KB file took a minute. One walk finds them all.
const aliasTargets = new WeakMap<Document.Parsed, Map<unknown, YamlNode | undefined>>();

/**
 * The node each alias of the document names: the last node anchored with
 * that name before the alias, in document order (as yaml resolves it).
 * Iterative, so deep nesting cannot overflow the stack. Documents with
 * aliases are never re-parsed in place (see incremental.ts), so this holds.
 */
function aliasTargetsOf(document: Document.Parsed): Map<unknown, YamlNode | undefined> {
  let targets = aliasTargets.get(document);
  if (targets) return targets;
  targets = new Map();
  const anchors = new Map<string, YamlNode>();
  const stack: unknown[] = [document.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!node || typeof node !== 'object') continue;
    if (isAlias(node)) {
      targets.set(node, anchors.get(node.source));
      continue;
    }
    if (isPair(node)) {
      stack.push(node.value, node.key);
      continue;
    }
    const anchor = (node as { anchor?: string }).anchor;
    if (anchor) anchors.set(anchor, node as YamlNode);
    if (isCollection(node)) for (let index = node.items.length - 1; index >= 0; index--) stack.push(node.items[index]);
  }
  aliasTargets.set(document, targets);
  return targets;
}

export function spanOf(node: YamlNode | Pair | null | undefined): Span | undefined {
  if (!node) return undefined;
  if (isPair(node)) {
    const keySpan = spanOf(node.key as YamlNode);
    const valueSpan = spanOf(node.value as YamlNode);
    if (keySpan && valueSpan) return [keySpan[0], valueSpan[1]];
    return keySpan ?? valueSpan;
  }
  const range = (node as { range?: [number, number, number] | null }).range;
  if (!range) return undefined;
  return [range[0], range[1]];
}

/** The text a scalar was written as: ids and references are read as source text. */
export function scalarText(node: Scalar, text: string): string {
  if (node.type === 'PLAIN' && node.range) return text.slice(node.range[0], node.range[1]);
  return node.value === null || node.value === undefined ? '' : String(node.value);
}

export { isMap, isScalar, isSeq, isPair };
