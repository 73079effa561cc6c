import { Entity, Index, PrimaryKey, Property } from "@mikro-orm/decorators/legacy";
import { Field, ObjectType } from "type-graphql";
import { DateScalar, InstantScalar } from "@yhdyspinta/core";

/** A name YTJ lists for a business ID (current or earlier). */
@ObjectType("RegisteredName", { description: "A name PRH/YTJ lists for a business ID: the current official name or an earlier one, or a parallel or auxiliary name." })
export class RegisteredName {
  @Field(() => String, { description: "The name as registered." })
  name!: string;

  @Field(() => String, { description: "YTJ name type: \"1\" official name, \"2\" parallel name in another language, \"3\" auxiliary name." })
  type!: string;

  @Field(() => DateScalar, { nullable: true, description: "Day the name was registered." })
  registeredOn!: string | null;

  @Field(() => DateScalar, { nullable: true, description: "Last day of the name; null while it is in use." })
  endedOn!: string | null;
}

/** A visiting or postal address YTJ lists. */
@ObjectType("RegisteredAddress", { description: "A visiting or postal address PRH/YTJ lists for a business ID." })
export class RegisteredAddress {
  @Field(() => String, { description: "VISITING (YTJ type 1) or POSTAL (type 2)." })
  kind!: string;

  @Field(() => String, { nullable: true, description: "Street with building number, entrance and apartment, or the P.O. box." })
  street!: string | null;

  @Field(() => String, { nullable: true, description: "Postal code." })
  postCode!: string | null;

  @Field(() => String, { nullable: true, description: "Post office in Finnish (else the first given)." })
  city!: string | null;

  @Field(() => String, { nullable: true, description: "Code of the municipality of the post office, where YTJ gives one." })
  municipalityCode!: string | null;
}

/**
 * What PRH/YTJ open data says of an organisation's business ID, as last
 * synced. The organisation's own fields are not overwritten by it, except
 * that a company renamed in the register gets the new official name (the
 * old one kept among its other names).
 */
@Entity({ tableName: "organisation_register_record" })
@Index({ properties: ["businessId"] })
@ObjectType("OrganisationRegisterRecord", { description: "What PRH/YTJ open data says of an organisation's business ID, as last synced: official name and its history, company form, addresses, status and end date." })
export class OrganisationRegisterRecord {
  @PrimaryKey({ type: "string" })
  organisationId!: string;

  @Property({ type: "string", length: 9 })
  @Field(() => String, { description: "The business ID looked up." })
  businessId!: string;

  @Property({ type: "text" })
  @Field(() => String, { description: "Current official name (YTJ name type 1 without an end date)." })
  officialName!: string;

  @Property({ type: "string", nullable: true })
  @Field(() => String, { nullable: true, description: "Company form code of YTJ, e.g. \"16\" (osakeyhtiö)." })
  companyFormCode: string | null = null;

  @Property({ type: "text", nullable: true })
  @Field(() => String, { nullable: true, description: "Company form in Finnish, e.g. \"Osakeyhtiö\"." })
  companyForm: string | null = null;

  @Property({ type: "string", nullable: true })
  @Field(() => String, { nullable: true, description: "YTJ `tradeRegisterStatus` code as given." })
  tradeRegisterStatus: string | null = null;

  @Property({ type: "string", nullable: true })
  @Field(() => String, { nullable: true, description: "YTJ `status` code as given." })
  status: string | null = null;

  @Property({ type: "date", nullable: true })
  @Field(() => DateScalar, { nullable: true, description: "Day the company was registered." })
  registeredOn: string | null = null;

  @Property({ type: "date", nullable: true })
  @Field(() => DateScalar, { nullable: true, description: "Day YTJ says the company ended; null while it exists." })
  endedOn: string | null = null;

  @Property({ type: "json" })
  @Field(() => [RegisteredAddress], { description: "Visiting and postal addresses." })
  addresses: RegisteredAddress[] = [];

  @Property({ type: "json" })
  @Field(() => [RegisteredName], { description: "Every name YTJ lists, current and earlier, newest first." })
  names: RegisteredName[] = [];

  @Property({ type: "string", nullable: true })
  lastModified: string | null = null;

  @Property({ type: "string" })
  sourceRegister!: string;

  @Property({ type: "text" })
  sourceUrl!: string;

  @Property({ type: "datetime" })
  fetchedAt!: Date;

  @Property({ type: "string", nullable: true })
  syncReportId: string | null = null;
}

/** An organisation YTJ reports ended, waiting for a coordinator's decision (wind-up with successor). */
@Entity({ tableName: "organisation_ending_review" })
@ObjectType("OrganisationEndingReview", { description: "An organisation whose business ID PRH/YTJ reports ended: a coordinator decides whether and how to wind it up (valid to, successor); the sync never does." })
export class OrganisationEndingReview {
  @PrimaryKey({ type: "string" })
  organisationId!: string;

  @Property({ type: "string", length: 9 })
  @Field(() => String, { description: "The business ID YTJ reports ended." })
  businessId!: string;

  @Property({ type: "date", nullable: true })
  @Field(() => DateScalar, { nullable: true, description: "The end date YTJ gives." })
  endedOn: string | null = null;

  @Property({ type: "datetime" })
  @Field(() => InstantScalar, { description: "When a sync first saw it ended." })
  reportedAt!: Date;

  @Property({ type: "string", nullable: true })
  @Field(() => String, { nullable: true, description: "The sync run that saw it (`RegisterSyncReport.id`)." })
  syncReportId: string | null = null;

  @Property({ type: "text" })
  @Field(() => String, { description: "The YTJ answer it was read from." })
  sourceUrl!: string;
}
