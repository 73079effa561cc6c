import { ArrayMaxSize, IsOptional, Length, Matches, Max, MaxLength, Min } from "class-validator";
import { DateScalar } from "@yhdyspinta/core";
import { Field, ID, InputType, Int } from "type-graphql";
import { KEY, KEY_MESSAGE } from "../coordination/coordination.input.ts";
import { CooperationGroupKind, GroupBasis, GroupLevel } from "../group/group-kind.ts";
import { SeatConstituency } from "../seat/seat.entity.ts";


/** Group fields a coordinator sets when creating or editing a group; omitted fields stay as they are on edit. */
@InputType("CooperationGroupFields", { description: "Fields shared by the inputs that create and edit it." })
class GroupFields {
  @IsOptional()
  @Length(1, 100)
  @Field(() => String, { nullable: true, description: "Short name or acronym." })
  shortName?: string | null;

  @IsOptional()
  @Length(1, 10_000)
  @Field(() => String, { nullable: true, description: "What the group is for." })
  description?: string | null;

  @Field(() => GroupBasis, { nullable: true, description: "Why the group exists." })
  basis?: GroupBasis | null;

  @Field(() => GroupLevel, { nullable: true, description: "Level of the county's cooperation structure." })
  level?: GroupLevel | null;

  @IsOptional()
  @ArrayMaxSize(20)
  @MaxLength(100, { each: true })
  @Field(() => [String], { nullable: true, description: "Laws the group rests on, e.g. `612/2021 7 §`." })
  legalBasis?: string[] | null;

  @IsOptional()
  @Length(1, 300)
  @Field(() => String, { nullable: true, description: "Who appoints the group." })
  appointedBy?: string | null;

  @IsOptional()
  @Length(1, 300)
  @Field(() => String, { nullable: true, description: "Body the group reports to." })
  reportsTo?: string | null;

  @IsOptional()
  @Matches(KEY, { message: KEY_MESSAGE })
  @Field(() => ID, { nullable: true, description: "The area the group works in, one of the county's areas." })
  areaId?: string | null;

  @IsOptional()
  @Matches(KEY, { message: KEY_MESSAGE })
  @Field(() => ID, { nullable: true, description: "The group this one works under, of the same county." })
  parentId?: string | null;

  @IsOptional()
  @Length(1, 10_000)
  @Field(() => String, { nullable: true, description: "Who sits in the group and how they are chosen." })
  composition?: string | null;

  @IsOptional()
  @Length(1, 50)
  @Field(() => String, {
    nullable: true,
    description: "Council term, e.g. `2026–2029`: kept as text only, it records no term (`renewCooperationGroup` and `appointGroupTerm` do).",
  })
  councilTerm?: string | null;

  @Field(() => DateScalar, {
    nullable: true,
    description: "Last day of the current composition's term: kept as a date only, it records no term (`renewCooperationGroup` and `appointGroupTerm` do).",
  })
  termEndsOn?: string | null;

  @IsOptional()
  @Min(0)
  @Max(52)
  @Field(() => Int, { nullable: true, description: "How many times a year the group meets (about)." })
  meetingsPerYear?: number | null;

  @Field(() => Boolean, { nullable: true, description: "The group holds the annual negotiation (612/2021 7 §)." })
  annualNegotiation?: boolean | null;

  @IsOptional()
  @ArrayMaxSize(50)
  @MaxLength(1000, { each: true })
  @Field(() => [String], { nullable: true, description: "The group's tasks in order." })
  tasks?: string[] | null;

  @IsOptional()
  @ArrayMaxSize(100)
  @Matches(/^\d{3}$/, { each: true, message: "must be 3-digit municipality codes" })
  @Field(() => [ID], { nullable: true, description: "Municipalities the group covers (replaces the list on edit)." })
  municipalityCodes?: string[] | null;
}

@InputType("CreateCooperationGroupInput", { description: "A new cooperation or partnership group of one county." })
export class CreateCooperationGroupInput extends GroupFields {
  @Matches(/^\d{2}$/, { message: "must be a 2-digit county code" })
  @Field(() => ID, { description: "The county." })
  countyCode!: string;

  @Length(1, 300)
  @Field(() => String, { description: "Name as the county uses it." })
  name!: string;

  @Field(() => CooperationGroupKind, { description: "What sort of body the group is." })
  kind!: CooperationGroupKind;

  @Field(() => DateScalar, { nullable: true, description: "Day the group starts working." })
  startsOn?: string | null;
}

