import type { GraphQLFormattedError } from "graphql";

/**
 * `_entities` representations, deduplicated.
 *
 * The query planner sends one representation per occurrence of an entity in
 * the data collected so far: a view whose memberships name the same person or
 * organisation thousands of times makes the subgraph resolve that entity
 * thousands of times. The subgraph is asked for each distinct representation
 * once; its answers are fanned back out to every original position, and
 * errors at `["_entities", i, …]` are repeated for every position that shared
 * the representation, so the gateway sees exactly the response it would have
 * got for the full list.
 */

export interface DedupedRepresentations {
  /** Distinct representations, in order of first occurrence. */
  unique: unknown[];
  /** For every original position, its index in `unique`. */
  indexOf: number[];
}

/** Distinct representations (by their JSON, which the planner builds with a fixed key order). */
export function dedupeRepresentations(representations: readonly unknown[]): DedupedRepresentations {
  const seen = new Map<string, number>();
  const unique: unknown[] = [];
  const indexOf = new Array<number>(representations.length);
  for (let i = 0; i < representations.length; i++) {
    const representation = representations[i];
    const key = JSON.stringify(representation);
    let at = seen.get(key);
    if (at === undefined) {
      at = unique.length;
      seen.set(key, at);
      unique.push(representation);
    }
    indexOf[i] = at;
  }
  return { unique, indexOf };
}

interface EntitiesResponse {
  data?: Record<string, unknown> | null;
  errors?: ReadonlyArray<GraphQLFormattedError>;
}

/**
 * The response for the full list from the response for the distinct
 * representations. Entities are shared, not copied: every position of one
 * representation sits at the same path of the plan, so later fetches merge the
 * same fields into all of them anyway.
 */
export function fanOutEntities<R extends EntitiesResponse>(response: R, { unique, indexOf }: DedupedRepresentations): R {
  const entities = response.data?.["_entities"];
  let data = response.data;
  if (Array.isArray(entities) && entities.length === unique.length) {
    data = { ...response.data, _entities: indexOf.map((at) => entities[at]) };
  }
  let errors = response.errors;
  if (errors) {
    const positions = positionsByUnique(indexOf, unique.length);
    errors = errors.flatMap((error) => {
      const path = error.path;
      const at = path?.[1];
      if (!path || path[0] !== "_entities" || typeof at !== "number" || !positions[at]) return [error];
      return positions[at].map((position) => ({ ...error, path: ["_entities", position, ...path.slice(2)] }));
    });
  }
  return { ...response, data, ...(errors ? { errors } : {}) } as R;
}

function positionsByUnique(indexOf: readonly number[], uniqueCount: number): number[][] {
  const positions: number[][] = Array.from({ length: uniqueCount }, () => []);
  indexOf.forEach((at, position) => positions[at]!.push(position));
  return positions;
}
