import { ArrayMaxSize, IsOptional, Length, Matches, MaxLength, ValidateNested } from "class-validator";
import { ProvenanceInput } from "@yhdyspinta/core";
import { Field, ID, InputType } from "type-graphql";

@InputType("StrategyPriorityInput", { description: "A priority heading (painopiste) with its principles, in order." })
export class StrategyPriorityInput {
  @Field(() => String, { description: "The heading, e.g. \"Vaikuttavasti yhdessä\"; each heading once." })
  @Length(1, 300, { message: "must be 1–300 characters" })
  name!: string;

  @Field(() => [String], { description: "The principles under the heading, verbatim; numbered through the whole strategy in order." })
  @ArrayMaxSize(100)
  @Length(1, 2000, { each: true, message: "each must be 1–2000 characters" })
  principles!: string[];
}

@InputType("StrategyCooperationGoalInput", { description: "A goal of the county's cooperation with associations and parishes." })
export class StrategyCooperationGoalInput {
  @Field(() => String, { description: "The goal, verbatim." })
  @Length(1, 2000, { message: "must be 1–2000 characters" })
  text!: string;

  @Field(() => [ID], { nullable: true, description: "Themes of the county (Theme ids) the goal serves." })
  @IsOptional()
  @ArrayMaxSize(50)
  themeIds?: string[] | null;
}

@InputType("CreateStrategyInput", { description: "A county's strategy: one per county." })
export class CreateStrategyInput {
  @Field(() => ID, { description: "2-digit code of the county." })
  @Matches(/^\d{2}$/, { message: "must be a 2-digit county code" })
  countyCode!: string;

  @Field(() => String, { description: "Name of the strategy document." })
  @Length(1, 255, { message: "must be 1–255 characters" })
  name!: string;

  @Field(() => String, { nullable: true, description: "Service promise (palvelulupaus), verbatim." })
  @IsOptional()
  @Length(1, 2000, { message: "must be 1–2000 characters" })
  servicePromise?: string | null;

  @Field(() => [String], { description: "The values, in order." })
  @ArrayMaxSize(50)
  @Length(1, 300, { each: true, message: "each must be 1–300 characters" })
  values!: string[];

  @Field(() => [StrategyPriorityInput], { description: "Priority headings in order, each with its principles." })
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  priorities!: StrategyPriorityInput[];

  @Field(() => [StrategyCooperationGoalInput], { nullable: true, description: "Goals of cooperation with associations and parishes, in order (numbered from 1)." })
  @IsOptional()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  cooperationGoals?: StrategyCooperationGoalInput[] | null;

  @Field(() => [String], { nullable: true, description: "Documents the strategy steers." })
  @IsOptional()
  @ArrayMaxSize(50)
  @Length(1, 300, { each: true, message: "each must be 1–300 characters" })
  steeredDocuments?: string[] | null;

  @Field(() => String, { description: "The document these items are taken from." })
  @Length(1, 500, { message: "must be 1–500 characters" })
  source!: string;

  @Field(() => ProvenanceInput, { nullable: true, description: "Where the strategy is published and decided." })
  @IsOptional()
  @ValidateNested()
  provenance?: ProvenanceInput | null;
}

@InputType("UpdateStrategyInput", { description: "A revision of a strategy; omitted fields stay as they are, a list given replaces the old one whole." })
export class UpdateStrategyInput {
  @Field(() => ID, { description: "The strategy." })
  @Length(1, 255)
  strategyId!: string;

  @Field(() => String, { nullable: true, description: "Name of the strategy document." })
  @IsOptional()
  @Length(1, 255, { message: "must be 1–255 characters" })
  name?: string | null;

  @Field(() => String, { nullable: true, description: "Service promise; null clears it." })
  @IsOptional()
  @Length(1, 2000, { message: "must be 1–2000 characters" })
  servicePromise?: string | null;

  @Field(() => [String], { nullable: true, description: "The values, in order." })
  @IsOptional()
  @ArrayMaxSize(50)
  @Length(1, 300, { each: true, message: "each must be 1–300 characters" })
  values?: string[] | null;

  @Field(() => [StrategyPriorityInput], { nullable: true, description: "Priority headings with their principles." })
  @IsOptional()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  priorities?: StrategyPriorityInput[] | null;

  @Field(() => [StrategyCooperationGoalInput], { nullable: true, description: "Cooperation goals." })
  @IsOptional()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  cooperationGoals?: StrategyCooperationGoalInput[] | null;

  @Field(() => [String], { nullable: true, description: "Documents the strategy steers." })
  @IsOptional()
  @ArrayMaxSize(50)
  @Length(1, 300, { each: true, message: "each must be 1–300 characters" })
  steeredDocuments?: string[] | null;

  @Field(() => String, { nullable: true, description: "The document these items are taken from." })
  @IsOptional()
  @Length(1, 500, { message: "must be 1–500 characters" })
  source?: string | null;

  @Field(() => ProvenanceInput, { nullable: true, description: "Where the strategy is published and decided." })
  @IsOptional()
  @ValidateNested()
  provenance?: ProvenanceInput | null;
}
