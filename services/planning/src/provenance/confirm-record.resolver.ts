import { confirmSourcedRecord, type CountyOfRecord, DateScalar, RecordSource, Scope } from "@yhdyspinta/core";
import { Arg, Authorized, Ctx, ID, Mutation, Resolver } from "type-graphql";
import type { Context } from "../context.ts";
import { GrantProgramme } from "../grant/grant.entity.ts";
import { Indicator } from "../indicator/indicator.entity.ts";
import { AnnualNegotiation, AnnualNegotiationPractice } from "../negotiation/negotiation.entity.ts";
import { WellbeingGoal, WellbeingPlan } from "../plan/plan.entity.ts";
import { Strategy } from "../strategy/strategy.entity.ts";
import { Theme } from "../theme/theme.entity.ts";

/**
 * The record types of this subgraph that carry provenance (`provenance`
 * fields), by GraphQL type name, each with how to read a record's county in
 * the writing transaction (undefined when there is no such record; null for
 * a record of no county, which only an admin may confirm: indicators).
 * A county's negotiation practice is keyed by the county's code.
 */
const SOURCED_TYPES: Record<string, CountyOfRecord> = {
  Strategy: async (tx, id) => (await tx.findOne(Strategy, { id }))?.countyCode,
  GrantProgramme: async (tx, id) => (await tx.findOne(GrantProgramme, { id }))?.countyCode,
  Theme: async (tx, id) => (await tx.findOne(Theme, { id }))?.countyCode,
  WellbeingPlan: async (tx, id) => (await tx.findOne(WellbeingPlan, { id }))?.countyCode,
  WellbeingGoal: async (tx, id) => {
    const goal = await tx.findOne(WellbeingGoal, { id });
    return goal ? ((await tx.findOne(WellbeingPlan, { id: goal.planId }))?.countyCode ?? null) : undefined;
  },
  AnnualNegotiation: async (tx, id) => (await tx.findOne(AnnualNegotiation, { id }))?.countyCode,
  AnnualNegotiationPractice: async (tx, id) => (/^\d{2}$/.test(id) ? (await tx.findOne(AnnualNegotiationPractice, { countyCode: id }))?.countyCode : undefined),
  Indicator: async (tx, id) => ((await tx.findOne(Indicator, { id })) ? null : undefined),
};

@Resolver()
export class ConfirmPlanningRecordResolver {
  @Authorized(Scope.DataWrite)
  @Mutation(() => RecordSource, {
    description:
      "Re-confirms a planning-subgraph record's provenance as still current on a day (default today), changing nothing else; a record without provenance gets one with only the date. Needs `data:write` and a role for the record's county.",
  })
  async confirmPlanningRecord(
    @Arg("recordType", () => String, { description: "GraphQL type of the record: Strategy, GrantProgramme, Theme, WellbeingPlan, WellbeingGoal, AnnualNegotiation, AnnualNegotiationPractice (its id is the county's code) or Indicator (admins only)." }) recordType: string,
    @Arg("id", () => ID, { description: "Id of the record; for AnnualNegotiationPractice the county's two-digit code." }) id: string,
    @Arg("on", () => DateScalar, { nullable: true, description: "Day the record was checked against its source; today (Helsinki) when left out, never in the future." }) on: string | null,
    @Ctx() { em, viewer }: Context,
  ): Promise<RecordSource> {
    return await em.transactional(async (tx) => await confirmSourcedRecord(tx, viewer, SOURCED_TYPES, recordType, id, on));
  }
}
