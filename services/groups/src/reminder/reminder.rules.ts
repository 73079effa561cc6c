import { randomUUID } from "node:crypto";
import type { EntityManager } from "@mikro-orm/postgresql";
import { BadUserInputError, findRows, ForbiddenError, type Viewer, ViewerRole, whereIn } from "@yhdyspinta/core";
import { deputiesWithoutMember, membershipsEnding } from "../alerts/alerts.queries.ts";
import { closingRoundsIn, vacantSeatsIn } from "../alerts/alerts.rules.ts";
import type { AlertScope } from "../alerts/alerts.types.ts";
import { CooperationGroup } from "../group/group.entity.ts";
import { Reminder, ReminderKind } from "./reminder.entity.ts";
import { lockCountyReminders } from "./reminder.queries.ts";

/**
 * The rules of the reminder outbox:
 *
 * - reading: an admin reads every county's reminders, a coordinator those of
 *   their counties (another county asked for is FORBIDDEN naming it); nobody
 *   else reads them (`reminderCounties`);
 * - generating (the job, or `generateReminders` by a coordinator of the
 *   county): one county at a time under an advisory lock, one row per alert
 *   `dedupeKey` ever — a vacancy or a lone deputy once until handled and
 *   for good after, a round's deadline and a membership's end once per day
 *   they fall on (`generateReminders`); a round without pending nominators
 *   makes none;
 * - handling: once, by a coordinator of the county (`checkHandling`);
 * - delivery: failed attempts wait `backoff · 2^(n-1)`, at most the maximum
 *   (`retryDelayMs`); errors are stored and logged with e-mail addresses
 *   masked (`maskAddresses`).
 */

/** Counties whose reminders the caller reads: null for every county (admin). */
export function reminderCounties(viewer: Viewer, asked: string | null): string[] | null {
  if (viewer.subject && viewer.role === ViewerRole.Admin) return asked ? [asked] : null;
  if (viewer.subject && viewer.role === ViewerRole.Coordinator) {
    if (asked && !viewer.counties.has(asked)) {
      const error = new ForbiddenError(`Not authorised to read the reminders of county ${asked}: role coordinator of counties [${[...viewer.counties].join(", ")}]`);
      error.extensions["county"] = asked;
      throw error;
    }
    return asked ? [asked] : [...viewer.counties];
  }
  throw new ForbiddenError(`Not authorised to read reminders: only an admin, or a coordinator of their counties (${viewer.role ? `role ${viewer.role}` : "a caller without a role"})`);
}

const NOTE_MAX = 2000;

/** A reminder is handled once; the note is at most 2000 characters. */
export function checkHandling(reminder: Reminder, note: string | null): void {
  if (reminder.handledAt) throw new BadUserInputError("id", `the reminder was already handled at ${reminder.handledAt.toISOString()}`);
  if (note !== null && note.length > NOTE_MAX) throw new BadUserInputError("note", `must be at most ${NOTE_MAX} characters`);
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

type Candidate = Pick<Reminder, "countyCode" | "kind" | "dedupeKey" | "subjectId" | "groupId" | "dueOn" | "summary">;

/** The reminders a county's alerts call for (reads only). */
export async function reminderCandidates(em: EntityManager, scope: AlertScope & { countyCode: string }): Promise<Candidate[]> {
  const [vacant, deputies, rounds, ending] = await Promise.all([
    vacantSeatsIn(em, scope),
    deputiesWithoutMember(em, scope),
    closingRoundsIn(em, scope),
    membershipsEnding(em, scope),
  ]);
  const groupIds = [...new Set([...vacant.map((v) => v.seat.groupId), ...deputies.map((m) => m.groupId), ...ending.map((m) => m.groupId)])];
  const groups = groupIds.length > 0 ? await findRows(em, CooperationGroup, whereIn<CooperationGroup>("id", groupIds)) : [];
  const nameOf = new Map(groups.map((g) => [g.id, g.name]));
  const county = scope.countyCode;
  return [
    ...vacant.map(({ seat, occupancy }) => ({
      countyCode: county, kind: ReminderKind.VACANT_SEAT, dedupeKey: `vacant_seat:${seat.id}`, subjectId: seat.id, groupId: seat.groupId, dueOn: scope.day,
      summary: `${nameOf.get(seat.groupId)}: seat "${seat.label}" has ${occupancy.vacantMemberPlaces === null ? "no member" : plural(occupancy.vacantMemberPlaces, "vacant member place", "vacant member places")}${occupancy.vacantDeputyPlaces ? ` and ${plural(occupancy.vacantDeputyPlaces, "vacant deputy place", "vacant deputy places")}` : ""} on ${scope.day}`,
    })),
    ...deputies.map((m) => ({
      countyCode: county, kind: ReminderKind.DEPUTY_WITHOUT_MEMBER, dedupeKey: `deputy_without_member:${m.id}:${m.deputyOfId ?? "none"}`, subjectId: m.id, groupId: m.groupId, dueOn: scope.day,
      summary: `${nameOf.get(m.groupId)}: a deputy stands in for no sitting member on ${scope.day}`,
    })),
    ...rounds
      .filter((r) => r.pending.length > 0)
      .map(({ round, pending }) => ({
        countyCode: county, kind: ReminderKind.ROUND_CLOSING, dedupeKey: `round_closing:${round.id}:${round.closesOn}`, subjectId: round.id, groupId: null, dueOn: round.closesOn,
        summary: `${round.name}: closes on ${round.closesOn}; ${plural(pending.length, "nominator has", "nominators have")} not answered`,
      })),
    ...ending.map((m) => ({
      countyCode: county, kind: ReminderKind.MEMBERSHIP_ENDING, dedupeKey: `membership_ending:${m.id}:${m.endsOn}`, subjectId: m.id, groupId: m.groupId, dueOn: m.endsOn!,
      summary: `${nameOf.get(m.groupId)}: a ${m.role.replace("_", " ")} membership ends on ${m.endsOn}`,
    })),
  ];
}

/**
 * Writes the reminders a county's alerts call for and has none yet; returns
 * the new rows. Give it the transaction's EntityManager: a request's
 * transaction audits the rows as the caller's.
 */
export async function generateReminders(tx: EntityManager, scope: AlertScope & { countyCode: string }, now = new Date()): Promise<Reminder[]> {
  await lockCountyReminders(tx, scope.countyCode);
  const candidates = await reminderCandidates(tx, scope);
  if (candidates.length === 0) return [];
  const existing = new Set((await tx.find(Reminder, { dedupeKey: { $in: candidates.map((c) => c.dedupeKey) } })).map((r) => r.dedupeKey));
  const created = candidates
    .filter((c) => !existing.has(c.dedupeKey))
    .map((c) => tx.create(Reminder, { ...c, id: randomUUID(), createdAt: now, attempts: 0 }));
  await tx.flush();
  return created;
}

/** Wait before the next attempt after `attempts` failed ones. */
export function retryDelayMs(attempts: number, backoffMs: number, backoffMaxMs: number): number {
  return Math.min(backoffMaxMs, backoffMs * 2 ** Math.max(0, Math.min(attempts - 1, 30)));
}

/** Text with every e-mail address masked (errors of SMTP servers often quote the recipient). */
export function maskAddresses(text: string): string {
  return text.replace(/[^\s<>"'(),;:]+@[^\s<>"'(),;:]+/g, "<address>");
}
