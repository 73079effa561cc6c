import type { EntityManager } from "@mikro-orm/postgresql";
import DataLoader from "dataloader";
import { type PlacedMeasure, placedMeasuresOfCounties } from "./follow-up.queries.ts";

export type { PlacedMeasure } from "./follow-up.queries.ts";

/**
 * All measures of the given counties with the theme and municipality they
 * are followed up under (`placedMeasuresOfCounties`): one statement for any
 * number of counties and measures.
 */
export function createFollowUpLoader(em: EntityManager) {
  return new DataLoader<string, PlacedMeasure[]>(async (countyCodes) => {
    const byCounty = new Map<string, PlacedMeasure[]>(countyCodes.map((c) => [c, []]));
    for (const placed of await placedMeasuresOfCounties(em, countyCodes)) byCounty.get(placed.measure.countyCode)?.push(placed);
    return countyCodes.map((c) => byCounty.get(c) ?? []);
  });
}
