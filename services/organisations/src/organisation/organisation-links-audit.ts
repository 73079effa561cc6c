import type { EntityManager } from "@mikro-orm/postgresql";
import { auditAlongside } from "@yhdyspinta/core";
import { type Organisation, OrganisationCategoryAssignment, OrganisationMunicipality } from "./organisation.entity.ts";

/**
 * An organisation's lists kept in link tables (written with `insertMany`,
 * which the ORM's audit cannot see), by the name of the input field that sets them.
 */
export interface OrganisationLinks {
  municipalityCodes?: string[];
  categoryIds?: string[];
}

type LinksInput = { [K in keyof OrganisationLinks]?: string[] | null };

const LINK_KEYS: readonly (keyof OrganisationLinks)[] = ["municipalityCodes", "categoryIds"];

/** The lists `input` replaces, as they are now (sorted): only those the input gives. Read in the writing transaction `tx`. */
export async function readLinks(tx: EntityManager, id: string, input: LinksInput): Promise<OrganisationLinks> {
  const links: OrganisationLinks = {};
  if (input.municipalityCodes !== undefined) {
    const rows = await tx.find(OrganisationMunicipality, { organisationId: id }, { orderBy: { municipalityCode: "asc" } });
    links.municipalityCodes = rows.map((r) => r.municipalityCode);
  }
  if (input.categoryIds !== undefined) {
    const rows = await tx.find(OrganisationCategoryAssignment, { organisationId: id }, { orderBy: { categoryId: "asc" } });
    links.categoryIds = rows.map((r) => r.categoryId);
  }
  return links;
}

/** The lists `input` sets, as `readLinks` reads them afterwards (duplicates dropped, sorted). */
export function linksOf(input: LinksInput): OrganisationLinks {
  const links: OrganisationLinks = {};
  for (const key of LINK_KEYS) {
    if (input[key] !== undefined) links[key] = [...new Set(input[key] ?? [])].sort();
  }
  return links;
}

/**
 * Audits the link lists a write replaces, like the organisation's other
 * fields: the transaction's next flush adds them to the change it records for
 * the organisation (its CREATE, or the UPDATE of its own fields), or else
 * records an UPDATE of them alone. `before` is null for a created
 * organisation. Nothing is recorded when the lists stay the same. Call it
 * before that flush.
 */
export function auditLinks(tx: EntityManager, organisation: Organisation, before: OrganisationLinks | null, after: OrganisationLinks): void {
  const keys = Object.keys(after) as (keyof OrganisationLinks)[];
  auditAlongside(tx, organisation, {
    before: Object.fromEntries(keys.map((k) => [k, before?.[k] ?? []])),
    after: { ...after },
  });
}
