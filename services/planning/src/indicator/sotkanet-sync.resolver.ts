import { Ctx, Field, Float, FieldResolver, ObjectType, Resolver, Root, registerEnumType } from "type-graphql";
import { DateScalar, RegisterProvenance, registerProvenance, syncReportsResolver } from "@yhdyspinta/core";
import type { Context } from "../context.ts";
import { CountyRef } from "../federation/references.ts";
import { IndicatorValueRevision } from "./indicator-revision.entity.ts";
import { Indicator, IndicatorValue } from "./indicator.entity.ts";
import { IndicatorRegionKind } from "./indicator-sex.ts";

/** Fields of synced indicators: Swedish name, data-updated date, provenance. */
@Resolver(() => Indicator)
export class IndicatorRegisterResolver {
  @FieldResolver(() => String, { nullable: true, description: "Swedish name, where the source gives one." })
  nameSv(@Root() indicator: Indicator): string | null {
    return indicator.nameSv ?? null;
  }

  @FieldResolver(() => DateScalar, { nullable: true, description: "Day the source last updated the indicator's data (Sotkanet `data-updated`); null if not synced." })
  dataUpdatedOn(@Root() indicator: Indicator): string | null {
    return indicator.dataUpdatedOn ?? null;
  }

  @FieldResolver(() => RegisterProvenance, { nullable: true, description: "Register, source URL, fetch time and licence attribution of the indicator's metadata; null if not synced from a register." })
  registerProvenance(@Root() indicator: Indicator): RegisterProvenance | null {
    return registerProvenance(indicator);
  }
}

/** Fields of synced values: provenance and the earlier values THL revised. */
@Resolver(() => IndicatorValue)
export class IndicatorValueRegisterResolver {
  @FieldResolver(() => RegisterProvenance, { nullable: true, description: "Register, source URL, fetch time and licence attribution of the value; null for a value imported from a file." })
  registerProvenance(@Root() value: IndicatorValue): RegisterProvenance | null {
    return registerProvenance(value);
  }

  @FieldResolver(() => [IndicatorValueRevision], { description: "Earlier values the source revised, newest replacement first; empty if never revised." })
  async revisions(@Root() value: IndicatorValue, @Ctx() { loaders }: Context): Promise<IndicatorValueRevision[]> {
    return await loaders.revisionsByValue.load(String(value.id));
  }
}

@Resolver(() => IndicatorValueRevision)
export class IndicatorValueRevisionResolver {
  @FieldResolver(() => RegisterProvenance, { nullable: true, description: "Where the earlier value came from; null for a value imported from a file." })
  registerProvenance(@Root() revision: IndicatorValueRevision): RegisterProvenance | null {
    return registerProvenance(revision);
  }
}

export enum IndicatorTrend {
  RISING = "rising",
  FALLING = "falling",
  STEADY = "steady",
  UNKNOWN = "unknown",
}

registerEnumType(IndicatorTrend, {
  name: "IndicatorTrend",
  description: "Direction of an indicator from its baseline to its latest value (whether that is better depends on the indicator).",
  valuesConfig: {
    RISING: { description: "The latest value is higher than the baseline." },
    FALLING: { description: "The latest value is lower than the baseline." },
    STEADY: { description: "The latest value equals the baseline." },
    UNKNOWN: { description: "Fewer than two years with a value." },
  },
});

/** One indicator a county's plans monitor: baseline, latest value and trend. */
@ObjectType("IndicatorFollowUp", { description: "An indicator a county's wellbeing plan goals name: the county's baseline and latest value, the trend, and the whole country's value of the latest year." })
export class IndicatorFollowUp {
  indicatorId!: string;

  @Field(() => IndicatorValue, { nullable: true, description: "The county's value of the earliest year with a value (sex total)." })
  baseline!: IndicatorValue | null;

  @Field(() => IndicatorValue, { nullable: true, description: "The county's value of the latest year with a value (sex total)." })
  latest!: IndicatorValue | null;

  @Field(() => Float, { nullable: true, description: "Latest minus baseline; null with fewer than two years." })
  change!: number | null;

  @Field(() => IndicatorTrend, { description: "Direction from baseline to latest." })
  trend!: IndicatorTrend;

  @Field(() => IndicatorValue, { nullable: true, description: "The whole country's value of the latest year, for comparison." })
  countryLatest!: IndicatorValue | null;
}

@Resolver(() => IndicatorFollowUp)
export class IndicatorFollowUpResolver {
  @FieldResolver(() => Indicator, { nullable: true, description: "The indicator; null if the plan names one not (yet) known." })
  async indicator(@Root() row: IndicatorFollowUp, @Ctx() { loaders }: Context): Promise<Indicator | null> {
    return await loaders.indicatorById.load(row.indicatorId);
  }
}

/** Baseline, latest and trend of one indicator from a county's and the country's values (any order). */
export function followUpOf(indicatorId: string, values: IndicatorValue[]): IndicatorFollowUp {
  const own = values.filter((v) => v.indicatorId === indicatorId && v.regionKind === IndicatorRegionKind.COUNTY && v.value !== null).sort((a, b) => a.year - b.year);
  const baseline = own[0] ?? null;
  const latest = own.at(-1) ?? null;
  const change = baseline && latest && latest.year > baseline.year ? latest.value! - baseline.value! : null;
  const trend = change === null ? IndicatorTrend.UNKNOWN : change > 0 ? IndicatorTrend.RISING : change < 0 ? IndicatorTrend.FALLING : IndicatorTrend.STEADY;
  const countryLatest = latest
    ? (values.find((v) => v.indicatorId === indicatorId && v.regionKind === IndicatorRegionKind.COUNTRY && v.year === latest.year) ?? null)
    : null;
  return Object.assign(new IndicatorFollowUp(), { indicatorId, baseline, latest, change, trend, countryLatest });
}

@Resolver(() => CountyRef)
export class CountyIndicatorFollowUpResolver {
  @FieldResolver(() => [IndicatorFollowUp], { nullable: true,
    description: "Indicators the county's wellbeing plan goals name, by id: the county's baseline and latest value with their provenance, the trend, and the country's latest value.",
  })
  async indicatorFollowUp(@Root() county: CountyRef, @Ctx() { loaders }: Context): Promise<IndicatorFollowUp[]> {
    const { indicatorIds, values } = await loaders.indicatorRowsByCounty.load(county.code);
    return indicatorIds.map((id) => followUpOf(id, values));
  }
}

/** `indicatorSyncReports(register, limit)`: this subgraph's sync reports. */
export const IndicatorSyncReportsResolver = syncReportsResolver("indicatorSyncReports", ["sotkanet"]);
