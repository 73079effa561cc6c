import type { EntityManager } from "@mikro-orm/postgresql";
import DataLoader from "dataloader";
import { cacheKey, findRows, groupByKeys, rowById, rowsByKey, whereIn } from "@yhdyspinta/core";
import { CooperationGroup, GroupContact, type GroupFilterKey, groupMatches, GroupMunicipality, groupOrder } from "./group.entity.ts";

/** Groups, their municipalities and contacts. */
export function createGroupLoaders(em: EntityManager) {
  const groupById = rowById(em, CooperationGroup);
  const groupsByIds = async (ids: string[]): Promise<CooperationGroup[]> =>
    (await groupById.loadMany(ids)).filter((g): g is CooperationGroup => g !== null && !(g instanceof Error)).sort(groupOrder);

  /** Group ids per municipality code. */
  const groupIdsByMunicipality = new DataLoader<string, string[]>(async (codes) => {
    const links = await findRows(em, GroupMunicipality, whereIn<GroupMunicipality>("municipalityCode", codes));
    return groupByKeys(codes, links, (l) => l.municipalityCode).map((list) => list.map((l) => l.groupId));
  });
  /**
   * Groups per municipality code: two statements per batch whatever the
   * number of municipalities, also when none has a group (the gateway tests
   * compare counts across counties).
   */
  const groupsRaw = new DataLoader<string, CooperationGroup[]>(async (codes) => {
    const idLists = await groupIdsByMunicipality.loadMany(codes);
    const ids = [...new Set(idLists.flatMap((l) => (Array.isArray(l) ? l : [])))];
    const groups = await findRows(em, CooperationGroup, { id: { $in: ids } }, { name: "asc", id: "asc" });
    const byId = new Map(groups.map((g) => [g.id, g]));
    for (const g of groups) groupById.prime(g.id, g);
    return idLists.map((l) =>
      Array.isArray(l) ? l.map((id) => byId.get(id)).filter((g): g is CooperationGroup => g !== undefined).sort(groupOrder) : [],
    );
  });

  return {
    groupById,
    groupsByIds,

    municipalityCodesByGroup: new DataLoader<string, string[]>(async (groupIds) => {
      const rows = await findRows(em, GroupMunicipality, whereIn<GroupMunicipality>("groupId", groupIds), { municipalityCode: "asc" });
      return groupByKeys(groupIds, rows, (r) => r.groupId).map((list) => list.map((r) => r.municipalityCode));
    }),

    /** Groups covering a municipality, filtered by kind and day: one query for links, one for groups. */
    groupsByMunicipality: new DataLoader<{ municipalityCode: string } & GroupFilterKey, CooperationGroup[], string>(
      async (keys) => {
        const lists = await groupsRaw.loadMany(keys.map((k) => k.municipalityCode));
        return keys.map((k, i) => {
          const list = lists[i];
          return Array.isArray(list) ? list.filter((g) => groupMatches(g, k)) : [];
        });
      },
      { cacheKeyFn: cacheKey },
    ),

    groupsByCounty: new DataLoader<{ countyCode: string } & GroupFilterKey, CooperationGroup[], string>(
      async (keys) => {
        const codes = [...new Set(keys.map((k) => k.countyCode))];
        const rows = await findRows(em, CooperationGroup, { countyCode: { $in: codes } }, { name: "asc", id: "asc" });
        const byCounty = groupByKeys(codes, rows, (g) => g.countyCode);
        const index = new Map(codes.map((c, i) => [c, byCounty[i]!]));
        return keys.map((k) => (index.get(k.countyCode) ?? []).filter((g) => groupMatches(g, k)));
      },
      { cacheKeyFn: cacheKey },
    ),
    groupsByArea: rowsByKey(em, CooperationGroup, "areaId", { name: "asc", id: "asc" }),
    groupsByParent: rowsByKey(em, CooperationGroup, "parentId", { name: "asc", id: "asc" }),
    contactsByGroup: rowsByKey(em, GroupContact, "groupId", { ordinal: "asc", personId: "asc" }),
  };
}
