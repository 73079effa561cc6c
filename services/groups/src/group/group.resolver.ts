import { connectionTypes, decodeCursor, DateScalar, findRows, pageSize, toConnection, NotFoundError, helsinkiToday } from "@yhdyspinta/core";
import type { FilterQuery } from "@mikro-orm/postgresql";
import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from "type-graphql";
import { Area } from "../area/area.entity.ts";
import type { Context } from "../context.ts";
import {
  CountyRef,
  countyRef,
  MunicipalityRef,
  municipalityRef,
  OrganisationRef,
  organisationRef,
  PersonRef,
  personRef,
} from "../federation/references.ts";
import { LiaisonRole } from "../liaison/liaison.entity.ts";
import { rolesInForce } from "../liaison/liaison.rules.ts";
import { Meeting } from "../meeting/meeting.entity.ts";
import { Membership } from "../membership/membership.entity.ts";
import { membershipDay } from "../membership/membership.rules.ts";
import { NominationRound } from "../nomination/nomination.entity.ts";
import { GroupSeat } from "../seat/seat.entity.ts";
import { CooperationGroup, GroupContact, GroupMunicipality } from "./group.entity.ts";
import { CooperationGroupFilter } from "./group.input.ts";
import { CooperationGroupKind } from "./group-kind.ts";

export const { ConnectionType: CooperationGroupConnection } = connectionTypes(
  CooperationGroup,
  "CooperationGroup",
  "cooperation group",
);

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

@Resolver(() => CooperationGroup)
export class CooperationGroupResolver {
  @Query(() => CooperationGroup, { nullable: true, description: "A cooperation group by id; null if there is none." })
  async cooperationGroup(
    @Arg("id", () => ID, { description: "The group's id." }) id: string,
    @Ctx() { loaders }: Context,
  ): Promise<CooperationGroup | null> {
    return await loaders.groupById.load(id);
  }

  @Query(() => CooperationGroupConnection, {
    description: "Cooperation groups matching a filter, by name then id, a page at a time (Relay connection).",
  })
  async cooperationGroups(
    @Arg("filter", () => CooperationGroupFilter, { nullable: true, description: "Conditions; omitted: every group." })
    filter: CooperationGroupFilter | null,
    @Arg("first", () => Int, { nullable: true, description: "Page size, 1–500 (default 50)." }) first: number | null,
    @Arg("after", () => String, { nullable: true, description: "`endCursor` of the previous page." }) after: string | null,
    @Ctx() { em }: Context,
  ) {
    const limit = pageSize(first);
    const cursor = decodeCursor(after, 2);
    const where: FilterQuery<CooperationGroup>[] = [];
    if (filter?.countyCode) where.push({ countyCode: filter.countyCode });
    if (filter?.kind) where.push({ kind: filter.kind });
    if (filter?.search) {
      const pattern = `%${escapeLike(filter.search)}%`;
      where.push({ $or: [{ name: { $ilike: pattern } }, { shortName: { $ilike: pattern } }] });
    }
    if (filter?.activeOn) {
      const day = filter.activeOn;
      where.push({ $or: [{ startsOn: null }, { startsOn: { $lte: day } }] }, { $or: [{ endsOn: null }, { endsOn: { $gte: day } }] });
    }
    if (filter?.municipalityCode) {
      const links = await findRows(em, GroupMunicipality, { municipalityCode: filter.municipalityCode });
      where.push({ id: { $in: links.map((l) => l.groupId) } });
    }
    const base: FilterQuery<CooperationGroup> = where.length > 0 ? { $and: where } : {};
    const page: FilterQuery<CooperationGroup> = cursor
      ? { $and: [...where, { $or: [{ name: { $gt: String(cursor[0]) } }, { name: String(cursor[0]), id: { $gt: String(cursor[1]) } }] }] }
      : base;
    const [rows, total] = await Promise.all([
      findRows(em, CooperationGroup, page, { name: "asc", id: "asc" }, { limit: limit + 1 }),
      em.count(CooperationGroup, base),
    ]);
    return toConnection(rows, limit, total, (g) => [g.name, g.id], cursor !== null);
  }

  @FieldResolver(() => CountyRef, { description: "The county whose group this is." })
  county(@Root() group: CooperationGroup): CountyRef {
    return countyRef(group.countyCode);
  }

