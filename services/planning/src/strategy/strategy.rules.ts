import { LockMode } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/postgresql";
import { assertCanWriteCounty, BadUserInputError, uniqueRuleError, type Viewer } from "@yhdyspinta/core";
import { Theme } from "../theme/theme.entity.ts";
import type { StrategyCooperationGoalInput, StrategyPriorityInput } from "./strategy.input.ts";
import { Strategy, type StrategyCooperationGoal, type StrategyPrinciple, type StrategyValue } from "./strategy.entity.ts";

/**
 * The rules of a county's strategy: one per county, the row lock a revision
 * takes (with the county check), headings named once, principles numbered
 * through the whole strategy, and cooperation goals that serve the county's
 * own themes.
 */

export async function lockStrategy(tx: EntityManager, viewer: Viewer, id: string, field: string): Promise<Strategy> {
  const strategy = await tx.findOne(Strategy, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!strategy) throw new BadUserInputError(field, `no strategy "${id}"`);
  assertCanWriteCounty(viewer, strategy.countyCode);
  return strategy;
}

/** One strategy per county. */
export async function checkStrategyCounty(tx: EntityManager, countyCode: string): Promise<void> {
  const same = await tx.findOne(Strategy, { countyCode });
  if (same) throw uniqueRuleError("strategy_county_code_unique", `strategy ${same.id}`);
}

export function strategyValues(values: readonly string[]): StrategyValue[] {
  return values.map((name, i) => ({ position: i + 1, name }));
}

/** Headings and principles as stored, the principles numbered from 1 through every heading. */
export function strategyPriorities(priorities: readonly StrategyPriorityInput[], field: string): { headings: string[]; principles: StrategyPrinciple[] } {
  const headings: string[] = [];
  const principles: StrategyPrinciple[] = [];
  priorities.forEach((priority, i) => {
    if (headings.some((h) => h.toLowerCase() === priority.name.toLowerCase())) throw new BadUserInputError(`${field}.${i}.name`, `heading "${priority.name}" is given twice`);
    headings.push(priority.name);
    for (const text of priority.principles) principles.push({ number: principles.length + 1, heading: priority.name, text });
  });
  return { headings, principles };
}

/** Cooperation goals as stored, numbered from 1; their themes must be the county's. */
export async function strategyCooperationGoals(tx: EntityManager, countyCode: string, goals: readonly StrategyCooperationGoalInput[], field: string): Promise<StrategyCooperationGoal[]> {
  const ids = [...new Set(goals.flatMap((g) => g.themeIds ?? []))];
  const themes = ids.length ? await tx.find(Theme, { id: { $in: ids } }) : [];
  return goals.map((goal, i) => {
    const themeIds = [...new Set(goal.themeIds ?? [])];
    for (const id of themeIds) {
      const theme = themes.find((t) => t.id === id);
      if (!theme) throw new BadUserInputError(`${field}.${i}.themeIds`, `no theme "${id}"`);
      if (theme.countyCode !== countyCode) throw new BadUserInputError(`${field}.${i}.themeIds`, `theme "${id}" is county ${theme.countyCode}'s, not ${countyCode}`);
    }
    return { number: i + 1, text: goal.text, themeIds };
  });
}
