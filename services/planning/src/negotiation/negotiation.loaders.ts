import type { EntityManager } from "@mikro-orm/postgresql";
import DataLoader from "dataloader";
import { findRows, groupByArray, groupByKeys, orderByKeys } from "@yhdyspinta/core";
import { AnnualNegotiation, AnnualNegotiationPractice } from "./negotiation.entity.ts";

/** Annual negotiations and each county's practice. */
export function createNegotiationLoaders(em: EntityManager) {
  return {
    negotiationsByCounty: new DataLoader<string, AnnualNegotiation[]>(async (codes) => {
      const rows = await findRows(em, AnnualNegotiation, { countyCode: { $in: [...codes] } }, { heldOn: "desc", id: "asc" });
      return groupByKeys(codes, rows, (n) => n.countyCode);
    }),
    negotiationsByGroup: new DataLoader<string, AnnualNegotiation[]>(async (groupIds) => {
      const rows = await findRows(em, AnnualNegotiation,
        { groupIds: { $overlap: [...groupIds] } },
        { heldOn: "desc", id: "asc" },
      );
      return groupByArray(groupIds, rows, (n) => n.groupIds);
    }),
    negotiationPracticeByCounty: new DataLoader<string, AnnualNegotiationPractice | null>(async (codes) => {
      const rows = await findRows(em, AnnualNegotiationPractice, { countyCode: { $in: [...codes] } });
      return orderByKeys(codes, rows, (p) => p.countyCode);
    }),
  };
}
