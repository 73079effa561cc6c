import { LockMode } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/postgresql";
import { assertCanWriteCounty, BadUserInputError, uniqueRuleError, type Viewer } from "@yhdyspinta/core";
import { OrganisationCategory } from "../category/category.entity.ts";
import type { Context } from "../context.ts";
import { checkOwnReferences } from "../county-scope.rules.ts";
import { County, CountyKind } from "../county/county.entity.ts";
import { Municipality } from "../municipality/municipality.entity.ts";
import { resolveOrganisationId } from "./organisation-keys.ts";
import { Organisation, OrganisationCategoryAssignment } from "./organisation.entity.ts";
import type { MergeOrganisationsInput, WindUpOrganisationInput } from "./organisation-lifecycle.input.ts";
import type { UpdateOrganisationInput } from "./organisation.input.ts";
import { parentChain, successionChain } from "./organisation.queries.ts";

/**
 * The rules of an organisation: which records hold its tasks on a day
 * (successors and predecessors, `organisationsOn` and `organisationOn`), its
 * end (`checkWindUp`, `checkMerge`, on rows taken with `lockOrganisations`;
 * docs/ORGANISATION-LIFECYCLE.md), and what a new or changed
 * organisation may refer to (`checkOrganisationReferences`: an existing
 * parent without cycles, a wellbeing services county, municipalities of the
 * current classification, a free business id, categories of its own county).
 * Every municipality and parent it names must be of a county the caller may
 * write (the county-scope rule, ../county-scope.rules.ts), on creation and on edits.
 */

/**
 * The organisations that held `start`'s tasks on `day`: itself while it
 * existed; after it ceased, its successors (each followed on to the day, so
 * an AVI whose tasks split gives two); before it began, its sole
 * predecessor (followed back). At most 20 steps; a cycle stops there. A
 * merged duplicate reads as the record that stays (the loader resolves it).
 */
export async function organisationsOn(start: Organisation, day: string, { loaders }: Pick<Context, "loaders">): Promise<Organisation[]> {
  const held = new Map<string, Organisation>();
  const seen = new Set<string>();
  let frontier = [start];
  for (let step = 0; step < 20 && frontier.length > 0; step++) {
    const next: Organisation[] = [];
    for (const current of frontier) {
      if (seen.has(current.id)) continue;
      seen.add(current.id);
      if (current.validTo !== null && current.validTo < day) {
        const successors = await successorsOf(current, loaders);
        if (successors.length > 0) {
          next.push(...successors);
          continue;
        }
      } else if (current.validFrom !== null && day < current.validFrom) {
        const before = await predecessorsOf(current, loaders);
        if (before.length === 1) {
          next.push(before[0]!);
          continue;
        }
      }
      held.set(current.id, current);
    }
    frontier = next;
  }
  for (const rest of frontier) held.set(rest.id, rest);
  return held.size > 0 ? [...held.values()] : [start];
}

/**
 * What a reference to `start` resolves to on `day`: the one organisation
 * holding its tasks then (`organisationsOn`); where they were split among
 * several, the organisation itself (`Organisation.heldBy` lists them).
 */
export async function organisationOn(start: Organisation, day: string, ctx: Pick<Context, "loaders">): Promise<Organisation> {
  const holders = await organisationsOn(start, day, ctx);
  return holders.length === 1 ? holders[0]! : start;
}

/** The organisations that took over a wound-up organisation's tasks, in the wind-up's order. */
export async function successorsOf(organisation: Organisation, loaders: Context["loaders"]): Promise<Organisation[]> {
  const successions = await loaders.successorsByOrganisation.load(organisation.id);
  const found = await Promise.all(successions.map((s) => loaders.organisationById.load(s.successorId)));
  return unique(found.filter((o): o is Organisation => o !== null && o.id !== organisation.id));
}

/** The organisations whose tasks (some or all) passed to this one, by name. */
export async function predecessorsOf(organisation: Organisation, loaders: Context["loaders"]): Promise<Organisation[]> {
  const ids = [organisation.id, ...(await loaders.mergedIdsBySurvivor.load(organisation.id))];
  const successions = (await Promise.all(ids.map((id) => loaders.successionsBySuccessor.load(id)))).flat();
  const found = await Promise.all(successions.map((s) => loaders.organisationById.load(s.organisationId)));
  return unique(found.filter((o): o is Organisation => o !== null && o.id !== organisation.id)).sort(
    (a, b) => (a.nameNormalised < b.nameNormalised ? -1 : a.nameNormalised > b.nameNormalised ? 1 : a.id < b.id ? -1 : 1),
  );
}

