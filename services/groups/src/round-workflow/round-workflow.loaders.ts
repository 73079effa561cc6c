import type { EntityManager } from "@mikro-orm/postgresql";
import { rowsByKey } from "@yhdyspinta/core";
import { NominationStatusChange } from "./round-workflow.entity.ts";

/** Status histories of nominations, oldest first. */
export function createRoundWorkflowLoaders(em: EntityManager) {
  return {
    statusHistoryByNomination: rowsByKey(em, NominationStatusChange, "nominationId", { changedAt: "asc", id: "asc" }),
  };
}
