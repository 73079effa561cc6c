import { Entity, Index, PrimaryKey, Property, Unique } from "@mikro-orm/decorators/legacy";
import { DateScalar, DateTimeScalar } from "@yhdyspinta/core";
import { Directive, Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";

export enum ReminderKind {
  VACANT_SEAT = "vacant_seat",
  DEPUTY_WITHOUT_MEMBER = "deputy_without_member",
  ROUND_CLOSING = "round_closing",
  MEMBERSHIP_ENDING = "membership_ending",
}

registerEnumType(ReminderKind, {
  name: "ReminderKind",
  description: "Which alert a reminder comes from (see `groupAlerts`).",
  valuesConfig: {
    VACANT_SEAT: { description: "A seat with a place nobody holds." },
    DEPUTY_WITHOUT_MEMBER: { description: "A deputy whose member is not named or does not sit." },
    ROUND_CLOSING: { description: "A nomination round closing soon with nominators that have not answered." },
    MEMBERSHIP_ENDING: { description: "A membership whose last day is near." },
  },
});

/**
 * A row of the reminder outbox (README "Alerts and reminders"): one alert
 * once, by `dedupeKey` (a vacancy or a lone deputy once until handled, a
 * round's deadline and a membership's end once per day they fall on).
 * Coordinators list and mark rows handled (audited); the reminder job sends
 * unsent ones by e-mail where SMTP and the county's recipients are
 * configured. Delivery state (`sentAt`, `attempts`, `nextAttemptAt`,
 * `lastError`) is the job's bookkeeping; no e-mail address is stored.
 */
@Entity({ tableName: "reminder" })
@Index({ properties: ["countyCode", "dueOn"] })
@ObjectType("GroupReminder", { description: "A reminder in the outbox: an alert to act on, whether it was sent by e-mail and whether a coordinator has handled it." })
@Directive('@tag(name: "internal")')
export class Reminder {
  @PrimaryKey({ type: "string" })
  @Field(() => ID, { description: "Stable identifier." })
  id!: string;

  @Property({ type: "string", length: 2 })
  @Field(() => ID, { description: "The county whose alert it is." })
  countyCode!: string;

  @Property({ type: "string" })
  @Field(() => ReminderKind, { description: "Which alert it comes from." })
  kind!: ReminderKind;

  @Unique({ name: "reminder_dedupe_key_unique" })
  @Property({ type: "string" })
  dedupeKey!: string;

  @Property({ type: "string" })
  @Field(() => ID, { description: "The seat (VACANT_SEAT), membership (DEPUTY_WITHOUT_MEMBER, MEMBERSHIP_ENDING) or round (ROUND_CLOSING) it is about." })
  subjectId!: string;

  @Property({ type: "string", nullable: true })
  @Field(() => ID, { nullable: true, description: "The group it is about, if any." })
  groupId: string | null = null;

  @Property({ type: "date" })
  @Field(() => DateScalar, { description: "The day it is due: the deadline, the membership's last day, or the day a vacancy or lone deputy was found." })
  dueOn!: string;

  @Property({ type: "text" })
  @Field(() => String, { description: "What to do, in one line (no personal data)." })
  summary!: string;

  @Property({ type: "datetime", columnType: "timestamptz" })
  @Field(() => DateTimeScalar, { description: "When the row was generated." })
  createdAt!: Date;

  @Property({ type: "datetime", columnType: "timestamptz", nullable: true })
  @Field(() => DateTimeScalar, { nullable: true, description: "When a coordinator marked it handled; null while open." })
  handledAt: Date | null = null;

  @Property({ type: "string", nullable: true })
  @Field(() => String, { nullable: true, description: "Subject (token `sub`) of who marked it handled." })
  handledBy: string | null = null;

  @Property({ type: "text", nullable: true })
  @Field(() => String, { nullable: true, description: "The coordinator's note on handling it." })
  handledNote: string | null = null;

  @Property({ type: "datetime", columnType: "timestamptz", nullable: true })
  @Field(() => DateTimeScalar, { nullable: true, description: "When the reminder e-mail was accepted by the SMTP server; null while unsent." })
  sentAt: Date | null = null;

  @Property({ type: "integer" })
  @Field(() => Int, { description: "Delivery attempts so far." })
  attempts: number = 0;

  @Property({ type: "datetime", columnType: "timestamptz", nullable: true })
  @Field(() => DateTimeScalar, { nullable: true, description: "Earliest time of the next delivery attempt after a failure." })
  nextAttemptAt: Date | null = null;

  @Property({ type: "text", nullable: true })
  @Field(() => String, { nullable: true, description: "Why the last attempt failed (e-mail addresses masked); null after a success." })
  lastError: string | null = null;
}
