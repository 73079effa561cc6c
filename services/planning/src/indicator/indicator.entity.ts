import { Entity, Index, PrimaryKey, Property, Unique } from "@mikro-orm/decorators/legacy";
import { Field, Float, ID, Int, ObjectType } from "type-graphql";
import { IndicatorRegionKind, IndicatorSex } from "./indicator-sex.ts";

/** A monitoring indicator, with its THL Sotkanet id where one exists. */
@Entity({ tableName: "indicator" })
@ObjectType("Indicator", { description: "A monitoring indicator of wellbeing, e.g. one of THL's Sotkanet indicators." })
export class Indicator {
  @PrimaryKey({ type: "string" })
  @Field(() => ID, { description: "Stable identifier; \"sotkanet-<id>\" for Sotkanet indicators." })
  id!: string;

  @Unique()
  @Property({ type: "integer", nullable: true })
  @Field(() => Int, { nullable: true, description: "THL Sotkanet indicator id; null for indicators not in Sotkanet." })
  sotkanetId: number | null = null;

  @Property({ type: "text" })
  @Field(() => String, { description: "Name (Finnish, as the source gives it)." })
  name!: string;

  @Property({ type: "text", nullable: true })
  @Field(() => String, { nullable: true, description: "English name, where the source gives one." })
  nameEn: string | null = null;

  @Property({ type: "string", nullable: true })
  @Field(() => String, { nullable: true, description: "Unit or value type of the primary value, e.g. \"lukumäärä\" or \"%\"." })
  unit: string | null = null;

  @Property({ type: "string" })
  @Field(() => String, { description: "Where the values come from, e.g. \"THL Sotkanet\"." })
  source!: string;

  // Synced from Sotkanet (indicator/sotkanet-sync.ts); GraphQL fields in sotkanet-sync.resolver.ts.
  @Property({ type: "text", nullable: true })
  nameSv: string | null = null;

  @Property({ type: "date", nullable: true })
  dataUpdatedOn: string | null = null;

  @Property({ type: "string", nullable: true })
  sourceRegister: string | null = null;

  @Property({ type: "text", nullable: true })
  sourceUrl: string | null = null;

  @Property({ type: "datetime", nullable: true })
  fetchedAt: Date | null = null;

  @Property({ type: "string", nullable: true })
  syncReportId: string | null = null;
}

/**
 * One value of an indicator for an area, year and sex. Unique on
 * (indicator, area, year, sex): the Sotkanet import upserts on it.
 */
@Entity({ tableName: "indicator_value" })
@Unique({ properties: ["indicatorId", "regionKind", "regionCode", "year", "sex"] })
@Index({ properties: ["regionKind", "regionCode", "year"] })
@ObjectType("IndicatorValue", { description: "A value of a monitoring indicator for one area, year and sex." })
export class IndicatorValue {
  @PrimaryKey({ type: "bigint", autoincrement: true })
  id!: string;

  @Property({ type: "string" })
  indicatorId!: string;

  @Property({ type: "string" })
  @Field(() => IndicatorRegionKind, { description: "Whether the value describes a municipality or a county." })
  regionKind!: IndicatorRegionKind;

  @Property({ type: "string", length: 3 })
  @Field(() => String, { description: "Code of the municipality (3 digits) or county (2 digits)." })
  regionCode!: string;

  @Property({ type: "integer", nullable: true })
  @Field(() => Int, { nullable: true, description: "The area's Sotkanet region id, where the value came from Sotkanet." })
  sotkanetRegionId: number | null = null;

  @Property({ type: "integer" })
  @Field(() => Int, { description: "Statistical year." })
  year!: number;

  @Property({ type: "string" })
  @Field(() => IndicatorSex, { description: "Which sex the value covers." })
  sex!: IndicatorSex;

  @Property({ type: "double", nullable: true })
  @Field(() => Float, { nullable: true, description: "The primary value (Sotkanet `value`); null when suppressed." })
  value: number | null = null;

  @Property({ type: "double", nullable: true })
  @Field(() => Float, { nullable: true, description: "The absolute value behind a rate (Sotkanet `absValue`), where given." })
  absoluteValue: number | null = null;

  // Synced from Sotkanet (indicator/sotkanet-sync.ts); GraphQL fields in sotkanet-sync.resolver.ts.
  @Property({ type: "string", nullable: true })
  sourceRegister: string | null = null;

  @Property({ type: "text", nullable: true })
  sourceUrl: string | null = null;

  @Property({ type: "datetime", nullable: true })
  fetchedAt: Date | null = null;

  @Property({ type: "string", nullable: true })
  syncReportId: string | null = null;
}
