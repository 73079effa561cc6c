import type { IncomingMessage, ServerResponse } from "node:http";
import type { EntityManager } from "@mikro-orm/postgresql";
import { forkForViewer, readJsonBody, sendJson, type InternalRouteDeps, type RowProblem, type Routes } from "@yhdyspinta/core";
import { activeGroupNamed } from "../group-workflow/natural-keys.queries.ts";

/** A group named in another subgraph's import (a measure's responsible groups): its name in the county. */
interface GroupKey {
  text: string;
  column: string;
  countyCode?: string | null;
}

type Resolved = { id: string } | { problems: RowProblem[] };

/**
 * `POST /internal/import/resolve` of the groups subgraph: the ids behind the
 * group names another subgraph's import rows give (the planning import's
 * responsible groups), each by its name in the county among the groups that
 * have not ended (the key `checkGroupName` keeps unique), read only
 * (docs/IMPORT.md).
 */
export function groupResolveRoutes(deps: InternalRouteDeps): Routes {
  return {
    "/internal/import/resolve": async (req: IncomingMessage, res: ServerResponse) => {
      const body = await readJsonBody<{ groups?: GroupKey[] }>(req, res, "The body is not a resolve request");
      if (!body) return;
      const em = forkForViewer(deps.orm.em, deps.viewerOf(req)) as EntityManager;
      const once = new Map<string, Resolved>();
      const groups: Resolved[] = [];
      for (const key of body.groups ?? []) {
        const county = (key.countyCode ?? "").trim();
        const memoKey = JSON.stringify([county, key.text.trim().toLowerCase(), key.column]);
        let resolved = once.get(memoKey);
        if (!resolved) {
          const id = county ? await activeGroupNamed(em, county, key.text.trim(), null) : null;
          resolved = id ? { id } : { problems: [{ column: key.column, rule: `no group named "${key.text.trim()}" in county ${county || "(none)"}; import the groups first`, code: "NOT_FOUND" }] };
          once.set(memoKey, resolved);
        }
        groups.push(resolved);
      }
      sendJson(res, 200, { groups });
    },
  };
}
