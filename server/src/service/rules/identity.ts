import { nearest } from '../suggest';
import type { Reference } from '../model';
import type { ExternalResolution, RuleContext } from './context';

// duplicate-id, unknown-reference, multiple-owners, missing-owner

export function checkIdentity(context: RuleContext): void {
  const { model } = context;
  for (const [id, entities] of model.entitiesById) {
    const first = entities[0];
    for (const duplicate of entities.slice(1)) {
      const line = lineOf(context, first.anchor[0]);
      context.report({
        rule: 'duplicate-id',
        span: duplicate.anchor,
        message: `Duplicate id \`${id}\`: the ${first.kind} on line ${line} already uses it; ids must be unique in a plan, rename this one.`,
      });
    }
  }

  for (const reference of model.references) checkReference(context, reference);

  const owners = [
    { list: model.header.ownerList, label: 'The plan', hasContributors: false },
    ...[...model.goals, ...model.milestones, ...model.tasks, ...model.risks]
      .filter((entity) => entity.ownerList)
      .map((entity) => ({ list: entity.ownerList, label: `${capitalize(entity.kind)} \`${entity.id?.text ?? '?'}\``, hasContributors: entity.kind === 'task' })),
  ];
  for (const { list, label, hasContributors } of owners) {
    if (!list) continue;
    const names = list.references.map((reference) => reference.text);
    // The same person listed twice (or a list of one) has no one else to move.
    const otherNames = [...new Set(names.slice(1))].filter((name) => name !== names[0]);
    const others = otherNames.length > 1 ? 'the others' : `\`${otherNames[0] ?? ''}\``;
    // Only tasks have `contributors`; elsewhere the others are simply not owners.
    const keep = !names[0] ? 'name one person' : hasContributors && otherNames.length > 0 ? `keep \`${names[0]}\` as owner and move ${others} to \`contributors\`` : `keep \`${names[0]}\` as the one owner`;
    context.report({
      rule: 'multiple-owners',
      span: list.span,
      message: `${label} lists ${names.length} owner${names.length === 1 ? '' : 's'}; ownership stays with one person: ${keep}.`,
    });
  }

  for (const entity of [...model.goals, ...model.milestones, ...model.tasks, ...model.risks]) {
    if (entity.owner || entity.ownerList) continue;
    context.report({
      rule: 'missing-owner',
      span: entity.anchor,
      message: `${capitalize(entity.kind)} \`${entity.id?.text ?? '?'}\` has no owner; add \`owner:\` with the one person accountable for it.`,
    });
  }
}

function checkReference(context: RuleContext, reference: Reference): void {
  const { model } = context;
  if (reference.kind === 'person') {
    if (model.people.has(reference.text)) return;
    const suggestion = nearest(reference.text, model.people.keys());
    const fix = suggestion ? `did you mean \`${suggestion}\`?` : 'add them under `people` or fix the name.';
    context.report({ rule: 'unknown-reference', span: reference.span, message: `Unknown person \`${reference.text}\` in \`${reference.property}\`; ${fix}`, replacement: suggestion });
    return;
  }
  if (reference.file !== undefined) {
    const resolution = context.resolveExternal(reference);
    if (resolution.status === 'found') return;
    if (resolution.status === 'missing-file') {
      // A path is never URL-decoded: `..%2f` is three characters of a folder name, not `../`.
      const escaped = /%[0-9A-Fa-f]{2}/.test(resolution.path) ? '; `%` escapes are not decoded, so write it as plain text' : '';
      context.report({ rule: 'unknown-reference', span: reference.span, message: `No plan file \`${resolution.path}\` next to this one; fix the path (it is relative to this file${escaped}).` });
      return;
    }
    if (resolution.status !== 'missing-id') {
      const local = model.entitiesById.get(reference.id)?.[0];
      const localItem = local && (local.kind === 'task' || local.kind === 'milestone');
      context.report({ rule: 'unknown-reference', span: reference.span, message: crossFileProblem(resolution, reference.id, localItem === true), replacement: resolution.status === 'same-file' && localItem ? reference.id : undefined });
      return;
    }
    const suggestion = nearest(reference.id, resolution.candidates);
    const fix = suggestion ? `did you mean \`${suggestion}\`?` : `check the ids in ${resolution.path}.`;
    context.report({ rule: 'unknown-reference', span: reference.span, message: `\`${resolution.path}\` has no task or milestone \`${reference.id}\`; ${fix}`, replacement: suggestion ? `${reference.file}#${suggestion}` : undefined });
    return;
  }
  const wanted = reference.kind === 'goal' ? ['goal'] : ['task', 'milestone'];
  const target = model.entitiesById.get(reference.id)?.[0];
  if (target && wanted.includes(target.kind)) return;
  const candidates = [...model.entitiesById.entries()].filter(([, entities]) => wanted.includes(entities[0].kind)).map(([id]) => id);
  const suggestion = nearest(reference.id, candidates);
  const what = reference.kind === 'goal' ? 'goal' : 'task or milestone';
  const mismatch = target ? ` (\`${reference.id}\` is a ${target.kind})` : '';
  const fix = suggestion ? `did you mean \`${suggestion}\`?` : `name an existing ${what}.`;
  context.report({ rule: 'unknown-reference', span: reference.span, message: `Unknown ${what} \`${reference.id}\` in \`${reference.property}\`${mismatch}; ${fix}`, replacement: suggestion });
}

/** Why a cross-file reference reads nothing, and the fix. */
function crossFileProblem(resolution: Exclude<ExternalResolution, { status: 'found' | 'missing-file' | 'missing-id' }>, id: string, localItem: boolean): string {
  const path = `\`${resolution.path}\``;
  switch (resolution.status) {
    case 'not-relative': {
      const what = resolution.form === 'uri' ? 'a URI' : resolution.form === 'absolute' ? 'an absolute path' : 'a path with backslashes';
      return `${path} is ${what}; name another plan by its path relative to this file, with forward slashes (e.g. \`../platform.plan.yaml#${id}\`).`;
    }
    case 'same-file':
      return localItem
        ? `${path} is this file itself; write just \`${id}\`.`
        : `${path} is this file itself, which has no task or milestone \`${id}\`; name a local id without the path, or fix the path.`;
    case 'outside-workspace':
      return `${path} is outside the workspace folder, and Blueprint reads no plan there; move that plan into the workspace, or fix the path (it is relative to this file).`;
    case 'unreadable':
      return `${path} cannot be read (${resolution.reason}); make it a readable plan file, or fix the path (it is relative to this file).`;
  }
}

function lineOf(context: RuleContext, offset: number): number {
  let line = 1;
  const text = context.parsed.text;
  for (let index = text.indexOf('\n'); index !== -1 && index < offset; index = text.indexOf('\n', index + 1)) line++;
  return line;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
