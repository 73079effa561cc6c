import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from "type-graphql";
import { BadUserInputError, findRows } from "@yhdyspinta/core";
import type { Context } from "../context.ts";
import { Indicator } from "../indicator/indicator.entity.ts";
import { IndicatorFollowUp } from "../indicator/indicator-follow-up.ts";
import { HyteIndicator, HyteLevel } from "./hyte-indicator.entity.ts";

@Resolver(() => HyteIndicator)
export class HyteIndicatorResolver {
  @Query(() => [HyteIndicator], {
    description:
      "The HYTE indicator set of a funding year: the indicators that decide part of the counties' (hyte-kerroin) or municipalities' state funding, by level and code. Imported from a file (`pnpm sync hyte`).",
  })
  async hyteIndicators(
    @Arg("fundingYear", () => Int, { description: "Funding year, e.g. 2026." }) fundingYear: number,
    @Arg("level", () => HyteLevel, { nullable: true, description: "Only county or municipality indicators; both if omitted." }) level: HyteLevel | null | undefined,
    @Ctx() { em }: Context,
  ): Promise<HyteIndicator[]> {
    if (fundingYear < 2023 || fundingYear > 2100) throw new BadUserInputError("fundingYear", "must be a year 2023–2100");
    return await findRows(em, HyteIndicator, level ? { fundingYear, level } : { fundingYear }, { level: "asc", code: "asc" });
  }

  @FieldResolver(() => Indicator, {
    nullable: true,
    description: "The stored Sotkanet indicator (\"sotkanet-<id>\") with its values, once synced; null when the indicator has no Sotkanet id or is not stored yet. A plan goal points at it by the same id.",
  })
  async indicator(@Root() hyte: HyteIndicator, @Ctx() { loaders }: Context): Promise<Indicator | null> {
    return hyte.sotkanetId === null ? null : await loaders.indicatorById.load(`sotkanet-${hyte.sotkanetId}`);
  }
}

@Resolver(() => IndicatorFollowUp)
export class IndicatorFollowUpHyteResolver {
  @FieldResolver(() => [HyteIndicator], {
    description: "The HYTE indicator sets this indicator is in (by its Sotkanet id), newest funding year first: whether it decides funding, as process or outcome, and which way is better.",
  })
  async hyteIndicators(@Root() row: IndicatorFollowUp, @Ctx() { loaders }: Context): Promise<HyteIndicator[]> {
    const sotkanetId = /^sotkanet-(\d{1,9})$/.exec(row.indicatorId)?.[1];
    return sotkanetId ? await loaders.hyteBySotkanetId.load(Number(sotkanetId)) : [];
  }
}
