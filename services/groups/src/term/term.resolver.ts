import { randomUUID } from "node:crypto";
import type { EntityManager } from "@mikro-orm/postgresql";
import { BadUserInputError, DateScalar, findRows, helsinkiToday, Scope } from "@yhdyspinta/core";
import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../context.ts";
import { checkReferences } from "../county-scope.rules.ts";
import { CountyRef, countyRef } from "../federation/references.ts";
import { CooperationGroup } from "../group/group.entity.ts";
import { lockGroupFor } from "../group/group.rules.ts";
import { Membership } from "../membership/membership.entity.ts";
import { NominationRound, NominationRoundGroup, Nominator } from "../nomination/nomination.entity.ts";
import { checkWindowAndLimits, nominatorReferences, nominatorRows } from "../nomination/nomination.rules.ts";
import type { NominatorInput } from "../round-workflow/round-workflow.inputs.ts";
import { GroupSeat } from "../seat/seat.entity.ts";
import { checkSeatLimits } from "../seat/seat.rules.ts";
import { addDays, CouncilTermMigrationIssue, GroupTerm, groupTermStatus, GroupTermStatus, Term, TermKind } from "./term.entity.ts";
import { AppointGroupTermInput, CreateTermInput, RenewCooperationGroupInput } from "./term.inputs.ts";
import { termsEndingBetween } from "./term.queries.ts";
import { checkAppointable, checkCreatableKind, checkGroupOwnTerm, checkTermDates, councilTermText, planRenewal } from "./term.rules.ts";

const COUNTY_CODE = /^\d{2}$/;

/**
 * Terms as data and the renewal of a group's composition for its next term
 * (README "Terms and renewal", docs/API.md). Mutations need `data:write` and
 * a role for the group's county, run in one transaction with the group row
 * locked and are audited like every write.
 */
@Resolver(() => Term)
export class TermResolver {
  @Query(() => Term, { nullable: true, description: "A term by id; null if there is none." })
  async term(@Arg("id", () => ID, { description: "The term's id, e.g. `county-council-2025-2029`." }) id: string, @Ctx() { loaders }: Context): Promise<Term | null> {
    return await loaders.termById.load(id);
  }

  @Query(() => [Term], { description: "The council terms (reference data, by start), and with `groupId` that group's own half terms and periods too." })
  async terms(
    @Arg("groupId", () => ID, { nullable: true, description: "Also this group's own terms." }) groupId: string | null,
    @Ctx() { em }: Context,
  ): Promise<Term[]> {
    return await findRows(em, Term, groupId ? { $or: [{ groupId: null }, { groupId }] } : { groupId: null }, { startsOn: "asc", id: "asc" });
  }

  @Query(() => [GroupTerm], {
    description:
      "Alert: group terms that end within `withinDays` days from today (Helsinki), of groups that have not ended and whose next term has not been started; by end day. `countyCodes` omitted: every county.",
  })
  async termsEnding(
    @Arg("withinDays", () => Int, { description: "Days from today, 0–3660 (0: ending today)." }) withinDays: number,
    @Arg("countyCodes", () => [ID], { nullable: true, description: "Only groups of these counties (two-digit codes)." }) countyCodes: string[] | null,
    @Ctx() { em }: Context,
  ): Promise<GroupTerm[]> {
    if (!Number.isInteger(withinDays) || withinDays < 0 || withinDays > 3660) throw new BadUserInputError("withinDays", "must be a whole number of days from 0 to 3660");
    const bad = (countyCodes ?? []).find((c) => !COUNTY_CODE.test(c));
    if (bad !== undefined) throw new BadUserInputError("countyCodes", `"${bad}" is not a two-digit county code`);
    const today = helsinkiToday();
    return await termsEndingBetween(em, today, addDays(today, withinDays), countyCodes ?? null);
  }

  @Query(() => [CouncilTermMigrationIssue], { description: "Groups' `councilTerm` texts that could not be read as terms when terms became data; empty when every text was read." })
  async councilTermMigrationIssues(@Ctx() { em }: Context): Promise<CouncilTermMigrationIssue[]> {
    return await findRows(em, CouncilTermMigrationIssue, {}, { groupId: "asc" });
  }

