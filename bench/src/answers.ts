import { isDeepStrictEqual } from "node:util";
import type pg from "pg";
import type { ViewName } from "../../views/index.ts";
import { REFERENCE_QUERIES } from "./reference-queries.ts";

/**
 * Where two answers first differ, as a path and both values (shortened), or
 * undefined when they are equal. Arrays compare in order, objects by key.
 */
export function firstDifference(ours: unknown, reference: unknown, path = "data"): string | undefined {
  if (isDeepStrictEqual(ours, reference)) return undefined;
  if (ours && reference && typeof ours === "object" && typeof reference === "object") {
    if (Array.isArray(ours) !== Array.isArray(reference)) return `${path}: a list in one answer, an object in the other`;
    if (Array.isArray(ours) && Array.isArray(reference) && ours.length !== reference.length) {
      return `${path}: ${ours.length} elements in ours, ${reference.length} in the reference`;
    }
    for (const key of new Set([...Object.keys(ours), ...Object.keys(reference)])) {
      if (!(key in ours)) return `${path}.${key}: missing in ours`;
      if (!(key in reference)) return `${path}.${key}: missing in the reference`;
      const inner = firstDifference((ours as Record<string, unknown>)[key], (reference as Record<string, unknown>)[key], `${path}.${key}`);
      if (inner) return inner;
    }
  }
  const shown = (v: unknown) => JSON.stringify(v)?.slice(0, 200) ?? "undefined";
  return `${path}: ${shown(ours)} in ours, ${shown(reference)} in the reference`;
}

/** One variable set of a view: both answers and where they part (undefined: equal). */
export interface ComparedSet {
  variables: Record<string, unknown>;
  ours: unknown;
  reference: unknown;
  difference: string | undefined;
}

/**
 * Ours' and the reference's answers to each variable set of a view: `askOurs` runs the view's
 * document (its answer's `data`), the reference query runs on `client` (a database holding
 * all three services' tables) with the context the reference server gives it.
 */
export async function compareWithReference(
  view: ViewName,
  variableSets: Record<string, unknown>[],
  askOurs: (variables: Record<string, unknown>) => Promise<unknown>,
  client: Pick<pg.ClientBase, "query">,
): Promise<ComparedSet[]> {
  const year = Number((await client.query<{ y: number }>("select max(year) as y from municipality")).rows[0]!.y);
  const today = new Date().toISOString().slice(0, 10);
  const query = REFERENCE_QUERIES[view];
  const compared: ComparedSet[] = [];
  for (const variables of variableSets) {
    const ours = await askOurs(variables);
    const reference = (await client.query<{ data: unknown }>(query.sql, query.params(variables, { year, today }))).rows[0]?.data ?? null;
    compared.push({ variables, ours, reference, difference: firstDifference(ours, reference) });
  }
  return compared;
}
