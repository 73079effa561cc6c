import type { EntityManager } from "@mikro-orm/postgresql";
import DataLoader from "dataloader";
import { findRows, groupByKeys, orderByKeys } from "@yhdyspinta/core";
import { OrganisationCategory } from "./category.entity.ts";

/** The category feature's DataLoaders. */
export function createCategoryLoaders(em: EntityManager) {
  return {
    categoryById: new DataLoader<string, OrganisationCategory | null>(async (ids) => {
      const rows = await findRows(em, OrganisationCategory, { id: { $in: [...ids] } });
      return orderByKeys(ids, rows, (c) => c.id);
    }),

    /** A county's association categories in the county's order. */
    categoriesByCounty: new DataLoader<string, OrganisationCategory[]>(async (codes) => {
      const rows = await findRows(em, OrganisationCategory, { countyCode: { $in: [...codes] } }, { countyCode: "asc", position: "asc" });
      return groupByKeys(codes, rows, (c) => c.countyCode);
    }),
  };
}
