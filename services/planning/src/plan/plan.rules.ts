import { randomUUID } from "node:crypto";
import { LockMode } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/postgresql";
import { assertCanWriteCounty, BadUserInputError, helsinkiToday, uniqueRuleError, type ReferenceChecker, type Viewer } from "@yhdyspinta/core";
import { Indicator } from "../indicator/indicator.entity.ts";
import { Measure } from "../measure/measure.entity.ts";
import { AnnualNegotiation } from "../negotiation/negotiation.entity.ts";
import { Theme } from "../theme/theme.entity.ts";
import { PlanStatus } from "./plan-status.ts";
import { WellbeingGoal, WellbeingPlan } from "./plan.entity.ts";

/**
 * The rules of a wellbeing plan and its goals: the locks a change takes
 * (the plan row, also for a change of its goals, so that positions are
 * counted under the lock), one plan per county (or municipality) and council
 * term, an approval date exactly when approved, themes of the plan's county,
 * and that a plan or goal something refers to stays; how a plan and a goal
 * are created and changed (the mutations and the plans import alike).
 */

/** A council term as stored: "2025–2029" (en dash), its second year after its first. */
export function normaliseTerm(term: string, field: string): string {
  const [from, to] = term.split(/[–-]/).map(Number);
  if (!from || !to || to <= from) throw new BadUserInputError(field, `must run forward, like 2025–2029 (got "${term}")`);
  return `${from}–${to}`;
}

/** Locks the plan row for the rest of the transaction and checks the caller may change its county. */
export async function lockPlan(tx: EntityManager, viewer: Viewer, id: string, field: string): Promise<WellbeingPlan> {
  const plan = await tx.findOne(WellbeingPlan, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!plan) throw new BadUserInputError(field, `no wellbeing plan "${id}"`);
  assertCanWriteCounty(viewer, plan.countyCode);
  return plan;
}

/** One plan per county (or municipality) and council term. */
export async function checkPlanTerm(tx: EntityManager, plan: Pick<WellbeingPlan, "countyCode" | "municipalityCode" | "councilTerm">, exceptId: string | null): Promise<void> {
  const same = await tx.findOne(WellbeingPlan, {
    countyCode: plan.countyCode,
    municipalityCode: plan.municipalityCode,
    councilTerm: plan.councilTerm,
    ...(exceptId ? { id: { $ne: exceptId } } : {}),
  });
  if (same) throw uniqueRuleError("wellbeing_plan_term_unique", `plan ${same.id} for ${plan.municipalityCode ? `municipality ${plan.municipalityCode}` : `county ${plan.countyCode}`}, ${plan.councilTerm}`);
}

/** An approved plan has its approval date (not in the future); a draft has none. */
export function checkApproval(status: PlanStatus, approvedOn: string | null): void {
  if (status === PlanStatus.APPROVED && !approvedOn) throw new BadUserInputError("input.approvedOn", "an approved plan needs approvedOn, the date the council approved it");
  if (status === PlanStatus.DRAFT && approvedOn) throw new BadUserInputError("input.approvedOn", "a draft has no approvedOn: set status APPROVED with the date, or leave the date out");
  if (approvedOn && approvedOn > helsinkiToday()) throw new BadUserInputError("input.approvedOn", "must not be in the future");
}

/** Themes a plan or goal names must be themes of the plan's county. */
export async function checkThemesOfCounty(tx: EntityManager, countyCode: string | null, themeIds: readonly string[], field: string): Promise<void> {
  if (themeIds.length === 0) return;
  const found = await tx.find(Theme, { id: { $in: [...new Set(themeIds)] } });
  for (const id of themeIds) {
    const theme = found.find((t) => t.id === id);
    if (!theme) throw new BadUserInputError(field, `no theme "${id}"`);
    if (theme.countyCode !== countyCode) throw new BadUserInputError(field, `theme "${id}" is county ${theme.countyCode}'s, not the plan's county ${countyCode}`);
  }
}

/** The indicators a goal names exist. */
export async function checkIndicators(tx: EntityManager, ids: readonly string[], field: string): Promise<void> {
  if (ids.length === 0) return;
  const found = new Set((await tx.find(Indicator, { id: { $in: [...new Set(ids)] } })).map((i) => i.id));
  const missing = ids.find((id) => !found.has(id));
  if (missing) throw new BadUserInputError(field, `no indicator "${missing}"`);
}

