import { ArrayMaxSize, IsInt, IsOptional, Length, Matches, Max, MaxLength, Min, ValidateNested } from "class-validator";
import { DateScalar, ProvenanceInput } from "@yhdyspinta/core";
import { Field, ID, InputType, Int } from "type-graphql";
import { PlanStatus } from "./plan-status.ts";

const TERM = /^\d{4}[–-]\d{4}$/;

@InputType("CreateWellbeingPlanInput", { description: "A new wellbeing report and plan of a county or of one of its municipalities." })
export class CreateWellbeingPlanInput {
  @Field(() => ID, { description: "2-digit code of the county whose plan it is, or of the municipality's county." })
  @Matches(/^\d{2}$/, { message: "must be a 2-digit county code" })
  countyCode!: string;

  @Field(() => ID, { nullable: true, description: "3-digit code of the municipality for a municipality's plan; left out for the county's own." })
  @IsOptional()
  @Matches(/^\d{3}$/, { message: "must be a 3-digit municipality code" })
  municipalityCode?: string | null;

  @Field(() => String, { description: "Title as published." })
  @Length(1, 255, { message: "must be 1–255 characters" })
  title!: string;

  @Field(() => String, { description: "Council term the plan covers, e.g. \"2025–2029\": one plan per county (or municipality) and term." })
  @Matches(TERM, { message: "must be a term like 2025–2029" })
  councilTerm!: string;

  @Field(() => PlanStatus, { nullable: true, description: "Draft or approved; DRAFT if not given." })
  @IsOptional()
  status?: PlanStatus | null;

  @Field(() => DateScalar, { nullable: true, description: "Date the council approved the plan: required for an approved plan, none for a draft." })
  @IsOptional()
  approvedOn?: string | null;

  @Field(() => String, { nullable: true, description: "Report part: the assessment of the population's wellbeing." })
  @IsOptional()
  @MaxLength(20_000, { message: "must be at most 20000 characters" })
  assessment?: string | null;

  @Field(() => [ID], { nullable: true, description: "Priority themes of the plan part (Theme ids of the county), in order." })
  @IsOptional()
  @ArrayMaxSize(50)
  priorityThemeIds?: string[] | null;

  @Field(() => ProvenanceInput, { nullable: true, description: "Where the plan is published." })
  @IsOptional()
  @ValidateNested()
  provenance?: ProvenanceInput | null;
}

@InputType("UpdateWellbeingPlanInput", { description: "Changes to a wellbeing plan; omitted fields stay as they are, null clears an optional one. Its county and municipality do not change." })
export class UpdateWellbeingPlanInput {
  @Field(() => ID, { description: "The plan." })
  @Length(1, 255)
  planId!: string;

  @Field(() => String, { nullable: true, description: "Title as published." })
  @IsOptional()
  @Length(1, 255, { message: "must be 1–255 characters" })
  title?: string | null;

  @Field(() => String, { nullable: true, description: "Council term, e.g. \"2025–2029\"." })
  @IsOptional()
  @Matches(TERM, { message: "must be a term like 2025–2029" })
  councilTerm?: string | null;

  @Field(() => PlanStatus, { nullable: true, description: "Draft or approved." })
  status?: PlanStatus | null;

  @Field(() => DateScalar, { nullable: true, description: "Date the council approved the plan." })
  approvedOn?: string | null;

  @Field(() => String, { nullable: true, description: "Report part: the assessment of the population's wellbeing." })
  @IsOptional()
  @MaxLength(20_000, { message: "must be at most 20000 characters" })
  assessment?: string | null;

  @Field(() => [ID], { nullable: true, description: "Priority themes (replaces the list), in order." })
  @IsOptional()
  @ArrayMaxSize(50)
  priorityThemeIds?: string[] | null;

  @Field(() => ProvenanceInput, { nullable: true, description: "Where the plan is published." })
  @IsOptional()
  @ValidateNested()
  provenance?: ProvenanceInput | null;
}

@InputType("AddWellbeingGoalInput", { description: "A goal in a plan's plan part." })
export class AddWellbeingGoalInput {
  @Field(() => ID, { description: "The plan." })
  @Length(1, 255)
  planId!: string;

  @Field(() => String, { description: "The goal as the plan states it." })
  @Length(1, 5000, { message: "must be 1–5000 characters" })
  text!: string;

  @Field(() => ID, { nullable: true, description: "The priority theme the goal is under (a Theme of the plan's county)." })
  @IsOptional()
  themeId?: string | null;

  @Field(() => Int, { nullable: true, description: "Position within the plan, from 1; last if not given. The goals after it move down." })
  @IsOptional()
  @IsInt()
  @Min(1, { message: "must be 1 or more" })
  @Max(1000, { message: "must be at most 1000" })
  position?: number | null;

  @Field(() => [ID], { nullable: true, description: "Monitoring indicators (Indicator ids)." })
  @IsOptional()
  @ArrayMaxSize(100)
  indicatorIds?: string[] | null;

  @Field(() => ProvenanceInput, { nullable: true, description: "Where the goal is stated." })
  @IsOptional()
  @ValidateNested()
  provenance?: ProvenanceInput | null;
}

@InputType("UpdateWellbeingGoalInput", { description: "Changes to a goal; omitted fields stay as they are, null clears an optional one." })
export class UpdateWellbeingGoalInput {
  @Field(() => ID, { description: "The goal." })
  @Length(1, 255)
  goalId!: string;

  @Field(() => String, { nullable: true, description: "The goal as the plan states it." })
  @IsOptional()
  @Length(1, 5000, { message: "must be 1–5000 characters" })
  text?: string | null;

  @Field(() => ID, { nullable: true, description: "The priority theme the goal is under." })
  themeId?: string | null;

  @Field(() => Int, { nullable: true, description: "New position within the plan, from 1; the goals in between move." })
  @IsOptional()
  @IsInt()
  @Min(1, { message: "must be 1 or more" })
  @Max(1000, { message: "must be at most 1000" })
  position?: number | null;

  @Field(() => [ID], { nullable: true, description: "Monitoring indicators (replaces the list)." })
  @IsOptional()
  @ArrayMaxSize(100)
  indicatorIds?: string[] | null;

  @Field(() => ProvenanceInput, { nullable: true, description: "Where the goal is stated." })
  @IsOptional()
  @ValidateNested()
  provenance?: ProvenanceInput | null;
}
