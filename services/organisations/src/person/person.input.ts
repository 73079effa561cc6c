import { IsEmail, IsOptional, Length, Matches, MaxLength } from "class-validator";
import { Directive, Field, ID, InputType } from "type-graphql";

/** A new person in an official role. */
@InputType("CreatePersonInput", { description: "A person in an official role. E-mail and phone are personal data." })
export class CreatePersonInput {
  @Directive('@tag(name: "personal")')
  @Field(() => String, { description: "Full name, 1–200 characters." })
  @Length(1, 200)
  @Matches(/\S/, { message: "must not be blank" })
  name!: string;

  @Directive('@tag(name: "personal")')
  @Field(() => String, { nullable: true, description: "Job title in the official role." })
  @IsOptional()
  @Length(1, 255)
  title?: string | null;

  @Field(() => ID, { nullable: true, description: "Id of the organisation the person works for." })
  @IsOptional()
  @MaxLength(200)
  organisationId?: string | null;

  @Directive('@tag(name: "personal")')
  @Field(() => String, { nullable: true, description: "Work e-mail address (personal data)." })
  @IsOptional()
  @IsEmail()
  @MaxLength(255)
  email?: string | null;

  @Directive('@tag(name: "personal")')
  @Field(() => String, { nullable: true, description: "Work phone number, digits, spaces, `+`, `-` (personal data)." })
  @IsOptional()
  @Matches(/^\+?[0-9][0-9 -]{4,24}$/, { message: "must be a phone number: digits, spaces, '+' and '-'" })
  phone?: string | null;
}

/** Changes to a person: fields left out stay as they are; `null` clears an optional field. */
@InputType("UpdatePersonInput", { description: "Changes to a person: fields left out stay as they are; `null` clears an optional field." })
export class UpdatePersonInput {
  @Directive('@tag(name: "personal")')
  @Field(() => String, { nullable: true, description: "New full name, 1–200 characters." })
  @IsOptional()
  @Length(1, 200)
  @Matches(/\S/, { message: "must not be blank" })
  name?: string | null;

  @Directive('@tag(name: "personal")')
  @Field(() => String, { nullable: true, description: "Job title in the official role." })
  @IsOptional()
  @Length(1, 255)
  title?: string | null;

  @Field(() => ID, { nullable: true, description: "Id of the organisation the person works for." })
  @IsOptional()
  @MaxLength(200)
  organisationId?: string | null;

  @Directive('@tag(name: "personal")')
  @Field(() => String, { nullable: true, description: "Work e-mail address (personal data)." })
  @IsOptional()
  @IsEmail()
  @MaxLength(255)
  email?: string | null;

  @Directive('@tag(name: "personal")')
  @Field(() => String, { nullable: true, description: "Work phone number, digits, spaces, `+`, `-` (personal data)." })
  @IsOptional()
  @Matches(/^\+?[0-9][0-9 -]{4,24}$/, { message: "must be a phone number: digits, spaces, '+' and '-'" })
  phone?: string | null;
}
