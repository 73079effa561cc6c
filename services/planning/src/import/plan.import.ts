import type { EntityManager } from "@mikro-orm/postgresql";
import { assertCanWriteCounty, dateCell, enumCell, type FieldChange, fieldChanges, type ImportKindHandler, listCell, optional, type ReferenceChecker, refuse, type RowProblem, RowRefused, sameValue, validateInput, writeProvenance } from "@yhdyspinta/core";
import { Indicator } from "../indicator/indicator.entity.ts";
import { PlanStatus } from "../plan/plan-status.ts";
import type { WellbeingGoal, WellbeingPlan } from "../plan/plan.entity.ts";
import { AddWellbeingGoalInput, CreateWellbeingPlanInput, UpdateWellbeingGoalInput, UpdateWellbeingPlanInput } from "../plan/plan.input.ts";
import { addGoalRecord, applyGoalChanges, applyPlanChanges, checkPlanMunicipality, createPlanRecord, goalsOfPlan, lockPlan } from "../plan/plan.rules.ts";
import { Theme } from "../theme/theme.entity.ts";
import { goalByText, indicatorsByKey, planByKey, planKeyOf, themeByName, type PlanKey } from "./natural-keys.ts";

/**
 * Wellbeing plans and their goals from a sheet (docs/IMPORT.md, kind
 * `plans`), one row per goal (a row without a goal is the plan alone),
 * through the input classes and rules of `createWellbeingPlan`,
 * `updateWellbeingPlan`, `addWellbeingGoal` and `updateWellbeingGoal`
 * (plan.rules.ts). The plan is matched by county, municipality and council
 * term, the goal by its text in the plan; the plan's own cells repeat on
 * each of its rows and must agree.
 */

export const PLAN_COLUMNS = {
  "input.countyCode": "county", "input.municipalityCode": "municipality", "input.councilTerm": "councilTerm", "input.planId": "councilTerm", "input.title": "title",
  "input.status": "status", "input.approvedOn": "approvedOn", "input.goalId": "goal", "input.text": "goal", "input.themeId": "theme", "input.indicatorIds": "indicators",
};

/** The row's own problems found by the gateway's resolve step (a municipality, organisation or group that does not match). */
export function gatewayProblems(v: Record<string, string>): void {
  if (v["__problems"]) throw new RowRefused(JSON.parse(v["__problems"]) as RowProblem[]);
}


/** The plan a row names, created or changed by its cells; the plan's cells must agree with an earlier row of the same plan. */
async function planOfRow(tx: EntityManager, v: Record<string, string>, key: PlanKey, deps: { references: ReferenceChecker }, context: Parameters<ImportKindHandler["handle"]>[2]): Promise<{ plan: WellbeingPlan; created: boolean; changes: FieldChange[] }> {
  const { viewer, provenance, memo } = context;
  const wanted = { title: optional(v["title"]), status: enumCell(PlanStatus, v["status"], "status"), approvedOn: dateCell(v["approvedOn"], "approvedOn") };
  const memoKey = `plan:${key.countyCode}|${key.municipalityCode ?? ""}|${key.councilTerm}`;
  const earlier = memo.get(memoKey) as Record<string, unknown> | undefined;
  if (earlier) {
    for (const [column, value] of Object.entries(wanted)) {
      if (value !== undefined && earlier[column] !== undefined && !sameValue(earlier[column], value)) refuse(column, `differs from an earlier row of the same plan (${key.text}) in this file: a plan's cells repeat on each of its rows`);
    }
  }
  memo.set(memoKey, { ...earlier, ...Object.fromEntries(Object.entries(wanted).filter(([, value]) => value !== undefined)) });
  const existing = await planByKey(tx, key);
  if (!existing) {
    assertCanWriteCounty(viewer, key.countyCode);
    if (!wanted.title) refuse("title", "is required for a new plan");
    const input = Object.assign(new CreateWellbeingPlanInput(), {
      countyCode: key.countyCode, municipalityCode: key.municipalityCode, title: wanted.title, councilTerm: key.councilTerm,
      ...(wanted.status ? { status: wanted.status } : {}), ...(wanted.approvedOn ? { approvedOn: wanted.approvedOn } : {}),
    });
    await validateInput(input, PLAN_COLUMNS, "title");
    await checkPlanMunicipality(deps.references, key.countyCode, key.municipalityCode);
    const plan = await createPlanRecord(tx, viewer, input);
    await tx.flush();
    await writeProvenance(tx, "WellbeingPlan", plan.id, provenance);
    return { plan, created: true, changes: [] };
  }
  const plan = await lockPlan(tx, viewer, existing.id, "input.planId");
  // A status cell alone (approved → draft) clears the date as updateWellbeingPlan does; an empty date cell with an approved status is the rule's refusal.
  const { changed, changes } = fieldChanges({ title: plan.title, status: plan.status, approvedOn: plan.approvedOn }, { ...wanted, title: wanted.title ?? undefined, status: wanted.status ?? undefined });
  if (changes.length === 0) return { plan, created: false, changes };
  const input = Object.assign(new UpdateWellbeingPlanInput(), { planId: plan.id, ...changed });
  await validateInput(input, PLAN_COLUMNS, "title");
  await applyPlanChanges(tx, plan, input);
  await tx.flush();
  await writeProvenance(tx, "WellbeingPlan", plan.id, provenance);
  return { plan, created: false, changes };
}

