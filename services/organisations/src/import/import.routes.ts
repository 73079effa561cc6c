import { importRoutes, type InternalRouteDeps, type Routes } from "@yhdyspinta/core";
import { organisationImport } from "./organisation.import.ts";
import { personImport } from "./person.import.ts";

/** The organisations subgraph's import entry, `POST /internal/import` (organisations, people; docs/IMPORT.md). */
export function organisationImportRoutes(deps: InternalRouteDeps): Routes {
  return importRoutes(deps, { organisations: organisationImport, people: personImport });
}
