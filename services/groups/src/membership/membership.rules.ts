import type { EntityManager } from "@mikro-orm/postgresql";
import { BadUserInputError, NotFoundError, type Viewer, helsinkiToday, formatHelsinki } from "@yhdyspinta/core";
import { overlappingMemberships, type OverlapRow } from "../coordination/coordination.queries.ts";
import { lockGroupFor } from "../group/group.rules.ts";
import { GroupSeat } from "../seat/seat.entity.ts";
import { Membership, MembershipRole } from "./membership.entity.ts";

/**
 * Every rule of a membership, whichever workflow writes it (recordMembership
 * and endMembership in coordination/, appointNomination in round-workflow/,
 * correctMembership and the ends of groups and seats in group-workflow/):
 *
 * - terms: ends on or after it starts (`checkMembershipDates`); only a DEPUTY
 *   names a member it stands in for (`checkDeputyOf`);
 * - seat and group rules under the group's row lock (`checkMembershipRules`):
 *   within the group's end, one active role per person per group, a deputy
 *   paired with a voting member of the same seat and one deputy per member,
 *   seat capacity (members, deputies), speaking-right seats only for
 *   SPEAKING_RIGHT, within the seat's end;
 * - the lock a change of an existing membership takes (`lockMembership`);
 * - ending: not a corrected one, not before its start, not after its own end
 *   (`checkMembershipEnd`); when a group or seat ends, its memberships end with
 *   it and one starting later refuses the end (`endMembershipsAfter`);
 * - correcting: once, and not while a deputy stands in for it (`checkMembershipCorrection`);
 * - which day `memberships(activeOn, history)` reads (`membershipDay`).
 */

/** Roles that hold a voting place in a seat. */
export const VOTING_ROLES: ReadonlySet<MembershipRole> = new Set([MembershipRole.CHAIR, MembershipRole.VICE_CHAIR, MembershipRole.MEMBER]);

/** `memberships(activeOn, history)` arguments → loader key: the day to read, or null for the whole history. */
export function membershipDay(activeOn: string | null | undefined, history: boolean | null | undefined): string | null {
  if (history) return null;
  return activeOn ?? helsinkiToday();
}

/** A membership's dates are in order (checked before anything is read). */
export function checkMembershipDates(startsOn: string, endsOn: string | null | undefined): void {
  if (endsOn && endsOn < startsOn) throw new BadUserInputError("input.endsOn", "must not be before startsOn");
}

/** Only a DEPUTY names the membership of a member it stands in for. */
export function checkDeputyOf(role: MembershipRole, deputyOfId: string | null | undefined): void {
  if (deputyOfId && role !== MembershipRole.DEPUTY) throw new BadUserInputError("input.deputyOfId", "only a DEPUTY stands in for a member");
}

/**
 * What `checkMembershipRules` reads: by default from the database; a bulk
 * import gives them from what it read for a chunk of rows (and what the
 * chunk's earlier rows created), the group locked as before.
 */
export interface MembershipRuleReads {
  /** As `overlappingMemberships`: the group's memberships (not corrected) overlapping the dates, other than `excludeId`. */
  overlapping(groupId: string, startsOn: string, endsOn: string | null, excludeId: string | null): Promise<OverlapRow[]>;
  /** The seat of that id in the group, or null. */
  seat(seatId: string, groupId: string): Promise<GroupSeat | null>;
}

function databaseReads(tx: EntityManager): MembershipRuleReads {
  return {
    overlapping: async (groupId, startsOn, endsOn, excludeId) => await overlappingMemberships(tx, groupId, startsOn, endsOn, excludeId),
    seat: async (seatId, groupId) => await tx.findOne(GroupSeat, { id: seatId, groupId }),
  };
}

/**
 * Checks a membership against the group's rules, with the group row locked so
 * that parallel writes see each other: seat capacity (members, deputies,
 * speaking-right seats), one active role per person per group, a deputy
 * paired with a named member of the same seat. Returns the seat to store.
 * `reads` (a bulk import's) replaces the database reads; the rules are the same.
 */
