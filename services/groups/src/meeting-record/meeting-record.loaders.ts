import type { EntityManager } from "@mikro-orm/postgresql";
import { rowsByKey } from "@yhdyspinta/core";
import { MeetingAttendance } from "./meeting-record.entity.ts";

/** Attendance recorded in meetings' minutes, in the minutes' order. */
export function createMeetingRecordLoaders(em: EntityManager) {
  return {
    attendanceByMeeting: rowsByKey(em, MeetingAttendance, "meetingId", { ordinal: "asc", personId: "asc" }),
  };
}
