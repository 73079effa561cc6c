import type { EntityManager } from "@mikro-orm/postgresql";
import DataLoader from "dataloader";
import { findRows } from "@yhdyspinta/core";
import { HyteIndicator } from "./hyte-indicator.entity.ts";

/** HYTE indicators per Sotkanet id (every funding year and level), one statement per request batch. */
export function createHyteLoaders(em: EntityManager) {
  return {
    hyteBySotkanetId: new DataLoader<number, HyteIndicator[]>(async (ids) => {
      const rows = await findRows(em, HyteIndicator, { sotkanetId: { $in: [...ids] } }, { fundingYear: "desc", level: "asc", code: "asc" });
      return ids.map((id) => rows.filter((r) => r.sotkanetId === id));
    }),
  };
}
