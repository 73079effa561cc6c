import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from "type-graphql";
import { BadUserInputError, findRows } from "@yhdyspinta/core";
import type { Context } from "../context.ts";
import { CountyRef, MunicipalityRef } from "../federation/references.ts";
import { Indicator, IndicatorValue } from "./indicator.entity.ts";
import { IndicatorRegionKind, IndicatorSex } from "./indicator-sex.ts";

/** Most ids or years one `indicatorValues` call may name. */
const MAX_FILTER_ITEMS = 100;

function checkFilter<T>(name: string, values: T[] | null | undefined): T[] | null {
  if (values === null || values === undefined) return null;
  if (values.length > MAX_FILTER_ITEMS) throw new BadUserInputError(name, `may list at most ${MAX_FILTER_ITEMS} items`);
  return [...new Set(values)].sort();
}

const INDICATOR_IDS_DESCRIPTION =
  "Only these indicators (Indicator.id, e.g. \"sotkanet-127\"); all if omitted. At most 100.";
const YEARS_DESCRIPTION = "Only these statistical years; all if omitted. At most 100.";
const SEX_DESCRIPTION = "Only values for these sexes; all if omitted.";

@Resolver(() => Indicator)
export class IndicatorResolver {
  @Query(() => Indicator, { nullable: true, description: "A monitoring indicator by id; null if there is none." })
  async indicator(
    @Arg("id", () => ID, { description: "Indicator id, e.g. \"sotkanet-127\"." }) id: string,
    @Ctx() { loaders }: Context,
  ): Promise<Indicator | null> {
    return await loaders.indicatorById.load(id);
  }

  @Query(() => [Indicator], { description: "Monitoring indicators, by name; optionally only those with the given Sotkanet ids." })
  async indicators(
    @Arg("sotkanetIds", () => [Int], { nullable: true, description: "Only indicators with these THL Sotkanet ids." })
    sotkanetIds: number[] | null,
    @Ctx() { em }: Context,
  ): Promise<Indicator[]> {
    return await findRows(em, Indicator, sotkanetIds ? { sotkanetId: { $in: sotkanetIds } } : {}, { name: "asc", id: "asc" });
  }
}

@Resolver(() => IndicatorValue)
export class IndicatorValueResolver {
  @FieldResolver(() => Indicator, { description: "The indicator this is a value of." })
  async indicator(@Root() value: IndicatorValue, @Ctx() { loaders }: Context): Promise<Indicator> {
    return (await loaders.indicatorById.load(value.indicatorId))!;
  }
}

async function valuesOf(
  loaders: Context["loaders"],
  regionKind: IndicatorRegionKind,
  regionCode: string,
  indicatorIds: string[] | null,
  years: number[] | null,
  sex: IndicatorSex[] | null,
): Promise<IndicatorValue[]> {
  return await loaders.indicatorValues.load({
    regionKind,
    regionCode,
    indicatorIds: checkFilter("indicatorIds", indicatorIds),
    years: checkFilter("years", years),
    sexes: checkFilter("sex", sex),
  });
}

@Resolver(() => MunicipalityRef)
export class MunicipalityIndicatorsResolver {
  @FieldResolver(() => [IndicatorValue], { nullable: true,
    description: "Monitoring-indicator values of the municipality, by indicator, year and sex.",
  })
  async indicatorValues(
    @Root() municipality: MunicipalityRef,
    @Arg("indicatorIds", () => [ID], { nullable: true, description: INDICATOR_IDS_DESCRIPTION }) indicatorIds: string[] | null,
    @Arg("years", () => [Int], { nullable: true, description: YEARS_DESCRIPTION }) years: number[] | null,
    @Arg("sex", () => [IndicatorSex], { nullable: true, description: SEX_DESCRIPTION }) sex: IndicatorSex[] | null,
    @Ctx() { loaders }: Context,
  ): Promise<IndicatorValue[]> {
    return await valuesOf(loaders, IndicatorRegionKind.MUNICIPALITY, municipality.code, indicatorIds, years, sex);
  }
}

@Resolver(() => CountyRef)
export class CountyIndicatorsResolver {
  @FieldResolver(() => [IndicatorValue], { nullable: true,
    description: "Monitoring-indicator values of the county as an area, by indicator, year and sex.",
  })
  async indicatorValues(
    @Root() county: CountyRef,
    @Arg("indicatorIds", () => [ID], { nullable: true, description: INDICATOR_IDS_DESCRIPTION }) indicatorIds: string[] | null,
    @Arg("years", () => [Int], { nullable: true, description: YEARS_DESCRIPTION }) years: number[] | null,
    @Arg("sex", () => [IndicatorSex], { nullable: true, description: SEX_DESCRIPTION }) sex: IndicatorSex[] | null,
    @Ctx() { loaders }: Context,
  ): Promise<IndicatorValue[]> {
    return await valuesOf(loaders, IndicatorRegionKind.COUNTY, county.code, indicatorIds, years, sex);
  }
}
