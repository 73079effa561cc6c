import { IsOptional, Length, Max, Min } from "class-validator";
import { Field, ID, InputType, Int } from "type-graphql";

@InputType("SetGroupContactInput", { description: "A person named as a group's contact (not a member), or changes to one; omitted fields stay." })
export class SetGroupContactInput {
  @Field(() => ID, { description: "The group." })
  @Length(1, 200)
  groupId!: string;

  @Field(() => ID, { description: "The contact person (organisations subgraph `Person`)." })
  @Length(1, 200)
  personId!: string;

  @Field(() => ID, { nullable: true, description: "The organisation the contact works for; null clears it." })
  @IsOptional()
  @Length(1, 200)
  organisationId?: string | null;

  @Field(() => String, { nullable: true, description: "Title as the source gives it, e.g. `suunnittelupäällikkö`; null clears it." })
  @IsOptional()
  @Length(1, 200)
  title?: string | null;

  @Field(() => Int, { nullable: true, description: "Place among the group's contacts, 0–999 (lower first); a new contact goes last when left out." })
  @IsOptional()
  @Min(0)
  @Max(999)
  ordinal?: number | null;
}

@InputType("RemoveGroupContactInput", { description: "A group's contact to remove." })
export class RemoveGroupContactInput {
  @Field(() => ID, { description: "The group." })
  @Length(1, 200)
  groupId!: string;

  @Field(() => ID, { description: "The contact person." })
  @Length(1, 200)
  personId!: string;
}
