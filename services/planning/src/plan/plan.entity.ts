import { Entity, Index, PrimaryKey, Property } from "@mikro-orm/decorators/legacy";
import { DateScalar } from "@yhdyspinta/core";
import { Directive, Field, ID, Int, ObjectType } from "type-graphql";
import { PlanStatus } from "./plan-status.ts";

/**
 * A wellbeing report and plan (hyvinvointikertomus ja -suunnitelma) of a
 * county or a municipality for a council term (612/2021 6–7 §). The report
 * part assesses the population's wellbeing; the plan part is laid out as
 * priority theme → goals → measures → responsible actors → indicators.
 */
@Entity({ tableName: "wellbeing_plan" })
@Index({ name: "wellbeing_plan_term_unique", expression: 'create unique index "wellbeing_plan_term_unique" on "wellbeing_plan" ("county_code", coalesce("municipality_code", \'\'), "council_term")' })
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

  /** The county of a county's plan, or the county of a municipality's plan. */
  @Index()
  @Property({ type: "string", length: 2, nullable: true })
  countyCode: string | null = null;

  /** Set for a municipality's plan only. */
  @Index()
  @Property({ type: "string", length: 3, nullable: true })
  municipalityCode: string | null = null;

  @Property({ type: "string" })
  @Field(() => String, { description: "Council term the plan covers, e.g. \"2025–2029\"." })
  councilTerm!: string;

  @Property({ type: "string" })
  @Field(() => PlanStatus, { description: "Draft or approved." })
  status!: PlanStatus;

  @Property({ type: "date", nullable: true })
  @Field(() => DateScalar, { nullable: true, description: "Date the council approved the plan; null while a draft." })
  approvedOn: string | null = null;

  @Property({ type: "text", nullable: true })
  @Field(() => String, {
    nullable: true,
    description: "Report part (kertomusosa): the assessment of the population's wellbeing, health and services, as summarised in the plan.",
  })
  assessment: string | null = null;

  /** Priority themes of the plan part, in the plan's order (none by default, also for rows written with SQL). */
  @Property({ type: "string[]", defaultRaw: "'{}'" })
  priorityThemeIds: string[] = [];
}

/** A goal of a plan's plan part, under one of its priority themes. */
@Entity({ tableName: "wellbeing_goal" })
@ObjectType("WellbeingGoal", { description: "A goal in the plan part of a wellbeing report and plan, under a priority theme." })
export class WellbeingGoal {
  @PrimaryKey({ type: "string" })
  @Field(() => ID, { description: "Stable identifier." })
  id!: string;

  @Index()
  @Property({ type: "string" })
  planId!: string;

  @Property({ type: "string", nullable: true })
  themeId: string | null = null;

  @Property({ type: "integer" })
  @Field(() => Int, { description: "Position within the plan, from 1." })
  position!: number;

  @Property({ type: "text" })
  @Field(() => String, { description: "The goal as the plan states it." })
  text!: string;

  /** Monitoring indicators (Indicator ids) the plan names for this goal. */
  @Property({ type: "string[]" })
  indicatorIds: string[] = [];
}
