import { importRoutes, type InternalRouteDeps, type Routes } from "@yhdyspinta/core";
import { groupImport, membershipImport, seatImport } from "./group.import.ts";

/** The groups subgraph's import entry, `POST /internal/import` (groups, seats, memberships; docs/IMPORT.md). */
export function groupImportRoutes(deps: InternalRouteDeps): Routes {
  return importRoutes(deps, { groups: groupImport(deps), seats: seatImport(deps), memberships: membershipImport(deps) });
}
