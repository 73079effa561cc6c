import type { EntityManager } from "@mikro-orm/postgresql";
import DataLoader from "dataloader";
import { cacheKey, findRows, rowById, whereIn } from "@yhdyspinta/core";
import { isActiveOn, isCarriedOverOn, Membership, membershipOrder } from "./membership.entity.ts";

export interface ActiveOnKey {
  id: string;
  /** Memberships active on this day; null: the whole history. */
  activeOn: string | null;
}

/** A membership read for a day on which it serves as carried over: a copy, so the same row read for another day is unchanged. */
function carriedOverCopy(m: Membership): Membership {
  return Object.assign(Object.create(Membership.prototype) as Membership, m, { carriedOverOnDay: true });
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
          (byId.get(k.id) ?? [])
            .filter((m) => k.activeOn === null || isActiveOn(m, k.activeOn))
            .map((m) => (k.activeOn !== null && isCarriedOverOn(m, k.activeOn) ? carriedOverCopy(m) : m))
            .sort(membershipOrder),
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
