import { isMap, isScalar, isSeq, type Node as YamlNode, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import type { PlanAnalysis } from './analysis';
import type { Entity, FieldIndex, Reference, Task } from './model';
import { MAX_DEPTH, parsePlanText, spanOf, type ParsedPlan } from './parse';
import { statusOf } from './rules/context';
import { resolveLocalItem } from './scheduler';
import type { PlanDiagnostic, Range, Span, TextEdit, WorkspaceEdit } from './types';

// Quick fixes for the diagnostics that have one clear repair. Every fix is a
// small text edit computed from the source positions the parse kept, so
// comments, quoting and layout around it stay as they are; a fix whose result
// would not parse as cleanly as the text did is not offered.

export interface PlanCodeAction {
  title: string;
  kind: 'quickfix';
  diagnostics: PlanDiagnostic[];
  edit: WorkspaceEdit;
  isPreferred: boolean;
}

interface Fix {
  title: string;
  edits: Edit[];
  preferred: boolean;
  /** A check of the edited text's root mapping, for edits that build structure (a new section). */
  verify?: (root: YAMLMap | undefined) => boolean;
}

/** An edit in offsets; converted to a TextEdit at the end. */
interface Edit {
  span: Span;
  text: string;
}

/**
 * The quick fixes for `diagnostics` (those of the client's request context)
 * that touch `range`: `schema` (rename an unknown key, replace a bad enum
 * value), `unknown-reference` (use the suggested id; add a missing person to
 * `people`), `multiple-owners`, `dependency-cycle` (remove the entry) and
 * `status-mismatch` on `progress: 100`.
 */
export function getCodeActions(analysis: PlanAnalysis, range: Range, diagnostics: PlanDiagnostic[]): PlanCodeAction[] {
  const fixer = new Fixer(analysis);
  const actions: PlanCodeAction[] = [];
  const byKey = new Map<string, PlanCodeAction>();
  for (const diagnostic of diagnostics) {
    // The editor passes every diagnostic in range, other extensions' too.
    if ((diagnostic.source as string | undefined) !== 'blueprint' || !touches(diagnostic.range, range)) continue;
    let fixes: Fix[];
    try {
      fixes = fixer.fixesFor(diagnostic);
    } catch {
      // A fix is a convenience: unexpected input never breaks the request.
      fixes = [];
    }
    for (const fix of fixes) {
      if (fix.edits.length === 0 || !fixer.keepsYamlValid(fix)) continue;
      const edits: TextEdit[] = fix.edits.map((edit) => ({ range: analysis.lines.rangeOf(edit.span), newText: edit.text }));
      // The same fix for several diagnostics (one unknown person named twice) is offered once.
      const key = `${fix.title}\u0000${JSON.stringify(edits)}`;
      const existing = byKey.get(key);
      if (existing) {
        existing.diagnostics.push(diagnostic);
        continue;
      }
      const action: PlanCodeAction = { title: fix.title, kind: 'quickfix', diagnostics: [diagnostic], edit: { changes: { [analysis.document.uri]: edits } }, isPreferred: fix.preferred };
      byKey.set(key, action);
      actions.push(action);
    }
  }
  return actions;
}

function touches(a: Range, b: Range): boolean {
  const before = (x: Range['start'], y: Range['start']) => x.line < y.line || (x.line === y.line && x.character < y.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}

type Located =
  | { role: 'key'; pair: Pair; map: YAMLMap; node: YamlNode }
  | { role: 'value'; pair: Pair; map: YAMLMap; node: YamlNode }
  | { role: 'item'; seq: YAMLSeq; index: number; node: YamlNode };

class Fixer {
  private readonly text: string;
  private readonly eol: string;

  constructor(private readonly analysis: PlanAnalysis) {
    this.text = analysis.document.text;
    this.eol = this.text.includes('\r\n') ? '\r\n' : '\n';
  }

  fixesFor(diagnostic: PlanDiagnostic): Fix[] {
    const span: Span = [this.analysis.lines.offsetAt(diagnostic.range.start), this.analysis.lines.offsetAt(diagnostic.range.end)];
    const replacement = diagnostic.data?.replacement;
    switch (diagnostic.code) {
      case 'schema':
        return replacement ? this.schemaFix(span, replacement) : [];
      case 'unknown-reference':
        return this.unknownReferenceFixes(span, replacement);
      case 'multiple-owners':
        return this.multipleOwnersFix(span);
      case 'dependency-cycle':
        return this.dependencyCycleFix(span);
      case 'status-mismatch':
        return this.statusMismatchFix(span);
      default:
        return [];
    }
  }

  /** True when the edited text has no more YAML errors than the text had (and passes the fix's own check). */
  keepsYamlValid(fix: Fix): boolean {
    const errorCount = (parsed: ParsedPlan) => parsed.problems.filter((problem) => problem.severity === 'error').length;
    const edited = parsePlanText(applyEdits(this.text, fix.edits));
    if (errorCount(edited) > errorCount(this.analysis.parsed)) return false;
    return !fix.verify || fix.verify(edited.root);
  }

  // ── schema: unknown key, bad enum value ──────────────────────────────────

  private schemaFix(span: Span, replacement: string): Fix[] {
    const located = this.locate(span);
    if (!located || !isScalar(located.node)) return [];
    const old = this.text.slice(span[0], span[1]);
    if (located.role === 'key') {
      // Renaming onto a key the mapping already has would only trade one error for another.
      if (located.map.items.some((pair) => isScalar(pair.key) && String(pair.key.value) === replacement)) return [];
      return [{ title: `Rename \`${unquote(old)}\` to \`${replacement}\``, edits: [{ span, text: scalarLike(replacement, old) }], preferred: true }];
    }
    return [{ title: `Change \`${unquote(old)}\` to \`${replacement}\``, edits: [{ span, text: scalarLike(replacement, old) }], preferred: true }];
  }

  // ── unknown-reference ────────────────────────────────────────────────────

  private unknownReferenceFixes(span: Span, replacement: string | undefined): Fix[] {
    const reference = this.referenceAt(span);
    if (!reference) return [];
    const fixes: Fix[] = [];
    if (replacement && replacement !== reference.text) {
      fixes.push({ title: `Change \`${reference.text}\` to \`${replacement}\``, edits: [{ span: reference.span, text: scalarLike(replacement, this.source(reference.span)) }], preferred: true });
    }
    // Only a name that can be a person id (`carol, dave` is two people, not one to add).
    if (reference.kind === 'person' && PERSON_ID.test(reference.text) && !this.analysis.model.people.has(reference.text)) {
      const edits = this.addPersonEdits(reference.text);
      const key = reference.text;
      const verify = (root: YAMLMap | undefined) => {
        const people = root?.items.find((pair) => isScalar(pair.key) && pair.key.value === 'people')?.value;
        return isMap(people) && people.items.some((pair) => isScalar(pair.key) && String(pair.key.value) === key && isMap(pair.value));
      };
      if (edits) fixes.push({ title: `Add \`${key}\` to people`, edits, preferred: !replacement, verify });
    }
    return fixes;
  }

  private addPersonEdits(key: string): Edit[] | undefined {
    const root = this.analysis.parsed.root;
    if (!root || root.flow) return undefined;
    const keyText = scalarLike(key, '');
    // The name is text: a key like `42` is written "42" so that it stays a string.
    const nameText = /^[A-Za-z_]/.test(keyText) ? keyText : JSON.stringify(key);
    const flowEntry = `${keyText}: { name: ${nameText} }`;
    const peoplePair = root.items.find((pair) => isScalar(pair.key) && pair.key.value === 'people');
    if (!peoplePair) return this.createPeopleSection(root, flowEntry);
    const keySpan = spanOf(peoplePair.key as YamlNode)!;
    const value = peoplePair.value as YamlNode | null;
    if (!value || (isScalar(value) && value.value === null)) {
      const valueSpan = spanOf(value);
      if (valueSpan && valueSpan[1] > valueSpan[0]) return [{ span: valueSpan, text: `{ ${flowEntry} }` }];
      // `people:` with nothing after it: the entry goes on the next line.
      const indent = ' '.repeat(this.column(keySpan[0]) + this.indentUnit());
      return [this.insertLineAfter(keySpan[1], `${indent}${flowEntry}`)];
    }
    if (!isMap(value)) return undefined;
    const valueSpan = spanOf(value)!;
    const last = value.items[value.items.length - 1];
    if (value.flow) {
      if (!last) return [{ span: this.trimSpan(valueSpan), text: `{ ${flowEntry} }` }];
      const end = this.contentEnd(spanOf(last as Pair)!);
      return [{ span: [end, end], text: `, ${flowEntry}` }];
    }
    const first = value.items[0];
    const firstKey = spanOf(first.key as YamlNode);
    if (!firstKey) return undefined;
    const column = this.column(firstKey[0]);
    const lastValue = last.value as YamlNode | null;
    let entry = `${' '.repeat(column)}${flowEntry}`;
    if (lastValue && isMap(lastValue) && !lastValue.flow && lastValue.items.length > 0) {
      // Siblings written as block mappings: write this one the same way.
      const innerKey = spanOf(lastValue.items[0].key as YamlNode);
      const innerColumn = innerKey ? this.column(innerKey[0]) : column + this.indentUnit();
      entry = `${' '.repeat(column)}${keyText}:${this.eol}${' '.repeat(innerColumn)}name: ${nameText}`;
    }
    return [this.insertLineAfter(this.contentEnd(spanOf(last as Pair)!), entry)];
  }

  /** A new `people:` section, placed before `milestones` (or the first later section), else at the end. */
  private createPeopleSection(root: YAMLMap, flowEntry: string): Edit[] | undefined {
    const firstKey = root.items[0] ? spanOf(root.items[0].key as YamlNode) : undefined;
    const rootColumn = firstKey ? this.column(firstKey[0]) : 0;
    const indent = ' '.repeat(rootColumn);
    const section = `${indent}people:${this.eol}${indent}${' '.repeat(this.indentUnit())}${flowEntry}${this.eol}`;
    const later = ['milestones', 'risks', 'resources', 'constraints', 'changes'];
    const before = root.items.find((pair) => isScalar(pair.key) && later.includes(String(pair.key.value)));
    const lines = this.analysis.lines;
    if (before) {
      const keyOffset = spanOf(before.key as YamlNode)![0];
      if (this.text.slice(lines.lineStart(lines.positionAt(keyOffset).line), keyOffset).trim() !== '') return undefined;
      // Comment lines right above the section belong to it: go above them.
      let line = lines.positionAt(keyOffset).line;
      while (line > 0 && lines.lineText(line - 1).trim().startsWith('#')) line--;
      const separated = line > 0 && lines.lineText(line - 1).trim() === '';
      const offset = lines.lineStart(line);
      return [{ span: [offset, offset], text: section + (separated ? this.eol : '') }];
    }
    const blankBetweenSections = root.items.some((pair, index) => {
      if (index === 0) return false;
      const line = lines.positionAt(spanOf(pair.key as YamlNode)![0]).line;
      return line > 0 && lines.lineText(line - 1).trim() === '';
    });
    const end = this.text.length;
    const needsBreak = end > 0 && !this.text.endsWith('\n');
    return [{ span: [end, end], text: `${needsBreak ? this.eol : ''}${blankBetweenSections ? this.eol : ''}${section}` }];
  }

  // ── multiple-owners ──────────────────────────────────────────────────────

  private multipleOwnersFix(span: Span): Fix[] {
    const model = this.analysis.model;
    const holders: { fields: FieldIndex | undefined; list: Entity['ownerList']; entity: Entity | undefined }[] = [
      { fields: model.header.fields, list: model.header.ownerList, entity: undefined },
      ...[...model.goals, ...model.milestones, ...model.tasks, ...model.risks].map((entity) => ({ fields: entity.fields, list: entity.ownerList, entity })),
    ];
    const holder = holders.find((candidate) => candidate.list && candidate.list.span[0] === span[0] && candidate.list.span[1] === span[1]);
    if (!holder?.fields || !holder.list) return [];
    const ownerPair = holder.fields.pairs.get('owner');
    const seq = ownerPair?.value as YamlNode | null | undefined;
    if (!ownerPair || !seq || !isSeq(seq)) return [];
    const names = unique(holder.list.references.map((reference) => reference.text));
    if (names.length === 0) return [];
    const [owner, ...others] = names;
    const firstReference = holder.list.references[0];
    const ownerText = scalarLike(owner, this.source(firstReference.span));
    const replaceOwner = this.replaceValue(ownerPair, seq, ownerText);
    if (!replaceOwner) return [];
    // `owner: [ana, ana]`: nobody else to move or drop.
    if (others.length === 0) return [{ title: `Keep \`${owner}\` as the only owner`, edits: [replaceOwner], preferred: true }];
    const othersText = others.map((name) => `\`${name}\``).join(', ');

    if (holder.entity?.kind !== 'task') {
      // Only tasks have contributors: elsewhere, keeping one owner is the fix.
      return [{ title: `Keep \`${owner}\` as the only owner (drop ${othersText})`, edits: [replaceOwner], preferred: false }];
    }
    const task = holder.entity;
    const existing = new Set(task.contributors.map((reference) => reference.text));
    const toAdd = others.filter((name) => !existing.has(name));
    const title = `Keep \`${owner}\` as owner, move ${othersText} to contributors`;
    if (toAdd.length === 0) return [{ title, edits: [replaceOwner], preferred: true }];
    const added = toAdd.map((name) => scalarLike(name, ''));
    const contributorsPair = task.fields.pairs.get('contributors');
    if (contributorsPair) {
      const merge = this.mergeIntoList(contributorsPair, added);
      return merge ? [{ title, edits: [replaceOwner, ...merge], preferred: true }] : [];
    }
    if (task.fields.node.flow) {
      return [{ title, edits: [{ span: replaceOwner.span, text: `${replaceOwner.text}, contributors: [${added.join(', ')}]` }], preferred: true }];
    }
    const ownerKey = spanOf(ownerPair.key as YamlNode)!;
    const line = `${' '.repeat(this.column(ownerKey[0]))}contributors: [${added.join(', ')}]`;
    const insertion = this.insertLineAfter(this.contentEnd(spanOf(seq)!), line);
    if (insertion.span[0] === replaceOwner.span[1]) return [{ title, edits: [{ span: replaceOwner.span, text: replaceOwner.text + insertion.text }], preferred: true }];
    return [{ title, edits: [replaceOwner, insertion], preferred: true }];
  }

  /** Replaces a pair's value (flow or block) by a one-line scalar, keeping a comment on the key's line. */
  private replaceValue(pair: Pair, value: YamlNode, text: string): Edit | undefined {
    const valueSpan = spanOf(value);
    const keySpan = spanOf(pair.key as YamlNode);
    if (!valueSpan || !keySpan) return undefined;
    if (!isSeq(value) || value.flow) return { span: this.trimSpan(valueSpan), text };
    const colon = this.text.indexOf(':', keySpan[1]);
    if (colon === -1 || colon >= valueSpan[0]) return undefined;
    const between = this.text.slice(colon + 1, valueSpan[0]);
    const comment = /#.*$/m.exec(between);
    const end = this.contentEnd(valueSpan);
    return { span: [colon + 1, end], text: ` ${text}${comment ? `  ${comment[0].trimEnd()}` : ''}` };
  }

  /** Appends entries to a list value (flow, block, empty or missing), in the list's own style. */
  private mergeIntoList(pair: Pair, entries: string[]): Edit[] | undefined {
    const value = pair.value as YamlNode | null;
    const keySpan = spanOf(pair.key as YamlNode);
    if (!keySpan) return undefined;
    if (!value || (isScalar(value) && value.value === null)) {
      const valueSpan = spanOf(value);
      if (valueSpan && valueSpan[1] > valueSpan[0]) return [{ span: valueSpan, text: `[${entries.join(', ')}]` }];
      const colon = this.text.indexOf(':', keySpan[1]);
      return colon === -1 ? undefined : [{ span: [colon + 1, colon + 1], text: ` [${entries.join(', ')}]` }];
    }
    if (isScalar(value)) {
      const valueSpan = spanOf(value)!;
      return [{ span: valueSpan, text: `[${this.source(valueSpan)}, ${entries.join(', ')}]` }];
    }
    if (!isSeq(value)) return undefined;
    const valueSpan = spanOf(value)!;
    const last = value.items[value.items.length - 1] as YamlNode | undefined;
    if (value.flow) {
      if (!last) return [{ span: this.trimSpan(valueSpan), text: `[${entries.join(', ')}]` }];
      const end = this.contentEnd(spanOf(last)!);
      return [{ span: [end, end], text: `, ${entries.join(', ')}` }];
    }
    if (!last) return undefined;
    const dashColumn = this.column(valueSpan[0]);
    const lines = entries.map((entry) => `${' '.repeat(dashColumn)}- ${entry}`).join(this.eol);
    return [this.insertLineAfter(this.contentEnd(spanOf(last)!), lines)];
  }

  // ── dependency-cycle ─────────────────────────────────────────────────────

  private dependencyCycleFix(span: Span): Fix[] {
    const reference = this.referenceAt(span);
    if (!reference || reference.property !== 'depends_on' || !reference.holder) return [];
    const holder = reference.holder;
    if (holder.kind !== 'task' && holder.kind !== 'milestone') return [];
    const target = resolveLocalItem(this.analysis.model, reference);
    if (!target) return [];
    const pair = holder.fields.pairs.get('depends_on');
    const seq = pair?.value as YamlNode | null | undefined;
    if (!pair || !seq || !isSeq(seq)) return [];
    const index = seq.items.findIndex((item) => spanOf(item as YamlNode)?.[0] === reference.span[0]);
    if (index === -1) return [];
    const edits = this.removeListEntry(holder.fields, pair, seq, index);
    if (!edits) return [];
    // Depending on itself, its own milestone, a parent task or (for a milestone) its own task.
    const containing =
      target === holder ||
      (holder.kind === 'task' && (target === holder.milestone || ancestorsOf(holder).includes(target as Task))) ||
      (holder.kind === 'milestone' && holder.allTasks.includes(target as Task));
    const title = target === holder ? `Remove the self-dependency on \`${reference.text}\`` : `Remove \`${reference.text}\` from depends_on`;
    return [{ title, edits, preferred: containing }];
  }

  /** Removes one entry of a list, leaving a valid list; the last entry takes the key with it. */
  private removeListEntry(fields: FieldIndex, pair: Pair, seq: YAMLSeq, index: number): Edit[] | undefined {
    const items = seq.items.map((item) => spanOf(item as YamlNode));
    if (items.some((item) => !item)) return undefined;
    const spans = items as Span[];
    if (spans.length === 1) return this.removePair(fields, pair) ?? this.emptyList(pair, seq);
    if (seq.flow) {
      // `[a, b, c]`: take the entry with the separator after it, or before it for the last one.
      if (index < spans.length - 1) return [{ span: [spans[index][0], spans[index + 1][0]], text: '' }];
      return [{ span: [this.contentEnd(spans[index - 1]), this.contentEnd(spans[index])], text: '' }];
    }
    // Block list: the entry's whole line(s), a comment at its end included.
    const lines = this.analysis.lines;
    const start = lines.lineStart(lines.positionAt(spans[index][0]).line);
    if (this.text.slice(start, spans[index][0]).trim() !== '-') return undefined;
    return [{ span: [start, this.nextLineStart(this.contentEnd(spans[index]))], text: '' }];
  }

  /** Removes a key and its value: its whole lines, or up to the next key when it follows `- `. */
  private removePair(fields: FieldIndex, pair: Pair): Edit[] | undefined {
    if (fields.node.flow) return undefined;
    const keySpan = spanOf(pair.key as YamlNode);
    const valueSpan = spanOf(pair.value as YamlNode | null);
    if (!keySpan) return undefined;
    const end = this.contentEnd(valueSpan ?? keySpan);
    const lines = this.analysis.lines;
    const lineStart = lines.lineStart(lines.positionAt(keySpan[0]).line);
    const before = this.text.slice(lineStart, keySpan[0]);
    if (before.trim() === '') return [{ span: [lineStart, this.nextLineStart(end)], text: '' }];
    // `- depends_on: [x]` as the first key of a list entry: the next key moves up after the dash.
    const items = fields.node.items;
    const position = items.indexOf(pair);
    const next = items[position + 1];
    const nextKey = next ? spanOf(next.key as YamlNode) : undefined;
    if (!nextKey || this.text.slice(end, nextKey[0]).includes('#')) return undefined;
    return [{ span: [keySpan[0], nextKey[0]], text: '' }];
  }

  private emptyList(pair: Pair, seq: YAMLSeq): Edit[] | undefined {
    const edit = this.replaceValue(pair, seq, '[]');
    return edit ? [edit] : undefined;
  }

  // ── status-mismatch on progress: 100 ─────────────────────────────────────

  private statusMismatchFix(span: Span): Fix[] {
    const task = this.analysis.model.tasks.find((candidate) => candidate.progress && candidate.progress.span[0] === span[0] && candidate.progress.span[1] === span[1]);
    if (!task || statusOf(task) === 'done') return [];
    const title = 'Set `status: done`';
    const statusPair = task.fields.pairs.get('status');
    if (statusPair) {
      const value = statusPair.value as YamlNode | null;
      const valueSpan = spanOf(value);
      if (value && !isScalar(value)) return [];
      if (valueSpan && valueSpan[1] > valueSpan[0]) return [{ title, edits: [{ span: valueSpan, text: scalarLike('done', this.source(valueSpan)) }], preferred: true }];
      // `status:` with no value.
      const keySpan = spanOf(statusPair.key as YamlNode);
      const colon = keySpan ? this.text.indexOf(':', keySpan[1]) : -1;
      if (colon === -1) return [];
      return [{ title, edits: [{ span: [colon + 1, colon + 1], text: ' done' }], preferred: true }];
    }
    const progressKey = task.fields.keySpans.get('progress');
    if (!progressKey) return [];
    const text = task.fields.node.flow ? 'status: done, ' : `status: done${this.eol}${' '.repeat(this.column(progressKey[0]))}`;
    return [{ title, edits: [{ span: [progressKey[0], progressKey[0]], text }], preferred: true }];
  }

  // ── helpers ──────────────────────────────────────────────────────────────

  private referenceAt(span: Span): Reference | undefined {
    return this.analysis.model.references.find((reference) => reference.span[0] === span[0] && reference.span[1] === span[1]);
  }

  private source(span: Span): string {
    return this.text.slice(span[0], span[1]);
  }

  /** The key or scalar whose source is exactly `span`. */
  private locate(span: Span): Located | undefined {
    const same = (node: unknown) => {
      const nodeSpan = spanOf(node as YamlNode | null);
      return nodeSpan !== undefined && nodeSpan[0] === span[0] && nodeSpan[1] === span[1];
    };
    const walk = (node: unknown, depth: number): Located | undefined => {
      if (depth > MAX_DEPTH) return undefined;
      if (isMap(node)) {
        for (const pair of node.items) {
          if (same(pair.key)) return { role: 'key', pair, map: node, node: pair.key as YamlNode };
          if (isScalar(pair.value) && same(pair.value)) return { role: 'value', pair, map: node, node: pair.value };
          const found = walk(pair.value, depth + 1);
          if (found) return found;
        }
      } else if (isSeq(node)) {
        for (const [index, item] of node.items.entries()) {
          if (isScalar(item) && same(item)) return { role: 'item', seq: node, index, node: item };
          const found = walk(item, depth + 1);
          if (found) return found;
        }
      }
      return undefined;
    };
    return walk(this.analysis.parsed.document?.contents, 0);
  }

  private column(offset: number): number {
    return offset - this.analysis.lines.lineStart(this.analysis.lines.positionAt(offset).line);
  }

  /** The indentation step of the file: how far the first nested block mapping is indented. */
  private indentUnit(): number {
    const root = this.analysis.parsed.root;
    for (const pair of root?.items ?? []) {
      const value = pair.value as YamlNode | null;
      const key = spanOf(pair.key as YamlNode);
      if (!key || !value || !isMap(value) || value.flow || value.items.length === 0) continue;
      const inner = spanOf(value.items[0].key as YamlNode);
      if (inner) {
        const unit = this.column(inner[0]) - this.column(key[0]);
        if (unit > 0) return unit;
      }
    }
    return 2;
  }

  /** The end of a span without the line breaks and spaces block nodes carry. */
  private contentEnd(span: Span): number {
    let end = span[1];
    while (end > span[0] && /\s/.test(this.text[end - 1])) end--;
    return end;
  }

  private trimSpan(span: Span): Span {
    return [span[0], this.contentEnd(span)];
  }

  /** The start of the line after the one holding `offset`, or the end of the text. */
  private nextLineStart(offset: number): number {
    const newline = this.text.indexOf('\n', offset);
    return newline === -1 ? this.text.length : newline + 1;
  }

  /** Inserts a line (without its line break) after the line holding `offset`. */
  private insertLineAfter(offset: number, line: string): Edit {
    const newline = this.text.indexOf('\n', offset);
    if (newline === -1) return { span: [this.text.length, this.text.length], text: `${this.eol}${line}` };
    return { span: [newline + 1, newline + 1], text: `${line}${this.eol}` };
  }
}

function ancestorsOf(task: Task): Task[] {
  const result: Task[] = [];
  for (let parent = task.parent; parent; parent = parent.parent) result.push(parent);
  return result;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

const PERSON_ID = /^[A-Za-z0-9_.-]+$/;
const PLAIN_SAFE = /^[A-Za-z0-9_./][A-Za-z0-9_./#-]*$/;
const PLAIN_RESERVED = /^(?:true|false|null|~|yes|no|on|off)$/i;

/** `value` as YAML text, in the quoting style of the text it replaces when that was quoted. */
function scalarLike(value: string, original: string): string {
  if (original.startsWith('"')) return JSON.stringify(value);
  if (original.startsWith("'")) return `'${value.replace(/'/g, "''")}'`;
  return PLAIN_SAFE.test(value) && !PLAIN_RESERVED.test(value) ? value : JSON.stringify(value);
}

function unquote(text: string): string {
  if (text.length >= 2 && ((text.startsWith('"') && text.endsWith('"')) || (text.startsWith("'") && text.endsWith("'")))) return text.slice(1, -1);
  return text;
}

function applyEdits(text: string, edits: Edit[]): string {
  let result = text;
  for (const edit of [...edits].sort((a, b) => b.span[0] - a.span[0] || b.span[1] - a.span[1])) {
    result = result.slice(0, edit.span[0]) + edit.text + result.slice(edit.span[1]);
  }
  return result;
}
