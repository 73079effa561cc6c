import { changesResolver } from "@yhdyspinta/core";
import type { Context } from "../context.ts";
import { Organisation } from "../organisation/organisation.entity.ts";
import { Person } from "../person/person.entity.ts";

/** `changes` on the audited types of this subgraph, each readable by an admin or a coordinator of its county. */
export const auditResolvers = [
  changesResolver<Organisation, Context>(Organisation, "Organisation", (o) => o.countyCode),
  // A person's data belongs to the county of the organisation they work for (as for writes).
  changesResolver<Person, Context>(Person, "Person", async (p, { loaders }) =>
    p.organisationId ? ((await loaders.organisationById.load(p.organisationId))?.countyCode ?? null) : null,
  ),
];
