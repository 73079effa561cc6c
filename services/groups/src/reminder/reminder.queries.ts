import type { EntityManager } from "@mikro-orm/postgresql";
import { mapRows } from "@yhdyspinta/core";
import { Reminder } from "./reminder.entity.ts";

/** lockCountyReminders: one generation of a county's reminders at a time (transaction-scoped advisory lock). Give it the transaction's EntityManager. */
export async function lockCountyReminders(tx: EntityManager, countyCode: string): Promise<void> {
  await tx.execute(`/* lockCountyReminders */ select pg_advisory_xact_lock(hashtext(?))`, [`reminders:${countyCode}`]);
}

/**
 * claimDueReminder: the oldest unsent, unhandled reminder of these counties
 * whose next attempt is due, row-locked until the transaction ends (another
 * worker skips it). Give it the transaction's EntityManager.
 */
export async function claimDueReminder(tx: EntityManager, countyCodes: readonly string[]): Promise<Reminder | null> {
  if (countyCodes.length === 0) return null;
  const rows: Record<string, unknown>[] = await tx.execute(
    `/* claimDueReminder */
     select * from reminder
     where sent_at is null and handled_at is null and county_code in (?) and (next_attempt_at is null or next_attempt_at <= now())
     order by created_at, id limit 1 for update skip locked`,
    [[...countyCodes]],
  );
  return mapRows(tx, Reminder, rows)[0] ?? null;
}

/** recordReminderSent: the SMTP server accepted the reminder. */
export async function recordReminderSent(tx: EntityManager, id: string): Promise<void> {
  await tx.execute(
    `/* recordReminderSent */ update reminder set sent_at = now(), attempts = attempts + 1, last_error = null, next_attempt_at = null where id = ?`,
    [id],
  );
}

/** recordReminderFailure: an attempt failed; try again from `next`. */
export async function recordReminderFailure(tx: EntityManager, id: string, error: string, next: Date): Promise<void> {
  await tx.execute(
    `/* recordReminderFailure */ update reminder set attempts = attempts + 1, last_error = ?, next_attempt_at = ? where id = ?`,
    [error, next, id],
  );
}
