import type { EntityManager } from "@mikro-orm/postgresql";
import DataLoader from "dataloader";
import { cacheKey, findRows, rowById, whereIn } from "@yhdyspinta/core";
import { isActiveOn, Membership, membershipOrder } from "./membership.entity.ts";

export interface ActiveOnKey {
  id: string;
  /** Memberships active on this day; null: the whole history. */
  activeOn: string | null;
}

/** Memberships by id and per group, person or organisation, optionally on one day. */
export function createMembershipLoaders(em: EntityManager) {
  const membershipsFor = (field: "groupId" | "personId" | "organisationId") =>
    new DataLoader<ActiveOnKey, Membership[], string>(
      async (keys) => {
        const ids = [...new Set(keys.map((k) => k.id))];
        const rows = await findRows(em, Membership, whereIn<Membership>(field, ids));
        const byId = new Map<string, Membership[]>();
        for (const m of rows) {
          const id = m[field];
          if (id === null) continue;
          let list = byId.get(id);
          if (!list) byId.set(id, (list = []));
          list.push(m);
        }
        return keys.map((k) =>
          (byId.get(k.id) ?? []).filter((m) => k.activeOn === null || isActiveOn(m, k.activeOn)).sort(membershipOrder),
        );
      },
      { cacheKeyFn: cacheKey },
    );

  return {
    membershipById: rowById(em, Membership),
    membershipsByGroup: membershipsFor("groupId"),
    membershipsByPerson: membershipsFor("personId"),
    membershipsByOrganisation: membershipsFor("organisationId"),
  };
}
