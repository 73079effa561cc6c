import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../context.ts";
import { County } from "../county/county.entity.ts";
import { OrganisationCategory } from "./category.entity.ts";

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
}

/** Federation: `OrganisationCategory @key(id)`. */
export const categoryReference = {
  OrganisationCategory: {
    __resolveReference: async (reference: { id: string }, context: Context) =>
      await context.loaders.categoryById.load(reference.id),
  },
};
