import type { EntityManager } from "@mikro-orm/postgresql";
import DataLoader from "dataloader";
import { createSourceLoader } from "@yhdyspinta/core";
import { cacheKey, findRows, groupByKeys, orderByKeys } from "@yhdyspinta/core";
import { Area, AreaMunicipality } from "./area/area.entity.ts";
import { CooperationGroup, GroupContact, GroupMunicipality } from "./group/group.entity.ts";
import type { CooperationGroupKind } from "./group/group-kind.ts";
import { CooperationLevel, LiaisonRole } from "./liaison/liaison.entity.ts";
import { Meeting } from "./meeting/meeting.entity.ts";
import { isActiveOn, Membership } from "./membership/membership.entity.ts";
import { Nomination, NominationRound, NominationRoundGroup, Nominator } from "./nomination/nomination.entity.ts";
import { GroupSeat } from "./seat/seat.entity.ts";

export interface GroupFilterKey {
  kind: CooperationGroupKind | null;
  /** Only groups working on this day; null: all. */
  activeOn: string | null;
}

export interface ActiveOnKey {
  id: string;
  /** Memberships active on this day; null: the whole history. */
  activeOn: string | null;
}

const groupOrder = (a: CooperationGroup, b: CooperationGroup) =>
  a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

function groupMatches(g: CooperationGroup, f: GroupFilterKey): boolean {
  if (f.kind !== null && g.kind !== f.kind) return false;
  if (f.activeOn !== null && !isActiveOn(g, f.activeOn)) return false;
  return true;
}

function membershipOrder(a: Membership, b: Membership): number {
  const ra = ROLE_ORDER.indexOf(a.role);
  const rb = ROLE_ORDER.indexOf(b.role);
  if (ra !== rb) return ra - rb;
  const sa = a.startsOn ?? "";
  const sb = b.startsOn ?? "";
  if (sa !== sb) return sa < sb ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
const ROLE_ORDER = ["chair", "vice_chair", "member", "deputy", "speaking_right", "secretary", "coordinator"];

/** The request's DataLoaders: every fan-out and entity reference goes through one query per batch. */
export function createLoaders(em: EntityManager) {
  /** Rows whose `field` is one of the keys, grouped per key, in `orderBy` order. */
  function many<T extends object, K extends string>(
    entity: new () => T,
    field: keyof T & string,
    orderBy: Record<string, "asc" | "desc">,
  ) {
    return new DataLoader<K, T[]>(async (keys) => {
      const rows = await findRows(em, entity, { [field]: { $in: [...keys] } }, orderBy);
      return groupByKeys(keys, rows, (r) => (r as Record<string, unknown>)[field] as K);
    });
  }
  function byId<T extends { id: string }>(entity: new () => T) {
    return new DataLoader<string, T | null>(async (ids) => {
      const rows = await findRows(em, entity, { id: { $in: [...ids] } });
      return orderByKeys(ids, rows, (r) => r.id);
    });
  }

  const groupById = byId(CooperationGroup);
  const groupsByIds = async (ids: string[]): Promise<CooperationGroup[]> =>
    (await groupById.loadMany(ids)).filter((g): g is CooperationGroup => g !== null && !(g instanceof Error)).sort(groupOrder);

  /** Group ids per municipality code. */
  const groupIdsByMunicipality = new DataLoader<string, string[]>(async (codes) => {
    const links = await findRows(em, GroupMunicipality, { municipalityCode: { $in: [...codes] } });
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

  const membershipsFor = (field: "groupId" | "personId" | "organisationId") =>
    new DataLoader<ActiveOnKey, Membership[], string>(
      async (keys) => {
        const ids = [...new Set(keys.map((k) => k.id))];
        const rows = await findRows(em, Membership, { [field]: { $in: ids } });
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
    sourceOf: createSourceLoader(em),
    groupById,
    groupsByIds,

    municipalityCodesByGroup: new DataLoader<string, string[]>(async (groupIds) => {
      const rows = await findRows(em, GroupMunicipality, { groupId: { $in: [...groupIds] } }, { municipalityCode: "asc" });
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
    groupsByArea: many<CooperationGroup, string>(CooperationGroup, "areaId", { name: "asc", id: "asc" }),
    groupsByParent: many<CooperationGroup, string>(CooperationGroup, "parentId", { name: "asc", id: "asc" }),
    contactsByGroup: many<GroupContact, string>(GroupContact, "groupId", { ordinal: "asc", personId: "asc" }),

    areaById: byId(Area),
    areasByCounty: many<Area, string>(Area, "countyCode", { ordinal: "asc", id: "asc" }),
    municipalityCodesByArea: new DataLoader<string, string[]>(async (areaIds) => {
      const rows = await findRows(em, AreaMunicipality, { areaId: { $in: [...areaIds] } }, { ordinal: "asc", municipalityCode: "asc" });
      return groupByKeys(areaIds, rows, (r) => r.areaId).map((list) => list.map((r) => r.municipalityCode));
    }),
    areaIdsByMunicipality: new DataLoader<string, string[]>(async (codes) => {
      const rows = await findRows(em, AreaMunicipality, { municipalityCode: { $in: [...codes] } }, { areaId: "asc" });
      return groupByKeys(codes, rows, (r) => r.municipalityCode).map((list) => list.map((r) => r.areaId));
    }),

    seatsByGroup: many<GroupSeat, string>(GroupSeat, "groupId", { ordinal: "asc", id: "asc" }),

    membershipById: byId(Membership),
    membershipsByGroup: membershipsFor("groupId"),
    membershipsByPerson: membershipsFor("personId"),
    membershipsByOrganisation: membershipsFor("organisationId"),

    meetingsByGroup: many<Meeting, string>(Meeting, "groupId", { startsAt: "asc", id: "asc" }),

    roundById: byId(NominationRound),
    groupIdsByRound: new DataLoader<string, string[]>(async (roundIds) => {
      const rows = await findRows(em, NominationRoundGroup, { roundId: { $in: [...roundIds] } }, { groupId: "asc" });
      return groupByKeys(roundIds, rows, (r) => r.roundId).map((list) => list.map((r) => r.groupId));
    }),
    roundIdsByGroup: new DataLoader<string, string[]>(async (groupIds) => {
      const rows = await findRows(em, NominationRoundGroup, { groupId: { $in: [...groupIds] } }, { roundId: "asc" });
      return groupByKeys(groupIds, rows, (r) => r.groupId).map((list) => list.map((r) => r.roundId));
    }),
    nominatorsByRound: many<Nominator, string>(Nominator, "roundId", { ordinal: "asc", id: "asc" }),
    nominationsByRound: many<Nomination, string>(Nomination, "roundId", { submittedOn: "asc", id: "asc" }),

    levelsByCounty: many<CooperationLevel, string>(CooperationLevel, "countyCode", { ordinal: "asc", id: "asc" }),
    liaisonById: byId(LiaisonRole),
    liaisonsByCounty: many<LiaisonRole, string>(LiaisonRole, "countyCode", { ordinal: "asc", id: "asc" }),
    liaisonsByMunicipality: many<LiaisonRole, string>(LiaisonRole, "municipalityCode", { ordinal: "asc", id: "asc" }),
    liaisonsByNetwork: many<LiaisonRole, string>(LiaisonRole, "networkGroupId", { ordinal: "asc", id: "asc" }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
