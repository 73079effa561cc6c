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
  return readFileSync(new URL(`./${name}.graphql`, import.meta.url), "utf8");
}
