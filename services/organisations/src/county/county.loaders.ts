import type { EntityManager } from "@mikro-orm/postgresql";
import DataLoader from "dataloader";
import { findRows, orderByKeys } from "@yhdyspinta/core";
import { County } from "./county.entity.ts";

/** The county feature's DataLoaders. */
export function createCountyLoaders(em: EntityManager) {
  return {
    countyByCode: new DataLoader<string, County | null>(async (codes) => {
      const rows = await findRows(em, County, { code: { $in: [...codes] } });
      return orderByKeys(codes, rows, (c) => c.code);
    }),
  };
}
