import { DAY_ARGUMENT_DEPRECATION, dayArgument } from "@yhdyspinta/core";
import { randomUUID } from "node:crypto";
import { LockMode } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/postgresql";
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
import { County } from "../county/county.entity.ts";
import { Municipality } from "../municipality/municipality.entity.ts";
import { Person } from "../person/person.entity.ts";
import { Organisation } from "./organisation.entity.ts";
import { CreateOrganisationInput, OrganisationFilter, UpdateOrganisationInput } from "./organisation.input.ts";
import { auditLinks, linksOf, readLinks } from "./organisation-links-audit.ts";
import { organisationsPage } from "./organisation.queries.ts";
import { setNames, writeLinks } from "./organisation.writes.ts";
import { checkOrganisationReferences, organisationOn } from "./organisation.rules.ts";

export const { ConnectionType: OrganisationConnection } = connectionTypes(Organisation, "Organisation", "organisation");

/**
 * One page of organisations in the stable order (normalised name, id): one
 * statement for the page and one for the total, whatever the filter.
 */
async function findOrganisationsPage(
  em: EntityManager,
  filter: OrganisationFilter | null,
  first: number | null,
  after: string | null,
): Promise<Connection<Organisation>> {
  const limit = pageSize(first);
  const cursor = decodeCursor(after, 2);
  const { organisations: entities, total } = await organisationsPage(em, filter, cursor, limit + 1);
  return toConnection(entities, limit, total, (o) => [o.nameNormalised, o.id], cursor !== null);
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
    @Arg("asOn", () => DateScalar, { nullable: true, description: "Day to read the organisation on; default: the record itself.", deprecationReason: DAY_ARGUMENT_DEPRECATION }) asOn: string | null,
    @Arg("activeOn", () => DateScalar, { nullable: true, description: "Day to read the organisation on; default: the record itself." }) activeOn: string | null,
  ) {
    const found = await ctx.loaders.organisationById.load(id);
    const day = dayArgument(activeOn, asOn, "asOn");
    return found && day ? await organisationOn(found, day, ctx) : found;
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
      await checkOrganisationReferences(tx as EntityManager, input, null, loaders.classification.currentYear, viewer);
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
      auditLinks(tx as EntityManager, organisation, null, linksOf(input));
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
      await checkOrganisationReferences(tx as EntityManager, input, organisation, loaders.classification.currentYear, viewer);
      if (input.name !== undefined && input.name !== null) organisation.name = input.name.trim();
      if (input.kind !== undefined && input.kind !== null) organisation.kind = input.kind;
      if (input.otherNames !== undefined) organisation.otherNames = input.otherNames ?? [];
      if (input.businessId !== undefined) organisation.businessId = input.businessId;
      if (input.parentId !== undefined) organisation.parentId = input.parentId;
      if (input.countyCode !== undefined) organisation.countyCode = input.countyCode;
      if (input.website !== undefined) organisation.website = input.website;
      setNames(organisation);
      auditLinks(tx as EntityManager, organisation, await readLinks(tx as EntityManager, organisation.id, input), linksOf(input));
      await tx.flush();
      await writeLinks(tx as EntityManager, organisation.id, input);
      return organisation;
    });
  }
}

/** Federation: `Organisation @key(id)`. */
export const organisationReference = {
  Organisation: {
    // A key that no longer resolves is an error for that item only (the referring field is nullable).
    __resolveReference: async (reference: { id: string }, context: Context) => {
      const found = await context.loaders.organisationById.load(reference.id);
      if (!found) throw new NotFoundError("Organisation", reference.id);
      return found;
    },
  },
};
