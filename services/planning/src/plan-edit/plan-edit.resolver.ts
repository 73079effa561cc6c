import { assertCanWriteCounty, BadUserInputError, RecordSource, Scope, writeProvenance } from "@yhdyspinta/core";
import { Arg, Authorized, Ctx, ID, Mutation, Resolver } from "type-graphql";
import type { Context } from "../context.ts";
import { PlanStatus } from "../plan/plan-status.ts";
import { WellbeingGoal, WellbeingPlan } from "../plan/plan.entity.ts";
import { AddWellbeingGoalInput, CreateWellbeingPlanInput, UpdateWellbeingGoalInput, UpdateWellbeingPlanInput } from "../plan/plan.input.ts";
import {
  addGoalRecord,
  applyGoalChanges,
  applyPlanChanges,
  checkApproval,
  checkGoalRemovable,
  checkPlanMunicipality,
  checkPlanRemovable,
  createPlanRecord,
  lockGoal,
  lockPlan,
  normaliseTerm,
  renumber,
} from "../plan/plan.rules.ts";

/** Coordinators record, correct and remove their county's wellbeing plans and the plans' goals. */
@Resolver()
export class PlanEditResolver {
  @Authorized(Scope.DataWrite)
  @Mutation(() => WellbeingPlan, {
    description: "Records a wellbeing report and plan of a county or one of its municipalities: one per county (or municipality) and council term. Needs `data:write` and a role for the county.",
  })
  async createWellbeingPlan(
    @Arg("input", () => CreateWellbeingPlanInput, { description: "The plan." }) input: CreateWellbeingPlanInput,
    @Ctx() { em, viewer, references }: Context,
  ): Promise<WellbeingPlan> {
    assertCanWriteCounty(viewer, input.countyCode);
    normaliseTerm(input.councilTerm, "input.councilTerm");
    checkApproval(input.status ?? PlanStatus.DRAFT, input.approvedOn ?? null);
    await checkPlanMunicipality(references, input.countyCode, input.municipalityCode);
    return await em.transactional(async (tx) => {
      const plan = await createPlanRecord(tx, viewer, input);
      await tx.flush();
      await writeProvenance(tx, "WellbeingPlan", plan.id, input.provenance);
      return plan;
    });
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => WellbeingPlan, {
    description: "Changes a wellbeing plan: title, term, status and approval date, assessment, priority themes. Needs `data:write` and a role for the plan's county.",
  })
  async updateWellbeingPlan(
    @Arg("input", () => UpdateWellbeingPlanInput, { description: "The changes." }) input: UpdateWellbeingPlanInput,
    @Ctx() { em, viewer }: Context,
  ): Promise<WellbeingPlan> {
    if (input.title === null) throw new BadUserInputError("input.title", "a plan keeps a title");
    if (input.councilTerm === null) throw new BadUserInputError("input.councilTerm", "a plan keeps its council term");
    if (input.status === null) throw new BadUserInputError("input.status", "a plan keeps a status");
    return await em.transactional(async (tx) => {
      const plan = await lockPlan(tx, viewer, input.planId, "input.planId");
      await applyPlanChanges(tx, plan, input);
      await tx.flush();
      await writeProvenance(tx, "WellbeingPlan", plan.id, input.provenance);
      return plan;
    });
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => ID, {
    description: "Removes a wellbeing plan recorded by mistake; returns its id. Refused while it has goals (remove them first). Needs `data:write` and a role for the plan's county.",
  })
  async removeWellbeingPlan(
    @Arg("planId", () => ID, { description: "The plan." }) planId: string,
    @Ctx() { em, viewer }: Context,
  ): Promise<string> {
    return await em.transactional(async (tx) => {
      const plan = await lockPlan(tx, viewer, planId, "planId");
      await checkPlanRemovable(tx, plan);
      const source = await tx.findOne(RecordSource, { recordType: "WellbeingPlan", recordId: plan.id });
      if (source) tx.remove(source);
      tx.remove(plan);
      return plan.id;
    });
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => WellbeingGoal, {
    description: "Adds a goal to a plan's plan part, last or at a position (the goals after it move down). Needs `data:write` and a role for the plan's county.",
  })
  async addWellbeingGoal(
    @Arg("input", () => AddWellbeingGoalInput, { description: "The goal." }) input: AddWellbeingGoalInput,
    @Ctx() { em, viewer }: Context,
  ): Promise<WellbeingGoal> {
    return await em.transactional(async (tx) => {
      const plan = await lockPlan(tx, viewer, input.planId, "input.planId");
      const goal = await addGoalRecord(tx, plan, input);
      await tx.flush();
      await writeProvenance(tx, "WellbeingGoal", goal.id, input.provenance);
      return goal;
    });
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => WellbeingGoal, {
    description: "Changes a goal: text, theme, position (the goals in between move), indicators. Needs `data:write` and a role for the plan's county.",
  })
  async updateWellbeingGoal(
    @Arg("input", () => UpdateWellbeingGoalInput, { description: "The changes." }) input: UpdateWellbeingGoalInput,
    @Ctx() { em, viewer }: Context,
  ): Promise<WellbeingGoal> {
    if (input.text === null) throw new BadUserInputError("input.text", "a goal keeps its text");
    return await em.transactional(async (tx) => {
      const { goal, plan, goals } = await lockGoal(tx, viewer, input.goalId, "input.goalId");
      await applyGoalChanges(tx, plan, goals, goal, input);
      await tx.flush();
      await writeProvenance(tx, "WellbeingGoal", goal.id, input.provenance);
      return goal;
    });
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => ID, {
    description:
      "Removes a goal recorded by mistake; returns its id. Refused while a measure pursues it or an annual negotiation's record lists it. The goals after it move up. Needs `data:write` and a role for the plan's county.",
  })
  async removeWellbeingGoal(
    @Arg("goalId", () => ID, { description: "The goal." }) goalId: string,
    @Ctx() { em, viewer }: Context,
  ): Promise<string> {
    return await em.transactional(async (tx) => {
      const { goal, goals } = await lockGoal(tx, viewer, goalId, "goalId");
      await checkGoalRemovable(tx, goal);
      const source = await tx.findOne(RecordSource, { recordType: "WellbeingGoal", recordId: goal.id });
      if (source) tx.remove(source);
      tx.remove(goal);
      renumber(goals.filter((g) => g !== goal));
      return goal.id;
    });
  }
}
