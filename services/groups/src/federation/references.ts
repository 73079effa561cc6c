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

/** `Organisation` of the organisations subgraph, referred to by key; this subgraph adds `memberships`. */
@ObjectType("Organisation", {
  description: "An organisation acting in cooperation: association, parish, company, municipality, county, agency, institution.",
})
@Directive('@key(fields: "id")')
export class OrganisationRef {
  @Field(() => ID, { description: "Stable identifier." })
  id!: string;

}

/** `Person` of the organisations subgraph, referred to by key; this subgraph adds `memberships`. */
@ObjectType("Person", { description: "A person acting in an official role: representative, liaison, coordinator." })
@Directive('@key(fields: "id")')
export class PersonRef {
  @Field(() => ID, { description: "Stable identifier." })
  id!: string;
}

/** `OrganisationCategory` of the organisations subgraph, referred to by key. */
@ObjectType("OrganisationCategory", {
  description: "A county's category of associations, e.g. Pirkanmaa's 19 järjestökategoriat.",
})
@Directive('@key(fields: "id")')
export class OrganisationCategoryRef {
  @Field(() => ID, { description: "Stable identifier." })
  id!: string;
}

export const organisationRef = (id: string): OrganisationRef => Object.assign(new OrganisationRef(), { id });
export const personRef = (id: string): PersonRef => Object.assign(new PersonRef(), { id });
export const categoryRef = (id: string): OrganisationCategoryRef => Object.assign(new OrganisationCategoryRef(), { id });

/** `Document` of the organisations subgraph, referred to by key; this subgraph answers which of its records name it as their source. */
@ObjectType("Document", { description: "A source document: a handbook, memo, report or decision." })
@Directive('@key(fields: "id")')
export class DocumentRef {
  @Field(() => ID, { description: "Stable identifier." })
  id!: string;
}