  @FieldResolver(() => CountyRef, { nullable: true, description: "The county whose body sits for the term; null for council terms, which every county shares." })
  county(@Root() term: Term): CountyRef | null {
    return term.countyCode ? countyRef(term.countyCode) : null;
  }

  @FieldResolver(() => CooperationGroup, { nullable: true, description: "The group whose own period this is; null for council terms." })
  async group(@Root() term: Term, @Ctx() { loaders }: Context): Promise<CooperationGroup | null> {
    return term.groupId ? await loaders.groupById.load(term.groupId) : null;
  }

  @FieldResolver(() => Term, { nullable: true, description: "For a half term: the council term it is half of." })
  async parent(@Root() term: Term, @Ctx() { loaders }: Context): Promise<Term | null> {
    return term.parentId ? await loaders.termById.load(term.parentId) : null;
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => Term, {
    description:
      "Records a half term or a period of one group's own (a council term is reference data). Refused when it ends before it starts or overlaps another term of the group. Needs `data:write` and a role for the group's county.",
  })
  async createTerm(@Arg("input", () => CreateTermInput, { description: "The term." }) input: CreateTermInput, @Ctx() { em, viewer }: Context): Promise<Term> {
    checkCreatableKind(input.kind);
    checkTermDates(input.startsOn, input.endsOn);
    return await em.transactional(async (tx) => {
      const group = await lockGroupFor(tx, viewer, input.groupId, "input.groupId");
      const fields = { groupId: group.id, kind: input.kind, startsOn: input.startsOn, endsOn: input.endsOn ?? null, parentId: input.parentId ?? null };
      await checkGroupOwnTerm(tx, fields);
      return tx.create(Term, { id: `term-${randomUUID()}`, ...fields, label: input.label, countyCode: group.countyCode, municipalityCode: null, electedOn: null, source: input.source ?? null });
    });
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => GroupTerm, {
    description:
      "Starts a group's next term from its current one: the current composition ends with its term (members carried over until successors are appointed, unless `carryOver: false`), seats carry over, end or change, and a nomination round for the new term can be opened. A second renewal into the same or an overlapping term is refused. Needs `data:write` and a role for the group's county.",
  })
  async renewCooperationGroup(
    @Arg("input", () => RenewCooperationGroupInput, { description: "The group, its next term and what carries over." }) input: RenewCooperationGroupInput,
    @Ctx() { em, viewer, references }: Context,
  ): Promise<GroupTerm> {
    if (input.round) {
      checkWindowAndLimits({ opensOn: input.round.opensOn ?? null, closesOn: input.round.closesOn, minPerNominator: input.round.minPerNominator ?? null, maxPerNominator: input.round.maxPerNominator ?? null });
      if (input.round.nominators?.length) await checkReferences({ references, viewer }, nominatorReferences(input.round.nominators, "input.round.nominators"));
    }
    for (const s of input.seats ?? []) checkSeatLimits(s.minMembers ?? null, s.maxMembers ?? null);
    return await em.transactional(async (tx) => {
      const locked = await lockGroupFor(tx, viewer, input.groupId, "input.groupId");
      const plan = await planRenewal(tx, locked, input);
      const group = await tx.findOneOrFail(CooperationGroup, { id: locked.id }, { refresh: true });
      const seats = await tx.find(GroupSeat, { groupId: group.id, endsOn: null }, { orderBy: { ordinal: "asc", id: "asc" } });
      const changes = new Map((input.seats ?? []).map((s) => [s.seatId, s]));
      for (const seatId of changes.keys()) {
        if (!seats.some((s) => s.id === seatId)) throw new BadUserInputError("input.seats", `${seatId} is not a seat of the group that continues`);
      }
      // The round first, so the group term is written once (the seat step below flushes).
      const roundId = input.round ? await openRenewalRound(tx, group, plan.previous, input.round) : null;
      const groupTerm = tx.create(GroupTerm, {
        id: `group-term-${randomUUID()}`,
        groupId: group.id,
        termId: plan.term.id,
        previousId: plan.previous?.id ?? null,
        startsOn: plan.startsOn,
        endsOn: plan.endsOn,
        appointedOn: null,
        roundId,
        migratedFrom: null,
      });
      if (plan.previous && plan.previousEndsOn) {
        const lastDay = plan.previousEndsOn;
        if (plan.previous.endsOn === null) plan.previous.endsOn = lastDay;
        const endedSeats = new Set([...changes.values()].filter((c) => c.end).map((c) => c.seatId));
        const memberships = await tx.find(Membership, { groupId: group.id, correctedAt: null, $or: [{ endsOn: null }, { endsOn: { $gt: lastDay } }] });
        for (const m of memberships) {
          if (m.startsOn !== null && m.startsOn > lastDay) {
            m.groupTermId ??= groupTerm.id;
            continue;
          }
          m.endsOn = lastDay;
          m.groupTermId ??= plan.previous.id;
          if (input.carryOver !== false && !(m.seatId && endedSeats.has(m.seatId))) {
            m.carryOver = true;
            m.carryOverEndsOn = input.carryOverEndsOn ?? null;
          }
        }
        const changed: GroupSeat[] = [];
        for (const seat of seats) {
          const change = changes.get(seat.id);
          if (!change) continue;
          const edits = change.label != null || change.minMembers !== undefined || change.maxMembers !== undefined || change.deputies !== undefined;
          if (change.end || edits) seat.endsOn = lastDay;
          if (!change.end && edits) changed.push(seat);
        }
        // The old seats end before their successors take the label (unique among seats that continue).
        await tx.flush();
        for (const seat of changed) {
          const change = changes.get(seat.id)!;
          const minMembers = change.minMembers !== undefined ? change.minMembers : seat.minMembers;
          const maxMembers = change.maxMembers !== undefined ? change.maxMembers : seat.maxMembers;
          checkSeatLimits(minMembers, maxMembers);
          tx.create(GroupSeat, {
            ...seatFields(seat),
            id: `seat-${randomUUID()}`,
            label: change.label ?? seat.label,
            minMembers,
            maxMembers,
            deputies: change.deputies !== undefined ? change.deputies : seat.deputies,
            endsOn: null,
            groupTermId: groupTerm.id,
          });
        }
      }
      group.councilTerm = councilTermText(plan.term);
      group.termEndsOn = plan.endsOn;
      return groupTerm;
    });
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => GroupTerm, {
    description:
      "Records that a group's next composition was appointed: the carry-over of the previous members ends the day before `appointedOn`, and memberships recorded for the new term are tied to it. Once per composition. Needs `data:write` and a role for the group's county.",
  })
  async appointGroupTerm(
    @Arg("input", () => AppointGroupTermInput, { description: "The group's term and the day its composition takes over." }) input: AppointGroupTermInput,
    @Ctx() { em, viewer }: Context,
  ): Promise<GroupTerm> {
    return await em.transactional(async (tx) => {
      const first = await tx.findOne(GroupTerm, { id: input.groupTermId });
      if (!first) throw new BadUserInputError("input.groupTermId", `no group term "${input.groupTermId}"`);
      await lockGroupFor(tx, viewer, first.groupId, "input.groupTermId");
      const groupTerm = await tx.findOneOrFail(GroupTerm, { id: input.groupTermId }, { refresh: true });
      checkAppointable(groupTerm);
      if (groupTerm.endsOn !== null && input.appointedOn > groupTerm.endsOn) throw new BadUserInputError("input.appointedOn", `must not be after the term ends (${groupTerm.endsOn})`);
      const lastDay = addDays(input.appointedOn, -1);
      const carried = await tx.find(Membership, { groupId: groupTerm.groupId, carryOver: true, correctedAt: null, endsOn: { $lt: groupTerm.startsOn } });
      for (const m of carried) {
        if (m.carryOverEndsOn !== null && m.carryOverEndsOn <= lastDay) continue;
        if (m.endsOn !== null && lastDay <= m.endsOn) {
          m.carryOver = false;
          m.carryOverEndsOn = null;
        } else {
          m.carryOverEndsOn = lastDay;
        }
      }
      const recorded = await tx.find(Membership, {
        groupId: groupTerm.groupId,
        groupTermId: null,
        startsOn: groupTerm.endsOn ? { $gte: groupTerm.startsOn, $lte: groupTerm.endsOn } : { $gte: groupTerm.startsOn },
      });
      for (const m of recorded) m.groupTermId = groupTerm.id;
      groupTerm.appointedOn = input.appointedOn;
      return groupTerm;
    });
  }
}

