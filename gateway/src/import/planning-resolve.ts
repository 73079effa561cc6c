import { listCell, type ImportRow, type RowProblem } from "@yhdyspinta/core";
import { HttpRouteError } from "../http-routes.ts";
import type { ImportKind } from "./kinds.ts";

type Resolved = { id: string; countyCode?: string | null } | { problems: RowProblem[] };

/** Posts to a subgraph's internal route (routes.ts `postInternal`, signed as the importer). */
export type PostInternal = (subgraph: string, path: string, body: unknown) => Promise<{ status: number; json: unknown }>;

/**
 * For the planning kinds (plans, measures): the municipality of a row's
 * plan (code or name) and a measure's responsible organisations (business
 * ID or name, within the row's county) asked of the organisations
 * subgraph, and its responsible groups (name in the county) of the groups
 * subgraph, each once per file. The ids go into the row as
 * `municipalityCode`, `organisationIds` and `groupIds` (JSON lists); a key
 * that does not resolve refuses the row (`__problems`).
 */
export async function resolvePlanningReferences(post: PostInternal, kind: ImportKind, rows: ImportRow[]): Promise<void> {
  if (kind.subgraph !== "planning") return;
  const problemsOf = rows.map(() => [] as RowProblem[]);
  const county = (r: ImportRow) => r.values["county"]?.trim() || null;
  const municipalities = rows.flatMap((r, i) => (r.values["municipality"]?.trim() ? [{ i, text: r.values["municipality"]! }] : []));
  const organisations = kind.name === "measures" ? rows.flatMap((r, i) => listCell(r.values["organisations"] ?? "").map((text) => ({ i, text, countyCode: county(r) }))) : [];
  const groups = kind.name === "measures" ? rows.flatMap((r, i) => listCell(r.values["groups"] ?? "").map((text) => ({ i, text, countyCode: county(r) }))) : [];
  const take = (i: number, resolved: Resolved | undefined): string | null => {
    if (!resolved) return null;
    if ("problems" in resolved) {
      problemsOf[i]!.push(...resolved.problems);
      return null;
    }
    return resolved.id;
  };
  /** The ids a list column's keys resolved to, as the row's `key` (a JSON list), for rows that have the column. */
  const listIds = (keys: readonly { i: number }[], answers: readonly Resolved[], column: string, key: string) => {
    const ids = rows.map(() => [] as string[]);
    keys.forEach((k, n) => {
      const id = take(k.i, answers[n]);
      if (id) ids[k.i]!.push(id);
    });
    rows.forEach((r, i) => {
      if (r.values[column] !== undefined) r.values[key] = JSON.stringify(ids[i]);
    });
  };
  if (municipalities.length || organisations.length) {
    const { status, json } = await post("organisations", "internal/import/resolve", {
      organisations: organisations.map((o) => ({ text: o.text, column: "organisations", countyCode: o.countyCode })),
      municipalities: municipalities.map((m) => ({ text: m.text, column: "municipality" })),
    });
    if (status !== 200) throw new HttpRouteError(503, "the organisations subgraph could not resolve the file's municipalities and organisations");
    const answer = json as { organisations: Resolved[]; municipalities?: Resolved[] };
    municipalities.forEach((m, n) => {
      const code = take(m.i, answer.municipalities?.[n]);
      if (code) rows[m.i]!.values["municipalityCode"] = code;
    });
    listIds(organisations, answer.organisations, "organisations", "organisationIds");
  }
  if (groups.length) {
    const { status, json } = await post("groups", "internal/import/resolve", { groups: groups.map((g) => ({ text: g.text, column: "groups", countyCode: g.countyCode })) });
    if (status !== 200) throw new HttpRouteError(503, "the groups subgraph could not resolve the file's groups");
    const answer = json as { groups: Resolved[] };
    listIds(groups, answer.groups, "groups", "groupIds");
  }
  for (const [i, problems] of problemsOf.entries()) if (problems.length) rows[i]!.values["__problems"] = JSON.stringify(problems);
}
