import type { Entity, PlanModel, Person, Reference } from './model';

// What the cursor is on, for every navigation feature: the definition of an
// id or a person key, or a reference to one. Shared by hover, definition,
// references, highlights and rename so they all agree.

export type SymbolAtOffset =
  | { kind: 'entity'; entity: Entity }
  | { kind: 'person'; person: Person }
  | { kind: 'reference'; reference: Reference };

/** Spans are [start, end); the cursor right after the last character still counts (as editors expect). */
function contains(span: readonly [number, number], offset: number): boolean {
  return offset >= span[0] && offset <= span[1];
}

export function symbolAt(model: PlanModel, offset: number): SymbolAtOffset | undefined {
  const references = model.references;
  // References are sorted by start: binary search the last one starting at or before the offset.
  let low = 0;
  let high = references.length - 1;
  let candidate = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (references[mid].span[0] <= offset) {
      candidate = mid;
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  for (let index = candidate; index >= 0 && index >= candidate - 1; index--) {
    if (contains(references[index].span, offset)) return { kind: 'reference', reference: references[index] };
  }
  for (const entities of model.entitiesById.values()) {
    for (const entity of entities) {
      if (entity.id && contains(entity.id.span, offset)) return { kind: 'entity', entity };
    }
  }
  for (const person of model.people.values()) {
    if (contains(person.key.span, offset)) return { kind: 'person', person };
  }
  return undefined;
}

/** The definition a local reference names, if any (cross-file references resolve through the workspace). */
export function definitionOf(model: PlanModel, reference: Reference): Entity | Person | undefined {
  if (reference.file !== undefined) return undefined;
  if (reference.kind === 'person') return model.people.get(reference.text);
  const entity = model.entitiesById.get(reference.id)?.[0];
  if (!entity) return undefined;
  if (reference.kind === 'goal') return entity.kind === 'goal' ? entity : undefined;
  return entity.kind === 'task' || entity.kind === 'milestone' ? entity : undefined;
}

/** Every local reference to the entity or person (by kind and id). */
export function referencesTo(model: PlanModel, target: Entity | Person): Reference[] {
  if ('key' in target) return model.references.filter((reference) => reference.kind === 'person' && reference.text === target.key.text);
  const id = target.id?.text;
  if (id === undefined) return [];
  const kind = target.kind === 'goal' ? 'goal' : target.kind === 'risk' ? undefined : 'item';
  if (!kind) return [];
  return model.references.filter((reference) => reference.kind === kind && reference.file === undefined && reference.id === id);
}

/** The task or milestone a cross-file reference `path#id` names in the other file's model, as the rules resolve it. */
export function crossFileDefinition(model: PlanModel, id: string): Entity | undefined {
  const entity = model.entitiesById.get(id)?.[0];
  return entity && (entity.kind === 'task' || entity.kind === 'milestone') ? entity : undefined;
}
