import { Entity, Index, PrimaryKey, Property } from "@mikro-orm/decorators/legacy";
import { DateScalar } from "@yhdyspinta/core";
import { Field, Float, ID, ObjectType } from "type-graphql";

/**
 * An organisation's contact point (not a person's): visiting and postal
 * address, registry e-mail (kirjaamo) and web address. Organisational contact
 * data is public.
 */
@Entity({ tableName: "contact_point" })
@Index({ properties: ["organisationId"] })
@Index({ name: "contact_point_ptv_channel_unique", expression: 'create unique index "contact_point_ptv_channel_unique" on "contact_point" ("organisation_id", "ptv_channel_id")' })
@Index({ name: "contact_point_active_label_unique", expression: 'create unique index "contact_point_active_label_unique" on "contact_point" ("organisation_id", lower("label")) where "valid_to" is null' })
@ObjectType("ContactPoint", { description: "An organisation's public contact point: addresses, registry e-mail, web address, with validity dates." })
export class ContactPoint {
  @PrimaryKey({ type: "string" })
  @Field(() => ID, { description: "Stable identifier." })
  id!: string;

  /** The organisation (`Organisation.contactPoints`). */
  @Property({ type: "string" })
  organisationId!: string;

  @Property({ type: "string", nullable: true })
  @Field(() => String, { nullable: true, description: "Name of the contact point as published, e.g. \"Joupin neuvola\"." })
  label: string | null = null;

  @Property({ type: "string", nullable: true })
  @Field(() => String, { nullable: true, description: "Visiting address (käyntiosoite), e.g. \"Hallituskatu 20\"." })
  visitingAddress: string | null = null;

  @Property({ type: "string", nullable: true })
  @Field(() => String, { nullable: true, description: "Postal address (postiosoite)." })
  postalAddress: string | null = null;

  @Property({ type: "string", nullable: true })
  @Field(() => String, { nullable: true, description: "Registry e-mail (kirjaamo), e.g. \"kirjaamo@siunsote.fi\"." })
  registryEmail: string | null = null;

  @Property({ type: "string", nullable: true })
  @Field(() => String, { nullable: true, description: "Web address." })
  website: string | null = null;

  @Property({ type: "date", nullable: true })
  @Field(() => DateScalar, { nullable: true, description: "First day the contact point is valid; null: not stated." })
  validFrom: string | null = null;

  @Property({ type: "date", nullable: true })
  @Field(() => DateScalar, { nullable: true, description: "Last day the contact point is valid; null: still valid." })
  validTo: string | null = null;

  // From PTV (`pnpm sync ptv`); null on a contact point typed by hand.

  @Property({ type: "string", nullable: true })
  @Field(() => String, { nullable: true, description: "Id of the PTV service channel (a service location) this contact point is synced from; null when typed by hand." })
  ptvChannelId: string | null = null;

  @Property({ type: "string", nullable: true })
  @Field(() => String, { nullable: true, description: "Name in Swedish, where the register gives one." })
  labelSv: string | null = null;

  @Property({ type: "string", nullable: true })
  @Field(() => String, { nullable: true, description: "Visiting address in Swedish, where the register gives one." })
  visitingAddressSv: string | null = null;

  @Property({ type: "string", nullable: true })
  @Field(() => String, { nullable: true, description: "Postal code of the visiting address, e.g. \"80100\"." })
  postalCode: string | null = null;

  @Property({ type: "string", nullable: true })
  @Field(() => String, { nullable: true, description: "Municipality code of the visiting address (Statistics Finland), e.g. \"167\"." })
  municipalityCode: string | null = null;

  @Property({ type: "double", nullable: true })
  @Field(() => Float, { nullable: true, description: "Northing of the location in ETRS-TM35FIN (EPSG:3067), metres, as PTV gives it (PTV calls it latitude)." })
  coordinateNorth: number | null = null;

  @Property({ type: "double", nullable: true })
  @Field(() => Float, { nullable: true, description: "Easting of the location in ETRS-TM35FIN (EPSG:3067), metres, as PTV gives it (PTV calls it longitude)." })
  coordinateEast: number | null = null;

  /** PTV's `modified` of the channel as last synced. */
  @Property({ type: "string", nullable: true })
  ptvModified: string | null = null;

  @Property({ type: "string", nullable: true })
  sourceRegister: string | null = null;

  @Property({ type: "text", nullable: true })
  sourceUrl: string | null = null;

  @Property({ type: "datetime", nullable: true })
  fetchedAt: Date | null = null;

  @Property({ type: "string", nullable: true })
  syncReportId: string | null = null;
}
