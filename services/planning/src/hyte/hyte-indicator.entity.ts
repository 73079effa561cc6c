import { Entity, Index, PrimaryKey, Property, Unique } from "@mikro-orm/decorators/legacy";
import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";

/** Whose funding a HYTE indicator set decides. */
export enum HyteLevel {
  COUNTY = "county",
  MUNICIPALITY = "municipality",
}

/** A HYTE indicator measures what is done (process) or what comes of it (outcome). */
export enum HyteIndicatorKind {
  PROCESS = "process",
  OUTCOME = "outcome",
}

/** Which way of an indicator's value is better. */
export enum BetterDirection {
  HIGHER = "higher",
  LOWER = "lower",
}

registerEnumType(HyteLevel, {
  name: "HyteLevel",
  description: "Whose state funding a HYTE indicator set decides.",
  valuesConfig: {
    COUNTY: { description: "Wellbeing services counties (hyte-kerroin, Act 617/2021)." },
    MUNICIPALITY: { description: "Municipalities (the wellbeing-promotion supplement of the state share)." },
  },
});
registerEnumType(HyteIndicatorKind, {
  name: "HyteIndicatorKind",
  description: "Process (what is done) or outcome (what comes of it).",
  valuesConfig: { PROCESS: { description: "Measures activity, e.g. a vaccination coverage." }, OUTCOME: { description: "Measures wellbeing or health, e.g. hip fractures." } },
});
registerEnumType(BetterDirection, {
  name: "BetterDirection",
  description: "Which way of the value is better.",
  valuesConfig: { HIGHER: { description: "A higher value is better." }, LOWER: { description: "A lower value is better." } },
});

/**
 * One indicator of a HYTE indicator set: the indicators that decide part of
 * a county's or municipality's state funding in a funding year, imported
 * from a file (THL publishes them as reports, not as an API).
 */
@Entity({ tableName: "hyte_indicator" })
@Unique({ properties: ["fundingYear", "level", "code"] })
@Index({ properties: ["sotkanetId"] })
@ObjectType("HyteIndicator", { description: "An indicator of a HYTE indicator set: one that decides part of a county's or municipality's state funding in a funding year." })
export class HyteIndicator {
  @PrimaryKey({ type: "string" })
  @Field(() => ID, { description: "Stable identifier: \"hyte-<funding year>-<level>-<code>\"." })
  id!: string;

  @Property({ type: "integer" })
  @Field(() => Int, { description: "Funding year the set applies to." })
  fundingYear!: number;

  @Property({ type: "string" })
  @Field(() => HyteLevel, { description: "County or municipality funding." })
  level!: HyteLevel;

  @Property({ type: "string" })
  @Field(() => String, { description: "Short code of the indicator within its set, e.g. \"mmr-vaccination\"." })
  code!: string;

  @Property({ type: "text" })
  @Field(() => String, { description: "Name (Finnish)." })
  name!: string;

  @Property({ type: "string" })
  @Field(() => HyteIndicatorKind, { description: "Process or outcome indicator." })
  kind!: HyteIndicatorKind;

  @Property({ type: "string" })
  @Field(() => BetterDirection, { description: "Which way of the value is better." })
  betterDirection!: BetterDirection;

  @Property({ type: "integer", nullable: true })
  @Field(() => Int, { nullable: true, description: "THL Sotkanet indicator id, where the indicator is in Sotkanet." })
  sotkanetId: number | null = null;

  @Property({ type: "text" })
  @Field(() => String, { description: "Where the set's row comes from (the imported file's source column)." })
  source!: string;
}
