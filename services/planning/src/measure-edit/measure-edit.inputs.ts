import { ArrayMaxSize, IsOptional, Length, MaxLength } from "class-validator";
import { DateScalar } from "@yhdyspinta/core";
import { Field, ID, InputType } from "type-graphql";
import { MeasureStatus } from "../measure/measure-status.ts";

@InputType("UpdateMeasureInput", { description: "Changes to a measure; omitted fields stay as they are, null clears an optional one. The county does not change." })
export class UpdateMeasureInput {
  @Field(() => ID, { description: "The measure." })
  @Length(1, 255)
  measureId!: string;

  @Field(() => ID, { nullable: true, description: "Goal of a wellbeing plan the measure pursues." })
  @IsOptional()
  goalId?: string | null;

  @Field(() => String, { nullable: true, description: "Short title." })
  @IsOptional()
  @Length(1, 255, { message: "must be 1–255 characters" })
  title?: string | null;

  @Field(() => String, { nullable: true, description: "What the measure involves." })
  @IsOptional()
  @MaxLength(10_000, { message: "must be at most 10000 characters" })
  description?: string | null;

  @Field(() => DateScalar, { nullable: true, description: "Planned start." })
  startsOn?: string | null;

  @Field(() => DateScalar, { nullable: true, description: "Planned end or deadline; not before the start." })
  endsOn?: string | null;

  @Field(() => String, { nullable: true, description: "Schedule in words when there are no dates." })
  @IsOptional()
  @MaxLength(255, { message: "must be at most 255 characters" })
  scheduleNote?: string | null;

  @Field(() => MeasureStatus, { nullable: true, description: "Status." })
  status?: MeasureStatus | null;

  @Field(() => [ID], { nullable: true, description: "Responsible organisations (replaces the list)." })
  @IsOptional()
  @ArrayMaxSize(200)
  organisationIds?: string[] | null;

  @Field(() => [ID], { nullable: true, description: "Responsible cooperation groups (replaces the list)." })
  @IsOptional()
  @ArrayMaxSize(200)
  groupIds?: string[] | null;
}
