import { ArrayMaxSize, ArrayMinSize, IsOptional, IsUrl, Length, MaxLength, ValidateNested } from "class-validator";
import { DateScalar, ProvenanceInput } from "@yhdyspinta/core";
import { Field, ID, InputType } from "type-graphql";

/** One organisation that takes over (some of) a wound-up organisation's tasks. */
@InputType("OrganisationSuccessorInput", { description: "An organisation that takes over tasks of the one wound up." })
export class OrganisationSuccessorInput {
  @Field(() => ID, { description: "Id of the organisation taking over." })
  @Length(1, 200)
  organisationId!: string;

  @Field(() => String, { nullable: true, description: "Which tasks it takes over, e.g. \"ympäristöluvat ja valvonta\"; leave out when it takes over all." })
  @IsOptional()
  @Length(1, 1000)
  tasks?: string | null;
}

/** Where a wind-up is recorded: the decision or the page that states it. */
@InputType("WindUpSourceInput", { description: "Where the wind-up is stated: a source document or URL and the decision behind it." })
export class WindUpSourceInput {
  @Field(() => ID, { nullable: true, description: "Key of the source `Document`." })
  @IsOptional()
  @MaxLength(200)
  documentId?: string | null;

  @Field(() => String, { nullable: true, description: "URL of the source, http(s)." })
  @IsOptional()
  @IsUrl({ protocols: ["http", "https"], require_protocol: true })
  @MaxLength(255)
  url?: string | null;

  @Field(() => String, { nullable: true, description: "Place in the source: section or heading." })
  @IsOptional()
  @MaxLength(255)
  section?: string | null;

  @Field(() => String, { nullable: true, description: "Body that decided it, e.g. \"Valtioneuvosto\"." })
  @IsOptional()
  @MaxLength(255)
  decisionBody?: string | null;

  @Field(() => DateScalar, { nullable: true, description: "Date of the decision." })
  @IsOptional()
  decisionDate?: string | null;
}

/** Winds an organisation up on a day, naming the organisations its tasks pass to. */
@InputType("WindUpOrganisationInput", { description: "An organisation's end: its last day and the organisations its tasks pass to." })
export class WindUpOrganisationInput {
  @Field(() => ID, { description: "Id of the organisation wound up." })
  @Length(1, 200)
  organisationId!: string;

  @Field(() => DateScalar, { description: "Its last day (e.g. 2025-12-31); not before it began." })
  endsOn!: string;

  @Field(() => [OrganisationSuccessorInput], { description: "The organisations its tasks pass to (1–20), in order; each once." })
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  successors!: OrganisationSuccessorInput[];

  @Field(() => String, { nullable: true, description: "Why or how it ended (kept as `Organisation.endNote`)." })
  @IsOptional()
  @Length(1, 2000)
  note?: string | null;

  @Field(() => WindUpSourceInput, {
    nullable: true,
    description: "Where the wind-up is stated; stored as the organisation's provenance, confirmed today.",
    deprecationReason: "Use `provenance`, which takes every provenance field as other writes do. Not both.",
  })
  @IsOptional()
  @ValidateNested()
  source?: WindUpSourceInput | null;

  @Field(() => ProvenanceInput, { nullable: true, description: "Where the wind-up is stated (the decision, its source document): stored as the organisation's provenance; fields left out keep their stored value." })
  @IsOptional()
  @ValidateNested()
  provenance?: ProvenanceInput | null;
}

/** Merges a record entered twice into the one that stays. */
@InputType("MergeOrganisationsInput", { description: "A duplicate record and the record it is merged into." })
export class MergeOrganisationsInput {
  @Field(() => ID, { description: "Id of the duplicate: afterwards every reference to it reads the surviving record." })
  @Length(1, 200)
  duplicateId!: string;

  @Field(() => ID, { description: "Id of the record that stays." })
  @Length(1, 200)
  survivorId!: string;

  @Field(() => String, { nullable: true, description: "Why they are the same organisation (kept as the duplicate's `endNote`)." })
  @IsOptional()
  @Length(1, 2000)
  note?: string | null;
}
