import { ArrayMaxSize, IsOptional, Length, Matches, Max, Min, ValidateNested } from "class-validator";
import { DateScalar } from "@yhdyspinta/core";
import { Field, ID, InputType, Int } from "type-graphql";
import { KEY, KEY_MESSAGE } from "../coordination/coordination.input.ts";
import { NominationRoundKind } from "../nomination/nomination.entity.ts";
import { NominatorInput } from "../round-workflow/round-workflow.inputs.ts";
import { TermKind } from "./term.entity.ts";

@InputType("CreateTermInput", { description: "A half term or a period of one group's own (council terms are reference data)." })
export class CreateTermInput {
  @Matches(KEY, { message: KEY_MESSAGE })
  @Field(() => ID, { description: "The group whose body sits for the term." })
  groupId!: string;

  @Field(() => TermKind, { description: "HALF_TERM or CUSTOM." })
  kind!: TermKind;

  @Length(1, 300)
  @Field(() => String, { description: "Label, e.g. `Toimikausi 2025–2027`." })
  label!: string;

  @Field(() => DateScalar, { description: "First day." })
  startsOn!: string;

  @Field(() => DateScalar, { nullable: true, description: "Last day (inclusive); omitted when the source states none." })
  endsOn?: string | null;

  @IsOptional()
  @Matches(KEY, { message: KEY_MESSAGE })
  @Field(() => ID, { nullable: true, description: "For a HALF_TERM: the council term it is half of." })
  parentId?: string | null;

  @IsOptional()
  @Length(1, 2000)
  @Field(() => String, { nullable: true, description: "Where the dates come from (decision, document)." })
  source?: string | null;
}

@InputType("SeatRenewalInput", { description: "What happens to one of the group's seats in the next term; seats not named carry over as they are." })
export class SeatRenewalInput {
  @Matches(KEY, { message: KEY_MESSAGE })
  @Field(() => ID, { description: "A seat of the group that has not ended." })
  seatId!: string;

  @Field(() => Boolean, { nullable: true, description: "True: the seat ends with the current term (its members are not carried over)." })
  end?: boolean | null;

  @IsOptional()
  @Length(1, 300)
  @Field(() => String, { nullable: true, description: "New label: the seat ends with the current term and a changed one serves the next." })
  label?: string | null;

  @IsOptional()
  @Min(0)
  @Max(1000)
  @Field(() => Int, { nullable: true, description: "New minimum of members (as `label`: a changed seat serves the next term)." })
  minMembers?: number | null;

  @IsOptional()
  @Min(1)
  @Max(1000)
  @Field(() => Int, { nullable: true, description: "New maximum of members (as `label`)." })
  maxMembers?: number | null;

  @IsOptional()
  @Min(0)
  @Max(1000)
  @Field(() => Int, { nullable: true, description: "New number of deputies (as `label`)." })
  deputies?: number | null;
}

@InputType("RenewalRoundInput", { description: "The nomination round a renewal opens for the next term." })
export class RenewalRoundInput {
  @Length(1, 300)
  @Field(() => String, { description: "Title, e.g. `Nimeämispyyntö 2025–2029`." })
  name!: string;

  @Field(() => NominationRoundKind, { description: "How nominees are sought." })
  kind!: NominationRoundKind;

  @Field(() => DateScalar, { nullable: true, description: "First day of the window." })
  opensOn?: string | null;

  @Field(() => DateScalar, { description: "Last day nominations are accepted (inclusive)." })
  closesOn!: string;

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

  @IsOptional()
  @Length(1, 300)
  @Field(() => String, { nullable: true, description: "Where nominations go (an office address)." })
  submitTo?: string | null;

  @IsOptional()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Field(() => [NominatorInput], { nullable: true, description: "Everyone the round asks; omitted: the nominators of the group's latest round." })
  nominators?: NominatorInput[] | null;
}

@InputType("RenewCooperationGroupInput", { description: "Starts a group's next term from its current one." })
export class RenewCooperationGroupInput {
  @Matches(KEY, { message: KEY_MESSAGE })
  @Field(() => ID, { description: "The group." })
  groupId!: string;

  @Matches(KEY, { message: KEY_MESSAGE })
  @Field(() => ID, { description: "The next term (`Term.id`): a council term, or a half term or period of the group's own." })
  termId!: string;

  @Field(() => DateScalar, { nullable: true, description: "First day of the group's next composition; default the term's start (or the day after the current term ends, if later)." })
  startsOn?: string | null;

  @Field(() => Boolean, { nullable: true, description: "Members of the current term serve on (carried over) until successors are appointed; default true." })
  carryOver?: boolean | null;

  @Field(() => DateScalar, { nullable: true, description: "Stated last day of the carry-over; omitted: until the next composition is appointed." })
  carryOverEndsOn?: string | null;

  @IsOptional()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Field(() => [SeatRenewalInput], { nullable: true, description: "Seats that end or change; the others carry over." })
  seats?: SeatRenewalInput[] | null;

  @IsOptional()
  @ValidateNested()
  @Field(() => RenewalRoundInput, { nullable: true, description: "A nomination round for the next term, opened with the renewal." })
  round?: RenewalRoundInput | null;
}

@InputType("AppointGroupTermInput", { description: "The next composition of a group was appointed: the carry-over of the previous members ends." })
export class AppointGroupTermInput {
  @Matches(KEY, { message: KEY_MESSAGE })
  @Field(() => ID, { description: "The group's term (`GroupTerm.id`) being renewed." })
  groupTermId!: string;

  @Field(() => DateScalar, { description: "Day the new composition takes over; carried-over members serve until the day before." })
  appointedOn!: string;
}
