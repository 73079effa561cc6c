import { changeFeedResolver, changesResolver, countyVia, ownCounty } from "@yhdyspinta/core";
import type { Context } from "../context.ts";
import { OrganisationCategory } from "../category/category.entity.ts";
import { ContactPoint } from "../contact/contact-point.entity.ts";
import { Document } from "../document/document.entity.ts";
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
  // Written by coordinators since issue 25: a document and a category are of their own county, a contact point of its organisation's.
  changesResolver<Document, Context>(Document, "Document", (d) => d.countyCode),
  changesResolver<OrganisationCategory, Context>(OrganisationCategory, "OrganisationCategory", (c) => c.countyCode),
  changesResolver<ContactPoint, Context>(ContactPoint, "ContactPoint", async (c, { loaders }) =>
    (await loaders.organisationById.load(c.organisationId))?.countyCode ?? null,
  ),
  organisationsChangeFeed,
];
