import { randomUUID } from "node:crypto";
import type { EntityManager } from "@mikro-orm/postgresql";
import type { Viewer } from "@yhdyspinta/core";
import { Entity, Index, PrimaryKey, Property } from "@mikro-orm/decorators/legacy";
import { Directive, Field, ID, ObjectType } from "type-graphql";
import { NominationStatus } from "../nomination/nomination.entity.ts";
import { DateTimeScalar } from "@yhdyspinta/core";

/** One step of a nomination's status history: who set which status when, and why. */
@Entity({ tableName: "nomination_status_change" })
@Index({ properties: ["nominationId", "changedAt"] })
@ObjectType("NominationStatusChange", { description: "A step in a nomination's status history: the status set, when, by whom and with what note." })
export class NominationStatusChange {
  @PrimaryKey({ type: "string" })
  @Field(() => ID, { description: "Stable identifier." })
  id!: string;

  @Property({ type: "string" })
  nominationId!: string;

  @Property({ type: "string" })
  @Field(() => NominationStatus, { description: "The status the nomination got." })
  status!: NominationStatus;

  @Property({ type: "datetime", columnType: "timestamptz" })
  @Field(() => DateTimeScalar, { description: "When the status was set." })
  changedAt!: Date;

  @Property({ type: "string", nullable: true })
  @Directive('@tag(name: "internal")')
  @Field(() => String, { nullable: true, description: "Subject of the token that set it (a user id, not personal contact data)." })
  changedBy: string | null = null;

  @Property({ type: "text", nullable: true })
  @Field(() => String, { nullable: true, description: "Why, e.g. the decision's reference." })
  note: string | null = null;
}

/** Records one step of a nomination's status history (in the caller's transaction). */
export function recordStatus(tx: EntityManager, nominationId: string, status: NominationStatus, viewer: Viewer, note: string | null): NominationStatusChange {
  return tx.create(NominationStatusChange, { id: randomUUID(), nominationId, status, changedAt: new Date(), changedBy: viewer.subject, note });
}
