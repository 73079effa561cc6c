import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { Context } from "../context.ts";
import {
  CooperationGroupRef,
  CountyRef,
  countyRef,
  groupRef,
  OrganisationRef,
  organisationRef,
} from "../federation/references.ts";
import { Measure } from "../measure/measure.entity.ts";
import { WellbeingGoal } from "../plan/plan.entity.ts";
import { AnnualNegotiation, AnnualNegotiationPractice } from "./negotiation.entity.ts";

const present = <T>(values: (T | Error | null)[]): T[] => values.filter((v): v is T => v !== null && !(v instanceof Error));

@Resolver(() => AnnualNegotiation)
export class AnnualNegotiationResolver {
  @FieldResolver(() => CountyRef, { description: "The county that held the negotiation." })
  county(@Root() negotiation: AnnualNegotiation): CountyRef {
    return countyRef(negotiation.countyCode);
  }

  @FieldResolver(() => [OrganisationRef], { nullable: "items", description: "Organisations that took part, municipalities included; an item is null (with an error) when the organisation no longer exists." })
  participantOrganisations(@Root() negotiation: AnnualNegotiation): OrganisationRef[] {
    return negotiation.organisationIds.map(organisationRef);
  }

  @FieldResolver(() => [CooperationGroupRef], { nullable: "items", description: "Cooperation groups that took part; an item is null (with an error) when the group no longer exists." })
  participantGroups(@Root() negotiation: AnnualNegotiation): CooperationGroupRef[] {
    return negotiation.groupIds.map(groupRef);
  }

  @FieldResolver(() => [WellbeingGoal], { description: "Goals agreed in the negotiation." })
  async agreedGoals(@Root() negotiation: AnnualNegotiation, @Ctx() { loaders }: Context): Promise<WellbeingGoal[]> {
    return present(await loaders.goalById.loadMany(negotiation.goalIds));
  }

  @FieldResolver(() => [Measure], { description: "Measures agreed in the negotiation." })
  async agreedMeasures(@Root() negotiation: AnnualNegotiation, @Ctx() { loaders }: Context): Promise<Measure[]> {
    return present(await loaders.measureById.loadMany(negotiation.measureIds));
  }
}

@Resolver(() => AnnualNegotiationPractice)
export class AnnualNegotiationPracticeResolver {
  @FieldResolver(() => CountyRef, { description: "The county." })
  county(@Root() practice: AnnualNegotiationPractice): CountyRef {
    return countyRef(practice.countyCode);
  }

  @FieldResolver(() => [CooperationGroupRef], { nullable: "items", description: "Cooperation groups through which the negotiation is held or which take part; an item is null (with an error) when the group no longer exists." })
  groups(@Root() practice: AnnualNegotiationPractice): CooperationGroupRef[] {
    return practice.groupIds.map(groupRef);
  }
}

@Resolver(() => CountyRef)
export class CountyNegotiationsResolver {
  @FieldResolver(() => [AnnualNegotiation], { nullable: true, description: "Annual negotiations (612/2021 7 §) the county has held, newest first." })
  async negotiations(@Root() county: CountyRef, @Ctx() { loaders }: Context): Promise<AnnualNegotiation[]> {
    return await loaders.negotiationsByCounty.load(county.code);
  }

  @FieldResolver(() => AnnualNegotiationPractice, {
    nullable: true,
    description: "How the county arranges its annual negotiation (612/2021 7 §); null where no source describes it.",
  })
  async annualNegotiationPractice(@Root() county: CountyRef, @Ctx() { loaders }: Context): Promise<AnnualNegotiationPractice | null> {
    return await loaders.negotiationPracticeByCounty.load(county.code);
  }
}

@Resolver(() => CooperationGroupRef)
export class GroupNegotiationsResolver {
  @FieldResolver(() => [AnnualNegotiation], { nullable: true, description: "Annual negotiations (612/2021 7 §) the group took part in, newest first." })
  async negotiations(@Root() group: CooperationGroupRef, @Ctx() { loaders }: Context): Promise<AnnualNegotiation[]> {
    return await loaders.negotiationsByGroup.load(group.id);
  }
}
