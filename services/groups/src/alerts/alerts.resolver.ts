import { DateScalar } from "@yhdyspinta/core";
import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../context.ts";
import { CooperationGroup } from "../group/group.entity.ts";
import { Membership } from "../membership/membership.entity.ts";
import { NominationRound, Nominator } from "../nomination/nomination.entity.ts";
import { GroupSeat } from "../seat/seat.entity.ts";
import { GroupTerm } from "../term/term.entity.ts";
import { termsEndingBetween } from "../term/term.queries.ts";
import { deputiesWithoutMember, membershipsEnding } from "./alerts.queries.ts";
import { alertScope, closingRoundsIn, DEFAULT_WITHIN_DAYS, MAX_WITHIN_DAYS, vacantSeatsIn } from "./alerts.rules.ts";
import { GroupAlerts, RoundDeadline, SeatVacancy } from "./alerts.types.ts";

@Resolver(() => GroupAlerts)
export class GroupAlertsResolver {
  @Query(() => GroupAlerts, {
    description: "Alerts for a county (or every county) on a day: vacant seats, deputies without a member, rounds closing within `withinDays` with the nominators that have not answered, memberships ending within `withinDays`.",
  })
  groupAlerts(
    @Arg("countyCode", () => ID, { nullable: true, description: "Only this county's groups and rounds; omitted: every county." })
    countyCode: string | null,
    @Arg("activeOn", () => DateScalar, { nullable: true, description: "Day to answer for (YYYY-MM-DD); default today in Helsinki." })
    activeOn: string | null,
    @Arg("withinDays", () => Int, { nullable: true, description: `Days to look ahead for deadlines and ends, 0–${MAX_WITHIN_DAYS} (default ${DEFAULT_WITHIN_DAYS}).` })
    withinDays: number | null,
  ): GroupAlerts {
    const scope = alertScope(countyCode, activeOn, withinDays);
    return { countyCode: scope.countyCode, activeOn: scope.day, withinDays: scope.withinDays, until: scope.until, scope };
  }

  @FieldResolver(() => [SeatVacancy], { description: "Seats with a member or deputy place nobody holds on the day, by group name and the seats' order." })
  async vacantSeats(@Root() alerts: GroupAlerts, @Ctx() { em }: Context): Promise<SeatVacancy[]> {
    return await vacantSeatsIn(em, alerts.scope);
  }

  @FieldResolver(() => [Membership], { description: "Deputies sitting on the day whose member is not named or does not sit that day, by group name." })
  async deputiesWithoutMember(@Root() alerts: GroupAlerts, @Ctx() { em }: Context): Promise<Membership[]> {
    return await deputiesWithoutMember(em, alerts.scope);
  }

  @FieldResolver(() => [RoundDeadline], { description: "Rounds not closed whose deadline falls within the window, soonest first, with the nominators that have not answered." })
  async closingRounds(@Root() alerts: GroupAlerts, @Ctx() { em }: Context): Promise<RoundDeadline[]> {
    return await closingRoundsIn(em, alerts.scope);
  }

  @FieldResolver(() => [Membership], { description: "Memberships sitting on the day whose last day falls within the window, soonest first." })
  async endingMemberships(@Root() alerts: GroupAlerts, @Ctx() { em }: Context): Promise<Membership[]> {
    return await membershipsEnding(em, alerts.scope);
  }

  @FieldResolver(() => [GroupTerm], {
    description: "Group terms whose last day falls within the window, of groups that have not ended and have no next term started yet, by end day (as `termsEnding`, counted from `activeOn`).",
  })
  async endingTerms(@Root() alerts: GroupAlerts, @Ctx() { em }: Context): Promise<GroupTerm[]> {
    const { countyCode, day, until } = alerts.scope;
    return await termsEndingBetween(em, day, until, countyCode === null ? null : [countyCode]);
  }
}

@Resolver(() => SeatVacancy)
export class SeatVacancyResolver {
  @FieldResolver(() => GroupSeat, { description: "The seat." })
  seat(@Root() vacancy: SeatVacancy): GroupSeat {
    return vacancy.seat;
  }

  @FieldResolver(() => CooperationGroup, { description: "The seat's group." })
  async group(@Root() vacancy: SeatVacancy, @Ctx() { loaders }: Context): Promise<CooperationGroup> {
    return (await loaders.groupById.load(vacancy.seat.groupId))!;
  }
}

@Resolver(() => RoundDeadline)
export class RoundDeadlineResolver {
  @FieldResolver(() => NominationRound, { description: "The round." })
  round(@Root() deadline: RoundDeadline): NominationRound {
    return deadline.round;
  }

  @FieldResolver(() => [Nominator], { description: "Nominators of the round that have not answered (no nomination that still stands), in the source's order." })
  pendingNominators(@Root() deadline: RoundDeadline): Nominator[] {
    return deadline.pending;
  }
}
