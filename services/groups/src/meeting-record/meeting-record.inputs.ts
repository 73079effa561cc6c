import { ArrayMaxSize, IsOptional, Length, Matches, ValidateNested } from "class-validator";
import { Directive, Field, ID, InputType } from "type-graphql";
import { KEY, KEY_MESSAGE } from "../coordination/coordination.input.ts";


@Directive('@tag(name: "personal")')
@InputType("MeetingAttendanceInput", { description: "A person the minutes list, present or absent." })
export class MeetingAttendanceInput {
  @Matches(KEY, { message: KEY_MESSAGE })
  @Field(() => ID, { description: "The person (`Person.id`)." })
  personId!: string;

  @IsOptional()
  @Matches(KEY, { message: KEY_MESSAGE })
  @Field(() => ID, { nullable: true, description: "The organisation represented (`Organisation.id`)." })
  organisationId?: string | null;

  @Field(() => Boolean, { description: "Present (läsnä); false: absent (poissa)." })
  present!: boolean;
}

@InputType("RecordMeetingMinutesInput", {
  description: "The minutes of a held meeting: where they are kept, the decisions and who attended. Given lists replace those recorded before; omitted ones stay.",
})
export class RecordMeetingMinutesInput {
  @Matches(KEY, { message: KEY_MESSAGE })
  @Field(() => ID, { description: "The meeting." })
  meetingId!: string;

  @IsOptional()
  @Length(1, 500)
  @Field(() => String, { nullable: true, description: "Where the minutes are kept: an https URL or a document reference (e.g. `D/123/00.04.01/2024`)." })
  minutesRef?: string | null;

  @IsOptional()
  @ArrayMaxSize(200)
  @Length(1, 5000, { each: true })
  @Field(() => [String], { nullable: true, description: "Decisions and outcomes in the minutes' order." })
  decisions?: string[] | null;

  @IsOptional()
  @ArrayMaxSize(300)
  @ValidateNested({ each: true })
  @Field(() => [MeetingAttendanceInput], { nullable: true, description: "Who attended (and who was listed absent), in the minutes' order." })
  attendance?: MeetingAttendanceInput[] | null;
}
