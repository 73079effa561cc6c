import { randomUUID } from "node:crypto";
import { LockMode } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/postgresql";
import { assertCanWriteCounty, BadUserInputError, NotFoundError, Scope, uniqueRuleError, type Viewer, helsinkiToday, formatHelsinki } from "@yhdyspinta/core";
import { Arg, Authorized, Ctx, Mutation, Resolver } from "type-graphql";
import type { Context } from "../context.ts";
import { meetingStartingAt } from "../group-workflow/natural-keys.queries.ts";
import { Meeting } from "../meeting/meeting.entity.ts";
import { Membership, MembershipRole } from "../membership/membership.entity.ts";
import { Nomination, NominationRound, NominationRoundGroup, NominationStatus, Nominator, NominatorKind } from "../nomination/nomination.entity.ts";
import { GroupSeat } from "../seat/seat.entity.ts";
import { recordStatus } from "../round-workflow/round-workflow.entity.ts";
import { countMemberNominations, lockGroup, type LockedGroup, overlappingMemberships } from "./coordination.queries.ts";
import { EndMembershipInput, RecordMembershipInput, ScheduleMeetingInput, SubmitNominationInput } from "./coordination.input.ts";

const VOTING_ROLES: ReadonlySet<MembershipRole> = new Set([MembershipRole.CHAIR, MembershipRole.VICE_CHAIR, MembershipRole.MEMBER]);

/** Locks the group row for the rest of the transaction and checks the caller may change its county. */
export async function lockGroupFor(tx: EntityManager, viewer: Viewer, groupId: string, field: string): Promise<LockedGroup> {
  const group = await lockGroup(tx, groupId);
  if (!group) throw new BadUserInputError(field, `no cooperation group "${groupId}"`);
  assertCanWriteCounty(viewer, group.countyCode);
  return group;
}

/**
 * Checks a membership against the group's rules, with the group row locked so
 * that parallel writes see each other: seat capacity (members, deputies,
 * speaking-right seats), one active role per person per group, a deputy
 * paired with a named member of the same seat. Returns the seat to store.
 */
