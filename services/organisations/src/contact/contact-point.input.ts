import { DateScalar, ProvenanceInput } from "@yhdyspinta/core";
import { IsEmail, IsOptional, IsUrl, Length, Matches, MaxLength, ValidateNested } from "class-validator";
import { Field, ID, InputType } from "type-graphql";

const TEXT = /\S/;

/** A new public contact point of an organisation. */
@InputType("CreateContactPointInput", { description: "A new public contact point of an organisation: at least one address, e-mail or web address." })
export class CreateContactPointInput {
  @Field(() => ID, { description: "Id of the organisation." })
  @Length(1, 200)
  organisationId!: string;

  @Field(() => String, { description: "Name of the contact point as published, e.g. \"Joupin neuvola\"; unique in the organisation among those not ended, letter case aside." })
  @Length(1, 255)
  @Matches(TEXT, { message: "must not be blank" })
  label!: string;

  @Field(() => String, { nullable: true, description: "Visiting address, e.g. \"Hallituskatu 20\"." })
  @IsOptional()
  @Length(1, 255)
  visitingAddress?: string | null;

  @Field(() => String, { nullable: true, description: "Postal address." })
  @IsOptional()
  @Length(1, 255)
  postalAddress?: string | null;

  @Field(() => String, { nullable: true, description: "Registry e-mail (kirjaamo): the organisation's public address, not a person's." })
  @IsOptional()
  @IsEmail()
  @MaxLength(255)
  registryEmail?: string | null;

  @Field(() => String, { nullable: true, description: "Web address (http or https)." })
  @IsOptional()
  @MaxLength(255)
  @IsUrl({ protocols: ["http", "https"], require_protocol: true }, { message: "must be an http(s) URL" })
  website?: string | null;

  @Field(() => DateScalar, { nullable: true, description: "First day it is valid; null: not stated." })
  @IsOptional()
  validFrom?: string | null;

  @Field(() => DateScalar, { nullable: true, description: "Last day it is valid; null: still valid." })
  @IsOptional()
  validTo?: string | null;

  @Field(() => ProvenanceInput, { nullable: true, description: "Where the contact point comes from." })
  @IsOptional()
  @ValidateNested()
  provenance?: ProvenanceInput | null;
}

/** Changes to a contact point: fields left out stay as they are; `null` clears an optional field. */
@InputType("UpdateContactPointInput", { description: "Changes to a contact point: fields left out stay as they are; `null` clears an optional field." })
export class UpdateContactPointInput {
  @Field(() => String, { nullable: true, description: "New label." })
  @IsOptional()
  @Length(1, 255)
  @Matches(TEXT, { message: "must not be blank" })
  label?: string | null;

  @Field(() => String, { nullable: true, description: "Visiting address." })
  @IsOptional()
  @Length(1, 255)
  visitingAddress?: string | null;

  @Field(() => String, { nullable: true, description: "Postal address." })
  @IsOptional()
  @Length(1, 255)
  postalAddress?: string | null;

  @Field(() => String, { nullable: true, description: "Registry e-mail (kirjaamo)." })
  @IsOptional()
  @IsEmail()
  @MaxLength(255)
  registryEmail?: string | null;

  @Field(() => String, { nullable: true, description: "Web address (http or https)." })
  @IsOptional()
  @MaxLength(255)
  @IsUrl({ protocols: ["http", "https"], require_protocol: true }, { message: "must be an http(s) URL" })
  website?: string | null;

  @Field(() => DateScalar, { nullable: true, description: "First day it is valid." })
  @IsOptional()
  validFrom?: string | null;

  @Field(() => DateScalar, { nullable: true, description: "Last day it is valid; null: still valid." })
  @IsOptional()
  validTo?: string | null;

  @Field(() => ProvenanceInput, { nullable: true, description: "Where the contact point comes from; fields left out keep their value." })
  @IsOptional()
  @ValidateNested()
  provenance?: ProvenanceInput | null;
}

/** The end of a contact point: its last valid day. */
@InputType("EndContactPointInput", { description: "The end of a contact point (e.g. the office moved): its last valid day." })
export class EndContactPointInput {
  @Field(() => ID, { description: "Id of the contact point." })
  @Length(1, 200)
  contactPointId!: string;

  @Field(() => DateScalar, { description: "Its last valid day; not before it became valid." })
  endsOn!: string;
}
