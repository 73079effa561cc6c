import { Directive, Field, ID, ObjectType } from "type-graphql";

/** `Municipality` of the organisations subgraph, referred to by key; this subgraph adds its plans and indicator values. */
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
  @Field(() => ID, { description: "Statistics Finland 2-digit county code." })
  code!: string;
}

/** `CooperationGroup` of the groups subgraph, referred to by key; this subgraph adds themes, measures and negotiations. */
@ObjectType("CooperationGroup", {
  description: "A cooperation or partnership group between a wellbeing services county and its partners.",
})
@Directive('@key(fields: "id")')
export class CooperationGroupRef {
  @Field(() => ID, { description: "Stable identifier." })
  id!: string;
}

/** `Organisation` of the organisations subgraph, referred to by key; this subgraph adds measures and grants. */
@ObjectType("Organisation", {
  description: "An actor: association, parish, company, municipality, county, agency or other organisation.",
})
@Directive('@key(fields: "id")')
export class OrganisationRef {
  @Field(() => ID, { description: "Stable identifier." })
  id!: string;

}

export const municipalityRef = (code: string): MunicipalityRef => Object.assign(new MunicipalityRef(), { code });
export const countyRef = (code: string): CountyRef => Object.assign(new CountyRef(), { code });
export const groupRef = (id: string): CooperationGroupRef => Object.assign(new CooperationGroupRef(), { id });
export const organisationRef = (id: string): OrganisationRef => Object.assign(new OrganisationRef(), { id });

/** `Document` of the organisations subgraph, referred to by key; this subgraph answers which of its records name it as their source. */
@ObjectType("Document", { description: "A source document: a handbook, memo, report or decision." })
@Directive('@key(fields: "id")')
export class DocumentRef {
  @Field(() => ID, { description: "Stable identifier." })
  id!: string;
}
