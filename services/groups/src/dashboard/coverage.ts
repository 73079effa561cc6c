import { Field, Int, ObjectType } from "type-graphql";
import { CooperationGroupKind } from "../group/group-kind.ts";

@ObjectType("GroupKindCoverage", {
  description: "One cell of a coverage matrix: how many groups of a kind cover a municipality.",
})
export class GroupKindCoverage {
  @Field(() => CooperationGroupKind, { description: "The kind of group." })
  kind!: CooperationGroupKind;

  @Field(() => Int, { description: "Groups of this kind that cover the municipality; 0 means no group of the kind does." })
  groupCount!: number;

  @Field(() => Boolean, { description: "At least one group of this kind covers the municipality." })
  covered!: boolean;
}
