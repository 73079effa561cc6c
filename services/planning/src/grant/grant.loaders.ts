import type { EntityManager } from "@mikro-orm/postgresql";
import DataLoader from "dataloader";
import { findRows, groupByKeys, orderByKeys } from "@yhdyspinta/core";
import { GrantAward, GrantProgramme } from "./grant.entity.ts";

/** Grant programmes and awards. */
export function createGrantLoaders(em: EntityManager) {
  return {
    grantProgrammeById: new DataLoader<string, GrantProgramme | null>(async (ids) => {
      const rows = await findRows(em, GrantProgramme, { id: { $in: [...ids] } });
      return orderByKeys(ids, rows, (p) => p.id);
    }),
    grantProgrammesByCounty: new DataLoader<string, GrantProgramme[]>(async (codes) => {
      const rows = await findRows(em, GrantProgramme, { countyCode: { $in: [...codes] } }, { id: "asc" });
      return groupByKeys(codes, rows, (p) => p.countyCode);
    }),
    grantsByProgramme: new DataLoader<string, GrantAward[]>(async (ids) => {
      const rows = await findRows(em, GrantAward, { programmeId: { $in: [...ids] } }, { year: "desc", id: "asc" });
      return groupByKeys(ids, rows, (g) => g.programmeId);
    }),
    grantsByOrganisation: new DataLoader<string, GrantAward[]>(async (ids) => {
      const rows = await findRows(em, GrantAward, { organisationId: { $in: [...ids] } }, { year: "desc", id: "asc" });
      return groupByKeys(ids, rows, (g) => g.organisationId);
    }),
  };
}
