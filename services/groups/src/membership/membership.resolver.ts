import { DateScalar } from "@yhdyspinta/core";
import { Arg, Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { Context } from "../context.ts";
import { OrganisationRef, organisationRef, PersonRef, personRef } from "../federation/references.ts";
import { CooperationGroup } from "../group/group.entity.ts";
import { membershipDay } from "../membership/membership.rules.ts";
import { GroupSeat } from "../seat/seat.entity.ts";
import { Membership, membershipOrder } from "./membership.entity.ts";

@Resolver(() => Membership)
export class MembershipResolver {
  @FieldResolver(() => CooperationGroup, { description: "The group." })
  async group(@Root() m: Membership, @Ctx() { loaders }: Context): Promise<CooperationGroup> {
    return (await loaders.groupById.load(m.groupId))!;
  }

  @FieldResolver(() => PersonRef, { nullable: true, description: "The member; null (with an error for this item) when the person no longer exists." })
  person(@Root() m: Membership): PersonRef {
    return personRef(m.personId);
  }

  @FieldResolver(() => OrganisationRef, { nullable: true, description: "The organisation on whose behalf the person sits (Popolo on_behalf_of)." })
  organisation(@Root() m: Membership): OrganisationRef | null {
    return m.organisationId ? organisationRef(m.organisationId) : null;
  }

  @FieldResolver(() => GroupSeat, { nullable: true, description: "The seat held, if the membership fills one." })
  async seat(@Root() m: Membership, @Ctx() { loaders }: Context): Promise<GroupSeat | null> {
    if (!m.seatId) return null;
    const seats = await loaders.seatsByGroup.load(m.groupId);
    return seats.find((s) => s.id === m.seatId) ?? null;
  }

  @FieldResolver(() => Membership, { nullable: true, description: "For a deputy: the member they stand in for." })
  async deputyOf(@Root() m: Membership, @Ctx() { loaders }: Context): Promise<Membership | null> {
    return m.deputyOfId ? await loaders.membershipById.load(m.deputyOfId) : null;
  }
}

async function membershipsOf(
  loader: Context["loaders"]["membershipsByPerson"],
  id: string,
  activeOn: string | null,
  history: boolean | null,
): Promise<Membership[]> {
  return await loader.load({ id, activeOn: membershipDay(activeOn, history) });
}

@Resolver(() => PersonRef)
export class PersonMembershipsResolver {
  @FieldResolver(() => [Membership], { nullable: true, description: "The person's group memberships on a day (default today), or the whole history." })
  async memberships(
    @Root() person: PersonRef,
    @Arg("activeOn", () => DateScalar, { nullable: true, description: "Day to answer for (YYYY-MM-DD); default today." })
    activeOn: string | null,
    @Arg("history", () => Boolean, { nullable: true, description: "True: every membership ever recorded." })
    history: boolean | null,
    @Ctx() { loaders }: Context,
  ): Promise<Membership[]> {
    return await membershipsOf(loaders.membershipsByPerson, person.id, activeOn, history);
  }
}

@Resolver(() => OrganisationRef)
export class OrganisationMembershipsResolver {
  @FieldResolver(() => [Membership], { nullable: true,
    description: "Memberships held on this organisation's behalf on a day (default today), or the whole history; those held under the ids of duplicates merged into it too.",
  })
  async memberships(
    @Root() organisation: OrganisationRef,
    @Arg("activeOn", () => DateScalar, { nullable: true, description: "Day to answer for (YYYY-MM-DD); default today." })
    activeOn: string | null,
    @Arg("history", () => Boolean, { nullable: true, description: "True: every membership ever recorded." })
    history: boolean | null,
    @Ctx() { loaders, organisationIds }: Context,
  ): Promise<Membership[]> {
    // A merged duplicate's memberships are stored under its own id: read every id the organisation is known by.
    const ids = organisationIds ? await organisationIds.load(organisation.id) : [organisation.id];
    const lists = await Promise.all(ids.map((id) => membershipsOf(loaders.membershipsByOrganisation, id, activeOn, history)));
    return lists.length === 1 ? lists[0]! : [...new Map(lists.flat().map((m) => [m.id, m])).values()].sort(membershipOrder);
  }
}
