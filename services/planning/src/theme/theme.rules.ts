import type { EntityManager } from "@mikro-orm/postgresql";
import { assertCanWriteCounty, BadUserInputError, uniqueRuleError, type Viewer } from "@yhdyspinta/core";
import { GrantAward } from "../grant/grant.entity.ts";
import { WellbeingGoal, WellbeingPlan } from "../plan/plan.entity.ts";
import { Strategy } from "../strategy/strategy.entity.ts";
import { Theme } from "./theme.entity.ts";
import { lockCountyThemes } from "./theme.queries.ts";

/**
 * The rules of a county's themes: a change serialises on the county's list
 * (positions are counted under the lock), a name is unique in its county
 * (letter case aside), and a theme something refers to stays.
 */

/** Takes the county's theme lock (after the county check) and returns its themes in order. */
export async function lockThemesOf(tx: EntityManager, viewer: Viewer, countyCode: string): Promise<Theme[]> {
  assertCanWriteCounty(viewer, countyCode);
  await lockCountyThemes(tx, countyCode);
  return await tx.find(Theme, { countyCode }, { orderBy: { position: "asc", id: "asc" }, refresh: true });
}

/** The theme (by id) with its county's list, under the county's lock. */
export async function lockTheme(tx: EntityManager, viewer: Viewer, id: string, field: string): Promise<{ theme: Theme; themes: Theme[] }> {
  const found = await tx.findOne(Theme, { id });
  if (!found) throw new BadUserInputError(field, `no theme "${id}"`);
  const themes = await lockThemesOf(tx, viewer, found.countyCode);
  const theme = themes.find((t) => t.id === id);
  if (!theme) throw new BadUserInputError(field, `no theme "${id}"`);
  return { theme, themes };
}

/** A theme's name is unique in its county, letter case aside. */
export function checkThemeName(themes: readonly Theme[], name: string, except: Theme | null): void {
  const same = themes.find((t) => t !== except && t.name.toLowerCase() === name.toLowerCase());
  if (same) throw uniqueRuleError("theme_county_name_unique", `theme ${same.id} in county ${same.countyCode}`);
}

/** A theme a plan, goal, grant or strategy names stays. */
export async function checkThemeRemovable(tx: EntityManager, theme: Theme): Promise<void> {
  const plan = await tx.findOne(WellbeingPlan, { priorityThemeIds: { $contains: [theme.id] } });
  if (plan) throw new BadUserInputError("themeId", `wellbeing plan ${plan.id} has the theme among its priorities`);
  const goal = await tx.findOne(WellbeingGoal, { themeId: theme.id });
  if (goal) throw new BadUserInputError("themeId", `goal ${goal.id} of plan ${goal.planId} is under the theme`);
  const award = await tx.findOne(GrantAward, { themeId: theme.id });
  if (award) throw new BadUserInputError("themeId", `grant ${award.id} serves the theme`);
  const strategy = await tx.findOne(Strategy, { countyCode: theme.countyCode });
  const cooperationGoal = strategy?.cooperationGoals.find((g) => g.themeIds.includes(theme.id));
  if (strategy && cooperationGoal) throw new BadUserInputError("themeId", `cooperation goal ${cooperationGoal.number} of strategy ${strategy.id} serves the theme`);
}
