import { confirmSourcedRecord, DateScalar, RecordSource, findUnconfirmed, recordKey, Scope } from "@yhdyspinta/core";
import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { COUNTY_OF } from "./provenance.rules.ts";
import type { Context } from "../context.ts";
import { Area } from "../area/area.entity.ts";
import { CooperationGroup } from "../group/group.entity.ts";
import { CooperationLevel, LiaisonRole } from "../liaison/liaison.entity.ts";
import { Meeting } from "../meeting/meeting.entity.ts";
import { Membership } from "../membership/membership.entity.ts";
import { NominationRound } from "../nomination/nomination.entity.ts";
import { GroupSeat } from "../seat/seat.entity.ts";

const DESCRIPTION = "Where the record comes from (document or URL, place in it, decision behind it) and when it was last confirmed; null where not recorded.";

/** A `source` field for a record type of this subgraph, read through the request's batched loader. */
function sourceResolver<T extends { id: string }>(type: new () => T, recordType: string) {
  @Resolver(() => type)
  class SourceResolver {
    @FieldResolver(() => RecordSource, { nullable: true, description: DESCRIPTION })
    async provenance(@Root() record: T, @Ctx() { loaders }: Context): Promise<RecordSource | null> {
      return await loaders.sourceOf.load(recordKey(recordType, record.id));
    }
  }
  Object.defineProperty(SourceResolver, "name", { value: `${recordType}SourceResolver` });
  return SourceResolver;
}

@Resolver()
export class GroupProvenanceResolver {
  @Query(() => [RecordSource], {
    description:
      "Records of the groups subgraph (groups, seats, memberships, rounds, meetings, levels, liaison roles, areas) whose provenance was last confirmed more than `months` months ago, oldest first.",
  })
  async unconfirmedGroupRecords(
    @Arg("months", () => Int, { description: "Age in whole months, 0–1200." }) months: number,
    @Ctx() { em }: Context,
  ): Promise<RecordSource[]> {
    return await findUnconfirmed(em, months);
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => RecordSource, {
    description:
      "Re-confirms a groups-subgraph record's provenance as still current on a day (default today), changing nothing else; a record without provenance gets one with only the date. Needs `data:write` and a role for the record's county.",
  })
  async confirmGroupRecord(
    @Arg("recordType", () => String, { description: "GraphQL type of the record: CooperationGroup, GroupSeat, Membership, NominationRound, GroupMeeting, CooperationLevel, LiaisonRole or Area." }) recordType: string,
    @Arg("id", () => ID, { description: "Id of the record." }) id: string,
    @Arg("on", () => DateScalar, { nullable: true, description: "Day the record was checked against its source; today (Helsinki) when left out, never in the future." }) on: string | null,
    @Ctx() { em, viewer }: Context,
  ): Promise<RecordSource> {
    return await em.transactional(async (tx) => await confirmSourcedRecord(tx, viewer, COUNTY_OF, recordType, id, on));
  }
}

/** Record types of this subgraph that carry provenance, by GraphQL type name. */
export const SOURCED_TYPES = {
  CooperationGroup,
  GroupSeat,
  Membership,
  NominationRound,
  GroupMeeting: Meeting,
  CooperationLevel,
  LiaisonRole,
  Area,
} as const;

export const provenanceResolvers = [
  GroupProvenanceResolver,
  ...Object.entries(SOURCED_TYPES).map(([name, type]) => sourceResolver(type as new () => { id: string }, name)),
];
