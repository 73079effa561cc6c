import { ProvenanceInput } from "@yhdyspinta/core";
import { IsInt, IsOptional, Length, Matches, Max, MaxLength, Min, ValidateNested } from "class-validator";
import { Field, ID, InputType, Int } from "type-graphql";

const TEXT = /\S/;

/** A new category in a county's own classification of associations. */
@InputType("CreateOrganisationCategoryInput", { description: "A new category in a county's own classification of associations (järjestökategoria)." })
export class CreateOrganisationCategoryInput {
  @Field(() => ID, { description: "Code of the county whose classification it is, e.g. \"08\"." })
  @Length(1, 2)
  countyCode!: string;

  @Field(() => String, { description: "Name as the county gives it, 1–200 characters; unique in the county, letter case and diacritics aside." })
  @Length(1, 200)
  @Matches(TEXT, { message: "must not be blank" })
  name!: string;

  @Field(() => Int, { nullable: true, description: "Position in the county's list, 1–10000; default: after the last." })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10000)
  position?: number | null;

  @Field(() => ProvenanceInput, { nullable: true, description: "Where the category comes from, e.g. the county's web page." })
  @IsOptional()
  @ValidateNested()
  provenance?: ProvenanceInput | null;
}

/** Changes to a category: fields left out stay as they are. */
@InputType("UpdateOrganisationCategoryInput", { description: "Changes to a category: fields left out stay as they are." })
export class UpdateOrganisationCategoryInput {
  @Field(() => String, { nullable: true, description: "New name, 1–200 characters." })
  @IsOptional()
  @Length(1, 200)
  @Matches(TEXT, { message: "must not be blank" })
  name?: string | null;

  @Field(() => Int, { nullable: true, description: "New position in the county's list, 1–10000." })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10000)
  position?: number | null;

  @Field(() => ProvenanceInput, { nullable: true, description: "Where the category comes from; fields left out keep their value." })
  @IsOptional()
  @ValidateNested()
  provenance?: ProvenanceInput | null;
}

/** An organisation and a category of its county. */
@InputType("OrganisationCategoryAssignmentInput", { description: "An organisation and a category of its county's classification." })
export class OrganisationCategoryAssignmentInput {
  @Field(() => ID, { description: "Id of the organisation." })
  @Length(1, 200)
  organisationId!: string;

  @Field(() => ID, { description: "Id of the category." })
  @Length(1, 200)
  @MaxLength(200)
  categoryId!: string;
}
