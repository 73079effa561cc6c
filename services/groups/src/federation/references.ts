import { Directive, Field, ID, ObjectType } from "type-graphql";

/** `Municipality` of the organisations subgraph, referred to by key; this subgraph adds fields to it. */
@ObjectType("Municipality", { description: "A Finnish municipality (kunta) with its official 3-digit code." })
@Directive('@key(fields: "code")')
export class MunicipalityRef {
  @Field(() => ID, { description: "Official 3-digit municipality code." })
  code!: string;
}

/** `WellbeingServicesCounty` of the organisations subgraph, referred to by key. */
@ObjectType("WellbeingServicesCounty", { description: "A wellbeing services county or the City of Helsinki." })
@Directive('@key(fields: "code")')
export class CountyRef {
  @Field(() => ID, { description: "Statistics Finland county code." })
  code!: string;
}

export const municipalityRef = (code: string): MunicipalityRef => Object.assign(new MunicipalityRef(), { code });
export const countyRef = (code: string): CountyRef => Object.assign(new CountyRef(), { code });
