import type { EntityManager } from "@mikro-orm/postgresql";
import { rowsByKey } from "@yhdyspinta/core";
import { GroupSeat } from "./seat.entity.ts";

/** Seats of groups. */
export function createSeatLoaders(em: EntityManager) {
  return {
    seatsByGroup: rowsByKey(em, GroupSeat, "groupId", { ordinal: "asc", id: "asc" }),
  };
}
