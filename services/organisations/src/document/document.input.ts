import { DateScalar, ProvenanceInput } from "@yhdyspinta/core";
import { ArrayMaxSize, IsInt, IsOptional, IsUrl, Length, Matches, Max, MaxLength, Min, ValidateNested } from "class-validator";
import { Field, ID, InputType, Int } from "type-graphql";
import { DocumentKind } from "./document.entity.ts";

const TEXT = /\S/;
const LANGUAGE = /^[a-z]{2}$/;

/** A new source document: a handbook, memo, report or other document a county publishes or relies on. */
@InputType("CreateDocumentInput", { description: "A new source document (handbook, memo, report, …)." })
export class CreateDocumentInput {
  @Field(() => String, { description: "Title as the publisher gives it, 1–500 characters; unique in its county and year, letter case aside." })
  @Length(1, 500)
  @Matches(TEXT, { message: "must not be blank" })
  title!: string;

  @Field(() => DocumentKind, { description: "What kind of document it is." })
  kind!: DocumentKind;

  @Field(() => String, { description: "Publisher's name as the document gives it, 1–255 characters." })
  @Length(1, 255)
  @Matches(TEXT, { message: "must not be blank" })
  publisherName!: string;

  @Field(() => ID, { nullable: true, description: "Id of the publishing organisation, where it is in the data." })
  @IsOptional()
  @MaxLength(200)
  publisherId?: string | null;

  @Field(() => DateScalar, { nullable: true, description: "Day of publication, where the document gives one." })
  @IsOptional()
  publishedOn?: string | null;

  @Field(() => String, { nullable: true, description: "Period of publication as the source words it, e.g. \"kevät 2021\"." })
  @IsOptional()
  @Length(1, 100)
  publishedPeriod?: string | null;

  @Field(() => Int, { nullable: true, description: "Year of publication, 1900–2100; default: the year of `publishedOn`." })
  @IsOptional()
  @IsInt()
  @Min(1900)
  @Max(2100)
  publishedYear?: number | null;

  @Field(() => String, { nullable: true, description: "Language, ISO 639-1 code; default \"fi\"." })
  @IsOptional()
  @Matches(LANGUAGE, { message: "must be an ISO 639-1 code of two lower-case letters, e.g. \"fi\"" })
  language?: string | null;

  @Field(() => String, { nullable: true, description: "URL where the document is available (http or https)." })
  @IsOptional()
  @MaxLength(2000)
  @IsUrl({ protocols: ["http", "https"], require_protocol: true }, { message: "must be an http(s) URL" })
  url?: string | null;

  @Field(() => ID, { nullable: true, description: "Code of the county the document concerns; a document of no county: admin only." })
  @IsOptional()
  @MaxLength(2)
  countyCode?: string | null;

  @Field(() => String, { nullable: true, description: "What the document is for, at most 5000 characters." })
  @IsOptional()
  @Length(1, 5000)
  description?: string | null;

  @Field(() => [ID], { nullable: true, description: "Ids of the organisations the document concerns (at most 50)." })
  @IsOptional()
  @ArrayMaxSize(50)
  @MaxLength(200, { each: true })
  organisationIds?: string[] | null;

  @Field(() => ProvenanceInput, { nullable: true, description: "Where the record of the document comes from." })
  @IsOptional()
  @ValidateNested()
  provenance?: ProvenanceInput | null;
}

/** Changes to a document: fields left out stay as they are; `null` clears an optional field; lists replace the old list. */
@InputType("UpdateDocumentInput", {
  description: "Changes to a document: fields left out stay as they are; `null` clears an optional field; lists replace the old list.",
})
export class UpdateDocumentInput {
  @Field(() => String, { nullable: true, description: "New title, 1–500 characters." })
  @IsOptional()
  @Length(1, 500)
  @Matches(TEXT, { message: "must not be blank" })
  title?: string | null;

  @Field(() => DocumentKind, { nullable: true, description: "New kind." })
  @IsOptional()
  kind?: DocumentKind | null;

  @Field(() => String, { nullable: true, description: "Publisher's name, 1–255 characters." })
  @IsOptional()
  @Length(1, 255)
  @Matches(TEXT, { message: "must not be blank" })
  publisherName?: string | null;

  @Field(() => ID, { nullable: true, description: "Id of the publishing organisation." })
  @IsOptional()
  @MaxLength(200)
  publisherId?: string | null;

  @Field(() => DateScalar, { nullable: true, description: "Day of publication." })
  @IsOptional()
  publishedOn?: string | null;

  @Field(() => String, { nullable: true, description: "Period of publication as the source words it." })
  @IsOptional()
  @Length(1, 100)
  publishedPeriod?: string | null;

  @Field(() => Int, { nullable: true, description: "Year of publication, 1900–2100." })
  @IsOptional()
  @IsInt()
  @Min(1900)
  @Max(2100)
  publishedYear?: number | null;

  @Field(() => String, { nullable: true, description: "Language, ISO 639-1 code." })
  @IsOptional()
  @Matches(LANGUAGE, { message: "must be an ISO 639-1 code of two lower-case letters, e.g. \"fi\"" })
  language?: string | null;

  @Field(() => String, { nullable: true, description: "URL where the document is available (http or https)." })
  @IsOptional()
  @MaxLength(2000)
  @IsUrl({ protocols: ["http", "https"], require_protocol: true }, { message: "must be an http(s) URL" })
  url?: string | null;

  @Field(() => ID, { nullable: true, description: "Code of the county the document concerns." })
  @IsOptional()
  @MaxLength(2)
  countyCode?: string | null;

  @Field(() => String, { nullable: true, description: "What the document is for." })
  @IsOptional()
  @Length(1, 5000)
  description?: string | null;

  @Field(() => [ID], { nullable: true, description: "Ids of the organisations the document concerns (replaces the list)." })
  @IsOptional()
  @ArrayMaxSize(50)
  @MaxLength(200, { each: true })
  organisationIds?: string[] | null;

  @Field(() => ProvenanceInput, { nullable: true, description: "Where the record of the document comes from; fields left out keep their value." })
  @IsOptional()
  @ValidateNested()
  provenance?: ProvenanceInput | null;
}
