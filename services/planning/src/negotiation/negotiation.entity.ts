import { Entity, Index, PrimaryKey, Property } from "@mikro-orm/decorators/legacy";
import { DateScalar } from "@yhdyspinta/core";
import { Field, ID, Int, ObjectType } from "type-graphql";

/**
 * One held annual negotiation (612/2021 7 § 4 mom.): the county, its
 * municipalities and other health-promotion actors agree on goals, measures,
 * cooperation and monitoring. Only negotiations a source dates are recorded.
 */
@Entity({ tableName: "annual_negotiation" })
@Index({ name: "annual_negotiation_county_held_on_unique", expression: 'create unique index "annual_negotiation_county_held_on_unique" on "annual_negotiation" ("county_code", "held_on")' })
@Index({ properties: ["groupIds"], type: "gin" })
@ObjectType("AnnualNegotiation", {
  description: "A held annual negotiation on health and wellbeing promotion (612/2021 7 §) between a county, its municipalities and other actors.",
})
export class AnnualNegotiation {
  @PrimaryKey({ type: "string" })
  @Field(() => ID, { description: "Stable identifier." })
  id!: string;

  @Index()
  @Property({ type: "string", length: 2 })
  countyCode!: string;

  @Property({ type: "date" })
  @Field(() => DateScalar, { description: "Date of the negotiation." })
  heldOn!: string;

  @Property({ type: "string" })
  @Field(() => String, { description: "Title, e.g. \"Hyte-neuvottelu 2025\"." })
  title!: string;

  @Property({ type: "text", nullable: true })
  @Field(() => String, { nullable: true, description: "What was agreed on cooperation and monitoring, in words." })
  summary: string | null = null;

  /** Participating organisations, municipalities included (organisations subgraph keys). */
  @Property({ type: "string[]" })
  organisationIds: string[] = [];

  /** Participating cooperation groups (groups subgraph keys). */
  @Property({ type: "string[]" })
  groupIds: string[] = [];

  @Property({ type: "string[]" })
  goalIds: string[] = [];

  @Property({ type: "string[]" })
  measureIds: string[] = [];
}

/**
 * A county's standing arrangement for the annual negotiation, as its
 * documents describe it: the legal basis, how often, who takes part and what
 * it agrees. Recorded where a source states it even when no dated
 * negotiation is known.
 */
@Entity({ tableName: "annual_negotiation_practice" })
@ObjectType("AnnualNegotiationPractice", {
  description: "How a county arranges the annual health and wellbeing promotion negotiation required by 612/2021 7 §.",
})
export class AnnualNegotiationPractice {
  @PrimaryKey({ type: "string", length: 2 })
  countyCode!: string;

  @Property({ type: "string" })
  @Field(() => String, { description: "Legal basis, e.g. \"612/2021 7 § 4 mom.\"." })
  legalBasis!: string;

  @Property({ type: "integer" })
  @Field(() => Int, { description: "Minimum number of negotiations a year." })
  timesPerYear!: number;

  @Property({ type: "text" })
  @Field(() => String, { description: "Who takes part, as the source says (Finnish)." })
  participants!: string;

  @Property({ type: "text" })
  @Field(() => String, { description: "What the negotiation agrees on, as the source says (Finnish)." })
  agenda!: string;

  @Property({ type: "text", nullable: true })
  @Field(() => String, { nullable: true, description: "Other meetings between negotiations, as the source says (Finnish)." })
  otherMeetings: string | null = null;

  @Property({ type: "string" })
  @Field(() => String, { description: "The document this arrangement is taken from." })
  source!: string;

  /** Cooperation groups through which the negotiation is held or which take part. */
  @Property({ type: "string[]" })
  groupIds: string[] = [];
}
