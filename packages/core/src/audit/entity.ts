import { Entity, Index, PrimaryKey, Property } from "@mikro-orm/decorators/legacy";
import { Directive, Field, ID, ObjectType } from "type-graphql";
import { InstantScalar, JSONObjectScalar } from "../scalars/index.ts";

/**
 * Audit trail. Every change a subgraph writes through MikroORM is recorded,
 * in the same flush (and so the same transaction), in the owning service's
 * `change_record` table: who (token subject and role), when, which entity
 * (GraphQL type name and id), the operation, and the values before and after
 * with contact fields masked. Writes done with raw SQL call `recordChange`
 * in their transaction. Reads: the `changes` field of each audited type.
 *
 * This module: the stored row and its table.
 */

/** Operation of a recorded change. */
export type ChangeOperation = "CREATE" | "UPDATE" | "DELETE";

/**
 * One recorded change of a record. Each subgraph keeps the changes of its own
 * records; the GraphQL type is the same in each (a shareable value type).
 */
@Entity({ tableName: "change_record" })
@Index({ properties: ["entityType", "entityId", "changedAt"] })
@Index({ properties: ["entityType", "changedAt"] })
@ObjectType("Change", { description: "One recorded change of a record: who, when, what, and the values before and after (contact fields masked)." })
@Directive("@shareable")
@Directive('@tag(name: "internal")')
export class ChangeRecord {
  @PrimaryKey({ type: "string" })
  @Field(() => ID, { description: "Stable identifier of the change." })
  id!: string;

  @Property({ type: "datetime" })
  @Field(() => InstantScalar, { description: "When the change was recorded (ISO 8601, UTC)." })
  changedAt!: Date;

  @Property({ type: "string", nullable: true })
  @Field(() => String, { nullable: true, description: "Token subject (`sub`) of the caller who made the change." })
  actorSubject: string | null = null;

  @Property({ type: "string", nullable: true })
  @Field(() => String, { nullable: true, description: "Role of the caller: analyst, coordinator, admin or data_protection; null for a token without a role." })
  actorRole: string | null = null;

  @Property({ type: "string" })
  @Field(() => String, { description: "GraphQL type of the changed record, e.g. \"GroupMembership\"." })
  entityType!: string;

  @Property({ type: "string" })
  @Field(() => ID, { description: "Id of the changed record." })
  entityId!: string;

  @Property({ type: "string" })
  @Field(() => String, { description: "CREATE, UPDATE or DELETE." })
  operation!: ChangeOperation;

  @Property({ type: "json", nullable: true })
  @Field(() => JSONObjectScalar, { nullable: true, description: "The record's fields before the change (null when created); contact fields show `***`." })
  before: Record<string, unknown> | null = null;

  @Property({ type: "json", nullable: true })
  @Field(() => JSONObjectScalar, { nullable: true, description: "The record's fields after the change (null when deleted); contact fields show `***`." })
  after: Record<string, unknown> | null = null;

  @Property({ type: "json" })
  @Field(() => [String], { description: "Names of the fields the change set or altered, contact fields included." })
  changedFields: string[] = [];
}

/**
 * SQL of the audit table (each subgraph's migration runs it once). Idempotent, because the
 * benchmark runs all three subgraphs on one database (their entity types differ).
 */
export const CHANGE_RECORD_DDL = [
  `create table if not exists "change_record" ("id" varchar(255) not null, "changed_at" timestamptz not null, "actor_subject" varchar(255) null, "actor_role" varchar(255) null, "entity_type" varchar(255) not null, "entity_id" varchar(255) not null, "operation" varchar(255) not null, "before" jsonb null, "after" jsonb null, "changed_fields" jsonb not null, primary key ("id"));`,
  `create index if not exists "change_record_entity_type_entity_id_changed_at_index" on "change_record" ("entity_type", "entity_id", "changed_at");`,
];

/**
 * The changes of a type after an instant, without walking the type's whole
 * history: what a `knownAt` read looks for in every statement (known-at.ts).
 * The key of the index above leads with the entity id, so that search read
 * every entry of the type, however old. Idempotent, as above.
 */
export const CHANGE_RECORD_BY_TIME_DDL = `create index if not exists "change_record_entity_type_changed_at_index" on "change_record" ("entity_type", "changed_at");`;
