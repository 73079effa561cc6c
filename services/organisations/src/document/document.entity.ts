import { Entity, Index, PrimaryKey, Property } from "@mikro-orm/decorators/legacy";
import { auditedAsList, DateScalar } from "@yhdyspinta/core";
import { Directive, Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";

/** What kind of document a source is. */
export enum DocumentKind {
  HANDBOOK = "handbook",
  MEMO = "memo",
  REPORT = "report",
  PLAN = "plan",
  DECISION = "decision",
  WEB_PAGE = "web_page",
  LETTER = "letter",
  GUIDELINE = "guideline",
}

registerEnumType(DocumentKind, {
  name: "DocumentKind",
  description: "What kind of document a source is.",
  valuesConfig: {
    HANDBOOK: { description: "A handbook or guide (käsikirja, opas)." },
    MEMO: { description: "Memo or minutes of a meeting (muistio, pöytäkirja)." },
    REPORT: { description: "A report (raportti, kertomus)." },
    PLAN: { description: "A plan or strategy (suunnitelma, strategia)." },
    DECISION: { description: "A decision of a body or office holder (päätös)." },
    WEB_PAGE: { description: "A page of a website." },
    LETTER: { description: "A letter or request sent to other organisations (kirje, nimeämispyyntö)." },
    GUIDELINE: { description: "Principles or instructions (periaatteet, ohje), e.g. grant principles." },
  },
});

/** What a document concerns. */
export enum DocumentSubjectType {
  COUNTY = "county",
  ORGANISATION = "organisation",
  GROUP = "group",
  MEETING = "meeting",
}

/**
 * A source document: a handbook, memo, report, plan, decision or web page
 * that states facts of the data. Provenance records refer to it by key.
 */
@Entity({ tableName: "document" })
@Index({ properties: ["countyCode"] })
@Index({ name: "document_title_unique", expression: 'create unique index "document_title_unique" on "document" (coalesce("county_code", \'\'), lower("title"), coalesce("published_year", 0))' })
@ObjectType("Document", { description: "A source document: handbook, memo, report, plan, decision or web page." })
@Directive('@key(fields: "id")')
export class Document {
  @PrimaryKey({ type: "string" })
  @Field(() => ID, { description: "Stable identifier, e.g. \"doc-ep-kuntajarjestoyhteistyon-kasikirja-2021\"." })
  id!: string;

  @Property({ type: "string" })
  @Field(() => String, { description: "Title as the publisher gives it (Finnish/Swedish as published)." })
  title!: string;

  @Property({ type: "string" })
  @Field(() => DocumentKind, { description: "What kind of document it is." })
  kind!: DocumentKind;

  @Property({ type: "string" })
  @Field(() => String, { description: "Publisher's name as the document gives it." })
  publisherName!: string;

  /** Key of the publishing organisation (`publisher` field). */
  @Property({ type: "string", nullable: true })
  publisherId: string | null = null;

  @Property({ type: "date", nullable: true })
  @Field(() => DateScalar, { nullable: true, description: "Day of publication where the source gives one." })
  publishedOn: string | null = null;

  @Property({ type: "string", nullable: true })
  @Field(() => String, { nullable: true, description: "Period of publication as the source words it when it gives no day, e.g. \"loppuvuodesta 2021\", \"kevät 2021\"." })
  publishedPeriod: string | null = null;

  @Property({ type: "smallint", nullable: true })
  @Field(() => Int, { nullable: true, description: "Year of publication where known (for sorting and filtering)." })
  publishedYear: number | null = null;

  @Property({ type: "string", length: 2 })
  @Field(() => String, { description: "Language, ISO 639-1 code (\"fi\", \"sv\", \"en\")." })
  language!: string;

  @Property({ type: "string", nullable: true })
  @Field(() => String, { nullable: true, description: "URL where the document is available; null where none is known." })
  url: string | null = null;

  /** Code of the county the document concerns (`county` field). */
  @Property({ type: "string", length: 2, nullable: true })
  countyCode: string | null = null;

  @Property({ type: "text", nullable: true })
  @Field(() => String, { nullable: true, description: "What the document is for, as its source describes it." })
  description: string | null = null;
}

/** A record a document concerns: a county, organisation, group or meeting (the last two by the groups subgraph's key). */
@Entity({ tableName: "document_subject" })
@Index({ properties: ["subjectType", "subjectId"] })
export class DocumentSubject {
  @PrimaryKey({ type: "string" })
  documentId!: string;

  @PrimaryKey({ type: "string" })
  subjectType!: DocumentSubjectType;

  @PrimaryKey({ type: "string" })
  subjectId!: string;
}

// A document's organisations are written with `insertMany` and audited as its list `organisationIds`
// (document.rules.ts); its other subjects are not written through the API.
auditedAsList(DocumentSubject, { owner: Document, ownerKey: "documentId", item: "subjectId", field: "organisationIds", fixed: { subjectType: DocumentSubjectType.ORGANISATION } });
