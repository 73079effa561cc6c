import { Entity, PrimaryKey, Property } from "@mikro-orm/decorators/legacy";
import { Field, ID, Int, ObjectType } from "type-graphql";

@ObjectType("StrategyValue", { description: "One of a county strategy's values." })
export class StrategyValue {
  @Field(() => Int, { description: "Position in the strategy, from 1." })
  position!: number;

  @Field(() => String, { description: "The value as the strategy words it, e.g. \"Näemme ihmisen\"." })
  name!: string;
}

@ObjectType("StrategyPrinciple", { description: "A numbered strategic principle under one of the strategy's priority headings." })
export class StrategyPrinciple {
  @Field(() => Int, { description: "Number of the principle, running through the whole strategy (Pohde: 1–12)." })
  number!: number;

  @Field(() => String, { description: "Priority heading (painopiste) the principle sits under, e.g. \"Ihmistä varten\"." })
  heading!: string;

  @Field(() => String, { description: "The principle, verbatim." })
  text!: string;
}

@ObjectType("StrategyPriority", { description: "A priority heading (painopiste) of a strategy with its principles." })
export class StrategyPriority {
  @Field(() => Int, { description: "Position of the heading in the strategy, from 1." })
  position!: number;

  @Field(() => String, { description: "The heading, e.g. \"Vaikuttavasti yhdessä\"." })
  name!: string;

  @Field(() => [StrategyPrinciple], { description: "The principles under this heading, by number." })
  principles!: StrategyPrinciple[];
}

@ObjectType("StrategyCooperationGoal", {
  description: "A numbered goal of the county's cooperation with associations and parishes.",
})
export class StrategyCooperationGoal {
  @Field(() => Int, { description: "Number of the goal, from 1." })
  number!: number;

  @Field(() => String, { description: "The goal, verbatim." })
  text!: string;

  /** Themes (ids) the goal serves; none when the source links none. */
  themeIds!: string[];
}

/**
 * A county's strategy as one document: the items are always read together
 * and change only when the strategy is revised, so they are stored as JSON
 * on the strategy row rather than as tables of their own.
 */
@Entity({ tableName: "strategy" })
@ObjectType("Strategy", {
  description: "A wellbeing services county's strategy: service promise, values, priorities with numbered principles, association-cooperation goals.",
})
export class Strategy {
  @PrimaryKey({ type: "string" })
  @Field(() => ID, { description: "Stable identifier." })
  id!: string;

  @Property({ type: "string", length: 2, unique: true })
  countyCode!: string;

  @Property({ type: "string" })
  @Field(() => String, { description: "Name of the strategy document." })
  name!: string;

  @Property({ type: "string", nullable: true })
  @Field(() => String, { nullable: true, description: "Service promise (palvelulupaus), verbatim." })
  servicePromise: string | null = null;

  @Property({ type: "json" })
  @Field(() => [StrategyValue], { description: "The strategy's values, in order." })
  values!: StrategyValue[];

  /** Priority headings in order; principles refer to them by name. */
  @Property({ type: "json" })
  headings!: string[];

  @Property({ type: "json" })
  @Field(() => [StrategyPrinciple], { description: "All strategic principles, by number." })
  principles!: StrategyPrinciple[];

  @Property({ type: "json" })
  @Field(() => [StrategyCooperationGoal], { description: "Goals of cooperation with associations and parishes, by number." })
  cooperationGoals!: StrategyCooperationGoal[];

  @Property({ type: "json" })
  @Field(() => [String], { description: "Documents the strategy steers, e.g. the wellbeing report and plan." })
  steeredDocuments!: string[];

  @Property({ type: "string" })
  @Field(() => String, { description: "The document these items are taken from." })
  source!: string;
}
