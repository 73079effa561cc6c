import { Check, Entity, Index, PrimaryKey, Property } from "@mikro-orm/decorators/legacy";
import { DateScalar } from "@yhdyspinta/core";
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
@Index({ name: "cooperation_level_county_name_unique", expression: 'create unique index "cooperation_level_county_name_unique" on "cooperation_level" ("county_code", lower("name"))' })
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
@Index({
  name: "liaison_role_active_title_unique",
  expression: 'create unique index "liaison_role_active_title_unique" on "liaison_role" ("county_code", "level", coalesce("sector", \'\'), lower("title"), coalesce("municipality_code", \'\')) where "ends_on" is null',
})
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

  @Property({ type: "date", nullable: true })
  @Field(() => DateScalar, { nullable: true, description: "Last day of the role (inclusive) once the county no longer has it; null while it continues." })
  endsOn: string | null = null;
}

/** A person holding a liaison role for a time (a Popolo membership of a post), e.g. Kauhava's järjestöyhdyshenkilö. */
@Entity({ tableName: "liaison_holder" })
@Check({ name: "liaison_holder_dates_in_order", expression: "ends_on is null or ends_on >= starts_on" })
@ObjectType("LiaisonHolder", { description: "A person holding a liaison role from a day, until a day or for now: who is the järjestöyhdyshenkilö of Kauhava." })
export class LiaisonHolder {
  @PrimaryKey({ type: "string" })
  @Field(() => ID, { description: "Stable identifier." })
  id!: string;

  @Index()
  @Property({ type: "string" })
  roleId!: string;

  @Index()
  @Property({ type: "string" })
  personId!: string;

  @Property({ type: "date" })
  @Field(() => DateScalar, { description: "First day the person holds the role." })
  startsOn!: string;

  @Property({ type: "date", nullable: true })
  @Field(() => DateScalar, { nullable: true, description: "Last day the person holds the role (inclusive); null while it continues." })
  endsOn: string | null = null;
}
