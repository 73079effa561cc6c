import { randomUUID } from "node:crypto";
import type { EntityManager } from "@mikro-orm/postgresql";
import { assertCanWriteCounty, BadUserInputError, Scope, uniqueRuleError, type Viewer, helsinkiToday, formatHelsinki } from "@yhdyspinta/core";
import { Arg, Authorized, Ctx, Mutation, Resolver } from "type-graphql";
import { Area } from "../area/area.entity.ts";
import type { Context } from "../context.ts";
import { overlappingMemberships } from "../coordination/coordination.queries.ts";
import { lockGroupFor } from "../coordination/coordination.resolver.ts";
import { CooperationGroup, GroupMunicipality } from "../group/group.entity.ts";
import { Membership, MembershipRole } from "../membership/membership.entity.ts";
import { Nomination } from "../nomination/nomination.entity.ts";
import { GroupSeat, SeatConstituency } from "../seat/seat.entity.ts";
import {
  CorrectMembershipInput,
  CreateCooperationGroupInput,
  CreateGroupSeatInput,
  EditCooperationGroupInput,
  EditGroupSeatInput,
  EndCooperationGroupInput,
  EndGroupSeatInput,
} from "./group-workflow.inputs.ts";
import { activeGroupNamed, activeSeatLabelled, type SeatKey } from "./natural-keys.queries.ts";

type GroupFieldInput = CreateCooperationGroupInput | EditCooperationGroupInput;

/** Copies the given (not omitted) optional group fields onto the group. */
function applyGroupFields(group: CooperationGroup, input: GroupFieldInput): void {
  const nullable = ["shortName", "description", "basis", "level", "appointedBy", "reportsTo", "areaId", "parentId", "composition", "councilTerm", "termEndsOn", "meetingsPerYear", "startsOn"] as const;
  for (const key of nullable) {
    const value = input[key];
    if (value !== undefined) Object.assign(group, { [key]: value });
  }
  if (input.legalBasis != null) group.legalBasis = input.legalBasis;
  if (input.tasks != null) group.tasks = input.tasks;
  if (input.annualNegotiation != null) group.annualNegotiation = input.annualNegotiation;
}

/** Area and parent of the group's county, no parent cycle, dates in order. */
async function checkGroupLinks(tx: EntityManager, group: CooperationGroup): Promise<void> {
  if (group.areaId) {
    const area = await tx.findOne(Area, { id: group.areaId });
    if (!area) throw new BadUserInputError("input.areaId", `no area "${group.areaId}"`);
    if (area.countyCode !== group.countyCode) throw new BadUserInputError("input.areaId", `area ${area.id} belongs to county ${area.countyCode}, not ${group.countyCode}`);
  }
  const seen = new Set([group.id]);
  for (let parentId = group.parentId; parentId; ) {
    if (seen.has(parentId)) throw new BadUserInputError("input.parentId", "would make the group its own ancestor");
    seen.add(parentId);
    const parent = await tx.findOne(CooperationGroup, { id: parentId });
    if (!parent) throw new BadUserInputError("input.parentId", `no cooperation group "${parentId}"`);
    if (parent.countyCode !== group.countyCode) throw new BadUserInputError("input.parentId", `group ${parent.id} belongs to county ${parent.countyCode}, not ${group.countyCode}`);
    parentId = parent.parentId;
  }
  if (group.startsOn && group.termEndsOn && group.termEndsOn < group.startsOn) throw new BadUserInputError("input.termEndsOn", "must not be before startsOn");
  if (group.startsOn && group.endsOn && group.endsOn < group.startsOn) throw new BadUserInputError("input.startsOn", `must not be after the group's end (${group.endsOn})`);
}

/** A group that has not ended keeps a name no other such group of its county has (docs/NATURAL-KEYS.md). */
async function checkGroupName(tx: EntityManager, countyCode: string, name: string, exceptId: string | null): Promise<void> {
  const same = await activeGroupNamed(tx, countyCode, name, exceptId);
  if (same) throw uniqueRuleError("cooperation_group_active_name_unique", `group ${same} in county ${countyCode}`);
}

/** A seat that has not ended keeps a label no other such seat of its group has for the same constituency. */
async function checkSeatLabel(tx: EntityManager, seat: SeatKey, exceptId: string | null): Promise<void> {
  const same = await activeSeatLabelled(tx, seat, exceptId);
  if (same) throw uniqueRuleError("group_seat_active_label_unique", `seat ${same} of group ${seat.groupId}`);
}

