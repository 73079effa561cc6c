import { readFileSync } from "node:fs";

/** The dashboard views: one GraphQL operation each, committed as `.graphql` documents. */
export const VIEW_NAMES = [
  "partnership-groups-by-municipality",
  "coverage-matrix",
  "nomination-status",
  "meeting-calendar",
  "representation",
  "plan-follow-up",
] as const;
export type ViewName = (typeof VIEW_NAMES)[number];

/** The document of a view, as committed. */
export function viewDocument(name: ViewName): string {
  // The documents sit beside index.ts; compiled, this file runs from dist/.
  const dir = new URL(import.meta.url.endsWith(".ts") ? "./" : "../", import.meta.url);
  return readFileSync(new URL(`${name}.graphql`, dir), "utf8");
}
