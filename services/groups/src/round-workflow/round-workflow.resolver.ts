import { randomUUID } from "node:crypto";
import { LockMode } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/postgresql";
import { assertCanWriteCounty, BadUserInputError, Scope, type Viewer } from "@yhdyspinta/core";
import { Arg, Authorized, Ctx, Field, FieldResolver, ID, Int, Mutation, ObjectType, Resolver, Root } from "type-graphql";
import type { Context } from "../context.ts";
import { checkReferences } from "../county-scope.rules.ts";
import { CooperationGroup } from "../group/group.entity.ts";
import { lockGroupFor } from "../group/group.rules.ts";
import { Membership, MembershipRole } from "../membership/membership.entity.ts";
import { checkDeputyOf, checkMembershipDates, checkMembershipRules } from "../membership/membership.rules.ts";
import { Nomination, NominationRound, NominationRoundGroup, NominationStatus, Nominator } from "../nomination/nomination.entity.ts";
import {
  checkAppointable,
  checkAppointmentGroup,
  checkDecision,
  checkMaxCoversNamed,
  checkRoundGroups,
  checkWindowAndLimits,
  lockOpenRound,
  nominatorReferences,
  nominatorRows,
  shortfallsOf,
} from "../nomination/nomination.rules.ts";
import { NominationStatusChange, recordStatus } from "./round-workflow.entity.ts";
import {
  AppointNominationInput,
  DecideNominationInput,
  EditNominationRoundInput,
  OpenNominationRoundInput,
} from "./round-workflow.inputs.ts";

@ObjectType("NominatorShortfall", { description: "A nominator that named fewer members than the round's per-nominator minimum." })
export class NominatorShortfall {
  @Field(() => Nominator, { description: "The nominator." })
  nominator!: Nominator;

  @Field(() => Int, { description: "Members named (submitted or accepted nominations, not as deputy)." })
  named!: number;

  @Field(() => Int, { description: "The round's per-nominator minimum." })
  minimum!: number;
}

@ObjectType("NominationRoundClosure", { description: "A closed round and the nominators that did not meet the per-nominator minimum." })
export class NominationRoundClosure {
  @Field(() => NominationRound, { description: "The closed round." })
  round!: NominationRound;

  @Field(() => [NominatorShortfall], { description: "Nominators below the minimum, in the round's order; empty when all met it or there is none." })
  shortfalls!: NominatorShortfall[];
}

/**
 * Coordinators run nomination rounds: open, edit and close them, decide on
 * nominations (with a status history) and appoint accepted nominees. Each
 * mutation needs `data:write` and a role for the round's county, and runs in
 * one transaction with the round, nomination or group row locked.
 */
