import { LockMode } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/postgresql";
import { assertCanWriteCounty, BadUserInputError, helsinkiToday, uniqueRuleError, type Viewer } from "@yhdyspinta/core";
import { Measure } from "../measure/measure.entity.ts";
import { WellbeingGoal, WellbeingPlan } from "../plan/plan.entity.ts";
import { AnnualNegotiation, AnnualNegotiationPractice } from "./negotiation.entity.ts";

/**
 * The rules of a county's annual negotiations: the row lock a change takes
 * (with the county check), one negotiation a day per county, only held
 * (not future) negotiations, and agreed goals and measures of the county's
 * own plans. The practice is one row per county.
 */

/** Locks the negotiation row and checks the caller may change its county. */
export async function lockNegotiation(tx: EntityManager, viewer: Viewer, id: string, field: string): Promise<AnnualNegotiation> {
  const negotiation = await tx.findOne(AnnualNegotiation, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!negotiation) throw new BadUserInputError(field, `no annual negotiation "${id}"`);
  assertCanWriteCounty(viewer, negotiation.countyCode);
  return negotiation;
}

/** A held negotiation: not in the future, and the county's only one that day. */
export async function checkNegotiationDay(tx: EntityManager, countyCode: string, heldOn: string, exceptId: string | null): Promise<void> {
  if (heldOn > helsinkiToday()) throw new BadUserInputError("input.heldOn", "must not be in the future: only held negotiations are recorded");
  const same = await tx.findOne(AnnualNegotiation, { countyCode, heldOn, ...(exceptId ? { id: { $ne: exceptId } } : {}) });
  if (same) throw uniqueRuleError("annual_negotiation_county_held_on_unique", `negotiation ${same.id} of county ${countyCode} on ${heldOn}`);
}

/** Agreed goals are goals of the county's (or its municipalities') plans. */
export async function checkGoalsOfCounty(tx: EntityManager, countyCode: string, goalIds: readonly string[], field: string): Promise<void> {
  if (goalIds.length === 0) return;
  const goals = await tx.find(WellbeingGoal, { id: { $in: [...goalIds] } });
  const plans = await tx.find(WellbeingPlan, { id: { $in: [...new Set(goals.map((g) => g.planId))] } });
  for (const id of goalIds) {
    const goal = goals.find((g) => g.id === id);
    if (!goal) throw new BadUserInputError(field, `no goal "${id}"`);
    const county = plans.find((p) => p.id === goal.planId)?.countyCode ?? null;
    if (county !== countyCode) throw new BadUserInputError(field, `goal "${id}" is of a plan of county ${county ?? "(none)"}, not ${countyCode}`);
  }
}

/** Agreed measures are measures of the county. */
export async function checkMeasuresOfCounty(tx: EntityManager, countyCode: string, measureIds: readonly string[], field: string): Promise<void> {
  if (measureIds.length === 0) return;
  const measures = await tx.find(Measure, { id: { $in: [...measureIds] } });
  for (const id of measureIds) {
    const measure = measures.find((m) => m.id === id);
    if (!measure) throw new BadUserInputError(field, `no measure "${id}"`);
    if (measure.countyCode !== countyCode) throw new BadUserInputError(field, `measure "${id}" is county ${measure.countyCode}'s, not ${countyCode}`);
  }
}

/** The county's practice row, locked (null when none is recorded), after the county check. */
export async function lockPractice(tx: EntityManager, viewer: Viewer, countyCode: string): Promise<AnnualNegotiationPractice | null> {
  assertCanWriteCounty(viewer, countyCode);
  return await tx.findOne(AnnualNegotiationPractice, { countyCode }, { lockMode: LockMode.PESSIMISTIC_WRITE });
}
