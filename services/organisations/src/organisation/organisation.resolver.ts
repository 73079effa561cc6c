import { randomUUID } from "node:crypto";
import { LockMode } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/postgresql";
import { organisationOn } from "../document/document.resolver.ts";
import { DateScalar } from "@yhdyspinta/core";
import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import {
  assertCanWriteCounty,
  BadUserInputError,
  connectionTypes,
  decodeCursor,
  NotFoundError,
  pageSize,
  Scope,
  toConnection,
  type Connection,
} from "@yhdyspinta/core";
import type { Context } from "../context.ts";
import { OrganisationCategory } from "../category/category.entity.ts";
import { County, CountyKind } from "../county/county.entity.ts";
import { Municipality } from "../municipality/municipality.entity.ts";
import { Person } from "../person/person.entity.ts";
import { containsPattern, normaliseSearch, searchTextOf } from "../search.ts";
import { resolveOrganisationId } from "./organisation-keys.ts";
import {
  Organisation,
  OrganisationCategoryAssignment,
  OrganisationMunicipality,
} from "./organisation.entity.ts";
import { CreateOrganisationInput, OrganisationFilter, UpdateOrganisationInput } from "./organisation.input.ts";

export const { ConnectionType: OrganisationConnection } = connectionTypes(Organisation, "Organisation", "organisation");

/**
 * One page of organisations in the stable order (normalised name, id): one
 * statement for the page and one for the total, whatever the filter.
 */
export async function findOrganisationsPage(
  em: EntityManager,
  filter: OrganisationFilter | null,
  first: number | null,
  after: string | null,
): Promise<Connection<Organisation>> {
  const limit = pageSize(first);
  const cursor = decodeCursor(after, 2);
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter?.countyCode) {
    where.push("o.county_code = ?");
    params.push(filter.countyCode);
  }
  if (filter?.municipalityCode) {
    where.push("exists (select 1 from organisation_municipality om where om.organisation_id = o.id and om.municipality_code = ?)");
    params.push(filter.municipalityCode);
  }
  if (filter?.kind) {
    where.push("o.kind = ?");
    params.push(filter.kind);
  }
  if (filter?.categoryId) {
    where.push("exists (select 1 from organisation_category_assignment a where a.organisation_id = o.id and a.category_id = ?)");
    params.push(filter.categoryId);
  }
  if (filter?.category) {
    where.push(
      `exists (select 1 from organisation_category_assignment a join organisation_category c on c.id = a.category_id
                where a.organisation_id = o.id and c.name_normalised = ?${filter.countyCode ? " and c.county_code = ?" : ""})`,
    );
    params.push(normaliseSearch(filter.category));
    if (filter.countyCode) params.push(filter.countyCode);
  }
  if (filter?.parentId) {
    where.push("o.parent_id = ?");
    params.push(filter.parentId);
  }
  if (filter?.search && normaliseSearch(filter.search)) {
    where.push("o.search_text like ?");
    params.push(containsPattern(filter.search));
  }
  const whereSql = where.length ? `where ${where.join(" and ")}` : "";
  const pageWhere = cursor ? `${whereSql ? `${whereSql} and` : "where"} (o.name_normalised, o.id) > (?, ?)` : whereSql;
  const connection = em.getConnection("read");
  const [rows, counted] = await Promise.all([
    connection.execute<Record<string, unknown>[]>(
      `select o.* from organisation o ${pageWhere} order by o.name_normalised, o.id limit ?`,
      [...params, ...(cursor ?? []), limit + 1],
    ),
    connection.execute<{ count: string }[]>(`select count(*) as count from organisation o ${whereSql}`, params),
  ]);
  const entities = rows.map((row) => em.map(Organisation, row));
  return toConnection(entities, limit, Number(counted[0]?.count ?? 0), (o) => [o.nameNormalised, o.id], cursor !== null);
}

type OrganisationChanges = Omit<UpdateOrganisationInput, never>;

