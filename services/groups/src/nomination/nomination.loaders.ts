import type { EntityManager } from "@mikro-orm/postgresql";
import DataLoader from "dataloader";
import { findRows, groupByKeys, indexOnce, rowById, rowsByKey, whereIn } from "@yhdyspinta/core";
import { Nomination, NominationRound, NominationRoundGroup, Nominator } from "./nomination.entity.ts";

const nominatorOf = (n: Nomination): string => n.nominatorId;

/** A nominator's nominations, from the round's batch (`nominationsByRound`) indexed once (see `indexOnce`). */
export function nominationsOf(roundNominations: readonly Nomination[], nominatorId: string): Nomination[] {
  return indexOnce(roundNominations, nominatorOf).get(nominatorId) ?? [];
}

/** Nomination rounds, the groups they fill, their nominators and nominations. */
export function createNominationLoaders(em: EntityManager) {
  return {
    roundById: rowById(em, NominationRound),
    groupIdsByRound: new DataLoader<string, string[]>(async (roundIds) => {
      const rows = await findRows(em, NominationRoundGroup, whereIn<NominationRoundGroup>("roundId", roundIds), { groupId: "asc" });
      return groupByKeys(roundIds, rows, (r) => r.roundId).map((list) => list.map((r) => r.groupId));
    }),
    roundIdsByGroup: new DataLoader<string, string[]>(async (groupIds) => {
      const rows = await findRows(em, NominationRoundGroup, whereIn<NominationRoundGroup>("groupId", groupIds), { roundId: "asc" });
      return groupByKeys(groupIds, rows, (r) => r.groupId).map((list) => list.map((r) => r.roundId));
    }),
    nominatorsByRound: rowsByKey(em, Nominator, "roundId", { ordinal: "asc", id: "asc" }),
    nominationsByRound: rowsByKey(em, Nomination, "roundId", { submittedOn: "asc", id: "asc" }),
  };
}
