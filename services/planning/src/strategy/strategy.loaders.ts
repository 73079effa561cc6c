import type { EntityManager } from "@mikro-orm/postgresql";
import DataLoader from "dataloader";
import { findRows, orderByKeys } from "@yhdyspinta/core";
import { Strategy } from "./strategy.entity.ts";

/** Each county's strategy. */
export function createStrategyLoaders(em: EntityManager) {
  return {
    strategyByCounty: new DataLoader<string, Strategy | null>(async (codes) => {
      const rows = await findRows(em, Strategy, { countyCode: { $in: [...codes] } });
      return orderByKeys(codes, rows, (s) => s.countyCode);
    }),
  };
}
