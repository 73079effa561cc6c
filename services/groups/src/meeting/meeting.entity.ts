import type { Opt } from "@mikro-orm/core";
import { Entity, Index, PrimaryKey, Property } from "@mikro-orm/decorators/legacy";
import { Field, ID, ObjectType, registerEnumType } from "type-graphql";
import { DateTimeScalar } from "@yhdyspinta/core";

export enum MeetingKind {
  ORGANISING = "organising",
  REGULAR = "regular",
  ANNUAL_NEGOTIATION = "annual_negotiation",
}

registerEnumType(MeetingKind, {
  name: "MeetingKind",
  description: "What sort of meeting it is.",
  valuesConfig: {
    ORGANISING: { description: "Järjestäytymiskokous: a new composition's first meeting." },
    REGULAR: { description: "A regular meeting (tapaaminen, kokous)." },
    ANNUAL_NEGOTIATION: { description: "The annual negotiation on health-promotion goals and measures (612/2021 7 §)." },
  },
});

@Entity({ tableName: "meeting" })
@Index({ name: "meeting_group_starts_at_unique", expression: 'create unique index "meeting_group_starts_at_unique" on "meeting" ("group_id", "starts_at")' })
@ObjectType("GroupMeeting", { description: "A meeting of a group (Popolo Event), with times in Europe/Helsinki." })
export class Meeting {
  @PrimaryKey({ type: "string" })
  @Field(() => ID, { description: "Stable identifier." })
  id!: string;

  @Index()
  @Property({ type: "string" })
  groupId!: string;

  @Property({ type: "string" })
  @Field(() => MeetingKind, { description: "What sort of meeting it is." })
  kind!: MeetingKind;

  @Property({ type: "string", nullable: true })
  @Field(() => String, { nullable: true, description: "Title, e.g. `Järjestäytymiskokous`." })
  title: string | null = null;

  @Index()
  @Property({ type: "datetime", columnType: "timestamptz" })
  @Field(() => DateTimeScalar, { description: "Start, ISO 8601 with the Helsinki offset, e.g. 2023-12-19T14:00:00+02:00." })
  startsAt!: Date;

  @Property({ type: "datetime", columnType: "timestamptz", nullable: true })
  @Field(() => DateTimeScalar, { nullable: true, description: "End, ISO 8601 with the Helsinki offset; null if not stated." })
  endsAt: Date | null = null;

  @Property({ type: "string", nullable: true })
  @Field(() => String, { nullable: true, description: "Where the meeting is held; null if not stated." })
  location: string | null = null;

  @Property({ type: "json" })
  @Field(() => [String], { description: "Agenda items in order; empty if none is recorded." })
  agenda: string[] = [];

  @Property({ type: "string", length: 500, nullable: true })
  @Field(() => String, { nullable: true, description: "Where the minutes (pöytäkirja, muistio) are kept: an https URL or a document reference; null until recorded." })
  minutesRef: string | null = null;

  @Property({ type: "json", defaultRaw: "'[]'" })
  @Field(() => [String], { description: "Decisions and outcomes (päätökset) in the minutes' order; empty until recorded." })
  decisions: Opt<string[]> = [];

  @Property({ type: "datetime", columnType: "timestamptz", nullable: true })
  @Field(() => DateTimeScalar, { nullable: true, description: "When the minutes and outcomes were last recorded; null until then." })
  minutesRecordedAt: Date | null = null;
}
