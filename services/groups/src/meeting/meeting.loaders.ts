import type { EntityManager } from "@mikro-orm/postgresql";
import { rowsByKey } from "@yhdyspinta/core";
import { Meeting } from "./meeting.entity.ts";

/** Meetings of groups. */
export function createMeetingLoaders(em: EntityManager) {
  return {
    meetingsByGroup: rowsByKey(em, Meeting, "groupId", { startsAt: "asc", id: "asc" }),
  };
}