/** A plan with goals is not removed: remove the goals first (each only if nothing refers to it). */
export async function checkPlanRemovable(tx: EntityManager, plan: WellbeingPlan): Promise<void> {
  const goals = await tx.count(WellbeingGoal, { planId: plan.id });
  if (goals > 0) throw new BadUserInputError("planId", `the plan has ${goals} goal(s): remove them first`);
}

/** The goal (by id) and its plan, the plan row locked first (the order every goal change takes). */
export async function lockGoal(tx: EntityManager, viewer: Viewer, id: string, field: string): Promise<{ goal: WellbeingGoal; plan: WellbeingPlan; goals: WellbeingGoal[] }> {
  const found = await tx.findOne(WellbeingGoal, { id });
  if (!found) throw new BadUserInputError(field, `no goal "${id}"`);
  const plan = await lockPlan(tx, viewer, found.planId, field);
  const goals = await goalsOfPlan(tx, plan.id);
  const goal = goals.find((g) => g.id === id);
  if (!goal) throw new BadUserInputError(field, `no goal "${id}"`);
  return { goal, plan, goals };
}

/** The plan's goals in order (call with the plan locked). */
export async function goalsOfPlan(tx: EntityManager, planId: string): Promise<WellbeingGoal[]> {
  return await tx.find(WellbeingGoal, { planId }, { orderBy: { position: "asc", id: "asc" } });
}

/** Numbers `items` 1… in order, `moved` (if given) at `position` (clamped to the list). */
export function renumber<T extends { position: number }>(items: readonly T[], moved?: T, position?: number | null): void {
  const list = moved ? items.filter((i) => i !== moved) : [...items];
  if (moved) list.splice(Math.min(Math.max((position ?? list.length + 1) - 1, 0), list.length), 0, moved);
  list.forEach((item, i) => {
    if (item.position !== i + 1) item.position = i + 1;
  });
}

/** A goal a measure pursues or a negotiation's record lists stays. */
export async function checkGoalRemovable(tx: EntityManager, goal: WellbeingGoal): Promise<void> {
  const measure = await tx.findOne(Measure, { goalId: goal.id });
  if (measure) throw new BadUserInputError("goalId", `measure ${measure.id} ("${measure.title}") pursues the goal: point it elsewhere first`);
  const negotiation = await tx.findOne(AnnualNegotiation, { goalIds: { $contains: [goal.id] } });
  if (negotiation) throw new BadUserInputError("goalId", `annual negotiation ${negotiation.id} (${negotiation.heldOn}) lists the goal`);
}

const uniqueIds = (ids: readonly string[] | null | undefined): string[] => [...new Set(ids ?? [])];

/** A municipality's plan is of a municipality of the plan's county (asked of the organisations subgraph). */
export async function checkPlanMunicipality(references: ReferenceChecker, countyCode: string, municipalityCode: string | null | undefined): Promise<void> {
  if (!municipalityCode) return;
  const counties = await references.assertExist([{ field: "input.municipalityCode", type: "Municipality", keys: [municipalityCode], withCounty: true }]);
  const county = counties?.get(`Municipality:${municipalityCode}`);
  if (counties && county !== countyCode) {
    throw new BadUserInputError("input.municipalityCode", `municipality ${municipalityCode} is in county ${county ?? "(none)"}, not ${countyCode}`);
  }
}

/** What a new plan is made of (`CreateWellbeingPlanInput`'s fields). */
export interface NewPlan {
  countyCode: string;
  municipalityCode?: string | null | undefined;
  title: string;
  councilTerm: string;
  status?: PlanStatus | null | undefined;
  approvedOn?: string | null | undefined;
  assessment?: string | null | undefined;
  priorityThemeIds?: readonly string[] | null | undefined;
}

/**
 * A new plan by `createWellbeingPlan`'s rules (county check, term, approval,
 * themes of the county, one plan per county or municipality and term), its
 * municipality checked before (`checkPlanMunicipality`): the mutation and
 * the plans import. Not flushed.
 */
