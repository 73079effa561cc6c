import { Entity, Index, PrimaryKey, Property } from "@mikro-orm/decorators/legacy";
import { Directive, Field, ID, ObjectType, registerEnumType } from "type-graphql";
import { InstantScalar } from "@yhdyspinta/core";

/**
 * Data-subject requests (docs/PERSONAL-DATA.md): a person as their subject,
 * and the register of the requests answered, each audited.
 */

/** A person as the subject of a data-subject request; the other subgraphs add what they hold. */
@ObjectType("DataSubject", { description: "Everything held about one person, for a data-subject request (admin or the data protection officer of the person's county)." })
@Directive('@key(fields: "personId")')
@Directive('@tag(name: "internal")')
export class DataSubject {
  @Field(() => ID, { description: "Id of the person." })
  personId!: string;

  @Field(() => ID, { nullable: true, description: "County the person's data belongs to (that of the organisation they work for); null: none." })
  countyCode!: string | null;
}

export enum DataSubjectRequestKind {
  ACCESS = "access",
  ERASURE = "erasure",
}
registerEnumType(DataSubjectRequestKind, {
  name: "DataSubjectRequestKind",
  description: "What the data subject asked (GDPR art. 15 access, art. 17 erasure; rectification is the ordinary edits).",
  valuesConfig: { ACCESS: { description: "A copy of everything held (art. 15)." }, ERASURE: { description: "Erasure (art. 17): the person anonymised." } },
});

export enum DataSubjectRequestOutcome {
  PROVIDED = "provided",
  ERASED = "erased",
  ALREADY_ERASED = "already_erased",
  REFUSED = "refused",
}
registerEnumType(DataSubjectRequestOutcome, {
  name: "DataSubjectRequestOutcome",
  description: "How a data-subject request was answered.",
  valuesConfig: {
    PROVIDED: { description: "The access export was given." },
    ERASED: { description: "The person's identifying values were erased (anonymised) everywhere, the audit trail included." },
    ALREADY_ERASED: { description: "Nothing left to erase: the person was anonymised before." },
    REFUSED: { description: "Refused; `reason` says on which legal basis the record is kept." },
  },
});

/** One answered data-subject request (the register the data protection officer keeps). */
@Entity({ tableName: "data_subject_request" })
@Index({ properties: ["personId"] })
@ObjectType("DataSubjectRequest", { description: "One answered data-subject request: who asked about whom, what, when, and the outcome with its reason." })
@Directive('@tag(name: "internal")')
export class DataSubjectRequest {
  @PrimaryKey({ type: "string" })
  @Field(() => ID, { description: "Stable identifier." })
  id!: string;

  @Property({ type: "string" })
  @Field(() => ID, { description: "Id of the person the request is about." })
  personId!: string;

  @Property({ type: "string" })
  @Field(() => DataSubjectRequestKind, { description: "Access or erasure." })
  kind!: DataSubjectRequestKind;

  @Property({ type: "string" })
  @Field(() => DataSubjectRequestOutcome, { description: "How it was answered." })
  outcome!: DataSubjectRequestOutcome;

  @Property({ type: "text", nullable: true })
  @Field(() => String, { nullable: true, description: "Why: the requester's grounds as recorded, or the legal basis of a refusal." })
  reason: string | null = null;

  @Property({ type: "string", length: 2, nullable: true })
  @Field(() => ID, { nullable: true, description: "County of the person's data when the request was answered." })
  countyCode: string | null = null;

  @Property({ type: "datetime", columnType: "timestamptz" })
  @Field(() => InstantScalar, { description: "When the request was answered." })
  answeredAt!: Date;
}
