import { IsOptional, Length, Matches } from "class-validator";
import { DateScalar } from "@yhdyspinta/core";
import { Field, ID, InputType } from "type-graphql";
import { CooperationGroupKind } from "./group-kind.ts";

@InputType("CooperationGroupFilter", { description: "Which cooperation groups to list; every given condition must hold." })
export class CooperationGroupFilter {
  @IsOptional()
  @Matches(/^\d{2}$/, { message: "must be a 2-digit county code" })
  @Field(() => ID, { nullable: true, description: "Only groups of this county (2-digit code, e.g. `14`)." })
  countyCode?: string | null;

  @Field(() => CooperationGroupKind, { nullable: true, description: "Only groups of this kind." })
  kind?: CooperationGroupKind | null;

  @IsOptional()
  @Matches(/^\d{3}$/, { message: "must be a 3-digit municipality code" })
  @Field(() => ID, { nullable: true, description: "Only groups that cover this municipality (3-digit code, e.g. `167`)." })
  municipalityCode?: string | null;

  @IsOptional()
  @Length(1, 100)
  @Field(() => String, { nullable: true, description: "Only groups whose name or short name contains this text (case-insensitive)." })
  search?: string | null;

  @Field(() => DateScalar, { nullable: true, description: "Only groups working on this day (started, not ended); omitted: every group." })
  activeOn?: string | null;
}
