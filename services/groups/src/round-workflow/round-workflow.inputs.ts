import { ArrayMaxSize, ArrayMinSize, IsOptional, Length, Matches, Max, Min, ValidateNested } from "class-validator";
import { DateScalar } from "@yhdyspinta/core";
import { Field, ID, InputType, Int } from "type-graphql";
import { KEY, KEY_MESSAGE, MembershipPlacement } from "../coordination/coordination.input.ts";
import { MembershipRole } from "../membership/membership.entity.ts";
import { NominationRoundKind } from "../nomination/nomination.entity.ts";


@InputType("NominatorInput", { description: "One party a round asks: a municipality or an association category." })
export class NominatorInput {
  @IsOptional()
  @Matches(/^\d{3}$/, { message: "must be a 3-digit municipality code" })
  @Field(() => ID, { nullable: true, description: "A municipality asked to nominate (`Municipality.code`)." })
  municipalityCode?: string | null;

  @IsOptional()
  @Matches(KEY, { message: KEY_MESSAGE })
  @Field(() => ID, { nullable: true, description: "An association category asked to nominate (`OrganisationCategory.id`)." })
  categoryId?: string | null;

  @IsOptional()
  @Matches(KEY, { message: KEY_MESSAGE })
  @Field(() => ID, { nullable: true, description: "The group this nominator's nominees go to, one of the round's groups; default the round's first group." })
  groupId?: string | null;
}

/** Fields a round has whether opened or edited. */
@InputType("NominationRoundFields", { description: "Fields shared by the inputs that create and edit it." })
class RoundFields {
  @Field(() => DateScalar, { nullable: true, description: "First day of the window." })
  opensOn?: string | null;

  @IsOptional()
  @Length(1, 300)
  @Field(() => String, { nullable: true, description: "Where nominations go, e.g. `kirjaamo@siunsote.fi` (an office address)." })
  submitTo?: string | null;

  @IsOptional()
  @Length(1, 300)
  @Field(() => String, { nullable: true, description: "How to submit, e.g. `kirjallinen ilmoitus`." })
  submissionMethod?: string | null;

  @IsOptional()
  @Length(1, 300)
  @Field(() => String, { nullable: true, description: "Whom nominators are asked to name." })
  nominees?: string | null;

  @IsOptional()
  @Min(0)
  @Max(100)
  @Field(() => Int, { nullable: true, description: "Fewest members one nominator names." })
  minPerNominator?: number | null;

  @IsOptional()
  @Min(1)
  @Max(100)
  @Field(() => Int, { nullable: true, description: "Most members one nominator names." })
  maxPerNominator?: number | null;

  @Field(() => Boolean, { nullable: true, description: "Deputies need not be named when a nominator names more than one member." })
  deputiesOptionalWhenSeveralMembers?: boolean | null;

  @IsOptional()
  @Length(1, 10_000)
  @Field(() => String, { nullable: true, description: "Further conditions in the source's words." })
  description?: string | null;
}

@InputType("OpenNominationRoundInput", { description: "A new nomination round (nimeämispyyntö or haku) for groups of one county." })
export class OpenNominationRoundInput extends RoundFields {
  @Matches(/^\d{2}$/, { message: "must be a 2-digit county code" })
  @Field(() => ID, { description: "The county that runs the round." })
  countyCode!: string;

  @Length(1, 300)
  @Field(() => String, { description: "Title in the source's words." })
  name!: string;

  @Field(() => NominationRoundKind, { description: "How nominees are sought." })
  kind!: NominationRoundKind;

  @Field(() => DateScalar, { description: "Last day nominations are accepted (inclusive)." })
  closesOn!: string;

  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @Matches(KEY, { each: true, message: KEY_MESSAGE })
  @Field(() => [ID], { description: "Groups the round fills, all of the round's county." })
  groupIds!: string[];

  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Field(() => [NominatorInput], { description: "Everyone the round asks, in order." })
  nominators!: NominatorInput[];
}

@InputType("EditNominationRoundInput", { description: "Changes to a round that is not closed; omitted fields stay as they are." })
export class EditNominationRoundInput extends RoundFields {
  @Matches(KEY, { message: KEY_MESSAGE })
  @Field(() => ID, { description: "The round." })
  roundId!: string;

  @IsOptional()
  @Length(1, 300)
  @Field(() => String, { nullable: true, description: "Title in the source's words." })
  name?: string | null;

  @Field(() => DateScalar, { nullable: true, description: "Last day nominations are accepted (inclusive)." })
  closesOn?: string | null;

  @IsOptional()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Field(() => [NominatorInput], { nullable: true, description: "Further parties to ask (added; existing nominators stay)." })
  addNominators?: NominatorInput[] | null;
}

@InputType("DecideNominationInput", { description: "A decision on a nomination, with an optional note." })
export class DecideNominationInput {
  @Matches(KEY, { message: KEY_MESSAGE })
  @Field(() => ID, { description: "The nomination." })
  nominationId!: string;

  @IsOptional()
  @Length(1, 2000)
  @Field(() => String, { nullable: true, description: "Why, e.g. the decision's reference (`Hyvinvointialuejohtajan päätös 12/2024`)." })
  note?: string | null;
}

@InputType("AppointNominationInput", { description: "An accepted nomination becomes a membership of the nomination's group." })
export class AppointNominationInput extends MembershipPlacement {
  @Matches(KEY, { message: KEY_MESSAGE })
  @Field(() => ID, { description: "The accepted nomination." })
  nominationId!: string;

  @Field(() => DateScalar, { description: "First day of the membership." })
  startsOn!: string;

  @Field(() => DateScalar, { nullable: true, description: "Last day, if known (e.g. the end of the council term)." })
  endsOn?: string | null;

  @Field(() => MembershipRole, { nullable: true, description: "Role; default MEMBER, or DEPUTY for a nomination as deputy." })
  role?: MembershipRole | null;

  @IsOptional()
  @Matches(KEY, { message: KEY_MESSAGE })
  @Field(() => ID, { nullable: true, description: "The organisation represented; default the nomination's." })
  organisationId?: string | null;
}
