import { ArrayMaxSize, IsOptional, Length, Matches, Max, MaxLength, Min, ValidateNested } from "class-validator";
import { DateScalar, ProvenanceInput } from "@yhdyspinta/core";
import { Field, ID, InputType, Int } from "type-graphql";
import { KEY, KEY_MESSAGE } from "../coordination/coordination.input.ts";
import { GroupLevel } from "../group/group-kind.ts";
import { LiaisonSector } from "../liaison/liaison.entity.ts";

const COUNTY = /^\d{2}$/;
const COUNTY_MESSAGE = "must be a 2-digit county code";
const MUNICIPALITY = /^\d{3}$/;

// ---------------------------------------------------------------- areas

/** Area fields set on create and edit. */
@InputType("AreaFields", { description: "Fields shared by the inputs that create and edit it." })
class AreaFields {
  @IsOptional()
  @Min(0)
  @Max(1000)
  @Field(() => Int, { nullable: true, description: "Position in the county's order of areas; default: after the others." })
  ordinal?: number | null;

  @IsOptional()
  @ValidateNested()
  @Field(() => ProvenanceInput, { nullable: true, description: "Where the area comes from; omitted fields keep their stored value." })
  provenance?: ProvenanceInput | null;
}

@InputType("CreateAreaInput", { description: "A new area of a county with its municipalities." })
export class CreateAreaInput extends AreaFields {
  @Matches(COUNTY, { message: COUNTY_MESSAGE })
  @Field(() => ID, { description: "The county." })
  countyCode!: string;

  @Length(1, 200)
  @Field(() => String, { description: "Name as the county uses it, e.g. `KESKINEN`; unique in the county, letter case aside." })
  name!: string;

  @ArrayMaxSize(100)
  @Matches(MUNICIPALITY, { each: true, message: "must be 3-digit municipality codes" })
  @Field(() => [ID], { description: "The area's municipalities in the county's order: of the area's county, each in at most one of its areas." })
  municipalityCodes!: string[];
}

@InputType("EditAreaInput", { description: "Changes to an area; omitted fields stay. The county does not change." })
export class EditAreaInput extends AreaFields {
  @Matches(KEY, { message: KEY_MESSAGE })
  @Field(() => ID, { description: "The area." })
  areaId!: string;

  @IsOptional()
  @Length(1, 200)
  @Field(() => String, { nullable: true, description: "Name as the county uses it." })
  name?: string | null;

  @IsOptional()
  @ArrayMaxSize(100)
  @Matches(MUNICIPALITY, { each: true, message: "must be 3-digit municipality codes" })
  @Field(() => [ID], { nullable: true, description: "The area's municipalities in order (replaces the list)." })
  municipalityCodes?: string[] | null;
}

// ---------------------------------------------------------------- cooperation levels

/** Level fields set on create and edit. */
@InputType("CooperationLevelFields", { description: "Fields shared by the inputs that create and edit it." })
class LevelFields {
  @IsOptional()
  @Min(0)
  @Max(100)
  @Field(() => Int, { nullable: true, description: "Position in the county's scheme; default: after the others." })
  ordinal?: number | null;

  @IsOptional()
  @ArrayMaxSize(50)
  @Length(1, 500, { each: true })
  @Field(() => [String], { nullable: true, description: "Ways and forums of cooperation at this level (replaces the list on edit)." })
  forums?: string[] | null;

  @IsOptional()
  @Length(1, 10_000)
  @Field(() => String, { nullable: true, description: "What belongs to the level, in the source's words." })
  description?: string | null;

  @IsOptional()
  @ValidateNested()
  @Field(() => ProvenanceInput, { nullable: true, description: "Where the level comes from; omitted fields keep their stored value." })
  provenance?: ProvenanceInput | null;
}

@InputType("CreateCooperationLevelInput", { description: "A new level of a county's cooperation structure." })
export class CreateCooperationLevelInput extends LevelFields {
  @Matches(COUNTY, { message: COUNTY_MESSAGE })
  @Field(() => ID, { description: "The county." })
  countyCode!: string;

  @Field(() => GroupLevel, { description: "Which level." })
  level!: GroupLevel;

  @Length(1, 200)
  @Field(() => String, { description: "Name as the county uses it, e.g. `Kuntataso`; unique in the county, letter case aside." })
  name!: string;
}

@InputType("EditCooperationLevelInput", { description: "Changes to a cooperation level; omitted fields stay. The county does not change." })
export class EditCooperationLevelInput extends LevelFields {
  @Matches(KEY, { message: KEY_MESSAGE })
  @Field(() => ID, { description: "The level." })
  levelId!: string;

  @Field(() => GroupLevel, { nullable: true, description: "Which level." })
  level?: GroupLevel | null;

  @IsOptional()
  @Length(1, 200)
  @Field(() => String, { nullable: true, description: "Name as the county uses it." })
  name?: string | null;
}

// ---------------------------------------------------------------- liaison roles

/** Liaison role fields set on create and edit. */
@InputType("LiaisonRoleFields", { description: "Fields shared by the inputs that create and edit it." })
class LiaisonRoleFields {
  @Field(() => LiaisonSector, { nullable: true, description: "County function the role belongs to." })
  sector?: LiaisonSector | null;