export async function createPlanRecord(tx: EntityManager, viewer: Viewer, input: NewPlan): Promise<WellbeingPlan> {
  assertCanWriteCounty(viewer, input.countyCode);
  const councilTerm = normaliseTerm(input.councilTerm, "input.councilTerm");
  const status = input.status ?? PlanStatus.DRAFT;
  checkApproval(status, input.approvedOn ?? null);
  const themeIds = uniqueIds(input.priorityThemeIds);
  await checkThemesOfCounty(tx, input.countyCode, themeIds, "input.priorityThemeIds");
  const fields = { countyCode: input.countyCode, municipalityCode: input.municipalityCode ?? null, councilTerm };
  await checkPlanTerm(tx, fields, null);
  return tx.create(WellbeingPlan, {
    id: `plan-${randomUUID()}`,
    ...fields,
    title: input.title,
    status,
    approvedOn: input.approvedOn ?? null,
    assessment: input.assessment ?? null,
    priorityThemeIds: themeIds,
  });
}

/** Changes to a plan (`UpdateWellbeingPlanInput`'s fields): omitted stay, null clears an optional one. */
export type PlanChanges = { title?: string | null | undefined; councilTerm?: string | null | undefined; status?: PlanStatus | null | undefined; approvedOn?: string | null | undefined; assessment?: string | null | undefined; priorityThemeIds?: readonly string[] | null | undefined };

/** Applies changes to a locked plan (`lockPlan`) by `updateWellbeingPlan`'s rules: the mutation and the plans import. Not flushed. */
export async function applyPlanChanges(tx: EntityManager, plan: WellbeingPlan, input: PlanChanges): Promise<void> {
  if (input.title === null) throw new BadUserInputError("input.title", "a plan keeps a title");
  if (input.councilTerm === null) throw new BadUserInputError("input.councilTerm", "a plan keeps its council term");
  if (input.status === null) throw new BadUserInputError("input.status", "a plan keeps a status");
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
    const themeIds = uniqueIds(input.priorityThemeIds);
    await checkThemesOfCounty(tx, plan.countyCode, themeIds, "input.priorityThemeIds");
    plan.priorityThemeIds = themeIds;
  }
}

/** What a new goal is made of (`AddWellbeingGoalInput`'s fields but the plan). */
export interface NewGoal {
  text: string;
  themeId?: string | null | undefined;
  position?: number | null | undefined;
  indicatorIds?: readonly string[] | null | undefined;
}

/** A new goal of a locked plan (`lockPlan`) by `addWellbeingGoal`'s rules (theme of the plan's county, indicators that exist, positions renumbered): the mutation and the plans import. Not flushed. */
export async function addGoalRecord(tx: EntityManager, plan: WellbeingPlan, input: NewGoal): Promise<WellbeingGoal> {
  if (input.themeId) await checkThemesOfCounty(tx, plan.countyCode, [input.themeId], "input.themeId");
  const indicatorIds = uniqueIds(input.indicatorIds);
  await checkIndicators(tx, indicatorIds, "input.indicatorIds");
  const goals = await goalsOfPlan(tx, plan.id);
  const goal = tx.create(WellbeingGoal, { id: `goal-${randomUUID()}`, planId: plan.id, themeId: input.themeId ?? null, position: goals.length + 1, text: input.text, indicatorIds });
  renumber([...goals, goal], goal, input.position);
  return goal;
}

/** Changes to a goal (`UpdateWellbeingGoalInput`'s fields but the goal): omitted stay, null clears an optional one. */
export type GoalChanges = { text?: string | null | undefined; themeId?: string | null | undefined; position?: number | null | undefined; indicatorIds?: readonly string[] | null | undefined };

/** Applies changes to a goal of a locked plan (`lockGoal`) by `updateWellbeingGoal`'s rules: the mutation and the plans import. Not flushed. */
export async function applyGoalChanges(tx: EntityManager, plan: WellbeingPlan, goals: readonly WellbeingGoal[], goal: WellbeingGoal, input: GoalChanges): Promise<void> {
  if (input.text === null) throw new BadUserInputError("input.text", "a goal keeps its text");
  if (input.themeId) await checkThemesOfCounty(tx, plan.countyCode, [input.themeId], "input.themeId");
  if (input.themeId !== undefined) goal.themeId = input.themeId;
  if (input.text) goal.text = input.text;
  if (input.indicatorIds) {
    const indicatorIds = uniqueIds(input.indicatorIds);
    await checkIndicators(tx, indicatorIds, "input.indicatorIds");
    goal.indicatorIds = indicatorIds;
  }
  if (input.position) renumber(goals, goal, input.position);
}
