import type { EntityManager } from "@mikro-orm/postgresql";
import { BadUserInputError, uniqueRuleError, type Viewer, helsinkiToday } from "@yhdyspinta/core";
import { overlappingMemberships, type OverlapRow } from "../coordination/coordination.queries.ts";
import { activeSeatLabelled, type SeatKey } from "../group-workflow/natural-keys.queries.ts";
import { lockGroupFor } from "../group/group.rules.ts";
import { MembershipRole } from "../membership/membership.entity.ts";
import { GroupSeat, SeatConstituency } from "./seat.entity.ts";

/**
 * The rules of a group's seats: what a new seat names, its limits, its label
 * (a natural key), the lock a change takes, and that a smaller seat still
 * holds its members. Who may hold a seat is a membership rule
 * (membership.rules.ts `checkMembershipRules`); a seat's end ends its
 * memberships (`endMembershipsAfter` there).
 */

/** A seat for a category or a municipality names it. */
export function checkSeatConstituency(seat: { constituency: SeatConstituency; categoryId?: string | null; municipalityCode?: string | null }): void {
  if (seat.constituency === SeatConstituency.ASSOCIATION_CATEGORY && !seat.categoryId) {
    throw new BadUserInputError("input.categoryId", "an ASSOCIATION_CATEGORY seat names its category");
  }
  if (seat.constituency === SeatConstituency.MUNICIPALITY && !seat.municipalityCode) {
    throw new BadUserInputError("input.municipalityCode", "a MUNICIPALITY seat names its municipality");
  }
}

/** A seat's minimum does not exceed its maximum. */
export function checkSeatLimits(minMembers: number | null, maxMembers: number | null): void {
  if (minMembers !== null && maxMembers !== null && minMembers > maxMembers) {
    throw new BadUserInputError("input.minMembers", `must not exceed maxMembers (${maxMembers})`);
  }
}

/**
 * The reads of the seat rules. The mutations read the database; a bulk
 * import gives them from what it read for a chunk of rows (and what the
 * chunk's earlier rows created), the group locked as before.
 */
export interface SeatRuleReads {
  /** As `activeSeatLabelled`: a seat of the group that has not ended with this label for the same constituency, other than `exceptId`. */
  labelled(seat: SeatKey, exceptId: string | null): Promise<string | null>;
  /** As `overlappingMemberships` from a day on (no end): the group's memberships (not corrected) not ended before it. */
  holdingFrom(groupId: string, from: string): Promise<OverlapRow[]>;
}

function databaseReads(tx: EntityManager): SeatRuleReads {
  return {
    labelled: async (seat, exceptId) => await activeSeatLabelled(tx, seat, exceptId),
    holdingFrom: async (groupId, from) => await overlappingMemberships(tx, groupId, from, null),
  };
}

/** A seat that has not ended keeps a label no other such seat of its group has for the same constituency. `reads` (a bulk import's) replaces the database reads. */
export async function checkSeatLabel(tx: EntityManager, seat: SeatKey, exceptId: string | null, reads: SeatRuleReads = databaseReads(tx)): Promise<void> {
  const same = await reads.labelled(seat, exceptId);
  if (same) throw uniqueRuleError("group_seat_active_label_unique", `seat ${same} of group ${seat.groupId}`);
}

/** Locks the seat's group, checks the county and returns the seat as of now. */
export async function lockSeat(tx: EntityManager, viewer: Viewer, seatId: string) {
  const first = await tx.findOne(GroupSeat, { id: seatId });
  if (!first) throw new BadUserInputError("input.seatId", `no seat "${seatId}"`);
  const group = await lockGroupFor(tx, viewer, first.groupId, "input.seatId");
  const seat = await tx.findOneOrFail(GroupSeat, { id: seatId }, { refresh: true });
  return { group, seat };
}

/** New limits of a seat still take the members and deputies holding it today or later. `reads` (a bulk import's) replaces the database reads. */
export async function checkSeatHolders(tx: EntityManager, seat: GroupSeat, maxMembers: number | null, deputies: number | null, reads: SeatRuleReads = databaseReads(tx)): Promise<void> {
  const holders = (await reads.holdingFrom(seat.groupId, helsinkiToday())).filter((m) => m.seat_id === seat.id);
  const members = holders.filter((m) => m.role !== MembershipRole.DEPUTY).length;
  const deputyCount = holders.length - members;
  if (maxMembers !== null && members > maxMembers) {
    throw new BadUserInputError("input.maxMembers", `seat ${seat.label} is held by ${members} members today or later; the maximum must be at least ${members}`);
  }
  if (deputies !== null && deputyCount > deputies) {
    throw new BadUserInputError("input.deputies", `seat ${seat.label} is held by ${deputyCount} deputies today or later; it must take at least ${deputyCount}`);
  }
}

/** A seat ends once. */
export function checkSeatEnd(seat: GroupSeat, endsOn: string): void {
  if (seat.endsOn && seat.endsOn < endsOn) throw new BadUserInputError("input.endsOn", `the seat already ended on ${seat.endsOn}`);
}
