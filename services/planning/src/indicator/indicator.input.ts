import { IsInt, IsOptional, Length, Max, MaxLength, Min, ValidateNested } from "class-validator";
import { ProvenanceInput } from "@yhdyspinta/core";
import { Field, InputType, Int, ID } from "type-graphql";

@InputType("CreateIndicatorInput", { description: "A monitoring indicator's metadata (indicators are national: admins write them)." })
export class CreateIndicatorInput {
  @Field(() => Int, { nullable: true, description: "THL Sotkanet indicator id, where it is one (the id becomes \"sotkanet-<id>\"); one indicator per Sotkanet id." })
  @IsOptional()
  @IsInt()
  @Min(1, { message: "must be a positive Sotkanet id" })
  @Max(1_000_000, { message: "must be at most 1000000" })
  sotkanetId?: number | null;

  @Field(() => String, { description: "Name (Finnish, as the source gives it)." })
  @Length(1, 1000, { message: "must be 1–1000 characters" })
  name!: string;

  @Field(() => String, { nullable: true, description: "English name." })
  @IsOptional()
  @Length(1, 1000, { message: "must be 1–1000 characters" })
  nameEn?: string | null;

  @Field(() => String, { nullable: true, description: "Unit or value type, e.g. \"%\"." })
  @IsOptional()
  @Length(1, 100, { message: "must be 1–100 characters" })
  unit?: string | null;

  @Field(() => String, { description: "Where the values come from, e.g. \"THL Sotkanet\"." })
  @Length(1, 255, { message: "must be 1–255 characters" })
  source!: string;

  @Field(() => ProvenanceInput, { nullable: true, description: "Where the indicator is described." })
  @IsOptional()
  @ValidateNested()
  provenance?: ProvenanceInput | null;
}

@InputType("UpdateIndicatorInput", { description: "Changes to an indicator's metadata; omitted fields stay as they are, null clears an optional one. Once a Sotkanet sync has filled an indicator in, its names, unit and source are Sotkanet's and only the value they have passes, until a later sync (not a dry run) to which Sotkanet answers 404 detaches the indicator: then they are editable again." })
export class UpdateIndicatorInput {
  @Field(() => ID, { description: "The indicator." })
  @Length(1, 255)
  indicatorId!: string;

  @Field(() => String, { nullable: true, description: "Name (Finnish)." })
  @IsOptional()
  @Length(1, 1000, { message: "must be 1–1000 characters" })
  name?: string | null;

  @Field(() => String, { nullable: true, description: "English name." })
  @IsOptional()
  @MaxLength(1000, { message: "must be at most 1000 characters" })
  nameEn?: string | null;

  @Field(() => String, { nullable: true, description: "Unit or value type." })
  @IsOptional()
  @MaxLength(100, { message: "must be at most 100 characters" })
  unit?: string | null;

  @Field(() => String, { nullable: true, description: "Where the values come from." })
  @IsOptional()
  @Length(1, 255, { message: "must be 1–255 characters" })
  source?: string | null;

  @Field(() => ProvenanceInput, { nullable: true, description: "Where the indicator is described." })
  @IsOptional()
  @ValidateNested()
  provenance?: ProvenanceInput | null;
}
