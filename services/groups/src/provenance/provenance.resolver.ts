import { RecordSource, findUnconfirmed, recordKey } from "@yhdyspinta/core";
import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from "type-graphql";
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
