import type { EntityManager } from "@mikro-orm/postgresql";
import DataLoader from "dataloader";
import { groupByKeys, orderByKeys } from "@yhdyspinta/core";
import { CooperationGroup, GroupMunicipality } from "./group/group.entity.ts";
import type { CooperationGroupKind } from "./group/group-kind.ts";

export interface MunicipalityGroupsKey {
  municipalityCode: string;
  kind: CooperationGroupKind | null;
}

/** The request's DataLoaders: every fan-out and entity reference goes through one. */
export function createLoaders(em: EntityManager) {
  return {
    groupById: new DataLoader<string, CooperationGroup | null>(async (ids) => {
      const rows = await em.find(CooperationGroup, { id: { $in: [...ids] } });
      return orderByKeys(ids, rows, (g) => g.id);
    }),

    municipalityCodesByGroup: new DataLoader<string, string[]>(async (groupIds) => {
      const rows = await em.find(
        GroupMunicipality,
        { groupId: { $in: [...groupIds] } },
        { orderBy: { municipalityCode: "asc" } },
      );
      return groupByKeys(groupIds, rows, (r) => r.groupId).map((list) => list.map((r) => r.municipalityCode));
    }),

    /** Groups covering each municipality, optionally of one kind: one query per batch. */
    groupsByMunicipality: new DataLoader<MunicipalityGroupsKey, CooperationGroup[], string>(
      async (keys) => {
        const codes = [...new Set(keys.map((k) => k.municipalityCode))];
        const links = await em.find(GroupMunicipality, { municipalityCode: { $in: codes } });
        const groups = await em.find(
          CooperationGroup,
          { id: { $in: [...new Set(links.map((l) => l.groupId))] } },
          { orderBy: { name: "asc", id: "asc" } },
        );
        const groupIdsByMunicipality = new Map<string, Set<string>>();
        for (const link of links) {
          let set = groupIdsByMunicipality.get(link.municipalityCode);
          if (!set) groupIdsByMunicipality.set(link.municipalityCode, (set = new Set()));
          set.add(link.groupId);
        }
        return keys.map((key) => {
          const ids = groupIdsByMunicipality.get(key.municipalityCode);
          if (!ids) return [];
          return groups.filter((g) => ids.has(g.id) && (key.kind === null || g.kind === key.kind));
        });
      },
      { cacheKeyFn: (k) => `${k.municipalityCode}|${k.kind ?? "*"}` },
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
