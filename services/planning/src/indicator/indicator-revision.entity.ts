import { Entity, Index, PrimaryKey, Property } from "@mikro-orm/decorators/legacy";
import { Field, Float, ObjectType } from "type-graphql";
import { InstantScalar } from "@yhdyspinta/core";

/**
 * A value an indicator value had before THL revised it: kept when a Sotkanet
 * sync replaces the value, with the provenance it had.
 */
@Entity({ tableName: "indicator_value_revision" })
@Index({ properties: ["indicatorValueId"] })
@ObjectType("IndicatorValueRevision", { description: "An earlier value of an indicator value, kept when the source revised it." })
export class IndicatorValueRevision {
  @PrimaryKey({ type: "bigint", autoincrement: true })
  id!: string;

  @Property({ type: "bigint" })
  indicatorValueId!: string;

  @Property({ type: "double", nullable: true })
  @Field(() => Float, { nullable: true, description: "The value before the revision; null when it was suppressed." })
  value: number | null = null;

  @Property({ type: "double", nullable: true })
  @Field(() => Float, { nullable: true, description: "The absolute value before the revision, where given." })
  absoluteValue: number | null = null;

  @Property({ type: "string", nullable: true })
  sourceRegister: string | null = null;

  @Property({ type: "text", nullable: true })
  sourceUrl: string | null = null;

  @Property({ type: "datetime", nullable: true })
  @Field(() => InstantScalar, { nullable: true, description: "When the earlier value had been fetched; null for a value imported from a file." })
  fetchedAt: Date | null = null;

  @Property({ type: "string", nullable: true })
  syncReportId: string | null = null;

  @Property({ type: "datetime" })
  @Field(() => InstantScalar, { description: "When the revised value replaced it." })
  replacedAt!: Date;

  @Property({ type: "string", nullable: true })
  replacedBySyncReportId: string | null = null;
}
