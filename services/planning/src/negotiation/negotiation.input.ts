import { ArrayMaxSize, IsInt, IsOptional, Length, Matches, Max, MaxLength, Min, ValidateNested } from "class-validator";
import { DateScalar, ProvenanceInput } from "@yhdyspinta/core";
import { Field, ID, InputType, Int } from "type-graphql";

@InputType("RecordAnnualNegotiationInput", { description: "A held annual negotiation (612/2021 7 §) of a county: one a day per county." })
export class RecordAnnualNegotiationInput {
  @Field(() => ID, { description: "2-digit code of the county that held it." })
  @Matches(/^\d{2}$/, { message: "must be a 2-digit county code" })
  countyCode!: string;

  @Field(() => DateScalar, { description: "Date of the negotiation; not in the future (only held negotiations are recorded)." })
  heldOn!: string;

  @Field(() => String, { description: "Title, e.g. \"Hyte-neuvottelu 2025\"." })
  @Length(1, 255, { message: "must be 1–255 characters" })
  title!: string;

  @Field(() => String, { nullable: true, description: "What was agreed on cooperation and monitoring." })
  @IsOptional()
  @MaxLength(20_000, { message: "must be at most 20000 characters" })
  summary?: string | null;

  @Field(() => [ID], { nullable: true, description: "Participating organisations, municipalities included (Organisation ids)." })
  @IsOptional()
  @ArrayMaxSize(500)
  organisationIds?: string[] | null;

  @Field(() => [ID], { nullable: true, description: "Participating cooperation groups (CooperationGroup ids)." })
  @IsOptional()
  @ArrayMaxSize(200)
  groupIds?: string[] | null;

  @Field(() => [ID], { nullable: true, description: "Goals agreed (WellbeingGoal ids of the county's plans)." })
  @IsOptional()
  @ArrayMaxSize(500)
  goalIds?: string[] | null;

  @Field(() => [ID], { nullable: true, description: "Measures agreed (Measure ids of the county)." })
  @IsOptional()
  @ArrayMaxSize(1000)
  measureIds?: string[] | null;

  @Field(() => ProvenanceInput, { nullable: true, description: "Where the negotiation is recorded (e.g. its minutes)." })
  @IsOptional()
  @ValidateNested()
  provenance?: ProvenanceInput | null;
}

@InputType("UpdateAnnualNegotiationInput", { description: "Changes to a recorded negotiation; omitted fields stay as they are, null clears an optional one; lists replace." })
export class UpdateAnnualNegotiationInput {
  @Field(() => ID, { description: "The negotiation." })
  @Length(1, 255)
  negotiationId!: string;

  @Field(() => DateScalar, { nullable: true, description: "Date of the negotiation." })
  heldOn?: string | null;

  @Field(() => String, { nullable: true, description: "Title." })
  @IsOptional()
  @Length(1, 255, { message: "must be 1–255 characters" })
  title?: string | null;

  @Field(() => String, { nullable: true, description: "What was agreed." })
  @IsOptional()
  @MaxLength(20_000, { message: "must be at most 20000 characters" })
  summary?: string | null;

  @Field(() => [ID], { nullable: true, description: "Participating organisations." })
  @IsOptional()
  @ArrayMaxSize(500)
  organisationIds?: string[] | null;

  @Field(() => [ID], { nullable: true, description: "Participating cooperation groups." })
  @IsOptional()
  @ArrayMaxSize(200)
  groupIds?: string[] | null;

  @Field(() => [ID], { nullable: true, description: "Goals agreed." })
  @IsOptional()
  @ArrayMaxSize(500)
  goalIds?: string[] | null;

  @Field(() => [ID], { nullable: true, description: "Measures agreed." })
  @IsOptional()
  @ArrayMaxSize(1000)
  measureIds?: string[] | null;

  @Field(() => ProvenanceInput, { nullable: true, description: "Where the negotiation is recorded." })
  @IsOptional()
  @ValidateNested()
  provenance?: ProvenanceInput | null;
}

@InputType("SetAnnualNegotiationPracticeInput", {
  description: "How a county arranges its annual negotiation. On an existing practice, omitted fields stay as they are and null clears an optional one; a new one needs every required field.",
})
export class SetAnnualNegotiationPracticeInput {
  @Field(() => ID, { description: "2-digit code of the county: one practice per county." })
  @Matches(/^\d{2}$/, { message: "must be a 2-digit county code" })
  countyCode!: string;

  @Field(() => String, { nullable: true, description: "Legal basis, e.g. \"612/2021 7 § 4 mom.\" (required for a new practice)." })
  @IsOptional()
  @Length(1, 255, { message: "must be 1–255 characters" })
  legalBasis?: string | null;

  @Field(() => Int, { nullable: true, description: "Minimum number of negotiations a year, 1–12 (required for a new practice)." })
  @IsOptional()
  @IsInt()
  @Min(1, { message: "must be 1 or more" })
  @Max(12, { message: "must be at most 12" })
  timesPerYear?: number | null;

  @Field(() => String, { nullable: true, description: "Who takes part, as the source says (required for a new practice)." })
  @IsOptional()
  @Length(1, 5000, { message: "must be 1–5000 characters" })
  participants?: string | null;

  @Field(() => String, { nullable: true, description: "What the negotiation agrees on (required for a new practice)." })
  @IsOptional()
  @Length(1, 5000, { message: "must be 1–5000 characters" })
  agenda?: string | null;

  @Field(() => String, { nullable: true, description: "Other meetings between negotiations." })
  @IsOptional()
  @MaxLength(5000, { message: "must be at most 5000 characters" })
  otherMeetings?: string | null;

  @Field(() => String, { nullable: true, description: "The document the arrangement is taken from (required for a new practice)." })
  @IsOptional()
  @Length(1, 500, { message: "must be 1–500 characters" })
  source?: string | null;

  @Field(() => [ID], { nullable: true, description: "Cooperation groups through which it is held (replaces the list)." })
  @IsOptional()
  @ArrayMaxSize(200)
  groupIds?: string[] | null;

  @Field(() => ProvenanceInput, { nullable: true, description: "Where the arrangement is stated." })
  @IsOptional()
  @ValidateNested()
  provenance?: ProvenanceInput | null;
}
