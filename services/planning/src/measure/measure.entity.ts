import { Entity, Index, PrimaryKey, Property } from "@mikro-orm/decorators/legacy";
import { DateScalar } from "@yhdyspinta/core";
import { Directive, Field, ID, ObjectType } from "type-graphql";
import { MeasureStatus } from "./measure-status.ts";

/**
 * A measure (toimenpide) of a wellbeing plan or agreed in an annual
 * negotiation, with the organisations and groups responsible for it.
 */
@Entity({ tableName: "measure" })
@Index({ properties: ["organisationIds"], type: "gin" })
@Index({ properties: ["groupIds"], type: "gin" })
@ObjectType("Measure", {
  description: "A measure (toimenpide) of a wellbeing plan: what is done, by whom, when, and how it progresses.",
})
@Directive('@key(fields: "id")')
export class Measure {
  @PrimaryKey({ type: "string" })
  @Field(() => ID, { description: "Stable identifier." })
  id!: string;

  @Index()
  @Property({ type: "string", length: 2 })
  countyCode!: string;

  @Index()
  @Property({ type: "string", nullable: true })
  goalId: string | null = null;

  @Property({ type: "string" })
  @Field(() => String, { description: "Short title." })
  title!: string;

  @Property({ type: "text", nullable: true })
  @Field(() => String, { nullable: true, description: "What the measure involves." })
  description: string | null = null;

  @Property({ type: "date", nullable: true })
  @Field(() => DateScalar, { nullable: true, description: "Planned start." })
  startsOn: string | null = null;

  @Property({ type: "date", nullable: true })
  @Field(() => DateScalar, { nullable: true, description: "Planned end or deadline." })
  endsOn: string | null = null;

  @Property({ type: "string", nullable: true })
  @Field(() => String, { nullable: true, description: "Schedule as the plan words it when it gives no dates, e.g. \"annually in spring\"." })
  scheduleNote: string | null = null;

  @Property({ type: "string" })
  @Field(() => MeasureStatus, { description: "How far the measure has got." })
  status: MeasureStatus = MeasureStatus.PLANNED;

  /** Responsible organisations (organisations subgraph keys). */
  @Property({ type: "string[]" })
  organisationIds: string[] = [];

  /** Responsible cooperation groups (groups subgraph keys). */
  @Property({ type: "string[]" })
  groupIds: string[] = [];
}

/** A dated note on how a measure is progressing. */
@Entity({ tableName: "measure_progress_note" })
@ObjectType("MeasureProgressNote", { description: "A dated note on a measure's progress." })
export class MeasureProgressNote {
  @PrimaryKey({ type: "string" })
  @Field(() => ID, { description: "Stable identifier." })
  id!: string;

  @Index()
  @Property({ type: "string" })
  measureId!: string;

  @Property({ type: "date" })
  @Field(() => DateScalar, { description: "Date the note refers to." })
  notedOn!: string;

  @Property({ type: "text" })
  @Field(() => String, { description: "What has happened." })
  text!: string;
}
