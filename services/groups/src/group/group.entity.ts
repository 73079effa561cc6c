import { Entity, Index, PrimaryKey, Property } from "@mikro-orm/decorators/legacy";
import { Directive, Field, ID, ObjectType } from "type-graphql";
import { CooperationGroupKind } from "./group-kind.ts";

@Entity({ tableName: "cooperation_group" })
@ObjectType("CooperationGroup", {
  description: "A cooperation or partnership group between a wellbeing services county and its partners.",
})
@Directive('@key(fields: "id")')
export class CooperationGroup {
  @PrimaryKey({ type: "string" })
  @Field(() => ID, { description: "Stable identifier." })
  id!: string;

  @Index()
  @Property({ type: "string", length: 2 })
  countyCode!: string;

  @Property({ type: "string" })
  @Field(() => String, { description: "Name as the county uses it." })
  name!: string;

  @Property({ type: "string", nullable: true })
  @Field(() => String, { nullable: true, description: "Short name or acronym, e.g. JYRY, Hyry, KESKINEN." })
  shortName: string | null = null;

  @Property({ type: "string" })
  @Field(() => CooperationGroupKind, { description: "What sort of body the group is." })
  kind!: CooperationGroupKind;
}

/** A municipality a group covers (by the organisations subgraph's key). */
@Entity({ tableName: "group_municipality" })
@Index({ properties: ["municipalityCode"] })
export class GroupMunicipality {
  @PrimaryKey({ type: "string" })
  groupId!: string;

  @PrimaryKey({ type: "string", length: 3 })
  municipalityCode!: string;
}
