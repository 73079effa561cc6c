import { randomUUID } from "node:crypto";
import type { EntityManager } from "@mikro-orm/postgresql";
import { assertCanWriteCounty, BadUserInputError, NotFoundError, RecordSource, recordKey, Scope, writeProvenance } from "@yhdyspinta/core";
import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../context.ts";
import { County } from "../county/county.entity.ts";
import { checkWellbeingCounty } from "../county/county.rules.ts";
import { Organisation, OrganisationCategoryAssignment } from "../organisation/organisation.entity.ts";
import { auditLinks, readLinks } from "../organisation/organisation-links-audit.ts";
import { lockOrganisationToWrite } from "../organisation/organisation.rules.ts";
import { OrganisationCategory } from "./category.entity.ts";
import { CreateOrganisationCategoryInput, OrganisationCategoryAssignmentInput, UpdateOrganisationCategoryInput } from "./category.input.ts";
import { categoryForOrganisation, checkCategoryName, checkCategoryRemovable, lockCategory, nextCategoryPosition } from "./category.rules.ts";

@Resolver(() => OrganisationCategory)
export class CategoryResolver {
  @Query(() => [OrganisationCategory], {
    description: "A county's own classification of associations, in the county's order (Pirkanmaa \"08\": 19 categories).",
  })
  async organisationCategories(
    @Arg("countyCode", () => ID, { description: "2-digit county code, e.g. \"08\" for Pirkanmaa." }) countyCode: string,
    @Ctx() { loaders }: Context,
  ): Promise<OrganisationCategory[]> {
    return await loaders.categoriesByCounty.load(countyCode);
  }

  @Query(() => OrganisationCategory, { nullable: true, description: "A category by id; null if there is none." })
  async organisationCategory(
    @Arg("id", () => ID, { description: "Category id, e.g. \"category-08-nuoriso\"." }) id: string,
    @Ctx() { loaders }: Context,
  ): Promise<OrganisationCategory | null> {
    return await loaders.categoryById.load(id);
  }

  @FieldResolver(() => County, { description: "The county whose classification this is." })
  async county(@Root() category: OrganisationCategory, @Ctx() { loaders }: Context): Promise<County | null> {
    return await loaders.countyByCode.load(category.countyCode);
  }