  @FieldResolver(() => [MunicipalityRef], { description: "Municipalities the group covers, by code." })
  async municipalities(@Root() group: CooperationGroup, @Ctx() { loaders }: Context): Promise<MunicipalityRef[]> {
    const codes = await loaders.municipalityCodesByGroup.load(group.id);
    return codes.map(municipalityRef);
  }

  @FieldResolver(() => Area, { nullable: true, description: "The county area the group serves; null for county-wide groups." })
  async area(@Root() group: CooperationGroup, @Ctx() { loaders }: Context): Promise<Area | null> {
    return group.areaId ? await loaders.areaById.load(group.areaId) : null;
  }

  @FieldResolver(() => CooperationGroup, { nullable: true, description: "The group this one is a sub-group of; null if none." })
  async parent(@Root() group: CooperationGroup, @Ctx() { loaders }: Context): Promise<CooperationGroup | null> {
    return group.parentId ? await loaders.groupById.load(group.parentId) : null;
  }

  @FieldResolver(() => [CooperationGroup], { description: "Groups that are sub-groups of this one, by name." })
  async subGroups(@Root() group: CooperationGroup, @Ctx() { loaders }: Context): Promise<CooperationGroup[]> {
    return await loaders.groupsByParent.load(group.id);
  }

  @FieldResolver(() => [OrganisationRef], { nullable: "items", description: "Organisations that convene the group (koollekutsujat); an item is null (with an error) when the organisation no longer exists." })
  conveners(@Root() group: CooperationGroup): OrganisationRef[] {
    return group.convenerIds.map(organisationRef);
  }

  @FieldResolver(() => [OrganisationRef], { nullable: "items", description: "Organisations that run the group's secretariat and prepare its meetings; an item is null (with an error) when the organisation no longer exists." })
  secretariat(@Root() group: CooperationGroup): OrganisationRef[] {
    return group.secretariatIds.map(organisationRef);
  }

  @FieldResolver(() => [GroupContact], { description: "People named as the group's contacts (lisätiedot)." })
  async contacts(@Root() group: CooperationGroup, @Ctx() { loaders }: Context): Promise<GroupContact[]> {
    return await loaders.contactsByGroup.load(group.id);
  }

  @FieldResolver(() => [GroupSeat], { description: "The group's seats by constituency, in the source's order; a seat may be empty." })
  async seats(
    @Root() group: CooperationGroup,
    @Arg("activeOn", () => DateScalar, { nullable: true, description: "Only seats existing on this day (not ended before it); omitted: every seat." })
    activeOn: string | null,
    @Ctx() { loaders }: Context,
  ): Promise<GroupSeat[]> {
    const seats = await loaders.seatsByGroup.load(group.id);
    return activeOn ? seats.filter((seat) => seat.endsOn === null || seat.endsOn >= activeOn) : seats;
  }

  @FieldResolver(() => [Membership], {
    description: "Memberships active on a day (default: today in Helsinki), or the whole history; chairs first, then by start.",
  })
  async memberships(
    @Root() group: CooperationGroup,
    @Arg("activeOn", () => DateScalar, { nullable: true, description: "Day to answer for (YYYY-MM-DD); default today." })
    activeOn: string | null,
    @Arg("history", () => Boolean, { nullable: true, description: "True: every membership ever recorded, ended ones included." })
    history: boolean | null,
    @Ctx() { loaders }: Context,
  ): Promise<Membership[]> {
    return await loaders.membershipsByGroup.load({ id: group.id, activeOn: membershipDay(activeOn, history) });
  }

  @FieldResolver(() => [Meeting], { description: "The group's meetings, earliest first." })
  async meetings(@Root() group: CooperationGroup, @Ctx() { loaders }: Context): Promise<Meeting[]> {
    return await loaders.meetingsByGroup.load(group.id);
  }

  @FieldResolver(() => [NominationRound], { description: "Nomination rounds that fill this group." })
  async nominationRounds(@Root() group: CooperationGroup, @Ctx() { loaders }: Context): Promise<NominationRound[]> {
    const ids = await loaders.roundIdsByGroup.load(group.id);
    const rounds = await loaders.roundById.loadMany(ids);
    return rounds.filter((r): r is NominationRound => r !== null && !(r instanceof Error));
  }

