import { changeFeedResolver, changesResolver, countyVia, ownCounty } from "@yhdyspinta/core";
import type { Context } from "../context.ts";
import { Organisation } from "../organisation/organisation.entity.ts";
import { Person } from "../person/person.entity.ts";

/** The subgraph's change feed (`organisationsChangeFeed`): the county of each type's record, from its recorded values. */
export const organisationsChangeFeed = changeFeedResolver<Context>({
  subgraph: "organisations",
  counties: {
    Organisation: ownCounty,
    Person: countyVia("organisation", "organisationId"),
    ContactPoint: countyVia("organisation", "organisationId"),
    // A successor row belongs to the county of the organisation wound up.
    OrganisationSuccessor: countyVia("organisation", "organisationId"),
  },
});

/** `changes` on the audited types of this subgraph, each readable by an admin or a coordinator of its county. */
export const auditResolvers = [
  changesResolver<Organisation, Context>(Organisation, "Organisation", (o) => o.countyCode),
  // A person's data belongs to the county of the organisation they work for (as for writes).
  changesResolver<Person, Context>(Person, "Person", async (p, { loaders }) =>
    p.organisationId ? ((await loaders.organisationById.load(p.organisationId))?.countyCode ?? null) : null,
  ),
  organisationsChangeFeed,
];
