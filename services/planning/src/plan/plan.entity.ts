import { Entity, Index, PrimaryKey, Property } from "@mikro-orm/decorators/legacy";
import { Directive, Field, ID, ObjectType } from "type-graphql";
import { PlanStatus } from "./plan-status.ts";

/**
 * A wellbeing report and plan (hyvinvointikertomus ja -suunnitelma) of a
 * county or a municipality for a council term (612/2021 6–7 §).
 */
@Entity({ tableName: "wellbeing_plan" })
@ObjectType("WellbeingPlan", {
  description: "A wellbeing report and plan (hyvinvointikertomus ja -suunnitelma) of a county or a municipality for a council term.",
})
@Directive('@key(fields: "id")')
export class WellbeingPlan {
  @PrimaryKey({ type: "string" })
  @Field(() => ID, { description: "Stable identifier." })
  id!: string;

  @Property({ type: "string" })
  @Field(() => String, { description: "Title as published." })
  title!: string;

  @Index()
  @Property({ type: "string", length: 2, nullable: true })
  countyCode: string | null = null;

  @Index()
  @Property({ type: "string", length: 3, nullable: true })
  municipalityCode: string | null = null;

  @Property({ type: "string" })
  @Field(() => String, { description: "Council term the plan covers, e.g. \"2025–2029\"." })
  councilTerm!: string;

  @Property({ type: "string" })
  @Field(() => PlanStatus, { description: "Draft or approved." })
  status!: PlanStatus;
}
