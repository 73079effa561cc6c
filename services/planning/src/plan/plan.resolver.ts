import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../context.ts";
import { CountyRef, countyRef, MunicipalityRef, municipalityRef } from "../federation/references.ts";
import { Indicator } from "../indicator/indicator.entity.ts";
import { Measure } from "../measure/measure.entity.ts";
import { Theme } from "../theme/theme.entity.ts";
import { PlanScope } from "./plan-scope.ts";
import { WellbeingGoal, WellbeingPlan } from "./plan.entity.ts";

const present = <T>(values: (T | Error | null)[]): T[] => values.filter((v): v is T => v !== null && !(v instanceof Error));

@Resolver(() => WellbeingPlan)
export class WellbeingPlanResolver {
  @Query(() => WellbeingPlan, { nullable: true, description: "A wellbeing plan by id; null if there is none." })
  async wellbeingPlan(
    @Arg("id", () => ID, { description: "The plan's id." }) id: string,
    @Ctx() { loaders }: Context,
  ): Promise<WellbeingPlan | null> {
    return await loaders.planById.load(id);
  }

  @FieldResolver(() => PlanScope, { description: "Whether this is a county's or a municipality's plan." })
  scope(@Root() plan: WellbeingPlan): PlanScope {
    return plan.municipalityCode ? PlanScope.MUNICIPALITY : PlanScope.COUNTY;
  }

  @FieldResolver(() => MunicipalityRef, { nullable: true, description: "The municipality whose plan this is; null for a county's plan." })
  municipality(@Root() plan: WellbeingPlan): MunicipalityRef | null {
    return plan.municipalityCode ? municipalityRef(plan.municipalityCode) : null;
  }

  @FieldResolver(() => CountyRef, {
    nullable: true,
    description: "The county whose plan this is, or the county of the municipality whose plan it is.",
  })
  county(@Root() plan: WellbeingPlan): CountyRef | null {
    return plan.countyCode ? countyRef(plan.countyCode) : null;
  }

  @FieldResolver(() => [Theme], { description: "Priority themes (painopisteet) of the plan part, in the plan's order." })
  async priorityThemes(@Root() plan: WellbeingPlan, @Ctx() { loaders }: Context): Promise<Theme[]> {
    return present(await loaders.themeById.loadMany(plan.priorityThemeIds));
  }

  @FieldResolver(() => [WellbeingGoal], { description: "Goals of the plan part, in the plan's order." })
  async goals(@Root() plan: WellbeingPlan, @Ctx() { loaders }: Context): Promise<WellbeingGoal[]> {
    return await loaders.goalsByPlan.load(plan.id);
  }
}

@Resolver(() => WellbeingGoal)
export class WellbeingGoalResolver {
  @FieldResolver(() => WellbeingPlan, { nullable: true, description: "The plan the goal belongs to." })
  async plan(@Root() goal: WellbeingGoal, @Ctx() { loaders }: Context): Promise<WellbeingPlan | null> {
    return await loaders.planById.load(goal.planId);
  }

  @FieldResolver(() => Theme, { nullable: true, description: "The priority theme the goal is under; null if the plan gives none." })
  async theme(@Root() goal: WellbeingGoal, @Ctx() { loaders }: Context): Promise<Theme | null> {
    return goal.themeId ? await loaders.themeById.load(goal.themeId) : null;
  }

  @FieldResolver(() => [Measure], { description: "Measures that pursue the goal, by title." })
  async measures(@Root() goal: WellbeingGoal, @Ctx() { loaders }: Context): Promise<Measure[]> {
    return await loaders.measuresByGoal.load(goal.id);
  }

  @FieldResolver(() => [Indicator], { description: "Indicators the plan monitors the goal with." })
  async indicators(@Root() goal: WellbeingGoal, @Ctx() { loaders }: Context): Promise<Indicator[]> {
    return present(await loaders.indicatorById.loadMany(goal.indicatorIds));
  }
}

@Resolver(() => MunicipalityRef)
export class MunicipalityPlansResolver {
  @FieldResolver(() => [WellbeingPlan], { nullable: true, description: "The municipality's wellbeing reports and plans, newest term first." })
  async wellbeingPlans(@Root() municipality: MunicipalityRef, @Ctx() { loaders }: Context): Promise<WellbeingPlan[]> {
    return await loaders.plansByMunicipality.load(municipality.code);
  }
}

@Resolver(() => CountyRef)
export class CountyPlansResolver {
  @FieldResolver(() => [WellbeingPlan], { nullable: true,
    description: "The county's own regional wellbeing reports and plans (612/2021 7 §), newest term first; not its municipalities'.",
  })
  async wellbeingPlans(@Root() county: CountyRef, @Ctx() { loaders }: Context): Promise<WellbeingPlan[]> {
    return await loaders.plansByCounty.load(county.code);
  }
}

/** Federation: `WellbeingPlan @key(id)`. */
export const wellbeingPlanReference = {
  WellbeingPlan: {
    __resolveReference: async (reference: { id: string }, context: Context) =>
      await context.loaders.planById.load(reference.id),
  },
};
