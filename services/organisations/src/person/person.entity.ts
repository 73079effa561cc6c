import { Entity, Index, PrimaryKey, Property } from "@mikro-orm/decorators/legacy";
import { Authorized, Directive, Field, ID, ObjectType } from "type-graphql";
import { Scope } from "@yhdyspinta/core";

/**
 * A person acting in an official role: representative, liaison, coordinator.
 * Name and title are public; e-mail and phone are personal data, readable
 * only with the `contacts:read` scope and never logged.
 */
@Entity({ tableName: "person" })
@Index({ properties: ["nameNormalised", "id"] })
@Index({ properties: ["organisationId"] })
@ObjectType("Person", {
  description:
    "A person acting in an official role (representative, liaison, coordinator). Name and title are public; e-mail and phone are personal data and need the `contacts:read` scope.",
})
@Directive('@key(fields: "id")')
@Directive('@tag(name: "personal")')
export class Person {
  @PrimaryKey({ type: "string" })
  @Field(() => ID, { description: "Stable identifier, e.g. \"person-maarita-mannelin\"." })
  id!: string;

  @Property({ type: "string" })
  @Directive('@tag(name: "personal")')
  @Field(() => String, { description: "Full name as the person uses it in the official role." })
  name!: string;

  /** Normalised name (sort key and search). */
  @Property({ type: "string" })
  nameNormalised!: string;

  @Property({ type: "string", nullable: true })
  @Directive('@tag(name: "personal")')
  @Field(() => String, { nullable: true, description: "Job title in the official role, as the source gives it, e.g. \"Kumppanuuspäällikkö\"." })
  title: string | null = null;

  /** Key of the organisation the person works for (`organisation` field). */
  @Property({ type: "string", nullable: true })
  organisationId: string | null = null;

  @Property({ type: "string", nullable: true })
  @Authorized(Scope.ContactsRead)
  @Directive('@tag(name: "personal")')
  @Field(() => String, {
    nullable: true,
    description: "Work e-mail address. Personal data: null with a FORBIDDEN error unless the token has scope `contacts:read`.",
  })
  email: string | null = null;

  @Property({ type: "string", nullable: true })
  @Authorized(Scope.ContactsRead)
  @Directive('@tag(name: "personal")')
  @Field(() => String, {
    nullable: true,
    description: "Work phone number. Personal data: null with a FORBIDDEN error unless the token has scope `contacts:read`.",
  })
  phone: string | null = null;

  /** When the person's identifying values were anonymised (retention or erasure, docs/PERSONAL-DATA.md); null while kept. */
  @Property({ type: "datetime", columnType: "timestamptz", nullable: true })
  anonymisedAt: Date | null = null;
}
