import type { EntityManager } from "@mikro-orm/postgresql";
import DataLoader from "dataloader";
import { findRows, groupByKeys, orderByKeys } from "@yhdyspinta/core";
import { WellbeingGoal, WellbeingPlan } from "./plan.entity.ts";

/** Plans and their goals. */
export function createPlanLoaders(em: EntityManager) {
  return {
    planById: new DataLoader<string, WellbeingPlan | null>(async (ids) => {
      const rows = await findRows(em, WellbeingPlan, { id: { $in: [...ids] } });
      return orderByKeys(ids, rows, (p) => p.id);
    }),
    plansByMunicipality: new DataLoader<string, WellbeingPlan[]>(async (codes) => {
      const rows = await findRows(em, WellbeingPlan,
        { municipalityCode: { $in: [...codes] } },
        { councilTerm: "desc", id: "asc" },
      );
      return groupByKeys(codes, rows, (p) => p.municipalityCode!);
    }),
    /** A county's own plans (not its municipalities'). */
    plansByCounty: new DataLoader<string, WellbeingPlan[]>(async (codes) => {
      const rows = await findRows(em, WellbeingPlan,
        { countyCode: { $in: [...codes] }, municipalityCode: null },
        { councilTerm: "desc", id: "asc" },
      );
      return groupByKeys(codes, rows, (p) => p.countyCode!);
    }),
    goalsByPlan: new DataLoader<string, WellbeingGoal[]>(async (planIds) => {
      const rows = await findRows(em, WellbeingGoal, { planId: { $in: [...planIds] } }, { position: "asc", id: "asc" });
      return groupByKeys(planIds, rows, (g) => g.planId);
    }),
    goalById: new DataLoader<string, WellbeingGoal | null>(async (ids) => {
      const rows = await findRows(em, WellbeingGoal, { id: { $in: [...ids] } });
      return orderByKeys(ids, rows, (g) => g.id);
    }),
  };
}
