import type { EntityManager } from "@mikro-orm/postgresql";
import { rowById, rowsByKey } from "@yhdyspinta/core";
import { CooperationLevel, LiaisonHolder, LiaisonRole } from "./liaison.entity.ts";

/** Cooperation levels, liaison roles and their holders. */
export function createLiaisonLoaders(em: EntityManager) {
  return {
    levelsByCounty: rowsByKey(em, CooperationLevel, "countyCode", { ordinal: "asc", id: "asc" }),
    liaisonById: rowById(em, LiaisonRole),
    liaisonsByCounty: rowsByKey(em, LiaisonRole, "countyCode", { ordinal: "asc", id: "asc" }),
    liaisonsByMunicipality: rowsByKey(em, LiaisonRole, "municipalityCode", { ordinal: "asc", id: "asc" }),
    liaisonsByNetwork: rowsByKey(em, LiaisonRole, "networkGroupId", { ordinal: "asc", id: "asc" }),
    holdersByRole: rowsByKey(em, LiaisonHolder, "roleId", { startsOn: "asc", id: "asc" }),
  };
}
