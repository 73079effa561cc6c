import { Directive, Field, ID, ObjectType } from "type-graphql";

/**
 * A person as the subject of a data-subject request (docs/PERSONAL-DATA.md):
 * owned by the organisations subgraph, which checks who may ask; this
 * subgraph adds what it holds about the person.
 */
@ObjectType("DataSubject", { description: "Everything held about one person, for a data-subject request (admin or data protection officer)." })
@Directive('@key(fields: "personId")')
@Directive('@tag(name: "internal")')
export class DataSubject {
  @Field(() => ID, { description: "Id of the person." })
  personId!: string;
}
