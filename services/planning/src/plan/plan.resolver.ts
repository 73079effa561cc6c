import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../context.ts";
import { MunicipalityRef, municipalityRef } from "../federation/references.ts";
import { WellbeingPlan } from "./plan.entity.ts";

@Resolver(() => WellbeingPlan)
export class WellbeingPlanResolver {
  @Query(() => WellbeingPlan, { nullable: true, description: "A wellbeing plan by id; null if there is none." })
  async wellbeingPlan(@Arg("id", () => ID) id: string, @Ctx() { loaders }: Context): Promise<WellbeingPlan | null> {
    return await loaders.planById.load(id);
  }

  @FieldResolver(() => MunicipalityRef, { nullable: true, description: "The municipality whose plan this is; null for a county's plan." })
  municipality(@Root() plan: WellbeingPlan): MunicipalityRef | null {
    return plan.municipalityCode ? municipalityRef(plan.municipalityCode) : null;
  }
}

@Resolver(() => MunicipalityRef)
export class MunicipalityPlansResolver {
  @FieldResolver(() => [WellbeingPlan], { description: "The municipality's wellbeing reports and plans, newest term first." })
  async wellbeingPlans(@Root() municipality: MunicipalityRef, @Ctx() { loaders }: Context): Promise<WellbeingPlan[]> {
    return await loaders.plansByMunicipality.load(municipality.code);
  }
}

/** Federation: `WellbeingPlan @key(id)`. */
export const wellbeingPlanReference = {
  WellbeingPlan: {
    __resolveReference: async (reference: { id: string }, context: Context) =>
      await context.loaders.planById.load(reference.id),
  },
};
