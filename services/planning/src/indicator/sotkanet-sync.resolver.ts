import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { DateScalar, RegisterProvenance, registerProvenance, syncReportsResolver } from "@yhdyspinta/core";
import type { Context } from "../context.ts";
import { CountyRef } from "../federation/references.ts";
import { IndicatorValueRevision } from "./indicator-revision.entity.ts";
import { followUpOf, IndicatorFollowUp } from "./indicator-follow-up.ts";
import { Indicator, IndicatorValue } from "./indicator.entity.ts";

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

@Resolver(() => IndicatorFollowUp)
export class IndicatorFollowUpResolver {
  @FieldResolver(() => Indicator, { nullable: true, description: "The indicator; null if the plan names one not (yet) known." })
  async indicator(@Root() row: IndicatorFollowUp, @Ctx() { loaders }: Context): Promise<Indicator | null> {
    return await loaders.indicatorById.load(row.indicatorId);
  }
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
export const IndicatorSyncReportsResolver = syncReportsResolver("indicatorSyncReports", ["sotkanet", "hyte"]);
