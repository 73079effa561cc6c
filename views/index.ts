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

/**
 * The manifest of registered operations (`trusted-documents.json`, written by
 * `pnpm schema` from these views and the project's own code; see
 * schema/trusted-documents.ts), in Apollo's persisted query manifest format.
 */
export function trustedDocumentsText(): string {
  const dir = new URL(import.meta.url.endsWith(".ts") ? "./" : "../", import.meta.url);
  return readFileSync(new URL("trusted-documents.json", dir), "utf8");
}