export function planImport(deps: { references: ReferenceChecker }): ImportKindHandler {
  return {
    columnOf: PLAN_COLUMNS,
    fallbackColumn: "county",
    async handle(tx, v, context) {
      gatewayProblems(v);
      const key = planKeyOf(v);
      const goalText = optional(v["goal"]);
      const rowKey = goalText ? `${key.text}: ${goalText}` : key.text;
      const { plan, created: planCreated, changes: planChanges } = await planOfRow(tx, v, key, deps, context);
      if (!goalText) {
        if (v["theme"]?.trim() || v["indicators"]?.trim()) refuse("goal", "must not be blank when the row names a theme or indicators: they are a goal's");
        return { status: planCreated ? "created" : planChanges.length ? "updated" : "unchanged", key: rowKey, id: plan.id, ...(planChanges.length ? { changes: planChanges } : {}) };
      }
      const theme = v["theme"] === undefined ? undefined : v["theme"].trim() ? await themeByName(tx, key.countyCode, v["theme"], "theme") : null;
      const indicators = v["indicators"] === undefined ? undefined : await indicatorsByKey(tx, listCell(v["indicators"]), "indicators");
      const goals = await goalsOfPlan(tx, plan.id);
      const goal = goalByText(goals, goalText, "goal");
      if (!goal) {
        const input = Object.assign(new AddWellbeingGoalInput(), { planId: plan.id, text: goalText, themeId: theme?.id ?? null, indicatorIds: indicators?.map((i) => i.id) ?? [] });
        await validateInput(input, PLAN_COLUMNS, "goal");
        const added = await addGoalRecord(tx, plan, input);
        await tx.flush();
        await writeProvenance(tx, "WellbeingGoal", added.id, context.provenance);
        return { status: "created", key: rowKey, id: added.id, ...(planChanges.length ? { changes: planChanges } : {}) };
      }
      const goalChanges = await changeGoal(tx, plan, goals, goal, { text: goalText, theme, indicators });
      if (goalChanges.length) await writeProvenance(tx, "WellbeingGoal", goal.id, context.provenance);
      const changes = [...planChanges, ...goalChanges];
      return { status: planCreated ? "created" : changes.length ? "updated" : "unchanged", key: rowKey, id: goal.id, ...(changes.length ? { changes } : {}) };
    },
  };
}

/** A matched goal's text (letter case), theme and indicators as the row gives them, by `updateWellbeingGoal`'s rules; the changes by column, names as people write them. */
async function changeGoal(
  tx: EntityManager,
  plan: WellbeingPlan,
  goals: readonly WellbeingGoal[],
  goal: WellbeingGoal,
  wanted: { text: string; theme: Theme | null | undefined; indicators: Indicator[] | undefined },
): Promise<FieldChange[]> {
  const changes: FieldChange[] = [];
  const input = Object.assign(new UpdateWellbeingGoalInput(), { goalId: goal.id });
  if (goal.text !== wanted.text) {
    changes.push({ field: "goal", before: goal.text, after: wanted.text });
    input.text = wanted.text;
  }
  if (wanted.theme !== undefined && (wanted.theme?.id ?? null) !== goal.themeId) {
    const before = goal.themeId ? await tx.findOne(Theme, { id: goal.themeId }) : null;
    changes.push({ field: "theme", before: before?.name ?? goal.themeId, after: wanted.theme?.name ?? null });
    input.themeId = wanted.theme?.id ?? null;
  }
  if (wanted.indicators !== undefined) {
    const after = [...new Set(wanted.indicators.map((i) => i.id))];
    if (after.length !== goal.indicatorIds.length || after.some((id) => !goal.indicatorIds.includes(id))) {
      const named = new Map((await tx.find(Indicator, { id: { $in: [...goal.indicatorIds, ...after] } })).map((i) => [i.id, i.name]));
      changes.push({ field: "indicators", before: goal.indicatorIds.map((id) => named.get(id) ?? id), after: after.map((id) => named.get(id) ?? id) });
      input.indicatorIds = after;
    }
  }
  if (changes.length === 0) return changes;
  await validateInput(input, PLAN_COLUMNS, "goal");
  await applyGoalChanges(tx, plan, goals, goal, input);
  await tx.flush();
  return changes;
}
