import type { ErrorObject, ValidateFunction } from 'ajv';
import { isMap, isScalar, isSeq, type Node as YamlNode, type Pair } from 'yaml';
import * as generated from './generated/planValidators';
import { AliasResolver, MAX_DEPTH, scalarText, spanOf, type ParsedPlan } from './parse';
import { nearest } from './suggest';
import type { Span } from './types';

// The JSON Schema is the source of truth for the plan's shape. The YAML is
// turned into a plain instance; for each ajv error the key and value nodes
// its JSON pointer came from are found again by walking the YAML the same
// way, so the error lands on exact text. (Recording them for every pointer
// up front cost more than the validation itself on a big plan.)

export interface SchemaFinding {
  span: Span;
  message: string;
  /** The suggested replacement text (nearest key or allowed value), for a quick fix. */
  replacement?: string;
}

interface SourceNodes {
  key?: YamlNode;
  value?: YamlNode;
}

type JsonSchema = { [key: string]: unknown };

interface PlanValidators {
  /** The plan with each milestone accepted as is: milestones are validated one by one. */
  plan: ValidateFunction;
  milestone: ValidateFunction;
}

/**
 * Compiled from the schema at build time (scripts/generate-validators.mjs,
 * ajv standalone): nothing is compiled at run time, which saves the start-up
 * compile and ajv's compiler in memory, and needs no eval.
 */
function getPlanValidators(): PlanValidators {
  return { plan: generated.plan as ValidateFunction, milestone: generated.milestone as ValidateFunction };
}

/**
 * Schema findings of one milestone, by its YAML node. A milestone's findings
 * depend on its text alone, so an unchanged milestone keeps them (moved with
 * its text) from one version of the document to the next.
 */
export interface MilestoneSchemaPart {
  findings: SchemaFinding[];
  start: number;
}

export interface SchemaResult {
  findings: SchemaFinding[];
  milestoneParts: Map<YamlNode, MilestoneSchemaPart>;
}

/** Moves the parts that lie at or after `from` (previous text) by `delta`. */
export function moveSchemaParts(parts: Iterable<MilestoneSchemaPart>, from: number, delta: number): void {
  if (delta === 0) return;
  for (const part of parts) {
    if (part.start < from) continue;
    part.start += delta;
    for (const finding of part.findings) finding.span = [finding.span[0] + delta, finding.span[1] + delta];
  }
}

export function checkSchema(parsed: ParsedPlan, reuse?: ReadonlyMap<YamlNode, MilestoneSchemaPart>): SchemaResult {
  const milestoneParts = new Map<YamlNode, MilestoneSchemaPart>();
  const document = parsed.document;
  const contents = document?.contents;
  if (!contents) {
    return { findings: [{ span: firstLineSpan(parsed.text), message: 'This plan is empty; a plan needs at least `plan`, `owner` and `start`.' }], milestoneParts };
  }
  const builder = new InstanceBuilder(parsed);
  const instance = builder.toJson(contents, 0);
  const findings: SchemaFinding[] = [...builder.findings];
  if (!isMap(contents)) {
    const span = spanOf(contents) ?? [0, 0];
    return { findings: [{ span: clipToLine(span, parsed.text), message: 'A plan must be a mapping of keys (plan, owner, start, milestones, …), not a list or a single value.' }], milestoneParts };
  }
  const validators = getPlanValidators();
  validators.plan(instance);
  for (const finding of explainErrors(validators.plan.errors ?? [], new SourceFinder(parsed, '', contents), parsed.text)) findings.push(finding);
  for (const [index, node] of builder.milestones) {
    let part = reuse?.get(node);
    if (!part) {
      const milestoneBuilder = new InstanceBuilder(parsed);
      const pointer = `/milestones/${index}`;
      const milestone = milestoneBuilder.toJson(node, 2);
      const partFindings = [...milestoneBuilder.findings];
      validators.milestone(milestone);
      const errors = (validators.milestone.errors ?? []).map((error) => ({ ...error, instancePath: pointer + error.instancePath }));
      if (errors.length > 0) for (const finding of explainErrors(errors, new SourceFinder(parsed, pointer, node), parsed.text)) partFindings.push(finding);
      part = { findings: partFindings, start: node.range?.[0] ?? 0 };
    }
    milestoneParts.set(node, part);
    for (const finding of part.findings) findings.push(finding);
  }
  return { findings, milestoneParts };
}

