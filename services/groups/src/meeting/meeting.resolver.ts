import { BadUserInputError, findRows, DateScalar } from "@yhdyspinta/core";
import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../context.ts";
import { CooperationGroup } from "../group/group.entity.ts";
import { helsinkiDayStart, nextDay } from "../scalars/date-time.ts";
import { Meeting } from "./meeting.entity.ts";

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
    if (to) startsAt["$lt"] = helsinkiDayStart(nextDay(to));
    if (from || to) where["startsAt"] = startsAt;
    return await findRows(em, Meeting, where, { startsAt: "asc", id: "asc" });
  }

  @FieldResolver(() => CooperationGroup, { description: "The group that meets." })
  async group(@Root() meeting: Meeting, @Ctx() { loaders }: Context): Promise<CooperationGroup> {
    return (await loaders.groupById.load(meeting.groupId))!;
  }
}
