import { Field, Float, ObjectType, registerEnumType } from "type-graphql";
import { IndicatorValue } from "./indicator.entity.ts";
import { IndicatorRegionKind } from "./indicator-sex.ts";

/**
 * The indicator follow-up of a county (`County.indicatorFollowUp`): its
 * GraphQL types and how baseline, latest value and trend follow from the
 * county's and the country's values.
 */

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