class InstanceBuilder {
  readonly findings: SchemaFinding[] = [];
  /** The milestone nodes left out of the plan's instance, in order, to be validated one by one. */
  readonly milestones: [index: number, node: YamlNode][] = [];
  private readonly aliases: AliasResolver;
  private reportedAliasBomb = false;

  constructor(private readonly parsed: ParsedPlan) {
    this.aliases = new AliasResolver(parsed.document);
  }

  toJson(node: unknown, depth: number): unknown {
    const resolved = this.aliases.resolve(node);
    if (resolved === undefined && node) {
      if (this.aliases.exhausted && !this.reportedAliasBomb) {
        this.reportedAliasBomb = true;
        const span = spanOf(node as YamlNode);
        if (span) this.findings.push({ span, message: 'This alias expands too far (an alias bomb?); write the values out instead of repeating anchors.' });
      }
      return null;
    }
    const value = resolved as YamlNode | null;
    if (!value) return null;
    if (depth > MAX_DEPTH) {
      const span = spanOf(value);
      if (span) this.findings.push({ span: clipToLine(span, this.parsed.text), message: `Nested more than ${MAX_DEPTH} levels deep; a plan never needs this, flatten it.` });
      return null;
    }
    if (isMap(value)) {
      const object: Record<string, unknown> = Object.create(null);
      for (const pair of value.items as Pair[]) {
        const name = keyName(pair, this.aliases, this.parsed.text);
        if (Object.prototype.hasOwnProperty.call(object, name)) continue;
        if (depth === 0 && name === 'milestones') {
          const list = this.aliases.resolve(pair.value);
          if (list && isSeq(list)) {
            object[name] = list.items.map((item, index) => {
              this.milestones.push([index, item as YamlNode]);
              return {};
            });
            continue;
          }
        }
        object[name] = this.toJson(pair.value, depth + 1);
      }
      return object;
    }
    if (isSeq(value)) {
      return value.items.map((item) => this.toJson(item, depth + 1));
    }
    if (isScalar(value)) {
      const scalar = value.value;
      if (typeof scalar === 'number' || typeof scalar === 'string' || typeof scalar === 'boolean' || scalar === null) {
        return typeof scalar === 'number' && !Number.isFinite(scalar) ? scalarText(value, this.parsed.text) : scalar;
      }
      // Tags that resolve to other types (binary, timestamps) are text to a plan.
      return scalarText(value, this.parsed.text);
    }
    return null;
  }
}

/** A mapping key's name in the instance; a key that is not text (a list, a mapping) is named by its source text. */
function keyName(pair: Pair, aliases: AliasResolver, text: string): string {
  const keyNode = aliases.resolve(pair.key) ?? undefined;
  if (keyNode && isScalar(keyNode)) return scalarText(keyNode, text);
  const keySpan = spanOf(pair.key as YamlNode);
  return keySpan ? text.slice(keySpan[0], keySpan[1]) : '';
}

/**
 * The key and value nodes a JSON pointer of the instance came from, found by
 * walking the YAML as InstanceBuilder.toJson does: aliases resolved, the
 * first of repeated keys, `base` the pointer of `root`.
 */
class SourceFinder {
  private readonly aliases: AliasResolver;
  private readonly found = new Map<string, SourceNodes | undefined>();

  constructor(private readonly parsed: ParsedPlan, private readonly base: string, private readonly root: unknown) {
    this.aliases = new AliasResolver(parsed.document);
  }

  get(pointer: string): SourceNodes | undefined {
    if (this.found.has(pointer)) return this.found.get(pointer);
    const source = this.find(pointer);
    this.found.set(pointer, source);
    return source;
  }

