import type { EntityManager } from "@mikro-orm/postgresql";
import { BadUserInputError, uniqueRuleError, type Viewer } from "@yhdyspinta/core";
import { OrganisationCategory } from "../category/category.entity.ts";
import type { Context } from "../context.ts";
import { checkOwnReferences } from "../county-scope.rules.ts";
import { County, CountyKind } from "../county/county.entity.ts";
import { Municipality } from "../municipality/municipality.entity.ts";
import { resolveOrganisationId } from "./organisation-keys.ts";
import { Organisation, OrganisationCategoryAssignment } from "./organisation.entity.ts";
import type { UpdateOrganisationInput } from "./organisation.input.ts";
import { parentChain } from "./organisation.queries.ts";

/**
 * The rules of an organisation: which record holds its tasks on a day
 * (successors and predecessors, `organisationOn`), and what a new or changed
 * organisation may refer to (`checkOrganisationReferences`: an existing
 * parent without cycles, a wellbeing services county, municipalities of the
 * current classification, a free business id, categories of its own county).
 * Every municipality and parent it names must be of a county the caller may
 * write (the county-scope rule, ../county-scope.rules.ts), on creation and on edits.
 */

/** Follows successor or predecessor links to the organisation existing on `day` (at most 20 steps; a cycle stops there). */
export async function organisationOn(start: Organisation, day: string, { loaders }: Pick<Context, "loaders">): Promise<Organisation> {
  let current = start;
  for (let step = 0; step < 20; step++) {
    if (current.validTo !== null && current.validTo < day && current.successorId) {
      const next = await loaders.organisationById.load(current.successorId);
      if (!next) break;
      current = next;
    } else if (current.validFrom !== null && day < current.validFrom) {
      const before = await loaders.predecessorsBySuccessor.load(current.id);
      if (before.length !== 1) break;
      current = before[0]!;
    } else break;
  }
  return current;
}

/** Checks the references of a new or changed organisation; throws BAD_USER_INPUT naming the field. */
export async function checkOrganisationReferences(
  tx: EntityManager,
  input: UpdateOrganisationInput,
  current: Organisation | null,
  currentYear: number,
  viewer: Viewer,
): Promise<void> {
  if (input.parentId) {
    input.parentId = resolveOrganisationId(input.parentId);
    const parent = await tx.findOne(Organisation, { id: input.parentId });
    if (!parent) throw new BadUserInputError("input.parentId", `no organisation "${input.parentId}"`);
    checkOwnReferences(viewer, [{ field: "input.parentId", type: "Organisation", key: parent.id, countyCode: parent.countyCode }]);
    if (current) {
      // The new parent must not be the organisation itself or one of its units (no cycles).
      if ((await parentChain(tx, input.parentId)).includes(current.id)) {
        throw new BadUserInputError("input.parentId", "an organisation cannot be its own unit or a unit of its units");
      }
    }
  }
  if (input.countyCode) {
    const county = await tx.findOne(County, { code: input.countyCode });
    if (!county || county.kind === CountyKind.ALAND) {
      throw new BadUserInputError("input.countyCode", `no wellbeing services county "${input.countyCode}"`);
    }
  }
  if (input.municipalityCodes?.length) {
    const codes = [...new Set(input.municipalityCodes)];
    const found = await tx.find(Municipality, { code: { $in: codes }, year: currentYear });
    const known = new Set(found.map((m) => m.code));
    const missing = codes.filter((c) => !known.has(c));
    if (missing.length) {
      throw new BadUserInputError("input.municipalityCodes", `no municipality in the ${currentYear} classification with code ${missing.join(", ")}`);
    }
    checkOwnReferences(viewer, found.map((m) => ({ field: "input.municipalityCodes", type: "Municipality" as const, key: m.code, countyCode: m.countyCode })));
  }
  if (input.businessId) {
    const holder = await tx.findOne(Organisation, { businessId: input.businessId });
    if (holder && holder.id !== current?.id) {
      throw uniqueRuleError("organisation_business_id_unique", `organisation ${holder.id}`);
    }
  }
  if (current && input.countyCode !== undefined && input.countyCode !== current.countyCode && input.categoryIds === undefined) {
    const held = await tx.count(OrganisationCategoryAssignment, { organisationId: current.id });
    if (held > 0) {
      throw new BadUserInputError("input.countyCode", "the organisation has categories of its old county; give `categoryIds` as well");
    }
  }
  if (input.categoryIds?.length) {
    const ids = [...new Set(input.categoryIds)];
    const categories = await tx.find(OrganisationCategory, { id: { $in: ids } });
    const known = new Set(categories.map((c) => c.id));
    const missing = ids.filter((id) => !known.has(id));
    if (missing.length) throw new BadUserInputError("input.categoryIds", `unknown categories: ${missing.join(", ")}`);
    const countyCode = input.countyCode !== undefined ? input.countyCode : (current?.countyCode ?? null);
    const foreign = categories.filter((c) => c.countyCode !== countyCode);
    if (foreign.length) {
      throw new BadUserInputError(
        "input.categoryIds",
        `categories belong to a county's own classification; ${foreign.map((c) => c.id).join(", ")} is not of county ${countyCode ?? "(none)"}`,
      );
    }
  }
}