export async function checkMembershipRules(
  tx: EntityManager,
  m: { groupId: string; personId: string; role: MembershipRole; startsOn: string; endsOn: string | null; seatId: string | null; deputyOfId: string | null },
  excludeId: string | null,
  groupEndsOn: string | null = null,
  reads: MembershipRuleReads = databaseReads(tx),
): Promise<string | null> {
  if (groupEndsOn !== null && (m.endsOn === null || m.endsOn > groupEndsOn)) {
    throw new BadUserInputError("input.endsOn", `the group ends on ${groupEndsOn}: a membership must end by then`);
  }
  const overlapping = await reads.overlapping(m.groupId, m.startsOn, m.endsOn, excludeId);
  const same = overlapping.find((o) => o.person_id === m.personId);
  if (same) {
    throw new BadUserInputError("input.personId", `already holds role ${same.role.toUpperCase()} in this group for overlapping dates (one active role per person per group)`);
  }
  let seatId = m.seatId;
  if (m.role === MembershipRole.DEPUTY) {
    if (!m.deputyOfId) throw new BadUserInputError("input.deputyOfId", "a DEPUTY must name the membership of the member they stand in for");
    const member = overlapping.find((o) => o.id === m.deputyOfId);
    if (!member) throw new BadUserInputError("input.deputyOfId", "is not a membership of this group active on these dates");
    if (!VOTING_ROLES.has(member.role as MembershipRole)) {
      throw new BadUserInputError("input.deputyOfId", `a deputy stands in for a member, not a ${member.role.toUpperCase()}`);
    }
    if (seatId && member.seat_id && seatId !== member.seat_id) throw new BadUserInputError("input.seatId", "a deputy holds the seat of the member they stand in for");
    seatId = seatId ?? member.seat_id;
    const other = overlapping.find((o) => o.role === MembershipRole.DEPUTY && o.deputy_of_id === member.id);
    if (other) throw new BadUserInputError("input.deputyOfId", "the member already has a deputy for these dates");
  } else if (m.deputyOfId) {
    throw new BadUserInputError("input.deputyOfId", "only a DEPUTY stands in for a member");
  }
  if (!seatId) return null;
  const seat = await reads.seat(seatId, m.groupId);
  if (!seat) throw new BadUserInputError("input.seatId", "is not a seat of this group");
  if (seat.endsOn !== null && (m.endsOn === null || m.endsOn > seat.endsOn)) {
    throw new BadUserInputError("input.seatId", `seat ${seat.label} ends on ${seat.endsOn}: a membership in it must end by then`);
  }
  const inSeat = overlapping.filter((o) => o.seat_id === seat.id);
  if (m.role === MembershipRole.DEPUTY) {
    if (seat.deputies !== null && inSeat.filter((o) => o.role === MembershipRole.DEPUTY).length >= seat.deputies) {
      const held = inSeat.filter((o) => o.role === MembershipRole.DEPUTY).length;
      throw new BadUserInputError("input.seatId", `seat ${seat.label} already has ${held} of ${seat.deputies} deputies`);
    }
    return seat.id;
  }
  if (seat.speakingRightOnly !== (m.role === MembershipRole.SPEAKING_RIGHT)) {
    throw new BadUserInputError(
      "input.role",
      seat.speakingRightOnly ? `seat ${seat.label} has speaking right only: role must be SPEAKING_RIGHT` : `seat ${seat.label} is a voting seat: SPEAKING_RIGHT does not hold it`,
    );
  }
  if (!VOTING_ROLES.has(m.role) && m.role !== MembershipRole.SPEAKING_RIGHT) {
    throw new BadUserInputError("input.role", `${m.role.toUpperCase()} does not hold a seat`);
  }
  const held = inSeat.filter((o) => o.role !== MembershipRole.DEPUTY).length;
  if (seat.maxMembers !== null && held >= seat.maxMembers) {
    throw new BadUserInputError("input.seatId", `seat ${seat.label} already has ${held} of ${seat.maxMembers} members`);
  }
  return seat.id;
}

/**
 * Locks the group of an existing membership (checking the caller's county)
 * and returns the membership as of now. `missing` says how an unknown id is
 * answered: NOT_FOUND, or BAD_USER_INPUT naming `field`.
 */
export async function lockMembership(tx: EntityManager, viewer: Viewer, membershipId: string, field: string, missing: "not-found" | "bad-input"): Promise<Membership> {
  const first = await tx.findOne(Membership, { id: membershipId });
  if (!first) {
    if (missing === "not-found") throw new NotFoundError("GroupMembership", membershipId);
    throw new BadUserInputError(field, `no membership "${membershipId}"`);
  }
  await lockGroupFor(tx, viewer, first.groupId, field);
  return await tx.findOneOrFail(Membership, { id: membershipId }, { refresh: true });
}

/** A membership ends once, not before it starts, and not when it was corrected as a mistake. */
export function checkMembershipEnd(m: Membership, endsOn: string): void {
  if (m.correctedAt) throw new BadUserInputError("input.membershipId", "the membership was corrected as recorded by mistake");
  if (m.startsOn && endsOn < m.startsOn) throw new BadUserInputError("input.endsOn", "must not be before the membership starts");
  if (m.endsOn && m.endsOn < endsOn) throw new BadUserInputError("input.endsOn", `the membership already ended on ${m.endsOn}`);
}

/** A membership is corrected once, and not while a deputy stands in for it. */
export async function checkMembershipCorrection(tx: EntityManager, m: Membership): Promise<void> {
  if (m.correctedAt) throw new BadUserInputError("input.membershipId", `the membership was already corrected at ${formatHelsinki(m.correctedAt)}`);
  const deputy = await tx.findOne(Membership, { deputyOfId: m.id, correctedAt: null });
  if (deputy) throw new BadUserInputError("input.membershipId", `membership ${deputy.id} is this member's deputy: correct or end it first`);
}

/**
 * Ends, on `endsOn`, the memberships (of a group, or of one seat) that continue
 * past it; refuses when one starts after it. Run with the group row locked.
 */
export async function endMembershipsAfter(tx: EntityManager, where: { groupId: string; seatId?: string }, endsOn: string, field: string): Promise<void> {
  const memberships = await tx.find(Membership, { ...where, correctedAt: null, $or: [{ endsOn: null }, { endsOn: { $gt: endsOn } }] });
  const late = memberships.find((m) => m.startsOn !== null && m.startsOn > endsOn);
  if (late) throw new BadUserInputError(field, `membership ${late.id} starts on ${late.startsOn}, after ${endsOn}: end or correct it first`);
  for (const m of memberships) m.endsOn = endsOn;
}