function unique(list: Organisation[]): Organisation[] {
  return [...new Map(list.map((o) => [o.id, o])).values()];
}

/**
 * Locks the organisations' rows in id order (the order every lifecycle write
 * takes them in, so two writes naming the same rows never deadlock) and
 * returns them by id; ids that name no row are missing from the map.
 */
export async function lockOrganisations(tx: EntityManager, ids: readonly string[]): Promise<Map<string, Organisation>> {
  const rows = await tx.find(Organisation, { id: { $in: [...new Set(ids)] } }, { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: "asc" } });
  return new Map(rows.map((o) => [o.id, o]));
}

/**
 * The rules of a wind-up, on the locked rows: the caller may write the
 * organisation's county (an organisation of no county: admin); it is neither
 * merged nor wound up already; `endsOn` is not before it began; each
 * successor exists, is named once, is not the organisation itself, is of a
 * county the caller may refer to, still exists on the day after `endsOn`,
 * and does not (through its own successors) lead back to the organisation.
 * Returns the successors in the input's order.
 */
export async function checkWindUp(
  tx: EntityManager,
  organisation: Organisation | undefined,
  input: WindUpOrganisationInput,
  locked: Map<string, Organisation>,
  viewer: Viewer,
): Promise<Organisation[]> {
  if (!organisation) throw new BadUserInputError("input.organisationId", `no organisation "${input.organisationId}"`);
  assertCanWriteCounty(viewer, organisation.countyCode);
  if (organisation.mergedInto) {
    throw new BadUserInputError("input.organisationId", `the record was merged into ${organisation.mergedInto}; wind up that organisation`);
  }
  if (organisation.validTo !== null) {
    throw new BadUserInputError("input.organisationId", `the organisation is already wound up (its last day was ${organisation.validTo})`);
  }
  if (organisation.validFrom !== null && input.endsOn < organisation.validFrom) {
    throw new BadUserInputError("input.endsOn", `must not be before the organisation began (${organisation.validFrom})`);
  }
  const successors: Organisation[] = [];
  for (const [i, item] of input.successors.entries()) {
    const field = `input.successors[${i}].organisationId`;
    const successor = locked.get(resolveOrganisationId(item.organisationId));
    if (!successor) throw new BadUserInputError(field, `no organisation "${item.organisationId}"`);
    if (successor.mergedInto) throw new BadUserInputError(field, `the record was merged into ${successor.mergedInto}; name that organisation`);
    if (successor.id === organisation.id) throw new BadUserInputError(field, "an organisation cannot be its own successor");
    if (successors.some((s) => s.id === successor.id)) throw new BadUserInputError(field, "each successor is named once");
    if (successor.validTo !== null && successor.validTo <= input.endsOn) {
      throw new BadUserInputError(field, `the successor was wound up on ${successor.validTo}; it must still exist after ${input.endsOn}`);
    }
    checkOwnReferences(viewer, [{ field, type: "Organisation", key: successor.id, countyCode: successor.countyCode }]);
    successors.push(successor);
  }
  for (const [i, successor] of successors.entries()) {
    if ((await successionChain(tx, [successor.id])).includes(organisation.id)) {
      throw new BadUserInputError(`input.successors[${i}].organisationId`, "the successions would form a cycle: this successor's tasks already pass back to the organisation");
    }
  }
  return successors;
}

/**
 * The rules of a merge, on the locked rows: two different organisations,
 * both existing; the caller may write the duplicate's county and refer to
 * the survivor's; the survivor is neither merged nor wound up; a duplicate
 * merged already into another record is refused. Returns false when the
 * duplicate is already merged into this survivor (nothing to do: a repeated
 * or parallel merge of the same pair).
 */
