import { Entity, Index, PrimaryKey, Property } from "@mikro-orm/decorators/legacy";
import { DateScalar } from "@yhdyspinta/core";
import { Field, ID, Int, ObjectType } from "type-graphql";
import { DecimalScalar } from "../scalars/decimal.ts";

@ObjectType("GrantPrinciple", { description: "A principle by which a county awards grants to associations." })
export class GrantPrinciple {
  @Field(() => Int, { description: "Position in the programme's list, from 1." })
  number!: number;

  @Field(() => String, { description: "The principle, verbatim from the source (Finnish)." })
  text!: string;

  @Field(() => String, { description: "The principle in English (a translation made for this dataset)." })
  textEn!: string;
}

/** A county's programme of grants for associations, with its principles. */
@Entity({ tableName: "grant_programme" })
@Index({ name: "grant_programme_county_name_unique", expression: 'create unique index "grant_programme_county_name_unique" on "grant_programme" ("county_code", lower("name"))' })
@ObjectType("GrantProgramme", { description: "A wellbeing services county's programme of grants (avustukset) for associations." })
export class GrantProgramme {
  @PrimaryKey({ type: "string" })
  @Field(() => ID, { description: "Stable identifier." })
  id!: string;

  @Index()
  @Property({ type: "string", length: 2 })
  countyCode!: string;

  @Property({ type: "string" })
  @Field(() => String, { description: "Name of the programme." })
  name!: string;

  @Property({ type: "date", nullable: true })
  @Field(() => DateScalar, { nullable: true, description: "Date from which the county awards these grants." })
  startedOn: string | null = null;

  @Property({ type: "date", nullable: true })
  @Field(() => DateScalar, { nullable: true, description: "Last day of the programme; null while it runs. No grants are awarded for a year after it." })
  endedOn: string | null = null;

  @Property({ type: "json" })
  @Field(() => [GrantPrinciple], { description: "The principles grants are awarded by." })
  principles!: GrantPrinciple[];

  @Property({ type: "string" })
  @Field(() => String, { description: "The document the principles are taken from." })
  source!: string;
}

/** A grant awarded to an organisation; the amount is an exact `numeric(14,2)`. */
@Entity({ tableName: "grant_award" })
@ObjectType("GrantAward", { description: "A grant awarded to an organisation under a county's grant programme." })
export class GrantAward {
  @PrimaryKey({ type: "string" })
  @Field(() => ID, { description: "Stable identifier." })
  id!: string;

  @Index()
  @Property({ type: "string" })
  programmeId!: string;

  @Index()
  @Property({ type: "string" })
  organisationId!: string;

  @Property({ type: "decimal", precision: 14, scale: 2 })
  @Field(() => DecimalScalar, { description: "Amount in euros, exact to the cent, e.g. \"1234567.89\"." })
  amount!: string;

  @Property({ type: "integer" })
  @Field(() => Int, { description: "Year the grant is for." })
  year!: number;

  @Property({ type: "text" })
  @Field(() => String, { description: "What the grant is for." })
  purpose!: string;

  @Property({ type: "string", nullable: true })
  themeId: string | null = null;
}