/** A seat's stored fields, to start its changed successor from. */
function seatFields(seat: GroupSeat) {
  const { groupId, ordinal, constituency, categoryId, municipalityCode, organisationId, deputiesOptionalWhenSeveralMembers, speakingRightOnly } = seat;
  return { groupId, ordinal, constituency, categoryId, municipalityCode, organisationId, deputiesOptionalWhenSeveralMembers, speakingRightOnly };
}

/** Opens the renewal's nomination round for the group: its nominators as given, or those of the group's latest round. */
async function openRenewalRound(
  tx: EntityManager,
  group: CooperationGroup,
  previous: GroupTerm | null,
  input: NonNullable<RenewCooperationGroupInput["round"]>,
): Promise<string> {
  const id = `round-${randomUUID()}`;
  let nominators: NominatorInput[] = input.nominators ?? [];
  if (nominators.length === 0) {
    const links = await tx.find(NominationRoundGroup, { groupId: group.id });
    const rounds = await tx.find(NominationRound, { id: { $in: links.map((l) => l.roundId) } }, { orderBy: { closesOn: "desc", id: "asc" } });
    const source = rounds.find((r) => r.id === previous?.roundId) ?? rounds[0];
    const earlier = source ? await tx.find(Nominator, { roundId: source.id }, { orderBy: { ordinal: "asc" } }) : [];
    nominators = earlier
      .filter((n) => n.groupId === null || n.groupId === group.id)
      .map((n) => ({ municipalityCode: n.municipalityCode, categoryId: n.categoryId, groupId: group.id }));
    if (nominators.length === 0) throw new BadUserInputError("input.round.nominators", "name the nominators: the group has no earlier round to take them from");
  }
  const rows = nominatorRows(id, nominators.map((n) => ({ ...n, groupId: n.groupId ?? group.id })), [group.id], [], "input.round.nominators");
  tx.create(NominationRound, {
    id,
    countyCode: group.countyCode,
    name: input.name,
    kind: input.kind,
    opensOn: input.opensOn ?? null,
    closesOn: input.closesOn,
    minPerNominator: input.minPerNominator ?? null,
    maxPerNominator: input.maxPerNominator ?? null,
    submitTo: input.submitTo ?? null,
    submissionMethod: null,
    nominees: null,
    deputiesOptionalWhenSeveralMembers: false,
    description: null,
  });
  tx.create(NominationRoundGroup, { roundId: id, groupId: group.id });
  for (const row of rows) tx.create(Nominator, row);
  return id;
}

