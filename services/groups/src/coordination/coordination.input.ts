import { ArrayMaxSize, IsOptional, Length, Matches, MaxLength } from "class-validator";
import { DateScalar, DateTimeScalar } from "@yhdyspinta/core";
import { Field, ID, InputType } from "type-graphql";
import { MeetingKind } from "../meeting/meeting.entity.ts";
import { MembershipRole } from "../membership/membership.entity.ts";

/** Ids this subgraph accepts in inputs, and the rule named when one does not match. */
export const KEY = /^[a-z0-9][a-z0-9-]{0,99}$/;
export const KEY_MESSAGE = "must be an id of lower-case letters, digits and hyphens";

/** Where a new membership sits: the seat it fills and, for a deputy, whom it stands in for. */
@InputType("MembershipPlacement", { description: "Where a new membership sits: the seat it fills and, for a deputy, whom it stands in for." })
export class MembershipPlacement {
  @IsOptional()
  @Matches(KEY, { message: KEY_MESSAGE })
  @Field(() => ID, { nullable: true, description: "The seat filled, one of the group's seats." })
  seatId?: string | null;

  @IsOptional()
  @Matches(KEY, { message: KEY_MESSAGE })
  @Field(() => ID, { nullable: true, description: "For a DEPUTY: the membership of the member they stand in for." })
  deputyOfId?: string | null;
}

@InputType("RecordMembershipInput", { description: "A person joins a group on behalf of an organisation." })
export class RecordMembershipInput extends MembershipPlacement {
  @Matches(KEY, { message: KEY_MESSAGE })
  @Field(() => ID, { description: "The group." })
  groupId!: string;

  @Matches(KEY, { message: KEY_MESSAGE })
  @Field(() => ID, { description: "The person (organisations subgraph `Person.id`)." })
  personId!: string;

  @Matches(KEY, { message: KEY_MESSAGE })
  @Field(() => ID, { description: "The organisation the person represents (`Organisation.id`)." })
  organisationId!: string;

  @Field(() => MembershipRole, { description: "What the person does in the group." })
  role!: MembershipRole;

  @Field(() => DateScalar, { description: "First day of the membership." })
  startsOn!: string;

  @Field(() => DateScalar, { nullable: true, description: "Last day, if already known." })
  endsOn?: string | null;

  @IsOptional()
  @Length(1, 200)
  @Field(() => String, { nullable: true, description: "Title in the group, e.g. `koordinaattori`." })
  title?: string | null;
}

@InputType("EndMembershipInput", { description: "A membership ends; the row is kept as history." })
export class EndMembershipInput {
  @Matches(KEY, { message: KEY_MESSAGE })
  @Field(() => ID, { description: "The membership." })
  membershipId!: string;

  @Field(() => DateScalar, { description: "Last day of the membership (inclusive)." })
  endsOn!: string;
}

@InputType("SubmitNominationInput", { description: "A nominator puts a person forward in a nomination round." })
export class SubmitNominationInput {
  @Matches(KEY, { message: KEY_MESSAGE })
  @Field(() => ID, { description: "The round." })
  roundId!: string;

  @IsOptional()
  @Matches(/^\d{3}$/, { message: "must be a 3-digit municipality code" })
  @Field(() => ID, { nullable: true, description: "Nominating municipality (for rounds that ask municipalities)." })
  municipalityCode?: string | null;

  @IsOptional()
  @Matches(KEY, { message: KEY_MESSAGE })
  @Field(() => ID, { nullable: true, description: "Nominating association category (for rounds that ask categories)." })
  categoryId?: string | null;

  @Matches(KEY, { message: KEY_MESSAGE })
  @Field(() => ID, { description: "The nominee (`Person.id`)." })
  personId!: string;

  @IsOptional()
  @Matches(KEY, { message: KEY_MESSAGE })
  @Field(() => ID, { nullable: true, description: "The organisation the nominee would represent." })
  organisationId?: string | null;

  @Field(() => Boolean, { nullable: true, description: "Nominated as a deputy; default false." })
  asDeputy?: boolean | null;

  @Field(() => DateScalar, { nullable: true, description: "Day received; default today in Helsinki. Must be within the window." })
  submittedOn?: string | null;
}

@InputType("ScheduleMeetingInput", { description: "A meeting of a group is scheduled." })
export class ScheduleMeetingInput {
  @Matches(KEY, { message: KEY_MESSAGE })
  @Field(() => ID, { description: "The group." })
  groupId!: string;

  @Field(() => MeetingKind, { description: "What sort of meeting." })
  kind!: MeetingKind;

  @IsOptional()
  @Length(1, 200)
  @Field(() => String, { nullable: true, description: "Title." })
  title?: string | null;

  @Field(() => DateTimeScalar, { description: "Start, ISO 8601 with an offset, e.g. 2024-03-12T13:00:00+02:00." })
  startsAt!: Date;

  @Field(() => DateTimeScalar, { nullable: true, description: "End, after the start." })
  endsAt?: Date | null;

  @IsOptional()
  @Length(1, 300)
  @Field(() => String, { nullable: true, description: "Where." })
  location?: string | null;

  @IsOptional()
  @ArrayMaxSize(100)
  @MaxLength(500, { each: true })
  @Field(() => [String], { nullable: true, description: "Agenda items in order." })
  agenda?: string[] | null;
}
