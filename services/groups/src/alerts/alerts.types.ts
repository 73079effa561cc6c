import { DateScalar } from "@yhdyspinta/core";
import { Field, ID, Int, ObjectType } from "type-graphql";
import { SeatOccupancy } from "../dashboard/occupancy.ts";
import type { NominationRound, Nominator } from "../nomination/nomination.entity.ts";
import type { GroupSeat } from "../seat/seat.entity.ts";

/**
 * The alerts of one county (or of every county) on a day: the questions a
 * coordinator chases, computed in the register rather than client-side. Each
 * list is read with a fixed number of statements, whatever the data's size.
 */
@ObjectType("GroupAlerts", {
  description: "What needs a coordinator's attention on a day: vacant seats, deputies without a member, rounds closing soon with the nominators that have not answered, memberships ending soon.",
})
export class GroupAlerts {
  @Field(() => ID, { nullable: true, description: "The county asked about; null: every county." })
  countyCode!: string | null;

  @Field(() => DateScalar, { description: "The day the alerts are for." })
  activeOn!: string;

  @Field(() => Int, { description: "How many days ahead `closingRounds` and `endingMemberships` look." })
  withinDays!: number;

  @Field(() => DateScalar, { description: "Last day of the look-ahead window: `activeOn` + `withinDays`." })
  until!: string;

  /** The scope the lists read (not a field). */
  scope!: AlertScope;
}

@ObjectType("SeatVacancy", { description: "A seat with member or deputy places nobody holds on the day." })
export class SeatVacancy {
  seat!: GroupSeat;

  @Field(() => SeatOccupancy, { description: "Places filled and vacant on the day." })
  occupancy!: SeatOccupancy;
}

@ObjectType("RoundDeadline", { description: "A nomination round whose deadline falls within the window, with the nominators still to answer." })
export class RoundDeadline {
  round!: NominationRound;

  @Field(() => DateScalar, { description: "The round's deadline (last day nominations are accepted)." })
  closesOn!: string;

  @Field(() => Int, { description: "Days from `activeOn` to the deadline (0: it closes that day)." })
  daysLeft!: number;

  pending!: Nominator[];
}

/** Rows the alert lists are built from (alerts.queries.ts). */
export interface AlertScope {
  countyCode: string | null;
  day: string;
  until: string;
}
