import { Entity, Index, PrimaryKey, Property } from "@mikro-orm/decorators/legacy";
import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { GroupLevel } from "../group/group-kind.ts";

export enum LiaisonSector {
  ORGANISING = "organising",
  SOCIAL_AND_HEALTH = "social_and_health",
  RESCUE = "rescue",
  HEALTH_PROMOTION = "health_promotion",
}

registerEnumType(LiaisonSector, {
  name: "LiaisonSector",
  description: "The county function a liaison role belongs to (columns of Pohde's structure table).",
  valuesConfig: {
    ORGANISING: { description: "Järjestäminen: organising services." },
    SOCIAL_AND_HEALTH: { description: "Sote: social and health services." },
    RESCUE: { description: "Pela: rescue services (pelastustoimi)." },
    HEALTH_PROMOTION: { description: "Hyte: promotion of wellbeing and health." },
  },
});

/** One level of a county's cooperation structure with its ways and forums of cooperation. */
@Entity({ tableName: "cooperation_level" })
@ObjectType("CooperationLevel", {
  description: "One level of a county's cooperation structure (Pohde's resident/municipality/regional/county; Pohjois-Karjala's four) with its forums.",
})
export class CooperationLevel {
  @PrimaryKey({ type: "string" })
  @Field(() => ID, { description: "Stable identifier." })
  id!: string;

  @Index()
  @Property({ type: "string", length: 2 })
  countyCode!: string;

  @Property({ type: "string" })
  @Field(() => GroupLevel, { description: "Which level." })
  level!: GroupLevel;

  @Property({ type: "string" })
  @Field(() => String, { description: "Name as the county uses it, e.g. `Kuntataso`, `Kumppanuustaso`." })
  name!: string;

  @Property({ type: "integer" })
  @Field(() => Int, { description: "Position in the county's scheme, from the closest to residents (or the top) down." })
  ordinal: number = 0;

  @Property({ type: "json" })
  @Field(() => [String], { description: "Ways and forums of cooperation at this level (yhteistyön tavat ja foorumit)." })
  forums: string[] = [];

  @Property({ type: "text", nullable: true })
  @Field(() => String, { nullable: true, description: "What belongs to the level, in the source's words." })
  description: string | null = null;
}

/** A named contact role (yhdyshenkilö, koordinaattori): a Popolo Post that people may hold. */
@Entity({ tableName: "liaison_role" })
@ObjectType("LiaisonRole", {
  description:
    "A named liaison role (yhdyshenkilö, koordinaattori) by level and sector, optionally for one municipality, with the network it forms. A post: the seeds name no holders.",
})
export class LiaisonRole {
  @PrimaryKey({ type: "string" })
  @Field(() => ID, { description: "Stable identifier." })
  id!: string;

  @Index()
  @Property({ type: "string", length: 2 })
  countyCode!: string;

  @Property({ type: "string" })
  @Field(() => GroupLevel, { description: "Level of the county's structure the role works at." })
  level!: GroupLevel;

  @Property({ type: "string", nullable: true })
  @Field(() => LiaisonSector, { nullable: true, description: "County function the role belongs to; null if not stated." })
  sector: LiaisonSector | null = null;

  @Property({ type: "string" })
  @Field(() => String, { description: "Title as the source gives it, e.g. `Sote-keskusten järjestöyhdyshenkilöt`." })
  title!: string;

  @Index()
  @Property({ type: "string", length: 3, nullable: true })
  municipalityCode: string | null = null;

  @Property({ type: "string", nullable: true })
  organisationId: string | null = null;

  @Index()
  @Property({ type: "string", nullable: true })
  networkGroupId: string | null = null;

  @Property({ type: "string", nullable: true })
  pairedWithId: string | null = null;

  @Property({ type: "json" })
  @Field(() => [String], { description: "The role's tasks in the source's words." })
  tasks: string[] = [];

  @Property({ type: "integer" })
  ordinal: number = 0;
}
