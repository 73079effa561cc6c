import { randomUUID } from "node:crypto";
import { LockMode } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/postgresql";
import { assertCanWriteCounty, BadUserInputError, Scope, type Viewer, formatHelsinki } from "@yhdyspinta/core";
import { Arg, Authorized, Ctx, Field, FieldResolver, ID, Int, Mutation, ObjectType, Resolver, Root } from "type-graphql";
import type { Context } from "../context.ts";
import { checkMembershipRules, lockGroupFor } from "../coordination/coordination.resolver.ts";
import { CooperationGroup } from "../group/group.entity.ts";
import { Membership, MembershipRole } from "../membership/membership.entity.ts";
import { Nomination, NominationRound, NominationRoundGroup, NominationStatus, Nominator, NominatorKind } from "../nomination/nomination.entity.ts";
import { NominationStatusChange, recordStatus } from "./round-workflow.entity.ts";
import {
  AppointNominationInput,
  DecideNominationInput,
  EditNominationRoundInput,
  NominatorInput,
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

/** Which statuses a nomination may move to from each status. */
const NEXT: Record<NominationStatus, readonly NominationStatus[]> = {
  [NominationStatus.SUBMITTED]: [NominationStatus.ACCEPTED, NominationStatus.REJECTED, NominationStatus.WITHDRAWN],
  [NominationStatus.ACCEPTED]: [NominationStatus.WITHDRAWN],
  [NominationStatus.REJECTED]: [],
  [NominationStatus.WITHDRAWN]: [],
};


/** Members named per nominator of a round (submitted or accepted, not as deputy). */
async function namedPerNominator(tx: EntityManager, roundId: string): Promise<Map<string, number>> {
  const rows = await tx.execute<{ nominator_id: string; n: string }[]>(
    `select nominator_id, count(*) as n from nomination where round_id = ? and as_deputy = false and status in ('submitted', 'accepted') group by nominator_id`,
    [roundId],
  );
  return new Map(rows.map((r) => [r.nominator_id, Number(r.n)]));
}

/** Locks a round for the rest of the transaction (submissions take a share lock on it), checks the county and that it is not closed. */
async function lockOpenRound(tx: EntityManager, viewer: Viewer, roundId: string, field: string): Promise<NominationRound> {
  const round = await tx.findOne(NominationRound, { id: roundId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!round) throw new BadUserInputError(field, `no nomination round "${roundId}"`);
  assertCanWriteCounty(viewer, round.countyCode);
  if (round.closedAt) throw new BadUserInputError(field, `the round was closed at ${formatHelsinki(round.closedAt)}`);
  return round;
}

function checkWindowAndLimits(round: { opensOn: string | null; closesOn: string; minPerNominator: number | null; maxPerNominator: number | null }): void {
  if (round.opensOn && round.closesOn < round.opensOn) throw new BadUserInputError("input.closesOn", `must not be before opensOn (${round.opensOn})`);
  if (round.minPerNominator !== null && round.maxPerNominator !== null && round.minPerNominator > round.maxPerNominator) {
    throw new BadUserInputError("input.minPerNominator", `must not exceed maxPerNominator (${round.maxPerNominator})`);
  }
}

/**
 * Builds nominator rows for a round: exactly one of municipality and category
 * each, no party asked twice, groups among the round's. Unique indexes on
 * (round, municipality) and (round, category) keep parallel additions apart.
 */
function nominatorRows(roundId: string, inputs: readonly NominatorInput[], groupIds: readonly string[], existing: readonly Nominator[], field: string) {
  const seen = new Set(existing.map((n) => n.municipalityCode ?? n.categoryId));
  let ordinal = existing.reduce((max, n) => Math.max(max, n.ordinal), 0);
  return inputs.map((input) => {
    if (!input.municipalityCode === !input.categoryId) throw new BadUserInputError(field, "each nominator gives exactly one of municipalityCode and categoryId");
    const party = (input.municipalityCode ?? input.categoryId)!;
    if (seen.has(party)) throw new BadUserInputError(field, `${party} is asked more than once in this round`);
    seen.add(party);
    if (input.groupId && !groupIds.includes(input.groupId)) throw new BadUserInputError(field, `group ${input.groupId} is not one of the round's groups`);
    ordinal += 1;
    return {
      id: randomUUID(),
      roundId,
      kind: input.municipalityCode ? NominatorKind.MUNICIPALITY : NominatorKind.ORGANISATION_CATEGORY,
      municipalityCode: input.municipalityCode ?? null,
      categoryId: input.categoryId ?? null,
      groupId: input.groupId ?? groupIds[0] ?? null,
      ordinal,
    };
  });
}

function nominatorReferences(inputs: readonly NominatorInput[], field: string) {
  return [
    { field, type: "Municipality" as const, keys: inputs.map((n) => n.municipalityCode ?? "") },
    { field, type: "OrganisationCategory" as const, keys: inputs.map((n) => n.categoryId ?? "") },
  ];
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
    await references.assertExist(nominatorReferences(input.nominators, "input.nominators"));
    return await em.transactional(async (tx) => {
      const groups = await tx.find(CooperationGroup, { id: { $in: groupIds } });
      const missing = groupIds.find((g) => !groups.some((x) => x.id === g));
      if (missing) throw new BadUserInputError("input.groupIds", `no cooperation group "${missing}"`);
      const foreign = groups.find((g) => g.countyCode !== input.countyCode);
      if (foreign) throw new BadUserInputError("input.groupIds", `group ${foreign.id} belongs to county ${foreign.countyCode}, not ${input.countyCode}`);
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
    if (input.addNominators?.length) await references.assertExist(nominatorReferences(input.addNominators, "input.addNominators"));
    return await em.transactional(async (tx) => {
      const round = await lockOpenRound(tx, viewer, input.roundId, "input.roundId");
      const next = {
        opensOn: input.opensOn !== undefined ? input.opensOn : round.opensOn,
        closesOn: input.closesOn ?? round.closesOn,
        minPerNominator: input.minPerNominator !== undefined ? input.minPerNominator : round.minPerNominator,
        maxPerNominator: input.maxPerNominator !== undefined ? input.maxPerNominator : round.maxPerNominator,
      };
      checkWindowAndLimits(next);
      if (next.maxPerNominator !== null && next.maxPerNominator !== round.maxPerNominator) {
        const named = await namedPerNominator(tx, round.id);
        const most = Math.max(0, ...named.values());
        if (most > next.maxPerNominator) {
          throw new BadUserInputError("input.maxPerNominator", `a nominator has already named ${most} members; the maximum must be at least ${most}`);
        }
      }
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
      const shortfalls: NominatorShortfall[] = [];
      const minimum = round.minPerNominator;
      if (minimum !== null && minimum > 0) {
        const [nominators, named] = await Promise.all([
          tx.find(Nominator, { roundId: round.id }, { orderBy: { ordinal: "asc", id: "asc" } }),
          namedPerNominator(tx, round.id),
        ]);
        for (const nominator of nominators) {
          const n = named.get(nominator.id) ?? 0;
          if (n < minimum) shortfalls.push(Object.assign(new NominatorShortfall(), { nominator, named: n, minimum }));
        }
      }
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
    if (input.endsOn && input.endsOn < input.startsOn) throw new BadUserInputError("input.endsOn", "must not be before startsOn");
    if (input.organisationId) await references.assertExist([{ field: "input.organisationId", type: "Organisation", keys: [input.organisationId] }]);
    return await em.transactional(async (tx) => {
      const first = await tx.findOne(Nomination, { id: input.nominationId });
      if (!first) throw new BadUserInputError("input.nominationId", `no nomination "${input.nominationId}"`);
      if (!first.groupId) throw new BadUserInputError("input.nominationId", "the nomination names no group to appoint to");
      const group = await lockGroupFor(tx, viewer, first.groupId, "input.nominationId");
      const nomination = await tx.findOneOrFail(Nomination, { id: input.nominationId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
      if (nomination.status !== NominationStatus.ACCEPTED) {
        throw new BadUserInputError("input.nominationId", `the nomination is ${nomination.status.toUpperCase()}; only an ACCEPTED nomination is appointed`);
      }
      if (nomination.membershipId) throw new BadUserInputError("input.nominationId", `the nomination was already appointed as membership ${nomination.membershipId}`);
      const role = input.role ?? (nomination.asDeputy ? MembershipRole.DEPUTY : MembershipRole.MEMBER);
      if (input.deputyOfId && role !== MembershipRole.DEPUTY) throw new BadUserInputError("input.deputyOfId", "only a DEPUTY stands in for a member");
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
    if (!NEXT[nomination.status].includes(status)) {
      throw new BadUserInputError("input.nominationId", `a ${nomination.status.toUpperCase()} nomination cannot become ${status.toUpperCase()}`);
    }
    if (nomination.membershipId) {
      throw new BadUserInputError("input.nominationId", `the nomination was appointed as membership ${nomination.membershipId}: end or correct that membership instead`);
    }
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
