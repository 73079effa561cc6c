import { RecordSource, findUnconfirmed, recordKey } from "@yhdyspinta/core";
import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../context.ts";
import { GrantProgramme } from "../grant/grant.entity.ts";
import { Indicator } from "../indicator/indicator.entity.ts";
import { AnnualNegotiation, AnnualNegotiationPractice } from "../negotiation/negotiation.entity.ts";
import { WellbeingGoal, WellbeingPlan } from "../plan/plan.entity.ts";
import { Strategy } from "../strategy/strategy.entity.ts";
import { Theme } from "../theme/theme.entity.ts";

const DESCRIPTION =
  "Where the record and every item in it (values, principles, goals; grant principles) come from, and when it was last confirmed; null where not recorded.";

@Resolver()
export class PlanningProvenanceResolver {
  @Query(() => [RecordSource], {
    description: "Records of the planning subgraph (strategies, grant programmes, themes, plans and goals, negotiations and practices, indicators) whose provenance was last confirmed more than `months` months ago, oldest first.",
  })
  async unconfirmedPlanningRecords(
    @Arg("months", () => Int, { description: "Age in whole months, 0–1200." }) months: number,
    @Ctx() { em }: Context,
  ): Promise<RecordSource[]> {
    return await findUnconfirmed(em, months);
  }
}

@Resolver(() => Strategy)
export class StrategySourceResolver {
  @FieldResolver(() => RecordSource, { nullable: true, description: DESCRIPTION })
  async provenance(@Root() strategy: Strategy, @Ctx() { loaders }: Context): Promise<RecordSource | null> {
    return await loaders.sourceOf.load(recordKey("Strategy", strategy.id));
  }
}

@Resolver(() => GrantProgramme)
export class GrantProgrammeSourceResolver {
  @FieldResolver(() => RecordSource, { nullable: true, description: DESCRIPTION })
  async provenance(@Root() programme: GrantProgramme, @Ctx() { loaders }: Context): Promise<RecordSource | null> {
    return await loaders.sourceOf.load(recordKey("GrantProgramme", programme.id));
  }
}

@Resolver(() => Theme)
export class ThemeSourceResolver {
  @FieldResolver(() => RecordSource, { nullable: true, description: DESCRIPTION })
  async provenance(@Root() theme: Theme, @Ctx() { loaders }: Context): Promise<RecordSource | null> {
    return await loaders.sourceOf.load(recordKey("Theme", theme.id));
  }
}

@Resolver(() => WellbeingPlan)
export class WellbeingPlanSourceResolver {
  @FieldResolver(() => RecordSource, { nullable: true, description: "Where the plan comes from, and when it was last confirmed; null where not recorded." })
  async provenance(@Root() plan: WellbeingPlan, @Ctx() { loaders }: Context): Promise<RecordSource | null> {
    return await loaders.sourceOf.load(recordKey("WellbeingPlan", plan.id));
  }
}

@Resolver(() => WellbeingGoal)
export class WellbeingGoalSourceResolver {
  @FieldResolver(() => RecordSource, { nullable: true, description: "Where the goal comes from, and when it was last confirmed; null where not recorded." })
  async provenance(@Root() goal: WellbeingGoal, @Ctx() { loaders }: Context): Promise<RecordSource | null> {
    return await loaders.sourceOf.load(recordKey("WellbeingGoal", goal.id));
  }
}

@Resolver(() => AnnualNegotiation)
export class AnnualNegotiationSourceResolver {
  @FieldResolver(() => RecordSource, { nullable: true, description: "Where the negotiation is recorded, and when it was last confirmed; null where not recorded." })
  async provenance(@Root() negotiation: AnnualNegotiation, @Ctx() { loaders }: Context): Promise<RecordSource | null> {
    return await loaders.sourceOf.load(recordKey("AnnualNegotiation", negotiation.id));
  }
}

@Resolver(() => AnnualNegotiationPractice)
export class AnnualNegotiationPracticeSourceResolver {
  @FieldResolver(() => RecordSource, { nullable: true, description: "Where the arrangement is stated, and when it was last confirmed; null where not recorded." })
  async provenance(@Root() practice: AnnualNegotiationPractice, @Ctx() { loaders }: Context): Promise<RecordSource | null> {
    return await loaders.sourceOf.load(recordKey("AnnualNegotiationPractice", practice.countyCode));
  }
}

@Resolver(() => Indicator)
export class IndicatorSourceResolver {
  @FieldResolver(() => RecordSource, { nullable: true, description: "Where the indicator is described, and when it was last confirmed; null where not recorded." })
  async provenance(@Root() indicator: Indicator, @Ctx() { loaders }: Context): Promise<RecordSource | null> {
    return await loaders.sourceOf.load(recordKey("Indicator", indicator.id));
  }
}

export const provenanceResolvers = [
  IndicatorSourceResolver,
  PlanningProvenanceResolver,
  StrategySourceResolver,
  GrantProgrammeSourceResolver,
  ThemeSourceResolver,
  WellbeingPlanSourceResolver,
  WellbeingGoalSourceResolver,
  AnnualNegotiationSourceResolver,
  AnnualNegotiationPracticeSourceResolver,
];
