import { importRoutes, type InternalRouteDeps, type Routes } from "@yhdyspinta/core";
import { groupImport, meetingImport, membershipImport, seatImport } from "./group.import.ts";
import { nominationImport } from "./nomination.import.ts";
import { groupResolveRoutes } from "./group-resolve.ts";

/** The groups subgraph's import entry, `POST /internal/import` (groups, seats, memberships, meetings, nominations; docs/IMPORT.md). */
export function groupImportRoutes(deps: InternalRouteDeps): Routes {
  return { ...groupResolveRoutes(deps), ...importRoutes(deps, { groups: groupImport(deps), seats: seatImport(deps), memberships: membershipImport(deps), meetings: meetingImport(), nominations: nominationImport(deps) }) };
}
