import type { EntityManager } from "@mikro-orm/postgresql";
import DataLoader from "dataloader";
import { findRows, groupByKeys, rowById, rowsByKey, whereIn } from "@yhdyspinta/core";
import { Area, AreaMunicipality } from "./area.entity.ts";

/** Areas and the municipalities they cover. */
export function createAreaLoaders(em: EntityManager) {
  return {
    areaById: rowById(em, Area),
    areasByCounty: rowsByKey(em, Area, "countyCode", { ordinal: "asc", id: "asc" }),
    municipalityCodesByArea: new DataLoader<string, string[]>(async (areaIds) => {
      const rows = await findRows(em, AreaMunicipality, whereIn<AreaMunicipality>("areaId", areaIds), { ordinal: "asc", municipalityCode: "asc" });
      return groupByKeys(areaIds, rows, (r) => r.areaId).map((list) => list.map((r) => r.municipalityCode));
    }),
    areaIdsByMunicipality: new DataLoader<string, string[]>(async (codes) => {
      const rows = await findRows(em, AreaMunicipality, whereIn<AreaMunicipality>("municipalityCode", codes), { areaId: "asc" });
      return groupByKeys(codes, rows, (r) => r.municipalityCode).map((list) => list.map((r) => r.areaId));
    }),
  };
}