@Resolver(() => GroupTerm)
export class GroupTermResolver {
  @FieldResolver(() => Term, { description: "The term the composition serves." })
  async term(@Root() gt: GroupTerm, @Ctx() { loaders }: Context): Promise<Term> {
    return (await loaders.termById.load(gt.termId))!;
  }

  @FieldResolver(() => CooperationGroup, { description: "The group." })
  async group(@Root() gt: GroupTerm, @Ctx() { loaders }: Context): Promise<CooperationGroup> {
    return (await loaders.groupById.load(gt.groupId))!;
  }

  @FieldResolver(() => GroupTerm, { nullable: true, description: "The composition this one renews; null for the group's first recorded term." })
  async previous(@Root() gt: GroupTerm, @Ctx() { loaders }: Context): Promise<GroupTerm | null> {
    return gt.previousId ? await loaders.groupTermById.load(gt.previousId) : null;
  }

  @FieldResolver(() => NominationRound, { nullable: true, description: "The nomination round opened for this term; null if none was." })
  async round(@Root() gt: GroupTerm, @Ctx() { loaders }: Context): Promise<NominationRound | null> {
    return gt.roundId ? await loaders.roundById.load(gt.roundId) : null;
  }

  @FieldResolver(() => Boolean, { description: "True while the composition renews an earlier one and is not yet appointed (its predecessors serve on, carried over)." })
  renewing(@Root() gt: GroupTerm): boolean {
    return gt.previousId !== null && gt.appointedOn === null;
  }
}