  @FieldResolver(() => RecordSource, { nullable: true, description: "Where the category comes from and when it was last confirmed; null where not recorded." })
  async provenance(@Root() category: OrganisationCategory, @Ctx() { loaders }: Context): Promise<RecordSource | null> {
    return await loaders.sourceOf.load(recordKey("OrganisationCategory", category.id));
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => OrganisationCategory, {
    description:
      "Adds a category to a county's classification of associations. Needs scope `data:write` and a role for the county. A name the county already has: BAD_USER_INPUT `input.name`.",
  })
  async createOrganisationCategory(
    @Arg("input", () => CreateOrganisationCategoryInput, { description: "The category." }) input: CreateOrganisationCategoryInput,
    @Ctx() { em, viewer }: Context,
  ): Promise<OrganisationCategory> {
    assertCanWriteCounty(viewer, input.countyCode);
    return await em.transactional(async (tx) => {
      await checkWellbeingCounty(tx as EntityManager, input.countyCode, "input.countyCode", true);
      const nameNormalised = await checkCategoryName(tx as EntityManager, input.countyCode, input.name, null);
      const category = tx.create(OrganisationCategory, {
        id: `category-${input.countyCode}-${randomUUID()}`,
        name: input.name.trim(),
        nameNormalised,
        countyCode: input.countyCode,
        position: input.position ?? (await nextCategoryPosition(tx as EntityManager, input.countyCode)),
      });
      await tx.flush();
      await writeProvenance(tx as EntityManager, "OrganisationCategory", category.id, input.provenance);
      return category;
    });
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => OrganisationCategory, {
    description: "Renames or moves a category of a county's classification. Needs scope `data:write` and a role for the county.",
  })
  async updateOrganisationCategory(
    @Arg("id", () => ID, { description: "Id of the category." }) id: string,
    @Arg("input", () => UpdateOrganisationCategoryInput, { description: "The changes." }) input: UpdateOrganisationCategoryInput,
    @Ctx() { em, viewer }: Context,
  ): Promise<OrganisationCategory> {
    if (input.name === null) throw new BadUserInputError("input.name", "must not be null");
    if (input.position === null) throw new BadUserInputError("input.position", "must not be null");
    return await em.transactional(async (tx) => {
      const locked = await lockCategory(tx as EntityManager, id, viewer);
      if (!locked) throw new NotFoundError("OrganisationCategory", id);
      if (input.name) {
        locked.nameNormalised = await checkCategoryName(tx as EntityManager, locked.countyCode, input.name, locked);
        locked.name = input.name.trim();
      }
      if (input.position) locked.position = input.position;
      await tx.flush();
      await writeProvenance(tx as EntityManager, "OrganisationCategory", locked.id, input.provenance);
      return locked;
    });
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => ID, {
    description:
      "Removes a category entered by mistake, with its provenance; returns its id. Refused (BAD_USER_INPUT `id`, naming them) while an organisation is classified in it or a seat or nominator of the groups subgraph names it. Needs scope `data:write` and a role for the county.",
  })
  async removeOrganisationCategory(
    @Arg("id", () => ID, { description: "Id of the category." }) id: string,
    @Ctx() { em, viewer, references }: Context,
  ): Promise<string> {
    return await em.transactional(async (tx) => {
      const locked = await lockCategory(tx as EntityManager, id, viewer);
      if (!locked) throw new BadUserInputError("id", `no organisation category "${id}"`);
      await checkCategoryRemovable(tx as EntityManager, locked, references);
      const source = await tx.findOne(RecordSource, { recordType: "OrganisationCategory", recordId: locked.id });
      if (source) tx.remove(source);
      tx.remove(locked);
      await tx.flush();
      return locked.id;
    });
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => Organisation, {
    description:
      "Classifies an organisation in a category of its county (its other categories stay); classifying it again changes nothing. Needs scope `data:write` and a role for the organisation's county.",
  })
  async assignOrganisationCategory(
    @Arg("input", () => OrganisationCategoryAssignmentInput, { description: "The organisation and the category." }) input: OrganisationCategoryAssignmentInput,
    @Ctx() { em, viewer }: Context,
  ): Promise<Organisation> {
    return await em.transactional(async (tx) => {
      const organisation = await lockOrganisationToWrite(tx as EntityManager, input.organisationId, "input.organisationId", viewer);
      const category = await categoryForOrganisation(tx as EntityManager, input.categoryId, organisation);
      const before = await readLinks(tx as EntityManager, organisation.id, { categoryIds: [] });
      if (!before.categoryIds!.includes(category.id)) {
        auditLinks(tx as EntityManager, organisation, before, { categoryIds: [...before.categoryIds!, category.id].sort() });
        await tx.flush();
        await tx.insertMany(OrganisationCategoryAssignment, [{ organisationId: organisation.id, categoryId: category.id }]);
      }
      return organisation;
    });
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => Organisation, {
    description:
      "Takes an organisation out of a category (its other categories stay); an organisation not in it is answered as it is. Needs scope `data:write` and a role for the organisation's county.",
  })
  async unassignOrganisationCategory(
    @Arg("input", () => OrganisationCategoryAssignmentInput, { description: "The organisation and the category." }) input: OrganisationCategoryAssignmentInput,
    @Ctx() { em, viewer }: Context,
  ): Promise<Organisation> {
    return await em.transactional(async (tx) => {
      const organisation = await lockOrganisationToWrite(tx as EntityManager, input.organisationId, "input.organisationId", viewer);
      const before = await readLinks(tx as EntityManager, organisation.id, { categoryIds: [] });
      if (before.categoryIds!.includes(input.categoryId)) {
        auditLinks(tx as EntityManager, organisation, before, { categoryIds: before.categoryIds!.filter((id) => id !== input.categoryId) });
        await tx.flush();
        await tx.nativeDelete(OrganisationCategoryAssignment, { organisationId: organisation.id, categoryId: input.categoryId });
      } else if (!(await tx.findOne(OrganisationCategory, { id: input.categoryId }))) {
        throw new BadUserInputError("input.categoryId", `no organisation category "${input.categoryId}"`);
      }
      return organisation;
    });
  }
}

/** Federation: `OrganisationCategory @key(id)`. */
export const categoryReference = {
  OrganisationCategory: {
    __resolveReference: async (reference: { id: string }, context: Context) =>
      await context.loaders.categoryById.load(reference.id),
  },
};
