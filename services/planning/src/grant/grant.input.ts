import { ArrayMaxSize, IsInt, IsOptional, Length, Matches, Max, Min, ValidateNested } from "class-validator";
import { DateScalar, ProvenanceInput } from "@yhdyspinta/core";
import { Field, ID, InputType, Int } from "type-graphql";
import { DecimalScalar } from "../scalars/decimal.ts";

@InputType("AwardGrantInput", { description: "A grant to record under a county's grant programme." })
export class AwardGrantInput {
  @Field(() => ID, { description: "The grant programme." })
  programmeId!: string;

  @Field(() => ID, { description: "The receiving organisation (Organisation id)." })
  @Length(1, 200, { message: "must be 1–200 characters" })
  organisationId!: string;

  @Field(() => DecimalScalar, { description: "Amount in euros, e.g. \"1500.00\": positive, whole cents, below 10^12." })
  @Matches(/^[^-]/, { message: "must not be negative" })
  @Matches(/^-?\d+(\.\d{1,2})?$/, { message: "must be in whole cents: at most 2 decimals" })
  @Matches(/^-?\d{1,12}(\.\d+)?$/, { message: "must be less than 1000000000000 euros" })
  @Matches(/[1-9]/, { message: "must be greater than zero" })
  amount!: string;

  @Field(() => Int, { description: "Year the grant is for." })
  @IsInt()
  @Min(2000, { message: "must be 2000 or later" })
  @Max(2100, { message: "must be 2100 or earlier" })
  year!: number;

  @Field(() => String, { description: "What the grant is for." })
  @Length(1, 2000, { message: "must be 1–2000 characters" })
  purpose!: string;

  @Field(() => ID, { nullable: true, description: "The county theme the grant serves." })
  @IsOptional()
  themeId?: string | null;
}

@InputType("GrantPrincipleInput", { description: "A principle by which a county awards grants; numbered by its place in the list." })
export class GrantPrincipleInput {
  @Field(() => String, { description: "The principle, verbatim from the source (Finnish)." })
  @Length(1, 5000, { message: "must be 1–5000 characters" })
  text!: string;

  @Field(() => String, { description: "The principle in English." })
  @Length(1, 5000, { message: "must be 1–5000 characters" })
  textEn!: string;
}

@InputType("CreateGrantProgrammeInput", { description: "A county's new programme of grants for associations; its name is unique in the county." })
export class CreateGrantProgrammeInput {
  @Field(() => ID, { description: "2-digit code of the county that runs it." })
  @Matches(/^\d{2}$/, { message: "must be a 2-digit county code" })
  countyCode!: string;

  @Field(() => String, { description: "Name of the programme." })
  @Length(1, 255, { message: "must be 1–255 characters" })
  name!: string;

  @Field(() => DateScalar, { nullable: true, description: "Date from which the county awards these grants." })
  @IsOptional()
  startedOn?: string | null;

  @Field(() => [GrantPrincipleInput], { description: "The principles grants are awarded by, in order." })
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  principles!: GrantPrincipleInput[];

  @Field(() => String, { description: "The document the principles are taken from." })
  @Length(1, 500, { message: "must be 1–500 characters" })
  source!: string;

  @Field(() => ProvenanceInput, { nullable: true, description: "Where the programme is stated." })
  @IsOptional()
  @ValidateNested()
  provenance?: ProvenanceInput | null;
}

@InputType("UpdateGrantProgrammeInput", { description: "Changes to a grant programme; omitted fields stay as they are, null clears an optional one; principles given replace the list." })
export class UpdateGrantProgrammeInput {
  @Field(() => ID, { description: "The programme." })
  @Length(1, 255)
  programmeId!: string;

  @Field(() => String, { nullable: true, description: "Name of the programme." })
  @IsOptional()
  @Length(1, 255, { message: "must be 1–255 characters" })
  name?: string | null;

  @Field(() => DateScalar, { nullable: true, description: "Date from which the county awards these grants." })
  startedOn?: string | null;

  @Field(() => DateScalar, { nullable: true, description: "Last day of the programme (null: it runs on); no awards for a year after it." })
  endedOn?: string | null;

  @Field(() => [GrantPrincipleInput], { nullable: true, description: "The principles (replaces the list)." })
  @IsOptional()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  principles?: GrantPrincipleInput[] | null;

  @Field(() => String, { nullable: true, description: "The document the principles are taken from." })
  @IsOptional()
  @Length(1, 500, { message: "must be 1–500 characters" })
  source?: string | null;

  @Field(() => ProvenanceInput, { nullable: true, description: "Where the programme is stated." })
  @IsOptional()
  @ValidateNested()
  provenance?: ProvenanceInput | null;
}