@Resolver()
export class RoundWorkflowResolver {
  @Authorized(Scope.DataWrite)
  @Mutation(() => NominationRound, {
    description: "Opens a nomination round for groups of one county: window, nominators, per-nominator limits, where to submit. Needs `data:write` and a role for the county.",
  })
  async openNominationRound(
    @Arg("input", () => OpenNominationRoundInput, { description: "The round." }) input: OpenNominationRoundInput,
    @Ctx() { em, viewer, references }: Context,
  ): Promise<NominationRound> {
    assertCanWriteCounty(viewer, input.countyCode);
    const fields = {
      opensOn: input.opensOn ?? null,
      closesOn: input.closesOn,
      minPerNominator: input.minPerNominator ?? null,
      maxPerNominator: input.maxPerNominator ?? null,
    };
    checkWindowAndLimits(fields);
    const groupIds = [...new Set(input.groupIds)];
    const id = `round-${randomUUID()}`;
    const rows = nominatorRows(id, input.nominators, groupIds, [], "input.nominators");
    await checkReferences({ references, viewer }, nominatorReferences(input.nominators, "input.nominators"));
    return await em.transactional(async (tx) => {
      const groups = await tx.find(CooperationGroup, { id: { $in: groupIds } });
      checkRoundGroups(groupIds, groups, input.countyCode);
      const round = tx.create(NominationRound, {
        id,
        countyCode: input.countyCode,
        name: input.name,
        kind: input.kind,
        ...fields,
        submitTo: input.submitTo ?? null,
        submissionMethod: input.submissionMethod ?? null,
        nominees: input.nominees ?? null,
        deputiesOptionalWhenSeveralMembers: input.deputiesOptionalWhenSeveralMembers ?? false,
        description: input.description ?? null,
      });
      for (const groupId of groupIds) tx.create(NominationRoundGroup, { roundId: id, groupId });
      for (const row of rows) tx.create(Nominator, row);
      return round;
    });
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => NominationRound, {
    description:
      "Edits a round that is not closed: window, limits, where to submit, further nominators. A maximum below what a nominator already named is refused. Needs `data:write` and a role for the round's county.",
  })
  async editNominationRound(
    @Arg("input", () => EditNominationRoundInput, { description: "The changes." }) input: EditNominationRoundInput,
    @Ctx() { em, viewer, references }: Context,
  ): Promise<NominationRound> {
    if (input.addNominators?.length) await checkReferences({ references, viewer }, nominatorReferences(input.addNominators, "input.addNominators"));
    return await em.transactional(async (tx) => {
      const round = await lockOpenRound(tx, viewer, input.roundId, "input.roundId");
      const next = {
        opensOn: input.opensOn !== undefined ? input.opensOn : round.opensOn,
        closesOn: input.closesOn ?? round.closesOn,
        minPerNominator: input.minPerNominator !== undefined ? input.minPerNominator : round.minPerNominator,
        maxPerNominator: input.maxPerNominator !== undefined ? input.maxPerNominator : round.maxPerNominator,
      };
      checkWindowAndLimits(next);
      await checkMaxCoversNamed(tx, round, next.maxPerNominator);
      Object.assign(round, next);
      if (input.name) round.name = input.name;
      if (input.submitTo !== undefined) round.submitTo = input.submitTo;
      if (input.submissionMethod !== undefined) round.submissionMethod = input.submissionMethod;
      if (input.nominees !== undefined) round.nominees = input.nominees;
      if (input.description !== undefined) round.description = input.description;
      if (input.deputiesOptionalWhenSeveralMembers != null) round.deputiesOptionalWhenSeveralMembers = input.deputiesOptionalWhenSeveralMembers;
      if (input.addNominators?.length) {
        const [existing, groups] = await Promise.all([
          tx.find(Nominator, { roundId: round.id }),
          tx.find(NominationRoundGroup, { roundId: round.id }, { orderBy: { groupId: "asc" } }),
        ]);
        const rows = nominatorRows(round.id, input.addNominators, groups.map((g) => g.groupId), existing, "input.addNominators");
        for (const row of rows) tx.create(Nominator, row);
      }
      return round;
    });
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => NominationRoundClosure, {
    description:
      "Closes a round: no nomination is received after it. Reports the nominators below the per-nominator minimum. Needs `data:write` and a role for the round's county.",
  })
  async closeNominationRound(
    @Arg("roundId", () => ID, { description: "The round." }) roundId: string,
    @Ctx() { em, viewer }: Context,
  ): Promise<NominationRoundClosure> {
    return await em.transactional(async (tx) => {
      const round = await lockOpenRound(tx, viewer, roundId, "roundId");
      round.closedAt = new Date();
      const shortfalls = (await shortfallsOf(tx, round)).map((s) => Object.assign(new NominatorShortfall(), s));
      return Object.assign(new NominationRoundClosure(), { round, shortfalls });
    });
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => Nomination, { description: "Accepts a submitted nomination (the nominee is chosen). Needs `data:write` and a role for the round's county." })
  async acceptNomination(
    @Arg("input", () => DecideNominationInput, { description: "Which nomination, and why." }) input: DecideNominationInput,
    @Ctx() { em, viewer }: Context,
  ): Promise<Nomination> {
    return await decide(em, viewer, input, NominationStatus.ACCEPTED);
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => Nomination, { description: "Rejects a submitted nomination. Needs `data:write` and a role for the round's county." })
  async rejectNomination(
    @Arg("input", () => DecideNominationInput, { description: "Which nomination, and why." }) input: DecideNominationInput,
    @Ctx() { em, viewer }: Context,
  ): Promise<Nomination> {
    return await decide(em, viewer, input, NominationStatus.REJECTED);
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => Nomination, {
    description:
      "Withdraws a submitted or accepted (not yet appointed) nomination; it no longer counts towards the nominator's maximum. Needs `data:write` and a role for the round's county.",
  })
  async withdrawNomination(
    @Arg("input", () => DecideNominationInput, { description: "Which nomination, and why." }) input: DecideNominationInput,
    @Ctx() { em, viewer }: Context,
  ): Promise<Nomination> {
    return await decide(em, viewer, input, NominationStatus.WITHDRAWN);
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => Membership, {
    description:
      "Turns an accepted nomination into a membership of its group, in one transaction under the same seat rules as `recordMembership`; a nomination is appointed once. Needs `data:write` and a role for the group's county.",
  })
  async appointNomination(
    @Arg("input", () => AppointNominationInput, { description: "The nomination and the membership's terms." }) input: AppointNominationInput,
    @Ctx() { em, viewer, references }: Context,
  ): Promise<Membership> {
    checkMembershipDates(input.startsOn, input.endsOn);
    if (input.organisationId) await checkReferences({ references, viewer }, [{ field: "input.organisationId", type: "Organisation", keys: [input.organisationId] }]);
    return await em.transactional(async (tx) => {
      const first = await tx.findOne(Nomination, { id: input.nominationId });
      checkAppointmentGroup(first, input.nominationId);
      const group = await lockGroupFor(tx, viewer, first.groupId, "input.nominationId");
      const nomination = await tx.findOneOrFail(Nomination, { id: input.nominationId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
      checkAppointable(nomination);
      const role = input.role ?? (nomination.asDeputy ? MembershipRole.DEPUTY : MembershipRole.MEMBER);
      checkDeputyOf(role, input.deputyOfId);
      const terms = {
        groupId: group.id,
        personId: nomination.personId,
        role,
        startsOn: input.startsOn,
        endsOn: input.endsOn ?? null,
        seatId: input.seatId ?? null,
        deputyOfId: input.deputyOfId ?? null,
      };
      const seatId = await checkMembershipRules(tx, terms, null, group.endsOn);
      const membership = tx.create(Membership, {
        id: randomUUID(),
        ...terms,
        seatId,
        organisationId: input.organisationId ?? nomination.organisationId,
        title: null,
      });
      nomination.membershipId = membership.id;
      return membership;
    });
  }
}

/** Moves a nomination to `status` with the row locked, and records the step. */
async function decide(em: EntityManager, viewer: Viewer, input: DecideNominationInput, status: NominationStatus): Promise<Nomination> {
  return await em.transactional(async (tx) => {
    const nomination = await tx.findOne(Nomination, { id: input.nominationId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!nomination) throw new BadUserInputError("input.nominationId", `no nomination "${input.nominationId}"`);
    const round = await tx.findOneOrFail(NominationRound, { id: nomination.roundId });
    assertCanWriteCounty(viewer, round.countyCode);
    checkDecision(nomination, status);
    nomination.status = status;
    recordStatus(tx, nomination.id, status, viewer, input.note ?? null);
    return nomination;
  });
}

@Resolver(() => Nomination)
export class NominationHistoryResolver {
  @FieldResolver(() => [NominationStatusChange], { description: "Status history, oldest first: who set which status when, with a note. Empty for nominations imported from sources." })
  async statusHistory(@Root() n: Nomination, @Ctx() { loaders }: Context): Promise<NominationStatusChange[]> {
    return await loaders.statusHistoryByNomination.load(n.id);
  }

  @FieldResolver(() => Membership, { nullable: true, description: "The membership the nomination was appointed as; null until appointed." })
  async membership(@Root() n: Nomination, @Ctx() { loaders }: Context): Promise<Membership | null> {
    return n.membershipId ? await loaders.membershipById.load(n.membershipId) : null;
  }
}