@InputType("EditCooperationGroupInput", { description: "Changes to a group; omitted fields stay as they are. The county does not change." })
export class EditCooperationGroupInput extends GroupFields {
  @Matches(KEY, { message: KEY_MESSAGE })
  @Field(() => ID, { description: "The group." })
  groupId!: string;

  @IsOptional()
  @Length(1, 300)
  @Field(() => String, { nullable: true, description: "Name as the county uses it." })
  name?: string | null;

  @Field(() => CooperationGroupKind, { nullable: true, description: "What sort of body the group is." })
  kind?: CooperationGroupKind | null;

  @Field(() => DateScalar, { nullable: true, description: "Day the group starts working." })
  startsOn?: string | null;
}

@InputType("EndCooperationGroupInput", { description: "A group ends its work on a day." })
export class EndCooperationGroupInput {
  @Matches(KEY, { message: KEY_MESSAGE })
  @Field(() => ID, { description: "The group." })
  groupId!: string;

  @Field(() => DateScalar, { description: "Last day of the group's work (inclusive)." })
  endsOn!: string;
}

/** Seat fields set on create and edit. */
@InputType("GroupSeatFields", { description: "Fields shared by the inputs that create and edit it." })
class SeatFields {
  @IsOptional()
  @Min(0)
  @Max(100)
  @Field(() => Int, { nullable: true, description: "Fewest members the constituency names." })
  minMembers?: number | null;

  @IsOptional()
  @Min(1)
  @Max(100)
  @Field(() => Int, { nullable: true, description: "Most members the seat takes; null: not limited." })
  maxMembers?: number | null;

  @IsOptional()
  @Min(0)
  @Max(100)
  @Field(() => Int, { nullable: true, description: "Deputies the seat takes; null: not limited." })
  deputies?: number | null;

  @Field(() => Boolean, { nullable: true, description: "Deputies need not be named when more than one member is." })
  deputiesOptionalWhenSeveralMembers?: boolean | null;
}

@InputType("CreateGroupSeatInput", { description: "A new seat in a group for one constituency." })
export class CreateGroupSeatInput extends SeatFields {
  @Matches(KEY, { message: KEY_MESSAGE })
  @Field(() => ID, { description: "The group." })
  groupId!: string;

  @Field(() => SeatConstituency, { description: "Whom the seat represents." })
  constituency!: SeatConstituency;

  @Length(1, 300)
  @Field(() => String, { description: "Label, e.g. `Liikunta`, `Kela`." })
  label!: string;

  @IsOptional()
  @Matches(KEY, { message: KEY_MESSAGE })
  @Field(() => ID, { nullable: true, description: "The association category represented (`OrganisationCategory.id`)." })
  categoryId?: string | null;

  @IsOptional()
  @Matches(/^\d{3}$/, { message: "must be a 3-digit municipality code" })
  @Field(() => ID, { nullable: true, description: "The municipality represented." })
  municipalityCode?: string | null;

  @IsOptional()
  @Matches(KEY, { message: KEY_MESSAGE })
  @Field(() => ID, { nullable: true, description: "The organisation (agency) represented." })
  organisationId?: string | null;

  @Field(() => Boolean, { nullable: true, description: "Holders may speak but not vote; default false." })
  speakingRightOnly?: boolean | null;
}

@InputType("EditGroupSeatInput", { description: "Changes to a seat; omitted fields stay. Capacity below the current holders is refused." })
export class EditGroupSeatInput extends SeatFields {
  @Matches(KEY, { message: KEY_MESSAGE })
  @Field(() => ID, { description: "The seat." })
  seatId!: string;

  @IsOptional()
  @Length(1, 300)
  @Field(() => String, { nullable: true, description: "Label." })
  label?: string | null;
}

@InputType("EndGroupSeatInput", { description: "A seat ceases to exist after a day." })
export class EndGroupSeatInput {
  @Matches(KEY, { message: KEY_MESSAGE })
  @Field(() => ID, { description: "The seat." })
  seatId!: string;

  @Field(() => DateScalar, { description: "Last day of the seat (inclusive)." })
  endsOn!: string;
}

@InputType("CorrectMembershipInput", {
  description: "A membership recorded by mistake is marked as corrected: it never counts as held, and stays visible in the history. Distinct from ending it.",
})
export class CorrectMembershipInput {
  @Matches(KEY, { message: KEY_MESSAGE })
  @Field(() => ID, { description: "The mistaken membership." })
  membershipId!: string;

  @Length(1, 2000)
  @Field(() => String, { description: "What was wrong, e.g. `kirjattu väärään ryhmään`." })
  note!: string;
}
