import { ArrayMaxSize, IsInt, IsOptional, Length, Matches, Max, Min, ValidateNested } from "class-validator";
import { ProvenanceInput } from "@yhdyspinta/core";
import { Field, ID, InputType, Int } from "type-graphql";

@InputType("CreateThemeInput", { description: "A new shared wellbeing theme of a county." })
export class CreateThemeInput {
  @Field(() => ID, { description: "2-digit code of the county." })
  @Matches(/^\d{2}$/, { message: "must be a 2-digit county code" })
  countyCode!: string;

  @Field(() => String, { description: "Name as the county writes it (Finnish); unique in the county, letter case aside." })
  @Length(1, 200, { message: "must be 1–200 characters" })
  name!: string;

  @Field(() => String, { nullable: true, description: "English name." })
  @IsOptional()
  @Length(1, 200, { message: "must be 1–200 characters" })
  nameEn?: string | null;

  @Field(() => Int, { nullable: true, description: "Position in the county's list, from 1; last if not given. The themes after it move down." })
  @IsOptional()
  @IsInt()
  @Min(1, { message: "must be 1 or more" })
  @Max(1000, { message: "must be at most 1000" })
  position?: number | null;

  @Field(() => [ID], { nullable: true, description: "Cooperation groups (CooperationGroup ids) that work on the theme." })
  @IsOptional()
  @ArrayMaxSize(200)
  groupIds?: string[] | null;

  @Field(() => ProvenanceInput, { nullable: true, description: "Where the theme is stated." })
  @IsOptional()
  @ValidateNested()
  provenance?: ProvenanceInput | null;
}

@InputType("UpdateThemeInput", { description: "Changes to a theme; omitted fields stay as they are, null clears an optional one. The county does not change." })
export class UpdateThemeInput {
  @Field(() => ID, { description: "The theme." })
  @Length(1, 255)
  themeId!: string;

  @Field(() => String, { nullable: true, description: "Name (Finnish); unique in the county, letter case aside." })
  @IsOptional()
  @Length(1, 200, { message: "must be 1–200 characters" })
  name?: string | null;

  @Field(() => String, { nullable: true, description: "English name." })
  @IsOptional()
  @Length(1, 200, { message: "must be 1–200 characters" })
  nameEn?: string | null;

  @Field(() => Int, { nullable: true, description: "New position in the county's list, from 1; the themes in between move." })
  @IsOptional()
  @IsInt()
  @Min(1, { message: "must be 1 or more" })
  @Max(1000, { message: "must be at most 1000" })
  position?: number | null;

  @Field(() => [ID], { nullable: true, description: "Cooperation groups that work on the theme (replaces the list)." })
  @IsOptional()
  @ArrayMaxSize(200)
  groupIds?: string[] | null;

  @Field(() => ProvenanceInput, { nullable: true, description: "Where the theme is stated." })
  @IsOptional()
  @ValidateNested()
  provenance?: ProvenanceInput | null;
}