/** Checks the references of a new or changed organisation; throws BAD_USER_INPUT naming the field. */
async function checkReferences(
  em: EntityManager,
  input: OrganisationChanges,
  current: Organisation | null,
  currentYear: number,
): Promise<void> {
  if (input.parentId) {
    input.parentId = resolveOrganisationId(input.parentId);
    const parent = await em.findOne(Organisation, { id: input.parentId });
    if (!parent) throw new BadUserInputError("input.parentId", `no organisation "${input.parentId}"`);
    if (current) {
      // The new parent must not be the organisation itself or one of its units (no cycles).
      const chain: { id: string }[] = await em.getConnection().execute(
        `with recursive up(id, parent_id) as (
           select id, parent_id from organisation where id = ?
           union select o.id, o.parent_id from organisation o join up on o.id = up.parent_id
         ) select id from up`,
        [input.parentId],
      );
      if (chain.some((row) => row.id === current.id)) {
        throw new BadUserInputError("input.parentId", "an organisation cannot be its own unit or a unit of its units");
      }
    }
  }
  if (input.countyCode) {
    const county = await em.findOne(County, { code: input.countyCode });
    if (!county || county.kind === CountyKind.ALAND) {
      throw new BadUserInputError("input.countyCode", `no wellbeing services county "${input.countyCode}"`);
    }
  }
  if (input.municipalityCodes?.length) {
    const codes = [...new Set(input.municipalityCodes)];
    const found = await em.find(Municipality, { code: { $in: codes }, year: currentYear });
    const known = new Set(found.map((m) => m.code));
    const missing = codes.filter((c) => !known.has(c));
    if (missing.length) {
      throw new BadUserInputError("input.municipalityCodes", `no municipality in the ${currentYear} classification with code ${missing.join(", ")}`);
    }
  }
  if (input.businessId) {
    const holder = await em.findOne(Organisation, { businessId: input.businessId });
    if (holder && holder.id !== current?.id) {
      throw new BadUserInputError("input.businessId", `already the business ID of organisation "${holder.id}"`);
    }
  }
  if (current && input.countyCode !== undefined && input.countyCode !== current.countyCode && input.categoryIds === undefined) {
    const held = await em.count(OrganisationCategoryAssignment, { organisationId: current.id });
    if (held > 0) {
      throw new BadUserInputError("input.countyCode", "the organisation has categories of its old county; give `categoryIds` as well");
    }
  }
  if (input.categoryIds?.length) {
    const ids = [...new Set(input.categoryIds)];
    const categories = await em.find(OrganisationCategory, { id: { $in: ids } });
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

/** Replaces an organisation's municipality and category links where the input gives them. */
async function writeLinks(em: EntityManager, id: string, input: OrganisationChanges): Promise<void> {
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

function setNames(organisation: Organisation): void {
  organisation.nameNormalised = normaliseSearch(organisation.name);
  organisation.searchText = searchTextOf(organisation.name, ...organisation.otherNames);
}

@Resolver(() => Organisation)
export class OrganisationResolver {
  @Query(() => OrganisationConnection, {
    description:
      "Organisations matching a filter, a page at a time, ordered by name (ignoring case and diacritics) and id.",
  })
  async organisations(
    @Arg("filter", () => OrganisationFilter, { nullable: true, description: "Conditions; all must hold." })
    filter: OrganisationFilter | null,
    @Arg("first", () => Int, { nullable: true, description: "Page size, 1–500 (default 50)." }) first: number | null,
    @Arg("after", () => String, { nullable: true, description: "Cursor of the item after which the page starts (`pageInfo.endCursor`)." })
    after: string | null,
    @Ctx() { em }: Context,
  ): Promise<Connection<Organisation>> {
    return await findOrganisationsPage(em, filter, first, after);
  }

  @Query(() => Organisation, {
    nullable: true,
    description:
      "An organisation by id; null if there is none. With `asOn`, the organisation that held its tasks on that day (a successor after it ceased, see `Organisation.asOn`).",
  })
  async organisation(
    @Arg("id", () => ID, { description: "Organisation id." }) id: string,
    @Ctx() ctx: Context,
    @Arg("asOn", () => DateScalar, { nullable: true, description: "Day to read the organisation on; default: the record itself." }) asOn: string | null,
  ) {
    const found = await ctx.loaders.organisationById.load(id);
    return found && asOn ? await organisationOn(found, asOn, ctx) : found;
  }

  @FieldResolver(() => Organisation, { nullable: true, description: "The organisation this is a unit of; null for a top-level organisation." })
  async parent(@Root() organisation: Organisation, @Ctx() { loaders }: Context): Promise<Organisation | null> {
    return organisation.parentId ? await loaders.organisationById.load(organisation.parentId) : null;
  }

  @FieldResolver(() => [Organisation], { description: "The organisation's units (organisations whose parent it is), by name." })
  async units(@Root() organisation: Organisation, @Ctx() { loaders }: Context): Promise<Organisation[]> {
    return await loaders.unitsByParent.load(organisation.id);
  }

  @FieldResolver(() => County, { nullable: true, description: "The wellbeing services county (or the City of Helsinki) it works in; null for national or multi-county actors." })
  async county(@Root() organisation: Organisation, @Ctx() { loaders }: Context): Promise<County | null> {
    return organisation.countyCode ? await loaders.countyByCode.load(organisation.countyCode) : null;
  }

  @FieldResolver(() => [Municipality], { description: "The municipalities it works in, in the current classification, by Finnish name." })
  async municipalities(@Root() organisation: Organisation, @Ctx() { loaders }: Context): Promise<Municipality[]> {
    return await loaders.municipalitiesByOrganisation.load(organisation.id);
  }

  @FieldResolver(() => [OrganisationCategory], { description: "The county categories it is classified in, in the county's order." })
  async categories(@Root() organisation: Organisation, @Ctx() { loaders }: Context): Promise<OrganisationCategory[]> {
    return await loaders.categoriesByOrganisation.load(organisation.id);
  }

  @FieldResolver(() => [Person], { description: "People named in the data who work for it, by name." })
  async people(@Root() organisation: Organisation, @Ctx() { loaders }: Context): Promise<Person[]> {
    return await loaders.peopleByOrganisation.load(organisation.id);
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => Organisation, {
    description: "Creates an organisation. Needs scope `data:write` and a role for its county (an organisation of no county: admin).",
  })
  async createOrganisation(
    @Arg("input", () => CreateOrganisationInput, { description: "The new organisation." }) input: CreateOrganisationInput,
    @Ctx() { em, loaders, viewer }: Context,
  ): Promise<Organisation> {
    assertCanWriteCounty(viewer, input.countyCode ?? null);
    return await em.transactional(async (tx) => {
      await checkReferences(tx as EntityManager, input, null, loaders.classification.currentYear);
      const organisation = tx.create(Organisation, {
        id: `org-${randomUUID()}`,
        name: input.name.trim(),
        otherNames: input.otherNames ?? [],
        kind: input.kind,
        businessId: input.businessId ?? null,
        parentId: input.parentId ?? null,
        countyCode: input.countyCode ?? null,
        website: input.website ?? null,
        nameNormalised: "",
        searchText: "",
      });
      setNames(organisation);
      await tx.flush();
      await writeLinks(tx as EntityManager, organisation.id, input);
      return organisation;
    });
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => Organisation, {
    description: "Changes an organisation. Needs scope `data:write` and a role for its county, before and after the change.",
  })
  async updateOrganisation(
    @Arg("id", () => ID, { description: "Id of the organisation to change." }) id: string,
    @Arg("input", () => UpdateOrganisationInput, { description: "The changes." }) input: UpdateOrganisationInput,
    @Ctx() { em, loaders, viewer }: Context,
  ): Promise<Organisation> {
    if (input.name === null) throw new BadUserInputError("input.name", "must not be null");
    if (input.kind === null) throw new BadUserInputError("input.kind", "must not be null");
    return await em.transactional(async (tx) => {
      const organisation = await tx.findOne(Organisation, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!organisation) throw new NotFoundError("Organisation", id);
      assertCanWriteCounty(viewer, organisation.countyCode);
      if (input.countyCode !== undefined) assertCanWriteCounty(viewer, input.countyCode ?? null);
      await checkReferences(tx as EntityManager, input, organisation, loaders.classification.currentYear);
      if (input.name !== undefined && input.name !== null) organisation.name = input.name.trim();
      if (input.kind !== undefined && input.kind !== null) organisation.kind = input.kind;
      if (input.otherNames !== undefined) organisation.otherNames = input.otherNames ?? [];
      if (input.businessId !== undefined) organisation.businessId = input.businessId;
      if (input.parentId !== undefined) organisation.parentId = input.parentId;
      if (input.countyCode !== undefined) organisation.countyCode = input.countyCode;
      if (input.website !== undefined) organisation.website = input.website;
      setNames(organisation);
      await tx.flush();
      await writeLinks(tx as EntityManager, organisation.id, input);
      return organisation;
    });
  }
}

/** Federation: `Organisation @key(id)`. */
export const organisationReference = {
  Organisation: {
    __resolveReference: async (reference: { id: string }, context: Context) =>
      await context.loaders.organisationById.load(reference.id),
  },
};
