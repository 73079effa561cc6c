import { LockMode } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/postgresql";
import { assertCanWriteCounty, BadUserInputError, type ReferenceChecker, uniqueRuleError, type Viewer } from "@yhdyspinta/core";
import { normaliseSearch } from "../search.ts";
import { type Organisation, OrganisationCategoryAssignment } from "../organisation/organisation.entity.ts";
import { OrganisationCategory } from "./category.entity.ts";

/**
 * The rules of a county's classification of associations: a category is
 * written by whoever may write its county; its name is unique in the county
 * (`organisation_category_county_name_unique`, on the normalised name); a new
 * category without a position goes after the last, counted under the
 * county's row lock (`checkWellbeingCounty(…, lock)`) so parallel creations
 * get different positions. An organisation is classified only in categories
 * of its own county. A category entered by mistake is removed only while no
 * organisation is classified in it (`checkCategoryRemovable`).
 */

/** Locks a category for a write the caller may make (FORBIDDEN for another county's); null when there is none. */
export async function lockCategory(tx: EntityManager, id: string, viewer: Viewer): Promise<OrganisationCategory | null> {
  const category = await tx.findOne(OrganisationCategory, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!category) return null;
  assertCanWriteCounty(viewer, category.countyCode);
  return category;
}

/** Checks that no other category of the county has this name (normalised); returns the normalised name. */
export async function checkCategoryName(tx: EntityManager, countyCode: string, name: string, current: OrganisationCategory | null): Promise<string> {
  const normalised = normaliseSearch(name.trim());
  const same = await tx.findOne(OrganisationCategory, { countyCode, nameNormalised: normalised });
  if (same && same.id !== current?.id) throw uniqueRuleError("organisation_category_county_name_unique", `category ${same.id} in county ${countyCode}`);
  return normalised;
}

/** The position after the county's last category (read under the county's lock). */
export async function nextCategoryPosition(tx: EntityManager, countyCode: string): Promise<number> {
  const [last] = await tx.find(OrganisationCategory, { countyCode }, { orderBy: { position: "desc" }, limit: 1 });
  return (last?.position ?? 0) + 1;
}

/** A category may classify the organisation only if it is of the organisation's county; BAD_USER_INPUT `input.categoryId` otherwise. */
export async function categoryForOrganisation(tx: EntityManager, categoryId: string, organisation: Organisation): Promise<OrganisationCategory> {
  // Shared lock: a removal (which locks the category for update) waits for this classification, or this for it.
  const category = await tx.findOne(OrganisationCategory, { id: categoryId }, { lockMode: LockMode.PESSIMISTIC_READ });
  if (!category) throw new BadUserInputError("input.categoryId", `no organisation category "${categoryId}"`);
  if (category.countyCode !== organisation.countyCode) {
    throw new BadUserInputError("input.categoryId", `categories belong to a county's own classification; ${category.id} is not of county ${organisation.countyCode ?? "(none)"}`);
  }
  return category;
}

/**
 * A category may be removed only while no organisation is classified in it
 * and no seat or nominator of the groups subgraph names it (asked through
 * its `OrganisationCategory.groupReferrers`): BAD_USER_INPUT naming `id`
 * and what refers to it. A seat created in the groups subgraph after that
 * answer and before the removal commits is not seen (no distributed lock).
 */
export async function checkCategoryRemovable(tx: EntityManager, category: OrganisationCategory, references: ReferenceChecker): Promise<void> {
  const held = references.referrers ? await references.referrers("groups", "OrganisationCategory", category.id, "groupReferrers") : [];
  if (held.length > 0) throw new BadUserInputError("id", `category "${category.id}" is named by ${held.join(", ")} in the groups subgraph; change them first`);
  const classified = await tx.count(OrganisationCategoryAssignment, { categoryId: category.id });
  if (classified > 0) {
    throw new BadUserInputError("id", `${classified} organisation${classified === 1 ? " is" : "s are"} classified in category "${category.id}"; unassign them first`);
  }
}