  private find(pointer: string): SourceNodes | undefined {
    if (pointer !== this.base && !pointer.startsWith(`${this.base}/`)) return undefined;
    let source: SourceNodes = { value: (this.aliases.resolve(this.root) as YamlNode | null) ?? undefined };
    const rest = pointer.slice(this.base.length);
    const segments = rest === '' ? [] : rest.slice(1).split('/').map(unescapePointer);
    for (const segment of segments) {
      const node = source.value;
      if (node && isMap(node)) {
        const pair = (node.items as Pair[]).find((candidate) => keyName(candidate, this.aliases, this.parsed.text) === segment);
        if (!pair) return undefined;
        source = { key: (pair.key as YamlNode) ?? undefined, value: (this.aliases.resolve(pair.value) as YamlNode | null) ?? undefined };
      } else if (node && isSeq(node) && /^\d+$/.test(segment) && Number(segment) < node.items.length) {
        source = { value: (this.aliases.resolve(node.items[Number(segment)]) as YamlNode | null) ?? undefined };
      } else {
        return undefined;
      }
    }
    return source;
  }
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

function lastSegment(pointer: string): string {
  const segment = pointer.slice(pointer.lastIndexOf('/') + 1);
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

function firstLineSpan(text: string): Span {
  const newline = text.indexOf('\n');
  return [0, newline === -1 ? text.length : newline];
}

function clipToLine(span: Span, text: string): Span {
  const newline = text.indexOf('\n', span[0]);
  return [span[0], newline === -1 || newline > span[1] ? span[1] : newline];
}

function explainErrors(errors: ErrorObject[], sources: SourceFinder, text: string): SchemaFinding[] {
  // Union types (anyOf) produce one error per branch plus the anyOf itself:
  // report only the union's, which carries the human description.
  const unionSchemaPaths = errors.filter((error) => error.keyword === 'anyOf' || error.keyword === 'oneOf').map((error) => `${error.schemaPath}/`);
  const insideUnion = (error: ErrorObject) => unionSchemaPaths.some((prefix) => error.schemaPath.startsWith(prefix));
  const findings: SchemaFinding[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    if (error.keyword === 'if') continue;
    if (insideUnion(error)) continue;
    if (isCoveredByDedicatedRule(error, sources)) continue;
    const finding = explainError(error, sources, text);
    if (!finding) continue;
    const dedupeKey = `${finding.span[0]}:${finding.span[1]}:${finding.message}`;
    if (seen.has(dedupeKey)) continue;
    seen.add(dedupeKey);
    findings.push(finding);
  }
  return findings;
}

/** Each problem is reported once: these nodes belong to a dedicated rule. */
function isCoveredByDedicatedRule(error: ErrorObject, sources: SourceFinder): boolean {
  // A list as `owner` is multiple-owners, not a type error.
  if (lastSegment(error.instancePath) === 'owner') {
    const value = sources.get(error.instancePath)?.value;
    if (value && isSeq(value)) return true;
  }
  return false;
}

function explainError(error: ErrorObject, sources: SourceFinder, text: string): SchemaFinding | undefined {
  const source = sources.get(error.instancePath);
  const parentSchema = (error.parentSchema ?? {}) as JsonSchema;
  const key = lastSegment(error.instancePath);
  const label = error.instancePath === '' ? 'The plan' : /^\d+$/.test(key) ? describeListEntry(error.instancePath) : `\`${key}\``;
  const valueSpan = spanOf(source?.value);
  const keySpan = spanOf(source?.key);
  const onValue = valueSpan && valueSpan[1] > valueSpan[0] ? clipToLine(valueSpan, text) : keySpan ?? valueSpan;

  switch (error.keyword) {
    case 'additionalProperties': {
      const unknown = String((error.params as { additionalProperty: string }).additionalProperty);
      const unknownSource = sources.get(`${error.instancePath}/${escapePointer(unknown)}`);
      const span = spanOf(unknownSource?.key);
      if (!span) return undefined;
      if (unknown === '<<') return { span, message: 'Merge keys (`<<`) are not supported in plans; write the keys out.' };
      const known = Object.keys((parentSchema.properties as JsonSchema | undefined) ?? {});
      const suggestion = nearest(unknown, known);
      const where = error.instancePath === '' ? 'a plan' : describeObject(error.instancePath);
      const message = suggestion
        ? `Unknown property \`${unknown}\`; did you mean \`${suggestion}\`?`
        : `Unknown property \`${unknown}\` in ${where}; allowed: ${known.join(', ')}.`;
      return { span, message, replacement: suggestion };
    }
    case 'required': {
      const missing = String((error.params as { missingProperty: string }).missingProperty);
      const span = firstKeySpanOf(source?.value) ?? onValue;
      if (!span) return undefined;
      const customMessage = parentSchema['x-message'];
      if (typeof customMessage === 'string') return { span, message: customMessage };
      const where = error.instancePath === '' ? 'A plan' : capitalize(describeObject(error.instancePath));
      return { span, message: `${where} needs \`${missing}\`; add \`${missing}:\`.` };
    }
    case 'enum': {
      if (!onValue) return undefined;
      const allowed = ((error.params as { allowedValues: unknown[] }).allowedValues ?? []).map(String);
      const actual = typeof error.data === 'string' ? error.data : undefined;
      const suggestion = actual ? nearest(actual, allowed) : undefined;
      const hint = suggestion ? `; did you mean \`${suggestion}\`?` : '.';
      return { span: onValue, message: `${label} must be one of ${allowed.join(', ')}${hint}`, replacement: suggestion };
    }
    case 'anyOf':
    case 'oneOf': {
      const customMessage = parentSchema['x-message'];
      if (typeof customMessage === 'string') {
        const span = firstKeySpanOf(source?.value) ?? onValue;
        return span ? { span, message: customMessage } : undefined;
      }
      if (!onValue) return undefined;
      return { span: onValue, message: `${label} must be ${expectedOf(parentSchema)}.` };
    }
    case 'additionalItems':
    case 'uniqueItems': {
      if (!onValue) return undefined;
      return { span: onValue, message: `${label} lists the same value twice; remove the repeat.` };
    }
    case 'minItems': {
      if (!onValue) return undefined;
      return { span: onValue, message: `${label} must not be empty; ${expectedOf(parentSchema)}.` };
    }
    default: {
      if (!onValue) return undefined;
      return { span: onValue, message: `${label} must be ${expectedOf(parentSchema, error)}.` };
    }
  }
}

function expectedOf(schema: JsonSchema, error?: ErrorObject): string {
  const expected = schema['x-expected'];
  if (typeof expected === 'string') return expected;
  if (error) {
    switch (error.keyword) {
      case 'type':
        return `of type ${String((error.params as { type: string | string[] }).type).replace(',', ' or ')}`;
      case 'minimum':
      case 'maximum':
      case 'exclusiveMinimum':
      case 'exclusiveMaximum':
        return `${(error.params as { comparison: string }).comparison} ${(error.params as { limit: number }).limit}`;
      case 'minLength':
        return 'non-empty text';
      case 'pattern':
        return `text matching ${(error.params as { pattern: string }).pattern}`;
      case 'format':
        return `a valid ${(error.params as { format: string }).format}`;
      default:
        return error.message ?? 'valid';
    }
  }
  return 'valid';
}

function describeObject(pointer: string): string {
  const segments = pointer.split('/').slice(1);
  const last = segments[segments.length - 1];
  const container = segments[segments.length - 2];
  const kinds: Record<string, string> = { goals: 'goal', milestones: 'milestone', tasks: 'task', risks: 'risk', metrics: 'metric', tools: 'tool', changes: 'change' };
  if (/^\d+$/.test(last) && container && kinds[container]) return `a ${kinds[container]}`;
  if (container === 'people') return `person \`${last}\``;
  return `\`${last}\``;
}

function describeListEntry(pointer: string): string {
  const segments = pointer.split('/').slice(1);
  return `An entry of \`${segments[segments.length - 2] ?? 'list'}\``;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function firstKeySpanOf(node: YamlNode | undefined): Span | undefined {
  if (!node || !isMap(node)) return undefined;
  const first = node.items[0];
  return first ? spanOf(first.key as YamlNode) : spanOf(node);
}
