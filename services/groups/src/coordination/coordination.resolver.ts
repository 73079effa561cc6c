import { randomUUID } from "node:crypto";
import { Scope, helsinkiToday } from "@yhdyspinta/core";
import { Arg, Authorized, Ctx, Mutation, Resolver } from "type-graphql";
import type { Context } from "../context.ts";
import { checkReferences } from "../county-scope.rules.ts";
import { lockGroupFor } from "../group/group.rules.ts";
import { Meeting } from "../meeting/meeting.entity.ts";
import { checkMeetingStart, checkMeetingTimes } from "../meeting/meeting.rules.ts";
import { Membership } from "../membership/membership.entity.ts";
import { checkDeputyOf, checkMembershipDates, checkMembershipEnd, checkMembershipRules, lockMembership } from "../membership/membership.rules.ts";
import { Nomination, NominationRoundGroup, NominationStatus } from "../nomination/nomination.entity.ts";
import { checkSubmission, checkSubmissionParty, lockRoundForSubmission, lockSubmittingNominator } from "../nomination/nomination.rules.ts";
import { recordStatus } from "../round-workflow/round-workflow.entity.ts";
import { EndMembershipInput, RecordMembershipInput, ScheduleMeetingInput, SubmitNominationInput } from "./coordination.input.ts";

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
    checkMembershipDates(input.startsOn, input.endsOn);
    checkDeputyOf(input.role, input.deputyOfId);
    await checkReferences({ references, viewer }, [
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
      const m = await lockMembership(tx, viewer, input.membershipId, "input.membershipId", "not-found");
      checkMembershipEnd(m, input.endsOn);
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
    checkSubmissionParty(input);
    await checkReferences({ references, viewer }, [
      { field: "input.personId", type: "Person", keys: [input.personId] },
      { field: "input.organisationId", type: "Organisation", keys: [input.organisationId] },
    ]);
    return await em.transactional(async (tx) => {
      const round = await lockRoundForSubmission(tx, viewer, input.roundId);
      const nominator = await lockSubmittingNominator(tx, round, input);
      const submittedOn = input.submittedOn ?? helsinkiToday();
      const asDeputy = input.asDeputy ?? false;
      await checkSubmission(tx, round, nominator, { personId: input.personId, submittedOn, asDeputy, party: (input.municipalityCode ?? input.categoryId)! });
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
    checkMeetingTimes(input.startsAt, input.endsAt);
    return await em.transactional(async (tx) => {
      await lockGroupFor(tx, viewer, input.groupId, "input.groupId");
      await checkMeetingStart(tx, input.groupId, input.startsAt);
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
