import type { EntityManager } from "@mikro-orm/postgresql";
import { refuse } from "@yhdyspinta/core";
import { Indicator } from "../indicator/indicator.entity.ts";
import { WellbeingGoal, WellbeingPlan } from "../plan/plan.entity.ts";
import { normaliseTerm } from "../plan/plan.rules.ts";
import { Theme } from "../theme/theme.entity.ts";

/**
 * The natural keys of the planning import (docs/IMPORT.md): a plan by its
 * county, municipality (none for the county's own) and council term (the
 * key `checkPlanTerm` keeps unique); a goal by its text within the plan; a
 * theme by its name in the county; an indicator by its THL Sotkanet id or
 * name. More than one match is refused as AMBIGUOUS naming the column.
 */

export interface PlanKey {
  countyCode: string;
  municipalityCode: string | null;
  councilTerm: string;
  /** The key as the row writes it. */
  text: string;
}

/** The plan a row names: county, municipality (resolved by the gateway into `municipalityCode`) and council term. */
export function planKeyOf(v: Record<string, string>): PlanKey {
  const countyCode = (v["county"] ?? "").trim();
  if (!countyCode) refuse("county", "must not be blank");
  const term = (v["councilTerm"] ?? "").trim();
  if (!term) refuse("councilTerm", "must not be blank: with the county and municipality, it names the plan");
  const councilTerm = normaliseTerm(term, "input.councilTerm");
  const municipalityCode = v["municipality"]?.trim() ? (v["municipalityCode"] ?? null) : null;
  const municipality = v["municipality"]?.trim();
  return { countyCode, municipalityCode, councilTerm, text: `${municipality ? `${municipality} (${countyCode})` : countyCode} ${councilTerm}` };
}

export async function planByKey(tx: EntityManager, key: PlanKey): Promise<WellbeingPlan | null> {
  return await tx.findOne(WellbeingPlan, { countyCode: key.countyCode, municipalityCode: key.municipalityCode, councilTerm: key.councilTerm });
}

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** The goal of the plan with this text (letter case aside); null for none, AMBIGUOUS for several. */
export function goalByText(goals: readonly WellbeingGoal[], text: string, column: string): WellbeingGoal | null {
  const found = goals.filter((g) => same(g.text, text));
  if (found.length > 1) refuse(column, `ambiguous: the plan has ${found.length} goals "${text.trim()}" (positions ${found.map((g) => g.position).join(", ")}); give them different texts first`, "AMBIGUOUS");
  return found[0] ?? null;
}

/** The county's theme with this name (letter case aside). */
export async function themeByName(tx: EntityManager, countyCode: string, name: string, column: string): Promise<Theme> {
  const found = (await tx.find(Theme, { countyCode })).filter((t) => same(t.name, name));
  if (!found[0]) refuse(column, `no theme "${name.trim()}" in county ${countyCode}`, "NOT_FOUND");
  return found[0];
}

/** The indicators named: a number is a THL Sotkanet id, else a name (letter case aside). */
export async function indicatorsByKey(tx: EntityManager, keys: readonly string[], column: string): Promise<Indicator[]> {
  if (keys.length === 0) return [];
  const ids = keys.filter((k) => /^\d+$/.test(k)).map(Number);
  const names = keys.filter((k) => !/^\d+$/.test(k));
  const found = await tx.find(Indicator, { $or: [{ sotkanetId: { $in: ids } }, ...names.map((n) => ({ name: { $ilike: n.replace(/[\\%_]/g, (c) => `\\${c}`) } }))] });
  return keys.map((k) => {
    const matches = /^\d+$/.test(k) ? found.filter((i) => i.sotkanetId === Number(k)) : found.filter((i) => same(i.name, k));
    if (matches.length > 1) refuse(column, `ambiguous: ${matches.length} indicators are named "${k}"; give the THL Sotkanet id instead (${matches.map((i) => i.sotkanetId ?? i.id).join(", ")})`, "AMBIGUOUS");
    if (!matches[0]) refuse(column, `no indicator "${k}" (a THL Sotkanet id or an indicator's name)`, "NOT_FOUND");
    return matches[0];
  });
}
