import { Directive, Field, ID, ObjectType } from "type-graphql";

/** `Municipality` of the organisations subgraph, referred to by key; this subgraph adds its plans. */
@ObjectType("Municipality", { description: "A Finnish municipality (kunta) with its official 3-digit code." })
@Directive('@key(fields: "code")')
export class MunicipalityRef {
  @Field(() => ID, { description: "Official 3-digit municipality code." })
  code!: string;
}

export const municipalityRef = (code: string): MunicipalityRef => Object.assign(new MunicipalityRef(), { code });
