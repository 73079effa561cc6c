import type { EntityManager } from "@mikro-orm/postgresql";
import DataLoader from "dataloader";
import { groupByKeys, orderByKeys } from "@yhdyspinta/core";
import { WellbeingPlan } from "./plan/plan.entity.ts";

/** The request's DataLoaders: every fan-out and entity reference goes through one. */
export function createLoaders(em: EntityManager) {
  return {
    planById: new DataLoader<string, WellbeingPlan | null>(async (ids) => {
      const rows = await em.find(WellbeingPlan, { id: { $in: [...ids] } });
      return orderByKeys(ids, rows, (p) => p.id);
    }),
    plansByMunicipality: new DataLoader<string, WellbeingPlan[]>(async (codes) => {
      const rows = await em.find(
        WellbeingPlan,
        { municipalityCode: { $in: [...codes] } },
        { orderBy: { councilTerm: "desc", id: "asc" } },
      );
      return groupByKeys(codes, rows, (p) => p.municipalityCode!);
    }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