  @IsOptional()
  @Matches(KEY, { message: KEY_MESSAGE })
  @Field(() => ID, { nullable: true, description: "The organisation that names the liaison (of the county, or national)." })
  organisationId?: string | null;

  @IsOptional()
  @Matches(KEY, { message: KEY_MESSAGE })
  @Field(() => ID, { nullable: true, description: "The network or forum the role's holders form or lead: a group of the role's county." })
  networkGroupId?: string | null;

  @IsOptional()
  @Matches(KEY, { message: KEY_MESSAGE })
  @Field(() => ID, { nullable: true, description: "The role this one works in pair with (työpari): a role of the same county." })
  pairedWithId?: string | null;

  @IsOptional()
  @ArrayMaxSize(50)
  @MaxLength(1000, { each: true })
  @Field(() => [String], { nullable: true, description: "The role's tasks in order (replaces the list on edit)." })
  tasks?: string[] | null;

  @IsOptional()
  @Min(0)
  @Max(10_000)
  @Field(() => Int, { nullable: true, description: "Position in the county's order; default: after the others." })
  ordinal?: number | null;

  @IsOptional()
  @ValidateNested()
  @Field(() => ProvenanceInput, { nullable: true, description: "Where the role comes from; omitted fields keep their stored value." })
  provenance?: ProvenanceInput | null;
}

@InputType("CreateLiaisonRoleInput", { description: "A new liaison role of a county, optionally for one of its municipalities." })
export class CreateLiaisonRoleInput extends LiaisonRoleFields {
  @Matches(COUNTY, { message: COUNTY_MESSAGE })
  @Field(() => ID, { description: "The county." })
  countyCode!: string;

  @Field(() => GroupLevel, { description: "Level of the county's structure the role works at." })
  level!: GroupLevel;

  @Length(1, 300)
  @Field(() => String, { description: "Title, e.g. `Järjestöyhdyshenkilö`; a role that has not ended is named once per level, sector and municipality." })
  title!: string;

  @IsOptional()
  @Matches(MUNICIPALITY, { message: "must be a 3-digit municipality code" })
  @Field(() => ID, { nullable: true, description: "The municipality the role is named for: one of the county's." })
  municipalityCode?: string | null;
}

@InputType("EditLiaisonRoleInput", { description: "Changes to a liaison role; omitted fields stay, null clears an optional link. County and municipality do not change." })
export class EditLiaisonRoleInput extends LiaisonRoleFields {
  @Matches(KEY, { message: KEY_MESSAGE })
  @Field(() => ID, { description: "The role." })
  roleId!: string;

  @Field(() => GroupLevel, { nullable: true, description: "Level of the county's structure." })
  level?: GroupLevel | null;

  @IsOptional()
  @Length(1, 300)
  @Field(() => String, { nullable: true, description: "Title." })
  title?: string | null;
}

@InputType("EndLiaisonRoleInput", { description: "A liaison role the county no longer has, from the day after its last day; its holders end with it." })
export class EndLiaisonRoleInput {
  @Matches(KEY, { message: KEY_MESSAGE })
  @Field(() => ID, { description: "The role." })
  roleId!: string;

  @Field(() => DateScalar, { description: "Last day of the role (inclusive)." })
  endsOn!: string;
}

// ---------------------------------------------------------------- liaison holders

@InputType("AddLiaisonInput", {
  description: "A person starts holding a liaison role, e.g. as Kauhava's järjestöyhdyshenkilö. The role by `roleId`, or by `municipalityCode` and `title` when one role that has not ended has them.",
})
export class AddLiaisonInput {
  @IsOptional()
  @Matches(KEY, { message: KEY_MESSAGE })
  @Field(() => ID, { nullable: true, description: "The role (`LiaisonRole.id`), one that has not ended; or give `municipalityCode` and `title`." })
  roleId?: string | null;

  @IsOptional()
  @Matches(MUNICIPALITY, { message: "must be a 3-digit municipality code" })
  @Field(() => ID, { nullable: true, description: "With `title`, instead of `roleId`: the municipality the role is named for, e.g. `233` (Kauhava)." })
  municipalityCode?: string | null;

  @IsOptional()
  @Length(1, 300)
  @Field(() => String, { nullable: true, description: "With `municipalityCode`, instead of `roleId`: the role's title, letter case aside, e.g. `Järjestöyhdyshenkilö`." })
  title?: string | null;

  @Matches(KEY, { message: KEY_MESSAGE })
  @Field(() => ID, { description: "The person (`Person.id`)." })
  personId!: string;

  @Field(() => DateScalar, { description: "First day the person holds the role." })
  startsOn!: string;

  @Field(() => DateScalar, { nullable: true, description: "Last day, when known already." })
  endsOn?: string | null;
}

@InputType("EndLiaisonInput", { description: "A person stops holding a liaison role after a day (kept as history)." })
export class EndLiaisonInput {
  @Matches(KEY, { message: KEY_MESSAGE })
  @Field(() => ID, { description: "The holder record (`LiaisonHolder.id`)." })
  holderId!: string;

  @Field(() => DateScalar, { description: "Last day the person holds the role (inclusive)." })
  endsOn!: string;
}