export async function checkMembershipRules(
  tx: EntityManager,
  m: { groupId: string; personId: string; role: MembershipRole; startsOn: string; endsOn: string | null; seatId: string | null; deputyOfId: string | null },
  excludeId: string | null,
  groupEndsOn: string | null = null,
): Promise<string | null> {
  if (groupEndsOn !== null && (m.endsOn === null || m.endsOn > groupEndsOn)) {
    throw new BadUserInputError("input.endsOn", `the group ends on ${groupEndsOn}: a membership must end by then`);
  }
  const overlapping = await overlappingMemberships(tx, m.groupId, m.startsOn, m.endsOn, excludeId);
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
  const seat = await tx.findOne(GroupSeat, { id: seatId, groupId: m.groupId });
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
 * Coordinators keep the data current. Every mutation needs `data:write` and a
 * role allowing the county of what it changes, and runs in one transaction
 * whose row locks make parallel writes come out as sequential ones.
 */
@Resolver()
export class CoordinationResolver {
  @Authorized(Scope.DataWrite)
  @Mutation(() => Membership, {
    description:
      "Records that a person joins a group on behalf of an organisation. Refused when the seat is full, the person already holds a role in the group on those dates, or a deputy names no member. Needs `data:write` and a role for the group's county.",
  })
  async recordMembership(
    @Arg("input", () => RecordMembershipInput, { description: "The membership." }) input: RecordMembershipInput,
    @Ctx() { em, viewer, references }: Context,
  ): Promise<Membership> {
    if (input.endsOn && input.endsOn < input.startsOn) throw new BadUserInputError("input.endsOn", "must not be before startsOn");
    if (input.deputyOfId && input.role !== MembershipRole.DEPUTY) {
      throw new BadUserInputError("input.deputyOfId", "only a DEPUTY stands in for a member");
    }
    await references.assertExist([
      { field: "input.personId", type: "Person", keys: [input.personId] },
      { field: "input.organisationId", type: "Organisation", keys: [input.organisationId] },
    ]);
    return await em.transactional(async (tx) => {
      const group = await lockGroupFor(tx, viewer, input.groupId, "input.groupId");
      const seatId = await checkMembershipRules(
        tx,
        { ...input, endsOn: input.endsOn ?? null, seatId: input.seatId ?? null, deputyOfId: input.deputyOfId ?? null },
        null,
        group.endsOn,
      );
      return tx.create(Membership, {
        id: randomUUID(),
        groupId: input.groupId,
        personId: input.personId,
        organisationId: input.organisationId,
        role: input.role,
        startsOn: input.startsOn,
        endsOn: input.endsOn ?? null,
        seatId,
        deputyOfId: input.deputyOfId ?? null,
        title: input.title ?? null,
      });
    });
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => Membership, { description: "Ends a membership on a day; it stays in the history. Needs `data:write` and a role for the group's county." })
  async endMembership(
    @Arg("input", () => EndMembershipInput, { description: "Which membership and its last day." }) input: EndMembershipInput,
    @Ctx() { em, viewer }: Context,
  ): Promise<Membership> {
    return await em.transactional(async (tx) => {
      const found = await tx.findOne(Membership, { id: input.membershipId });
      if (!found) throw new NotFoundError("GroupMembership", input.membershipId);
      await lockGroupFor(tx, viewer, found.groupId, "input.membershipId");
      const m = await tx.findOneOrFail(Membership, { id: input.membershipId }, { refresh: true });
      if (m.correctedAt) throw new BadUserInputError("input.membershipId", "the membership was corrected as recorded by mistake");
      if (m.startsOn && input.endsOn < m.startsOn) throw new BadUserInputError("input.endsOn", "must not be before the membership starts");
      if (m.endsOn && m.endsOn < input.endsOn) throw new BadUserInputError("input.endsOn", `the membership already ended on ${m.endsOn}`);
      m.endsOn = input.endsOn;
      return m;
    });
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => Nomination, {
    description:
      "Records a nomination a nominator submitted to a round. Refused outside the round's window and beyond the per-nominator maximum. Needs `data:write` and a role for the round's county.",
  })
  async submitNomination(
    @Arg("input", () => SubmitNominationInput, { description: "The nomination." }) input: SubmitNominationInput,
    @Ctx() { em, viewer, references }: Context,
  ): Promise<Nomination> {
    if (!input.municipalityCode === !input.categoryId) {
      throw new BadUserInputError("input.municipalityCode", "give exactly one of municipalityCode and categoryId");
    }
    await references.assertExist([
      { field: "input.personId", type: "Person", keys: [input.personId] },
      { field: "input.organisationId", type: "Organisation", keys: [input.organisationId] },
    ]);
    return await em.transactional(async (tx) => {
      const round = await tx.findOne(NominationRound, { id: input.roundId }, { lockMode: LockMode.PESSIMISTIC_READ });
      if (!round) throw new BadUserInputError("input.roundId", `no nomination round "${input.roundId}"`);
      assertCanWriteCounty(viewer, round.countyCode);
      if (round.closedAt) throw new BadUserInputError("input.roundId", `the round was closed at ${formatHelsinki(round.closedAt)}`);
      const nominator = await tx.findOne(
        Nominator,
        input.municipalityCode
          ? { roundId: round.id, kind: NominatorKind.MUNICIPALITY, municipalityCode: input.municipalityCode }
          : { roundId: round.id, kind: NominatorKind.ORGANISATION_CATEGORY, categoryId: input.categoryId! },
        { lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      if (!nominator) {
        const field = input.municipalityCode ? "input.municipalityCode" : "input.categoryId";
        throw new BadUserInputError(field, "is not asked to nominate in this round");
      }
      const standing = await tx.findOne(Nomination, {
        nominatorId: nominator.id,
        personId: input.personId,
        status: { $in: [NominationStatus.SUBMITTED, NominationStatus.ACCEPTED] },
      });
      if (standing) throw uniqueRuleError("nomination_nominator_person_unique", `nomination ${standing.id} (${standing.status.toUpperCase()})`);
      const submittedOn = input.submittedOn ?? helsinkiToday();
      if (submittedOn > round.closesOn) throw new BadUserInputError("input.submittedOn", `the round closed on ${round.closesOn}`);
      if (round.opensOn && submittedOn < round.opensOn) throw new BadUserInputError("input.submittedOn", `the round opens on ${round.opensOn}`);
      const asDeputy = input.asDeputy ?? false;
      if (!asDeputy && round.maxPerNominator !== null) {
        const members = await countMemberNominations(tx, nominator.id);
        if (members >= round.maxPerNominator) {
          throw new BadUserInputError(
            "input.personId",
            `nominator ${input.municipalityCode ?? input.categoryId} has already named ${members} of ${round.maxPerNominator} members in this round`,
          );
        }
      }
      const groupId = nominator.groupId ?? (await tx.find(NominationRoundGroup, { roundId: round.id }))[0]?.groupId ?? null;
      const nomination = tx.create(Nomination, {
        id: randomUUID(),
        roundId: round.id,
        nominatorId: nominator.id,
        personId: input.personId,
        organisationId: input.organisationId ?? null,
        groupId,
        asDeputy,
        status: NominationStatus.SUBMITTED,
        submittedOn,
      });
      recordStatus(tx, nomination.id, NominationStatus.SUBMITTED, viewer, null);
      return nomination;
    });
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => Meeting, { description: "Schedules a meeting of a group. Needs `data:write`." })
  async scheduleMeeting(
    @Arg("input", () => ScheduleMeetingInput, { description: "The meeting." }) input: ScheduleMeetingInput,
    @Ctx() { em, viewer }: Context,
  ): Promise<Meeting> {
    if (input.endsAt && input.endsAt.getTime() <= input.startsAt.getTime()) {
      throw new BadUserInputError("input.endsAt", "must be after startsAt");
    }
    return await em.transactional(async (tx) => {
      await lockGroupFor(tx, viewer, input.groupId, "input.groupId");
      const same = await meetingStartingAt(tx, input.groupId, input.startsAt);
      if (same) throw uniqueRuleError("meeting_group_starts_at_unique", `meeting ${same} at ${formatHelsinki(input.startsAt)}`);
      return tx.create(Meeting, {
        id: randomUUID(),
        groupId: input.groupId,
        kind: input.kind,
        title: input.title ?? null,
        startsAt: input.startsAt,
        endsAt: input.endsAt ?? null,
        location: input.location ?? null,
        agenda: input.agenda ?? [],
      });
    });
  }
}