  @FieldResolver(() => [LiaisonRole], {
    description: "Liaison roles whose holders form this network (for liaison networks) that the county has today; with `history`, ended ones too.",
  })
  async liaisonRoles(
    @Root() group: CooperationGroup,
    @Arg("history", () => Boolean, { defaultValue: false, description: "Ended roles too, not only those the county has today." }) history: boolean,
    @Ctx() { loaders }: Context,
  ): Promise<LiaisonRole[]> {
    return rolesInForce(await loaders.liaisonsByNetwork.load(group.id), history);
  }
}

@Resolver(() => GroupContact)
export class GroupContactResolver {
  @FieldResolver(() => PersonRef, { nullable: true, description: "The contact person; null (with an error for this item) when the person no longer exists." })
  person(@Root() contact: GroupContact): PersonRef {
    return personRef(contact.personId);
  }

  @FieldResolver(() => OrganisationRef, { nullable: true, description: "The organisation the contact works for." })
  organisation(@Root() contact: GroupContact): OrganisationRef | null {
    return contact.organisationId ? organisationRef(contact.organisationId) : null;
  }
}

@Resolver(() => MunicipalityRef)
export class MunicipalityGroupsResolver {
  @FieldResolver(() => [CooperationGroup], { nullable: true, description: "Cooperation groups that cover this municipality, by name." })
  async cooperationGroups(
    @Root() municipality: MunicipalityRef,
    @Arg("kind", () => CooperationGroupKind, { nullable: true, description: "Only groups of this kind." })
    kind: CooperationGroupKind | null,
    @Arg("activeOn", () => DateScalar, {
      nullable: true,
      description: "Only groups working on this day (started, not ended); omitted: every group.",
    })
    activeOn: string | null,
    @Ctx() { loaders }: Context,
  ): Promise<CooperationGroup[]> {
    return await loaders.groupsByMunicipality.load({
      municipalityCode: municipality.code,
      kind: kind ?? null,
      activeOn: activeOn ?? null,
    });
  }

  @FieldResolver(() => [LiaisonRole], { nullable: true, description: "Liaison roles named for this municipality (e.g. its järjestöyhdyshenkilö)." })
  async liaisons(@Root() municipality: MunicipalityRef, @Ctx() { loaders }: Context): Promise<LiaisonRole[]> {
    return await loaders.liaisonsByMunicipality.load(municipality.code);
  }

  @FieldResolver(() => [Area], { nullable: true, description: "The county areas this municipality belongs to." })
  async areas(@Root() municipality: MunicipalityRef, @Ctx() { loaders }: Context): Promise<Area[]> {
    const ids = await loaders.areaIdsByMunicipality.load(municipality.code);
    const areas = await loaders.areaById.loadMany(ids);
    return areas.filter((a): a is Area => a !== null && !(a instanceof Error));
  }
}

@Resolver(() => CountyRef)
export class CountyGroupsResolver {
  @FieldResolver(() => [CooperationGroup], { nullable: true, description: "The county's cooperation groups, by name." })
  async cooperationGroups(
    @Root() county: CountyRef,
    @Arg("kind", () => CooperationGroupKind, { nullable: true, description: "Only groups of this kind." })
    kind: CooperationGroupKind | null,
    @Arg("activeOn", () => DateScalar, { nullable: true, description: "Only groups working on this day; omitted: every group." })
    activeOn: string | null,
    @Ctx() { loaders }: Context,
  ): Promise<CooperationGroup[]> {
    return await loaders.groupsByCounty.load({ countyCode: county.code, kind: kind ?? null, activeOn: activeOn ?? null });
  }

  @FieldResolver(() => [Area], { nullable: true, description: "The county's own areas, in its order; empty if it has none." })
  async areas(@Root() county: CountyRef, @Ctx() { loaders }: Context): Promise<Area[]> {
    return await loaders.areasByCounty.load(county.code);
  }
}

/** Federation: `CooperationGroup @key(id)`. */
export const cooperationGroupReference = {
  CooperationGroup: {
    // A key that no longer resolves is an error for that item only (the referring field is nullable).
    __resolveReference: async (reference: { id: string }, context: Context) => {
      const found = await context.loaders.groupById.load(reference.id);
      if (!found) throw new NotFoundError("CooperationGroup", reference.id);
      return found;
    },
  },
};
