import { ArrayMaxSize, IsOptional, IsUrl, Length, Matches, MaxLength } from "class-validator";
import { Field, ID, InputType } from "type-graphql";
import { IsBusinessId } from "../business-id.ts";
import { OrganisationKind } from "./organisation.entity.ts";

/** Which organisations a list returns; every given condition must hold. */
@InputType("OrganisationFilter", { description: "Which organisations to list; every condition given must hold." })
export class OrganisationFilter {
  @Field(() => ID, { nullable: true, description: "Works in this wellbeing services county (2-digit code, e.g. \"08\")." })
  @IsOptional()
  @MaxLength(2)
  countyCode?: string | null;

  @Field(() => ID, { nullable: true, description: "Works in this municipality (3-digit code, e.g. \"167\")." })
  @IsOptional()
  @MaxLength(3)
  municipalityCode?: string | null;

  @Field(() => OrganisationKind, { nullable: true, description: "Is of this kind." })
  @IsOptional()
  kind?: OrganisationKind | null;

  @Field(() => String, {
    nullable: true,
    description:
      "Is classified in a category of this name (case- and diacritic-insensitive, e.g. \"Nuoriso\"); with `countyCode`, that county's category.",
  })
  @IsOptional()
  @MaxLength(200)
  category?: string | null;

  @Field(() => ID, { nullable: true, description: "Is classified in the category with this id." })
  @IsOptional()
  @MaxLength(200)
  categoryId?: string | null;

  @Field(() => ID, { nullable: true, description: "Is a unit of the organisation with this id." })
  @IsOptional()
  @MaxLength(200)
  parentId?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "Name or other name contains this text, ignoring case and diacritics (\"jarjestotalo\" finds \"Järjestötalo\").",
  })
  @IsOptional()
  @MaxLength(200)
  search?: string | null;
}

const NAME = /\S/;

/** A new organisation. */
@InputType("CreateOrganisationInput", { description: "A new organisation." })
export class CreateOrganisationInput {
  @Field(() => String, { description: "Name, 1–255 characters." })
  @Length(1, 255)
  @Matches(NAME, { message: "must not be blank" })
  name!: string;

  @Field(() => [String], { nullable: true, description: "Other names and abbreviations (at most 20)." })
  @IsOptional()
  @ArrayMaxSize(20)
  @Length(1, 255, { each: true })
  otherNames?: string[] | null;

  @Field(() => OrganisationKind, { description: "What kind of actor it is." })
  kind!: OrganisationKind;

  @Field(() => String, { nullable: true, description: "Finnish business ID (Y-tunnus) `NNNNNNN-C`; the check digit is verified." })
  @IsOptional()
  @IsBusinessId()
  businessId?: string | null;

  @Field(() => ID, { nullable: true, description: "Id of the organisation it is a unit of." })
  @IsOptional()
  parentId?: string | null;

  @Field(() => ID, { nullable: true, description: "Code of the wellbeing services county it works in." })
  @IsOptional()
  countyCode?: string | null;

  @Field(() => [ID], { nullable: true, description: "Codes of the municipalities it works in (current classification)." })
  @IsOptional()
  @ArrayMaxSize(400)
  municipalityCodes?: string[] | null;

  @Field(() => String, { nullable: true, description: "Website, an http(s) URL." })
  @IsOptional()
  @IsUrl({ protocols: ["http", "https"], require_protocol: true })
  @MaxLength(255)
  website?: string | null;

  @Field(() => [ID], {
    nullable: true,
    description: "Ids of the categories it is classified in; they must belong to the county given in `countyCode`.",
  })
  @IsOptional()
  @ArrayMaxSize(50)
  categoryIds?: string[] | null;
}

/** Changes to an organisation: fields left out stay as they are; `null` clears an optional field. */
@InputType("UpdateOrganisationInput", {
  description: "Changes to an organisation: fields left out stay as they are; `null` clears an optional field; lists replace the old list.",
})
export class UpdateOrganisationInput {
  @Field(() => String, { nullable: true, description: "New name, 1–255 characters." })
  @IsOptional()
  @Length(1, 255)
  @Matches(NAME, { message: "must not be blank" })
  name?: string | null;

  @Field(() => [String], { nullable: true, description: "Other names and abbreviations (replaces the list)." })
  @IsOptional()
  @ArrayMaxSize(20)
  @Length(1, 255, { each: true })
  otherNames?: string[] | null;

  @Field(() => OrganisationKind, { nullable: true, description: "New kind." })
  @IsOptional()
  kind?: OrganisationKind | null;

  @Field(() => String, { nullable: true, description: "Finnish business ID (Y-tunnus) `NNNNNNN-C`; the check digit is verified." })
  @IsOptional()
  @IsBusinessId()
  businessId?: string | null;

  @Field(() => ID, { nullable: true, description: "Id of the organisation it is a unit of." })
  @IsOptional()
  parentId?: string | null;

  @Field(() => ID, { nullable: true, description: "Code of the wellbeing services county it works in." })
  @IsOptional()
  countyCode?: string | null;

  @Field(() => [ID], { nullable: true, description: "Codes of the municipalities it works in (replaces the list)." })
  @IsOptional()
  @ArrayMaxSize(400)
  municipalityCodes?: string[] | null;

  @Field(() => String, { nullable: true, description: "Website, an http(s) URL." })
  @IsOptional()
  @IsUrl({ protocols: ["http", "https"], require_protocol: true })
  @MaxLength(255)
  website?: string | null;

  @Field(() => [ID], { nullable: true, description: "Ids of the categories it is classified in (replaces the list)." })
  @IsOptional()
  @ArrayMaxSize(50)
  categoryIds?: string[] | null;
}
