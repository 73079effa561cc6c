import { DateScalar } from "@yhdyspinta/core";
import { Arg, Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { Context } from "../context.ts";
import { MunicipalityRef } from "../federation/references.ts";
import { CooperationGroup } from "../group/group.entity.ts";
import { membershipDay } from "../membership/membership.rules.ts";
import { CooperationGroupKind } from "../group/group-kind.ts";
import { NominationStatus, Nominator } from "../nomination/nomination.entity.ts";
import { nominationsOf } from "../nomination/nomination.loaders.ts";
import { GroupSeat } from "../seat/seat.entity.ts";
import { GroupKindCoverage } from "./coverage.ts";
import { SeatOccupancy, seatOccupancy, sumOccupancy } from "./occupancy.ts";

const ALL_KINDS = Object.values(CooperationGroupKind);

/** Fields that dashboards aggregate on: coverage, seat occupancy, answers to nomination rounds. */
@Resolver(() => MunicipalityRef)
export class MunicipalityCoverageResolver {
  @FieldResolver(() => [GroupKindCoverage], { nullable: true,
    description: "Coverage matrix row: for every kind of group, how many groups of that kind cover this municipality (0 = none).",
  })
  async groupCoverage(
    @Root() municipality: MunicipalityRef,
    @Arg("activeOn", () => DateScalar, { nullable: true, description: "Only groups working on this day; omitted: every group." })
    activeOn: string | null,
    @Ctx() { loaders }: Context,
  ): Promise<GroupKindCoverage[]> {
    const groups = await loaders.groupsByMunicipality.load({ municipalityCode: municipality.code, kind: null, activeOn: activeOn ?? null });
    return ALL_KINDS.map((kind) => {
      const groupCount = groups.filter((g) => g.kind === kind).length;
      return { kind, groupCount, covered: groupCount > 0 };
    });
  }
}

@Resolver(() => GroupSeat)
export class SeatOccupancyResolver {
  @FieldResolver(() => SeatOccupancy, { description: "Member and deputy places filled and vacant on a day (default today in Helsinki)." })
  async occupancy(
    @Root() seat: GroupSeat,
    @Arg("activeOn", () => DateScalar, { nullable: true, description: "Day to answer for (YYYY-MM-DD); default today." })
    activeOn: string | null,
    @Ctx() { loaders }: Context,
  ): Promise<SeatOccupancy> {
    const active = await loaders.membershipsByGroup.load({ id: seat.groupId, activeOn: membershipDay(activeOn, false) });
    return seatOccupancy(seat, active);
  }
}

@Resolver(() => CooperationGroup)
export class GroupOccupancyResolver {
  @FieldResolver(() => SeatOccupancy, {
    description: "All of the group's seats existing on a day together (default today): member and deputy places filled and vacant.",
  })
  async seatOccupancy(
    @Root() group: CooperationGroup,
    @Arg("activeOn", () => DateScalar, { nullable: true, description: "Day to answer for (YYYY-MM-DD); default today." })
    activeOn: string | null,
    @Ctx() { loaders }: Context,
  ): Promise<SeatOccupancy> {
    const day = membershipDay(activeOn, false)!;
    const [seats, active] = await Promise.all([
      loaders.seatsByGroup.load(group.id),
      loaders.membershipsByGroup.load({ id: group.id, activeOn: day }),
    ]);
    // A seat ended before the day has no places on it.
    const existing = seats.filter((seat) => seat.endsOn === null || seat.endsOn >= day);
    return sumOccupancy(existing.map((seat) => seatOccupancy(seat, active)));
  }
}

@Resolver(() => Nominator)
export class NominatorAnswerResolver {
  @FieldResolver(() => DateScalar, { nullable: true, description: "Day of the nominator's first nomination that still stands; null if none." })
  async answeredOn(@Root() nominator: Nominator, @Ctx() { loaders }: Context): Promise<string | null> {
    const nominations = nominationsOf(await loaders.nominationsByRound.load(nominator.roundId), nominator.id);
    const days = nominations
      .filter((n) => n.status !== NominationStatus.WITHDRAWN)
      .map((n) => n.submittedOn)
      .sort();
    return days[0] ?? null;
  }

  @FieldResolver(() => Boolean, { description: "The nominator answered (a nomination that still stands) on or before the round's deadline." })
  async answeredByDeadline(@Root() nominator: Nominator, @Ctx() { loaders }: Context): Promise<boolean> {
    const [round, nominations] = await Promise.all([
      loaders.roundById.load(nominator.roundId),
      loaders.nominationsByRound.load(nominator.roundId),
    ]);
    if (!round) return false;
    return nominationsOf(nominations, nominator.id).some(
      (n) => n.status !== NominationStatus.WITHDRAWN && n.submittedOn <= round.closesOn,
    );
  }
}
