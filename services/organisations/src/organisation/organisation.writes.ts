import type { EntityManager } from "@mikro-orm/postgresql";
import { normaliseSearch, searchTextOf } from "../search.ts";
import { type Organisation, OrganisationCategoryAssignment, OrganisationMunicipality } from "./organisation.entity.ts";
import type { UpdateOrganisationInput } from "./organisation.input.ts";

/**
 * The writes of an organisation's derived columns and link tables, shared by
 * `createOrganisation` / `updateOrganisation` and the bulk import
 * (../import/organisation.import.ts). Pass the transaction's EntityManager.
 */

type OrganisationChanges = Omit<UpdateOrganisationInput, never>;

/** Replaces an organisation's municipality and category links where the input gives them. */
export async function writeLinks(em: EntityManager, id: string, input: OrganisationChanges): Promise<void> {
  if (input.municipalityCodes !== undefined) {
    await em.nativeDelete(OrganisationMunicipality, { organisationId: id });
    const codes = [...new Set(input.municipalityCodes ?? [])];
    if (codes.length) await em.insertMany(OrganisationMunicipality, codes.map((municipalityCode) => ({ organisationId: id, municipalityCode })));
  }
  if (input.categoryIds !== undefined) {
    await em.nativeDelete(OrganisationCategoryAssignment, { organisationId: id });
    const ids = [...new Set(input.categoryIds ?? [])];
    if (ids.length) await em.insertMany(OrganisationCategoryAssignment, ids.map((categoryId) => ({ organisationId: id, categoryId })));
  }
}

/** The sort key and search text of an organisation from its names. */
export function setNames(organisation: Organisation): void {
  organisation.nameNormalised = normaliseSearch(organisation.name);
  organisation.searchText = searchTextOf(organisation.name, ...organisation.otherNames);
}
