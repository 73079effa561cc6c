import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../context.ts";
import { resolveYear } from "../classification.ts";
import { County, CountyKind } from "../county/county.entity.ts";
import { Municipality } from "./municipality.entity.ts";

@Resolver(() => Municipality)
export class MunicipalityResolver {
  @Query(() => Municipality, {
    nullable: true,
    description: "A municipality by code in a classification year (default: the current one); null if it did not exist then.",
  })
  async municipality(
    @Arg("code", () => ID) code: string,
    @Arg("year", () => Int, { nullable: true }) year: number | null,
    @Ctx() { loaders }: Context,
  ): Promise<Municipality | null> {
    const y = resolveYear(loaders.classification, year);
    return await loaders.municipalityByCodeAndYear.load(`${code}@${y}`);
  }

  @Query(() => [Municipality], {
    description: "Municipalities of a classification year (default: the current one), optionally of one county, by Finnish name.",
  })
  async municipalities(
    @Arg("countyCode", () => ID, { nullable: true }) countyCode: string | null,
    @Arg("year", () => Int, { nullable: true }) year: number | null,
    @Ctx() { em, loaders }: Context,
  ): Promise<Municipality[]> {
    const y = resolveYear(loaders.classification, year);
    if (countyCode) return await loaders.municipalitiesByCountyYear.load({ countyCode, year: y });
    return await em.find(Municipality, { year: y }, { orderBy: { nameFi: "asc" } });
  }

  @FieldResolver(() => County, {
    nullable: true,
    description: "The wellbeing services county (or the City of Helsinki); null for Åland's municipalities.",
  })
  async county(@Root() municipality: Municipality, @Ctx() { loaders }: Context): Promise<County | null> {
    const county = await loaders.countyByCode.load(municipality.countyCode);
    return county && county.kind !== CountyKind.ALAND ? county : null;
  }
}

/** Federation: `Municipality @key(code)` resolves in the current classification. */
export const municipalityReference = {
  Municipality: {
    __resolveReference: async (reference: { code: string }, context: Context) =>
      await context.loaders.municipalityByCode.load(reference.code),
  },
};
