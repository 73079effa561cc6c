import { IsInt, IsOptional, Length, Matches, Max, Min } from "class-validator";
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
