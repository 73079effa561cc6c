import { BadUserInputError, findRows, DateScalar, type OptionalProperties, propertiesToLeaveOut, helsinkiDayStart, helsinkiDayEnd } from "@yhdyspinta/core";
import type { GraphQLResolveInfo } from "graphql";
import { Arg, Ctx, FieldResolver, ID, Info, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../context.ts";
import { CooperationGroup } from "../group/group.entity.ts";
import { Meeting } from "./meeting.entity.ts";

/**
 * Columns `meetings` reads only when a selected field needs them: the minutes
 * (json lists parsed per row) that a calendar never shows. Each lists every
 * GroupMeeting field that reads it, here and in the other resolvers of the
 * type (`group`, `attendance`, `changes`, `provenance` read only `id` and
 * `groupId`, which are always read). Measured on the full-Finland dataset
 * (bench/src/profile-subgraphs.ts): the groups subgraph's CPU per
 * meeting-calendar request fell from 11.3 to 9.5 ms (medians of three).
 */
const MEETING_OPTIONAL: OptionalProperties<Meeting> = {
  agenda: ["agenda"],
  decisions: ["decisions"],
  minutesRef: ["minutesRef"],
  minutesRecordedAt: ["minutesRecordedAt"],
};

@Resolver(() => Meeting)
export class MeetingResolver {
  @Query(() => [Meeting], {
    description: "Meetings of groups, optionally of one county and between two Helsinki calendar days (inclusive), earliest first.",
  })
  async meetings(
    @Arg("countyCode", () => ID, { nullable: true, description: "Only meetings of this county's groups." }) countyCode: string | null,
    @Arg("from", () => DateScalar, { nullable: true, description: "First day (Europe/Helsinki), inclusive." }) from: string | null,
    @Arg("to", () => DateScalar, { nullable: true, description: "Last day (Europe/Helsinki), inclusive." }) to: string | null,
    @Ctx() { em, loaders }: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Meeting[]> {
    if (from && to && to < from) throw new BadUserInputError("to", "must not be before `from`");
    const where: Record<string, unknown> = {};
    if (countyCode) {
      const groups = await findRows(em, CooperationGroup, { countyCode });
      where["groupId"] = { $in: groups.map((g) => g.id) };
      // Every meeting's `group` is one of these: answered from this read, not a second one.
      for (const g of groups) loaders.groupById.prime(g.id, g);
    }
    const startsAt: Record<string, Date> = {};
    if (from) startsAt["$gte"] = helsinkiDayStart(from);
    if (to) startsAt["$lt"] = helsinkiDayEnd(to);
    if (from || to) where["startsAt"] = startsAt;
    // Rows without the left-out columns go to this field's resolvers only, never into a shared loader.
    const leaveOut = propertiesToLeaveOut(info, MEETING_OPTIONAL);
    return await findRows(em, Meeting, where, { startsAt: "asc", id: "asc" }, { leaveOut });
  }

  @FieldResolver(() => CooperationGroup, { description: "The group that meets." })
  async group(@Root() meeting: Meeting, @Ctx() { loaders }: Context): Promise<CooperationGroup> {
    return (await loaders.groupById.load(meeting.groupId))!;
  }
}
