import {
  assertCanWriteCounty,
  connectionTypes,
  DateScalar,
  decodeCursor,
  findRows,
  NotFoundError,
  pageSize,
  Scope,
  toConnection,
} from "@yhdyspinta/core";
import type { FilterQuery } from "@mikro-orm/postgresql";
import { LockMode } from "@mikro-orm/core";
import { Arg, Authorized, Ctx, Directive, ID, Int, Mutation, Query, Resolver } from "type-graphql";
import { alertScope, DEFAULT_WITHIN_DAYS, MAX_WITHIN_DAYS } from "../alerts/alerts.rules.ts";
import type { Context } from "../context.ts";
import { Reminder } from "./reminder.entity.ts";
import { checkHandling, generateReminders, reminderCounties } from "./reminder.rules.ts";

export const { ConnectionType: GroupReminderConnection } = connectionTypes(Reminder, "GroupReminder", "reminder");

/**
 * The reminder outbox (README "Alerts and reminders"): coordinators list
 * their counties' reminders, generate them from the alerts on demand and mark
 * them handled; the reminder job (reminder.worker.ts) generates and e-mails.
 */
@Resolver(() => Reminder)
export class ReminderResolver {
  @Query(() => GroupReminderConnection, {
    description: "Reminders of the outbox by due day, a page at a time: an admin's of every county, a coordinator's of their counties; others FORBIDDEN.",
  })
  @Directive('@tag(name: "internal")')
  async groupReminders(
    @Arg("countyCode", () => ID, { nullable: true, description: "Only this county's (a coordinator: one of theirs)." }) countyCode: string | null,
    @Arg("handled", () => Boolean, { nullable: true, description: "True: only handled ones; false: only open ones; omitted: both." }) handled: boolean | null,
    @Arg("first", () => Int, { nullable: true, description: "Page size, 1–500 (default 50)." }) first: number | null,
    @Arg("after", () => String, { nullable: true, description: "`endCursor` of the previous page." }) after: string | null,
    @Ctx() { em, viewer }: Context,
  ) {
    const counties = reminderCounties(viewer, countyCode);
    const limit = pageSize(first);
    const cursor = decodeCursor(after, 2);
    const where: FilterQuery<Reminder>[] = [];
    if (counties) where.push({ countyCode: { $in: counties } });
    if (handled === true) where.push({ handledAt: { $ne: null } });
    if (handled === false) where.push({ handledAt: null });
    const base: FilterQuery<Reminder> = where.length > 0 ? { $and: where } : {};
    const page: FilterQuery<Reminder> = cursor
      ? { $and: [...where, { $or: [{ dueOn: { $gt: String(cursor[0]) } }, { dueOn: String(cursor[0]), id: { $gt: String(cursor[1]) } }] }] }
      : base;
    const [rows, total] = await Promise.all([
      findRows(em, Reminder, page, { dueOn: "asc", id: "asc" }, { limit: limit + 1 }),
      em.count(Reminder, base),
    ]);
    return toConnection(rows, limit, total, (r) => [r.dueOn, r.id], cursor !== null);
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => [Reminder], {
    description: "Writes the reminders a county's alerts call for on a day and has none yet (each alert once); returns the new ones. Needs `data:write` and a role for the county.",
  })
  @Directive('@tag(name: "internal")')
  async generateReminders(
    @Arg("countyCode", () => ID, { description: "The county." }) countyCode: string,
    @Arg("activeOn", () => DateScalar, { nullable: true, description: "Day of the alerts; default today in Helsinki." }) activeOn: string | null,
    @Arg("withinDays", () => Int, { nullable: true, description: `Look-ahead, 0–${MAX_WITHIN_DAYS} days (default ${DEFAULT_WITHIN_DAYS}).` }) withinDays: number | null,
    @Ctx() { em, viewer }: Context,
  ): Promise<Reminder[]> {
    const scope = alertScope(countyCode, activeOn, withinDays);
    assertCanWriteCounty(viewer, countyCode);
    return await em.transactional(async (tx) => await generateReminders(tx, { ...scope, countyCode }));
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => Reminder, { description: "Marks a reminder handled (once), with a note; it is then no longer sent. Needs `data:write` and a role for its county." })
  @Directive('@tag(name: "internal")')
  async markReminderHandled(
    @Arg("id", () => ID, { description: "The reminder." }) id: string,
    @Arg("note", () => String, { nullable: true, description: "What was done, at most 2000 characters." }) note: string | null,
    @Ctx() { em, viewer }: Context,
  ): Promise<Reminder> {
    return await em.transactional(async (tx) => {
      const reminder = await tx.findOne(Reminder, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!reminder) throw new NotFoundError("GroupReminder", id);
      assertCanWriteCounty(viewer, reminder.countyCode);
      checkHandling(reminder, note);
      reminder.handledAt = new Date();
      reminder.handledBy = viewer.subject;
      reminder.handledNote = note;
      return reminder;
    });
  }
}
