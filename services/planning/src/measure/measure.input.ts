import { IsOptional, Length, Matches, MaxLength } from "class-validator";
import { DateScalar } from "@yhdyspinta/core";
import { Field, ID, InputType } from "type-graphql";
import { MeasureStatus } from "./measure-status.ts";

@InputType("CreateMeasureInput", { description: "A new measure of a wellbeing plan." })
export class CreateMeasureInput {
  @Field(() => ID, { description: "2-digit code of the county the measure belongs to." })
  @Matches(/^\d{2}$/, { message: "must be a 2-digit county code" })
  countyCode!: string;

  @Field(() => ID, { nullable: true, description: "Goal of a wellbeing plan the measure pursues." })
  @IsOptional()
  goalId?: string | null;

  @Field(() => String, { description: "Short title." })
  @Length(1, 255, { message: "must be 1–255 characters" })
  title!: string;

  @Field(() => String, { nullable: true, description: "What the measure involves." })
  @IsOptional()
  @MaxLength(10_000, { message: "must be at most 10000 characters" })
  description?: string | null;

  @Field(() => DateScalar, { nullable: true, description: "Planned start." })
  @IsOptional()
  startsOn?: string | null;

  @Field(() => DateScalar, { nullable: true, description: "Planned end or deadline; not before the start." })
  @IsOptional()
  endsOn?: string | null;

  @Field(() => String, { nullable: true, description: "Schedule in words when there are no dates." })
  @IsOptional()
  @MaxLength(255, { message: "must be at most 255 characters" })
  scheduleNote?: string | null;

  @Field(() => MeasureStatus, { nullable: true, description: "Status; PLANNED if not given." })
  @IsOptional()
  status?: MeasureStatus | null;

  @Field(() => [ID], { nullable: true, description: "Responsible organisations (Organisation ids)." })
  @IsOptional()
  organisationIds?: string[] | null;

  @Field(() => [ID], { nullable: true, description: "Responsible cooperation groups (CooperationGroup ids)." })
  @IsOptional()
  groupIds?: string[] | null;
}

@InputType("AddMeasureProgressNoteInput", { description: "A dated progress note on a measure." })
export class AddMeasureProgressNoteInput {
  @Field(() => ID, { description: "The measure." })
  measureId!: string;

  @Field(() => DateScalar, { description: "Date the note refers to." })
  notedOn!: string;

  @Field(() => String, { description: "What has happened." })
  @Length(1, 10_000, { message: "must be 1–10000 characters" })
  text!: string;
}
