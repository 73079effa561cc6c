import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../context.ts";
import { resolveYear } from "../classification.ts";
import { Municipality } from "../municipality/municipality.entity.ts";
import { countyOrganisationKey, findRows } from "@yhdyspinta/core";
import { OrganisationCategory } from "../category/category.entity.ts";
import { Organisation } from "../organisation/organisation.entity.ts";
import { County, CountyKind } from "./county.entity.ts";

@Resolver(() => County)
export class CountyResolver {
  @Query(() => [County], {
    description: "The 21 wellbeing services counties and the City of Helsinki, by code. Åland is not one.",
  })
  async counties(
    @Arg("codes", () => [ID], { nullable: true, description: "Only these counties (2-digit codes), e.g. for a cross-regional view." })
    codes: string[] | null,
    @Ctx() { em }: Context,
  ): Promise<County[]> {
    return await findRows(em, County,
      { kind: { $ne: CountyKind.ALAND }, ...(codes ? { code: { $in: codes } } : {}) },
      { code: "asc" },
    );
  }

  @Query(() => County, { nullable: true, description: "A county by its 2-digit code; null if there is none." })
  async county(@Arg("code", () => ID, { description: "2-digit county code, e.g. \"14\"." }) code: string, @Ctx() { loaders }: Context): Promise<County | null> {
    const county = await loaders.countyByCode.load(code);
    return county && county.kind !== CountyKind.ALAND ? county : null;
  }

  @FieldResolver(() => [Municipality], {
    description: "The county's municipalities in a classification year (default: the current one), by Finnish name.",
  })
  async municipalities(
    @Root() county: County,
    @Arg("year", () => Int, { nullable: true, description: "Classification year, e.g. 2024." }) year: number | null,
    @Ctx() { loaders }: Context,
  ): Promise<Municipality[]> {
    const y = resolveYear(loaders.classification, year);
    return await loaders.municipalitiesByCountyYear.load({ countyCode: county.code, year: y });
  }

  @FieldResolver(() => Organisation, {
    nullable: true,
    description: "The county as an actor (organisation `org-county-<code>`; for Helsinki, the City of Helsinki).",
  })
  async organisation(@Root() county: County, @Ctx() { loaders }: Context): Promise<Organisation | null> {
    return await loaders.organisationById.load(countyOrganisationKey(county.code));
  }

  @FieldResolver(() => [OrganisationCategory], {
    description: "The county's own classification of associations, in its order (empty where the data has none).",
  })
  async organisationCategories(@Root() county: County, @Ctx() { loaders }: Context): Promise<OrganisationCategory[]> {
    return await loaders.categoriesByCounty.load(county.code);
  }
}

/** Federation: `WellbeingServicesCounty @key(code)`. */
export const countyReference = {
  WellbeingServicesCounty: {
    __resolveReference: async (reference: { code: string }, context: Context) => {
      const county = await context.loaders.countyByCode.load(reference.code);
      return county && county.kind !== CountyKind.ALAND ? county : null;
    },
  },
};
