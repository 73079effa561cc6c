import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../context.ts";
import { resolveYear } from "../classification.ts";
import { County, CountyKind } from "../county/county.entity.ts";
import { Organisation } from "../organisation/organisation.entity.ts";
import { municipalityActorId } from "../organisation/organisation-keys.ts";
import { containsPattern, normaliseSearch } from "../search.ts";
import { BadUserInputError, findRows } from "@yhdyspinta/core";
import { Municipality } from "./municipality.entity.ts";

@Resolver(() => Municipality)
export class MunicipalityResolver {
  @Query(() => Municipality, {
    nullable: true,
    description: "A municipality by code in a classification year (default: the current one); null if it did not exist then.",
  })
  async municipality(
    @Arg("code", () => ID, { description: "Official 3-digit code, e.g. \"167\"." }) code: string,
    @Arg("year", () => Int, { nullable: true, description: "Classification year, e.g. 2024 (default: the current one)." })
    year: number | null,
    @Ctx() { loaders }: Context,
  ): Promise<Municipality | null> {
    const y = resolveYear(loaders.classification, year);
    return await loaders.municipalityByCodeAndYear.load(`${code}@${y}`);
  }

  @Query(() => [Municipality], {
    description:
      "Municipalities of a classification year (default: the current one), optionally of one county or matching a name, by Finnish name.",
  })
  async municipalities(
    @Arg("countyCode", () => ID, { nullable: true, description: "Only this county's municipalities (2-digit code)." })
    countyCode: string | null,
    @Arg("year", () => Int, { nullable: true, description: "Classification year, e.g. 2024 (default: the current one)." })
    year: number | null,
    @Arg("search", () => String, {
      nullable: true,
      description: "Finnish or Swedish name contains this text, ignoring case and diacritics (\"raakkyla\" finds Rääkkylä).",
    })
    search: string | null,
    @Ctx() { em, loaders }: Context,
  ): Promise<Municipality[]> {
    const y = resolveYear(loaders.classification, year);
    if (search && search.length > 200) throw new BadUserInputError("search", "must be at most 200 characters");
    const searching = typeof search === "string" && normaliseSearch(search) !== "";
    if (countyCode && !searching) return await loaders.municipalitiesByCountyYear.load({ countyCode, year: y });
    return await findRows(em, Municipality,
      {
        year: y,
        ...(countyCode ? { countyCode } : {}),
        ...(searching ? { searchText: { $like: containsPattern(search!) } } : {}),
      },
      { nameFi: "asc" },
    );
  }

  @FieldResolver(() => County, {
    nullable: true,
    description: "The wellbeing services county (or the City of Helsinki); null for Åland's municipalities.",
  })
  async county(@Root() municipality: Municipality, @Ctx() { loaders }: Context): Promise<County | null> {
    const county = await loaders.countyByCode.load(municipality.countyCode);
    return county && county.kind !== CountyKind.ALAND ? county : null;
  }

  @FieldResolver(() => Organisation, {
    nullable: true,
    description: "The municipality as an actor (organisation `org-municipality-<code>`; Helsinki's is the City of Helsinki, `org-county-90`).",
  })
  async organisation(@Root() municipality: Municipality, @Ctx() { loaders }: Context): Promise<Organisation | null> {
    return await loaders.organisationById.load(municipalityActorId(municipality.code));
  }
}

/** Federation: `Municipality @key(code)` resolves in the current classification. */
export const municipalityReference = {
  Municipality: {
    __resolveReference: async (reference: { code: string }, context: Context) =>
      await context.loaders.municipalityByCode.load(reference.code),
  },
};
