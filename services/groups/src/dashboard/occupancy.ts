import { indexOnce } from "@yhdyspinta/core";
import { Field, Int, ObjectType } from "type-graphql";
import { type Membership, MembershipRole } from "../membership/membership.entity.ts";
import type { GroupSeat } from "../seat/seat.entity.ts";

/** Roles that hold one of a seat's member places; deputies hold deputy places; secretaries and coordinators hold none. */
const MEMBER_ROLES = new Set<MembershipRole>([
  MembershipRole.CHAIR,
  MembershipRole.VICE_CHAIR,
  MembershipRole.MEMBER,
  MembershipRole.SPEAKING_RIGHT,
]);

@ObjectType("SeatOccupancy", {
  description: "How many of a seat's (or a group's seats') places are filled on a day.",
})
export class SeatOccupancy {
  @Field(() => Int, { nullable: true, description: "Member places the seat(s) take (the stated maximum); null if not stated." })
  memberPlaces!: number | null;

  @Field(() => Int, { description: "Member places held on the day (chair, vice chair, member, speaking-right member)." })
  filledMemberPlaces!: number;

  @Field(() => Int, { nullable: true, description: "Member places nobody holds on the day; null if the number of places is not stated." })
  vacantMemberPlaces!: number | null;

  @Field(() => Int, { nullable: true, description: "Deputy places the seat(s) take; null if not stated or optional." })
  deputyPlaces!: number | null;

  @Field(() => Int, { description: "Deputy places held on the day." })
  filledDeputyPlaces!: number;

  @Field(() => Int, { nullable: true, description: "Deputy places nobody holds on the day; null if not stated or optional." })
  vacantDeputyPlaces!: number | null;
}

const seatOf = (m: Membership): string | null => m.seatId;

/** Occupancy of one seat from the memberships active on the day. */
export function seatOccupancy(seat: GroupSeat, active: readonly Membership[]): SeatOccupancy {
  const mine = indexOnce(active, seatOf).get(seat.id) ?? [];
  const filledMembers = mine.filter((m) => MEMBER_ROLES.has(m.role)).length;
  const filledDeputies = mine.filter((m) => m.role === MembershipRole.DEPUTY).length;
  const memberPlaces = seat.maxMembers ?? seat.minMembers;
  return {
    memberPlaces,
    filledMemberPlaces: filledMembers,
    vacantMemberPlaces: memberPlaces === null ? null : Math.max(0, memberPlaces - filledMembers),
    deputyPlaces: seat.deputies,
    filledDeputyPlaces: filledDeputies,
    vacantDeputyPlaces: seat.deputies === null ? null : Math.max(0, seat.deputies - filledDeputies),
  };
}

/** Sum over a group's seats; a total is null when any seat leaves its number unstated. */
export function sumOccupancy(parts: readonly SeatOccupancy[]): SeatOccupancy {
  const sum = (pick: (o: SeatOccupancy) => number | null): number | null =>
    parts.some((p) => pick(p) === null) ? null : parts.reduce((acc, p) => acc + (pick(p) ?? 0), 0);
  return {
    memberPlaces: sum((o) => o.memberPlaces),
    filledMemberPlaces: parts.reduce((acc, p) => acc + p.filledMemberPlaces, 0),
    vacantMemberPlaces: sum((o) => o.vacantMemberPlaces),
    deputyPlaces: sum((o) => o.deputyPlaces),
    filledDeputyPlaces: parts.reduce((acc, p) => acc + p.filledDeputyPlaces, 0),
    vacantDeputyPlaces: sum((o) => o.vacantDeputyPlaces),
  };
}