async function replaceMunicipalities(tx: EntityManager, groupId: string, codes: readonly string[]): Promise<void> {
  const wanted = new Set(codes);
  const current = await tx.find(GroupMunicipality, { groupId });
  for (const link of current) if (!wanted.has(link.municipalityCode)) tx.remove(link);
  const have = new Set(current.map((l) => l.municipalityCode));
  for (const code of wanted) if (!have.has(code)) tx.create(GroupMunicipality, { groupId, municipalityCode: code });
}

/**
 * Ends, on `endsOn`, the memberships (of a group, or of one seat) that continue
 * past it; refuses when one starts after it. Run with the group row locked.
 */
async function endMembershipsAfter(tx: EntityManager, where: { groupId: string; seatId?: string }, endsOn: string, field: string): Promise<void> {
  const memberships = await tx.find(Membership, { ...where, correctedAt: null, $or: [{ endsOn: null }, { endsOn: { $gt: endsOn } }] });
  const late = memberships.find((m) => m.startsOn !== null && m.startsOn > endsOn);
  if (late) throw new BadUserInputError(field, `membership ${late.id} starts on ${late.startsOn}, after ${endsOn}: end or correct it first`);
  for (const m of memberships) m.endsOn = endsOn;
}

/** Locks the seat's group, checks the county and returns the seat as of now. */
async function lockSeat(tx: EntityManager, viewer: Viewer, seatId: string) {
  const first = await tx.findOne(GroupSeat, { id: seatId });
  if (!first) throw new BadUserInputError("input.seatId", `no seat "${seatId}"`);
  const group = await lockGroupFor(tx, viewer, first.groupId, "input.seatId");
  const seat = await tx.findOneOrFail(GroupSeat, { id: seatId }, { refresh: true });
  return { group, seat };
}

/**
 * Coordinators keep their county's groups and seats current and correct
 * mistaken memberships. Every mutation needs `data:write` and a role for the
 * group's county, and runs in one transaction with the group row locked (the
 * lock membership writes take), so capacity and dates hold in parallel.
 */
