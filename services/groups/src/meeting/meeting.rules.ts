import type { EntityManager } from "@mikro-orm/postgresql";
import { BadUserInputError, uniqueRuleError, formatHelsinki } from "@yhdyspinta/core";
import { meetingStartingAt } from "../group-workflow/natural-keys.queries.ts";
import type { Meeting } from "./meeting.entity.ts";

/**
 * The rules of a group's meetings and their minutes. Both writes take the
 * group's lock first (group.rules.ts `lockGroupFor`).
 */

/** A meeting ends after it starts. */
export function checkMeetingTimes(startsAt: Date, endsAt: Date | null | undefined): void {
  if (endsAt && endsAt.getTime() <= startsAt.getTime()) throw new BadUserInputError("input.endsAt", "must be after startsAt");
}

/** Id of the group's meeting that starts at the instant, or null (`meetingStartingAt`, or a bulk import's reads of a chunk). */
export type MeetingStartReader = (groupId: string, startsAt: Date) => Promise<string | null>;

/**
 * A group has one meeting starting at an instant (docs/NATURAL-KEYS.md).
 * `startingAt` (a bulk import's) replaces the database read; the rule is the same.
 */
export async function checkMeetingStart(tx: EntityManager, groupId: string, startsAt: Date, startingAt?: MeetingStartReader): Promise<void> {
  const same = startingAt ? await startingAt(groupId, startsAt) : await meetingStartingAt(tx, groupId, startsAt);
  if (same) throw uniqueRuleError("meeting_group_starts_at_unique", `meeting ${same} at ${formatHelsinki(startsAt)}`);
}

/** Minutes give something, and list a person once. */
export function checkMinutesInput(input: { minutesRef?: string | null; decisions?: unknown[] | null; attendance?: { personId: string }[] | null }): void {
  if (input.minutesRef === undefined && !input.decisions && !input.attendance) {
    throw new BadUserInputError("input.minutesRef", "give at least one of minutesRef, decisions and attendance");
  }
  const attendance = input.attendance ?? [];
  const twice = attendance.find((a, i) => attendance.findIndex((b) => b.personId === a.personId) !== i);
  if (twice) throw new BadUserInputError("input.attendance", `person ${twice.personId} is listed more than once`);
}

/** Minutes are recorded once the meeting has started. */
export function checkMeetingHeld(meeting: Meeting): void {
  if (meeting.startsAt.getTime() > Date.now()) {
    throw new BadUserInputError("input.meetingId", `the meeting starts at ${formatHelsinki(meeting.startsAt)}: minutes are recorded once it has been held`);
  }
}
