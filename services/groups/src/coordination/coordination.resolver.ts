import { randomUUID } from "node:crypto";
import type { EntityManager } from "@mikro-orm/postgresql";
import { BadUserInputError, NotFoundError, Scope } from "@yhdyspinta/core";
import { Arg, Authorized, Ctx, Mutation, Resolver } from "type-graphql";
import type { Context } from "../context.ts";
import { CooperationGroup } from "../group/group.entity.ts";
import { Meeting } from "../meeting/meeting.entity.ts";
import { Membership, MembershipRole } from "../membership/membership.entity.ts";
import { Nomination, NominationRound, NominationRoundGroup, NominationStatus, Nominator, NominatorKind } from "../nomination/nomination.entity.ts";
import { helsinkiToday } from "../scalars/date-time.ts";
import { GroupSeat } from "../seat/seat.entity.ts";
import { EndMembershipInput, RecordMembershipInput, ScheduleMeetingInput, SubmitNominationInput } from "./coordination.input.ts";

async function requireGroup(tx: EntityManager, id: string, field: string): Promise<CooperationGroup> {
  const group = await tx.findOne(CooperationGroup, { id });
  if (!group) throw new BadUserInputError(field, `no cooperation group "${id}"`);
  return group;
}

/** Coordinators keep the data current. Every mutation needs `data:write` and runs in one transaction. */
@Resolver()
export class CoordinationResolver {
  @Authorized(Scope.DataWrite)
  @Mutation(() => Membership, { description: "Records that a person joins a group on behalf of an organisation. Needs `data:write`." })
  async recordMembership(
    @Arg("input", () => RecordMembershipInput, { description: "The membership." }) input: RecordMembershipInput,
    @Ctx() { em }: Context,
  ): Promise<Membership> {
    if (input.endsOn && input.endsOn < input.startsOn) throw new BadUserInputError("endsOn", "must not be before startsOn");
    if (input.deputyOfId && input.role !== MembershipRole.DEPUTY) {
      throw new BadUserInputError("deputyOfId", "only a DEPUTY stands in for a member");
    }
    return await em.transactional(async (tx) => {
      await requireGroup(tx, input.groupId, "groupId");
      if (input.seatId && !(await tx.findOne(GroupSeat, { id: input.seatId, groupId: input.groupId }))) {
        throw new BadUserInputError("seatId", "is not a seat of this group");
      }
      if (input.deputyOfId && !(await tx.findOne(Membership, { id: input.deputyOfId, groupId: input.groupId }))) {
        throw new BadUserInputError("deputyOfId", "is not a membership in this group");
      }
      const duplicate = await tx.findOne(Membership, {
        groupId: input.groupId,
        personId: input.personId,
        role: input.role,
        $or: [{ endsOn: null }, { endsOn: { $gte: input.startsOn } }],
        ...(input.endsOn ? { $and: [{ $or: [{ startsOn: null }, { startsOn: { $lte: input.endsOn } }] }] } : {}),
      });
      if (duplicate) throw new BadUserInputError("personId", "already has this role in the group for overlapping dates");
      return tx.create(Membership, {
        id: randomUUID(),
        groupId: input.groupId,
        personId: input.personId,
        organisationId: input.organisationId,
        role: input.role,
        startsOn: input.startsOn,
        endsOn: input.endsOn ?? null,
        seatId: input.seatId ?? null,
        deputyOfId: input.deputyOfId ?? null,
        title: input.title ?? null,
      });
    });
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => Membership, { description: "Ends a membership on a day; it stays in the history. Needs `data:write`." })
  async endMembership(
    @Arg("input", () => EndMembershipInput, { description: "Which membership and its last day." }) input: EndMembershipInput,
    @Ctx() { em }: Context,
  ): Promise<Membership> {
    return await em.transactional(async (tx) => {
      const m = await tx.findOne(Membership, { id: input.membershipId });
      if (!m) throw new NotFoundError("GroupMembership", input.membershipId);
      if (m.startsOn && input.endsOn < m.startsOn) throw new BadUserInputError("endsOn", "must not be before the membership starts");
      if (m.endsOn && m.endsOn < input.endsOn) throw new BadUserInputError("endsOn", `the membership already ended on ${m.endsOn}`);
      m.endsOn = input.endsOn;
      return m;
    });
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => Nomination, { description: "Records a nomination a nominator submitted to a round. Needs `data:write`." })
  async submitNomination(
    @Arg("input", () => SubmitNominationInput, { description: "The nomination." }) input: SubmitNominationInput,
    @Ctx() { em }: Context,
  ): Promise<Nomination> {
    if (!input.municipalityCode === !input.categoryId) {
      throw new BadUserInputError("municipalityCode", "give exactly one of municipalityCode and categoryId");
    }
    return await em.transactional(async (tx) => {
      const round = await tx.findOne(NominationRound, { id: input.roundId });
      if (!round) throw new BadUserInputError("roundId", `no nomination round "${input.roundId}"`);
      const nominator = await tx.findOne(
        Nominator,
        input.municipalityCode
          ? { roundId: round.id, kind: NominatorKind.MUNICIPALITY, municipalityCode: input.municipalityCode }
          : { roundId: round.id, kind: NominatorKind.ORGANISATION_CATEGORY, categoryId: input.categoryId! },
      );
      if (!nominator) {
        const field = input.municipalityCode ? "municipalityCode" : "categoryId";
        throw new BadUserInputError(field, "is not asked to nominate in this round");
      }
      const submittedOn = input.submittedOn ?? helsinkiToday();
      if (submittedOn > round.closesOn) throw new BadUserInputError("submittedOn", `the round closed on ${round.closesOn}`);
      if (round.opensOn && submittedOn < round.opensOn) throw new BadUserInputError("submittedOn", `the round opens on ${round.opensOn}`);
      const asDeputy = input.asDeputy ?? false;
      if (!asDeputy && round.maxPerNominator !== null) {
        const members = await tx.count(Nomination, {
          roundId: round.id,
          nominatorId: nominator.id,
          asDeputy: false,
          status: { $ne: NominationStatus.WITHDRAWN },
        });
        if (members >= round.maxPerNominator) {
          throw new BadUserInputError("personId", `this nominator has already named the most members, ${round.maxPerNominator}`);
        }
      }
      const groupId = nominator.groupId ?? (await tx.find(NominationRoundGroup, { roundId: round.id }))[0]?.groupId ?? null;
      return tx.create(Nomination, {
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
    });
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => Meeting, { description: "Schedules a meeting of a group. Needs `data:write`." })
  async scheduleMeeting(
    @Arg("input", () => ScheduleMeetingInput, { description: "The meeting." }) input: ScheduleMeetingInput,
    @Ctx() { em }: Context,
  ): Promise<Meeting> {
    if (input.endsAt && input.endsAt.getTime() <= input.startsAt.getTime()) {
      throw new BadUserInputError("endsAt", "must be after startsAt");
    }
    return await em.transactional(async (tx) => {
      await requireGroup(tx, input.groupId, "groupId");
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
