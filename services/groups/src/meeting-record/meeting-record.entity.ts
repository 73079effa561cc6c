import { Entity, Index, PrimaryKey, Property } from "@mikro-orm/decorators/legacy";
import { Directive, Field, ObjectType } from "type-graphql";

/** Whether a person attended a meeting, as the minutes record it. */
@Entity({ tableName: "meeting_attendance" })
@Index({ properties: ["personId"] })
@Directive('@tag(name: "personal")')
@ObjectType("MeetingAttendance", { description: "A person the minutes list for a meeting: present or absent, and on whose behalf." })
export class MeetingAttendance {
  @PrimaryKey({ type: "string" })
  meetingId!: string;

  @PrimaryKey({ type: "string" })
  personId!: string;

  @Property({ type: "string", nullable: true })
  organisationId: string | null = null;

  @Property({ type: "boolean" })
  @Field(() => Boolean, { description: "Present (läsnä); false: listed as absent (poissa)." })
  present!: boolean;

  @Property({ type: "integer" })
  ordinal: number = 0;
}