@Resolver(() => CooperationGroup)
export class GroupTermsResolver {
  @FieldResolver(() => [GroupTerm], { description: "The group's compositions per term, earliest first; empty when no term is recorded." })
  async terms(@Root() group: CooperationGroup, @Ctx() { loaders }: Context): Promise<GroupTerm[]> {
    return await loaders.groupTermsByGroup.load(group.id);
  }

  @FieldResolver(() => GroupTerm, { nullable: true, description: "The group's term covering a day (default today in Helsinki); null when none does, e.g. after its last term ended." })
  async currentTerm(
    @Root() group: CooperationGroup,
    @Arg("activeOn", () => DateScalar, { nullable: true, description: "Day to answer for (YYYY-MM-DD); default today." }) activeOn: string | null,
    @Ctx() { loaders }: Context,
  ): Promise<GroupTerm | null> {
    const day = activeOn ?? helsinkiToday();
    const terms = await loaders.groupTermsByGroup.load(group.id);
    return terms.find((t) => t.startsOn <= day && (t.endsOn === null || t.endsOn >= day)) ?? null;
  }

  @FieldResolver(() => GroupTermStatus, { description: "Where the group's composition stands on a day (default today in Helsinki): serving, carried over, ended, upcoming or no term recorded." })
  async termStatus(
    @Root() group: CooperationGroup,
    @Arg("activeOn", () => DateScalar, { nullable: true, description: "Day to answer for (YYYY-MM-DD); default today." }) activeOn: string | null,
    @Ctx() { loaders }: Context,
  ): Promise<GroupTermStatus> {
    return groupTermStatus(await loaders.groupTermsByGroup.load(group.id), activeOn ?? helsinkiToday());
  }
}

@Resolver(() => Membership)
export class MembershipTermResolver {
  @FieldResolver(() => GroupTerm, { nullable: true, description: "The group's term the membership serves (as recorded, else the one covering its start); null when the group has no term recorded." })
  async term(@Root() m: Membership, @Ctx() { loaders }: Context): Promise<GroupTerm | null> {
    if (m.groupTermId) return await loaders.groupTermById.load(m.groupTermId);
    const terms = await loaders.groupTermsByGroup.load(m.groupId);
    const day = m.startsOn;
    return (day === null ? terms[0] : terms.find((t) => t.startsOn <= day && (t.endsOn === null || t.endsOn >= day))) ?? null;
  }

  @FieldResolver(() => Boolean, {
    description: "True when, on the day the list was asked for, the member serves past their term's end as carried over (until a successor is appointed or `carryOverEndsOn`); false otherwise and in histories.",
  })
  carriedOver(@Root() m: Membership): boolean {
    return m.carriedOverOnDay === true;
  }
}

@Resolver(() => GroupSeat)
export class SeatTermResolver {
  @FieldResolver(() => GroupTerm, { nullable: true, description: "The group's term the seat was set up for (it serves later terms too until it ends); null when not recorded." })
  async term(@Root() seat: GroupSeat, @Ctx() { loaders }: Context): Promise<GroupTerm | null> {
    return seat.groupTermId ? await loaders.groupTermById.load(seat.groupTermId) : null;
  }
}

@Resolver(() => CouncilTermMigrationIssue)
export class CouncilTermMigrationIssueResolver {
  @FieldResolver(() => CooperationGroup, { nullable: true, description: "The group whose text it is." })
  async group(@Root() issue: CouncilTermMigrationIssue, @Ctx() { loaders }: Context): Promise<CooperationGroup | null> {
    return await loaders.groupById.load(issue.groupId);
  }
}