export function checkMerge(
  duplicate: Organisation | undefined,
  survivor: Organisation | undefined,
  input: MergeOrganisationsInput,
  viewer: Viewer,
): boolean {
  if (!duplicate) throw new BadUserInputError("input.duplicateId", `no organisation "${input.duplicateId}"`);
  if (!survivor) throw new BadUserInputError("input.survivorId", `no organisation "${input.survivorId}"`);
  if (duplicate.id === survivor.id) throw new BadUserInputError("input.survivorId", "must differ from `duplicateId`");
  assertCanWriteCounty(viewer, duplicate.countyCode);
  checkOwnReferences(viewer, [{ field: "input.survivorId", type: "Organisation", key: survivor.id, countyCode: survivor.countyCode }]);
  if (duplicate.mergedInto === survivor.id) return false;
  if (duplicate.mergedInto) throw new BadUserInputError("input.duplicateId", `the record was already merged into ${duplicate.mergedInto}`);
  if (survivor.mergedInto) throw new BadUserInputError("input.survivorId", `the record was merged into ${survivor.mergedInto}; merge into that organisation`);
  if (survivor.validTo !== null) throw new BadUserInputError("input.survivorId", `the organisation was wound up (its last day was ${survivor.validTo}); merge into one that exists`);
  return true;
}

/**
 * What `checkOrganisationReferences` reads, one lookup at a time. The
 * mutations read each from the transaction (`referenceReadsOf`); the bulk
 * import answers them from what it fetched for a whole chunk of rows.
 */
export interface OrganisationReferenceReads {
  county(code: string): Promise<County | null>;
  /** The municipalities of `year`'s classification among `codes`. */
  municipalities(codes: string[], year: number): Promise<Municipality[]>;
  organisationByBusinessId(businessId: string): Promise<Organisation | null>;
  categories(ids: string[]): Promise<OrganisationCategory[]>;
}

/** The reads of `checkOrganisationReferences` from the transaction `tx`. */
export function referenceReadsOf(tx: EntityManager): OrganisationReferenceReads {
  return {
    county: async (code) => await tx.findOne(County, { code }),
    municipalities: async (codes, year) => await tx.find(Municipality, { code: { $in: codes }, year }),
    organisationByBusinessId: async (businessId) => await tx.findOne(Organisation, { businessId }),
    categories: async (ids) => await tx.find(OrganisationCategory, { id: { $in: ids } }),
  };
}

/** Checks the references of a new or changed organisation; throws BAD_USER_INPUT naming the field. */
export async function checkOrganisationReferences(
  tx: EntityManager,
  input: UpdateOrganisationInput,
  current: Organisation | null,
  currentYear: number,
  viewer: Viewer,
  reads: OrganisationReferenceReads = referenceReadsOf(tx),
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
    const county = await reads.county(input.countyCode);
    if (!county || county.kind === CountyKind.ALAND) {
      throw new BadUserInputError("input.countyCode", `no wellbeing services county "${input.countyCode}"`);
    }
  }
  if (input.municipalityCodes?.length) {
    const codes = [...new Set(input.municipalityCodes)];
    const found = await reads.municipalities(codes, currentYear);
    const known = new Set(found.map((m) => m.code));
    const missing = codes.filter((c) => !known.has(c));
    if (missing.length) {
      throw new BadUserInputError("input.municipalityCodes", `no municipality in the ${currentYear} classification with code ${missing.join(", ")}`);
    }
    checkOwnReferences(viewer, found.map((m) => ({ field: "input.municipalityCodes", type: "Municipality" as const, key: m.code, countyCode: m.countyCode })));
  }
  if (input.businessId) {
    const holder = await reads.organisationByBusinessId(input.businessId);
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
    const categories = await reads.categories(ids);
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

/**
 * The organisation a write attaches a record to (a contact point, a category
 * assignment), locked for the transaction: it exists (an alias key resolves)
 * and is not a merged duplicate (name the record that stays), else
 * BAD_USER_INPUT naming `field`; the caller may write its county (an
 * organisation of no county: admin), else FORBIDDEN.
 */
export async function lockOrganisationToWrite(tx: EntityManager, id: string, field: string, viewer: Viewer): Promise<Organisation> {
  const resolved = resolveOrganisationId(id);
  const organisation = await tx.findOne(Organisation, { id: resolved }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!organisation) throw new BadUserInputError(field, `no organisation "${id}"`);
  if (organisation.mergedInto) throw new BadUserInputError(field, `the record was merged into ${organisation.mergedInto}; name that organisation`);
  assertCanWriteCounty(viewer, organisation.countyCode);
  return organisation;
}
