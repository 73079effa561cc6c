import { randomUUID } from "node:crypto";
import { assertCanWriteCounty, BadUserInputError, RecordSource, Scope, writeProvenance } from "@yhdyspinta/core";
import { Arg, Authorized, Ctx, ID, Mutation, Resolver } from "type-graphql";
import type { Context } from "../context.ts";
import { PlanStatus } from "../plan/plan-status.ts";
import { WellbeingGoal, WellbeingPlan } from "../plan/plan.entity.ts";
import { AddWellbeingGoalInput, CreateWellbeingPlanInput, UpdateWellbeingGoalInput, UpdateWellbeingPlanInput } from "../plan/plan.input.ts";
import {
  checkApproval,
  checkGoalRemovable,
  checkIndicators,
  checkPlanRemovable,
  checkPlanTerm,
  checkThemesOfCounty,
  goalsOfPlan,
  lockGoal,
  lockPlan,
  normaliseTerm,
  renumber,
} from "../plan/plan.rules.ts";

const unique = (ids: readonly string[] | null | undefined): string[] => [...new Set(ids ?? [])];

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
    const councilTerm = normaliseTerm(input.councilTerm, "input.councilTerm");
    const status = input.status ?? PlanStatus.DRAFT;
    checkApproval(status, input.approvedOn ?? null);
    if (input.municipalityCode) {
      const counties = await references.assertExist([{ field: "input.municipalityCode", type: "Municipality", keys: [input.municipalityCode], withCounty: true }]);
      const county = counties?.get(`Municipality:${input.municipalityCode}`);
      if (counties && county !== input.countyCode) {
        throw new BadUserInputError("input.municipalityCode", `municipality ${input.municipalityCode} is in county ${county ?? "(none)"}, not ${input.countyCode}`);
      }
    }
    return await em.transactional(async (tx) => {
      const themeIds = unique(input.priorityThemeIds);
      await checkThemesOfCounty(tx, input.countyCode, themeIds, "input.priorityThemeIds");
      const fields = { countyCode: input.countyCode, municipalityCode: input.municipalityCode ?? null, councilTerm };
      await checkPlanTerm(tx, fields, null);
      const plan = tx.create(WellbeingPlan, {
        id: `plan-${randomUUID()}`,
        ...fields,
        title: input.title,
        status,
        approvedOn: input.approvedOn ?? null,
        assessment: input.assessment ?? null,
        priorityThemeIds: themeIds,
      });
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
      if (input.councilTerm) {
        plan.councilTerm = normaliseTerm(input.councilTerm, "input.councilTerm");
        await checkPlanTerm(tx, plan, plan.id);
      }
      if (input.title) plan.title = input.title;
      if (input.status) plan.status = input.status;
      if (input.approvedOn !== undefined) plan.approvedOn = input.approvedOn;
      // A plan set back to draft loses its approval date unless the input names one.
      if (input.status === PlanStatus.DRAFT && input.approvedOn === undefined) plan.approvedOn = null;
      checkApproval(plan.status, plan.approvedOn);
      if (input.assessment !== undefined) plan.assessment = input.assessment;
      if (input.priorityThemeIds) {
        const themeIds = unique(input.priorityThemeIds);
        await checkThemesOfCounty(tx, plan.countyCode, themeIds, "input.priorityThemeIds");
        plan.priorityThemeIds = themeIds;
      }
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
      if (input.themeId) await checkThemesOfCounty(tx, plan.countyCode, [input.themeId], "input.themeId");
      const indicatorIds = unique(input.indicatorIds);
      await checkIndicators(tx, indicatorIds, "input.indicatorIds");
      const goals = await goalsOfPlan(tx, plan.id);
      const goal = tx.create(WellbeingGoal, {
        id: `goal-${randomUUID()}`,
        planId: plan.id,
        themeId: input.themeId ?? null,
        position: goals.length + 1,
        text: input.text,
        indicatorIds,
      });
      renumber([...goals, goal], goal, input.position);
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
      if (input.themeId) await checkThemesOfCounty(tx, plan.countyCode, [input.themeId], "input.themeId");
      if (input.themeId !== undefined) goal.themeId = input.themeId;
      if (input.text) goal.text = input.text;
      if (input.indicatorIds) {
        const indicatorIds = unique(input.indicatorIds);
        await checkIndicators(tx, indicatorIds, "input.indicatorIds");
        goal.indicatorIds = indicatorIds;
      }
      if (input.position) renumber(goals, goal, input.position);
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