@Resolver()
export class GroupWorkflowResolver {
  @Authorized(Scope.DataWrite)
  @Mutation(() => CooperationGroup, { description: "Creates a cooperation or partnership group in a county. Needs `data:write` and a role for the county." })
  async createCooperationGroup(
    @Arg("input", () => CreateCooperationGroupInput, { description: "The group." }) input: CreateCooperationGroupInput,
    @Ctx() { em, viewer, references }: Context,
  ): Promise<CooperationGroup> {
    assertCanWriteCounty(viewer, input.countyCode);
    await references.assertExist([{ field: "input.municipalityCodes", type: "Municipality", keys: input.municipalityCodes ?? [] }]);
    return await em.transactional(async (tx) => {
      await checkGroupName(tx, input.countyCode, input.name, null);
      const group = tx.create(CooperationGroup, {
        id: `group-${randomUUID()}`,
        countyCode: input.countyCode,
        name: input.name,
        kind: input.kind,
        legalBasis: [],
        convenerIds: [],
        secretariatIds: [],
        annualNegotiation: false,
        tasks: [],
      });
      applyGroupFields(group, input);
      await checkGroupLinks(tx, group);
      for (const code of new Set(input.municipalityCodes ?? [])) tx.create(GroupMunicipality, { groupId: group.id, municipalityCode: code });
      return group;
    });
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => CooperationGroup, { description: "Edits a group; omitted fields stay. Needs `data:write` and a role for the group's county." })
  async editCooperationGroup(
    @Arg("input", () => EditCooperationGroupInput, { description: "The changes." }) input: EditCooperationGroupInput,
    @Ctx() { em, viewer, references }: Context,
  ): Promise<CooperationGroup> {
    if (input.municipalityCodes) await references.assertExist([{ field: "input.municipalityCodes", type: "Municipality", keys: input.municipalityCodes }]);
    return await em.transactional(async (tx) => {
      await lockGroupFor(tx, viewer, input.groupId, "input.groupId");
      const group = await tx.findOneOrFail(CooperationGroup, { id: input.groupId }, { refresh: true });
      applyGroupFields(group, input);
      if (input.name) {
        if (group.endsOn === null) await checkGroupName(tx, group.countyCode, input.name, group.id);
        group.name = input.name;
      }
      if (input.kind) group.kind = input.kind;
      await checkGroupLinks(tx, group);
      if (input.municipalityCodes) await replaceMunicipalities(tx, group.id, input.municipalityCodes);
      return group;
    });
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => CooperationGroup, {
    description:
      "Ends a group on a day; its memberships and seats that continue past that day end with it (kept as history). Refused when a membership starts after the day. Needs `data:write` and a role for the group's county.",
  })
  async endCooperationGroup(
    @Arg("input", () => EndCooperationGroupInput, { description: "Which group and its last day." }) input: EndCooperationGroupInput,
    @Ctx() { em, viewer }: Context,
  ): Promise<CooperationGroup> {
    return await em.transactional(async (tx) => {
      await lockGroupFor(tx, viewer, input.groupId, "input.groupId");
      const group = await tx.findOneOrFail(CooperationGroup, { id: input.groupId }, { refresh: true });
      if (group.startsOn && input.endsOn < group.startsOn) throw new BadUserInputError("input.endsOn", `must not be before the group starts (${group.startsOn})`);
      if (group.endsOn && group.endsOn < input.endsOn) throw new BadUserInputError("input.endsOn", `the group already ended on ${group.endsOn}`);
      await endMembershipsAfter(tx, { groupId: group.id }, input.endsOn, "input.endsOn");
      const seats = await tx.find(GroupSeat, { groupId: group.id, $or: [{ endsOn: null }, { endsOn: { $gt: input.endsOn } }] });
      for (const seat of seats) seat.endsOn = input.endsOn;
      group.endsOn = input.endsOn;
      return group;
    });
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => GroupSeat, { description: "Adds a seat to a group. Needs `data:write` and a role for the group's county." })
  async createGroupSeat(
    @Arg("input", () => CreateGroupSeatInput, { description: "The seat." }) input: CreateGroupSeatInput,
    @Ctx() { em, viewer, references }: Context,
  ): Promise<GroupSeat> {
    if (input.constituency === SeatConstituency.ASSOCIATION_CATEGORY && !input.categoryId) {
      throw new BadUserInputError("input.categoryId", "an ASSOCIATION_CATEGORY seat names its category");
    }
    if (input.constituency === SeatConstituency.MUNICIPALITY && !input.municipalityCode) {
      throw new BadUserInputError("input.municipalityCode", "a MUNICIPALITY seat names its municipality");
    }
    checkSeatLimits(input.minMembers ?? null, input.maxMembers ?? null);
    await references.assertExist([
      { field: "input.categoryId", type: "OrganisationCategory", keys: [input.categoryId ?? ""] },
      { field: "input.municipalityCode", type: "Municipality", keys: [input.municipalityCode ?? ""] },
      { field: "input.organisationId", type: "Organisation", keys: [input.organisationId ?? ""] },
    ]);
    return await em.transactional(async (tx) => {
      const group = await lockGroupFor(tx, viewer, input.groupId, "input.groupId");
      if (group.endsOn) throw new BadUserInputError("input.groupId", `the group ended on ${group.endsOn}`);
      await checkSeatLabel(
        tx,
        { groupId: group.id, label: input.label, municipalityCode: input.municipalityCode ?? null, organisationId: input.organisationId ?? null, categoryId: input.categoryId ?? null },
        null,
      );
      const last = await tx.findOne(GroupSeat, { groupId: group.id }, { orderBy: { ordinal: "desc" } });
      return tx.create(GroupSeat, {
        id: `seat-${randomUUID()}`,
        groupId: group.id,
        ordinal: (last?.ordinal ?? 0) + 1,
        constituency: input.constituency,
        label: input.label,
        categoryId: input.categoryId ?? null,
        municipalityCode: input.municipalityCode ?? null,
        organisationId: input.organisationId ?? null,
        minMembers: input.minMembers ?? null,
        maxMembers: input.maxMembers ?? null,
        deputies: input.deputies ?? null,
        deputiesOptionalWhenSeveralMembers: input.deputiesOptionalWhenSeveralMembers ?? false,
        speakingRightOnly: input.speakingRightOnly ?? false,
        endsOn: null,
      });
    });
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => GroupSeat, {
    description:
      "Edits a seat's label and limits. A maximum below the members (or deputies) holding the seat today or later is refused. Needs `data:write` and a role for the group's county.",
  })
  async editGroupSeat(
    @Arg("input", () => EditGroupSeatInput, { description: "The changes." }) input: EditGroupSeatInput,
    @Ctx() { em, viewer }: Context,
  ): Promise<GroupSeat> {
    return await em.transactional(async (tx) => {
      const { seat } = await lockSeat(tx, viewer, input.seatId);
      const minMembers = input.minMembers !== undefined ? input.minMembers : seat.minMembers;
      const maxMembers = input.maxMembers !== undefined ? input.maxMembers : seat.maxMembers;
      const deputies = input.deputies !== undefined ? input.deputies : seat.deputies;
      checkSeatLimits(minMembers, maxMembers);
      const holders = (await overlappingMemberships(tx, seat.groupId, helsinkiToday(), null)).filter((m) => m.seat_id === seat.id);
      const members = holders.filter((m) => m.role !== MembershipRole.DEPUTY).length;
      const deputyCount = holders.length - members;
      if (maxMembers !== null && members > maxMembers) {
        throw new BadUserInputError("input.maxMembers", `seat ${seat.label} is held by ${members} members today or later; the maximum must be at least ${members}`);
      }
      if (deputies !== null && deputyCount > deputies) {
        throw new BadUserInputError("input.deputies", `seat ${seat.label} is held by ${deputyCount} deputies today or later; it must take at least ${deputyCount}`);
      }
      Object.assign(seat, { minMembers, maxMembers, deputies });
      if (input.label) {
        if (seat.endsOn === null) await checkSeatLabel(tx, { ...seat, label: input.label }, seat.id);
        seat.label = input.label;
      }
      if (input.deputiesOptionalWhenSeveralMembers != null) seat.deputiesOptionalWhenSeveralMembers = input.deputiesOptionalWhenSeveralMembers;
      return seat;
    });
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => GroupSeat, {
    description:
      "Ends a seat on a day; memberships in it that continue past that day end with it. Refused when one starts after the day. Needs `data:write` and a role for the group's county.",
  })
  async endGroupSeat(
    @Arg("input", () => EndGroupSeatInput, { description: "Which seat and its last day." }) input: EndGroupSeatInput,
    @Ctx() { em, viewer }: Context,
  ): Promise<GroupSeat> {
    return await em.transactional(async (tx) => {
      const { seat } = await lockSeat(tx, viewer, input.seatId);
      if (seat.endsOn && seat.endsOn < input.endsOn) throw new BadUserInputError("input.endsOn", `the seat already ended on ${seat.endsOn}`);
      await endMembershipsAfter(tx, { groupId: seat.groupId, seatId: seat.id }, input.endsOn, "input.endsOn");
      seat.endsOn = input.endsOn;
      return seat;
    });
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => Membership, {
    description:
      "Marks a membership recorded by mistake as corrected, with a note: it no longer counts in any composition, seat or occupancy, and stays in the history (`memberships(history: true)`). To record that a member left, use `endMembership`. Needs `data:write` and a role for the group's county.",
  })
  async correctMembership(
    @Arg("input", () => CorrectMembershipInput, { description: "Which membership and why." }) input: CorrectMembershipInput,
    @Ctx() { em, viewer }: Context,
  ): Promise<Membership> {
    return await em.transactional(async (tx) => {
      const first = await tx.findOne(Membership, { id: input.membershipId });
      if (!first) throw new BadUserInputError("input.membershipId", `no membership "${input.membershipId}"`);
      await lockGroupFor(tx, viewer, first.groupId, "input.membershipId");
      const m = await tx.findOneOrFail(Membership, { id: input.membershipId }, { refresh: true });
      if (m.correctedAt) throw new BadUserInputError("input.membershipId", `the membership was already corrected at ${formatHelsinki(m.correctedAt)}`);
      const deputy = await tx.findOne(Membership, { deputyOfId: m.id, correctedAt: null });
      if (deputy) throw new BadUserInputError("input.membershipId", `membership ${deputy.id} is this member's deputy: correct or end it first`);
      m.correctedAt = new Date();
      m.correctionNote = input.note;
      const appointed = await tx.findOne(Nomination, { membershipId: m.id });
      if (appointed) appointed.membershipId = null;
      return m;
    });
  }
}

function checkSeatLimits(minMembers: number | null, maxMembers: number | null): void {
  if (minMembers !== null && maxMembers !== null && minMembers > maxMembers) {
    throw new BadUserInputError("input.minMembers", `must not exceed maxMembers (${maxMembers})`);
  }
}
