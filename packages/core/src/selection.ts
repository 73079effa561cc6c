import { type GraphQLResolveInfo, getNamedType, isObjectType, Kind, type SelectionSetNode } from "graphql";

/** What of `GraphQLResolveInfo` the selection helpers read. */
export type SelectionInfo = Pick<GraphQLResolveInfo, "fieldNodes" | "fragments" | "returnType">;

/**
 * Names (not aliases) of the fields selected directly under the field being
 * resolved, over all of its field nodes (the same field asked for twice, or
 * by several fragments), with fragment spreads and inline fragments merged.
 * Conservative: a field under `@skip`/`@include` counts as selected whatever
 * the condition, and so does every field of a fragment whatever its type
 * condition. `null` when the selection cannot be told (a spread of a fragment
 * the document does not define): then everything counts as selected.
 */
export function selectedFieldNames(info: Pick<SelectionInfo, "fieldNodes" | "fragments">): ReadonlySet<string> | null {
  const names = new Set<string>();
  const spread = new Set<string>();
  let complete = true;
  const visit = (selectionSet: SelectionSetNode | undefined): void => {
    if (!selectionSet) return;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        names.add(selection.name.value);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        visit(selection.selectionSet);
      } else {
        const name = selection.name.value;
        if (spread.has(name)) continue;
        spread.add(name);
        const fragment = info.fragments[name];
        if (fragment) visit(fragment.selectionSet);
        else complete = false;
      }
    }
  };
  for (const node of info.fieldNodes) visit(node.selectionSet);
  return complete ? names : null;
}

/**
 * An entity's properties that a read may leave out, each with the GraphQL
 * fields (of the type the entity is returned as) that need it: the fields
 * that return it, and every field resolver that reads it. A property not
 * listed here is always read, so a field resolver reading an unlisted
 * property is never broken; a listed property whose list misses a field
 * that needs it is (list them all).
 */
export type OptionalProperties<T> = Partial<Record<keyof T & string, readonly string[]>>;

/**
 * The optional properties no selected field needs, for `findRows`'
 * `leaveOut`: what the current field's selection (`selectedFieldNames`)
 * does not ask for. Nothing when the selection cannot be told. Throws when a
 * listed field is not a field of the returned type (a misspelt name would
 * otherwise leave its property out of every read).
 */
export function propertiesToLeaveOut<T>(info: SelectionInfo, optional: OptionalProperties<T>): (keyof T & string)[] {
  const type = getNamedType(info.returnType);
  const fields = isObjectType(type) ? type.getFields() : undefined;
  const entries = Object.entries(optional) as [keyof T & string, readonly string[]][];
  for (const [property, needs] of entries) {
    const unknown = needs.find((field) => !fields?.[field]);
    if (unknown !== undefined) throw new Error(`optional property ${property}: ${type.name} has no field "${unknown}"`);
  }
  const selected = selectedFieldNames(info);
  if (!selected) return [];
  return entries.filter(([, needs]) => !needs.some((field) => selected.has(field))).map(([property]) => property);
}
