import type { EntityManager } from "@mikro-orm/postgresql";
import DataLoader from "dataloader";
import { findRows, groupByArray, groupByKeys, orderByKeys } from "@yhdyspinta/core";
import { Theme } from "./theme.entity.ts";

/** Themes of counties and groups. */
export function createThemeLoaders(em: EntityManager) {
  return {
    themeById: new DataLoader<string, Theme | null>(async (ids) => {
      const rows = await findRows(em, Theme, { id: { $in: [...ids] } });
      return orderByKeys(ids, rows, (t) => t.id);
    }),
    themesByCounty: new DataLoader<string, Theme[]>(async (codes) => {
      const rows = await findRows(em, Theme, { countyCode: { $in: [...codes] } }, { position: "asc", id: "asc" });
      return groupByKeys(codes, rows, (t) => t.countyCode);
    }),
    themesByGroup: new DataLoader<string, Theme[]>(async (groupIds) => {
      const rows = await findRows(em, Theme, { groupIds: { $overlap: [...groupIds] } }, { position: "asc", id: "asc" });
      return groupByArray(groupIds, rows, (t) => t.groupIds);
    }),
  };
}
