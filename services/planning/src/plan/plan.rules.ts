import { LockMode } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/postgresql";
import { assertCanWriteCounty, BadUserInputError, helsinkiToday, uniqueRuleError, type Viewer } from "@yhdyspinta/core";
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
 * and that a plan or goal something refers to stays.
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
