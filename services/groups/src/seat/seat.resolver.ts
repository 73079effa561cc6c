import { DateScalar } from "@yhdyspinta/core";
import { Arg, Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { Context } from "../context.ts";
import {
  MunicipalityRef,
  municipalityRef,
  OrganisationCategoryRef,
  categoryRef,
  OrganisationRef,
  organisationRef,
} from "../federation/references.ts";
import { CooperationGroup } from "../group/group.entity.ts";
import { membershipDay } from "../membership/membership.rules.ts";
import { Membership } from "../membership/membership.entity.ts";
import { GroupSeat } from "./seat.entity.ts";

@Resolver(() => GroupSeat)
export class GroupSeatResolver {
  @FieldResolver(() => CooperationGroup, { description: "The group the seat belongs to." })
  async group(@Root() seat: GroupSeat, @Ctx() { loaders }: Context): Promise<CooperationGroup> {
    return (await loaders.groupById.load(seat.groupId))!;
  }

  @FieldResolver(() => OrganisationCategoryRef, { nullable: true, description: "The association category the seat represents, if any." })
  category(@Root() seat: GroupSeat): OrganisationCategoryRef | null {
    return seat.categoryId ? categoryRef(seat.categoryId) : null;
  }

  @FieldResolver(() => MunicipalityRef, { nullable: true, description: "The municipality the seat represents, if any." })
  municipality(@Root() seat: GroupSeat): MunicipalityRef | null {
    return seat.municipalityCode ? municipalityRef(seat.municipalityCode) : null;
  }

  @FieldResolver(() => OrganisationRef, { nullable: true, description: "The organisation (agency) the seat represents, if any." })
  organisation(@Root() seat: GroupSeat): OrganisationRef | null {
    return seat.organisationId ? organisationRef(seat.organisationId) : null;
  }

  @FieldResolver(() => [Membership], { description: "Who holds the seat on a day (default today); empty while vacant." })
  async memberships(
    @Root() seat: GroupSeat,
    @Arg("activeOn", () => DateScalar, { nullable: true, description: "Day to answer for (YYYY-MM-DD); default today." })
    activeOn: string | null,
    @Arg("history", () => Boolean, { nullable: true, description: "True: every membership ever recorded in the seat." })
    history: boolean | null,
    @Ctx() { loaders }: Context,
  ): Promise<Membership[]> {
    const all = await loaders.membershipsByGroup.load({ id: seat.groupId, activeOn: membershipDay(activeOn, history) });
    return all.filter((m) => m.seatId === seat.id);
  }
}
