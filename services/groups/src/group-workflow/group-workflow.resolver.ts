import { randomUUID } from "node:crypto";
import type { EntityManager } from "@mikro-orm/postgresql";
import { assertCanWriteCounty, Scope } from "@yhdyspinta/core";
import { Arg, Authorized, Ctx, Mutation, Resolver } from "type-graphql";
import type { Context } from "../context.ts";
import { checkMunicipalitiesOfCounty, checkReferences } from "../county-scope.rules.ts";
import { CooperationGroup, GroupMunicipality } from "../group/group.entity.ts";
import { checkGroupEnd, checkGroupLinks, checkGroupName, checkGroupNotEnded, lockGroupFor } from "../group/group.rules.ts";
import { Membership } from "../membership/membership.entity.ts";
import { checkMembershipCorrection, endMembershipsAfter, lockMembership } from "../membership/membership.rules.ts";
import { Nomination } from "../nomination/nomination.entity.ts";
import { GroupSeat } from "../seat/seat.entity.ts";
import { checkSeatConstituency, checkSeatEnd, checkSeatHolders, checkSeatLabel, checkSeatLimits, lockSeat } from "../seat/seat.rules.ts";
import {
  CorrectMembershipInput,
  CreateCooperationGroupInput,
  CreateGroupSeatInput,
  EditCooperationGroupInput,
  EditGroupSeatInput,
  EndCooperationGroupInput,
  EndGroupSeatInput,
} from "./group-workflow.inputs.ts";

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

async function replaceMunicipalities(tx: EntityManager, groupId: string, codes: readonly string[]): Promise<void> {
  const wanted = new Set(codes);
  const current = await tx.find(GroupMunicipality, { groupId });
  for (const link of current) if (!wanted.has(link.municipalityCode)) tx.remove(link);
  const have = new Set(current.map((l) => l.municipalityCode));
  for (const code of wanted) if (!have.has(code)) tx.create(GroupMunicipality, { groupId, municipalityCode: code });
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
    await checkMunicipalitiesOfCounty({ references, viewer }, "input.municipalityCodes", [...new Set(input.municipalityCodes ?? [])], input.countyCode, "admin");
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
    @Ctx() { em, viewer, references, loaders }: Context,
  ): Promise<CooperationGroup> {
    if (input.municipalityCodes) {
      // The county does not change on edit: the municipalities are checked against the group's county before the transaction.
      const known = await loaders.groupById.load(input.groupId);
      if (known) {
        assertCanWriteCounty(viewer, known.countyCode);
        await checkMunicipalitiesOfCounty({ references, viewer }, "input.municipalityCodes", [...new Set(input.municipalityCodes)], known.countyCode, "admin");
      }
    }
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
      checkGroupEnd(group, input.endsOn);
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
    checkSeatConstituency(input);
    checkSeatLimits(input.minMembers ?? null, input.maxMembers ?? null);
    await checkReferences({ references, viewer }, [
      { field: "input.categoryId", type: "OrganisationCategory", keys: [input.categoryId ?? ""] },
      { field: "input.municipalityCode", type: "Municipality", keys: [input.municipalityCode ?? ""] },
      { field: "input.organisationId", type: "Organisation", keys: [input.organisationId ?? ""] },
    ]);
    return await em.transactional(async (tx) => {
      const group = await lockGroupFor(tx, viewer, input.groupId, "input.groupId");
      checkGroupNotEnded(group, "input.groupId");
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
      await checkSeatHolders(tx, seat, maxMembers, deputies);
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
      checkSeatEnd(seat, input.endsOn);
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
      const m = await lockMembership(tx, viewer, input.membershipId, "input.membershipId", "bad-input");
      await checkMembershipCorrection(tx, m);
      m.correctedAt = new Date();
      m.correctionNote = input.note;
      const appointed = await tx.findOne(Nomination, { membershipId: m.id });
      if (appointed) appointed.membershipId = null;
      return m;
    });
  }
}
