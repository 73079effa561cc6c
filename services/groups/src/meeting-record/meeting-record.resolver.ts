import { LockMode } from "@mikro-orm/core";
import { BadUserInputError, Scope, formatHelsinki } from "@yhdyspinta/core";
import { Arg, Authorized, Ctx, FieldResolver, Mutation, Resolver, Root } from "type-graphql";
import type { Context } from "../context.ts";
import { lockGroupFor } from "../coordination/coordination.resolver.ts";
import { OrganisationRef, organisationRef, PersonRef, personRef } from "../federation/references.ts";
import { Meeting } from "../meeting/meeting.entity.ts";
import { MeetingAttendance } from "./meeting-record.entity.ts";
import { RecordMeetingMinutesInput } from "./meeting-record.inputs.ts";

@Resolver(() => Meeting)
export class MeetingRecordResolver {
  @Authorized(Scope.DataWrite)
  @Mutation(() => Meeting, {
    description:
      "Records the minutes of a meeting that has started: a minutes reference, decisions and attendance. Needs `data:write` and a role for the group's county.",
  })
  async recordMeetingMinutes(
    @Arg("input", () => RecordMeetingMinutesInput, { description: "The minutes." }) input: RecordMeetingMinutesInput,
    @Ctx() { em, viewer, references }: Context,
  ): Promise<Meeting> {
    if (input.minutesRef === undefined && !input.decisions && !input.attendance) {
      throw new BadUserInputError("input.minutesRef", "give at least one of minutesRef, decisions and attendance");
    }
    const attendance = input.attendance ?? [];
    const twice = attendance.find((a, i) => attendance.findIndex((b) => b.personId === a.personId) !== i);
    if (twice) throw new BadUserInputError("input.attendance", `person ${twice.personId} is listed more than once`);
    await references.assertExist([
      { field: "input.attendance", type: "Person", keys: attendance.map((a) => a.personId) },
      { field: "input.attendance", type: "Organisation", keys: attendance.map((a) => a.organisationId ?? "") },
    ]);
    return await em.transactional(async (tx) => {
      const first = await tx.findOne(Meeting, { id: input.meetingId });
      if (!first) throw new BadUserInputError("input.meetingId", `no meeting "${input.meetingId}"`);
      await lockGroupFor(tx, viewer, first.groupId, "input.meetingId");
      const meeting = await tx.findOneOrFail(Meeting, { id: input.meetingId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
      if (meeting.startsAt.getTime() > Date.now()) {
        throw new BadUserInputError("input.meetingId", `the meeting starts at ${formatHelsinki(meeting.startsAt)}: minutes are recorded once it has been held`);
      }
      if (input.minutesRef !== undefined) meeting.minutesRef = input.minutesRef;
      if (input.decisions) meeting.decisions = input.decisions;
      if (input.attendance) {
        const current = await tx.find(MeetingAttendance, { meetingId: meeting.id });
        const byPerson = new Map(current.map((a) => [a.personId, a]));
        input.attendance.forEach((a, i) => {
          const row = byPerson.get(a.personId);
          const fields = { organisationId: a.organisationId ?? null, present: a.present, ordinal: i + 1 };
          if (row) Object.assign(row, fields);
          else tx.create(MeetingAttendance, { meetingId: meeting.id, personId: a.personId, ...fields });
          byPerson.delete(a.personId);
        });
        for (const stale of byPerson.values()) tx.remove(stale);
      }
      meeting.minutesRecordedAt = new Date();
      return meeting;
    });
  }

  @FieldResolver(() => [MeetingAttendance], { description: "Attendance as the minutes record it, in their order; empty until recorded." })
  async attendance(@Root() meeting: Meeting, @Ctx() { loaders }: Context): Promise<MeetingAttendance[]> {
    return await loaders.attendanceByMeeting.load(meeting.id);
  }
}

@Resolver(() => MeetingAttendance)
export class MeetingAttendanceResolver {
  @FieldResolver(() => PersonRef, { description: "The person." })
  person(@Root() a: MeetingAttendance): PersonRef {
    return personRef(a.personId);
  }

  @FieldResolver(() => OrganisationRef, { nullable: true, description: "The organisation represented, if recorded." })
  organisation(@Root() a: MeetingAttendance): OrganisationRef | null {
    return a.organisationId ? organisationRef(a.organisationId) : null;
  }
}
